/**
 * The software eUICC served to vpcd (src/server/cli/serve.ts, src/server/vpcd/): a fake vpcd on
 * 127.0.0.1 speaks the protocol to it, so no pcscd is needed. Power, reset, framing, T=0/T=1
 * delivery, the state file and its lock, reconnection, and a reset in the middle of a download
 * driven by the LPA against the local SM-DP+.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeTlv, fromHex, toHex } from '../../../src/codec/index.ts';
import { createTestIdentity, SoftwareEuicc } from '../../../src/euicc/index.ts';
import type { Es10Link } from '../../../src/apdu/es10-link.ts';
import { memoryJournal } from '../../../src/lpa/index.ts';
import type { RecoveryResult } from '../../../src/lpa/index.ts';
import { euiccServe } from '../../../src/server/cli/serve.ts';
import { acquireStateLock, StateLockedError } from '../../../src/server/cli/lock.ts';
import { lpaOver, makeEs9p } from '../../../src/server/cli/stack.ts';
import { ATR_T0, ATR_T1 } from '../../../src/server/vpcd/atr.ts';
import type { ServedCard } from '../../../src/server/vpcd/card.ts';
import { encodeFrame, VPCD_CONTROL } from '../../../src/server/vpcd/framing.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { failure } from '../lpa/fakes.ts';
import { ac, yes } from '../e2e-node/harness.ts';
import { useServices } from '../e2e-node/services.ts';
import { FakeVpcd } from './fake-vpcd.ts';

const ISD_R = fromHex('A0000005591010FFFFFFFF8900000100');
const { POWER_OFF, POWER_ON, RESET } = VPCD_CONTROL;

/** SELECT ISD-R by AID, FCI wanted (case 4, Le 00), on a logical channel 0-3. */
const selectIsdR = (channel = 0): Uint8Array =>
  Uint8Array.from([channel, 0xa4, 0x04, 0x00, ISD_R.length, ...ISD_R, 0x00]);
/** One STORE DATA block carrying a whole ES10 request (case 4, Le 00). */
const storeData = (request: Uint8Array, channel = 0): Uint8Array =>
  Uint8Array.from([0x80 | channel, 0xe2, 0x91, 0x00, request.length, ...request, 0x00]);
const getResponse = (n: number, channel = 0): Uint8Array =>
  Uint8Array.from([channel, 0xc0, 0x00, 0x00, n]);
const GET_EID = fromHex('BF3E035C015A');
const GET_ADDRESSES = fromHex('BF3C00');
const setDefaultDp = (address: string): Uint8Array =>
  encodeTlv(0xbf3f, encodeTlv(0x80, new TextEncoder().encode(address)));

const sw = (r: Uint8Array): string => toHex(r.subarray(r.length - 2));
const data = (r: Uint8Array): Uint8Array => r.subarray(0, r.length - 2);

/** Sends a case 4 command and follows 61xx with GET RESPONSE, as a T=0 application does. */
async function exchange(fake: FakeVpcd, command: Uint8Array): Promise<Uint8Array> {
  let r = await fake.apdu(command);
  const out: number[] = [];
  for (let i = 0; i < 20 && r[r.length - 2] === 0x61; i++) {
    out.push(...data(r));
    r = await fake.apdu(getResponse(r[r.length - 1]!, command[0]! & 0x03));
  }
  return Uint8Array.from([...out, ...r]);
}

let dir: string;
let seed = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weblpa-vpcd-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function stateFile(euicc?: SoftwareEuicc): string {
  const card =
    euicc ??
    SoftwareEuicc.create({
      identity: createTestIdentity({ curve: 'P-256', seed: `vpcd-${seed++}` }),
    });
  const path = join(dir, 'card.json');
  writeFileSync(path, JSON.stringify(card.exportState(), null, 2) + '\n', { mode: 0o600 });
  return path;
}

interface Served {
  fake: FakeVpcd;
  state: string;
  log: string[];
  card: () => ServedCard;
  done: Promise<void>;
  stop(): Promise<void>;
}

