import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatNumber,
  formatTime,
  matchLocale,
  plural,
} from '../../../src/i18n/index.ts';

describe('matchLocale', () => {
  it('takes the first supported primary language', () => {
    expect(matchLocale(['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(matchLocale(['es-419'])).toBe('es');
    expect(matchLocale(['ja-JP'])).toBe('ja');
    expect(matchLocale(['ru'])).toBe('ru');
  });
  it('maps every Chinese tag to Simplified Chinese', () => {
    expect(matchLocale(['zh-CN'])).toBe('zh-Hans');
    expect(matchLocale(['zh-Hant-TW'])).toBe('zh-Hans');
    expect(matchLocale(['zh'])).toBe('zh-Hans');
  });
  it('falls back to English', () => {
    expect(matchLocale([])).toBe('en');
    expect(matchLocale(['fr', 'it'])).toBe('en');
  });
});

describe('formats', () => {
  it('groups digits as the language does', () => {
    expect(formatNumber('en', 1234567)).toBe('1,234,567');
    expect(formatNumber('de', 1234567)).toBe('1.234.567');
    expect(formatNumber('es', 1234567)).toBe('1.234.567');
    expect(formatNumber('ru', 1234567).replace(/\s/g, ' ')).toBe('1 234 567');
  });
  it('writes sizes with the language unit', () => {
    expect(formatBytes('en', 12)).toBe('12 bytes');
    expect(formatBytes('en', 102_400)).toBe('102 kB');
    expect(formatBytes('de', 1_536_000)).toBe('1,5 MB');
    expect(formatBytes('ru', 2048)).toMatch(/^2 кБ$/u);
  });
  it('writes durations', () => {
    expect(formatDuration('en', 250)).toBe('250 ms');
    expect(formatDuration('de', 4_400)).toBe('4,4 Sek.');
    expect(formatDuration('en', 90_000)).toBe('1.5 min');
  });
  it('picks plural forms by the language rules', () => {
    const files = { one: '# файл', few: '# файла', many: '# файлов', other: '# файла' };
    expect(plural('ru', 1, files)).toBe('1 файл');
    expect(plural('ru', 3, files)).toBe('3 файла');
    expect(plural('ru', 5, files)).toBe('5 файлов');
    expect(plural('en', 1, { one: '# profile', other: '# profiles' })).toBe('1 profile');
    expect(plural('en', 1000, { one: '# profile', other: '# profiles' })).toBe('1,000 profiles');
  });
});

describe('formatTime', () => {
  it('keeps the milliseconds the log needs', () => {
    const at = new Date(2026, 11, 7, 13, 5, 9, 42);
    expect(formatTime('en', at)).toBe('13:05:09.042');
    expect(formatTime('de', at)).toBe('13:05:09,042');
  });
});
