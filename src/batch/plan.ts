/**
 * A batch plan: rows of profile downloads, each optionally meant for one eUICC (by EID), read
 * from CSV (RFC 4180, header row) or JSON (an array of row objects, or `{ "rows": [...] }`).
 *
 * Columns / keys (names are matched ignoring case, spaces, '-' and '_'):
 *   activationCode (or ac)   LPA:1$<SM-DP+ address>$<matching ID>[...] (SGP.22 v2.2.2 §4.1)
 *   smdp (or smdpAddress)    instead of activationCode: the SM-DP+ address ...
 *   matchingId               ... and the matching ID (may be empty)
 *   confirmationCode         asked for when the SM-DP+ requires one
 *   eid                      the eUICC this row is for (32 digits, check digits per SGP.29)
 *   enable                   enable the profile after installing it (true/false, yes/no, 1/0)
 *   nickname                 set this nickname on the installed profile
 *   deleteIccid              first delete the profile with this ICCID (if the card has it)
 *
 * The whole plan is checked before anything runs: a BatchPlanError lists every bad row.
 */
import { CodecError, eidProblem, normaliseEid, normaliseIccid } from '../codec/index.ts';
import {
  ActivationCodeError,
  parseActivationCode,
  validateMatchingId,
  validateSmdpAddress,
  type ActivationCodeErrorReason,
} from '../lpa/activation-code.ts';
import { CsvError, parseCsv, type CsvErrorReason } from './csv.ts';

export interface PlanRow {
  /** 1-based position among the plan's rows (the CSV header is not a row). */
  row: number;
  /** CSV: the line the row starts on. */
  line?: number;
  activationCode?: string;
  /** The SM-DP+ address and matching ID (from the activation code when one is given). */
  smdpAddress: string;
  matchingId: string;
  confirmationCode?: string;
  eid?: string;
  enable: boolean;
  nickname?: string;
  deleteIccid?: string;
}

export interface BatchPlan {
  rows: PlanRow[];
}

/**
 * What is wrong, for the app to word in the user's language (the column, row and line are on the
 * issue). Values from the plan (an EID, an ICCID) are carried as given.
 */
export type PlanProblem =
  /** A JSON true/false where text belongs. */
  | { kind: 'notText' }
  /** A JSON number for an EID or ICCID, or an object or array for any column. */
  | { kind: 'notString' }
  | { kind: 'acAndSmdp' }
  /** The activation code does not parse; `reason` names the field that is wrong. */
  | { kind: 'badActivationCode'; reason: ActivationCodeErrorReason }
  | { kind: 'badSmdpAddress' }
  | { kind: 'badMatchingId' }
  /** Neither an activation code nor an SM-DP+ address. */
  | { kind: 'noAddress' }
  | { kind: 'matchingIdWithoutSmdp' }
  | { kind: 'confirmationCodeTooLong'; max: number }
  /** The activation code's flag asks for a confirmation code and the row gives none. */
  | { kind: 'confirmationCodeMissing' }
  /** Not 32 digits. */
  | { kind: 'badEid'; value: string }
  /** 32 digits whose check digits are wrong (SGP.29 mod 97). */
  | { kind: 'eidCheckDigits'; value: string }
  | { kind: 'notBoolean'; value: string }
  | { kind: 'nicknameTooLong'; maxBytes: number }
  | { kind: 'badIccid'; value: string }
  /** A second row for the same eUICC. */
  | { kind: 'eidTwice'; eid: string; firstRow: number }
  /** A header but no rows (or a JSON plan with an empty list). */
  | { kind: 'noRows' }
  /** No text at all. */
  | { kind: 'empty' }
  | { kind: 'unknownColumn' }
  | { kind: 'columnTwice' }
  /** A CSV record with `got` fields where the header has `want`. */
  | { kind: 'fieldCount'; got: number; want: number }
  /** CSV that cannot be read; `line` is the line of the text where it goes wrong. */
  | { kind: 'csvSyntax'; reason: CsvErrorReason; line: number }
  | { kind: 'notJson' }
  /** JSON that is neither an array nor `{ "rows": [...] }`. */
  | { kind: 'jsonShape' }
  | { kind: 'rowNotObject' };

