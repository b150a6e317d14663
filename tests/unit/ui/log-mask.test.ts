// "Mask secrets" over a real download: the app's own wiring (AppState, the virtual eUICC traced
// into the log, the ES9+/ES11 client's trace hook) against the local SM-DP+/SM-DS on 127.0.0.1.
// Every rendering of the log (screen, text export, JSON export) is searched for the secrets in
// every form: as text, as hex, and inside every hex and base64 string it contains, decoded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, fromHex, luhnCheckDigit, utf8 } from '../../../src/codec/index.ts';
import { computeHashCc } from '../../../src/es10/encode.ts';
import type { Order } from '../../../src/server/smdp/catalogue.ts';
import { startLocalServices, type LocalServices } from '../../../src/server/local-services.ts';
import { AppState } from '../../../src/ui/state/app.svelte.ts';
import type { BrowserEnv } from '../../../src/ui/state/environment.ts';
import { memoryStore } from '../../../src/ui/state/idb-store.ts';
import { VIRTUAL_DEMO_EID } from '../../../src/ui/state/links.ts';
import { createBackend } from '../../../src/ui/state/lpa-backend.ts';
import type { ExchangeLog } from '../../../src/ui/state/log.svelte.ts';

const MATCHING_ID = 'MASKTEST-Q7X2-K9WD';
const EVENT_MATCHING_ID = 'MASKEVENT-R4ZP-8JTC';
const CONFIRMATION_CODE = '739152';
const IMEI = '3569380356438091';

function order(matchingId: string, iccid18: string, extra: Partial<Order>): Order {
  return {
    matchingId,
    label: matchingId,
    reusable: false,
    iccid: iccid18 + luhnCheckDigit(iccid18),
    metadata: { serviceProviderName: 'Masking Test', profileName: `Masking ${iccid18.slice(-1)}` },
    profile: { kind: 'generated', sizeBytes: 1500 },
    ...extra,
  };
}

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({
    smdpPort: 0,
    relayPort: 0,
    catalogue: [
      order(MATCHING_ID, '899900100000090001', { confirmationCode: CONFIRMATION_CODE }),
      order(EVENT_MATCHING_ID, '899900100000090002', { eid: VIRTUAL_DEMO_EID, smdsEvent: true }),
    ],
  });
}, 60_000);
afterAll(async () => {
  await services.close();
});

function makeApp(): AppState {
  const env: BrowserEnv = {
    isSecureContext: true,
    usb: undefined,
    serial: undefined,
    indexedDB: undefined,
    mediaDevices: undefined,
    clipboard: undefined,
    fetch: globalThis.fetch.bind(globalThis),
    now: () => 0,
  };
  const app = new AppState(env, memoryStore(), undefined, false, createBackend);
  app.settings.update({
    overrides: {
      [services.smdpAddress]: services.smdpUrl,
      [services.smdsAddress]: services.smdpUrl,
    },
    smdsAddress: services.smdsAddress,
    imei: IMEI,
    // Small STORE DATA blocks: secrets straddle blocks, so masking must reassemble them.
    storeDataBlock: 24,
  });
  return app;
}

