/**
 * Base64 (RFC 4648, standard alphabet, padded) for ES9+ JSON fields.
 * Decoding tolerates whitespace and line breaks (servers wrap long BPPs) and missing padding,
 * but rejects any other character.
 */
import { CodecError } from './errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

export function fromBase64(text: string): Uint8Array {
  // Collect the alphabet characters and padding, skipping whitespace; positions refer to `text`.
  const values: number[] = [];
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b) continue;
    if (c === 0x3d) {
      padding++;
      continue;
    }
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0 || padding > 0)
      throw new CodecError(
        'base64',
        `invalid character ${JSON.stringify(text[i])} at position ${i}${v >= 0 ? ' (after padding)' : ''}`,
      );
    values.push(v);
  }
  if (padding > 2) throw new CodecError('base64', 'too much padding');
  if (values.length % 4 === 1) throw new CodecError('base64', 'truncated input');
  // Padding is optional, but when present it must complete the last quantum (RFC 4648 §4).
  if (padding > 0 && (values.length + padding) % 4 !== 0)
    throw new CodecError('base64', 'padding does not complete the last 4-character group');
  const out = new Uint8Array(Math.floor((values.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const v of values) {
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
