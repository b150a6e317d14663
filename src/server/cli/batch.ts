/**
 * `lpa batch run <plan> [--state f ...| --reader all | --reader r ...] [--report out]
 * [--parallel n]`: the batch runner (src/batch) over software eUICC state files or the cards in
 * PC/SC readers, with the report kept on disk as rows finish:
 *
 * - `<out>.json`: the whole report, replaced atomically after every row (temp file, fsync,
 *   rename, fsync of the directory), so it is always complete up to the last finished row;
 * - `<out>.csv`: one line appended (and fsynced) per finished row, a summary line per run.
 *
 * When `<out>.json` (or, failing that, `<out>.csv`) exists, the run resumes it: rows done are
 * skipped, rows that got part of the way go on where they stopped.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { extname } from 'node:path';
import { Card, openIsdR } from '../../apdu/index.ts';
import type { IsdR } from '../../apdu/index.ts';
import {
  BatchPlanError,
  BatchReportError,
  BatchResumeError,
  csvHeader,
  csvRow,
  csvSummary,
  parsePlan,
  parseReportCsv,
  parseReportJson,
  reportJson,
  runBatch,
} from '../../batch/index.ts';
import type {
  BatchPlan,
  BatchReport,
  BatchSummary,
  CardSlot,
  OpenCard,
  ReportRow,
  ReportSink,
} from '../../batch/index.ts';
import { getEid } from '../../es10/index.ts';
import { toLpaError } from '../../lpa/index.ts';
import { listPcscReaders, openPcscTransport } from '../../transport/pcsc/index.ts';
import type { PcscOptions } from '../../transport/pcsc/index.ts';
import { lpaOptions } from './commands.ts';
import type { CliValues } from './commands.ts';
import { CliInputError, UsageError } from './json.ts';
import { acquireStateLock, DEFAULT_LOCK_TIMEOUT_MS } from './lock.ts';
import {
  fileJournal,
  journalDirectory,
  lpaOver,
  lpaOverCard,
  loadEuicc,
  readerJournalPath,
  StatePersistence,
  writeFileDurably,
} from './stack.ts';

function str(v: CliValues, key: string): string | undefined {
  const x = v[key];
  return typeof x === 'string' ? x : Array.isArray(x) ? x.at(-1) : undefined;
}

function list(v: CliValues, key: string): string[] {
  const x = v[key];
  return Array.isArray(x) ? x : typeof x === 'string' ? [x] : [];
}

/** Appends `text` to the file open as `fd` and makes it durable before returning. */
function appendDurably(fd: number, text: string): void {
  const bytes = new TextEncoder().encode(text);
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  fsyncSync(fd);
}

/** The report files of a run: `<base>.json` and `<base>.csv`. */
export interface ReportPaths {
  json: string;
  csv: string;
}

export function reportPaths(planPath: string, given: string | undefined): ReportPaths {
  const base =
    given !== undefined && given !== ''
      ? given.replace(/\.(json|csv)$/i, '')
      : planPath.slice(0, planPath.length - extname(planPath).length) + '.report';
  return { json: `${base}.json`, csv: `${base}.csv` };
}

/** The report of an earlier run at `paths`, if any: the JSON file, else the CSV log. */
export function loadPreviousReport(paths: ReportPaths): BatchReport | undefined {
  const read = (path: string): string | undefined => {
    if (!existsSync(path)) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      throw new CliInputError(`cannot read the report ${path}: ${(e as Error).message}`);
    }
  };
  try {
    const json = read(paths.json);
    if (json !== undefined) return parseReportJson(json);
    const csv = read(paths.csv);
    if (csv !== undefined && csv.trim() !== '') return parseReportCsv(csv);
  } catch (e) {
    if (e instanceof BatchReportError)
      throw new CliInputError(
        `${paths.json} / ${paths.csv}: ${e.message} (move it away to start afresh)`,
      );
    throw e;
  }
  return undefined;
}

/**
 * Writes the report as rows finish: the JSON replaced atomically, the CSV appended line by line,
 * both fsynced before the next row is reported.
 */
export class FileReportSink implements ReportSink {
  private fd: number | undefined;

  constructor(private readonly paths: ReportPaths) {}

  private csvFd(): number {
    if (this.fd !== undefined) return this.fd;
    let size: number;
    try {
      size = statSync(this.paths.csv).size;
    } catch {
      size = 0;
    }
    if (size > 0) {
      // A process killed while appending leaves a partial last line: cut it off.
      const bytes = readFileSync(this.paths.csv);
      const end = bytes.lastIndexOf(0x0a) + 1;
      if (end !== bytes.length) truncateSync(this.paths.csv, end);
      size = end;
    }
    const fd = openSync(this.paths.csv, 'a', 0o600);
    if (size === 0) appendDurably(fd, csvHeader());
    this.fd = fd;
    return fd;
  }

