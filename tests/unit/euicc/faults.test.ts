/**
 * Fault injection: a fault at every APDU index of a whole download must leave no partial
 * profile, keep every pending notification, and leave a card on which a fresh download works.
 * Also the virtual transport (latency, abort, close, card removal).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { CardRemovedError, fromState } from '../../../src/euicc/index.ts';
import type { EuiccState, SoftwareEuicc } from '../../../src/euicc/index.ts';
import { encodeMinimalProfile } from '../../../src/rsp/saip.ts';
import { seededRng } from '../../../src/rsp/index.ts';
import type { Rng } from '../../../src/rsp/index.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { VirtualTransport } from '../../../src/transport/virtual/virtual-transport.ts';
import { checkPir, download, Driver, MiniSmdp, newCard, world } from './helpers.ts';

const ICCID_B = '89000123456789012358';
let base: EuiccState;
let downloadApdus = 0;

/**
 * A card whose randomness restarts at every call: challenges and one-time keys repeat, so a
 * download's ES10 requests are the same every time and can be replayed from a recording made
 * once with the in-test SM-DP+ (which verified every answer). This keeps the loop fast.
 */
const fixedRng: Rng = (n) => seededRng('fixed')(n);
const script: { request: Uint8Array; response: Uint8Array }[] = [];

function cardFromBase(): SoftwareEuicc {
  return fromState(structuredClone(base), { rng: fixedRng });
}

/** Replays the recorded download; returns the ProfileInstallationResult. */
function fullDownload(card: SoftwareEuicc): Uint8Array {
  const d = new Driver(card);
  d.open();
  for (const step of script) {
    const res = d.es10(step.request);
    if (res.length > 0 && res[0] === 0xbf && res[1] === 0x37) return res;
    expect(toHex(res)).toBe(toHex(step.response));
  }
  throw new Error('no ProfileInstallationResult');
}

beforeAll(() => {
  // A card with one profile and its install notification already pending.
  const card = newCard();
  const d = new Driver(card);
  d.open();
  download(d, new MiniSmdp(world('P-256')));
  base = card.exportState();
  // Record one download driven by the in-test SM-DP+.
  const probe = cardFromBase();
  const recorder = new Driver(probe);
  const es10 = recorder.es10.bind(recorder);
  recorder.es10 = (request: Uint8Array | string): Uint8Array => {
    const req = typeof request === 'string' ? fromHex(request) : request;
    const response = es10(req);
    script.push({ request: req, response });
    return response;
  };
  recorder.open();
  const smdp = new MiniSmdp(
    world('P-256'),
    { iccid: ICCID_B, profile: encodeMinimalProfile({ iccid: ICCID_B, size: 1500 }) },
    'loop',
  );
  const { pir } = download(recorder, smdp);
  expect(checkPir(pir, world('P-256').identity.euiccCert).ok).toBe(true);
  const check = cardFromBase();
  const before = check.faults.apduCount;
  fullDownload(check);
  downloadApdus = check.faults.apduCount - before;
});

function checkInvariants(card: SoftwareEuicc): void {
  // No partial profile: exactly the profiles from before.
  expect(card.state.profiles).toEqual(base.profiles);
  // Every pending notification kept, plus at most one failure result.
  const pending = card.state.notifications.map((n) => n.pending);
  expect(pending.slice(0, base.notifications.length)).toEqual(
    base.notifications.map((n) => n.pending),
  );
  const extra = card.state.notifications.slice(base.notifications.length);
  expect(extra.length).toBeLessThanOrEqual(1);
  for (const n of extra)
    expect(checkPir(fromHex(n.pending), world('P-256').identity.euiccCert).ok).toBe(false);
}

function freshDownloadWorks(card: SoftwareEuicc): void {
  const pir = fullDownload(card);
  expect(checkPir(pir, world('P-256').identity.euiccCert).ok).toBe(true);
  expect(card.state.profiles.map((p) => p.iccid)).toContain(ICCID_B);
}

