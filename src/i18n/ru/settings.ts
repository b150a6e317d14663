import type { Messages } from '../messages.ts';

export const settings: Messages['settings'] = {
  language: 'Язык',
  languageSystem: 'Как в браузере',
};
