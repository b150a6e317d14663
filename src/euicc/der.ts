/**
 * Small DER helpers for the card side: strict request parsing that maps malformed input to
 * the status word a card gives (6A80), and encoders for the few value types the eUICC emits.
 */
import {
  children,
  decodeOne,
  encodeTlv,
  encodeUnsigned,
  fromHex,
  toHex,
  TlvError,
  utf8,
} from '../codec/index.ts';
import type { Tlv } from '../codec/index.ts';
import { StatusWordError } from './errors.ts';
import { SW } from './iso7816.ts';

export { encodeTlv as tlv };

/** INTEGER-valued field with an implicit tag (e.g. `80 01 00`). */
export function intTlv(tag: number, value: number): Uint8Array {
  return encodeTlv(tag, encodeUnsigned(value));
}

export function utf8Tlv(tag: number, text: string): Uint8Array {
  return encodeTlv(tag, utf8.encode(text));
}

/** Runs `parse`, turning malformed input into 6A80 (wrong data). */
export function strict<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof StatusWordError) throw e;
    if (e instanceof TlvError || e instanceof TypeError || e instanceof RangeError)
      throw new StatusWordError(SW.WRONG_DATA, e.message);
    if (e instanceof Error && e.name === 'CodecError')
      throw new StatusWordError(SW.WRONG_DATA, e.message);
    throw e;
  }
}

/** The children of a request known to be exactly one TLV with tag `tag`. */
export function requestFields(request: Uint8Array, tag: number): Tlv[] {
  return strict(() => {
    const t = decodeOne(request, tag);
    if (!t.constructed) throw new TypeError('request is not constructed');
    return children(t);
  });
}

export const hex = toHex;
export const unhex = fromHex;

/** 3-byte VersionType from "major.minor.revision". */
export function version(text: string): Uint8Array {
  const parts = text.split('.').map(Number);
  if (parts.length !== 3 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new RangeError(`bad version ${text}`);
  return Uint8Array.from(parts);
}

/** A UTF-8 field as text, or 6A80 when the bytes are not UTF-8. */
export function text(value: Uint8Array): string {
  return strict(() => utf8.decode(value));
}