export type PlanProblemKind = PlanProblem['kind'];

export interface PlanIssue {
  /** The plan row (0 for the plan as a whole, e.g. its header). */
  row: number;
  line?: number;
  column?: string;
  problem: PlanProblem;
  /** The problem in English, for the command line and the report. */
  message: string;
}

/** A plan that cannot be run: every problem found, with its row. */
export class BatchPlanError extends Error {
  override readonly name = 'BatchPlanError';
  constructor(readonly issues: readonly PlanIssue[]) {
    super(
      `the batch plan has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n` +
        issues.map(describeIssue).join('\n'),
    );
  }
}

function describeIssue(i: PlanIssue): string {
  const where =
    i.row === 0
      ? i.line !== undefined
        ? `line ${i.line}`
        : 'plan'
      : `row ${i.row}${i.line !== undefined ? ` (line ${i.line})` : ''}`;
  return `  ${where}${i.column !== undefined ? `, ${i.column}` : ''}: ${i.message}`;
}

/** The columns, by their normalised names. */
const COLUMNS = {
  activationcode: 'activationCode',
  ac: 'activationCode',
  smdp: 'smdp',
  smdpaddress: 'smdp',
  matchingid: 'matchingId',
  confirmationcode: 'confirmationCode',
  eid: 'eid',
  enable: 'enable',
  nickname: 'nickname',
  deleteiccid: 'deleteIccid',
} as const;

type Column = (typeof COLUMNS)[keyof typeof COLUMNS];

function columnOf(name: string): Column | undefined {
  const key = name.toLowerCase().replace(/[\s_-]+/g, '');
  return Object.hasOwn(COLUMNS, key) ? COLUMNS[key as keyof typeof COLUMNS] : undefined;
}

/** profileNickname is UTF8String (SIZE(0..64)) (ES10c SetNickname, docs/protocol.md §3). */
const MAX_NICKNAME_BYTES = 64;
const MAX_CONFIRMATION_CODE_LENGTH = 32;

type RawRow = { row: number; line?: number; values: Partial<Record<Column, string | boolean>> };

function parseBool(v: string | boolean): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const t = v.trim().toLowerCase();
  if (t === '' || t === 'false' || t === 'no' || t === '0' || t === 'n') return false;
  if (t === 'true' || t === 'yes' || t === '1' || t === 'y') return true;
  return undefined;
}

