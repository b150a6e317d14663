/**
 * Small helpers over Uint8Array shared by every layer: concatenation, comparison, integers.
 */

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Big-endian unsigned integer of `length` bytes. */
export function uintToBytes(value: number, length: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`not an unsigned integer: ${value}`);
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = v & 0xff;
    v = Math.floor(v / 256);
  }
  if (v !== 0) throw new RangeError(`${value} does not fit in ${length} bytes`);
  return out;
}

/** Big-endian unsigned integer from bytes (at most 6 bytes, to stay a safe integer). */
export function bytesToUint(bytes: Uint8Array): number {
  if (bytes.length > 6) throw new RangeError('integer too large');
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}

export const utf8 = {
  encode: (s: string): Uint8Array => new TextEncoder().encode(s),
  /** Strict: throws TypeError on malformed UTF-8. */
  decode: (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(b),
};
