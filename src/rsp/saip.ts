/**
 * A codec for the TCA eUICC Profile Package (SAIP, "Interoperable Profile Package"): the
 * stream of ProfileElements that an SM-DP+ sends inside the `86` segments of a Bound Profile
 * Package (SGP.22 v2.2.2 §2.5.5).
 *
 * Each ProfileElement is a CHOICE alternative with a context tag (header [0] `A0`,
 * genericFileManagement [1] `A1`, ..., end [10] `AA`, mf [16] `B0`, ..., see saip/tags.ts).
 * The header is decoded (versions, profile type, ICCID); every other element is checked
 * against its ASN.1 structure (saip/validate.ts) and kept as its exact bytes. PEs may be split
 * across `86` segments at any byte, so `ProfilePackageParser` accepts the stream in pieces and
 * yields complete elements. saip/test-profiles.ts generates packages shaped like the GSMA
 * TS.48 generic test profiles.
 */
import {
  concat,
  decodeAll,
  decodeIccid,
  decodeOne,
  decodeUnsigned,
  encodeIccid,
  encodeTlv,
  find,
  readTlv,
  required,
  utf8,
  children,
  CodecError,
  TlvError,
} from '../codec/index.ts';
import type { Tlv } from '../codec/index.ts';
import { PeTag } from './saip/tags.ts';
import { checkProfileElement, PeStructureError } from './saip/validate.ts';

export { PeTag, peName, Service, TemplateOid } from './saip/tags.ts';
export type { PeName, ServiceName } from './saip/tags.ts';
export { checkProfileElement, PeStructureError } from './saip/validate.ts';
export {
  encodeTestProfile,
  TEST_PROFILE_VARIANTS,
  TestProfileError,
} from './saip/test-profiles.ts';
export type {
  IccidEncoding,
  TestProfileOptions,
  TestProfileVariant,
} from './saip/test-profiles.ts';

/** Malformed profile package; `offset` is the byte index in the package stream. */
export class SaipError extends Error {
  override readonly name = 'SaipError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
  }
}

export interface ProfileHeader {
  majorVersion: number;
  minorVersion: number;
  profileType?: string;
  /** ICCID digits, decoded from the 10-byte nibble-swapped BCD of header field [3]. */
  iccid: string;
  /** The 10 ICCID bytes exactly as carried (compare these with StoreMetadata's `5A`). */
  iccidBytes: Uint8Array;
}

export interface ProfileElement {
  tag: number;
  /** The whole element, tag and length included. */
  raw: Uint8Array;
}

export interface ProfilePackage {
  header: ProfileHeader;
  elements: ProfileElement[];
  hasEnd: boolean;
}

/** Decodes the ProfileHeader element (`A0 {80 major, 81 minor, [82 type], 83 iccid, ...}`). */
export function parseProfileHeader(raw: Uint8Array, offset = 0): ProfileHeader {
  try {
    const tlv = decodeOne(raw, PeTag.header);
    const fields = children(tlv);
    const major = decodeUnsigned(required(fields, 0x80, tlv).value);
    const minor = decodeUnsigned(required(fields, 0x81, tlv).value);
    const type = find(fields, 0x82);
    const iccidBytes = required(fields, 0x83, tlv).value;
    const header: ProfileHeader = {
      majorVersion: major,
      minorVersion: minor,
      iccid: decodeHeaderIccid(iccidBytes),
      iccidBytes: iccidBytes.slice(),
    };
    if (type) header.profileType = utf8.decode(type.value);
    return header;
  } catch (e) {
    if (e instanceof TlvError) throw new SaipError(`bad ProfileHeader: ${e.message}`, offset);
    if (e instanceof CodecError || e instanceof TypeError)
      throw new SaipError(`bad ProfileHeader: ${e.message}`, offset);
    throw e;
  }
}

/**
 * The header ICCID is meant to be coded like EF.ICCID (nibble-swapped BCD, as SGP.22 `5A`),
 * but published TS.48 test packages carry it in plain digit order (`89 49 44 ...`). Both are
 * accepted: the swapped reading wins unless only the plain one gives an ICCID starting "89"
 * (ITU-T E.118: the telecom industry prefix). An SM-DP+ that copies the header bytes into
 * StoreMetadata sends the same coding there, so the eUICC reads `5A` the same way.
 */