function checkRow(raw: RawRow, issues: PlanIssue[]): PlanRow | undefined {
  const before = issues.length;
  const at = (column: string, problem: PlanProblem, message: string): void => {
    issues.push({
      row: raw.row,
      ...(raw.line !== undefined ? { line: raw.line } : {}),
      column,
      problem,
      message,
    });
  };
  const text = (c: Column): string | undefined => {
    const v = raw.values[c];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      at(c, { kind: 'notText' }, 'must be text');
      return undefined;
    }
    const t = v.trim();
    return t === '' ? undefined : t;
  };
  const ac = text('activationCode');
  const smdp = text('smdp');
  const rawMatching = raw.values.matchingId;
  const matching = typeof rawMatching === 'string' ? rawMatching.trim() : text('matchingId');
  let smdpAddress = '';
  let matchingId = '';
  let ccFlag = false;
  if (ac !== undefined) {
    if (smdp !== undefined || (matching !== undefined && matching !== ''))
      at(
        'activationCode',
        { kind: 'acAndSmdp' },
        'give either an activation code or smdp/matchingId, not both',
      );
    try {
      const parsed = parseActivationCode(ac);
      smdpAddress = parsed.smdpAddress;
      matchingId = parsed.matchingId;
      ccFlag = parsed.confirmationCodeRequired;
    } catch (e) {
      if (!(e instanceof ActivationCodeError)) throw e;
      at('activationCode', { kind: 'badActivationCode', reason: e.reason }, e.message);
    }
  } else if (smdp !== undefined) {
    try {
      validateSmdpAddress(smdp);
      smdpAddress = smdp;
    } catch (e) {
      if (!(e instanceof ActivationCodeError)) throw e;
      at('smdp', { kind: 'badSmdpAddress' }, e.message);
    }
    if (matching !== undefined) {
      try {
        validateMatchingId(matching);
        matchingId = matching;
      } catch (e) {
        if (!(e instanceof ActivationCodeError)) throw e;
        at('matchingId', { kind: 'badMatchingId' }, e.message);
      }
    }
  } else {
    at('activationCode', { kind: 'noAddress' }, 'no activation code and no smdp address');
  }
  if (ac === undefined && smdp === undefined && matching !== undefined && matching !== '')
    at('matchingId', { kind: 'matchingIdWithoutSmdp' }, 'a matching ID needs an smdp address');
  const cc = text('confirmationCode');
  if (cc !== undefined && cc.length > MAX_CONFIRMATION_CODE_LENGTH)
    at(
      'confirmationCode',
      { kind: 'confirmationCodeTooLong', max: MAX_CONFIRMATION_CODE_LENGTH },
      `longer than ${MAX_CONFIRMATION_CODE_LENGTH} characters`,
    );
  if (ccFlag && cc === undefined)
    at(
      'confirmationCode',
      { kind: 'confirmationCodeMissing' },
      'the activation code says a confirmation code is needed; none given',
    );
  let eid: string | undefined;
  const eidText = text('eid');
  if (eidText !== undefined) {
    try {
      eid = normaliseEid(eidText);
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      at(
        'eid',
        {
          kind: eidProblem(eidText) === 'checkDigits' ? 'eidCheckDigits' : 'badEid',
          value: eidText,
        },
        `"${eidText}": ${e.message}`,
      );
    }
  }
  let enable = false;
  const enableValue = raw.values.enable;
  if (enableValue !== undefined) {
    const b = parseBool(enableValue);
    if (b === undefined) {
      const value = String(enableValue);
      at('enable', { kind: 'notBoolean', value }, `"${value}" is not true/false, yes/no or 1/0`);
    } else enable = b;
  }
  const nickname = raw.values.nickname;
  if (nickname !== undefined && typeof nickname !== 'string')
    at('nickname', { kind: 'notText' }, 'must be text');
  const nick = typeof nickname === 'string' && nickname !== '' ? nickname : undefined;
  if (nick !== undefined && new TextEncoder().encode(nick).length > MAX_NICKNAME_BYTES)
    at(
      'nickname',
      { kind: 'nicknameTooLong', maxBytes: MAX_NICKNAME_BYTES },
      `longer than ${MAX_NICKNAME_BYTES} bytes of UTF-8`,
    );
  let deleteIccid: string | undefined;
  const del = text('deleteIccid');
  if (del !== undefined) {
    try {
      deleteIccid = normaliseIccid(del, { checkLuhn: false });
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      at('deleteIccid', { kind: 'badIccid', value: del }, `"${del}": ${e.message}`);
    }
  }
  if (issues.length > before) return undefined;
  return {
    row: raw.row,
    ...(raw.line !== undefined ? { line: raw.line } : {}),
    ...(ac !== undefined ? { activationCode: ac } : {}),
    smdpAddress,
    matchingId,
    ...(cc !== undefined ? { confirmationCode: cc } : {}),
    ...(eid !== undefined ? { eid } : {}),
    enable,
    ...(nick !== undefined ? { nickname: nick } : {}),
    ...(deleteIccid !== undefined ? { deleteIccid } : {}),
  };
}

function finish(raws: readonly RawRow[], issues: PlanIssue[]): BatchPlan {
  const rows: PlanRow[] = [];
  for (const raw of raws) {
    const row = checkRow(raw, issues);
    if (row) rows.push(row);
  }
  const firstByEid = new Map<string, PlanRow>();
  for (const row of rows) {
    if (row.eid === undefined) continue;
    const first = firstByEid.get(row.eid);
    if (first === undefined) firstByEid.set(row.eid, row);
    else
      issues.push({
        row: row.row,
        ...(row.line !== undefined ? { line: row.line } : {}),
        column: 'eid',
        problem: { kind: 'eidTwice', eid: row.eid, firstRow: first.row },
        message: `EID ${row.eid} is already bound to row ${first.row} (one row per eUICC)`,
      });
  }
  if (raws.length === 0 && issues.length === 0)
    issues.push({ row: 0, problem: { kind: 'noRows' }, message: 'no rows' });
  if (issues.length > 0) throw new BatchPlanError(issues.sort((a, b) => a.row - b.row));
  return { rows };
}

