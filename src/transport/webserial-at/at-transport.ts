/**
 * APDUs through a cellular modem's AT command port (3GPP TS 27.007):
 *   - 'cgla': AT+CCHO / AT+CGLA / AT+CCHC (§8.45-8.47), offered to the APDU layer as the
 *     Transport's `logicalChannels`. The modem owns the channel and sets the CLA channel bits; the
 *     channel handle is kept as an opaque string (decimal, Sierra's 64-bit hex such as
 *     000000000385a7cf, or Fibocom's bare line "1").
 *   - 'csim': AT+CSIM (§8.17) carries every APDU; the APDU layer opens channels with MANAGE
 *     CHANNEL itself.
 *   - 'csim-basic': AT+CSIM passes only basic-channel APDUs (the modem refuses MANAGE CHANNEL
 *     and channel CLAs); MANAGE CHANNEL open is answered 6881 here, so the APDU layer selects the
 *     ISD-R on the basic channel.
 * The strategy is found by trying the commands, never by "=?" test commands (Sierra EM7590
 * supports AT+CGLA= but not AT+CGLA=?; docs/platform.md §2.3). Both length fields count hex characters.
 * 61xx answers pass up unchanged: the APDU layer sends GET RESPONSE.
 *
 * STORE DATA block size: 120 bytes by default. With `probeStoreDataBlock` the transport sends one
 * 255-byte command at start (a SELECT the card refuses, on a channel of its own) and uses 255
 * when any answer comes back, 120 on ERROR or timeout; the result is kept in `blockMemory` under
 * `deviceId`, and a STORE DATA block over 120 bytes that the modem refuses later lowers it again.
 * An explicit `maxStoreDataBlock` (the user's choice) is kept as it is.
 */
import type { NativeLogicalChannel, NativeLogicalChannels, Transport } from '../transport.ts';
import { TransportClosedError } from '../transport.ts';
import { fromHex, toHex } from '../../codec/index.ts';
import { parseLengthHex, responseValue, type AtResponse } from './at-lines.ts';
import { AtRunner, type AtRunnerOptions, type ByteStream } from './at-runner.ts';
import {
  AtCommandError,
  AtNoAnswerError,
  AtResponseError,
  AtTimeoutError,
  AtUnsupportedError,
} from './errors.ts';
import { openSerialStream, type SerialPortLike, type SerialSettings } from './serial-port.ts';

export type AtStrategy = 'cgla' | 'csim' | 'csim-basic';

/** STORE DATA block sizes on AT links: what most modems carry, and the largest short APDU. */
export const AT_SAFE_BLOCK = 120;
export const AT_LARGE_BLOCK = 255;

/** Remembers the STORE DATA block size per device (e.g. localStorage in the browser). */
export interface StoreDataBlockMemory {
  get(deviceId: string): number | undefined;
  set(deviceId: string, size: number): void;
}

/** A StoreDataBlockMemory in a Map (tests, or one page's lifetime). */
export function mapBlockMemory(map = new Map<string, number>()): StoreDataBlockMemory {
  return {
    get: (id) => map.get(id),
    set: (id, size) => {
      map.set(id, size);
    },
  };
}

/** The part of Web Storage (localStorage) a block memory needs. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** A StoreDataBlockMemory in Web Storage: one key per device. */
export function storageBlockMemory(
  storage: KeyValueStorage,
  prefix = 'weblpa.at-store-data-block.',
): StoreDataBlockMemory {
  return {
    get: (id) => {
      const n = Number(storage.getItem(prefix + id));
      return n === AT_SAFE_BLOCK || n === AT_LARGE_BLOCK ? n : undefined;
    },
    set: (id, size) => {
      try {
        storage.setItem(prefix + id, String(size));
      } catch {
        // A full or blocked storage only costs a probe next time.
      }
    },
  };
}

/**
 * The block options the browser entry points use: probe, and remember per device in
 * localStorage when the page has it. Callers' own options win.
 */
