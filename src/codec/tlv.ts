/**
 * Strict BER/DER-TLV over Uint8Array (ITU-T X.690 §8.1), as used by ISO 7816 and SGP.22.
 *
 * Tags are numbers made of their encoded bytes: 0x5A, 0x9F70, 0xBF2D, 0x5F37. Decoding is
 * strict: indefinite lengths, non-minimal lengths or tags, and truncated input raise
 * `TlvError{offset}`. Unknown tags are not an error: every element keeps its tag and exact
 * bytes (`raw`), so signed structures can be forwarded without re-encoding.
 */
import { concat } from './bytes.ts';
import { TlvError } from './errors.ts';
import { toHex } from './hex.ts';

export { TlvError };

export interface Tlv {
  /** The tag as the number formed by its encoded bytes (e.g. 0xBF2D). */
  readonly tag: number;
  /** Bit 6 of the first tag byte: the value is itself a sequence of TLVs. */
  readonly constructed: boolean;
  /** The value bytes (a view into the input). */
  readonly value: Uint8Array;
  /** The whole element: tag, length and value, exactly as received. */
  readonly raw: Uint8Array;
  /** Offset of the element within the buffer that was decoded. */
  readonly offset: number;
}

/** Longest length field accepted: 4 bytes (values up to 4 GiB), far above any SGP.22 object. */
const MAX_LENGTH_BYTES = 4;
/** Longest tag accepted: 3 bytes (SGP.22 uses at most 2; ISO 7816 allows 3). */
const MAX_TAG_BYTES = 3;

/** Reads one TLV at `offset`. `base` is added to reported offsets (for nested decoding). */
export function readTlv(buf: Uint8Array, offset = 0, base = 0): { tlv: Tlv; next: number } {
  const start = offset;
  if (offset >= buf.length) throw new TlvError('expected a tag, found end of input', base + offset);
  const first = buf[offset++]!;
  if (first === 0x00 || first === 0xff)
    throw new TlvError(`invalid tag byte 0x${toHex(Uint8Array.of(first))}`, base + start);
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    let count = 1;
    for (;;) {
      if (offset >= buf.length) throw new TlvError('truncated tag', base + offset);
      const b = buf[offset++]!;
      if (count === 1 && (b & 0x7f) === 0)
        throw new TlvError('non-minimal tag encoding', base + offset - 1);
      count++;
      if (count > MAX_TAG_BYTES) throw new TlvError('tag too long', base + start);
      tag = tag * 256 + b;
      if ((b & 0x80) === 0) break;
    }
    if (count === 2 && (tag & 0x7f) < 0x1f)
      throw new TlvError('non-minimal tag encoding', base + start);
  }
  const constructed = (first & 0x20) !== 0;

  if (offset >= buf.length)
    throw new TlvError('expected a length, found end of input', base + offset);
  const lengthOffset = offset;
  const l0 = buf[offset++]!;
  let length: number;
  if (l0 < 0x80) {
    length = l0;
  } else if (l0 === 0x80) {
    throw new TlvError('indefinite length is not allowed', base + lengthOffset);
  } else {
    const n = l0 & 0x7f;
    if (n > MAX_LENGTH_BYTES) throw new TlvError(`length field of ${n} bytes`, base + lengthOffset);
    if (offset + n > buf.length) throw new TlvError('truncated length', base + lengthOffset);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[offset++]!;
    const minimal = length >= 0x80 && (n === 1 || length >= 2 ** (8 * (n - 1)));
    if (!minimal) throw new TlvError('non-minimal length encoding', base + lengthOffset);
  }
  if (offset + length > buf.length)
    throw new TlvError(
      `value of ${length} bytes runs past the end (${buf.length - offset} left)`,
      base + lengthOffset,
    );
  const end = offset + length;
  return {
    tlv: {
      tag,
      constructed,
      value: buf.subarray(offset, end),
      raw: buf.subarray(start, end),
      offset: base + start,
    },
    next: end,
  };
}

/** Decodes a buffer that is a sequence of TLVs with nothing left over. */
export function decodeAll(buf: Uint8Array, base = 0): Tlv[] {
  const out: Tlv[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const { tlv, next } = readTlv(buf, offset, base);
    out.push(tlv);
    offset = next;
  }
  return out;
}

/** Decodes a buffer that holds exactly one TLV. */
export function decodeOne(buf: Uint8Array, expectedTag?: number): Tlv {
  const { tlv, next } = readTlv(buf, 0);
  if (next !== buf.length) throw new TlvError(`${buf.length - next} bytes after the element`, next);
  if (expectedTag !== undefined && tlv.tag !== expectedTag)
    throw new TlvError(`expected tag ${tagHex(expectedTag)}, found ${tagHex(tlv.tag)}`, 0);
  return tlv;
}

/** The elements inside a constructed TLV. */
export function children(tlv: Tlv): Tlv[] {
  if (!tlv.constructed)
    throw new TlvError(`tag ${tagHex(tlv.tag)} is primitive, not constructed`, tlv.offset);
  return decodeAll(tlv.value, tlv.offset + (tlv.raw.length - tlv.value.length));
}

export function find(list: readonly Tlv[], tag: number): Tlv | undefined {
  return list.find((t) => t.tag === tag);
}

export function findAll(list: readonly Tlv[], tag: number): Tlv[] {
  return list.filter((t) => t.tag === tag);
}

/** The child with `tag`, or a TlvError naming what is missing. */
export function required(list: readonly Tlv[], tag: number, parent?: Tlv): Tlv {
  const t = find(list, tag);
  if (!t)
    throw new TlvError(
      `missing tag ${tagHex(tag)}${parent ? ` in ${tagHex(parent.tag)}` : ''}`,
      parent?.offset ?? 0,
    );
  return t;
}

