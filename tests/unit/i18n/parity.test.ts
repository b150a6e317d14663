// Every language has exactly English's keys, each text translated: a value left in English is
// an error unless it holds no English word (codes such as "EID" or "SM-DP+", product names).
import { describe, expect, it } from 'vitest';
import { en, loadMessages, LOCALES, type Messages } from '../../../src/i18n/index.ts';

/**
 * Names that stay as they are in every language, and words German or Spanish share with English
 * (the glossary keeps "Chip", "Modem" and "Relay").
 */
const NAMES = [
  'Chip',
  'Modem',
  'Relay',
  'WebLPA',
  'Chrome',
  'Chromium',
  'Edge',
  'Firefox',
  'Safari',
  'Android',
  'Linux',
  'Windows',
  'macOS',
  'WebUSB',
  'WebSerial',
  'ModemManager',
  'pcscd',
  'Isolated Web App',
  'eUICC',
  'eSIM',
  'JSON',
  'CSV',
  'Deno',
  'workerd',
  'Node',
  'localhost',
  'https',
  'http',
];

/** Whether a text contains an English word once names and codes are taken out. */
function hasEnglishWord(text: string): boolean {
  let rest = text;
  for (const n of NAMES) rest = rest.split(n).join(' ');
  return /[a-z]{3,}/i.test(rest.replace(/\b[A-Z0-9+-]{2,}\b/g, ' '));
}

type Tree = { readonly [key: string]: unknown };

function isTree(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null;
}

/** Calls a message function with the same sample arguments for every language. */
function sample(fn: (...args: never[]) => unknown): unknown {
  const args = Array.from({ length: fn.length }, () => 2);
  return (fn as (...a: number[]) => unknown)(...args);
}

function compare(path: string, ours: unknown, theirs: unknown, problems: string[]): void {
  if (isTree(ours) && typeof ours !== 'function') {
    if (!isTree(theirs)) {
      problems.push(`${path}: missing`);
      return;
    }
    for (const key of Object.keys(ours))
      compare(`${path}.${key}`, ours[key], theirs[key], problems);
    for (const key of Object.keys(theirs))
      if (!(key in ours)) problems.push(`${path}.${key}: not in English`);
    return;
  }
  if (theirs === undefined) {
    problems.push(`${path}: missing`);
    return;
  }
  if (typeof ours !== typeof theirs) {
    problems.push(`${path}: ${typeof theirs}, English has ${typeof ours}`);
    return;
  }
  let a: unknown = ours;
  let b: unknown = theirs;
  if (typeof ours === 'function' && typeof theirs === 'function') {
    if (ours.length !== theirs.length)
      problems.push(`${path}: takes ${theirs.length} arguments, English ${ours.length}`);
    a = sample(ours as (...args: never[]) => unknown);
    b = sample(theirs as (...args: never[]) => unknown);
  }
  if (typeof b !== 'string' || b.trim() === '') problems.push(`${path}: empty`);
  else if (a === b && typeof a === 'string' && hasEnglishWord(a))
    problems.push(`${path}: still English ("${a}")`);
}

describe('languages', () => {
  for (const locale of LOCALES.filter((l) => l !== 'en')) {
    it(`${locale} has every English key, each translated`, async () => {
      const theirs: Messages = await loadMessages(locale);
      const problems: string[] = [];
      compare(locale, en, theirs, problems);
      expect(problems).toEqual([]);
    });
  }

  it('English has no empty text', () => {
    const problems: string[] = [];
    compare('en', en, en, problems);
    expect(problems.filter((p) => p.endsWith('empty'))).toEqual([]);
  });

  it('the check finds a missing key, an extra key and an untranslated text', () => {
    const problems: string[] = [];
    compare(
      'x',
      { a: 'Save settings', b: 'EID', c: 'x' },
      { a: 'Save settings', b: 'EID', d: 'y' },
      problems,
    );
    expect(problems).toEqual([
      'x.a: still English ("Save settings")',
      'x.c: missing',
      'x.d: not in English',
    ]);
  });
});
