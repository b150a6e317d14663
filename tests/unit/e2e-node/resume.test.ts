/**
 * A download journals itself before ES9+ GetBoundProfilePackage (stage `bppRequested`), and a
 * download cut off after that call (the LPA process died) is finished by the next Lpa on the
 * same card: the same package is fetched again and loaded, or, when the SM-DP+ or the eUICC
 * lost the session, the cancel paths report what happened. The "death" is simulated by an
 * ES9+ client whose calls from some point on never return, and a new Lpa over the card
 * restored from its saved state (a card that stayed powered).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../src/codec/index.ts';
import { createTestIdentity, SoftwareEuicc } from '../../../src/euicc/index.ts';
import { memoryJournal, parseJournal } from '../../../src/lpa/index.ts';
import type {
  Es9pApi,
  InterruptedSession,
  RecoveryResult,
  SessionJournal,
} from '../../../src/lpa/index.ts';
import { lpaOver, makeEs9p } from '../../../src/server/cli/stack.ts';
import { activationCodeFor, startLocalServices } from '../../../src/server/local-services.ts';
import type { LocalServices } from '../../../src/server/local-services.ts';
import type { Order } from '../../../src/server/smdp/catalogue.ts';
import { VirtualTransport } from '../../../src/transport/virtual/virtual-transport.ts';
import { yes } from './harness.ts';

const orders: Order[] = Array.from({ length: 6 }, (_, i) => {
  const payload = `8999001000007${String(i).padStart(5, '0')}`;
  return {
    matchingId: `RESUME-${i}`,
    label: `Resume ${i}`,
    reusable: false,
    iccid: payload + luhnCheckDigit(payload),
    metadata: { serviceProviderName: 'WebLPA', profileName: `Resume ${i}` },
    profile: { kind: 'generated', sizeBytes: 4096 },
  };
});

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ smdpPort: 0, relayPort: 0, catalogue: orders });
}, 60_000);
afterAll(async () => {
  await services.close();
});

let counter = 0;
function newCard(): SoftwareEuicc {
  const pki = services.pki.find((p) => p.ci.key.curve === 'P-256')!;
  return SoftwareEuicc.create({
    identity: createTestIdentity({ curve: 'P-256', seed: `resume-${counter++}`, ci: pki.ci }),
  });
}

/** 'hang': sent, the answer lost; 'drop': never sent, never answered; 'go': as usual. */
type Es9pHook = (
  fn: keyof Es9pApi,
  journal: readonly InterruptedSession[],
) => 'hang' | 'drop' | 'go';

/** An Lpa over `euicc`; `hook` sees every ES9+ call (and the journal at that moment). */
function lpaFor(euicc: SoftwareEuicc, journal: SessionJournal, hook: Es9pHook = () => 'go') {
  const { es9p } = makeEs9p({ map: { [services.smdpAddress]: services.smdpUrl } });
  const hooked = new Proxy(es9p, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const decision = hook(prop as keyof Es9pApi, await journal.load());
        if (decision === 'drop') return new Promise(() => undefined);
        const call = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (decision === 'hang') {
          // The request reaches the SM-DP+, the answer never reaches this (dead) LPA.
          await call.catch(() => undefined);
          return new Promise(() => undefined);
        }
        return call;
      };
    },
  });
  const recovered: RecoveryResult[][] = [];
  const stack = lpaOver(new VirtualTransport(euicc), {
    es9p: hooked,
    journal,
    onRecovery: (r) => recovered.push(r),
  });
  return { lpa: stack.lpa, recovered, close: () => stack.close() };
}

/** Runs a download until `fn` is called, then abandons it and returns the card as saved. */
async function dieAt(
  euicc: SoftwareEuicc,
  journal: SessionJournal,
  fn: keyof Es9pApi,
  matchingId: string,
): Promise<SoftwareEuicc> {
  let reached!: () => void;
  const hit = new Promise<void>((r) => (reached = r));
  const dying = lpaFor(euicc, journal, (name) => {
    if (name !== fn) return 'go';
    reached();
    return 'hang';
  });
  const order = orders.find((o) => o.matchingId === matchingId)!;
  void dying.lpa.download({
    activationCode: activationCodeFor(services.smdpAddress, order),
    confirm: yes,
  });
  await hit;
  // Give the request time to reach the SM-DP+ (it is answered and the answer dropped).
  await new Promise((r) => setTimeout(r, 200));
  // The process is gone; the card (which stayed powered) is what its file says.
  return SoftwareEuicc.fromState(structuredClone(euicc.exportState()));
}

function orderState(matchingId: string) {
  return services.state().orders.find((o) => o.matchingId === matchingId)!;
}

