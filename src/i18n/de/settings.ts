import type { Messages } from '../messages.ts';

export const settings: Messages['settings'] = {
  language: 'Sprache',
  languageSystem: 'Wie im Browser',
};
