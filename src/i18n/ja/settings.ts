import type { Messages } from '../messages.ts';

export const settings: Messages['settings'] = {
  language: '言語',
  languageSystem: 'ブラウザーに合わせる',
};
