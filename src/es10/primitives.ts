/**
 * Small value codecs used across ES10 structures: VersionType, OBJECT IDENTIFIER contents,
 * UTF-8 strings, INTEGER enumerations, and the TLV-error-to-Es10FormatError wrapper.
 */
import { CodecError, TlvError, utf8 } from '../codec/index.ts';
import { Es10FormatError } from './errors.ts';
import type { Es10Function } from './results.ts';
import type { Version } from './types.ts';

/** VersionType (3 bytes major/minor/revision), docs/protocol.md §1. */
export function decodeVersion(value: Uint8Array): Version {
  if (value.length !== 3) throw new TypeError(`VersionType has 3 bytes, not ${value.length}`);
  return `${value[0]!}.${value[1]!}.${value[2]!}`;
}

export function encodeVersion(version: Version): Uint8Array {
  const parts = version.split('.');
  const nums = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  if (nums.length !== 3 || nums.some((n) => !(n >= 0 && n <= 255)))
    throw new RangeError(`not a version "major.minor.revision": ${version}`);
  return Uint8Array.from(nums);
}

/** OBJECT IDENTIFIER contents (X.690 §8.19) -> dotted form. */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0) throw new TypeError('empty OBJECT IDENTIFIER');
  const arcs: bigint[] = [];
  let acc = 0n;
  let started = false;
  for (const b of value) {
    if (!started && b === 0x80) throw new TypeError('non-minimal OBJECT IDENTIFIER arc');
    started = true;
    acc = (acc << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(acc);
      acc = 0n;
      started = false;
    }
  }
  if (started) throw new TypeError('truncated OBJECT IDENTIFIER');
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].map(String).join('.');
}

export function encodeOid(dotted: string): Uint8Array {
  if (!/^[0-2](\.\d+)+$/.test(dotted)) throw new RangeError(`not an OID: ${dotted}`);
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const out: number[] = [];
  const firstArc = arcs[0]! * 40n + arcs[1]!;
  for (const arc of [firstArc, ...arcs.slice(2)]) {
    const bytes: number[] = [];
    let v = arc;
    do {
      bytes.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < bytes.length - 1; i++) bytes[i]! |= 0x80;
    out.push(...bytes);
  }
  return Uint8Array.from(out);
}

export function decodeUtf8(value: Uint8Array): string {
  return utf8.decode(value);
}

/** An INTEGER-coded enumeration value -> its name, or a TypeError for an unknown value. */
export function enumName<T extends string>(names: readonly T[], value: number, what: string): T {
  const n = names[value];
  if (n === undefined) throw new TypeError(`unknown ${what} ${value}`);
  return n;
}

/**
 * Runs a decoder and turns malformed-input errors (TLV, BCD, UTF-8, structure) into an
 * Es10FormatError naming the function, so callers see one error type per failure kind.
 */
export function decoding<T>(fn: Es10Function, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof TlvError || e instanceof CodecError || e instanceof TypeError)
      throw new Es10FormatError(fn, `malformed response: ${e.message}`, e);
    throw e;
  }
}
