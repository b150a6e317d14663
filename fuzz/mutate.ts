/**
 * Structure-aware mutators: raw bytes (bit flips, truncation, insertion, splicing), BER-TLV
 * length fields (the DER carried in APDUs and in ES9+ base64 fields), and JSON values (type and
 * value swaps, huge and negative numbers, unicode, duplicate keys, base64 fields re-encoded after
 * mutating their TLV content).
 */
import type { Prng } from './prng.ts';

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xfe, 0xff];

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Where the length fields of a BER-TLV stream sit (lenient: stops at the first broken TLV). */
export interface TlvLengthField {
  /** Offset of the first length byte. */
  offset: number;
  /** Bytes the length field takes. */
  size: number;
  /** The value's length it announces. */
  length: number;
}

export function tlvLengthFields(
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
  depth = 0,
): TlvLengthField[] {
  const out: TlvLengthField[] = [];
  let i = start;
  while (i < end && depth < 8 && out.length < 512) {
    const first = bytes[i]!;
    let j = i + 1;
    if ((first & 0x1f) === 0x1f) {
      while (j < end && (bytes[j]! & 0x80) !== 0 && j - i < 4) j++;
      j++;
    }
    if (j >= end) break;
    const lb = bytes[j]!;
    let length: number;
    let size: number;
    if (lb < 0x80) {
      length = lb;
      size = 1;
    } else if (lb >= 0x81 && lb <= 0x83 && j + (lb & 0x7f) < end) {
      size = 1 + (lb & 0x7f);
      length = 0;
      for (let k = 1; k < size; k++) length = length * 256 + bytes[j + k]!;
    } else break;
    const valueStart = j + size;
    if (valueStart + length > end) break;
    out.push({ offset: j, size, length });
    if ((first & 0x20) !== 0)
      out.push(...tlvLengthFields(bytes, valueStart, valueStart + length, depth + 1));
    i = valueStart + length;
  }
  return out;
}

/** Rewrites one TLV length field: off by one, zero, huge, long-form, indefinite. */
export function mutateTlvLength(rng: Prng, bytes: Uint8Array, skip = 0): Uint8Array | undefined {
  const fields = tlvLengthFields(bytes, skip);
  if (fields.length === 0) return undefined;
  const f = rng.pick(fields);
  const choices: Uint8Array[] = [
    Uint8Array.of(Math.max(0, f.length - 1) & 0x7f),
    Uint8Array.of((f.length + 1) & 0x7f),
    Uint8Array.of(0x00),
    Uint8Array.of(0x7f),
    Uint8Array.of(0x80),
    Uint8Array.of(0x81, 0xff),
    Uint8Array.of(0x82, 0xff, 0xff),
    Uint8Array.of(0x84, 0xff, 0xff, 0xff, 0xff),
    Uint8Array.of(0x85, 0x01, 0x00, 0x00, 0x00, 0x00),
    Uint8Array.of(0x81, f.length & 0xff), // non-minimal long form
    Uint8Array.of(0x82, (f.length >> 8) & 0xff, f.length & 0xff),
  ];
  const repl = rng.pick(choices);
  return concatBytes(bytes.subarray(0, f.offset), repl, bytes.subarray(f.offset + f.size));
}

