/**
 * Profile package files served as they are by the test SM-DP+ (catalogue `file` orders and
 * `--profiles <dir>`): checked once when the catalogue loads, so a bad file is a catalogue error
 * rather than a failed installation later.
 *
 * A package is the TCA SAIP ProfileElement stream an SM-DP+ carries in the `86` segments of a
 * Bound Profile Package (SGP.22 v2.2.2 §2.5.5): DER ProfileElements, each a context-tagged
 * constructed CHOICE alternative, the ProfileHeader ([0] `A0`) first and the End element
 * ([10] `AA`) last.
 *
 * The ICCID: the eUICC compares the ProfileHeader's `iccid` (10 bytes) with the ICCID of the
 * StoreMetadataRequest (SGP.22 v2.2.2 §5.5.3, ErrorReason dataMismatch), so the SM-DP+ must put
 * exactly the header's 10 bytes there and never re-encode them. Packages carry them in one of
 * two ways:
 * - 'swapped': nibble-swapped BCD as in EF.ICCID and SGP.22 `5A` (`98 10 ...` for 8901...);
 * - 'plain': the digits in reading order, F-padded, as the published GSMA TS.48 test packages
 *   do (`89 49 44 99 ...` for 89494499...).
 * The decoded digits are for display only (catalogue, start-up output, /state).
 */
import {
  CodecError,
  TlvError,
  children,
  decodeUnsigned,
  luhnCheckDigit,
  readTlv,
  required,
  utf8,
  type Tlv,
} from '../../codec/index.ts';

/** ProfileHeader [0] and End [10] ProfileElement tags (TCA SAIP ASN.1, AUTOMATIC TAGS). */
const PE_HEADER = 0xa0;
const PE_END = 0xaa;
/** ProfileHeader `iccid` field [3]. */
const HEADER_ICCID = 0x83;
/** Deepest nesting checked inside one element (SAIP structures are a few levels deep). */
const MAX_DEPTH = 32;

export type IccidEncoding = 'swapped' | 'plain';

export interface HeaderIccid {
  /** The 10 bytes exactly as carried by the ProfileHeader (sent as StoreMetadata `5A`). */
  bytes: Uint8Array;
  /** The digits, without padding, for display. */
  digits: string;
  encoding: IccidEncoding;
}

export interface PackageInfo {
  iccid: HeaderIccid;
  majorVersion: number;
  minorVersion: number;
  profileType?: string;
  /** Number of ProfileElements, header and End included. */
  elements: number;
}

/** A profile package file that cannot be served; the message says why and where. */
export class PackageError extends Error {
  override readonly name = 'PackageError';
  constructor(
    readonly reason: string,
    /** Byte offset in the file, when the problem has a place. */
    readonly offset?: number,
  ) {
    super(offset === undefined ? reason : `${reason} (at byte ${offset})`);
  }
}

/** Reads BCD digits from nibbles, F padding allowed only at the end; undefined if not BCD. */
function digitsOf(nibbles: readonly number[]): string | undefined {
  let digits = '';
  let padded = false;
  for (const n of nibbles) {
    if (n === 0x0f) padded = true;
    else if (n > 9 || padded) return undefined;
    else digits += String(n);
  }
  return digits.length >= 18 ? digits : undefined;
}

/**
 * The ICCID of a ProfileHeader, in whichever of the two encodings it uses. Both readings are
 * tried; an ICCID starts with the telecom prefix 89 (ITU-T E.118), which settles the one case
 * where both readings give digits. Without that prefix the standard swapped reading wins.
 */
export function readHeaderIccid(bytes: Uint8Array): HeaderIccid {
  if (bytes.length !== 10)
    throw new PackageError(`the ProfileHeader ICCID is ${bytes.length} bytes, not 10`);
  const swapped = digitsOf([...bytes].flatMap((b) => [b & 0x0f, b >> 4]));
  const plain = digitsOf([...bytes].flatMap((b) => [b >> 4, b & 0x0f]));
  const copy = bytes.slice();
  if (swapped?.startsWith('89')) return { bytes: copy, digits: swapped, encoding: 'swapped' };
  if (plain?.startsWith('89')) return { bytes: copy, digits: plain, encoding: 'plain' };
  if (swapped !== undefined) return { bytes: copy, digits: swapped, encoding: 'swapped' };
  if (plain !== undefined) return { bytes: copy, digits: plain, encoding: 'plain' };
  throw new PackageError('the ProfileHeader ICCID is not 18 to 20 BCD digits in either encoding');
}