export function probingBlockOptions(deviceId: string | undefined): AtTransportOptions {
  let storage: KeyValueStorage | undefined;
  try {
    storage = (globalThis as { localStorage?: KeyValueStorage }).localStorage;
  } catch {
    storage = undefined; // access denied (e.g. storage blocked for the site)
  }
  return {
    probeStoreDataBlock: true,
    ...(storage ? { blockMemory: storageBlockMemory(storage) } : {}),
    ...(deviceId !== undefined ? { deviceId } : {}),
  };
}

/** What to try when a modem refuses an APDU command (lpac#186: Quectel EC20F, CGLA mid-BPP). */
/** The standard ISD-R AID (SGP.22 §2.2.3), used to probe AT+CCHO. */
export const DEFAULT_PROBE_AID = fromHex('A0000005591010FFFFFFFF8900000100');

export interface AtTransportOptions extends AtRunnerOptions {
  /** 'auto' (default) tries CGLA first, then CSIM. */
  strategy?: 'auto' | AtStrategy;
  /** AIDs tried with AT+CCHO when probing (default: the standard ISD-R AID). */
  probeAids?: readonly Uint8Array[];
  /** Channel handles a previous session may have left open: closed with AT+CCHC at start. */
  rememberedHandles?: readonly string[];
  /** With CSIM, close logical channels 1-3 at start (MANAGE CHANNEL close). Default true. */
  closeStaleChannels?: boolean;
  /**
   * Timeout for STORE DATA (INS E2), which can take minutes while a profile segment installs
   * on a slow eUICC behind a slow modem. Default 240 s.
   */
  storeDataTimeoutMs?: number;
  label?: string;
  /** STORE DATA block size chosen by the user (1..255): kept, never probed. */
  maxStoreDataBlock?: number;
  /** Probe at start whether 255-byte STORE DATA blocks pass (default false: 120). */
  probeStoreDataBlock?: boolean;
  /** Where the probed size is kept, keyed by `deviceId`. */
  blockMemory?: StoreDataBlockMemory;
  /** Identity of the modem for `blockMemory` (e.g. USB vendor:product and serial). */
  deviceId?: string;
  /** Timeout of the 255-byte probe command. Default 5 s. */
  blockProbeTimeoutMs?: number;
  /**
   * When AT+CCHO fails with a +CME ERROR, close channels 1-3 with AT+CCHC (left open by an
   * earlier program) and try once more. Default true.
   */
  sweepStaleChannels?: boolean;
}

/** Timeout of the first AT: a port that says nothing in this time is taken as held elsewhere. */
const FIRST_AT_TIMEOUT_MS = 3000;

const STORE_DATA_INS = 0xe2;

export class AtTransport implements Transport {
  readonly label: string;
  readonly strategy: AtStrategy;
  #maxBlock: number;
  readonly logicalChannels?: NativeLogicalChannels;
  #runner: AtRunner;
  #options: AtTransportOptions;
  #handles = new Set<string>();
  #cchcUnsupported = false;
  #closing: Promise<void> | undefined;

