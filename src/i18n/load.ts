/**
 * Loads a language's texts. Each language, English included, is its own chunk (a dynamic import
 * per language), fetched only when that language is chosen; the first page carries no texts.
 */
import type { Locale } from './locales.ts';
import type { Messages } from './messages.ts';

export async function loadMessages(locale: Locale): Promise<Messages> {
  switch (locale) {
    case 'en':
      return (await import('./en/index.ts')).en;
    case 'zh-Hans':
      return (await import('./zh-Hans/index.ts')).default;
    case 'de':
      return (await import('./de/index.ts')).default;
    case 'ja':
      return (await import('./ja/index.ts')).default;
    case 'es':
      return (await import('./es/index.ts')).default;
    case 'ru':
      return (await import('./ru/index.ts')).default;
  }
}
