/**
 * Hexadecimal at the edges (logs, JSON transaction ids, AT commands). Whitespace is accepted on input.
 */
import { CodecError } from './errors.ts';

const HEX = '0123456789ABCDEF';

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b >> 4]! + HEX[b & 15]!;
  return s;
}

export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0) throw new CodecError('hex', 'odd number of hex digits');
  if (!/^[0-9a-fA-F]*$/.test(clean)) throw new CodecError('hex', 'not a hex string');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
