/**
 * Downloads cut off by a lost card or an unreachable SM-DP+, finished on the next connection
 * (src/lpa/interrupted.ts): software eUICC, the local SM-DP+ over real HTTP, the LPA as the CLI
 * wires it. What the SM-DP+ saw is read from its /state snapshot.
 */
import { describe, expect, it } from 'vitest';
import type { Es10Link } from '../../../src/apdu/es10-link.ts';
import { createTestIdentity, SoftwareEuicc } from '../../../src/euicc/index.ts';
import { memoryJournal } from '../../../src/lpa/index.ts';
import type { LpaError, RecoveryResult, SessionJournal } from '../../../src/lpa/index.ts';
import { lpaOver, makeEs9p } from '../../../src/server/cli/stack.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { VirtualTransport } from '../../../src/transport/virtual/virtual-transport.ts';
import { failure } from '../lpa/fakes.ts';
import { useServices } from './services.ts';
import { ac, yes } from './harness.ts';

const services = useServices();

const ORDER = 'WEBLPA-REUSABLE';
let counter = 0;

interface Rig {
  euicc: SoftwareEuicc;
  journal: SessionJournal;
  recovered: RecoveryResult[][];
  /** Makes the next `calls` ES10 calls fail as if the link (not the card) were lost. */
  dropLink(calls: number): void;
  /** Fails fetches whose URL ends with `suffix` until cleared. */
  failFetch(suffix: string | undefined): void;
  lpa: ReturnType<typeof lpaOver>['lpa'];
  close(): Promise<void>;
}

function rig(
  options: { journal?: SessionJournal; euicc?: SoftwareEuicc; autoSend?: boolean } = {},
): Rig {
  const pki = services().pki.find((p) => p.ci.key.curve === 'P-256')!;
  const euicc =
    options.euicc ??
    SoftwareEuicc.create({
      identity: createTestIdentity({
        curve: 'P-256',
        seed: `interrupted-${counter++}`,
        ci: pki.ci,
      }),
    });
  let failing: string | undefined;
  const flaky: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (failing !== undefined && url.endsWith(failing))
      return Promise.reject(new TypeError('fetch failed'));
    return fetch(input, init);
  };
  const { es9p, es11 } = makeEs9p({
    map: { [services().smdpAddress]: services().smdpUrl },
    fetch: flaky,
  });
  const journal = options.journal ?? memoryJournal();
  const recovered: RecoveryResult[][] = [];
  let drop = 0;
  const wrap = (link: Es10Link): Es10Link => ({
    ...link,
    es10: (req, signal) => {
      if (drop > 0) {
        drop--;
        return Promise.reject(new TransportClosedError('the reader went away'));
      }
      return link.es10(req, signal);
    },
  });
  const stack = lpaOver(
    new VirtualTransport(euicc),
    {
      es9p,
      es11,
      journal,
      onRecovery: (r) => recovered.push(r),
      // "By hand": every kind kept, the installation result included.
      ...(options.autoSend === false
        ? {
            notificationPolicy: {
              install: 'keep',
              enable: 'keep',
              disable: 'keep',
              delete: 'keep',
            },
          }
        : {}),
    },
    wrap,
  );
  return {
    euicc,
    journal,
    recovered,
    dropLink: (calls) => {
      drop = calls;
    },
    failFetch: (suffix) => {
      failing = suffix;
    },
    lpa: stack.lpa,
    close: () => stack.close(),
  };
}

function session(txId: string): { state: string } | undefined {
  return services()
    .state()
    .sessions.find((s) => s.transactionId === txId.toUpperCase());
}

/** Starts a download and pulls the card once `bytes` of the package were loaded. */
async function pullWhileLoading(r: Rig, bytes = 1): Promise<LpaError> {
  let pulled = false;
  return failure(
    r.lpa.download({
      activationCode: ac(services(), ORDER),
      confirm: yes,
      onProgress: (p) => {
        if (!pulled && p.step === 'loadBoundProfilePackage' && (p.bytesSent ?? 0) >= bytes) {
          pulled = true;
          r.euicc.remove();
        }
      },
    }),
  );
}

