/**
 * Small DER building and reading helpers for X.509 and key containers (X.690), over the codec's
 * TLV layer. Internal to src/rsp.
 */
import {
  children,
  decodeOne,
  encodeTlv,
  encodeUnsigned,
  TlvError,
  utf8,
  type Tlv,
} from '../codec/index.ts';
import { CertificateError } from './errors.ts';
import { decodeOid, encodeOid } from './oid.ts';

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  t61String: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

export const seq = (...parts: readonly Uint8Array[]): Uint8Array =>
  encodeTlv(TAG.sequence, ...parts);
export const set = (...parts: readonly Uint8Array[]): Uint8Array => encodeTlv(TAG.set, ...parts);
export const oid = (dotted: string): Uint8Array => encodeTlv(TAG.oid, encodeOid(dotted));
export const octets = (b: Uint8Array): Uint8Array => encodeTlv(TAG.octetString, b);
export const bool = (v: boolean): Uint8Array => encodeTlv(TAG.boolean, Uint8Array.of(v ? 0xff : 0));
export const int = (v: number | bigint): Uint8Array => encodeTlv(TAG.integer, encodeUnsigned(v));
/** BIT STRING with no unused bits (keys, signatures). */
export const bits = (b: Uint8Array): Uint8Array => encodeTlv(TAG.bitString, Uint8Array.of(0), b);

/** Runs `fn`, turning codec errors into CertificateError('malformed'). */
export function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CertificateError) throw e;
    if (e instanceof TlvError || e instanceof RangeError || e instanceof TypeError)
      throw new CertificateError('malformed', `${what}: ${e.message}`);
    throw e;
  }
}

/** Child elements of a constructed element, checking the expected tag. */
export function kids(tlv: Tlv, tag: number, what: string): Tlv[] {
  if (tlv.tag !== tag)
    throw new CertificateError('malformed', `${what}: expected tag ${tag.toString(16)}`);
  return children(tlv);
}

export function one(bytes: Uint8Array, tag: number, what: string): Tlv {
  const t = decodeOne(bytes);
  if (t.tag !== tag)
    throw new CertificateError('malformed', `${what}: expected tag ${tag.toString(16)}`);
  return t;
}

export function at(list: readonly Tlv[], i: number, tag: number, what: string): Tlv {
  const t = list[i];
  if (t?.tag !== tag)
    throw new CertificateError('malformed', `${what}: expected tag ${tag.toString(16)} at ${i}`);
  return t;
}

export function readOid(t: Tlv, what: string): string {
  if (t.tag !== TAG.oid) throw new CertificateError('malformed', `${what}: expected an OID`);
  return decodeOid(t.value);
}

/** The contents of a BIT STRING with no unused bits. */
export function readBitStringBytes(t: Tlv, what: string): Uint8Array {
  if (t.tag !== TAG.bitString || t.value[0] !== 0)
    throw new CertificateError('malformed', `${what}: expected a BIT STRING with no unused bits`);
  return t.value.subarray(1);
}

/** Decodes a directory string (UTF8, Printable, IA5, T61 as Latin-1, BMP). */
export function readString(t: Tlv): string {
  switch (t.tag) {
    case TAG.utf8String:
      return utf8.decode(t.value);
    case TAG.printableString:
    case TAG.ia5String:
    case TAG.t61String:
      return String.fromCharCode(...t.value);
    case TAG.bmpString: {
      if (t.value.length % 2 !== 0) throw new CertificateError('malformed', 'odd BMPString');
      let s = '';
      for (let i = 0; i < t.value.length; i += 2)
        s += String.fromCharCode((t.value[i]! << 8) | t.value[i + 1]!);
      return s;
    }
    default:
      throw new CertificateError('malformed', `tag ${t.tag.toString(16)} is not a string`);
  }
}

/** PrintableString when the text allows it (X.680 §41.4), else UTF8String. */
export function directoryString(text: string, printable = false): Uint8Array {
  if (printable) {
    if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text))
      throw new CertificateError('malformed', `"${text}" is not a PrintableString`);
    return encodeTlv(TAG.printableString, utf8.encode(text));
  }
  return encodeTlv(TAG.utf8String, utf8.encode(text));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; always seconds and Z. */
export function encodeTime(date: Date): Uint8Array {
  if (Number.isNaN(date.getTime())) throw new CertificateError('malformed', 'invalid date');
  const y = date.getUTCFullYear();
  const p = (n: number): string => n.toString().padStart(2, '0');
  const rest =
    p(date.getUTCMonth() + 1) +
    p(date.getUTCDate()) +
    p(date.getUTCHours()) +
    p(date.getUTCMinutes()) +
    p(date.getUTCSeconds()) +
    'Z';
  if (y >= 1950 && y < 2050) return encodeTlv(TAG.utcTime, utf8.encode(p(y % 100) + rest));
  if (y < 0 || y > 9999) throw new CertificateError('malformed', `year ${y} out of range`);
  return encodeTlv(TAG.generalizedTime, utf8.encode(y.toString().padStart(4, '0') + rest));
}

export function readTime(t: Tlv): Date {
  const s = String.fromCharCode(...t.value);
  let m: RegExpExecArray | null;
  let year: number;
  if (t.tag === TAG.utcTime && (m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s))) {
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (
    t.tag === TAG.generalizedTime &&
    (m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s))
  ) {
    year = Number(m[1]);
  } else {
    throw new CertificateError('malformed', `bad time "${s}"`);
  }
  const [mo, d, h, mi, se] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, se));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || se > 59)
    throw new CertificateError('malformed', `bad time "${s}"`);
  if (year < 100) date.setUTCFullYear(year);
  return date;
}