/** One random byte-level edit. `others` are splice partners. */
export function mutateBytesOnce(
  rng: Prng,
  input: Uint8Array,
  others: readonly Uint8Array[] = [],
  skip = 0,
): Uint8Array {
  const b = input.slice();
  const pos = (): number => skip + rng.int(Math.max(1, b.length - skip));
  switch (rng.int(11)) {
    case 0: {
      if (b.length === 0) return rng.bytes(rng.range(1, 8));
      const p = pos();
      if (p < b.length) b[p]! ^= 1 << rng.int(8);
      return b;
    }
    case 1: {
      if (b.length === 0) return Uint8Array.of(rng.pick(INTERESTING_BYTES));
      const p = pos();
      if (p < b.length) b[p] = rng.pick(INTERESTING_BYTES);
      return b;
    }
    case 2:
      return b.subarray(0, Math.min(b.length, skip + rng.int(Math.max(1, b.length - skip))));
    case 3: {
      const p = Math.min(b.length, pos());
      return concatBytes(b.subarray(0, p), rng.bytes(rng.smallInt(64)), b.subarray(p));
    }
    case 4: {
      const p = Math.min(b.length, pos());
      const n = rng.smallInt(32);
      return concatBytes(b.subarray(0, p), b.subarray(Math.min(b.length, p + n)));
    }
    case 5: {
      // Duplicate a slice (repeated TLVs, repeated blocks).
      const p = Math.min(b.length, pos());
      const n = rng.smallInt(64);
      const part = b.subarray(p, Math.min(b.length, p + n));
      return concatBytes(b.subarray(0, p), part, part, b.subarray(p + part.length));
    }
    case 6: {
      if (others.length === 0) return b;
      const other = rng.pick(others);
      const p = Math.min(b.length, pos());
      const q = rng.int(other.length + 1);
      return concatBytes(b.subarray(0, p), other.subarray(q));
    }
    case 7:
      return mutateTlvLength(rng, b, skip) ?? b;
    case 8: {
      // A long run of one byte.
      const p = Math.min(b.length, pos());
      return concatBytes(
        b.subarray(0, p),
        new Uint8Array(rng.pick([16, 255, 256, 1024, 4096])).fill(rng.pick(INTERESTING_BYTES)),
        b.subarray(p),
      );
    }
    case 9: {
      if (b.length < 2) return b;
      const p = pos();
      const q = pos();
      if (p < b.length && q < b.length) [b[p], b[q]] = [b[q]!, b[p]!];
      return b;
    }
    default:
      return mutateTlvLength(rng, b, skip) ?? b;
  }
}

/** One to `max` stacked byte-level edits. */
export function mutateBytes(
  rng: Prng,
  input: Uint8Array,
  others: readonly Uint8Array[] = [],
  max = 4,
  skip = 0,
): Uint8Array {
  let b = input;
  const n = rng.range(1, max);
  for (let i = 0; i < n; i++) b = mutateBytesOnce(rng, b, others, skip);
  return b;
}

// ---- JSON -------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const WEIRD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u0041',
  '😀'.repeat(40),
  'A'.repeat(70_000),
  '%00%ff',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  '0',
  '-1',
  'null',
  '====',
  'AAAA====',
  'not base64 !!',
  '8900000000000000000F',
  '8'.repeat(32),
  'ffffffffffffffffffffffffffffffff',
];

const WEIRD_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e308,
  -1e308,
  5e-324,
];

function weirdValue(rng: Prng): Json {
  switch (rng.int(6)) {
    case 0:
      return rng.pick(WEIRD_STRINGS);
    case 1:
      return rng.pick(WEIRD_NUMBERS);
    case 2:
      return rng.pick([null, true, false]);
    case 3:
      return [];
    case 4:
      return {};
    default:
      return rng.chance(0.5) ? [rng.pick(WEIRD_STRINGS)] : { x: rng.pick(WEIRD_NUMBERS) };
  }
}

function isBase64(s: string): boolean {
  return s.length >= 4 && s.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(s);
}

function isHex(s: string): boolean {
  return s.length >= 4 && s.length % 2 === 0 && /^[0-9A-Fa-f]+$/.test(s);
}

interface Slot {
  get(): Json;
  set(v: Json): void;
  remove(): void;
}

function slots(root: { v: Json }): Slot[] {
  const out: Slot[] = [];
  const walk = (get: () => Json, set: (v: Json) => void, remove: () => void, depth: number) => {
    out.push({ get, set, remove });
    const v = get();
    if (depth > 12 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((_, i) => {
        walk(
          () => v[i]!,
          (x) => (v[i] = x),
          () => v.splice(i, 1),
          depth + 1,
        );
      });
    } else {
      for (const k of Object.keys(v)) {
        walk(
          () => v[k]!,
          (x) => (v[k] = x),
          () => Reflect.deleteProperty(v, k),
          depth + 1,
        );
      }
    }
  };
  walk(
    () => root.v,
    (x) => (root.v = x),
    () => (root.v = null),
    0,
  );
  return out;
}

