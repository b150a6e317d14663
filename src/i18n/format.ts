/**
 * Numbers, sizes, durations and dates in a language's own format (Intl, built into every
 * browser and Node): "1,234" in English is "1.234" in German; "2 KB" is "2 КБ" in Russian.
 */
import type { Locale } from './locales.ts';

export function formatNumber(locale: Locale, n: number, maxFractionDigits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: maxFractionDigits }).format(n);
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** A size in bytes with the largest unit that keeps it at or above 1 (1 KB = 1,000 bytes). */
export function formatBytes(locale: Locale, bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

/** A duration: milliseconds under a second, seconds (one decimal) under a minute, then minutes. */
export function formatDuration(locale: Locale, ms: number): string {
  const [value, unit, digits] =
    ms < 1000
      ? [ms, 'millisecond', 0]
      : ms < 60_000
        ? [ms / 1000, 'second', 1]
        : [ms / 60_000, 'minute', 1];
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: digits,
  }).format(value);
}

/** A date and time, medium date and short time, e.g. "7 Dec 2026, 01:05" in en-GB style. */
export function formatDateTime(locale: Locale, when: Date | number): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(when);
}

/** A time of day to the millisecond, as the log shows it (24-hour clock in every language). */
export function formatTime(locale: Locale, when: Date | number): string {
  return new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hourCycle: 'h23',
  }).format(when);
}

/**
 * Picks the plural form of `n` for the language (CLDR rules via Intl.PluralRules) and puts the
 * number, formatted for the language, where the form says `#`. Forms a language lacks fall back
 * to `other`.
 */
export function plural(
  locale: Locale,
  n: number,
  forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string },
): string {
  const form = forms[new Intl.PluralRules(locale).select(n)] ?? forms.other;
  return form.replace('#', formatNumber(locale, n));
}
