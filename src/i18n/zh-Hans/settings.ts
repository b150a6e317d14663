import type { Messages } from '../messages.ts';

export const settings: Messages['settings'] = {
  language: '语言',
  languageSystem: '跟随浏览器',
};
