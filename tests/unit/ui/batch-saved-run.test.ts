/**
 * The Batch view's kept run (src/ui/state/batch-saved-run.ts): each finished row is kept as it
 * finishes, so a run cut short (the tab closed or killed) resumes with only what was left; a
 * plan is the same plan whatever its spacing and column order; what is kept but unreadable is
 * dropped instead of failing the view.
 */
import { describe, expect, it } from 'vitest';
import { parsePlan, runBatch, type BatchReport } from '../../../src/batch/index.ts';
import { memoryStore } from '../../../src/ui/state/idb-store.ts';
import {
  loadSavedRun,
  planKey,
  SAVED_RUN_KEY,
  saveRun,
  reportProgress,
  type SavedRun,
} from '../../../src/ui/state/batch-saved-run.ts';
import { eidOf, FakeCard, slotOf } from '../batch/fakes.ts';

const AC = (id: string): string => `LPA:1$smdp.example.com$${id}`;
const PLAN = `activationCode,eid,enable\n${AC('ROW-1')},,yes\n${AC('ROW-2')},,no\n${AC('ROW-3')},,no\n`;

describe('the kept batch run', () => {
  it('a plan is the same plan in other words, and another plan when a row changes', () => {
    const reordered = `enable , activationCode\r\nyes,${AC('ROW-1')}\r\nno,${AC('ROW-2')}\r\nno,${AC('ROW-3')}\r\n`;
    const json = JSON.stringify([
      { activationCode: AC('ROW-1'), enable: true },
      { activationCode: AC('ROW-2') },
      { activationCode: AC('ROW-3'), enable: 'no' },
    ]);
    const key = planKey(parsePlan(PLAN));
    expect(planKey(parsePlan(reordered))).toBe(key);
    expect(planKey(parsePlan(json))).toBe(key);
    expect(planKey(parsePlan(PLAN.replace('ROW-3', 'ROW-4')))).not.toBe(key);
  });

  it('a run cut short after two rows resumes with the third row only', async () => {
    const store = memoryStore();
    const plan = parsePlan(PLAN);
    const cards = [1, 2, 3].map((i) => new FakeCard(eidOf(i)));
    const startedAt = new Date(0).toISOString();
    const keep = (report: BatchReport): Promise<void> =>
      saveRun(store, {
        planText: PLAN,
        planKey: planKey(plan),
        source: 'bridge',
        bridgeUrl: 'ws://127.0.0.1:8765',
        startedAt,
        report,
      });

    // One card at a time; the tab "dies" once the second row is kept: the run is abandoned.
    const stop = new AbortController();
    let kept = 0;
    await runBatch({
      plan,
      slots: cards.map((c) => slotOf(c)),
      parallel: 1,
      signal: stop.signal,
      sink: {
        row: async (_row, report) => {
          await keep(report);
          if (++kept === 2) stop.abort();
        },
      },
    }).catch(() => undefined);

    const saved = await loadSavedRun(store);
    expect(saved).toBeDefined();
    expect(saved!.planKey).toBe(planKey(plan));
    expect(saved!).toMatchObject({ source: 'bridge', bridgeUrl: 'ws://127.0.0.1:8765', startedAt });
    expect(reportProgress(saved!.report)).toEqual({ ok: 2, rows: 3 });
    const downloadsBefore = cards.map((c) => c.calls.filter((x) => x.startsWith('download')));
    expect(downloadsBefore.flat()).toHaveLength(2);

    const resumed = await runBatch({
      plan: parsePlan(saved!.planText),
      slots: cards.map((c) => slotOf(c)),
      previous: saved!.report,
      sink: { row: (_row, report) => keep(report) },
    });
    expect(resumed.rows.map((r) => [r.row, r.result])).toEqual([
      [1, 'ok'],
      [2, 'ok'],
      [3, 'ok'],
    ]);
    // Nothing was downloaded twice: one download per row over the two runs.
    expect(cards.flatMap((c) => c.calls.filter((x) => x.startsWith('download')))).toHaveLength(3);
    expect(reportProgress((await loadSavedRun(store))!.report)).toEqual({ ok: 3, rows: 3 });
  });

  it('drops what is kept when it is not a run, and reads nothing when nothing is kept', async () => {
    const store = memoryStore();
    expect(await loadSavedRun(store)).toBeUndefined();
    for (const junk of [
      'not json',
      JSON.stringify({ planText: PLAN }),
      JSON.stringify({
        planText: PLAN,
        planKey: 'k',
        source: 'bridge',
        bridgeUrl: 8765,
        startedAt: 'x',
        report: { format: 'weblpa-batch-report', version: 1, planRows: 0, cards: [], rows: [] },
      }),
      JSON.stringify({
        planText: PLAN,
        planKey: 'k',
        source: 'virtual',
        startedAt: 'x',
        report: { format: 'weblpa-batch-report', version: 1, planRows: 0, cards: [], rows: [] },
      }),
      JSON.stringify({
        planText: PLAN,
        planKey: 'k',
        source: 'usb',
        startedAt: 'x',
        report: { format: 'something else', rows: [] },
      } satisfies Omit<SavedRun, 'report'> & { report: unknown }),
    ]) {
      await store.put(SAVED_RUN_KEY, junk);
      expect(await loadSavedRun(store)).toBeUndefined();
      expect(await store.get(SAVED_RUN_KEY)).toBeUndefined();
    }
  });
});