describe('fault loop over a whole download', () => {
  it('counts the APDUs of a download', () => {
    expect(downloadApdus).toBeGreaterThan(10);
    expect(downloadApdus).toBeLessThan(200);
  });

  it('card pulled at every APDU index', () => {
    for (let i = 0; i < downloadApdus; i++) {
      const card = cardFromBase();
      card.faults.dropAfter(i);
      expect(() => fullDownload(card)).toThrow(CardRemovedError);
      card.reinsert();
      // Power loss drops a half-loaded package with the session.
      expect(card.loadingProfile).toBe(false);
      checkInvariants(card);
      freshDownloadWorks(card);
    }
  });

  it('an error status word at every APDU index', () => {
    for (let i = 0; i < downloadApdus; i++) {
      const card = cardFromBase();
      card.faults.failAfter(i, 0x6f00);
      expect(() => fullDownload(card)).toThrow();
      checkInvariants(card);
      freshDownloadWorks(card);
    }
  });
});

describe('response lost after the card processed the command', () => {
  it('on the last APDU: the profile is complete and its result is pending', () => {
    const card = cardFromBase();
    card.faults.dropAfter(downloadApdus - 1, { processed: true });
    expect(() => fullDownload(card)).toThrow(CardRemovedError);
    card.reinsert();
    expect(card.state.profiles.map((p) => p.iccid)).toContain(ICCID_B);
    const last = card.state.notifications.at(-1)!;
    expect(checkPir(fromHex(last.pending), world('P-256').identity.euiccCert).ok).toBe(true);
  });

  it('on a middle APDU of the package: nothing installed', () => {
    const card = cardFromBase();
    card.faults.dropAfter(downloadApdus - 3, { processed: true });
    expect(() => fullDownload(card)).toThrow(CardRemovedError);
    card.reinsert();
    checkInvariants(card);
    freshDownloadWorks(card);
  });
});

describe('VirtualTransport', () => {
  it('is a Transport: label, block size, APDUs through to the card', async () => {
    const t = new VirtualTransport(newCard());
    expect(t.label).toBe('Virtual eUICC');
    expect(t.maxStoreDataBlock).toBe(255);
    expect(toHex(await t.transmit(fromHex('0070000001')))).toBe('019000');
  });

  it('adds latency and honours AbortSignal before and during the delay', async () => {
    const card = newCard();
    const t = new VirtualTransport(card, { latencyMs: 30 });
    const started = Date.now();
    await t.transmit(fromHex('0070000001'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const pre = new AbortController();
    pre.abort(new Error('stop'));
    await expect(t.transmit(fromHex('0070000001'), pre.signal)).rejects.toThrow('stop');
    const mid = new AbortController();
    const p = t.transmit(fromHex('0070000001'), mid.signal);
    mid.abort(new Error('late'));
    await expect(p).rejects.toThrow('late');
    // Neither aborted APDU reached the card: the next channel opened is 2.
    expect(toHex(await t.transmit(fromHex('0070000001')))).toBe('029000');
  });

  it('uses the card fault delay', async () => {
    const card = newCard();
    card.faults.delay(20);
    const t = new VirtualTransport(card);
    const started = Date.now();
    await t.transmit(fromHex('0070000001'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('throws TransportClosedError after close() and when the card is removed', async () => {
    const card = newCard();
    const t = new VirtualTransport(card);
    card.faults.dropAfter(1);
    await t.transmit(fromHex('0070000001'));
    await expect(t.transmit(fromHex('0070000001'))).rejects.toBeInstanceOf(TransportClosedError);
    card.reinsert();
    expect(toHex(await t.transmit(fromHex('0070000001')))).toBe('019000');
    await t.close();
    await t.close();
    await expect(t.transmit(fromHex('0070000001'))).rejects.toBeInstanceOf(TransportClosedError);
  });

  it('failAfter answers the chosen SW once', async () => {
    const card = newCard();
    const t = new VirtualTransport(card);
    card.faults.failAfter(0, 0x6a82);
    expect(toHex(await t.transmit(fromHex('0070000001')))).toBe('6A82');
    expect(toHex(await t.transmit(fromHex('0070000001')))).toBe('019000');
  });
});