/** Answers the download's prompts (confirmation code, consent) until it ends; bounded. */
async function drive(app: AppState, run: Promise<void>): Promise<void> {
  let finished = false;
  void run.finally(() => {
    finished = true;
  });
  for (let i = 0; i < 2000 && !finished; i++) {
    if (app.download.phase === 'askCode') {
      app.download.confirmationCodeInput = CONFIRMATION_CODE;
      app.download.giveCode();
    } else if (app.download.phase === 'consent') {
      app.download.answerConsent(true);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await run;
  expect(app.download.phase, JSON.stringify(app.download.error)).toBe('done');
}

/** Plain BCD, F-padded, as DeviceInfo carries the IMEI. */
function imeiBytes(imei: string): Uint8Array {
  return fromHex(imei.padEnd(16, 'F'));
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Every way `secret` could be readable in `text`; empty when none. */
function findings(text: string, name: string, secret: Uint8Array): string[] {
  const out: string[] = [];
  const hex = Array.from(secret, (b) => b.toString(16).padStart(2, '0')).join('');
  if (text.toLowerCase().includes(hex)) out.push(`${name} as hex`);
  let ascii: string | undefined;
  try {
    ascii = new TextDecoder('utf-8', { fatal: true }).decode(secret);
  } catch {
    ascii = undefined;
  }
  if (ascii !== undefined && text.includes(ascii)) out.push(`${name} as text`);
  // Every hex run (both alignments) and every base64 run, decoded.
  for (const m of text.matchAll(/[0-9A-Fa-f]{8,}/g)) {
    for (const shift of [0, 1]) {
      const run = m[0].slice(shift, shift + ((m[0].length - shift) & ~1));
      if (contains(fromHex(run), secret)) out.push(`${name} in hex run at ${m.index}`);
    }
  }
  for (const m of text.matchAll(/[A-Za-z0-9+/]{8,}={0,2}/g)) {
    // Runs may start anywhere in a base64 quantum when cut by other text: try every start.
    for (let shift = 0; shift < 4; shift++) {
      const run = m[0].slice(shift).replace(/=+$/, '');
      const usable = run.slice(0, run.length - (run.length % 4 === 1 ? 1 : 0));
      let bytes: Uint8Array;
      try {
        bytes = fromBase64(usable);
      } catch {
        continue;
      }
      if (contains(bytes, secret)) out.push(`${name} in base64 run at ${m.index}`);
    }
  }
  return out;
}

/** The on-screen log: each entry's summary line and decoded parts, as LogView renders them. */
function screen(log: ExchangeLog): string {
  return log.entries
    .map((e) => [log.summary(e), JSON.stringify(log.decode(e))].join('\n'))
    .join('\n');
}

function renderings(log: ExchangeLog): Record<string, string> {
  return { screen: screen(log), text: log.toText(log.entries), json: log.toJson(log.entries) };
}

/** The hashCc of the download with a confirmation code (SGP.22 v2.2.2 §5.7.5). */
function hashCcOf(log: ExchangeLog): Uint8Array {
  // The first download is the one with the code.
  const gbpp = log.entries.find((e) => e.kind === 'http' && e.fn === 'getBoundProfilePackage');
  const tx = gbpp?.kind === 'http' ? (gbpp.request as { transactionId?: unknown }) : undefined;
  expect(typeof tx?.transactionId).toBe('string');
  return computeHashCc(CONFIRMATION_CODE, fromHex(String(tx!.transactionId)));
}

describe('"Mask secrets" over a real download', () => {
  let app: AppState;
  let secrets: { name: string; bytes: Uint8Array }[];

  beforeAll(async () => {
    app = makeApp();
    await app.connect('virtual');
    expect(app.status).toBe('connected');
    app.download.activationCode = `LPA:1$${services.smdpAddress}$${MATCHING_ID}$$1`;
    await drive(app, app.startDownload());
    await app.discover();
    const event = app.download.events.find((e) => e.eventId === EVENT_MATCHING_ID);
    expect(event, 'the SM-DS event is discovered').toBeDefined();
    await drive(app, app.downloadFromEvent(event!.eventId, event!.rspServerAddress));
    app.log.masked = false;
    secrets = [
      { name: 'matchingId', bytes: utf8.encode(MATCHING_ID) },
      { name: 'eventId', bytes: utf8.encode(EVENT_MATCHING_ID) },
      { name: 'hashCc', bytes: hashCcOf(app.log) },
      { name: 'imei', bytes: imeiBytes(IMEI) },
      { name: 'imei digits', bytes: utf8.encode(IMEI) },
    ];
    app.log.masked = true;
  }, 120_000);

  it('with masking off, every export carries the secrets (so the check can fail)', () => {
    app.log.masked = false;
    try {
      for (const [format, text] of Object.entries(renderings(app.log)))
        for (const s of secrets)
          expect(findings(text, s.name, s.bytes), `${s.name} in ${format}`).not.toEqual([]);
    } finally {
      app.log.masked = true;
    }
  });

  it('with masking on, no rendering carries a secret in any form', () => {
    // The structural masking alone, without the literal search for known values.
    const known = app.log.secrets.splice(0);
    try {
      for (const [format, text] of Object.entries(renderings(app.log)))
        for (const s of secrets) expect(findings(text, s.name, s.bytes), format).toEqual([]);
    } finally {
      app.log.secrets.push(...known);
    }
    for (const [format, text] of Object.entries(renderings(app.log)))
      for (const s of secrets) expect(findings(text, s.name, s.bytes), format).toEqual([]);
  });

  it('keeps the masked bodies decodable: fillers in place of values, the rest intact', () => {
    const text = app.log.toText(app.log.entries);
    // ctxParams1 in the AuthenticateServerRequest (reassembled from 24-byte blocks) and in
    // euiccSigned1 of the response: matchingId keeps its length, filled with '*'.
    const filler = '*'.repeat(MATCHING_ID.length);
    const line = `80 matchingId/transactionId (${MATCHING_ID.length}) "${filler}"`;
    // In the ES10 request (STORE DATA blocks), the ES10 response (GET RESPONSE pieces) and the
    // authenticateClient JSON body.
    expect(text.split(line).length - 1).toBe(3);
    expect(text).toMatch(/ES10 request \(\d+ STORE DATA blocks\)/);
    // hashCc in euiccSigned2 of the PrepareDownloadResponse.
    expect(text).toContain(`04 (32) "${'*'.repeat(32)}"`);
    // ... and in the PrepareDownloadRequest, reassembled from its STORE DATA blocks.
    expect(text).toContain(`04 hashCc (32) "${'*'.repeat(32)}"`);
    expect(text).toContain('82 imei (8) "********"');
    // The TAC beside the IMEI is no secret.
    expect(text).toContain('80 tac (4) 35290611');
    // The EID is no secret (it is in the eUICC certificate); the SM-DS event ID is.
    expect(text).toContain(VIRTUAL_DEMO_EID);
    expect(app.log.toJson(app.log.entries)).toContain('"eventId": "•••"');
    const json = JSON.parse(app.log.toJson(app.log.entries)) as {
      kind: string;
      fn?: string;
      request?: Record<string, unknown>;
    }[];
    const auth = json.find((e) => e.fn === 'authenticateClient');
    const asr = fromBase64(String(auth?.request?.authenticateServerResponse));
    expect(asr[0]).toBe(0xbf);
    expect(contains(asr, utf8.encode(filler))).toBe(true);
  });

  it('hides the data of an ES10 exchange that is not complete or does not decode', () => {
    const log = app.log;
    const before = log.entries.length;
    // A first STORE DATA block whose last block never comes, then a lone GET RESPONSE piece.
    log.addApdu({
      at: 0,
      durationMs: 0,
      command: fromHex(`80E2110006BF2E03800141`),
      response: fromHex('9000'),
    });
    log.addApdu({
      at: 0,
      durationMs: 0,
      command: fromHex('80C0000010'),
      response: fromHex('41414141414141414141414141414141 9000'),
    });
    // A complete STORE DATA whose data is not TLV.
    log.addApdu({
      at: 0,
      durationMs: 0,
      command: fromHex('80E2910004DEADBEEF00'),
      response: fromHex('0102039000'),
    });
    const added = log.entries.slice(before);
    expect(added.map((e) => log.summary(e))).toEqual([
      '> 80E2110006 [6 bytes hidden]  < 9000',
      '> 80C0000010  < [16 bytes hidden] 9000',
      '> 80E2910004 [4 bytes hidden] 00  < [3 bytes hidden] 9000',
    ]);
    log.masked = false;
    try {
      expect(log.summary(added[2]!)).toBe('> 80E2910004DEADBEEF00  < 0102039000');
    } finally {
      log.masked = true;
    }
    const json = log.toJson(added);
    expect(json).toContain('"command": "80E2910004 [4 bytes hidden] 00"');
    expect(json).not.toMatch(/DEADBEEF|BF2E03/i);
  });
});
