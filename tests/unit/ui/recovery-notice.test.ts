import { describe, expect, it } from 'vitest';
import type { InterruptedSession, RecoveryOutcome } from '../../../src/lpa/index.ts';
import {
  JOURNAL_KEY,
  recoveryNotice,
  storeJournal,
} from '../../../src/ui/state/recovery-notice.ts';
import { memoryStore } from '../../../src/ui/state/idb-store.ts';

const ENTRY: InterruptedSession = {
  transactionId: '00112233445566778899AABBCCDDEEFF',
  smdpAddress: 'smdp.example',
  reason: 'loadBppExecutionError',
  eid: '89049032123451234512345678901235',
  interruptedAt: '2026-01-01T00:00:00.000Z',
};

describe('the journal in the app store', () => {
  it('round-trips entries and removes the key when empty', async () => {
    const store = memoryStore();
    const j = storeJournal(store);
    expect(await j.load()).toEqual([]);
    await j.save([ENTRY, { ...ENTRY, transactionId: 'AB', cancelSessionResponse: 'BF4100' }]);
    expect(await j.load()).toEqual([
      ENTRY,
      { ...ENTRY, transactionId: 'AB', cancelSessionResponse: 'BF4100' },
    ]);
    await j.save([]);
    expect(await store.get(JOURNAL_KEY)).toBeUndefined();
  });

  it('drops what is not a well-formed entry instead of failing', async () => {
    const store = memoryStore();
    const j = storeJournal(store);
    await store.put(JOURNAL_KEY, '{not json');
    expect(await j.load()).toEqual([]);
    await store.put(
      JOURNAL_KEY,
      JSON.stringify([
        ENTRY,
        { ...ENTRY, transactionId: 'XYZ' },
        { ...ENTRY, reason: 'because' },
        { ...ENTRY, smdpAddress: '' },
        { ...ENTRY, eid: 'not an eid' },
        { ...ENTRY, cancelSessionResponse: 'zz' },
        null,
        7,
      ]),
    );
    const { eid: _eid, ...noEid } = ENTRY;
    expect(await j.load()).toEqual([ENTRY, noEid, ENTRY]);
  });
});

describe('recoveryNotice', () => {
  it('is silent when nothing was pending', () => {
    expect(recoveryNotice([])).toBeUndefined();
  });

  it.each<[RecoveryOutcome, RegExp]>([
    ['cancelled', /cancelled on the eUICC and at the server/],
    ['reported', /reported to the server as failed/],
    ['notificationPending', /send it from Notifications/],
    ['expires', /ends it when it expires/],
    ['refused', /had already closed/],
    ['kept', /tried again on the next connection/],
  ])('%s gets its own sentence naming the server', (outcome, text) => {
    const n = recoveryNotice([
      { transactionId: ENTRY.transactionId, smdpAddress: 'smdp.example', outcome },
    ]);
    expect(n).toMatch(text);
    expect(n).toContain('smdp.example');
  });
});
