/**
 * The languages the app speaks, their names in their own script, and how a browser's preferred
 * languages (navigator.languages, BCP 47 tags) map onto them.
 */

export const LOCALES = ['en', 'zh-Hans', 'de', 'ja', 'es', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language named in itself, as the language menu shows it. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  'zh-Hans': '简体中文',
  de: 'Deutsch',
  ja: '日本語',
  es: 'Español',
  ru: 'Русский',
};

export function isLocale(value: unknown): value is Locale {
  return (LOCALES as readonly unknown[]).includes(value);
}

/**
 * The first supported language among the preferred tags, else English. Only the primary subtag
 * counts (de-AT → de, es-419 → es); every Chinese tag maps to Simplified Chinese, the one Chinese
 * script offered (closer for a Traditional reader than English).
 */
export function matchLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
    if (primary === 'zh') return 'zh-Hans';
    const hit = LOCALES.find((l) => l === primary);
    if (hit) return hit;
  }
  return 'en';
}