async function serve(
  o: {
    t1?: boolean;
    state?: string;
    fake?: FakeVpcd;
    port?: number;
    wait?: boolean;
    reconnect?: boolean;
  } = {},
): Promise<Served> {
  const fake = o.fake ?? (o.port === undefined ? await FakeVpcd.listen() : undefined);
  const state = o.state ?? stateFile();
  const log: string[] = [];
  const abort = new AbortController();
  let card: ServedCard | undefined;
  const done = euiccServe({
    state,
    vpcd: `127.0.0.1:${fake?.port ?? o.port}`,
    t1: o.t1 ?? false,
    log: (l) => log.push(l),
    signal: abort.signal,
    lockTimeoutMs: 2_000,
    backoff: { initialMs: 20, maxMs: 100 },
    ...(o.reconnect !== undefined ? { reconnect: o.reconnect } : {}),
    onReady: (c) => {
      card = c;
    },
  });
  if (fake && o.wait !== false) await Promise.race([fake.waitForCard(), done]);
  return {
    fake: fake!,
    state,
    log,
    card: () => card!,
    done,
    stop: async () => {
      abort.abort();
      await done;
      await fake?.close();
    },
  };
}

async function until(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the eUICC served to vpcd, as a T=0 card', () => {
  it('answers the ATR request, power-on, APDUs, reset and power-off as a card does', async () => {
    const s = await serve();
    const { fake } = s;
    try {
      expect(await fake.atr()).toEqual(ATR_T0);
      fake.control(POWER_ON);
      // Control bytes get no answer: the next message is the answer to the next request.
      expect(await fake.atr()).toEqual(ATR_T0);

      // T=0: a case 4 command gets no data, only 61xx; GET RESPONSE fetches the FCI.
      const sel = await fake.apdu(selectIsdR());
      expect(toHex(sel)).toMatch(/^61[0-9A-F]{2}$/);
      const fci = await fake.apdu(getResponse(sel[1]!));
      expect(sw(fci)).toBe('9000');
      expect(fci[0]).toBe(0x6f);
      expect(fci.length - 2).toBe(sel[1]);

      const eid = await exchange(fake, storeData(GET_EID));
      expect(toHex(eid)).toBe(`BF3E125A10${s.card().euicc.eid}9000`);

      // A logical channel with the ISD-R selected on it.
      expect(toHex(await fake.apdu(fromHex('0070000001')))).toBe('019000');
      expect(sw(await exchange(fake, selectIsdR(1)))).toBe('9000');
      expect(sw(await exchange(fake, storeData(GET_EID, 1)))).toBe('9000');

      // Reset: the channel is closed and channel 0 has nothing selected.
      fake.control(RESET);
      expect(sw(await fake.apdu(storeData(GET_EID, 1)))).toBe('6881');
      expect(sw(await fake.apdu(storeData(GET_EID)))).toBe('6985');
      expect(sw(await exchange(fake, selectIsdR()))).toBe('9000');

      // Power off: vpcd still polls the ATR; a command powers the card up again, clean.
      fake.control(POWER_OFF);
      expect(await fake.atr()).toEqual(ATR_T0);
      expect(s.card().powered).toBe(false);
      expect(sw(await fake.apdu(storeData(GET_EID)))).toBe('6985');
      expect(s.card().powered).toBe(true);
      expect(s.log.some((l) => l.includes('unpowered card'))).toBe(true);
      expect(fake.unread).toBe(0);
    } finally {
      await s.stop();
    }
  });

  it('reads several messages from one chunk and a message split byte by byte', async () => {
    const s = await serve();
    const { fake } = s;
    try {
      fake.sendRaw(
        Uint8Array.from([
          ...encodeFrame(Uint8Array.of(VPCD_CONTROL.GET_ATR)),
          ...encodeFrame(Uint8Array.of(POWER_ON)),
          ...encodeFrame(selectIsdR()),
          ...encodeFrame(Uint8Array.of(VPCD_CONTROL.GET_ATR)),
        ]),
      );
      expect(await fake.next()).toEqual(ATR_T0);
      expect(toHex(await fake.next())).toMatch(/^61/);
      expect(await fake.next()).toEqual(ATR_T0);

      const frame = encodeFrame(storeData(GET_EID));
      for (const b of frame) {
        fake.sendRaw(Uint8Array.of(b));
        await new Promise((r) => setTimeout(r, 1));
      }
      expect(toHex(await fake.next())).toBe('6115');
      expect(fake.unread).toBe(0);
    } finally {
      await s.stop();
    }
  });

  it('saves the state file after a change, before answering, and not after read-only APDUs', async () => {
    const s = await serve();
    const { fake } = s;
    try {
      const before = readFileSync(s.state, 'utf8');
      fake.control(POWER_ON);
      await exchange(fake, selectIsdR());
      await exchange(fake, storeData(GET_EID));
      await exchange(fake, storeData(GET_ADDRESSES));
      fake.control(RESET);
      await fake.atr();
      expect(s.card().saves).toBe(0);
      expect(readFileSync(s.state, 'utf8')).toBe(before);

      await exchange(fake, selectIsdR());
      const set = await exchange(fake, storeData(setDefaultDp('smdp.example.com')));
      // SetDefaultDpAddressResponse: setDefaultDpAddressResult ok (0).
      expect(toHex(set)).toBe('BF3F038001009000');
      // Read as soon as the answer arrived: already on disk.
      const saved = JSON.parse(readFileSync(s.state, 'utf8')) as { defaultDpAddress?: string };
      expect(saved.defaultDpAddress).toBe('smdp.example.com');
      expect(s.card().saves).toBe(1);
      await exchange(fake, storeData(GET_ADDRESSES));
      expect(s.card().saves).toBe(1);
    } finally {
      await s.stop();
    }
  });

  it('answers 6581 and goes back to the saved state when the state file cannot be written', async () => {
    const s = await serve();
    const { fake } = s;
    // writeFileDurably's temporary file cannot be created where a directory stands.
    const blocker = `${s.state}.${process.pid}.tmp`;
    try {
      fake.control(POWER_ON);
      await exchange(fake, selectIsdR());
      mkdirSync(blocker);
      expect(sw(await exchange(fake, storeData(setDefaultDp('a.example.com'))))).toBe('6581');
      rmdirSync(blocker);
      // Back at the saved state, as after a reset: select again, no default address.
      expect(sw(await fake.apdu(storeData(GET_ADDRESSES)))).toBe('6985');
      await exchange(fake, selectIsdR());
      const addresses = await exchange(fake, storeData(GET_ADDRESSES));
      expect(toHex(addresses)).not.toContain(toHex(new TextEncoder().encode('a.example.com')));
      expect(s.log.some((l) => l.includes('saving the eUICC state failed'))).toBe(true);
      expect(toHex(await exchange(fake, storeData(setDefaultDp('b.example.com'))))).toBe(
        'BF3F038001009000',
      );
      const saved = JSON.parse(readFileSync(s.state, 'utf8')) as { defaultDpAddress?: string };
      expect(saved.defaultDpAddress).toBe('b.example.com');
    } finally {
      rmSync(blocker, { recursive: true, force: true });
      await s.stop();
    }
  });
});

