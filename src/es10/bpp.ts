/**
 * Cutting a Bound Profile Package into ES10b.LoadBoundProfilePackage calls (docs/protocol.md §5.3,
 * SGP.22 §2.5.5): the eUICC processes the BPP one protected unit at a time, so each ES10 call
 * carries exactly one unit, or just the tag+length header of a sequence that follows.
 */
import { children, decodeOne, TlvError } from '../codec/index.ts';
import type { Tlv } from '../codec/index.ts';
import { Es10FormatError } from './errors.ts';
import { Es10Tag } from './tags.ts';

/** Header bytes (tag and length) of an element, exactly as received. */
function header(t: Tlv): Uint8Array {
  return t.raw.subarray(0, t.raw.length - t.value.length);
}

function fail(detail: string, cause?: unknown): never {
  throw new Es10FormatError(
    'loadBoundProfilePackage',
    `bad Bound Profile Package: ${detail}`,
    cause,
  );
}

function onlyTags(parent: Tlv, tag: number, name: string): Tlv[] {
  const kids = children(parent);
  if (kids.length === 0) fail(`${name} is empty`);
  for (const k of kids)
    if (k.tag !== tag) fail(`${name} holds tag ${k.tag.toString(16).toUpperCase()}`);
  return kids;
}

/**
 * The ES10 payloads for a BPP, in order:
 * 1. `BF36` header + the whole `BF23` (InitialiseSecureChannel);
 * 2. the whole `A0` (ConfigureISDP as one `87`);
 * 3. the `A1` header, then 4. each `88` (StoreMetadata) on its own;
 * 5. the whole `A2` if present (ReplaceSessionKeys);
 * 6. the `A3` header, then 7. each `86` (profile elements) on its own.
 * Throws Es10FormatError when the BPP does not have this structure.
 */
export function segmentBoundProfilePackage(bpp: Uint8Array): Uint8Array[] {
  let top: Tlv;
  let parts: Tlv[];
  try {
    top = decodeOne(bpp, Es10Tag.BoundProfilePackage);
    parts = children(top);
  } catch (e) {
    if (e instanceof TlvError) fail(e.message, e);
    throw e;
  }
  try {
    const [isc, first87, seq88, ...rest] = parts;
    if (isc?.tag !== Es10Tag.InitialiseSecureChannel) fail('BF23 must come first');
    if (first87?.tag !== 0xa0) fail('A0 (firstSequenceOf87) must follow BF23');
    if (seq88?.tag !== 0xa1) fail('A1 (sequenceOf88) must follow A0');
    let second87: Tlv | undefined;
    let seq86 = rest.shift();
    if (seq86?.tag === 0xa2) {
      second87 = seq86;
      seq86 = rest.shift();
    }
    if (seq86?.tag !== 0xa3) fail('A3 (sequenceOf86) missing');
    if (rest.length > 0) fail('elements after A3');

    onlyTags(first87, 0x87, 'A0');
    const out: Uint8Array[] = [new Uint8Array([...header(top), ...isc.raw]), first87.raw];
    out.push(header(seq88), ...onlyTags(seq88, 0x88, 'A1').map((t) => t.raw));
    if (second87) {
      onlyTags(second87, 0x87, 'A2');
      out.push(second87.raw);
    }
    out.push(header(seq86), ...onlyTags(seq86, 0x86, 'A3').map((t) => t.raw));
    return out;
  } catch (e) {
    if (e instanceof TlvError) fail(e.message, e);
    throw e;
  }
}
