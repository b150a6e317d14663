import { describe, expect, it } from 'vitest';
import {
  BatchPlanError,
  csvLine,
  CsvError,
  parseCsv,
  parseCsvPlan,
  parseJsonPlan,
  parsePlan,
  type PlanProblem,
  type PlanProblemKind,
} from '../../../src/batch/index.ts';
import { eidWithCheckDigits } from '../../../src/codec/index.ts';

const EID_A = eidWithCheckDigits('890490321234512345123456789012');
const EID_B = eidWithCheckDigits('890490321234512345123456789099');
const AC = 'LPA:1$smdp.example.com$ABC-1';

function issuesOf(f: () => unknown): BatchPlanError['issues'] {
  try {
    f();
  } catch (e) {
    if (e instanceof BatchPlanError) return e.issues;
    throw e;
  }
  throw new Error('no BatchPlanError');
}

describe('CSV (RFC 4180)', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF or LF, and skips a BOM', () => {
    const text = '\uFEFFa,b\r\n"x, y","say ""hi""\nthere"\n\nlast,\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"\nthere'] },
      { line: 5, fields: ['last', ''] },
    ]);
  });

  it('refuses an unclosed quote and a quote inside an unquoted field, naming the line', () => {
    expect(() => parseCsv('a\n"open,b\n')).toThrow(CsvError);
    expect(() => parseCsv('a\nx"y\n')).toThrow('line 2');
    expect(() => parseCsv('"a"b\n')).toThrow('after the closing quote');
  });

  it('names each syntax error by its reason', () => {
    const reasonOf = (text: string): unknown => {
      try {
        parseCsv(text);
      } catch (e) {
        return e instanceof CsvError ? [e.reason, e.line] : e;
      }
      return undefined;
    };
    expect(reasonOf('a\n"open,b\n')).toEqual(['unclosedQuote', 2]);
    expect(reasonOf('"a"b\n')).toEqual(['textAfterQuote', 1]);
    expect(reasonOf('a\nx"y\n')).toEqual(['quoteInField', 2]);
    expect(reasonOf('"a"\rb\n')).toEqual(['bareCarriageReturn', 1]);
  });

  it('writes fields that round-trip', () => {
    const values = ['plain', 'a,b', 'q"uote', 'line\r\nbreak', ''];
    expect(parseCsv(csvLine(values))[0]!.fields).toEqual(values);
  });
});