describe('a card pulled while the package loads', () => {
  it('is journalled, then reported to the SM-DP+ with the eUICC interruption result once back', async () => {
    const r = rig();
    try {
      const e = await pullWhileLoading(r);
      expect(e.reason).toBe('transport');
      expect(e.step).toBe('loadBoundProfilePackage');
      const [entry, ...more] = await r.lpa.interruptedSessions();
      expect(more).toEqual([]);
      expect(entry).toMatchObject({
        smdpAddress: services().smdpAddress,
        reason: 'loadBppExecutionError',
        eid: r.euicc.eid,
      });
      // Still open at the SM-DP+: nobody could tell it.
      expect(session(entry!.transactionId)?.state).toBe('bppDelivered');

      // While the card is out, operations fail and the entry stays.
      expect((await failure(r.lpa.listProfiles())).reason).toBe('transport');
      expect(await r.lpa.interruptedSessions()).toHaveLength(1);

      r.euicc.reinsert();
      const notesBefore = services().state().notifications.length;
      expect(await r.lpa.listProfiles()).toEqual([]);
      expect(r.recovered).toEqual([
        [
          expect.objectContaining({
            transactionId: entry!.transactionId,
            outcome: 'reported',
            notification: expect.objectContaining({ sent: true, removed: true }) as unknown,
          }),
        ],
      ]);
      expect(await r.lpa.interruptedSessions()).toEqual([]);
      expect(session(entry!.transactionId)).toBeUndefined();
      const note = services().state().notifications.slice(notesBefore)[0];
      expect(note).toMatchObject({
        kind: 'install',
        verified: true,
        // ErrorReason 11: installFailedDueToInterruption.
        result: { success: false, errorReason: 11 },
      });
      expect(r.euicc.state.notifications).toEqual([]);
      // Nothing is left half-done: the same order downloads now.
      const ok = await r.lpa.download({ activationCode: ac(services(), ORDER), confirm: yes });
      expect(ok.notification.sent).toBe(true);
      expect(r.euicc.state.profiles).toHaveLength(1);
    } finally {
      await r.close();
    }
  });

  it('with notifications sent by hand: the interruption result is left for the user', async () => {
    const r = rig({ autoSend: false });
    try {
      await pullWhileLoading(r);
      const [entry] = await r.lpa.interruptedSessions();
      r.euicc.reinsert();
      const pending = await r.lpa.listNotifications();
      expect(pending).toMatchObject([{ profileManagementOperation: 'install' }]);
      const results = await r.lpa.installResults();
      expect(results.get(pending[0]!.seqNumber)).toMatchObject({
        ok: false,
        errorReason: 11,
        errorReasonName: 'installFailedDueToInterruption',
      });
      expect(r.recovered[0]).toMatchObject([{ outcome: 'notificationPending' }]);
      expect(await r.lpa.interruptedSessions()).toEqual([]);
      expect(session(entry!.transactionId)?.state).toBe('bppDelivered');
      expect(await r.lpa.sendAllNotifications()).toMatchObject([{ sent: true, removed: true }]);
      expect(session(entry!.transactionId)).toBeUndefined();
    } finally {
      await r.close();
    }
  });
});