  private constructor(runner: AtRunner, strategy: AtStrategy, options: AtTransportOptions) {
    this.#runner = runner;
    this.#options = options;
    this.strategy = strategy;
    this.label =
      options.label ??
      `AT modem (${strategy === 'cgla' ? 'AT+CGLA' : strategy === 'csim' ? 'AT+CSIM' : 'AT+CSIM, basic channel'})`;
    this.#maxBlock = options.maxStoreDataBlock ?? AT_SAFE_BLOCK;
    if (strategy === 'cgla') {
      this.logicalChannels = { open: (aid, signal) => this.#openChannel(aid, signal) };
    }
  }

  /**
   * Talks to the modem on `stream`: echo off, stale channels closed, strategy detected.
   * Throws AtUnsupportedError when neither CCHO/CGLA nor CSIM reach the SIM.
   */
  static async open(stream: ByteStream, options: AtTransportOptions = {}): Promise<AtTransport> {
    const runner = new AtRunner(stream, options);
    try {
      await firstAt(runner, options);
      try {
        await runner.run('ATE0');
      } catch (err) {
        if (!(err instanceof AtCommandError)) throw err;
      }
      for (const handle of options.rememberedHandles ?? []) {
        await runner.run(`AT+CCHC=${handle}`).catch(ignoreAtError);
      }
      const wanted = options.strategy ?? 'auto';
      const attempts: { command: string; error: Error }[] = [];
      if (wanted === 'auto' || wanted === 'cgla') {
        const probe = await probeCgla(runner, options, attempts);
        if (probe) {
          const t = new AtTransport(runner, 'cgla', options);
          t.#cchcUnsupported = probe.cchcUnsupported;
          await t.#chooseBlockSize(probe.aid);
          return t;
        }
      }
      if (wanted === 'auto' || wanted === 'csim' || wanted === 'csim-basic') {
        const found = await probeCsim(runner, options, attempts, wanted === 'csim-basic');
        if (found) {
          const t = new AtTransport(runner, found, options);
          await t.#chooseBlockSize(undefined);
          return t;
        }
      }
      throw new AtUnsupportedError(attempts);
    } catch (err) {
      await runner.close();
      throw err;
    }
  }

  /** Largest STORE DATA block this modem carries (120, or 255 when probed or remembered). */
  get maxStoreDataBlock(): number {
    return this.#maxBlock;
  }

  /** Sets the block size at start: the user's, the remembered one, or by probing. */
  async #chooseBlockSize(cglaAid: Uint8Array | undefined): Promise<void> {
    const o = this.#options;
    if (o.maxStoreDataBlock !== undefined || !o.probeStoreDataBlock) return;
    const id = o.deviceId;
    const remembered = id !== undefined ? o.blockMemory?.get(id) : undefined;
    if (remembered !== undefined) {
      this.#maxBlock = remembered;
      return;
    }
    const carried = await this.#probeLargeBlock(cglaAid);
    this.#maxBlock = carried ? AT_LARGE_BLOCK : AT_SAFE_BLOCK;
    if (id !== undefined) o.blockMemory?.set(id, this.#maxBlock);
  }

  /**
   * One command with 255 data bytes: SELECT by DF name with an over-long name, which a card
   * refuses (6700, 6A82...) without changing anything. Any answer means the modem carried the
   * line; ERROR or silence means it did not.
   */
  async #probeLargeBlock(cglaAid: Uint8Array | undefined): Promise<boolean> {
    const timeoutMs = this.#options.blockProbeTimeoutMs ?? 5000;
    const select = (cla: number) => {
      const apdu = new Uint8Array(5 + AT_LARGE_BLOCK).fill(0xff);
      apdu.set([cla, 0xa4, 0x04, 0x0c, AT_LARGE_BLOCK]);
      return apdu;
    };
    const carried = async (send: () => Promise<Uint8Array>): Promise<boolean> => {
      try {
        await send();
        return true;
      } catch (err) {
        if (!(
          err instanceof AtCommandError ||
          err instanceof AtTimeoutError ||
          err instanceof AtResponseError
        ))
          throw err;
        // A modem that choked on the line may still be busy with it: settle with a plain AT.
        await this.#runner.run('AT', { timeoutMs }).catch(() => undefined);
        return false;
      }
    };
    const r = this.#runner;
    if (this.strategy === 'cgla' && cglaAid) {
      const handle = await ccho(r, cglaAid);
      this.#handles.add(handle);
      try {
        return await carried(() => cgla(r, handle, select(0x00), timeoutMs));
      } finally {
        await this.#closeHandle(handle);
      }
    }
    if (this.strategy === 'csim') {
      const opened = await csim(r, Uint8Array.of(0x00, 0x70, 0x00, 0x00, 0x01));
      if (opened.length === 3 && opened[1] === 0x90) {
        const ch = opened[0]!;
        const cla = ch <= 3 ? ch : 0x40 | (ch - 4);
        try {
          return await carried(() => csim(r, select(cla), timeoutMs));
        } finally {
          await csim(r, Uint8Array.of(0x00, 0x70, 0x80, ch, 0x00)).catch(ignoreAtError);
        }
      }
    }
    return carried(() => csim(r, select(0x00), timeoutMs));
  }

