// Every plan problem has words in every language: non-empty, not left in English, with the
// plan's values (an EID, a value as typed) kept as given and numbers in the language's format.
import { describe, expect, it } from 'vitest';
import {
  en,
  formatNumber,
  loadMessages,
  LOCALES,
  type Locale,
  type Messages,
} from '../../../src/i18n/index.ts';
import {
  BatchPlanError,
  parsePlan,
  type CsvErrorReason,
  type PlanIssue,
  type PlanProblemKind,
} from '../../../src/batch/index.ts';
import { planProblemText } from '../../../src/ui/lib/plan-problem-text.ts';
import type { ActivationCodeErrorReason } from '../../../src/lpa/activation-code.ts';

const EID = '89049032123451234512345678901235';
const TYPED = 'maybe-42';

/** The CSV syntax errors; a new one fails the typecheck until it is listed. */
const CSV_REASONS: Record<CsvErrorReason, true> = {
  unclosedQuote: true,
  textAfterQuote: true,
  quoteInField: true,
  bareCarriageReturn: true,
};

/** The activation code refusals, worded by the errors texts. */
const AC_REASONS: Record<ActivationCodeErrorReason, true> = {
  empty: true,
  format: true,
  address: true,
  matchingId: true,
  oid: true,
  confirmationFlag: true,
  tooLong: true,
};

type Simple = Exclude<PlanProblemKind, 'badActivationCode' | 'csvSyntax'>;

/** Every plan problem's text in one language, with sample values; every kind must be listed. */
function problemTexts(m: Messages): Record<string, string> {
  const t = m.batch.problems;
  const simple: Record<Simple, string> = {
    notText: t.notText,
    notString: t.notString,
    acAndSmdp: t.acAndSmdp,
    badSmdpAddress: t.badSmdpAddress,
    badMatchingId: t.badMatchingId,
    noAddress: t.noAddress,
    matchingIdWithoutSmdp: t.matchingIdWithoutSmdp,
    confirmationCodeTooLong: t.confirmationCodeTooLong(1032),
    confirmationCodeMissing: t.confirmationCodeMissing,
    badEid: t.badEid(TYPED),
    eidCheckDigits: t.eidCheckDigits(TYPED),
    notBoolean: t.notBoolean(TYPED),
    nicknameTooLong: t.nicknameTooLong(1064),
    badIccid: t.badIccid(TYPED),
    eidTwice: t.eidTwice(EID, 1234),
    noRows: t.noRows,
    empty: t.empty,
    unknownColumn: t.unknownColumn,
    columnTwice: t.columnTwice,
    fieldCount: t.fieldCount(1003, 1005),
    notJson: t.notJson,
    jsonShape: t.jsonShape,
    rowNotObject: t.rowNotObject,
  };
  const all: Record<string, string> = { ...simple };
  for (const reason of Object.keys(CSV_REASONS) as CsvErrorReason[])
    all[`csvSyntax.${reason}`] = t.csvSyntax[reason](2345);
  for (const reason of Object.keys(AC_REASONS) as ActivationCodeErrorReason[])
    all[`badActivationCode.${reason}`] = m.errors.activationCode.reasons[reason];
  return all;
}

/** The values each text must show, as given or formatted for the language. */
function valuesOf(locale: Locale): Record<string, string[]> {
  const n = (v: number): string => formatNumber(locale, v);
  const values: Record<string, string[]> = {
    confirmationCodeTooLong: [n(1032)],
    badEid: [TYPED],
    eidCheckDigits: [TYPED],
    notBoolean: [TYPED],
    nicknameTooLong: [n(1064)],
    badIccid: [TYPED],
    eidTwice: [EID, n(1234)],
    fieldCount: [n(1003), n(1005)],
  };
  for (const reason of Object.keys(CSV_REASONS)) values[`csvSyntax.${reason}`] = [n(2345)];
  return values;
}

describe('plan problems in every language', () => {
  const english = problemTexts(en);

  it('English words every kind, with its values', () => {
    expect(Object.keys(english)).toHaveLength(23 + 4 + 7);
    for (const [key, text] of Object.entries(english)) {
      expect(text.trim(), key).not.toBe('');
      for (const value of valuesOf('en')[key] ?? []) expect(text, key).toContain(value);
    }
  });

  for (const locale of LOCALES.filter((l) => l !== 'en')) {
    it(`${locale} words every kind in its own language, values kept`, async () => {
      const theirs = problemTexts(await loadMessages(locale));
      const values = valuesOf(locale);
      expect(Object.keys(theirs)).toEqual(Object.keys(english));
      for (const [key, text] of Object.entries(theirs)) {
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
        expect(text, `${locale} ${key} is still English`).not.toBe(english[key]);
        for (const value of values[key] ?? []) expect(text, `${locale} ${key}`).toContain(value);
      }
    });
  }
});

describe('the Batch view’s words for a refused plan (planProblemText)', () => {
  it('words each problem parsePlan finds, in the language given', async () => {
    const plan = [
      'activationCode,eid,colour,enable',
      `LPA:2$smdp.example.com$X,,red,yes`,
      `LPA:1$smdp.example.com$Y,${EID.slice(0, 30)}00,,perhaps`,
      '',
    ].join('\n');
    let issues: readonly PlanIssue[] = [];
    try {
      parsePlan(plan);
    } catch (e) {
      if (e instanceof BatchPlanError) issues = e.issues;
    }
    expect(issues.map((i) => i.problem.kind)).toEqual([
      'unknownColumn',
      'badActivationCode',
      'eidCheckDigits',
      'notBoolean',
    ]);
    expect(issues.map((i) => planProblemText(en, i.problem))).toEqual([
      en.batch.problems.unknownColumn,
      en.errors.activationCode.reasons.format,
      en.batch.problems.eidCheckDigits(`${EID.slice(0, 30)}00`),
      en.batch.problems.notBoolean('perhaps'),
    ]);
    const de = await loadMessages('de');
    expect(planProblemText(de, issues[0]!.problem)).toBe(de.batch.problems.unknownColumn);
    expect(planProblemText(de, issues[3]!.problem)).toContain('perhaps');
    expect(planProblemText(de, issues[3]!.problem)).not.toBe(
      planProblemText(en, issues[3]!.problem),
    );
  });
});