export function decodePackageIccid(bytes: Uint8Array): string {
  if (bytes.length !== 10) throw new CodecError('iccid', 'an ICCID field has 10 bytes');
  return decodeHeaderIccid(bytes);
}

function decodeHeaderIccid(bytes: Uint8Array): string {
  let swapped: string | undefined;
  try {
    swapped = decodeIccid(bytes);
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
  }
  if (swapped?.startsWith('89')) return swapped;
  let plain = '';
  let padded = false;
  for (const b of bytes) {
    for (const nibble of [b >> 4, b & 0x0f]) {
      if (nibble === 0x0f) padded = true;
      else if (nibble > 9 || padded) return orFail(swapped);
      else plain += String(nibble);
    }
  }
  if (plain.length >= 18 && plain.startsWith('89')) return plain;
  return orFail(swapped);
}

function orFail(iccid: string | undefined): string {
  if (iccid === undefined) throw new CodecError('iccid', 'the header ICCID is not BCD digits');
  return iccid;
}

/** Parses a complete profile package held in memory. */
export function parseProfilePackage(bytes: Uint8Array): ProfilePackage {
  const parser = new ProfilePackageParser();
  const elements = parser.push(bytes);
  parser.finish();
  const header = parser.header;
  if (!header) throw new SaipError('the package is empty', 0);
  return { header, elements, hasEnd: parser.hasEnd };
}

/** Largest single ProfileElement accepted (a guard against absurd length fields). */
const MAX_ELEMENT = 4 * 1024 * 1024;

/**
 * Incremental parser: `push()` any slice of the stream and get back the ProfileElements that
 * became complete. The first element must be the header; nothing may follow the end element.
 */
export class ProfilePackageParser {
  private buffer: Uint8Array = new Uint8Array(0);
  /** Stream offset of `buffer[0]`. */
  private consumed = 0;
  header: ProfileHeader | undefined;
  hasEnd = false;
  elementCount = 0;
  /** PEs of a kind this codec does not know, accepted because not marked mandated. */
  unknownCount = 0;

  /** Total bytes received so far. */
  get received(): number {
    return this.consumed + this.buffer.length;
  }

  push(bytes: Uint8Array): ProfileElement[] {
    this.buffer = this.buffer.length === 0 ? bytes.slice() : concat(this.buffer, bytes);
    const out: ProfileElement[] = [];
    let pos = 0;
    for (;;) {
      const head = peekHeader(this.buffer, pos, this.consumed + pos);
      if (head === undefined) break;
      const total = head.headerLength + head.valueLength;
      if (head.valueLength > MAX_ELEMENT)
        throw new SaipError('ProfileElement too large', this.consumed + pos);
      if (pos + total > this.buffer.length) break;
      const at = this.consumed + pos;
      const raw = this.buffer.slice(pos, pos + total);
      // Strict check of the element (minimal lengths, nested structure parses).
      let tlv: Tlv;
      try {
        tlv = readTlv(raw, 0, at).tlv;
        if (tlv.constructed) decodeAll(tlv.value, at + head.headerLength);
      } catch (e) {
        if (e instanceof TlvError) throw new SaipError(e.message, at);
        throw e;
      }
      if (this.hasEnd) throw new SaipError('data after the end element', at);
      if (this.elementCount > 0 && head.tag !== PeTag.header) {
        try {
          if (checkProfileElement(tlv).unknown) this.unknownCount++;
        } catch (e) {
          if (e instanceof PeStructureError || e instanceof TlvError)
            throw new SaipError(e.message, at);
          throw e;
        }
      }
      if (this.elementCount === 0) {
        if (head.tag !== PeTag.header)
          throw new SaipError('the first ProfileElement is not the header', at);
        this.header = parseProfileHeader(raw, at);
      } else if (head.tag === PeTag.header) {
        throw new SaipError('a second header element', at);
      }
      if (head.tag === PeTag.end) this.hasEnd = true;
      this.elementCount++;
      out.push({ tag: head.tag, raw });
      pos += total;
    }
    this.buffer = this.buffer.slice(pos);
    this.consumed += pos;
    return out;
  }

  /** Throws if the stream stopped inside an element. */
  finish(): void {
    if (this.buffer.length > 0)
      throw new SaipError(
        `the stream ends inside a ProfileElement (${this.buffer.length} bytes pending)`,
        this.consumed,
      );
  }
}