  /** Creates the files for a fresh run (header, empty report), so a kill before row 1 leaves them. */
  start(report: BatchReport): void {
    this.csvFd();
    if (!existsSync(this.paths.json)) writeFileDurably(this.paths.json, reportJson(report));
  }

  row(row: ReportRow, report: BatchReport): void {
    appendDurably(this.csvFd(), csvRow(row));
    writeFileDurably(this.paths.json, reportJson(report));
  }

  finish(report: BatchReport): void {
    if (report.summary) appendDurably(this.csvFd(), csvSummary(report.summary));
    writeFileDurably(this.paths.json, reportJson(report));
    this.close();
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function lockTimeoutOf(v: CliValues): number {
  const text = str(v, 'lock-timeout');
  const ms = text === undefined ? DEFAULT_LOCK_TIMEOUT_MS : Number(text);
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new UsageError('--lock-timeout wants milliseconds');
  return ms;
}

/** A software eUICC in a state file: locked, loaded and saved as the single commands do. */
export function stateSlot(path: string, v: CliValues, log: (line: string) => void): CardSlot {
  const timeoutMs = lockTimeoutOf(v);
  return {
    label: path,
    open: async (): Promise<OpenCard> => {
      const lock = await acquireStateLock(path, { timeoutMs });
      try {
        const euicc = loadEuicc(path);
        const persistence = new StatePersistence(path, euicc);
        const stack = lpaOver(
          persistence.transport(),
          lpaOptions(v, fileJournal(`${path}.sessions.json`), log),
        );
        return {
          lpa: stack.lpa,
          close: async () => {
            try {
              await stack.close();
              persistence.sync();
            } finally {
              lock.release();
            }
          },
        };
      } catch (e) {
        lock.release();
        throw e;
      }
    },
  };
}

/** The eUICC in a PC/SC reader (named as `reader list` shows it; the name carries the slot). */
export function readerSlot(
  reader: string,
  v: CliValues,
  log: (line: string) => void,
  pcsc: PcscOptions = {},
): CardSlot {
  const timeoutMs = lockTimeoutOf(v);
  const slot: CardSlot = {
    label: `reader ${reader}`,
    open: async (): Promise<OpenCard> => {
      const transport = await openPcscTransport({
        ...pcsc,
        reader,
        exclusive: v['exclusive'] === true,
      });
      slot.label = `reader ${transport.readerName}`;
      let isdR: IsdR | undefined;
      try {
        const card = new Card(transport);
        let eid: string;
        try {
          isdR = await openIsdR(card);
          eid = await getEid(isdR);
        } catch (e) {
          throw toLpaError(e, 'getEid');
        }
        const dir = journalDirectory(str(v, 'journal-dir'));
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const journalPath = readerJournalPath(dir, eid);
        const lock = await acquireStateLock(journalPath, { timeoutMs });
        const stack = lpaOverCard(card, isdR, lpaOptions(v, fileJournal(journalPath), log));
        return {
          lpa: stack.lpa,
          close: async () => {
            try {
              await stack.close();
            } finally {
              lock.release();
            }
          },
        };
      } catch (e) {
        await isdR?.close().catch(() => undefined);
        await transport.close();
        throw e;
      }
    },
  };
  return slot;
}

/** The card slots the command line names. */
export async function slotsOf(
  v: CliValues,
  log: (line: string) => void,
  pcsc: PcscOptions = {},
): Promise<CardSlot[]> {
  const states = list(v, 'state');
  const readers = list(v, 'reader');
  if (states.length > 0 && readers.length > 0)
    throw new UsageError('give either --state files or --reader, not both');
  if (states.length === 0 && readers.length === 0)
    throw new UsageError(
      'batch run needs cards: --state <file> (repeatable) or --reader all|<name>',
    );
  const twice = (xs: readonly string[]): string | undefined =>
    xs.find((x, i) => xs.indexOf(x) !== i);
  if (states.length > 0) {
    const dup = twice(states);
    if (dup !== undefined) throw new UsageError(`--state ${dup} is given twice`);
    return states.map((p) => stateSlot(p, v, log));
  }
  if (readers.includes('all')) {
    if (readers.length > 1) throw new UsageError('--reader all takes no other --reader');
    const found = (await listPcscReaders(pcsc)).filter((r) => r.cardPresent);
    if (found.length === 0) throw new CliInputError('no PC/SC reader has a card in it');
    return found.map((r) => readerSlot(r.name, v, log, pcsc));
  }
  const dup = twice(readers);
  if (dup !== undefined) throw new UsageError(`--reader ${dup} is given twice`);
  return readers.map((r) => readerSlot(r, v, log, pcsc));
}

export function readPlan(path: string): BatchPlan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliInputError(`cannot read the plan ${path}: ${(e as Error).message}`);
  }
  const ext = extname(path).toLowerCase();
  try {
    return parsePlan(text, ext === '.json' ? 'json' : ext === '.csv' ? 'csv' : undefined);
  } catch (e) {
    // Every problem, with its row, in the message: {error: {code: "badInput", message}}.
    if (e instanceof BatchPlanError) throw new CliInputError(`${path}: ${e.message}`);
    throw e;
  }
}

