import { describe, expect, it } from 'vitest';
import { BatchResumeError, parseJsonPlan, runBatch } from '../../../src/batch/index.ts';
import type { BatchReport, CardSlot, ReportRow } from '../../../src/batch/index.ts';
import { LpaError } from '../../../src/lpa/index.ts';
import { eidOf, FakeCard, slotOf } from './fakes.ts';

const ac = (id: string): string => `LPA:1$smdp.example.com$${id}`;

function plan(rows: Record<string, unknown>[]) {
  return parseJsonPlan(JSON.stringify(rows));
}

function byRow(report: BatchReport): Map<number, ReportRow> {
  return new Map(report.rows.map((r) => [r.row, r]));
}

describe('batch runner', () => {
  it('binds rows to cards by EID, deals the others out in order, one row per card', async () => {
    const cards = [0, 1, 2, 3].map((i) => new FakeCard(eidOf(i)));
    const report = await runBatch({
      plan: plan([
        { ac: ac('A') },
        { ac: ac('B'), eid: eidOf(2) },
        { ac: ac('C') },
        { ac: ac('D') },
        { ac: ac('E') },
        { ac: ac('F'), eid: eidOf(9) },
      ]),
      slots: cards.map((c) => slotOf(c)),
    });
    const rows = byRow(report);
    expect([1, 2, 3, 4].map((r) => rows.get(r)!.eid)).toEqual([
      eidOf(0),
      eidOf(2),
      eidOf(1),
      eidOf(3),
    ]);
    expect(cards[2]!.calls).toEqual([`download ${ac('B')}`]);
    expect(rows.get(5)).toMatchObject({ result: 'noFreeCard' });
    expect(rows.get(6)).toMatchObject({ result: 'cardNotFound', eid: eidOf(9) });
    expect(report.summary).toMatchObject({
      rows: 6,
      ok: 4,
      failed: 2,
      notRun: 0,
      ran: 6,
      cards: 4,
    });
  });

  it('runs the steps in order: delete (disabling first), download, enable, nickname', async () => {
    const card = new FakeCard(eidOf(1));
    card.profiles = [{ iccid: '8999001000000000011', profileState: 'enabled' }];
    const report = await runBatch({
      plan: plan([
        { ac: ac('A'), enable: true, nickname: 'Lab', deleteIccid: '8999001000000000011' },
      ]),
      slots: [slotOf(card)],
    });
    expect(card.calls).toEqual([
      'list',
      'disable',
      'delete',
      `download ${ac('A')}`,
      'enable',
      'nickname Lab',
    ]);
    const row = report.rows[0]!;
    expect(row).toMatchObject({
      result: 'ok',
      deleted: true,
      done: ['delete', 'download', 'enable', 'nickname'],
      notifications: 'kept',
      notificationDetail: 'delete:sent install:sent enable:kept',
    });
    expect(Object.keys(row.stepMs)).toEqual(['delete', 'download', 'enable', 'nickname']);
    expect(card.profiles).toEqual([
      expect.objectContaining({
        iccid: row.iccid,
        profileState: 'enabled',
        profileNickname: 'Lab',
      }),
    ]);
  });

  it('records a failing row with its SGP.22 codes and goes on with the other cards', async () => {
    const failing = new FakeCard(eidOf(1), {
      beforeDownload: () => {
        throw new LpaError('installFailed', 'refused', {
          step: 'loadBoundProfilePackage',
          details: { resultName: 'iccidAlreadyExistsOnEuicc', resultCode: 9 },
        });
      },
    });
    const refused = new FakeCard(eidOf(2), {
      beforeDownload: () => {
        throw new LpaError('es9p', 'refused', {
          step: 'authenticateClient',
          details: { subjectCode: '8.2.6', reasonCode: '3.8' },
        });
      },
    });
    const good = new FakeCard(eidOf(3));
    const broken: CardSlot = {
      label: 'broken',
      open: () => Promise.reject(new Error('no card in the reader')),
    };
    const report = await runBatch({
      plan: plan([{ ac: ac('A'), enable: true }, { ac: ac('B') }, { ac: ac('C') }]),
      slots: [broken, slotOf(failing), slotOf(refused), slotOf(good)],
    });
    const rows = byRow(report);
    expect(rows.get(1)).toMatchObject({
      eid: eidOf(1),
      result: 'installFailed',
      step: 'loadBoundProfilePackage',
      es10Result: 'iccidAlreadyExistsOnEuicc',
      done: [],
      notifications: 'none',
    });
    expect(failing.calls).not.toContain('enable');
    expect(rows.get(2)).toMatchObject({ result: 'es9p', subjectCode: '8.2.6', reasonCode: '3.8' });
    expect(rows.get(3)).toMatchObject({ result: 'ok', eid: eidOf(3) });
    expect(report.cards[0]).toEqual({ label: 'broken', error: 'no card in the reader' });
    expect(report.summary).toMatchObject({ ok: 1, failed: 2, cardsUnavailable: 1 });
  });

  it('keeps at most `parallel` cards busy at once', async () => {
    let busy = 0;
    let most = 0;
    const hooks = {
      beforeDownload: async () => {
        busy++;
        most = Math.max(most, busy);
        await new Promise((r) => setTimeout(r, 5));
        busy--;
      },
    };
    const cards = [0, 1, 2, 3, 4, 5].map((i) => new FakeCard(eidOf(i), hooks));
    const rows = cards.map((_, i) => ({ ac: ac(`R${i}`) }));
    await runBatch({ plan: plan(rows), slots: cards.map((c) => slotOf(c)), parallel: 2 });
    expect(most).toBe(2);
    busy = most = 0;
    await runBatch({ plan: plan(rows), slots: cards.map((c) => slotOf(c)), parallel: 1 });
    expect(most).toBe(1);
  });

  it('resumes: skips rows done, finishes a half-done row on its card without downloading again', async () => {
    const cards = [0, 1, 2].map((i) => new FakeCard(eidOf(i)));
    let enableFails = true;
    const original = cards[1]!.enableProfile.bind(cards[1]);
    cards[1]!.enableProfile = (ref) => {
      if (enableFails)
        return Promise.reject(new LpaError('es10', 'busy', { details: { resultName: 'catBusy' } }));
      return original(ref);
    };
    const p = plan([
      { ac: ac('A') },
      { ac: ac('B'), enable: true },
      { ac: ac('C'), eid: eidOf(9) },
    ]);
    const sinkRows: number[] = [];
    const first = await runBatch({
      plan: p,
      slots: cards.map((c) => slotOf(c)),
      sink: {
        row: (row, report) => {
          sinkRows.push(row.row);
          expect(report.rows).toContainEqual(row);
        },
      },
    });
    expect(byRow(first).get(2)).toMatchObject({
      result: 'es10',
      es10Result: 'catBusy',
      step: 'enable',
      done: ['download'],
    });
    expect(sinkRows.sort()).toEqual([1, 2, 3]);
    for (const c of cards) c.calls.length = 0;

    enableFails = false;
    // Card order changed: the half-done row still goes back to its card (by EID).
    const second = await runBatch({
      plan: p,
      slots: [cards[2]!, cards[1]!, cards[0]!].map((c) => slotOf(c)),
      previous: JSON.parse(JSON.stringify(first)) as BatchReport,
    });
    expect(cards[0]!.calls).toEqual([]);
    expect(cards[1]!.calls).toEqual(['enable']);
    expect(cards[2]!.calls).toEqual([]);
    const row2 = byRow(second).get(2)!;
    expect(row2).toMatchObject({
      result: 'ok',
      eid: eidOf(1),
      done: ['download', 'enable'],
      attempt: 2,
    });
    expect(row2.iccid).toBe(byRow(first).get(2)!.iccid);
    expect(byRow(second).get(1)).toEqual(byRow(first).get(1));
    expect(byRow(second).get(3)).toMatchObject({ result: 'cardNotFound', attempt: 2 });
    expect(second.summary).toMatchObject({ ok: 2, failed: 1, alreadyDone: 1, ran: 2 });
  });

  it('refuses a previous report of another plan', async () => {
    const card = new FakeCard(eidOf(0));
    const first = await runBatch({ plan: plan([{ ac: ac('A') }]), slots: [slotOf(card)] });
    await expect(
      runBatch({ plan: plan([{ ac: ac('Z') }]), slots: [slotOf(card)], previous: first }),
    ).rejects.toThrow(BatchResumeError);
    await expect(
      runBatch({
        plan: plan([{ ac: ac('A') }, { ac: ac('B') }]),
        slots: [slotOf(card)],
        previous: { ...first, rows: [{ ...first.rows[0]!, row: 3 }] },
      }),
    ).rejects.toThrow('row 3');
  });

  it('does not open the cards when every row is done', async () => {
    const card = new FakeCard(eidOf(0));
    const p = plan([{ ac: ac('A') }]);
    const first = await runBatch({ plan: p, slots: [slotOf(card)] });
    let opened = 0;
    const slot: CardSlot = {
      label: 'x',
      open: () => {
        opened++;
        return Promise.reject(new Error('no'));
      },
    };
    const again = await runBatch({ plan: p, slots: [slot], previous: first });
    expect(opened).toBe(0);
    expect(again.summary).toMatchObject({ ok: 1, alreadyDone: 1, ran: 0 });
  });
});
