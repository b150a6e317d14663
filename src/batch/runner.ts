/**
 * Runs a batch plan over a set of card slots: every card is opened and its EID read first;
 * rows naming an EID go to that card, the other rows, in plan order, to the cards no row names
 * (one row per card). Each card runs its row's steps in order (delete the old profile, download,
 * enable, nickname); cards run in parallel, at most `parallel` at a time. A failing row records
 * its error and the batch goes on with the other cards.
 *
 * Resuming: given the previous report, rows that ended 'ok' are skipped; a row that got part of
 * the way (e.g. installed but not enabled) goes back to the same card (by EID) and does only the
 * steps left, so nothing is downloaded twice.
 *
 * Each finished row goes to the sink at once (the CLI writes it to disk before the next row is
 * reported), so a process killed between rows loses nothing.
 */
import type { DownloadOptions, DownloadResult, Lpa, NotificationSendResult } from '../lpa/index.ts';
import type { BatchPlan, PlanRow } from './plan.ts';
import type {
  BatchReport,
  BatchResultCode,
  BatchSummary,
  CardReport,
  NotificationDelivery,
  ReportRow,
  StepName,
} from './report.ts';

/** What the runner needs of an LPA (Lpa has it; tests may give less). */
export type BatchLpa = Pick<
  Lpa,
  | 'getEid'
  | 'listProfiles'
  | 'download'
  | 'enableProfile'
  | 'disableProfile'
  | 'deleteProfile'
  | 'setNickname'
>;

export interface OpenCard {
  lpa: BatchLpa;
  close(): Promise<void>;
}

/** One card: a reader (and slot), a state file, a virtual eUICC. */
export interface CardSlot {
  label: string;
  open(signal?: AbortSignal): Promise<OpenCard>;
}

/** Where finished rows go as they finish (a file, a table on screen). */
export interface ReportSink {
  /** Called once per finished row, in order, never concurrently; `report` holds it already. */
  row(row: ReportRow, report: BatchReport): Promise<void> | void;
  /** Called once at the end with the summary in `report`. */
  finish?(report: BatchReport): Promise<void> | void;
}

export type BatchEvent =
  | {
      kind: 'card';
      card: CardReport;
      /**
       * What was thrown when the card could not be opened or its EID read (there when
       * `card.error` is), for callers that word it in their own language; the report keeps the
       * error's own (English) message in `card.error`.
       */
      error?: unknown;
    }
  | { kind: 'rowStart'; row: number; card: string; eid: string }
  | { kind: 'rowStep'; row: number; step: StepName }
  | { kind: 'rowDone'; row: ReportRow };

export interface RunBatchOptions {
  plan: BatchPlan;
  slots: readonly CardSlot[];
  /** How many cards work at once (default: all). */
  parallel?: number;
  /** The report of an earlier run of this plan: its 'ok' rows are skipped. */
  previous?: BatchReport;
  sink?: ReportSink;
  onEvent?: (e: BatchEvent) => void;
  signal?: AbortSignal;
  /** Clock for durations and timestamps (tests). */
  now?: () => number;
}

/** A previous report that does not fit the plan (another plan, or the plan was edited). */
export class BatchResumeError extends Error {
  override readonly name = 'BatchResumeError';
}

interface ErrorLike {
  reason?: unknown;
  message?: unknown;
  step?: unknown;
  details?: unknown;
}

function errorFields(
  e: unknown,
): Pick<ReportRow, 'result' | 'step' | 'subjectCode' | 'reasonCode' | 'es10Result' | 'message'> {
  const o = (typeof e === 'object' && e !== null ? e : {}) as ErrorLike;
  const details = (typeof o.details === 'object' && o.details !== null ? o.details : {}) as Record<
    string,
    unknown
  >;
  const s = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  const subjectCode = s(details['subjectCode']);
  const reasonCode = s(details['reasonCode']);
  const es10Result = s(details['resultName']);
  const step = s(o.step);
  return {
    result:
      typeof o.reason === 'string' && o.reason !== '' && o.reason !== 'ok'
        ? (o.reason as BatchResultCode)
        : 'internal',
    ...(step !== undefined ? { step } : {}),
    ...(subjectCode !== undefined ? { subjectCode } : {}),
    ...(reasonCode !== undefined ? { reasonCode } : {}),
    ...(es10Result !== undefined ? { es10Result } : {}),
    message: e instanceof Error ? e.message : String(e),
  };
}