describe('a link lost while the card kept its session', () => {
  it('is cancelled on the eUICC and at the SM-DP+ with the signed answer', async () => {
    const r = rig();
    try {
      let dropped = false;
      const e = await failure(
        r.lpa.download({
          activationCode: ac(services(), ORDER),
          confirm: yes,
          onProgress: (p) => {
            if (!dropped && p.step === 'loadBoundProfilePackage' && (p.bytesSent ?? 0) > 0) {
              dropped = true;
              // The next segment and the CancelSession that follows it.
              r.dropLink(2);
            }
          },
        }),
      );
      expect(e.reason).toBe('transport');
      const [entry] = await r.lpa.interruptedSessions();
      expect(entry).toBeDefined();
      const cancelledBefore = services().state().cancellations.length;
      // The link reopens on the next operation: the session is cancelled first.
      await r.lpa.getEid();
      expect(r.recovered).toEqual([[expect.objectContaining({ outcome: 'cancelled' })]]);
      const c = services().state().cancellations.slice(cancelledBefore);
      expect(c).toMatchObject([{ transactionId: entry!.transactionId, reason: 5, verified: true }]);
      expect(session(entry!.transactionId)).toBeUndefined();
      expect(r.euicc.loadingProfile).toBe(false);
      expect(r.euicc.state.profiles).toEqual([]);
    } finally {
      await r.close();
    }
  });
});

describe('an SM-DP+ unreachable while cancelling', () => {
  it('keeps the signed answer and delivers it on a later operation', async () => {
    const r = rig();
    try {
      r.failFetch('/cancelSession');
      const e = await failure(
        r.lpa.download({
          activationCode: ac(services(), ORDER),
          confirm: () => Promise.resolve(false),
        }),
      );
      expect(e.reason).toBe('consentRefused');
      expect(e.cleanupErrors).toHaveLength(1);
      const [entry] = await r.lpa.interruptedSessions();
      expect(entry?.cancelSessionResponse).toMatch(/^BF41/);
      expect(session(entry!.transactionId)?.state).toBe('authenticated');

      // Still unreachable: the operation itself succeeds, the entry is kept.
      await r.lpa.recoverInterruptedSessions().then((res) => {
        expect(res).toMatchObject([{ outcome: 'kept', error: { reason: 'network' } }]);
      });
      expect(await r.lpa.interruptedSessions()).toHaveLength(1);

      r.failFetch(undefined);
      expect(await r.lpa.recoverInterruptedSessions()).toMatchObject([{ outcome: 'cancelled' }]);
      expect(session(entry!.transactionId)).toBeUndefined();
      expect(await r.lpa.interruptedSessions()).toEqual([]);
    } finally {
      await r.close();
    }
  });
});

describe('the journal across connections and cards', () => {
  it('survives a new Lpa, and another eUICC never consumes the entry', async () => {
    const journal = memoryJournal();
    const first = rig({ journal });
    await pullWhileLoading(first);
    await first.close();
    const [entry] = await journal.load();
    expect(entry?.eid).toBe(first.euicc.eid);

    const other = rig({ journal });
    try {
      await other.lpa.listProfiles();
      expect(other.recovered).toEqual([]);
      expect(await journal.load()).toHaveLength(1);
    } finally {
      await other.close();
    }

    first.euicc.reinsert();
    const again = rig({ journal, euicc: first.euicc });
    try {
      await again.lpa.getEid();
      expect(again.recovered).toMatchObject([[{ outcome: 'reported' }]]);
      expect(await journal.load()).toEqual([]);
      expect(session(entry!.transactionId)).toBeUndefined();
    } finally {
      await again.close();
    }
  });

  it('a card pulled before the package: nothing signed is left, the SM-DP+ session expires', async () => {
    const r = rig();
    try {
      let pulled = false;
      const e = await failure(
        r.lpa.download({
          activationCode: ac(services(), ORDER),
          confirm: yes,
          onProgress: (p) => {
            if (!pulled && p.step === 'getBoundProfilePackage') {
              pulled = true;
              r.euicc.remove();
            }
          },
        }),
      );
      expect(e.reason).toBe('transport');
      const [entry] = await r.lpa.interruptedSessions();
      r.euicc.reinsert();
      await r.lpa.listProfiles();
      expect(r.recovered).toMatchObject([[{ outcome: 'expires' }]]);
      expect(await r.lpa.interruptedSessions()).toEqual([]);
      expect(session(entry!.transactionId)?.state).toBe('bppDelivered');
    } finally {
      await r.close();
    }
  });
});