export function tagHex(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * The bytes of a tag number. Only tags readTlv accepts back are encoded (X.690 §8.1.2): a
 * single byte whose low 5 bits are not 11111, or a first byte with 11111 followed by
 * continuation bytes (b8 set) and a final byte (b8 clear), in minimal form.
 */
export function encodeTag(tag: number): Uint8Array {
  if (!Number.isSafeInteger(tag) || tag <= 0 || tag > 0xffffff)
    throw new RangeError(`bad tag ${tag}`);
  const bytes: number[] = [];
  let t = tag;
  while (t > 0) {
    bytes.unshift(t & 0xff);
    t = Math.floor(t / 256);
  }
  const first = bytes[0]!;
  const bad = (why: string): RangeError => new RangeError(`bad tag ${tagHex(tag)}: ${why}`);
  if (first === 0xff) throw bad('first byte FF is reserved');
  if (bytes.length === 1) {
    if ((first & 0x1f) === 0x1f) throw bad('a one-byte tag cannot have tag number 31');
  } else {
    if ((first & 0x1f) !== 0x1f) throw bad('a multi-byte tag starts with tag number 31');
    if ((bytes[1]! & 0x7f) === 0) throw bad('non-minimal tag number');
    if (bytes.length === 2 && bytes[1]! < 0x1f) throw bad('tag numbers below 31 take one byte');
    for (let i = 1; i < bytes.length; i++) {
      const more = (bytes[i]! & 0x80) !== 0;
      if (more !== i < bytes.length - 1) throw bad('wrong continuation bits');
    }
  }
  return Uint8Array.from(bytes);
}

export function encodeLength(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0 || length > 0xffffffff)
    throw new RangeError(`bad length ${length}`);
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  let l = length;
  while (l > 0) {
    bytes.unshift(l & 0xff);
    l = Math.floor(l / 256);
  }
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

/** Encodes one TLV; `value` may be several parts (children), which are concatenated. */
export function encodeTlv(tag: number, ...value: readonly Uint8Array[]): Uint8Array {
  const v = value.length === 1 ? value[0]! : concat(...value);
  return concat(encodeTag(tag), encodeLength(v.length), v);
}

/** The tag and length header for a value of `length` bytes (used to cut a BPP). */
export function encodeHeader(tag: number, length: number): Uint8Array {
  return concat(encodeTag(tag), encodeLength(length));
}

/** DER INTEGER contents (two's complement, minimal) for a non-negative integer. */
export function encodeUnsigned(value: number | bigint): Uint8Array {
  let v = BigInt(value);
  if (v < 0n) throw new RangeError('negative integer');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return Uint8Array.from(bytes);
}

/** Decodes DER INTEGER contents as a non-negative number (rejects negative and non-minimal). */
export function decodeUnsigned(value: Uint8Array, offset = 0): number {
  if (value.length === 0) throw new TlvError('empty INTEGER', offset);
  if (value[0]! & 0x80) throw new TlvError('negative INTEGER', offset);
  if (value.length > 1 && value[0] === 0 && (value[1]! & 0x80) === 0)
    throw new TlvError('non-minimal INTEGER', offset);
  if (value.length > 7) throw new TlvError('INTEGER too large', offset);
  let v = 0;
  for (const b of value) v = v * 256 + b;
  if (!Number.isSafeInteger(v)) throw new TlvError('INTEGER too large', offset);
  return v;
}

/**
 * Named-bit BIT STRING (X.690 §11.2.2: trailing zero bits removed) from the set bit numbers,
 * bit 0 being the most significant bit of the first byte.
 */
export function encodeBitString(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return Uint8Array.of(0);
  for (const b of bits)
    if (!Number.isSafeInteger(b) || b < 0) throw new RangeError(`bad bit number ${b}`);
  const top = Math.max(...bits);
  const nbytes = Math.floor(top / 8) + 1;
  const out = new Uint8Array(nbytes + 1);
  for (const b of bits) out[1 + Math.floor(b / 8)]! |= 0x80 >> (b % 8);
  out[0] = nbytes * 8 - 1 - top;
  return out;
}

/** The set bit numbers of a BIT STRING's contents (tolerant of trailing zeros). */
export function decodeBitString(value: Uint8Array, offset = 0): number[] {
  if (value.length === 0) throw new TlvError('empty BIT STRING', offset);
  const unused = value[0]!;
  if (unused > 7 || (value.length === 1 && unused !== 0))
    throw new TlvError('bad BIT STRING unused-bits count', offset);
  const bits: number[] = [];
  const total = (value.length - 1) * 8 - unused;
  for (let i = 0; i < total; i++) if (value[1 + (i >> 3)]! & (0x80 >> (i & 7))) bits.push(i);
  return bits;
}

/** A TLV tree node for display (logs, the UI's decoder). */
export interface TlvNode {
  tag: number;
  offset: number;
  length: number;
  value?: Uint8Array;
  children?: TlvNode[];
}

/**
 * Best-effort tree of a TLV buffer: constructed elements are expanded; a primitive is kept
 * as bytes. Throws TlvError on malformed input.
 */
export function toTree(buf: Uint8Array, base = 0): TlvNode[] {
  return decodeAll(buf, base).map((t) =>
    t.constructed
      ? {
          tag: t.tag,
          offset: t.offset,
          length: t.value.length,
          children: toTree(t.value, t.offset + t.raw.length - t.value.length),
        }
      : { tag: t.tag, offset: t.offset, length: t.value.length, value: t.value },
  );
}
