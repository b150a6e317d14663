/** Response APDUs (ISO/IEC 7816-4 §5.1): response data followed by SW1 SW2. */
import { MalformedResponseError } from './errors.ts';

export interface ResponseApdu {
  readonly data: Uint8Array;
  /** SW1 << 8 | SW2. */
  readonly sw: number;
  readonly sw1: number;
  readonly sw2: number;
}

/** Splits response bytes into data and status word. Needs at least the two SW bytes. */
export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2)
    throw new MalformedResponseError(
      `a response APDU has at least 2 bytes (SW1 SW2), got ${bytes.length}`,
      bytes,
    );
  const sw1 = bytes[bytes.length - 2]!;
  const sw2 = bytes[bytes.length - 1]!;
  return { data: bytes.subarray(0, bytes.length - 2), sw: (sw1 << 8) | sw2, sw1, sw2 };
}

/** The wire form of a response (data then SW1 SW2). */
export function encodeResponse(data: Uint8Array, sw: number): Uint8Array {
  if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff) throw new RangeError(`bad status word ${sw}`);
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}
