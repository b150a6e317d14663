/**
 * A fake cellular modem behind a fake WebSerial SerialPort, at the byte-stream level: it reads
 * "AT...\r" lines from the writable stream and answers on the readable stream the way a modem
 * does (echo until ATE0, "\r\n<text>\r\n", final OK/ERROR/+CME ERROR). The SIM behind it is a card
 * function (the software eUICC's transmit, or a tiny stand-in).
 *
 * Vendor modes reproduce the quirks of docs/platform.md §2.3:
 *   standard    CCHO/CGLA/CCHC and CSIM per 27.007
 *   quectel     as standard, but a STATUS (INS F2) over CSIM on a logical channel fails (lpac#164)
 *   sierra      64-bit hex channel handles (000000000385a7cf), "=?" test commands rejected
 *   em9191      no AT+CCHC (lpac#187)
 *   em9191-cme  AT+CCHO of the ISD-R answers "+CME ERROR: Parameters error" (lpac#187)
 *   fibocom     AT+CCHO answers a bare "1" line without the +CCHO: prefix (FM350-GL)
 *   simcom7600  no eSIM AT commands at all: CCHO/CGLA/CCHC/CSIM all ERROR (lpac#168)
 *   dw5821e     CSIM only: no CCHO/CGLA/CCHC (lpac#164)
 *
 * Further quirks are options that can be combined with any mode (modem-personalities.ts names
 * the combinations seen on real modems): transcript rules that answer or delay matching
 * commands, echo left on after ATE0, a cap on the command line length, CSIM limited to the
 * basic channel, another program reading the port (noise lines, answers lost) and a simulated
 * clock that counts time per command instead of sleeping.
 */
import { concat, fromHex, toHex } from '../../../src/codec/index.ts';
import type { SerialPortLike } from '../../../src/transport/webserial-at/serial-port.ts';

export type CardFn = (apdu: Uint8Array) => Uint8Array | Promise<Uint8Array>;

export type ModemMode =
  | 'standard'
  | 'quectel'
  | 'sierra'
  | 'em9191'
  | 'em9191-cme'
  | 'fibocom'
  | 'simcom7600'
  | 'dw5821e';

/**
 * One line of a transcript table: a command matching `match` (the `nth` match only, 1-based;
 * every match when absent) is answered with `reply` (lines, the final result included) instead
 * of the modem's normal answer, and/or after `delayMs` (timer-based, so fake timers control it).
 */
export interface AtRule {
  match: RegExp;
  nth?: number;
  reply?: readonly string[];
  delayMs?: number;
  /** Simulated milliseconds this command takes (added to the modem's clock, never slept). */
  simulatedMs?: number;
}

export interface FakeModemOptions {
  mode?: ModemMode;
  card: CardFn;
  /** URC lines sent before every answer (e.g. "+CREG: 1", "RING"). */
  urcs?: string[];
  /** Answer echo until ATE0 (default true). */
  echo?: boolean;
  /** Milliseconds before each answer. */
  delayMs?: number;
  /** Channel handles the modem already holds open (stale sessions). */
  staleHandles?: string[];
  /**
   * The stale handles are decimal channel numbers open on the card (an earlier program's
   * AT+CCHO sessions): AT+CCHC closes them there too.
   */
  staleOnCard?: boolean;
  /** Transcript rules, checked in order before the normal handling. */
  rules?: readonly AtRule[];
  /** ATE0 answers OK but the modem keeps echoing. */
  echoStaysOn?: boolean;
  /** Command lines longer than this many characters fail ('error') or are never answered ('silent'). */
  lineCap?: { max: number; behaviour: 'error' | 'silent' };
  /** AT+CSIM passes only APDUs on the basic channel: MANAGE CHANNEL and channels 1-19 get ERROR. */
  csimBasicOnly?: boolean;
  /** Lines another program's traffic leaves on the port before every answer. */
  noise?: readonly string[];
  /** Another program reads the port: no answer ever reaches the host. */
  answersLost?: boolean;
  /** Simulated milliseconds per command; the total is in `simulatedMs`. */
  perCommandMs?: number;
}

/** CLA with the logical channel bits set (ISO/IEC 7816-4 §5.4.1), as a modem patches it for CGLA. */
export function claOnChannel(cla: number, channel: number): number {
  if (channel <= 3) return (cla & 0x8c) | channel;
  return (cla & 0x80) | 0x40 | (channel - 4);
}

export class FakeAtModem {
  readonly options: FakeModemOptions & { mode: ModemMode };
  /** Every command line received, in order. */
  readonly log: string[] = [];
  /** Every APDU the SIM saw, hex. */
  readonly cardLog: string[] = [];
  echo: boolean;
  /** Open sessions: handle -> channel number. */
  readonly sessions = new Map<string, number>();
  /** Simulated time spent answering (perCommandMs and rule simulatedMs), never slept. */
  simulatedMs = 0;
  #emit: (text: string) => void = () => undefined;
  #nextSierra = 0x0385a7cf;
  #ruleHits = new Map<AtRule, number>();

