/**
 * The app's language as rune state. Components read texts with `messages()` (usually once,
 * as `const m = $derived(messages())`), so changing the language re-renders every text; the
 * format helpers use the current language too.
 */
import {
  formatBytes,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatTime,
  loadMessages,
  matchLocale,
  type Locale,
  type Messages,
} from '../../i18n/index.ts';
import type { LanguageChoice } from './settings-model.ts';

/**
 * English is loaded like every other language (its own chunk), so the first page carries no
 * texts: main.ts starts the load at once and mounts the app when it is done.
 */
let current: { locale: Locale; messages: Messages } | undefined = $state.raw();
let requested: Locale | undefined;

export class TextsNotLoadedError extends Error {
  override readonly name = 'TextsNotLoadedError';
  constructor() {
    super('the texts of no language are loaded yet: await setLocale() before rendering');
  }
}

export function messages(): Messages {
  if (!current) throw new TextsNotLoadedError();
  return current.messages;
}

export function locale(): Locale {
  return current?.locale ?? 'en';
}

/** The language a choice means here: the browser's preferred languages for "system". */
export function resolveLanguage(choice: LanguageChoice, preferred: readonly string[]): Locale {
  return choice === 'system' ? matchLocale(preferred) : choice;
}

/**
 * Switches to a language once its texts are loaded (the page keeps the old one meanwhile); when
 * several switches overlap, the last one asked for wins. Sets <html lang> for screen readers,
 * hyphenation and fonts.
 */
export async function setLocale(next: Locale, root?: HTMLElement): Promise<void> {
  requested = next;
  const loaded = await loadMessages(next);
  if (requested !== next) return;
  current = { locale: next, messages: loaded };
  if (root) root.lang = next;
}

export const fmt = {
  number: (n: number, maxFractionDigits?: number): string =>
    formatNumber(locale(), n, maxFractionDigits),
  bytes: (n: number): string => formatBytes(locale(), n),
  duration: (ms: number): string => formatDuration(locale(), ms),
  dateTime: (when: Date | number): string => formatDateTime(locale(), when),
  time: (when: Date | number): string => formatTime(locale(), when),
};