/** One edit of a JSON value (a deep copy is edited). Base64 strings get TLV-aware byte edits. */
export function mutateJsonValue(
  rng: Prng,
  value: unknown,
  others: readonly unknown[] = [],
): unknown {
  const root = { v: structuredClone(value) as Json };
  const all = slots(root);
  const s = rng.pick(all);
  const current = s.get();
  const op = rng.int(10);
  if (typeof current === 'string' && isBase64(current) && op < 5) {
    const bytes = new Uint8Array(Buffer.from(current, 'base64'));
    const mutated = mutateBytes(rng, bytes, [], 3);
    const text = Buffer.from(mutated).toString('base64');
    // Sometimes base64url or broken padding rather than clean base64.
    s.set(rng.chance(0.1) ? text.replace(/=+$/, '').replace(/\+/g, '-') : text);
  } else if (typeof current === 'string' && isHex(current) && op < 5) {
    const bytes = new Uint8Array(Buffer.from(current, 'hex'));
    const text = Buffer.from(mutateBytes(rng, bytes, [], 3)).toString('hex');
    s.set(rng.chance(0.5) ? text.toUpperCase() : text);
  } else if (typeof current === 'number' && op < 5) {
    s.set(
      rng.pick([current + 1, current - 1, -current, current * 2 ** 32, rng.pick(WEIRD_NUMBERS)]),
    );
  } else if (op < 7) s.set(weirdValue(rng));
  else if (op === 7) s.remove();
  else if (op === 8 && current !== null && typeof current === 'object' && !Array.isArray(current))
    current[
      rng.pick(['transactionId', 'header', 'functionRequesterIdentifier', 'zz', '__proto__'])
    ] = weirdValue(rng);
  else if (others.length > 0) {
    // Splice a value from another document (a field from another request).
    const other = { v: structuredClone(rng.pick(others)) as Json };
    s.set(rng.pick(slots(other)).get());
  } else s.set(weirdValue(rng));
  return root.v;
}

/** JSON text with duplicate keys: `"k": <weird>` inserted before the first occurrence of a key. */
export function duplicateKey(rng: Prng, text: string): string {
  const keys = [...text.matchAll(/"([A-Za-z0-9_]+)"\s*:/g)];
  if (keys.length === 0) return text;
  const m = rng.pick(keys);
  const dup = `"${m[1]!}":${JSON.stringify(weirdValue(rng))},`;
  return text.slice(0, m.index) + dup + text.slice(m.index);
}

/**
 * A mutated JSON document as UTF-8 bytes: value edits, duplicate keys, and now and then text
 * or byte damage (truncation, invalid UTF-8, a BOM).
 */
export function mutateJsonText(
  rng: Prng,
  value: unknown,
  others: readonly unknown[] = [],
): Uint8Array {
  let v = value;
  const edits = rng.range(1, 3);
  for (let i = 0; i < edits; i++) v = mutateJsonValue(rng, v, others);
  let text = JSON.stringify(v) ?? 'null';
  if (rng.chance(0.15)) text = duplicateKey(rng, text);
  let bytes: Uint8Array = new TextEncoder().encode(text);
  switch (rng.int(12)) {
    case 0:
      bytes = bytes.subarray(0, rng.int(bytes.length + 1));
      break;
    case 1:
      bytes = concatBytes(Uint8Array.of(0xef, 0xbb, 0xbf), bytes);
      break;
    case 2: {
      const p = rng.int(bytes.length + 1);
      bytes = concatBytes(
        bytes.subarray(0, p),
        rng.pick([Uint8Array.of(0xc3), Uint8Array.of(0xff, 0xfe), Uint8Array.of(0xed, 0xa0, 0x80)]),
        bytes.subarray(p),
      );
      break;
    }
    case 3:
      bytes = mutateBytes(rng, bytes, [], 2);
      break;
    default:
      break;
  }
  return bytes;
}

export function toHexShort(bytes: Uint8Array, max = 96): string {
  const hex = Buffer.from(bytes.subarray(0, max)).toString('hex').toUpperCase();
  return bytes.length > max ? `${hex}... (${bytes.length} bytes)` : hex;
}