export interface BatchOutput {
  summary: BatchSummary;
  complete: boolean;
  report: ReportPaths;
  /** The rows that did not end 'ok', in short. */
  failed: Pick<
    ReportRow,
    | 'row'
    | 'eid'
    | 'card'
    | 'result'
    | 'step'
    | 'subjectCode'
    | 'reasonCode'
    | 'es10Result'
    | 'message'
  >[];
}

/** A batch whose rows did not all end 'ok' makes the command exit 1. */
export function isIncompleteBatch(out: unknown): boolean {
  return typeof out === 'object' && out !== null && 'complete' in out && out.complete === false;
}

/** `batch run <plan>`: see the header comment. */
export async function batchCommand(
  pos: readonly string[],
  v: CliValues,
  log: (line: string) => void,
  pcsc: PcscOptions = {},
): Promise<BatchOutput> {
  if (pos[1] !== 'run') throw new UsageError(`unknown batch command "${pos.slice(1).join(' ')}"`);
  const planPath = pos[2];
  if (planPath === undefined) throw new UsageError('missing <plan> (a CSV or JSON file)');
  if (pos.length > 3) throw new UsageError(`unexpected "${pos.slice(3).join(' ')}"`);
  const parallelText = str(v, 'parallel');
  const parallel = parallelText === undefined ? undefined : Number(parallelText);
  if (parallel !== undefined && (!Number.isSafeInteger(parallel) || parallel < 1))
    throw new UsageError('--parallel wants a whole number of cards (1 or more)');
  const plan = readPlan(planPath);
  const slots = await slotsOf(v, log, pcsc);
  const paths = reportPaths(planPath, str(v, 'report'));
  const previous = loadPreviousReport(paths);
  const sink = new FileReportSink(paths);
  sink.start({
    format: 'weblpa-batch-report',
    version: 1,
    planRows: plan.rows.length,
    cards: [],
    rows: previous?.rows ?? [],
  });
  let report: BatchReport;
  try {
    report = await runBatch({
      plan,
      slots,
      ...(parallel !== undefined ? { parallel } : {}),
      ...(previous ? { previous } : {}),
      sink,
      onEvent: (e) => {
        if (e.kind === 'card')
          log(
            `card ${e.card.label}: ${e.card.eid !== undefined ? `EID ${e.card.eid}` : `unavailable (${e.card.error ?? ''})`}`,
          );
        else if (e.kind === 'rowStep') log(`row ${e.row}: ${e.step}`);
        else if (e.kind === 'rowDone')
          log(
            `row ${e.row.row}: ${e.row.result}${e.row.iccid !== undefined ? ` ICCID ${e.row.iccid}` : ''} (${e.row.durationMs} ms)`,
          );
      },
    });
  } catch (e) {
    if (e instanceof BatchResumeError)
      throw new CliInputError(`${paths.json}: ${e.message} (move it away to start afresh)`);
    throw e;
  } finally {
    sink.close();
  }
  const summary = report.summary!;
  return {
    summary,
    complete: summary.failed === 0 && summary.notRun === 0,
    report: paths,
    failed: report.rows
      .filter((r) => r.result !== 'ok')
      .map((r) => ({
        row: r.row,
        ...(r.eid !== undefined ? { eid: r.eid } : {}),
        ...(r.card !== undefined ? { card: r.card } : {}),
        result: r.result,
        ...(r.step !== undefined ? { step: r.step } : {}),
        ...(r.subjectCode !== undefined ? { subjectCode: r.subjectCode } : {}),
        ...(r.reasonCode !== undefined ? { reasonCode: r.reasonCode } : {}),
        ...(r.es10Result !== undefined ? { es10Result: r.es10Result } : {}),
        ...(r.message !== undefined ? { message: r.message } : {}),
      })),
  };
}
