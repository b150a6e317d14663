import { describe, expect, it } from 'vitest';
import {
  BatchPlanError,
  csvLine,
  CsvError,
  parseCsv,
  parseCsvPlan,
  parseJsonPlan,
  parsePlan,
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
  });
});