describe('the bppRequested journal entry', () => {
  it('is written before getBoundProfilePackage and removed once the package is loaded', async () => {
    const journal = memoryJournal();
    const seen: InterruptedSession[][] = [];
    const w = lpaFor(newCard(), journal, (fn, entries) => {
      if (fn === 'getBoundProfilePackage') seen.push([...entries]);
      return 'go';
    });
    const r = await w.lpa.download({
      activationCode: activationCodeFor(services.smdpAddress, orders[0]!),
      confirm: yes,
    });
    expect(r.iccid).toBe(orders[0]!.iccid);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual([
      expect.objectContaining({
        stage: 'bppRequested',
        smdpAddress: services.smdpAddress,
        prepareDownloadResponse: expect.stringMatching(/^BF21/) as unknown,
      }),
    ]);
    expect(await journal.load()).toEqual([]);
    await w.close();
  });

  it('parses strictly and stays compatible with older entries', () => {
    const old = {
      transactionId: 'A1B2',
      smdpAddress: 'smdp.example',
      reason: 'postponed',
      interruptedAt: '2026-01-01T00:00:00.000Z',
    };
    const pending = { ...old, stage: 'bppRequested', prepareDownloadResponse: 'BF2100' };
    expect(
      parseJournal([
        old,
        pending,
        { ...pending, stage: 'somethingNew' },
        { ...pending, prepareDownloadResponse: 'XYZ' },
        { ...old, prepareDownloadResponse: 'BF2100' },
        { ...pending, cancelSessionResponse: 'BF4100' },
      ]),
    ).toEqual([old, pending]);
  });
});

describe('a download whose LPA died after asking for the package', () => {
  it('is finished by the next Lpa: same package, installed, notification delivered', async () => {
    const journal = memoryJournal();
    const card = await dieAt(newCard(), journal, 'getBoundProfilePackage', 'RESUME-1');
    expect(orderState('RESUME-1').used).toBe(true);
    expect(await journal.load()).toEqual([
      expect.objectContaining({ stage: 'bppRequested' }) as unknown,
    ]);
    const next = lpaFor(card, journal);
    const profiles = await next.lpa.listProfiles();
    expect(profiles.map((p) => p.iccid)).toEqual([orders[1]!.iccid]);
    expect(next.recovered).toEqual([
      [expect.objectContaining({ outcome: 'installed' }) as unknown],
    ]);
    expect(orderState('RESUME-1').installs).toBe(1);
    expect(card.state.notifications).toEqual([]);
    expect(await journal.load()).toEqual([]);
    await next.close();
  });

  it('also when it died before the request went out (the SM-DP+ builds the package then)', async () => {
    const journal = memoryJournal();
    let died = false;
    const euicc = newCard();
    const dying = lpaFor(euicc, journal, (fn) => {
      if (fn !== 'getBoundProfilePackage') return 'go';
      died = true;
      return 'drop';
    });
    // Here the request is never even sent.
    void dying.lpa.download({
      activationCode: activationCodeFor(services.smdpAddress, orders[2]!),
      confirm: yes,
    });
    for (let i = 0; i < 200 && !died; i++) await new Promise((r) => setTimeout(r, 10));
    expect(died).toBe(true);
    expect(orderState('RESUME-2').used).toBe(false);
    const next = lpaFor(SoftwareEuicc.fromState(euicc.exportState()), journal);
    expect((await next.lpa.listProfiles()).map((p) => p.iccid)).toEqual([orders[2]!.iccid]);
    expect(next.recovered.flat().map((r) => r.outcome)).toEqual(['installed']);
    await next.close();
  });

  it('when the eUICC lost the session (reset): cancelled paths, reported plainly', async () => {
    const journal = memoryJournal();
    const card = await dieAt(newCard(), journal, 'getBoundProfilePackage', 'RESUME-3');
    card.reset();
    const next = lpaFor(card, journal);
    expect(await next.lpa.listProfiles()).toEqual([]);
    expect(next.recovered.flat().map((r) => r.outcome)).toEqual(['expires']);
    expect(await journal.load()).toEqual([]);
    await next.close();
  });

  it('when the SM-DP+ refuses the package: cancelled on the eUICC and at the SM-DP+', async () => {
    const journal = memoryJournal();
    const card = await dieAt(newCard(), journal, 'getBoundProfilePackage', 'RESUME-4');
    const [entry] = await journal.load();
    // A PrepareDownloadResponse the SM-DP+ did not see (its signature's last byte changed).
    const pdr = entry!.prepareDownloadResponse!;
    const last = (parseInt(pdr.slice(-2), 16) ^ 0xff).toString(16).toUpperCase().padStart(2, '0');
    await journal.save([{ ...entry!, prepareDownloadResponse: pdr.slice(0, -2) + last }]);
    const next = lpaFor(card, journal);
    expect(await next.lpa.listProfiles()).toEqual([]);
    const [result, ...more] = next.recovered.flat();
    expect(more).toEqual([]);
    expect(['cancelled', 'refused']).toContain(result!.outcome);
    expect(card.exportState().session).toBeUndefined();
    expect(await journal.load()).toEqual([]);
    await next.close();
  });

  it('when the SM-DP+ cannot be reached: kept for the next time', async () => {
    const journal = memoryJournal();
    const card = await dieAt(newCard(), journal, 'getBoundProfilePackage', 'RESUME-5');
    const unreachable = lpaFor(card, journal, (fn) => {
      if (fn === 'getBoundProfilePackage') throw new TypeError('fetch failed');
      return 'go';
    });
    expect(await unreachable.lpa.listProfiles()).toEqual([]);
    expect(unreachable.recovered.flat().map((r) => r.outcome)).toEqual(['kept']);
    expect(await journal.load()).toEqual([
      expect.objectContaining({ stage: 'bppRequested' }) as unknown,
    ]);
    const next = lpaFor(card, journal);
    expect((await next.lpa.listProfiles()).map((p) => p.iccid)).toEqual([orders[5]!.iccid]);
    expect(next.recovered.flat().map((r) => r.outcome)).toEqual(['installed']);
    await next.close();
  });
});