/** Parses a CSV plan (header row first). */
export function parseCsvPlan(text: string): BatchPlan {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError)
      throw new BatchPlanError([
        {
          row: 0,
          line: e.line,
          problem: { kind: 'csvSyntax', reason: e.reason, line: e.line },
          message: e.message,
        },
      ]);
    throw e;
  }
  const header = records[0];
  if (header === undefined)
    throw new BatchPlanError([
      { row: 0, problem: { kind: 'empty' }, message: 'the plan is empty' },
    ]);
  const issues: PlanIssue[] = [];
  const columns: (Column | undefined)[] = [];
  const seen = new Set<Column>();
  for (const name of header.fields) {
    const c = columnOf(name);
    if (c === undefined)
      issues.push({
        row: 0,
        line: header.line,
        column: name,
        problem: { kind: 'unknownColumn' },
        message: 'unknown column',
      });
    else if (seen.has(c))
      issues.push({
        row: 0,
        line: header.line,
        column: name,
        problem: { kind: 'columnTwice' },
        message: 'column given twice',
      });
    else seen.add(c);
    columns.push(c);
  }
  const raws: RawRow[] = [];
  records.slice(1).forEach((rec, i) => {
    const row = i + 1;
    if (rec.fields.length !== columns.length) {
      issues.push({
        row,
        line: rec.line,
        problem: { kind: 'fieldCount', got: rec.fields.length, want: columns.length },
        message: `${rec.fields.length} fields where the header has ${columns.length}`,
      });
      return;
    }
    const values: RawRow['values'] = {};
    rec.fields.forEach((f, j) => {
      const c = columns[j];
      if (c !== undefined) values[c] = f;
    });
    raws.push({ row, line: rec.line, values });
  });
  return finish(raws, issues);
}

/** Parses a JSON plan: an array of row objects, or `{ "rows": [...] }`. */
export function parseJsonPlan(text: string): BatchPlan {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (e) {
    throw new BatchPlanError([
      { row: 0, problem: { kind: 'notJson' }, message: `not JSON: ${(e as Error).message}` },
    ]);
  }
  const list = Array.isArray(json)
    ? json
    : typeof json === 'object' && json !== null && Array.isArray((json as { rows?: unknown }).rows)
      ? (json as { rows: unknown[] }).rows
      : undefined;
  if (list === undefined)
    throw new BatchPlanError([
      {
        row: 0,
        problem: { kind: 'jsonShape' },
        message: 'a JSON plan is an array of rows or {"rows": [...]}',
      },
    ]);
  const issues: PlanIssue[] = [];
  const raws: RawRow[] = [];
  list.forEach((item: unknown, i) => {
    const row = i + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      issues.push({ row, problem: { kind: 'rowNotObject' }, message: 'a row is an object' });
      return;
    }
    const values: RawRow['values'] = {};
    for (const [key, value] of Object.entries(item)) {
      const c = columnOf(key);
      if (c === undefined) {
        issues.push({
          row,
          column: key,
          problem: { kind: 'unknownColumn' },
          message: 'unknown column',
        });
        continue;
      }
      if (value === null || value === undefined) continue;
      if (typeof value === 'string' || typeof value === 'boolean') values[c] = value;
      else if (typeof value === 'number' && c !== 'eid' && c !== 'deleteIccid')
        values[c] = String(value);
      else
        issues.push({
          row,
          column: key,
          problem: { kind: 'notString' },
          message: 'must be a string (EIDs and ICCIDs as text)',
        });
    }
    raws.push({ row, values });
  });
  return finish(raws, issues);
}

/** Parses a plan: JSON when it looks like JSON (or `format` says so), CSV otherwise. */
export function parsePlan(text: string, format?: 'csv' | 'json'): BatchPlan {
  const f = format ?? (/^\s*[[{]/.test(text.replace(/^\uFEFF/, '')) ? 'json' : 'csv');
  return f === 'json' ? parseJsonPlan(text) : parseCsvPlan(text);
}