  /** A STORE DATA block over 120 bytes the modem refused: remember 120 for this device. */
  #blockRefused(apdu: Uint8Array, err: unknown): unknown {
    const refused = err instanceof AtCommandError || err instanceof AtTimeoutError;
    const lc = apdu.length > 5 ? apdu[4]! : 0;
    if (!refused || apdu[1] !== STORE_DATA_INS || lc <= AT_SAFE_BLOCK) {
      return err instanceof AtCommandError ? err.withHint('apduRefused') : err;
    }
    this.#maxBlock = AT_SAFE_BLOCK;
    const id = this.#options.deviceId;
    if (id !== undefined) this.#options.blockMemory?.set(id, AT_SAFE_BLOCK);
    const hinted = err instanceof AtCommandError ? err.withHint('blockRefused') : err;
    // Read by the APDU layer, which then falls back to smaller blocks (src/apdu/isd-r.ts).
    Object.defineProperty(hinted, 'storeDataBlockRefused', { value: true });
    return hinted;
  }

  async #send(apdu: Uint8Array, send: () => Promise<Uint8Array>): Promise<Uint8Array> {
    try {
      return await send();
    } catch (err) {
      throw this.#blockRefused(apdu, err);
    }
  }

  /** Handles of channels open now (keep them to pass as `rememberedHandles` after a crash). */
  get openHandles(): string[] {
    return [...this.#handles];
  }

  #timeoutFor(apdu: Uint8Array): number | undefined {
    return apdu[1] === STORE_DATA_INS ? (this.#options.storeDataTimeoutMs ?? 240_000) : undefined;
  }

  /** AT+CSIM on whatever channel the CLA names. */
  async transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    this.#checkOpen();
    if (this.strategy === 'csim-basic' && apdu[1] === 0x70 && (apdu[0]! & 0x80) === 0) {
      // The modem lets no MANAGE CHANNEL through: answer as a card without logical channels.
      return Uint8Array.of(0x68, 0x81);
    }
    return this.#send(apdu, () => csim(this.#runner, apdu, this.#timeoutFor(apdu), signal));
  }

  #checkOpen(): void {
    if (this.#closing) throw new TransportClosedError('closed');
    if (this.#runner.closed) throw new TransportClosedError('the serial port was closed');
  }

  async #openChannel(aid: Uint8Array, signal?: AbortSignal): Promise<NativeLogicalChannel> {
    this.#checkOpen();
    const handle = await ccho(this.#runner, aid, signal);
    this.#handles.add(handle);
    let closed = false;
    return {
      transmit: async (apdu, s) => {
        if (closed) throw new TransportClosedError(`channel ${handle} is closed`);
        this.#checkOpen();
        return this.#send(apdu, () => cgla(this.#runner, handle, apdu, this.#timeoutFor(apdu), s));
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await this.#closeHandle(handle);
      },
    };
  }

  async #closeHandle(handle: string): Promise<void> {
    if (!this.#handles.has(handle) || this.#runner.closed) return;
    this.#handles.delete(handle);
    if (!this.#cchcUnsupported) {
      try {
        await this.#runner.run(`AT+CCHC=${handle}`);
        return;
      } catch (err) {
        if (!(err instanceof AtCommandError)) throw err;
        // Sierra EM9191 has no AT+CCHC (lpac#187): close through CSIM below.
        this.#cchcUnsupported = true;
      }
    }
    await closeByCsim(this.#runner, handle);
  }

  /** Closes every channel still open, then the port. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const h of [...this.#handles]) await this.#closeHandle(h).catch(() => undefined);
      await this.#runner.close();
    })();
    return this.#closing;
  }
}

function ignoreAtError(err: unknown): void {
  if (!(err instanceof AtCommandError)) throw err;
}

/** MANAGE CHANNEL close (ISO/IEC 7816-4 §11.1.2: 00 70 80 <ch> 00) through AT+CSIM, for a decimal handle. */
async function closeByCsim(runner: AtRunner, handle: string): Promise<void> {
  const channel = /^\d+$/.test(handle) ? Number(handle) : NaN;
  if (!(channel >= 1 && channel <= 19)) return; // an opaque handle cannot be mapped to a channel
  await csim(runner, Uint8Array.of(0x00, 0x70, 0x80, channel, 0x00)).catch(ignoreAtError);
}

async function probeCgla(
  runner: AtRunner,
  options: AtTransportOptions,
  attempts: { command: string; error: Error }[],
): Promise<{ cchcUnsupported: boolean; aid: Uint8Array } | undefined> {
  let swept = options.sweepStaleChannels === false;
  for (const aid of options.probeAids ?? [DEFAULT_PROBE_AID]) {
    let handle: string;
    try {
      handle = await ccho(runner, aid);
    } catch (err) {
      if (!(err instanceof AtCommandError || err instanceof AtResponseError)) throw err;
      if (!swept && err instanceof AtCommandError && mayBeChannelsInUse(err)) {
        // Channels an earlier program left open use up the card's few logical channels.
        swept = true;
        for (let h = 1; h <= 3; h++) await runner.run(`AT+CCHC=${h}`).catch(ignoreAtError);
        try {
          handle = await ccho(runner, aid);
        } catch (again) {
          if (!(again instanceof AtCommandError || again instanceof AtResponseError)) throw again;
          attempts.push({ command: again.command, error: again });
          continue;
        }
      } else {
        attempts.push({ command: err.command, error: err });
        continue;
      }
    }
    try {
      await runner.run(`AT+CCHC=${handle}`);
      return { cchcUnsupported: false, aid };
    } catch (err) {
      if (!(err instanceof AtCommandError)) throw err;
      await closeByCsim(runner, handle);
      return { cchcUnsupported: true, aid };
    }
  }
  return undefined;
}

/**
 * A +CME ERROR to AT+CCHO that may mean "no free channel" (SIM failure, memory full, SIM busy).
 * Not a plain ERROR (command unknown) nor Sierra's "Parameters error" / 50 (command refused).
 */
function mayBeChannelsInUse(err: AtCommandError): boolean {
  const c = err.cme;
  if (c === undefined) return false;
  if (typeof c === 'string') return !/parameter|not supported|not allowed/i.test(c);
  return ![3, 4, 50].includes(c);
}

/** The first AT: a port that stays silent is held by another program (or not an AT port). */
async function firstAt(runner: AtRunner, options: AtTransportOptions): Promise<void> {
  const timeoutMs = Math.min(options.timeoutMs ?? FIRST_AT_TIMEOUT_MS, FIRST_AT_TIMEOUT_MS);
  for (let i = 0; i < 2; i++) {
    try {
      await runner.run('AT', { timeoutMs });
      return;
    } catch (err) {
      if (!(err instanceof AtTimeoutError || err instanceof AtCommandError)) throw err;
      // One more try: the first line may have met the end of a previous program's command.
      if (i === 1) throw new AtNoAnswerError('AT', { cause: err });
    }
  }
}

async function probeCsim(
  runner: AtRunner,
  options: AtTransportOptions,
  attempts: { command: string; error: Error }[],
  basicOnly: boolean,
): Promise<'csim' | 'csim-basic' | undefined> {
  if (basicOnly) return (await probeCsimBasic(runner, attempts)) ? 'csim-basic' : undefined;
  if (options.closeStaleChannels ?? true) {
    for (let ch = 1; ch <= 3; ch++) {
      // 6881 (channel not open) is the usual answer; only an AT-level failure matters here.
      const r = await csim(runner, Uint8Array.of(0x00, 0x70, 0x80, ch, 0x00)).catch(
        (e: unknown) => e,
      );
      if (r instanceof AtCommandError || r instanceof AtResponseError) break;
      if (r instanceof Error) throw r;
    }
  }
  try {
    // MANAGE CHANNEL open (00 70 00 00 01) proves APDUs pass; close the channel again at once.
    const r = await csim(runner, Uint8Array.of(0x00, 0x70, 0x00, 0x00, 0x01));
    if (r.length === 3 && r[1] === 0x90 && r[2] === 0x00) {
      await csim(runner, Uint8Array.of(0x00, 0x70, 0x80, r[0]!, 0x00)).catch(ignoreAtError);
    }
    return 'csim';
  } catch (err) {
    if (!(err instanceof AtCommandError || err instanceof AtResponseError)) throw err;
    attempts.push({ command: err.command, error: err });
  }
  return (await probeCsimBasic(runner, attempts)) ? 'csim-basic' : undefined;
}

/**
 * CSIM on the basic channel only: STATUS (ETSI TS 102 221 §11.1.2, 80 F2 00 0C 00: no data
 * returned) proves that APDUs pass.
 */
async function probeCsimBasic(
  runner: AtRunner,
  attempts: { command: string; error: Error }[],
): Promise<boolean> {
  try {
    await csim(runner, Uint8Array.of(0x80, 0xf2, 0x00, 0x0c, 0x00));
    return true;
  } catch (err) {
    if (!(err instanceof AtCommandError || err instanceof AtResponseError)) throw err;
    attempts.push({ command: err.command, error: err });
    return false;
  }
}

function lengthHexAnswer(response: AtResponse, prefix: string): Uint8Array {
  const value = responseValue(response, prefix);
  const parsed = value === undefined ? undefined : parseLengthHex(value);
  if (!parsed) {
    throw new AtResponseError(response.command, response.lines.join(' | '), `no ${prefix} answer`);
  }
  // 27.007 counts hex characters; accept a byte count too, as a few firmwares send one.
  if (parsed.length !== parsed.hex.length && parsed.length * 2 !== parsed.hex.length) {
    throw new AtResponseError(response.command, value!, 'length does not match the hex data');
  }
  const bytes = fromHex(parsed.hex);
  if (bytes.length < 2) {
    throw new AtResponseError(response.command, value!, 'answer without a status word');
  }
  return bytes;
}

function runOptions(
  prefix: string,
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
) {
  const o: { prefix: string; timeoutMs?: number; signal?: AbortSignal } = { prefix };
  if (timeoutMs !== undefined) o.timeoutMs = timeoutMs;
  if (signal !== undefined) o.signal = signal;
  return o;
}

/** AT+CSIM=<length>,"<hex>" -> +CSIM: <length>,"<hex>" (27.007 §8.17). */
export async function csim(
  runner: AtRunner,
  apdu: Uint8Array,
  timeoutMs?: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const hex = toHex(apdu);
  const response = await runner.run(
    `AT+CSIM=${hex.length},"${hex}"`,
    runOptions('+CSIM:', timeoutMs, signal),
  );
  return lengthHexAnswer(response, '+CSIM:');
}

/** AT+CGLA=<handle>,<length>,"<hex>" -> +CGLA: <length>,"<hex>" (27.007 §8.43). */
export async function cgla(
  runner: AtRunner,
  handle: string,
  apdu: Uint8Array,
  timeoutMs?: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const hex = toHex(apdu);
  const response = await runner.run(
    `AT+CGLA=${handle},${hex.length},"${hex}"`,
    runOptions('+CGLA:', timeoutMs, signal),
  );
  return lengthHexAnswer(response, '+CGLA:');
}

/**
 * AT+CCHO="<AID>" (27.007 §8.45) -> the session handle as an opaque string: "+CCHO: 1",
 * "+CCHO: 000000000385a7cf" (Sierra), a bare "1" (Fibocom FM350), quotes stripped.
 */
export async function ccho(
  runner: AtRunner,
  aid: Uint8Array,
  signal?: AbortSignal,
): Promise<string> {
  const command = `AT+CCHO="${toHex(aid)}"`;
  const response = await runner.run(command, runOptions('+CCHO:', undefined, signal));
  const prefixed = responseValue(response, '+CCHO:');
  const candidate =
    prefixed ?? [...response.lines].reverse().find((l) => /^"?[0-9A-Fa-f]+"?$/.test(l));
  const handle = candidate?.replace(/^"|"$/g, '').trim();
  if (!handle || !/^[0-9A-Fa-f]+$/.test(handle)) {
    throw new AtResponseError(
      command,
      response.lines.join(' | '),
      'no channel handle in the answer',
    );
  }
  return handle;
}

/** Opens `port` (115200 8N1 unless told otherwise) and starts an AtTransport on it. */
export async function openAtTransport(
  port: SerialPortLike,
  options: AtTransportOptions & SerialSettings = {},
): Promise<AtTransport> {
  const stream = await openSerialStream(port, options);
  return AtTransport.open(stream, options);
}