function deliveryOf(results: readonly NotificationSendResult[]): {
  notifications: NotificationDelivery;
  notificationDetail?: string;
} {
  if (results.length === 0) return { notifications: 'none' };
  const state = (r: NotificationSendResult): 'sent' | 'kept' | 'failed' =>
    r.sent ? 'sent' : r.kept ? 'kept' : 'failed';
  const states = results.map(state);
  return {
    notifications: states.includes('failed') ? 'failed' : states.includes('kept') ? 'kept' : 'sent',
    notificationDetail: results
      .map((r, i) => `${r.profileManagementOperation}:${states[i]!}`)
      .join(' '),
  };
}

interface Opened {
  slot: CardSlot;
  index: number;
  card?: OpenCard;
  eid?: string;
  /** The message of `thrown`, when the card could not be opened or read. */
  error?: string;
  thrown?: unknown;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (t: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function sameTarget(a: { smdpAddress: string; matchingId: string }, b: PlanRow): boolean {
  return (
    a.smdpAddress.toLowerCase() === b.smdpAddress.toLowerCase() && a.matchingId === b.matchingId
  );
}

export async function runBatch(options: RunBatchOptions): Promise<BatchReport> {
  const { plan, slots, signal } = options;
  const now = options.now ?? (() => Date.now());
  const parallel = Math.max(1, Math.floor(options.parallel ?? slots.length) || 1);
  const started = now();

  // ---- what the earlier run left ------------------------------------------------------
  const previous = new Map<number, ReportRow>();
  for (const r of options.previous?.rows ?? []) {
    const planRow = plan.rows.find((p) => p.row === r.row);
    if (planRow === undefined)
      throw new BatchResumeError(`the previous report has row ${r.row}, the plan does not`);
    if (!sameTarget(r, planRow))
      throw new BatchResumeError(
        `row ${r.row} of the previous report is for ${r.smdpAddress} / "${r.matchingId}", ` +
          `the plan's row for ${planRow.smdpAddress} / "${planRow.matchingId}": another plan?`,
      );
    if (planRow.eid !== undefined && r.eid !== undefined && r.eid !== planRow.eid)
      throw new BatchResumeError(
        `row ${r.row} of the previous report ran on EID ${r.eid}, the plan names ${planRow.eid}`,
      );
    previous.set(r.row, r);
  }
  const report: BatchReport = {
    format: 'weblpa-batch-report',
    version: 1,
    planRows: plan.rows.length,
    cards: [],
    rows: [...previous.values()].sort((a, b) => a.row - b.row),
  };

  let sinkChain: Promise<void> = Promise.resolve();
  let sinkError: Error | undefined;
  const record = (row: ReportRow): Promise<void> => {
    const i = report.rows.findIndex((r) => r.row === row.row);
    if (i >= 0) report.rows[i] = row;
    else {
      report.rows.push(row);
      report.rows.sort((a, b) => a.row - b.row);
    }
    options.onEvent?.({ kind: 'rowDone', row });
    const snapshot = { ...report, rows: [...report.rows] };
    sinkChain = sinkChain.then(async () => {
      if (sinkError !== undefined) return;
      try {
        await options.sink?.row(row, snapshot);
      } catch (e) {
        sinkError = e instanceof Error ? e : new Error('the report sink failed', { cause: e });
      }
    });
    return sinkChain;
  };

  const pending = plan.rows.filter((r) => previous.get(r.row)?.result !== 'ok');
  const alreadyDone = plan.rows.length - pending.length;

  // ---- open every card, read its EID ---------------------------------------------------
  const opened: Opened[] = slots.map((slot, index) => ({ slot, index }));
  const openLimit = pending.length === 0 ? 0 : parallel;
  if (openLimit > 0)
    await pool(opened, openLimit, async (o) => {
      if (signal?.aborted) return;
      try {
        o.card = await o.slot.open(signal);
        o.eid = await o.card.lpa.getEid(signal);
      } catch (e) {
        o.error = e instanceof Error ? e.message : String(e);
        o.thrown = e;
        if (o.card) await o.card.close().catch(() => undefined);
        delete o.card;
      }
      const c: CardReport = {
        label: o.slot.label,
        ...(o.eid !== undefined ? { eid: o.eid } : {}),
        ...(o.error !== undefined ? { error: o.error } : {}),
      };
      report.cards[o.index] = c;
      options.onEvent?.({
        kind: 'card',
        card: c,
        ...(o.error !== undefined ? { error: o.thrown } : {}),
      });
    });
  report.cards = report.cards.filter((c): c is CardReport => c !== undefined);

  try {
    // ---- rows to cards ------------------------------------------------------------------
    const usable = opened.filter((o) => o.card !== undefined && o.eid !== undefined);
    const byEid = new Map(usable.map((o) => [o.eid!, o]));
    const taken = new Set<string>();
    for (const r of plan.rows) if (r.eid !== undefined) taken.add(r.eid);
    for (const r of previous.values())
      if (r.eid !== undefined && (r.result === 'ok' || r.done.length > 0)) taken.add(r.eid);
    const queue = new Map<Opened, PlanRow[]>();
    const unassigned: {
      row: PlanRow;
      result: BatchResultCode;
      message: string;
      card?: string;
    }[] = [];
    const free = usable.filter((o) => !taken.has(o.eid!));
    const failedCards = opened.filter((o) => o.error !== undefined);
    const unavailable = failedCards.length;
    for (const row of pending) {
      const prev = previous.get(row.row);
      const target = row.eid ?? (prev !== undefined && prev.done.length > 0 ? prev.eid : undefined);
      let card: Opened | undefined;
      if (target !== undefined) {
        card = byEid.get(target);
        if (card === undefined) {
          unassigned.push({
            row,
            result: 'cardNotFound',
            message:
              `no card with EID ${target}` +
              (unavailable > 0
                ? ` (${unavailable} card${unavailable === 1 ? '' : 's'} could not be read)`
                : ''),
          });
          continue;
        }
      } else {
        card = free.shift();
        if (card === undefined) {
          // The card this row would have had, had it opened: the row ends with that card's error.
          const failed = failedCards.shift();
          if (failed !== undefined)
            unassigned.push({
              row,
              result: 'cardUnavailable',
              message: failed.error!,
              card: failed.slot.label,
            });
          else
            unassigned.push({
              row,
              result: 'noFreeCard',
              message: 'every card already has its row',
            });
          continue;
        }
      }
      const list = queue.get(card) ?? [];
      list.push(row);
      queue.set(card, list);
    }
    for (const u of unassigned) {
      const prev = previous.get(u.row.row);
      await record({
        row: u.row.row,
        smdpAddress: u.row.smdpAddress,
        matchingId: u.row.matchingId,
        ...(u.row.eid !== undefined ? { eid: u.row.eid } : {}),
        ...(u.card !== undefined ? { card: u.card, step: 'open' } : {}),
        ...(prev?.iccid !== undefined ? { iccid: prev.iccid } : {}),
        result: u.result,
        message: u.message,
        done: prev?.done ?? [],
        notifications: 'none',
        startedAt: new Date(now()).toISOString(),
        durationMs: 0,
        stepMs: {},
        attempt: (prev?.attempt ?? 0) + 1,
      });
    }

    // ---- the rows, card by card ---------------------------------------------------------
    await pool([...queue.entries()], parallel, async ([card, rows]) => {
      for (const row of rows) {
        if (signal?.aborted) return;
        await record(await runRow(card, row, previous.get(row.row), now, options));
      }
    });
  } finally {
    await Promise.all(
      opened.map(async (o) => {
        await o.card?.close().catch(() => undefined);
      }),
    );
  }
  await sinkChain;
  if (sinkError !== undefined) throw sinkError;

  const finished = now();
  const ok = report.rows.filter((r) => r.result === 'ok').length;
  const summary: BatchSummary = {
    rows: plan.rows.length,
    ok,
    failed: report.rows.length - ok,
    notRun: plan.rows.length - report.rows.length,
    alreadyDone,
    ran: report.rows.filter((r) => !(previous.get(r.row) === r)).length,
    cards: slots.length,
    cardsUnavailable: opened.filter((o) => o.error !== undefined).length,
    parallel,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    totalMs: finished - started,
  };
  report.summary = summary;
  await options.sink?.finish?.(report);
  return report;
}

async function runRow(
  card: Opened,
  row: PlanRow,
  prev: ReportRow | undefined,
  now: () => number,
  options: RunBatchOptions,
): Promise<ReportRow> {
  const lpa = card.card!.lpa;
  const signal = options.signal;
  const eid = card.eid!;
  const start = now();
  const done: StepName[] = prev !== undefined && prev.eid === eid ? [...prev.done] : [];
  let iccid = prev !== undefined && prev.eid === eid ? prev.iccid : undefined;
  let deleted = prev?.deleted;
  const stepMs: Partial<Record<StepName, number>> = {};
  const notifications: NotificationSendResult[] = [];
  options.onEvent?.({ kind: 'rowStart', row: row.row, card: card.slot.label, eid });
  const step = async (name: StepName, body: () => Promise<void>): Promise<void> => {
    if (done.includes(name)) return;
    options.onEvent?.({ kind: 'rowStep', row: row.row, step: name });
    const t = now();
    try {
      await body();
    } finally {
      stepMs[name] = now() - t;
    }
    done.push(name);
  };
  const base = (): Omit<ReportRow, 'result' | 'notifications'> => ({
    row: row.row,
    eid,
    card: card.slot.label,
    smdpAddress: row.smdpAddress,
    matchingId: row.matchingId,
    ...(iccid !== undefined ? { iccid } : {}),
    done: [...done],
    ...(deleted !== undefined ? { deleted } : {}),
    startedAt: new Date(start).toISOString(),
    durationMs: now() - start,
    stepMs,
    attempt: (prev?.attempt ?? 0) + 1,
  });
  let failedStep: StepName | undefined;
  try {
    if (row.deleteIccid !== undefined) {
      const target = row.deleteIccid;
      failedStep = 'delete';
      await step('delete', async () => {
        const found = (await lpa.listProfiles({}, signal)).find((p) => p.iccid === target);
        deleted = found !== undefined;
        if (found === undefined) return;
        if (found.profileState === 'enabled')
          notifications.push(
            ...(await lpa.disableProfile({ iccid: target }, signal ? { signal } : {}))
              .notifications,
          );
        notifications.push(
          ...(await lpa.deleteProfile({ iccid: target }, signal ? { signal } : {})).notifications,
        );
      });
    }
    failedStep = 'download';
    await step('download', async () => {
      const cc = row.confirmationCode;
      const opts: DownloadOptions = {
        ...(row.activationCode !== undefined
          ? { activationCode: row.activationCode }
          : { smdpAddress: row.smdpAddress, matchingId: row.matchingId }),
        confirmationCode: () => Promise.resolve(cc ?? null),
        confirm: () => Promise.resolve(true),
        ...(signal ? { signal } : {}),
      };
      const result: DownloadResult = await lpa.download(opts);
      iccid = result.iccid;
      notifications.push(result.notification);
    });
    if (row.enable) {
      failedStep = 'enable';
      await step('enable', async () => {
        if (iccid === undefined) throw new Error('the installed profile has no ICCID to enable');
        notifications.push(
          ...(await lpa.enableProfile({ iccid }, signal ? { signal } : {})).notifications,
        );
      });
    }
    if (row.nickname !== undefined) {
      const nickname = row.nickname;
      failedStep = 'nickname';
      await step('nickname', async () => {
        if (iccid === undefined) throw new Error('the installed profile has no ICCID to name');
        await lpa.setNickname(iccid, nickname, signal);
      });
    }
    return { ...base(), result: 'ok', ...deliveryOf(notifications) };
  } catch (e) {
    const fields = errorFields(e);
    return {
      ...base(),
      ...deliveryOf(notifications),
      ...fields,
      step: fields.step ?? failedStep ?? 'download',
    };
  }
}