/**
 * Reads a tag and length at `pos` without requiring the value to be present.
 * Returns undefined when more bytes are needed; throws SaipError on a malformed header.
 */
function peekHeader(
  buf: Uint8Array,
  pos: number,
  streamOffset: number,
): { tag: number; headerLength: number; valueLength: number } | undefined {
  let p = pos;
  if (p >= buf.length) return undefined;
  const first = buf[p++]!;
  if (first === 0x00 || first === 0xff) throw new SaipError('invalid tag byte', streamOffset);
  // ProfileElements are constructed CHOICE alternatives of the context class.
  if ((first & 0xe0) !== 0xa0) throw new SaipError('not a ProfileElement tag', streamOffset);
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    for (let n = 0; ; n++) {
      if (p >= buf.length) return undefined;
      if (n >= 2) throw new SaipError('tag too long', streamOffset);
      const b = buf[p++]!;
      tag = tag * 256 + b;
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= buf.length) return undefined;
  const l0 = buf[p++]!;
  let length = l0;
  if (l0 === 0x80) throw new SaipError('indefinite length', streamOffset);
  if (l0 > 0x80) {
    const n = l0 & 0x7f;
    if (n > 4) throw new SaipError('length field too long', streamOffset);
    if (p + n > buf.length) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[p++]!;
  }
  return { tag, headerLength: p - pos, valueLength: length };
}

export interface MinimalProfileOptions {
  /** ICCID digits (18-20, Luhn-checked by the codec). */
  iccid: string;
  /** Header profileType, e.g. "WebLPA test profile". */
  profileType?: string;
  /** Approximate total size in bytes: filler elements are added until it is reached. */
  size?: number;
}

/** Bytes of filler content carried by one generic file element. */
const FILLER_CHUNK = 1000;

/**
 * A minimal but well-formed profile package: header (SAIP 2.3), as many genericFileManagement
 * elements as needed to reach `size`, and the end element. The filler elements write
 * deterministic bytes into EF 2F00-style paths so two packages of the same options are equal.
 */
export function encodeMinimalProfile(options: MinimalProfileOptions): Uint8Array {
  const headerFields = [encodeTlv(0x80, Uint8Array.of(2)), encodeTlv(0x81, Uint8Array.of(3))];
  if (options.profileType !== undefined)
    headerFields.push(encodeTlv(0x82, utf8.encode(options.profileType)));
  headerFields.push(
    encodeTlv(0x83, encodeIccid(options.iccid)),
    // eUICC-Mandatory-services [5] and eUICC-Mandatory-GFSTEList [6]: none required.
    encodeTlv(0xa5),
    encodeTlv(0xa6),
  );
  const parts: Uint8Array[] = [encodeTlv(PeTag.header, ...headerFields)];
  let id = 1;
  const endElement = peEnd(0xffff);
  let size = parts[0]!.length + endElement.length;
  const target = options.size ?? 0;
  while (size < target) {
    const remaining = target - size;
    // Element overhead is about 20 bytes; never emit an empty chunk.
    const chunk = Math.max(1, Math.min(FILLER_CHUNK, remaining - 20));
    const pe = genericFile(id++, chunk);
    parts.push(pe);
    size += pe.length;
  }
  parts.push(peEnd(id));
  return concat(...parts);
}

/** PEHeader `A0 { 81 identification }` (mandated [0] omitted). */
function peHeader(id: number): Uint8Array {
  const n = id & 0x7fff;
  return encodeTlv(
    0xa0,
    encodeTlv(0x81, n > 0x7f ? Uint8Array.of(n >> 8, n & 0xff) : Uint8Array.of(n)),
  );
}

function genericFile(id: number, contentLength: number): Uint8Array {
  const content = new Uint8Array(contentLength);
  for (let i = 0; i < contentLength; i++) content[i] = (i * 31 + id) & 0xff;
  // fileManagementCMD: SEQUENCE OF FileManagement { filePath [0], fillFileContent [1] }.
  const fm = encodeTlv(0x30, encodeTlv(0x80, Uint8Array.of(0x7f, 0xf1)), encodeTlv(0x81, content));
  return encodeTlv(PeTag.genericFileManagement, peHeader(id), encodeTlv(0xa1, fm));
}

function peEnd(id: number): Uint8Array {
  return encodeTlv(PeTag.end, peHeader(id));
}