  constructor(options: FakeModemOptions) {
    this.options = { ...options, mode: options.mode ?? 'standard' };
    this.echo = options.echo ?? true;
    for (const h of options.staleHandles ?? [])
      this.sessions.set(h, options.staleOnCard ? Number(h) : 0);
  }

  /** Connects the modem's output. */
  attach(emit: (text: string) => void): void {
    this.#emit = emit;
  }

  /** Sends an unsolicited line now. */
  urc(line: string): void {
    this.#emit(`\r\n${line}\r\n`);
  }

  async #card(apdu: Uint8Array): Promise<Uint8Array> {
    this.cardLog.push(toHex(apdu));
    return this.options.card(apdu);
  }

  /** Handles one command line (without CR); returns the text to send back. */
  async command(line: string): Promise<string> {
    const answer = await this.#answer(line);
    return this.options.answersLost ? '' : answer;
  }

  async #answer(line: string): Promise<string> {
    this.log.push(line);
    this.simulatedMs += this.options.perCommandMs ?? 0;
    const echoed = this.echo ? `${line}\r` : '';
    const noise = (this.options.noise ?? []).map((n) => `\r\n${n}\r\n`).join('');
    const cap = this.options.lineCap;
    if (cap && line.length > cap.max) {
      return cap.behaviour === 'silent' ? '' : `${echoed}${noise}\r\nERROR\r\n`;
    }
    for (const rule of this.options.rules ?? []) {
      if (!rule.match.test(line)) continue;
      const hits = (this.#ruleHits.get(rule) ?? 0) + 1;
      this.#ruleHits.set(rule, hits);
      if (rule.nth !== undefined && rule.nth !== hits) continue;
      this.simulatedMs += rule.simulatedMs ?? 0;
      if (rule.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs));
      if (rule.reply) {
        return echoed + noise + rule.reply.map((l) => `\r\n${l}\r\n`).join('');
      }
      break;
    }
    return noise + (await this.#standard(line));
  }

  async #standard(line: string): Promise<string> {
    const out: string[] = [];
    const info = (t: string) => out.push(`\r\n${t}\r\n`);
    const ok = () => out.push('\r\nOK\r\n');
    const error = () => out.push('\r\nERROR\r\n');
    const cme = (c: string | number) => out.push(`\r\n+CME ERROR: ${c}\r\n`);
    const mode = this.options.mode;
    const noEsim = mode === 'simcom7600';
    const noChannels = noEsim || mode === 'dw5821e';
    for (const u of this.options.urcs ?? []) info(u);

    let m: RegExpExecArray | null;
    if (line === 'AT') ok();
    else if (/^ATE0$/i.test(line)) {
      if (!this.options.echoStaysOn) this.echo = false;
      ok();
    } else if (line.endsWith('=?')) {
      if (mode === 'sierra' || noEsim) error();
      else {
        info(`${line.slice(2, -2)}: (0-65535)`);
        ok();
      }
    } else if ((m = /^AT\+CSIM=(\d+),"([0-9A-Fa-f]*)"$/.exec(line))) {
      const apdu = fromHex(m[2]!);
      if (noEsim || Number(m[1]) !== m[2]!.length) error();
      else if (this.options.csimBasicOnly && ((apdu[0]! & 0x43) !== 0 || apdu[1] === 0x70)) error();
      else if (mode === 'quectel' && apdu[1] === 0xf2 && (apdu[0]! & 0x43) !== 0) error();
      else {
        const r = toHex(await this.#card(apdu));
        info(`+CSIM: ${r.length},"${r}"`);
        ok();
      }
    } else if ((m = /^AT\+CCHO="([0-9A-Fa-f]+)"$/.exec(line))) {
      if (noChannels) error();
      else if (mode === 'em9191-cme') cme('Parameters error');
      else await this.#ccho(fromHex(m[1]!), info, ok, cme);
    } else if ((m = /^AT\+CCHC=([0-9A-Fa-f]+)$/.exec(line))) {
      if (noChannels || mode === 'em9191') error();
      else {
        const ch = this.sessions.get(m[1]!);
        if (ch === undefined)
          cme(21); // invalid index
        else {
          this.sessions.delete(m[1]!);
          if (ch > 0) await this.#card(Uint8Array.of(0x00, 0x70, 0x80, ch, 0x00));
          ok();
        }
      }
    } else if ((m = /^AT\+CGLA=([0-9A-Fa-f]+),(\d+),"([0-9A-Fa-f]*)"$/.exec(line))) {
      const ch = this.sessions.get(m[1]!);
      if (noChannels) error();
      else if (ch === undefined || ch === 0) cme(21);
      else if (Number(m[2]) !== m[3]!.length)
        cme(50); // incorrect parameters
      else {
        const apdu = fromHex(m[3]!);
        if (apdu[0]! & 0x43) {
          cme(50); // 27.007 §8.43: the TE sends CLA with channel bits zero
        } else {
          apdu[0] = claOnChannel(apdu[0]!, ch);
          const r = toHex(await this.#card(apdu));
          info(`+CGLA: ${r.length},"${r}"`);
          ok();
        }
      }
    } else error();
    if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
    return (this.echo ? `${line}\r` : '') + out.join('');
  }

  async #ccho(
    aid: Uint8Array,
    info: (t: string) => void,
    ok: () => void,
    cme: (c: string | number) => void,
  ): Promise<void> {
    const opened = await this.#card(Uint8Array.of(0x00, 0x70, 0x00, 0x00, 0x01));
    if (opened.length !== 3 || opened[1] !== 0x90) {
      cme(13);
      return;
    }
    const ch = opened[0]!;
    const select = concat(
      Uint8Array.of(claOnChannel(0x00, ch), 0xa4, 0x04, 0x00, aid.length),
      aid,
      Uint8Array.of(0x00),
    );
    const r = await this.#card(select);
    const sw1 = r[r.length - 2];
    if (sw1 !== 0x90 && sw1 !== 0x61) {
      await this.#card(Uint8Array.of(0x00, 0x70, 0x80, ch, 0x00));
      cme(this.options.mode === 'standard' ? 13 : 'SIM failure');
      return;
    }
    let handle: string;
    if (this.options.mode === 'sierra') {
      handle = (this.#nextSierra++).toString(16).padStart(16, '0');
    } else handle = String(ch);
    this.sessions.set(handle, ch);
    if (this.options.mode === 'fibocom') info(handle);
    else info(`+CCHO: ${handle}`);
    ok();
  }
}