describe('batch plans', () => {
  it('reads a CSV plan: header names in any case, activation codes or smdp + matchingId', () => {
    const plan = parseCsvPlan(
      'Activation Code,smdp,matching_id,confirmationCode,EID,enable,nickname,delete-iccid\r\n' +
        `${AC},,,,${EID_A},yes,"Lab, one",\r\n` +
        `,smdp.example.com:8443,XYZ,1234,,0,,8999001000000000011\r\n`,
    );
    expect(plan.rows).toEqual([
      {
        row: 1,
        line: 2,
        activationCode: AC,
        smdpAddress: 'smdp.example.com',
        matchingId: 'ABC-1',
        eid: EID_A,
        enable: true,
        nickname: 'Lab, one',
      },
      {
        row: 2,
        line: 3,
        smdpAddress: 'smdp.example.com:8443',
        matchingId: 'XYZ',
        confirmationCode: '1234',
        enable: false,
        deleteIccid: '8999001000000000011',
      },
    ]);
  });

  it('reads a JSON plan (array or {rows}) and sniffs the format', () => {
    const rows = [
      { activationCode: AC, enable: true },
      { smdp: 'smdp.example.com', matchingId: '' },
    ];
    expect(parseJsonPlan(JSON.stringify(rows)).rows).toHaveLength(2);
    expect(parsePlan(JSON.stringify({ rows })).rows[1]).toMatchObject({
      smdpAddress: 'smdp.example.com',
      matchingId: '',
      enable: false,
    });
    expect(parsePlan(`activationCode\n${AC}\n`).rows[0]!.matchingId).toBe('ABC-1');
  });

  it('lists every bad row with its number, line and column', () => {
    const text =
      'activationCode,eid,confirmationCode,enable,colour\r\n' +
      `${AC},${EID_A},,,red\r\n` + // fine except the unknown column (header issue)
      `LPA:1$bad..host$X,,,,\r\n` +
      `${AC},12345,,maybe,\r\n` +
      `${AC},${EID_A},,,\r\n` +
      `LPA:1$smdp.example.com$CC$$1,${EID_B},,,\r\n` +
      `${AC},${EID_B.slice(0, 31)}7,,,\r\n` +
      `,,,,\r\n` +
      `${AC},,\r\n`;
    const issues = issuesOf(() => parseCsvPlan(text));
    const brief = issues.map((i) => [i.row, i.column ?? '', i.line ?? 0]);
    expect(brief).toEqual([
      [0, 'colour', 1],
      [2, 'activationCode', 3],
      [3, 'eid', 4],
      [3, 'enable', 4],
      [4, 'eid', 5],
      [5, 'confirmationCode', 6],
      [6, 'eid', 7],
      [7, 'activationCode', 8],
      [8, '', 9],
    ]);
    expect(issues.map((i) => i.problem.kind)).toEqual([
      'unknownColumn',
      'badActivationCode',
      'badEid',
      'notBoolean',
      'eidTwice',
      'confirmationCodeMissing',
      'eidCheckDigits',
      'noAddress',
      'fieldCount',
    ]);
    expect(issues.find((i) => i.row === 2)!.problem).toEqual({
      kind: 'badActivationCode',
      reason: 'address',
    });
    expect(issues.find((i) => i.row === 4)!.problem).toEqual({
      kind: 'eidTwice',
      eid: EID_A,
      firstRow: 1,
    });
    expect(issues.find((i) => i.row === 8)!.problem).toEqual({
      kind: 'fieldCount',
      got: 3,
      want: 5,
    });
    expect(issues.find((i) => i.row === 4)!.message).toContain('already bound to row 1');
    expect(issues.find((i) => i.row === 6)!.message).toContain('check digits');
    expect(issues.find((i) => i.row === 8)!.message).toContain('3 fields where the header has 5');
    const error = (() => {
      try {
        parseCsvPlan(text);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toContain('row 2 (line 3), activationCode: The SM-DP+ address');
  });

  it('refuses an empty plan, a bad JSON shape, unknown JSON keys and numbers for EIDs', () => {
    expect(issuesOf(() => parseCsvPlan('activationCode\r\n'))[0]!.message).toBe('no rows');
    expect(issuesOf(() => parseCsvPlan(''))[0]!.message).toBe('the plan is empty');
    expect(issuesOf(() => parseJsonPlan('{"x":1}'))[0]!.message).toContain('array of rows');
    expect(issuesOf(() => parseJsonPlan('[1]'))[0]!.message).toBe('a row is an object');
    const issues = issuesOf(() => parseJsonPlan(JSON.stringify([{ ac: AC, eid: 8.9e31, foo: 1 }])));
    expect(issues.map((i) => i.column)).toEqual(['eid', 'foo']);
    expect(issuesOf(() => parseCsvPlan('ac,ac\r\nx,y\r\n'))[0]!.message).toBe('column given twice');
  });

  it('refuses both an activation code and smdp, a matching ID alone, a long nickname', () => {
    const issues = issuesOf(() =>
      parseJsonPlan(
        JSON.stringify([
          { activationCode: AC, smdp: 'smdp.example.com' },
          { matchingId: 'X' },
          { activationCode: AC, nickname: 'é'.repeat(33) },
          { smdp: 'smdp.example.com', matchingId: 'has space' },
        ]),
      ),
    );
    expect(issues.map((i) => [i.row, i.column])).toEqual([
      [1, 'activationCode'],
      [2, 'activationCode'],
      [2, 'matchingId'],
      [3, 'nickname'],
      [4, 'matchingId'],
    ]);
    expect(issues.map((i) => i.problem)).toEqual([
      { kind: 'acAndSmdp' },
      { kind: 'noAddress' },
      { kind: 'matchingIdWithoutSmdp' },
      { kind: 'nicknameTooLong', maxBytes: 64 },
      { kind: 'badMatchingId' },
    ]);
  });

  /**
   * One bad plan for each kind of problem, with the problem it must give; a new kind fails the
   * typecheck until it has a case here.
   */
  const json = (...rows: unknown[]): string => JSON.stringify(rows);
  const CASES: Record<
    PlanProblemKind,
    { plan: string; column?: string; message: string; problem: PlanProblem }
  > = {
    notText: {
      plan: json({ ac: AC, eid: true }),
      column: 'eid',
      message: 'must be text',
      problem: { kind: 'notText' },
    },
    notString: {
      plan: json({ ac: AC, deleteIccid: 8.99e18 }),
      column: 'deleteIccid',
      message: 'must be a string (EIDs and ICCIDs as text)',
      problem: { kind: 'notString' },
    },
    acAndSmdp: {
      plan: json({ ac: AC, matchingId: 'X' }),
      column: 'activationCode',
      message: 'give either an activation code or smdp/matchingId, not both',
      problem: { kind: 'acAndSmdp' },
    },
    badActivationCode: {
      plan: `activationCode\nLPA:2$smdp.example.com$X\n`,
      column: 'activationCode',
      message: 'Unknown activation code format "2"',
      problem: { kind: 'badActivationCode', reason: 'format' },
    },
    badSmdpAddress: {
      plan: json({ smdp: 'smdp example.com' }),
      column: 'smdp',
      message: 'The SM-DP+ address contains a space',
      problem: { kind: 'badSmdpAddress' },
    },
    badMatchingId: {
      plan: json({ smdp: 'smdp.example.com', matchingId: 'A$B' }),
      column: 'matchingId',
      message: 'The matching ID (AC_Token) contains "$"',
      problem: { kind: 'badMatchingId' },
    },
    noAddress: {
      plan: json({ enable: true }),
      column: 'activationCode',
      message: 'no activation code and no smdp address',
      problem: { kind: 'noAddress' },
    },
    matchingIdWithoutSmdp: {
      plan: `matchingId,eid\nX,\n`,
      column: 'matchingId',
      message: 'a matching ID needs an smdp address',
      problem: { kind: 'matchingIdWithoutSmdp' },
    },
    confirmationCodeTooLong: {
      plan: json({ ac: AC, confirmationCode: '1'.repeat(33) }),
      column: 'confirmationCode',
      message: 'longer than 32 characters',
      problem: { kind: 'confirmationCodeTooLong', max: 32 },
    },
    confirmationCodeMissing: {
      plan: json({ ac: 'LPA:1$smdp.example.com$CC$$1', confirmationCode: ' ' }),
      column: 'confirmationCode',
      message: 'the activation code says a confirmation code is needed; none given',
      problem: { kind: 'confirmationCodeMissing' },
    },
    badEid: {
      plan: json({ ac: AC, eid: ' 8904 9032 ' }),
      column: 'eid',
      message: '"8904 9032": eid: an EID has exactly 32 digits',
      problem: { kind: 'badEid', value: '8904 9032' },
    },
    eidCheckDigits: {
      plan: json({ ac: AC, eid: `${EID_A.slice(0, 30)}00` }),
      column: 'eid',
      message: 'eid: the check digits are wrong (mod 97 != 1)',
      problem: { kind: 'eidCheckDigits', value: `${EID_A.slice(0, 30)}00` },
    },
    notBoolean: {
      plan: json({ ac: AC, enable: 'perhaps' }),
      column: 'enable',
      message: '"perhaps" is not true/false, yes/no or 1/0',
      problem: { kind: 'notBoolean', value: 'perhaps' },
    },
    nicknameTooLong: {
      plan: json({ ac: AC, nickname: 'x'.repeat(65) }),
      column: 'nickname',
      message: 'longer than 64 bytes of UTF-8',
      problem: { kind: 'nicknameTooLong', maxBytes: 64 },
    },
    badIccid: {
      plan: json({ ac: AC, deleteIccid: '8999-0010' }),
      column: 'deleteIccid',
      message: '"8999-0010": iccid: an ICCID has digits only',
      problem: { kind: 'badIccid', value: '8999-0010' },
    },
    eidTwice: {
      plan: json({ ac: AC }, { ac: AC, eid: EID_B }, { ac: AC, eid: EID_B }),
      column: 'eid',
      message: `EID ${EID_B} is already bound to row 2 (one row per eUICC)`,
      problem: { kind: 'eidTwice', eid: EID_B, firstRow: 2 },
    },
    noRows: { plan: '[]', message: 'no rows', problem: { kind: 'noRows' } },
    empty: { plan: '\uFEFF\r\n\r\n', message: 'the plan is empty', problem: { kind: 'empty' } },
    unknownColumn: {
      plan: json({ ac: AC, colour: 'red' }),
      column: 'colour',
      message: 'unknown column',
      problem: { kind: 'unknownColumn' },
    },
    columnTwice: {
      plan: `eid,activation_code,AC\n,${AC},${AC}\n`,
      column: 'AC',
      message: 'column given twice',
      problem: { kind: 'columnTwice' },
    },
    fieldCount: {
      plan: `ac,eid,enable\n${AC},\n`,
      message: '2 fields where the header has 3',
      problem: { kind: 'fieldCount', got: 2, want: 3 },
    },
    csvSyntax: {
      plan: `ac,nickname\n${AC},"Lab\none\n`,
      message: 'line 2: a quoted field is not closed',
      problem: { kind: 'csvSyntax', reason: 'unclosedQuote', line: 2 },
    },
    notJson: { plan: '[{"ac": 1,}]', message: 'not JSON: ', problem: { kind: 'notJson' } },
    jsonShape: {
      plan: '{"row": []}',
      message: 'a JSON plan is an array of rows or {"rows": [...]}',
      problem: { kind: 'jsonShape' },
    },
    rowNotObject: {
      plan: json([AC]),
      message: 'a row is an object',
      problem: { kind: 'rowNotObject' },
    },
  };

  for (const [kind, c] of Object.entries(CASES)) {
    it(`gives the problem ${kind}, with its values, next to its English message`, () => {
      const issues = issuesOf(() => parsePlan(c.plan));
      // A matching ID alone also lacks an address; every other case has one problem.
      expect(issues).toHaveLength(kind === 'matchingIdWithoutSmdp' ? 2 : 1);
      const issue = issues.find((i) => i.problem.kind === kind);
      expect(issue?.problem).toEqual(c.problem);
      expect(issue?.column).toBe(c.column);
      expect(issue?.message).toContain(c.message);
    });
  }
});
