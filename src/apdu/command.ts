/**
 * Command APDUs in the short form of ISO/IEC 7816-4 §5.1 (the only form the ES10 path needs:
 * STORE DATA blocks are cut to at most 255 bytes).
 *
 *   case 1: CLA INS P1 P2
 *   case 2: CLA INS P1 P2 Le
 *   case 3: CLA INS P1 P2 Lc data
 *   case 4: CLA INS P1 P2 Lc data Le
 *
 * Le is the number of response bytes expected, 1..256; 256 is encoded as 00.
 */
import { toHex } from '../codec/index.ts';
import { MalformedCommandError } from './errors.ts';

export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  /** Command data, 1..255 bytes; absent or empty means no Lc field. */
  readonly data?: Uint8Array;
  /** Expected response length Ne, 1..256; absent means no Le field. */
  readonly le?: number;
}

function checkByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${name} ${v} is not a byte`);
}

/** The wire bytes of a short command APDU. Throws RangeError for values a short APDU cannot carry. */
export function encodeCommand(cmd: CommandApdu): Uint8Array {
  checkByte('CLA', cmd.cla);
  checkByte('INS', cmd.ins);
  checkByte('P1', cmd.p1);
  checkByte('P2', cmd.p2);
  const data = cmd.data ?? new Uint8Array(0);
  if (data.length > 255)
    throw new RangeError(`${data.length} data bytes do not fit a short APDU (at most 255)`);
  const le = cmd.le;
  if (le !== undefined && (!Number.isInteger(le) || le < 1 || le > 256))
    throw new RangeError(`Le ${le} is outside 1..256`);
  const out = new Uint8Array(
    4 + (data.length > 0 ? 1 + data.length : 0) + (le !== undefined ? 1 : 0),
  );
  out[0] = cmd.cla;
  out[1] = cmd.ins;
  out[2] = cmd.p1;
  out[3] = cmd.p2;
  let i = 4;
  if (data.length > 0) {
    out[i++] = data.length;
    out.set(data, i);
    i += data.length;
  }
  if (le !== undefined) out[i] = le & 0xff; // 256 -> 00
  return out;
}

/**
 * Parses a short command APDU (the inverse of encodeCommand). A five-byte APDU is case 2
 * (P3 = Le, 00 = 256); longer ones carry Lc (never 00 in the short form) and data, then
 * optionally Le.
 */
export function decodeCommand(bytes: Uint8Array): CommandApdu {
  if (bytes.length < 4)
    throw new MalformedCommandError(
      `a command APDU has at least 4 bytes, not ${bytes.length}`,
      bytes,
    );
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  if (bytes.length === 4) return { cla, ins, p1, p2 };
  const p3 = bytes[4]!;
  if (bytes.length === 5) return { cla, ins, p1, p2, le: p3 === 0 ? 256 : p3 };
  if (p3 === 0)
    throw new MalformedCommandError('Lc 00 is not a short APDU (extended length)', bytes);
  const data = bytes.slice(5, 5 + p3);
  if (bytes.length === 5 + p3) return { cla, ins, p1, p2, data };
  if (bytes.length === 6 + p3) {
    const le = bytes[5 + p3]!;
    return { cla, ins, p1, p2, data, le: le === 0 ? 256 : le };
  }
  throw new MalformedCommandError(
    `Lc ${p3} does not match the ${bytes.length - 5} bytes after the header`,
    bytes,
  );
}

/** A copy of `cmd` with another Le (used for the 6Cxx resend). */
export function withLe(cmd: CommandApdu, le: number): CommandApdu {
  return { ...cmd, le };
}

/** Short hex form for messages: "80E29100 06 BF3E035C015A 00". */
export function describeCommand(cmd: CommandApdu): string {
  const head = toHex(Uint8Array.of(cmd.cla, cmd.ins, cmd.p1, cmd.p2));
  const parts = [head];
  if (cmd.data && cmd.data.length > 0)
    parts.push(toHex(Uint8Array.of(cmd.data.length)), toHex(cmd.data));
  if (cmd.le !== undefined) parts.push(toHex(Uint8Array.of(cmd.le & 0xff)));
  return parts.join(' ');
}
