import { describe, expect, it } from 'vitest';
import { parseJsonPlan, runBatch } from '../../../src/batch/index.ts';
import type { BatchEvent, CardSlot } from '../../../src/batch/index.ts';
import { eidOf, FakeCard, slotOf } from './fakes.ts';

const ac = (id: string): string => `LPA:1$smdp.example.com$${id}`;

const empty = (label: string): CardSlot => ({
  label,
  open: () => Promise.reject(new Error(`no card in ${label}`)),
});

describe('batch runner: cards that cannot be used', () => {
  it('a row left without a card ends with the error of the card it would have had', async () => {
    const a = new FakeCard(eidOf(0));
    const b = new FakeCard(eidOf(1));
    const report = await runBatch({
      plan: parseJsonPlan(
        JSON.stringify([{ ac: ac('A') }, { ac: ac('B') }, { ac: ac('C') }, { ac: ac('D') }]),
      ),
      slots: [slotOf(a, 'slot 0'), empty('slot 1'), slotOf(b, 'slot 2'), empty('slot 3')],
    });
    expect(report.rows.map((r) => [r.row, r.card, r.result])).toEqual([
      [1, 'slot 0', 'ok'],
      [2, 'slot 2', 'ok'],
      [3, 'slot 1', 'cardUnavailable'],
      [4, 'slot 3', 'cardUnavailable'],
    ]);
    expect(report.rows[2]).toMatchObject({ step: 'open', message: 'no card in slot 1', done: [] });
    expect(report.rows[2]!.eid).toBeUndefined();
    expect(report.summary).toMatchObject({ ok: 2, failed: 2, cardsUnavailable: 2 });
  });

  it('more rows than cards, usable or not: the rest is noFreeCard', async () => {
    const report = await runBatch({
      plan: parseJsonPlan(JSON.stringify([{ ac: ac('A') }, { ac: ac('B') }, { ac: ac('C') }])),
      slots: [empty('slot 0'), slotOf(new FakeCard(eidOf(0)), 'slot 1')],
    });
    expect(report.rows.map((r) => r.result)).toEqual(['ok', 'cardUnavailable', 'noFreeCard']);
    expect(report.rows[1]!.card).toBe('slot 0');
    expect(report.rows[2]!.card).toBeUndefined();
  });

  it('the card event carries what was thrown; the report keeps its English message', async () => {
    const thrown = new TypeError('slot 1 is gone');
    const events: Extract<BatchEvent, { kind: 'card' }>[] = [];
    const report = await runBatch({
      plan: parseJsonPlan(JSON.stringify([{ ac: ac('A') }, { ac: ac('B') }])),
      slots: [
        slotOf(new FakeCard(eidOf(0)), 'slot 0'),
        { label: 'slot 1', open: () => Promise.reject(thrown) },
      ],
      onEvent: (e) => {
        if (e.kind === 'card') events.push(e);
      },
    });
    const byLabel = new Map(events.map((e) => [e.card.label, e]));
    expect(byLabel.get('slot 1')!.error).toBe(thrown);
    expect(byLabel.get('slot 1')!.card).toEqual({ label: 'slot 1', error: 'slot 1 is gone' });
    expect('error' in byLabel.get('slot 0')!).toBe(false);
    expect(report.cards).toEqual([
      { label: 'slot 0', eid: eidOf(0) },
      { label: 'slot 1', error: 'slot 1 is gone' },
    ]);
    expect(JSON.stringify(report.cards)).not.toMatch(/TypeError/);
  });

  it('a row naming an EID is not given to a card that could not be read', async () => {
    const report = await runBatch({
      plan: parseJsonPlan(JSON.stringify([{ ac: ac('A'), eid: eidOf(5) }])),
      slots: [empty('slot 0')],
    });
    expect(report.rows[0]).toMatchObject({ result: 'cardNotFound', eid: eidOf(5) });
    expect(report.rows[0]!.message).toMatch(/1 card could not be read/);
  });
});
