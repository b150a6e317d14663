/**
 * AT response framing (pure; 3GPP TS 27.007 §4, ITU-T V.250 §5.7): a byte stream cut into lines
 * at CR/LF, and the lines of one command sorted into echo, information text, unsolicited result
 * codes (URCs) and the final result code (OK, ERROR, +CME ERROR: n, +CMS ERROR: n).
 */
import { AtCommandError } from './errors.ts';

/** Cuts a byte stream into lines at CR and/or LF; empty lines are dropped. Bytes are ASCII. */
export class AtLineSplitter {
  #partial = '';

  /** Feeds bytes; returns the lines they completed. */
  push(bytes: Uint8Array): string[] {
    let text = this.#partial;
    for (const b of bytes) text += String.fromCharCode(b);
    const parts = text.split(/\r\n|\r|\n/);
    this.#partial = parts.pop() ?? '';
    return parts.map((l) => l.trim()).filter((l) => l.length > 0);
  }

  /** What has arrived after the last line end (e.g. the "> " prompt of AT+CMGS). */
  get partial(): string {
    return this.#partial;
  }

  reset(): void {
    this.#partial = '';
  }
}

/**
 * Prefixes of unsolicited result codes that modems interleave with command responses: network
 * registration (27.007 §7.2, §10.1.19), ring, SMS indications (27.005 §3.4.1), SIM toolkit and
 * vendor boot/status messages (Quectel +QIND/+QUSIM/RDY, Huawei ^SYSSTART/^RSSI/^MODE, Sierra
 * +PACSP, SIMCom "SMS DONE"/"PB DONE").
 */
export const URC_PREFIXES: readonly string[] = [
  '+CREG:',
  '+CGREG:',
  '+CEREG:',
  '+C5GREG:',
  '+CGEV:',
  '+CMTI:',
  '+CMT:',
  '+CDS:',
  '+CDSI:',
  '+CBM:',
  '+CUSD:',
  '+CRING:',
  '+CLIP:',
  '+CIEV:',
  '+CTZV:',
  '+CTZE:',
  '+CTZEU:',
  '+STIN:',
  '+STKPCI:',
  '+QIND:',
  '+QUSIM:',
  '+QSTK:',
  '+QIURC:',
  '+QNITZ:',
  '+PACSP',
  '^SYSSTART',
  '^BOOT:',
  '^RSSI:',
  '^HCSQ:',
  '^MODE:',
  '^SRVST:',
  '^SIMST:',
  '^SIMSWITCH:',
  '*EMRDY:',
  '+SIM READY',
  '+CPIN: READY',
  '+CPIN: NOT READY',
  'RING',
  'RDY',
  'SMS DONE',
  'PB DONE',
  'CALL READY',
  'SMS READY',
  '+CFUN: 1',
];

/** True when `line` is an unsolicited result code rather than part of a command's answer. */
export function isUnsolicited(line: string, expectedPrefix?: string): boolean {
  if (expectedPrefix !== undefined && line.startsWith(expectedPrefix)) return false;
  const upper = line.toUpperCase();
  return URC_PREFIXES.some((p) => upper === p || upper.startsWith(p));
}

export type FinalResult =
  | { kind: 'ok' }
  | { kind: 'error' }
  | { kind: 'cme'; code: number | string }
  | { kind: 'cms'; code: number | string }
  | { kind: 'other'; text: string }; // NO CARRIER, BUSY, NO ANSWER, NO DIALTONE, COMMAND NOT SUPPORT

function code(text: string): number | string {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : t;
}

/** Classifies a final result code, or returns undefined for any other line. */
export function finalResult(line: string): FinalResult | undefined {
  // Verbose (V1) codes only: numeric "0"/"4" would clash with bare information text such as
  // Fibocom's channel number "1" answer, and the transport never switches the modem to V0.
  if (line === 'OK') return { kind: 'ok' };
  if (line === 'ERROR') return { kind: 'error' };
  const cme = /^\+CME ERROR:\s*(.*)$/i.exec(line);
  if (cme) return { kind: 'cme', code: code(cme[1]!) };
  const cms = /^\+CMS ERROR:\s*(.*)$/i.exec(line);
  if (cms) return { kind: 'cms', code: code(cms[1]!) };
  if (/^(NO CARRIER|BUSY|NO ANSWER|NO DIALTONE|COMMAND NOT SUPPORT)$/i.test(line)) {
    return { kind: 'other', text: line };
  }
  return undefined;
}

/** What a command answered: information lines in order (echo and URCs removed). */
export interface AtResponse {
  command: string;
  lines: string[];
}

/**
 * Collects the answer to one command, line by line. `line()` returns the AtResponse on OK, throws
 * AtCommandError on an error result, and returns undefined while the answer goes on. URCs are
 * handed to `onUrc`; the echo of the command (modems echo until ATE0) is dropped once.
 */
export class AtResponseParser {
  readonly command: string;
  readonly #prefix: string | undefined;
  readonly #onUrc: ((line: string) => void) | undefined;
  #lines: string[] = [];
  #echoSeen = false;

  constructor(command: string, options: { prefix?: string; onUrc?: (line: string) => void } = {}) {
    this.command = command;
    this.#prefix = options.prefix;
    this.#onUrc = options.onUrc;
  }

  line(line: string): AtResponse | undefined {
    if (!this.#echoSeen && this.#lines.length === 0 && line === this.command) {
      this.#echoSeen = true;
      return undefined;
    }
    const final = finalResult(line);
    if (final) {
      switch (final.kind) {
        case 'ok':
          return { command: this.command, lines: this.#lines };
        case 'error':
          throw new AtCommandError(this.command, line);
        case 'cme':
          throw new AtCommandError(this.command, line, final.code);
        case 'cms':
          throw new AtCommandError(this.command, line, undefined, final.code);
        case 'other':
          throw new AtCommandError(this.command, line);
      }
    }
    if (isUnsolicited(line, this.#prefix)) {
      this.#onUrc?.(line);
      return undefined;
    }
    this.#lines.push(line);
    return undefined;
  }
}

/**
 * The value after `prefix` in the answer's lines (e.g. "+CSIM:"), or undefined. The last matching
 * line wins, as a late echo or stray text may precede it.
 */
export function responseValue(response: AtResponse, prefix: string): string | undefined {
  for (let i = response.lines.length - 1; i >= 0; i--) {
    const l = response.lines[i]!;
    if (l.startsWith(prefix)) return l.slice(prefix.length).trim();
  }
  return undefined;
}

/** Parses `<length>,"<hex>"` (+CSIM / +CGLA answers); the quotes are optional. */
export function parseLengthHex(value: string): { length: number; hex: string } | undefined {
  const m = /^(\d+)\s*,\s*"?([0-9A-Fa-f]*)"?$/.exec(value);
  if (!m) return undefined;
  return { length: Number(m[1]), hex: m[2]!.toUpperCase() };
}