describe('the eUICC served to vpcd, as a T=1 card', () => {
  it('gives the T=1 ATR and returns data with the response when Le allows', async () => {
    const s = await serve({ t1: true });
    const { fake } = s;
    try {
      expect(await fake.atr()).toEqual(ATR_T1);
      fake.control(POWER_ON);
      const fci = await fake.apdu(selectIsdR());
      expect(sw(fci)).toBe('9000');
      expect(fci[0]).toBe(0x6f);
      const eid = await fake.apdu(storeData(GET_EID));
      expect(toHex(eid)).toBe(`BF3E125A10${s.card().euicc.eid}9000`);
    } finally {
      await s.stop();
    }
  });
});

describe('serving: lock, reconnection, stop', () => {
  it('holds the state file lock while serving and releases it when stopped', async () => {
    const s = await serve();
    try {
      await expect(acquireStateLock(s.state, { timeoutMs: 100 })).rejects.toBeInstanceOf(
        StateLockedError,
      );
    } finally {
      await s.stop();
    }
    const lock = await acquireStateLock(s.state, { timeoutMs: 100 });
    lock.release();
  });

  it('waits for vpcd, connects when it appears, and reconnects after it drops the card (power lost)', async () => {
    const free = await FakeVpcd.listen();
    const port = free.port;
    await free.close();
    const s = await serve({ port });
    let fake: FakeVpcd | undefined;
    try {
      await until(() => s.log.some((l) => l.includes('cannot connect')), 'a failed connection');
      fake = await FakeVpcd.listen(port);
      await fake.waitForCard();
      fake.control(POWER_ON);
      expect(toHex(await fake.apdu(fromHex('0070000001')))).toBe('019000');
      expect(sw(await exchange(fake, selectIsdR(1)))).toBe('9000');

      const again = fake.nextConnection();
      fake.dropCard();
      await again;
      expect(fake.connections).toBe(2);
      fake.control(POWER_ON);
      // The channel opened before the connection was lost is gone.
      expect(sw(await fake.apdu(storeData(GET_EID, 1)))).toBe('6881');
      expect(await fake.atr()).toEqual(ATR_T0);
    } finally {
      await s.stop();
      await fake?.close();
    }
  });

  it('with reconnect: false, ends when vpcd closes the connection', async () => {
    const s = await serve({ reconnect: false });
    try {
      s.fake.control(POWER_ON);
      expect(await s.fake.atr()).toEqual(ATR_T0);
      s.fake.dropCard();
      await s.done;
      expect(s.log.at(-1)).toBe('vpcd: stopped serving');
      expect(s.fake.connections).toBe(1);
    } finally {
      await s.stop();
    }
  });

  it('stops on the signal while waiting for vpcd, and releases the lock', async () => {
    const free = await FakeVpcd.listen();
    const port = free.port;
    await free.close();
    const s = await serve({ port });
    await until(() => s.log.some((l) => l.includes('cannot connect')), 'a failed connection');
    await s.stop();
    expect(s.log.at(-1)).toBe('vpcd: stopped serving');
    const lock = await acquireStateLock(s.state, { timeoutMs: 100 });
    lock.release();
  });

  it('refuses a bad vpcd address and a state file that is not one', async () => {
    const state = stateFile();
    await expect(
      euiccServe({ state, vpcd: '127.0.0.1:99999', log: () => undefined }),
    ).rejects.toMatchObject({ name: 'UsageError' });
    writeFileSync(state, '{"version":');
    await expect(
      euiccServe({ state, vpcd: '127.0.0.1:1', log: () => undefined }),
    ).rejects.toMatchObject({ name: 'CliInputError' });
    // The lock was released on the failure.
    const lock = await acquireStateLock(state, { timeoutMs: 100 });
    lock.release();
  });
});

