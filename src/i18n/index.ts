export { LOCALES, LOCALE_NAMES, isLocale, matchLocale, type Locale } from './locales.ts';
export { loadMessages } from './load.ts';
export type { Messages } from './messages.ts';
export { en } from './en/index.ts';
export {
  formatBytes,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatTime,
  plural,
} from './format.ts';