/** How open() fails, as Chromium rejects it (docs/platform.md §2): held elsewhere, or refused. */
export type FakePortMode = 'ok' | 'busy' | 'accessDenied';

/**
 * A fake SerialPort whose far end is a FakeAtModem. Like Chrome's, it is an EventTarget that
 * receives 'disconnect' when the modem goes away.
 */
export class FakeSerialPort extends EventTarget implements SerialPortLike {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  openedWith: SerialOptions | undefined;
  readonly modem: FakeAtModem;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #unplugged = false;

  mode: FakePortMode;

  constructor(modem: FakeAtModem, mode: FakePortMode = 'ok') {
    super();
    this.modem = modem;
    this.mode = mode;
  }

  open(options: SerialOptions): Promise<void> {
    if (this.readable) return Promise.reject(new DOMException('already open', 'InvalidStateError'));
    // Chromium's answers when the OS cannot open the device node (held by ModemManager, or no
    // permission) and when the permission policy blocks serial.
    if (this.mode === 'busy')
      return Promise.reject(new DOMException('Failed to open serial port.', 'NetworkError'));
    if (this.mode === 'accessDenied')
      return Promise.reject(
        new DOMException('Access to the feature "serial" is disallowed.', 'SecurityError'),
      );
    this.openedWith = options;
    const encoder = new TextEncoder();
    this.readable = new ReadableStream<Uint8Array>({
      start: (c) => {
        this.#controller = c;
      },
    });
    this.modem.attach((text) => {
      if (!this.#unplugged) this.#controller?.enqueue(encoder.encode(text));
    });
    let buffer = '';
    let chain = Promise.resolve();
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) => {
        if (this.#unplugged) throw new DOMException('The device has been lost.', 'NetworkError');
        for (const b of chunk) buffer += String.fromCharCode(b);
        let i: number;
        while ((i = buffer.indexOf('\r')) >= 0) {
          const line = buffer.slice(0, i).trim();
          buffer = buffer.slice(i + 1);
          if (!line) continue;
          chain = chain.then(async () => {
            const answer = await this.modem.command(line);
            if (!this.#unplugged) this.#controller?.enqueue(encoder.encode(answer));
          });
        }
      },
    });
    return Promise.resolve();
  }

  /** The modem disappears: the readable stream errors, writes fail. */
  unplug(): void {
    this.#unplugged = true;
    this.#controller?.error(new DOMException('The device has been lost.', 'NetworkError'));
    this.dispatchEvent(new Event('disconnect'));
  }

  close(): Promise<void> {
    this.readable = null;
    this.writable = null;
    return Promise.resolve();
  }
}

export function createFakeModem(options: FakeModemOptions): {
  port: FakeSerialPort;
  modem: FakeAtModem;
} {
  const modem = new FakeAtModem(options);
  return { port: new FakeSerialPort(modem), modem };
}