/** The 10 bytes as hex, optionally with the nibbles of each byte swapped, without F padding. */
function hexOf(bytes: Uint8Array, swap: boolean): string {
  return [...bytes]
    .map((b) => (swap ? ((b & 0x0f) << 4) | (b >> 4) : b))
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()
    .replace(/F+$/, '');
}

/**
 * Whether an ICCID written in a catalogue names the header's ICCID, in either encoding: the
 * same digits, or the same digits without the Luhn check digit the header ends with (the
 * catalogue appends it to 19-digit ICCIDs of generated orders), or the header's 10 bytes
 * written as hex, as stored or nibble-swapped (trailing F padding optional).
 */
export function iccidMatches(text: string, iccid: HeaderIccid): boolean {
  const given = text.replace(/\s+/g, '').toUpperCase().replace(/F+$/, '');
  if (given === iccid.digits) return true;
  if (/^\d{17,19}$/.test(given) && given + luhnCheckDigit(given) === iccid.digits) return true;
  return given === hexOf(iccid.bytes, false) || given === hexOf(iccid.bytes, true);
}

function checkNested(value: Uint8Array, base: number, depth: number): void {
  if (depth > MAX_DEPTH) throw new PackageError('elements nested too deeply', base);
  let pos = 0;
  while (pos < value.length) {
    const { tlv, next } = readTlv(value, pos, base);
    if (tlv.constructed)
      checkNested(tlv.value, tlv.offset + (tlv.raw.length - tlv.value.length), depth + 1);
    pos = next;
  }
}

function tagName(tag: number): string {
  return `0x${tag.toString(16).toUpperCase()}`;
}

/**
 * Checks a profile package file: a sequence of DER ProfileElements (every element and every
 * constructed value inside it well-formed TLV), the ProfileHeader first with a readable ICCID,
 * the End element last and nothing after it. Returns what the catalogue needs from the header.
 */
export function checkProfilePackage(bytes: Uint8Array): PackageInfo {
  if (bytes.length === 0) throw new PackageError('the file is empty');
  let pos = 0;
  let elements = 0;
  let header: Omit<PackageInfo, 'elements'> | undefined;
  let lastTag = 0;
  try {
    while (pos < bytes.length) {
      const { tlv, next } = readTlv(bytes, pos);
      // ProfileElements are constructed alternatives of the context class: A0..BF, BF xx.
      if ((tlv.raw[0]! & 0xe0) !== 0xa0)
        throw new PackageError(`${tagName(tlv.tag)} is not a ProfileElement tag`, pos);
      checkNested(tlv.value, pos + (tlv.raw.length - tlv.value.length), 1);
      if (elements === 0) {
        if (tlv.tag !== PE_HEADER)
          throw new PackageError(
            `the first ProfileElement is ${tagName(tlv.tag)}, not the ProfileHeader (A0)`,
            pos,
          );
        header = readHeader(tlv);
      } else if (tlv.tag === PE_HEADER) {
        throw new PackageError('a second ProfileHeader', pos);
      } else if (lastTag === PE_END) {
        throw new PackageError('a ProfileElement after the End element', pos);
      }
      lastTag = tlv.tag;
      elements++;
      pos = next;
    }
  } catch (e) {
    if (e instanceof TlvError) throw new PackageError(`malformed TLV: ${e.message}`);
    throw e;
  }
  if (lastTag !== PE_END)
    throw new PackageError('the last ProfileElement is not the End element (AA)', pos);
  return { ...header!, elements };
}

function readHeader(header: Tlv): Omit<PackageInfo, 'elements'> {
  try {
    const fields = children(header);
    const iccidField = fields.find((f) => f.tag === HEADER_ICCID);
    if (!iccidField) throw new PackageError('the ProfileHeader has no iccid [3] field');
    const info: Omit<PackageInfo, 'elements'> = {
      iccid: readHeaderIccid(iccidField.value),
      majorVersion: decodeUnsigned(required(fields, 0x80).value),
      minorVersion: decodeUnsigned(required(fields, 0x81).value),
    };
    const type = fields.find((f) => f.tag === 0x82);
    if (type) info.profileType = utf8.decode(type.value);
    return info;
  } catch (e) {
    if (
      e instanceof TlvError ||
      e instanceof CodecError ||
      e instanceof TypeError ||
      e instanceof RangeError
    )
      throw new PackageError(`bad ProfileHeader: ${e.message}`, header.offset);
    throw e;
  }
}
