/**
 * APDUs through a cellular modem's AT command port (3GPP TS 27.007):
 *   - 'cgla': AT+CCHO / AT+CGLA / AT+CCHC (§8.45-8.47), offered to the APDU layer as the
 *     Transport's `logicalChannels`. The modem owns the channel and sets the CLA channel bits; the
 *     channel handle is kept as an opaque string (decimal, Sierra's 64-bit hex such as
 *     000000000385a7cf, or Fibocom's bare line "1").
 *   - 'csim': AT+CSIM (§8.17) carries every APDU; the APDU layer opens channels with MANAGE
 *     CHANNEL itself.
 * The strategy is found by trying the commands, never by "=?" test commands (Sierra EM7590
 * supports AT+CGLA= but not AT+CGLA=?; docs/platform.md §2.3). Both length fields count hex characters.
 * 61xx answers pass up unchanged: the APDU layer sends GET RESPONSE.
 */
import type { NativeLogicalChannel, NativeLogicalChannels, Transport } from '../transport.ts';
import { TransportClosedError } from '../transport.ts';
import { fromHex, toHex } from '../../codec/index.ts';
import { parseLengthHex, responseValue, type AtResponse } from './at-lines.ts';
import { AtRunner, type AtRunnerOptions, type ByteStream } from './at-runner.ts';
import { AtCommandError, AtResponseError, AtUnsupportedError } from './errors.ts';
import { openSerialStream, type SerialPortLike, type SerialSettings } from './serial-port.ts';

export type AtStrategy = 'cgla' | 'csim';

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
  /** Timeout for STORE DATA (INS E2), which can take seconds while a profile installs. Default 60 s. */
  storeDataTimeoutMs?: number;
  label?: string;
  /** STORE DATA block size; default 120 (some modems cap the AT line length). */
  maxStoreDataBlock?: number;
}

const STORE_DATA_INS = 0xe2;

export class AtTransport implements Transport {
  readonly label: string;
  readonly maxStoreDataBlock: number;
  readonly strategy: AtStrategy;
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
    this.label = options.label ?? `AT modem (${strategy === 'cgla' ? 'AT+CGLA' : 'AT+CSIM'})`;
    this.maxStoreDataBlock = options.maxStoreDataBlock ?? 120;
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
      await runner.run('AT');
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
          return t;
        }
      }
      if (wanted === 'auto' || wanted === 'csim') {
        if (await probeCsim(runner, options, attempts))
          return new AtTransport(runner, 'csim', options);
      }
      throw new AtUnsupportedError(attempts);
    } catch (err) {
      await runner.close();
      throw err;
    }
  }

  /** Handles of channels open now (keep them to pass as `rememberedHandles` after a crash). */
  get openHandles(): string[] {
    return [...this.#handles];
  }

  #timeoutFor(apdu: Uint8Array): number | undefined {
    return apdu[1] === STORE_DATA_INS ? (this.#options.storeDataTimeoutMs ?? 60_000) : undefined;
  }

  /** AT+CSIM on whatever channel the CLA names. */
  async transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    this.#checkOpen();
    return csim(this.#runner, apdu, this.#timeoutFor(apdu), signal);
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
        return cgla(this.#runner, handle, apdu, this.#timeoutFor(apdu), s);
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
): Promise<{ cchcUnsupported: boolean } | undefined> {
  for (const aid of options.probeAids ?? [DEFAULT_PROBE_AID]) {
    let handle: string;
    try {
      handle = await ccho(runner, aid);
    } catch (err) {
      if (!(err instanceof AtCommandError || err instanceof AtResponseError)) throw err;
      attempts.push({ command: err.command, error: err });
      continue;
    }
    try {
      await runner.run(`AT+CCHC=${handle}`);
      return { cchcUnsupported: false };
    } catch (err) {
      if (!(err instanceof AtCommandError)) throw err;
      await closeByCsim(runner, handle);
      return { cchcUnsupported: true };
    }
  }
  return undefined;
}

async function probeCsim(
  runner: AtRunner,
  options: AtTransportOptions,
  attempts: { command: string; error: Error }[],
): Promise<boolean> {
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
