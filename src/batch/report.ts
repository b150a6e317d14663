/**
 * The batch report: one entry per plan row (its latest attempt), the cards seen and a summary,
 * as JSON and as CSV (RFC 4180; one line per finished row, appended as rows finish, and a
 * summary line at the end of each run).
 */
import type { LpaErrorReason } from '../lpa/errors.ts';
import { csvLine, parseCsv } from './csv.ts';

export type StepName = 'delete' | 'download' | 'enable' | 'nickname';
export const STEPS: readonly StepName[] = ['delete', 'download', 'enable', 'nickname'];

/** What became of the notifications a row's operations created (docs/protocol.md §8). */
export type NotificationDelivery = 'sent' | 'kept' | 'failed' | 'none';

/**
 * Result codes besides 'ok' and the LpaError codes (es9p, es10, installFailed, network, ...):
 * - cardNotFound: the row names an EID no available card has;
 * - noFreeCard: every card already has its row;
 * - cardUnavailable: the row's card could not be used (an empty reader slot, a reader another
 *   program holds): a row left without a card goes to such a card, in card order, and ends
 *   with its error.
 */
export type BatchResultCode =
  'ok' | 'cardNotFound' | 'noFreeCard' | 'cardUnavailable' | LpaErrorReason;

export interface ReportRow {
  row: number;
  eid?: string;
  /** The card slot: a state file, or a reader (and slot). */
  card?: string;
  smdpAddress: string;
  matchingId: string;
  iccid?: string;
  result: BatchResultCode;
  /** The step that failed (a flow step such as authenticateClient, or a row step). */
  step?: string;
  /** ES9+ statusCodeData from the SM-DP+ (subject and reason codes, docs/protocol.md §4.3). */
  subjectCode?: string;
  reasonCode?: string;
  /** The eUICC's ES10 result name (e.g. iccidAlreadyExistsOnEuicc, profileNotInDisabledState). */
  es10Result?: string;
  message?: string;
  /** Steps completed, in order (a rerun goes on after them on the same card). */
  done: StepName[];
  /** Whether `deleteIccid` found a profile to delete. */
  deleted?: boolean;
  notifications: NotificationDelivery;
  /** Per notification: `kind:sent|kept|failed`, space separated. */
  notificationDetail?: string;
  startedAt: string;
  durationMs: number;
  stepMs: Partial<Record<StepName, number>>;
  /** 1 for the first run of this row, counting up on reruns. */
  attempt: number;
}

export interface CardReport {
  label: string;
  eid?: string;
  /** Why the card could not be used (opened, EID read). */
  error?: string;
}

export interface BatchSummary {
  rows: number;
  ok: number;
  failed: number;
  /** Plan rows without a result (the run stopped before them). */
  notRun: number;
  /** Rows done in an earlier run, skipped in this one. */
  alreadyDone: number;
  /** Rows attempted in this run. */
  ran: number;
  cards: number;
  cardsUnavailable: number;
  parallel: number;
  startedAt: string;
  finishedAt: string;
  totalMs: number;
}

export interface BatchReport {
  format: 'weblpa-batch-report';
  version: 1;
  planRows: number;
  cards: CardReport[];
  rows: ReportRow[];
  summary?: BatchSummary;
}

export const REPORT_COLUMNS = [
  'row',
  'eid',
  'card',
  'smdpAddress',
  'matchingId',
  'iccid',
  'result',
  'step',
  'subjectCode',
  'reasonCode',
  'es10Result',
  'message',
  'done',
  'deleted',
  'notifications',
  'notificationDetail',
  'startedAt',
  'durationMs',
  'deleteMs',
  'downloadMs',
  'enableMs',
  'nicknameMs',
  'attempt',
] as const;

export function csvHeader(): string {
  return csvLine(REPORT_COLUMNS);
}

export function csvRow(r: ReportRow): string {
  const ms = (s: StepName): string => (r.stepMs[s] !== undefined ? String(r.stepMs[s]) : '');
  const cells: Record<(typeof REPORT_COLUMNS)[number], string> = {
    row: String(r.row),
    eid: r.eid ?? '',
    card: r.card ?? '',
    smdpAddress: r.smdpAddress,
    matchingId: r.matchingId,
    iccid: r.iccid ?? '',
    result: r.result,
    step: r.step ?? '',
    subjectCode: r.subjectCode ?? '',
    reasonCode: r.reasonCode ?? '',
    es10Result: r.es10Result ?? '',
    message: r.message ?? '',
    done: r.done.join('+'),
    deleted: r.deleted === undefined ? '' : String(r.deleted),
    notifications: r.notifications,
    notificationDetail: r.notificationDetail ?? '',
    startedAt: r.startedAt,
    durationMs: String(r.durationMs),
    deleteMs: ms('delete'),
    downloadMs: ms('download'),
    enableMs: ms('enable'),
    nicknameMs: ms('nickname'),
    attempt: String(r.attempt),
  };
  return csvLine(REPORT_COLUMNS.map((c) => cells[c]));
}

/** The CSV summary line: `row` is "summary", the counts are in `message`. */
export function csvSummary(s: BatchSummary): string {
  const cells: Partial<Record<(typeof REPORT_COLUMNS)[number], string>> = {
    row: 'summary',
    result: s.failed === 0 && s.notRun === 0 ? 'ok' : 'incomplete',
    message:
      `rows=${s.rows} ok=${s.ok} failed=${s.failed} notRun=${s.notRun} ` +
      `alreadyDone=${s.alreadyDone} ran=${s.ran} cards=${s.cards} ` +
      `cardsUnavailable=${s.cardsUnavailable} parallel=${s.parallel}`,
    startedAt: s.startedAt,
    durationMs: String(s.totalMs),
  };
  return csvLine(REPORT_COLUMNS.map((c) => cells[c] ?? ''));
}