describe('a reset while the LPA loads a Bound Profile Package', () => {
  const services = useServices();

  /** The served card, the LPA over the fake vpcd, and a reset armed at a download step. */
  async function rig(): Promise<{
    s: Served;
    lpa: ReturnType<typeof lpaOver>['lpa'];
    recovered: RecoveryResult[][];
    /** Resets the card before the next APDU; commands fail until `reconnect()`. */
    resetBeforeNextApdu(): void;
    reconnect(): Promise<void>;
    close(): Promise<void>;
  }> {
    const pki = services().pki.find((p) => p.ci.key.curve === 'P-256')!;
    const euicc = SoftwareEuicc.create({
      identity: createTestIdentity({ curve: 'P-256', seed: `vpcd-dl-${seed++}`, ci: pki.ci }),
    });
    const s = await serve({ state: stateFile(euicc) });
    const { fake } = s;
    // PC/SC: once the card was reset, every command on the application's handle fails
    // (SCARD_W_RESET_CARD) until it reconnects, which it does for its next operation.
    let resetNext = false;
    let resetSeen = false;
    const { es9p, es11 } = makeEs9p({ map: { [services().smdpAddress]: services().smdpUrl } });
    const recovered: RecoveryResult[][] = [];
    const stack = lpaOver(
      fake.transport(() => {
        if (resetNext) {
          resetNext = false;
          resetSeen = true;
          fake.control(RESET);
        }
        if (resetSeen) throw new TransportClosedError('the card was reset');
      }),
      { es9p, es11, journal: memoryJournal(), onRecovery: (r) => recovered.push(r) },
      (link: Es10Link) => link,
    );
    fake.control(POWER_ON);
    return {
      s,
      lpa: stack.lpa,
      recovered,
      resetBeforeNextApdu: () => {
        resetNext = true;
      },
      reconnect: async () => {
        resetSeen = false;
        // Control bytes get no answer: an ATR request after the reset shows it was handled.
        expect(await fake.atr()).toEqual(ATR_T0);
      },
      close: async () => {
        await stack.close();
        await s.stop();
      },
    };
  }

  it('leaves no half profile in the state file; the LPA reports the interruption and downloads again', async () => {
    const r = await rig();
    try {
      let armed = false;
      const e = await failure(
        r.lpa.download({
          activationCode: ac(services(), 'WEBLPA-REUSABLE'),
          confirm: yes,
          onProgress: (p) => {
            if (!armed && p.step === 'loadBoundProfilePackage' && (p.bytesSent ?? 0) > 0) {
              armed = true;
              r.resetBeforeNextApdu();
            }
          },
        }),
      );
      expect(armed).toBe(true);
      expect(e.reason).toBe('transport');
      expect(await r.lpa.interruptedSessions()).toHaveLength(1);
      await r.reconnect();

      // The file, read back: a complete card with no profile, the signed interruption result
      // pending, no session.
      const json = JSON.parse(readFileSync(r.s.state, 'utf8')) as Record<string, unknown>;
      expect(json.session).toBeUndefined();
      const reloaded = SoftwareEuicc.fromState(json);
      expect(reloaded.state.profiles).toEqual([]);
      expect(reloaded.state.notifications).toHaveLength(1);
      expect(reloaded.state.notifications[0]).toMatchObject({ event: 0 });

      // The next operation finishes the interrupted session: the SM-DP+ learns reason 11.
      const before = services().state().notifications.length;
      expect(await r.lpa.listProfiles()).toEqual([]);
      expect(r.recovered.flat()).toMatchObject([{ outcome: 'reported' }]);
      expect(services().state().notifications.slice(before)).toMatchObject([
        { kind: 'install', verified: true, result: { success: false, errorReason: 11 } },
      ]);

      // Nothing half-done is left: the same order installs now, and the file has it.
      const ok = await r.lpa.download({
        activationCode: ac(services(), 'WEBLPA-REUSABLE'),
        confirm: yes,
      });
      expect(ok.notification.sent).toBe(true);
      const after = SoftwareEuicc.fromState(JSON.parse(readFileSync(r.s.state, 'utf8')));
      expect(after.state.profiles.map((p) => p.iccid)).toEqual([ok.iccid]);
      expect(after.state.notifications).toEqual([]);
    } finally {
      await r.close();
    }
  }, 60_000);

  it('a reset before the package loads loses the session: nothing installed, nothing pending, the LPA moves on', async () => {
    const r = await rig();
    try {
      let armed = false;
      let keyInFile: boolean | undefined;
      const e = await failure(
        r.lpa.download({
          activationCode: ac(services(), 'WEBLPA-REUSABLE'),
          confirm: yes,
          onProgress: (p) => {
            // The package is being fetched: the card already answered PrepareDownload.
            if (p.step === 'getBoundProfilePackage' && !armed) {
              armed = true;
              // The one-time key lives in the card's RAM only, never in the served file.
              keyInFile = readFileSync(r.s.state, 'utf8').includes('otKey');
              r.resetBeforeNextApdu();
            }
          },
        }),
      );
      expect(e.reason).toBe('transport');
      expect(keyInFile).toBe(false);
      const [entry] = await r.lpa.interruptedSessions();
      expect(entry).toBeDefined();
      await r.reconnect();
      // Nothing was installed and no result is pending: the package never reached the card.
      const json = JSON.parse(readFileSync(r.s.state, 'utf8')) as Record<string, unknown>;
      expect(json.session).toBeUndefined();
      expect(SoftwareEuicc.fromState(json).state).toMatchObject({
        profiles: [],
        notifications: [],
      });

      expect(await r.lpa.listProfiles()).toEqual([]);
      // The card has neither the session nor a result for it, so it cannot sign a cancel: the
      // LPA drops the entry and the SM-DP+ session runs out (SGP.22 v2.2.2 §5.6.5 needs the
      // eUICC's signed CancelSessionResponse).
      expect(r.recovered.flat()).toMatchObject([
        { transactionId: entry!.transactionId, outcome: 'expires' },
      ]);
      expect(await r.lpa.interruptedSessions()).toEqual([]);
      const ok = await r.lpa.download({
        activationCode: ac(services(), 'WEBLPA-REUSABLE'),
        confirm: yes,
      });
      expect(ok.notification.sent).toBe(true);
    } finally {
      await r.close();
    }
  }, 60_000);
});
