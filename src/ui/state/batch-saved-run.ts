/**
 * The Batch view's last run over real cards (USB reader slots or the card bridge's readers),
 * kept in the app's store row by row: the plan's text, where its cards were and the report so
 * far. A tab closed, reloaded or killed in the middle of a run loses no finished row: running the
 * same plan over the same kind of cards again resumes it, as `lpa batch run` resumes from its
 * report file (docs/batch.md §4): rows that ended ok are skipped, a row that got part of the way
 * does only the steps left. Dry runs over virtual eUICCs are not kept (their cards are made
 * afresh for every run).
 */
import { checkReport, type BatchPlan, type BatchReport } from '../../batch/index.ts';
import type { KeyValueStore } from './idb-store.ts';

export const SAVED_RUN_KEY = 'weblpa.batch.savedRun';

/** Where a kept run's cards were. */
export type SavedRunSource = 'usb' | 'bridge';

export interface SavedRun {
  /** The plan as the user gave it (pasted or read from a file). */
  planText: string;
  /** The checked plan's rows, as JSON: the same plan in other words (spacing, order of columns) matches too. */
  planKey: string;
  source: SavedRunSource;
  /** The card bridge's address, for a run over its readers. */
  bridgeUrl?: string;
  /** When the run began (ISO 8601). */
  startedAt: string;
  report: BatchReport;
}

/** The key that says two plans are the same plan: their checked rows. */
export function planKey(plan: BatchPlan): string {
  return JSON.stringify(plan.rows.map((r) => ({ ...r, line: undefined })));
}

/** The kept run, or undefined when there is none or what is kept is not a run (then it is dropped). */
export async function loadSavedRun(store: KeyValueStore): Promise<SavedRun | undefined> {
  const text = await store.get(SAVED_RUN_KEY);
  if (text === undefined) return undefined;
  try {
    const o = JSON.parse(text) as Partial<Record<keyof SavedRun, unknown>>;
    if (
      typeof o.planText !== 'string' ||
      typeof o.planKey !== 'string' ||
      (o.source !== 'usb' && o.source !== 'bridge') ||
      typeof o.startedAt !== 'string' ||
      (o.bridgeUrl !== undefined && typeof o.bridgeUrl !== 'string')
    )
      throw new Error('not a saved batch run');
    // The report goes through the same checks as a report file given to the command line.
    const report = checkReport(o.report);
    return {
      planText: o.planText,
      planKey: o.planKey,
      source: o.source,
      ...(typeof o.bridgeUrl === 'string' ? { bridgeUrl: o.bridgeUrl } : {}),
      startedAt: o.startedAt,
      report,
    };
  } catch {
    await store.delete(SAVED_RUN_KEY);
    return undefined;
  }
}

/** Keeps `run` (replacing any run kept before); resolves once the store has committed it. */
export function saveRun(store: KeyValueStore, run: SavedRun): Promise<void> {
  return store.put(SAVED_RUN_KEY, JSON.stringify(run));
}

export function forgetSavedRun(store: KeyValueStore): Promise<void> {
  return store.delete(SAVED_RUN_KEY);
}

/** Rows of a report (a kept run's, or one given to resume) that ended ok, and the plan's row count. */
export function reportProgress(report: BatchReport): { ok: number; rows: number } {
  return { ok: report.rows.filter((r) => r.result === 'ok').length, rows: report.planRows };
}