/** The whole report as CSV: header, one line per row, the summary. */
export function reportCsv(report: BatchReport): string {
  return (
    csvHeader() +
    report.rows.map(csvRow).join('') +
    (report.summary ? csvSummary(report.summary) : '')
  );
}

export function reportJson(report: BatchReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** A previous report that cannot be read or does not belong to the plan. */
export class BatchReportError extends Error {
  override readonly name = 'BatchReportError';
}

function isStep(s: string): s is StepName {
  return (STEPS as readonly string[]).includes(s);
}

function checkedRow(o: unknown, where: string): ReportRow {
  if (typeof o !== 'object' || o === null) throw new BatchReportError(`${where}: not an object`);
  const r = o as Record<string, unknown>;
  const row = r['row'];
  if (typeof row !== 'number' || !Number.isSafeInteger(row) || row < 1)
    throw new BatchReportError(`${where}: no row number`);
  if (typeof r['result'] !== 'string') throw new BatchReportError(`${where}: no result`);
  if (typeof r['smdpAddress'] !== 'string' || typeof r['matchingId'] !== 'string')
    throw new BatchReportError(`${where}: no smdpAddress/matchingId`);
  const done = Array.isArray(r['done']) ? r['done'] : [];
  if (!done.every((s): s is StepName => typeof s === 'string' && isStep(s)))
    throw new BatchReportError(`${where}: unknown step in done`);
  return { ...(r as unknown as ReportRow), result: r['result'] as BatchResultCode, done };
}

/** Reads a report written by this module (JSON), e.g. to resume a batch. */
export function parseReportJson(text: string): BatchReport {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (e) {
    throw new BatchReportError(`the report is not JSON: ${(e as Error).message}`);
  }
  return checkReport(json);
}

/** A report already parsed from JSON (e.g. kept inside another record), checked as parseReportJson checks it. */
export function checkReport(json: unknown): BatchReport {
  const o = json as Partial<BatchReport> | null;
  if (typeof o !== 'object' || o === null || o.format !== 'weblpa-batch-report')
    throw new BatchReportError('not a WebLPA batch report');
  if (!Array.isArray(o.rows)) throw new BatchReportError('the report has no rows');
  return {
    format: 'weblpa-batch-report',
    version: 1,
    planRows: typeof o.planRows === 'number' ? o.planRows : 0,
    cards: Array.isArray(o.cards) ? o.cards : [],
    rows: o.rows.map((r, i) => checkedRow(r, `report row ${i + 1}`)),
    ...(o.summary ? { summary: o.summary } : {}),
  };
}

/**
 * Reads a CSV report (as appended by a run, possibly cut short): the last line of each row
 * wins; summary lines are skipped; a last line cut in the middle is ignored.
 */
export function parseReportCsv(text: string): BatchReport {
  // A process killed while appending leaves at most a partial last line: drop it.
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  let records;
  try {
    records = parseCsv(complete);
  } catch (e) {
    throw new BatchReportError(`the CSV report cannot be read: ${(e as Error).message}`);
  }
  const byRow = new Map<number, ReportRow>();
  for (const rec of records) {
    if (rec.fields[0] === 'row' || rec.fields[0] === 'summary') continue;
    if (rec.fields.length !== REPORT_COLUMNS.length)
      throw new BatchReportError(
        `line ${rec.line}: ${rec.fields.length} fields, expected ${REPORT_COLUMNS.length}`,
      );
    const get = (c: (typeof REPORT_COLUMNS)[number]): string =>
      rec.fields[REPORT_COLUMNS.indexOf(c)] ?? '';
    const opt = (c: (typeof REPORT_COLUMNS)[number]): string | undefined =>
      get(c) === '' ? undefined : get(c);
    const num = (c: (typeof REPORT_COLUMNS)[number]): number | undefined => {
      const t = opt(c);
      return t === undefined ? undefined : Number(t);
    };
    const stepMs: Partial<Record<StepName, number>> = {};
    for (const s of STEPS) {
      const v = num(`${s}Ms`);
      if (v !== undefined) stepMs[s] = v;
    }
    const raw = {
      row: Number(get('row')),
      ...(opt('eid') !== undefined ? { eid: opt('eid') } : {}),
      ...(opt('card') !== undefined ? { card: opt('card') } : {}),
      smdpAddress: get('smdpAddress'),
      matchingId: get('matchingId'),
      ...(opt('iccid') !== undefined ? { iccid: opt('iccid') } : {}),
      result: get('result'),
      ...(opt('step') !== undefined ? { step: opt('step') } : {}),
      ...(opt('subjectCode') !== undefined ? { subjectCode: opt('subjectCode') } : {}),
      ...(opt('reasonCode') !== undefined ? { reasonCode: opt('reasonCode') } : {}),
      ...(opt('es10Result') !== undefined ? { es10Result: opt('es10Result') } : {}),
      ...(opt('message') !== undefined ? { message: opt('message') } : {}),
      done: get('done') === '' ? [] : get('done').split('+'),
      ...(opt('deleted') !== undefined ? { deleted: get('deleted') === 'true' } : {}),
      notifications: get('notifications'),
      ...(opt('notificationDetail') !== undefined
        ? { notificationDetail: opt('notificationDetail') }
        : {}),
      startedAt: get('startedAt'),
      durationMs: num('durationMs') ?? 0,
      stepMs,
      attempt: num('attempt') ?? 1,
    };
    const row = checkedRow(raw, `line ${rec.line}`);
    byRow.set(row.row, row);
  }
  return {
    format: 'weblpa-batch-report',
    version: 1,
    planRows: 0,
    cards: [],
    rows: [...byRow.values()].sort((a, b) => a.row - b.row),
  };
}
