import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TlvError,
  children,
  decodeAll,
  decodeBitString,
  decodeOne,
  decodeUnsigned,
  encodeBitString,
  encodeHeader,
  encodeLength,
  encodeTag,
  encodeTlv,
  encodeUnsigned,
  find,
  findAll,
  fromHex,
  readTlv,
  required,
  toHex,
  toTree,
} from '../../../src/codec/index.ts';

/** The TlvError thrown by `fn`, or a failure if it throws something else or nothing. */
function tlvError(fn: () => unknown): TlvError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TlvError) return e;
    throw new Error(`expected a TlvError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a TlvError, nothing was thrown');
}

describe('TLV reading (X.690 §8.1, DER)', () => {
  it.each([
    // [hex, tag, constructed, value]
    ['5A0A98001032547698103214', 0x5a, false, '98001032547698103214'], // docs/protocol.md §1 ICCID
    ['BF2D00', 0xbf2d, true, ''], // docs/protocol.md §3.3 ProfilesInfo(all)
    ['9F7003010203', 0x9f70, false, '010203'],
    ['BF3E035C015A', 0xbf3e, true, '5C015A'], // docs/protocol.md §3.3 GetEID
    ['DF81010100', 0xdf8101, false, '00'], // 3-byte tag
  ])('reads %s', (hex, tag, constructed, value) => {
    const buf = fromHex(hex);
    const { tlv, next } = readTlv(buf);
    expect(tlv.tag).toBe(tag);
    expect(tlv.constructed).toBe(constructed);
    expect(toHex(tlv.value)).toBe(value);
    expect(toHex(tlv.raw)).toBe(hex);
    expect(next).toBe(buf.length);
  });

  it.each([
    ['81 form', 0x80, '8180'],
    ['81 form max', 0xff, '81FF'],
    ['82 form', 0x100, '820100'],
    ['82 form max', 0xffff, '82FFFF'],
    ['83 form', 0x10000, '83010000'],
  ])('long-form length, %s (%i bytes)', (_name, n, lengthHex) => {
    const value = new Uint8Array(n).fill(0x5a);
    const encoded = encodeTlv(0x04, value);
    expect(toHex(encoded.subarray(1, 1 + lengthHex.length / 2))).toBe(lengthHex);
    expect(toHex(encodeLength(n))).toBe(lengthHex);
    const tlv = decodeOne(encoded, 0x04);
    expect(tlv.value.length).toBe(n);
  });

  it.each([
    ['indefinite length', '3080', 1],
    ['non-minimal length 81 7F', '04817F' + '00'.repeat(0x7f), 1],
    ['non-minimal length 82 00 FF', '048200FF' + '00'.repeat(0xff), 1],
    ['non-minimal length 81 00', '048100', 1],
    ['length field of 5 bytes', '04850000000001', 1],
    ['non-minimal tag 9F 1E (number below 31)', '9F1E00', 0],
    ['non-minimal tag 9F 80 70', '9F807000', 1],
    ['tag of 4 bytes', '9F81818100', 0],
    ['tag byte 00', '0000', 0],
    ['tag byte FF', 'FF00', 0],
    ['truncated tag', '9F', 1],
    ['truncated tag (continuation)', '9F81', 2],
    ['missing length', '5A', 1],
    ['truncated long length', '0482 01', 1],
    ['truncated value', '5A0A9800', 1],
    ['truncated signature 5F37', '5F374001', 2],
    ['truncated long value', '048200800102', 1],
    ['empty input', '', 0],
  ])('rejects %s at the right offset', (_name, hex, offset) => {
    const e = tlvError(() => readTlv(fromHex(hex)));
    expect(e.offset).toBe(offset);
    expect(e.message).toContain(`offset ${offset}`);
  });

  it('reports offsets relative to the whole buffer inside nested elements', () => {
    // E3 { 5A 01 00, 90 05 <1 byte> }: the outer element is complete, tag 90 is truncated.
    const outer = decodeOne(fromHex('E3065A0100900500'));
    expect(tlvError(() => children(outer)).offset).toBe(6); // the length byte 05 of tag 90
  });

  it('rejects trailing bytes in decodeOne, with the offset of the first extra byte', () => {
    expect(tlvError(() => decodeOne(fromHex('BF2D0000'))).offset).toBe(3);
  });

  it('decodeOne checks the expected tag', () => {
    expect(decodeOne(fromHex('BF2D00'), 0xbf2d).tag).toBe(0xbf2d);
    expect(() => decodeOne(fromHex('BF2D00'), 0xbf2e)).toThrow(TlvError);
  });

  it('keeps unknown tags with their exact bytes', () => {
    const buf = fromHex('BF2D0D DF7F0101 5A01FF 9F7703AABBCC'.replace(/ /g, ''));
    const list = children(decodeOne(buf));
    expect(list.map((t) => t.tag)).toEqual([0xdf7f, 0x5a, 0x9f77]);
    expect(toHex(list[2]!.raw)).toBe('9F7703AABBCC');
    expect(list[2]!.offset).toBe(10);
  });

  it('children() rejects a primitive element', () => {
    expect(tlvError(() => children(decodeOne(fromHex('5A0100')))).offset).toBe(0);
  });

  it('find, findAll and required', () => {
    const list = decodeAll(fromHex('800101 810102 800103'));
    expect(find(list, 0x81)?.value[0]).toBe(2);
    expect(findAll(list, 0x80).map((t) => t.value[0])).toEqual([1, 3]);
    expect(find(list, 0x82)).toBeUndefined();
    const parent = decodeOne(fromHex('A0020500'));
    expect(() => required(list, 0x82, parent)).toThrow(/missing tag 82 in A0/);
  });

  it('toTree expands constructed elements', () => {
    expect(toTree(fromHex('E3055A0301020380 00'.replace(/ /g, '')))).toEqual([
      {
        tag: 0xe3,
        offset: 0,
        length: 5,
        children: [{ tag: 0x5a, offset: 2, length: 3, value: fromHex('010203') }],
      },
      { tag: 0x80, offset: 7, length: 0, value: new Uint8Array(0) },
    ]);
  });
});

describe('TLV writing', () => {
  it('encodes SGP.22 requests byte for byte (docs/protocol.md §3.3)', () => {
    expect(toHex(encodeTlv(0xbf3e, encodeTlv(0x5c, fromHex('5A'))))).toBe('BF3E035C015A');
    expect(toHex(encodeTlv(0xbf2d))).toBe('BF2D00');
    expect(toHex(encodeTlv(0xbf33, encodeTlv(0x5a, fromHex('98001032547698103214'))))).toBe(
      'BF330C5A0A98001032547698103214',
    );
    expect(toHex(encodeHeader(0xbf36, 0x1234))).toBe('BF36821234');
  });

  it.each([[0x1f], [0x9f1e], [0x9f8070], [0x5f], [0xbf7f80], [0x9f81], [0xff01], [0], [-1]])(
    'refuses to encode malformed tag %s',
    (tag) => {
      expect(() => encodeTag(tag)).toThrow(RangeError);
    },
  );

  it.each([[-1], [1.5], [2 ** 32]])('refuses length %s', (n) => {
    expect(() => encodeLength(n)).toThrow(RangeError);
  });
});

describe('INTEGER and BIT STRING contents', () => {
  it.each([
    [0, '00'],
    [5, '05'],
    [127, '7F'],
    [128, '0080'],
    [255, '00FF'],
    [256, '0100'],
    [0x7fffff, '7FFFFF'],
  ])('unsigned %i <-> %s (X.690 §8.3)', (n, hex) => {
    expect(toHex(encodeUnsigned(n))).toBe(hex);
    expect(decodeUnsigned(fromHex(hex))).toBe(n);
  });

  it.each([[''], ['80'], ['0001'], ['00000000000000FF']])('decodeUnsigned rejects %j', (hex) => {
    expect(() => decodeUnsigned(fromHex(hex), 7)).toThrow(TlvError);
  });

  it('round-trips unsigned integers (property)', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(decodeUnsigned(encodeUnsigned(n))).toBe(n);
      }),
      { seed: 690, numRuns: 300 },
    );
  });

  it.each([
    // docs/protocol.md §1: NotificationEvent bits install 0, enable 1, disable 2, delete 3.
    [[0], '0780'],
    [[1], '0640'],
    [[2], '0520'],
    [[3], '0410'],
    [[], '00'],
    [[0, 1, 2, 3], '04F0'],
    [[8], '070080'],
  ])('bit string %j <-> %s (X.690 §11.2.2)', (bits, hex) => {
    expect(toHex(encodeBitString(bits))).toBe(hex);
    expect(decodeBitString(fromHex(hex))).toEqual(bits);
  });

  it('bit strings round-trip (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 40 })), (bits) => {
        const sorted = [...bits].sort((a, b) => a - b);
        expect(decodeBitString(encodeBitString(sorted))).toEqual(sorted);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('encodeBitString rejects negative or fractional bit numbers', () => {
    expect(() => encodeBitString([-1])).toThrow(RangeError);
    expect(() => encodeBitString([1.5])).toThrow(RangeError);
  });

  it.each([[''], ['08'], ['01']])('decodeBitString rejects %j', (hex) => {
    expect(() => decodeBitString(fromHex(hex))).toThrow(TlvError);
  });
});

// ---- property round trip over TLV trees ----

interface Node {
  tag: number;
  value?: Uint8Array;
  kids?: Node[];
}

const classBits = fc.constantFrom(0x00, 0x40, 0x80, 0xc0);
/** Valid tag numbers of either form, primitive or constructed (X.690 §8.1.2). */
function tagArb(constructed: boolean): fc.Arbitrary<number> {
  const c = constructed ? 0x20 : 0;
  const one = fc.tuple(classBits, fc.integer({ min: 1, max: 30 })).map(([k, n]) => k | c | n);
  const two = fc
    .tuple(classBits, fc.integer({ min: 0x1f, max: 0x7f }))
    .filter(([k]) => (k | c | 0x1f) !== 0xff)
    .map(([k, n]) => ((k | c | 0x1f) << 8) | n);
  const three = fc
    .tuple(classBits, fc.integer({ min: 0x81, max: 0xff }), fc.integer({ min: 0, max: 0x7f }))
    .filter(([k]) => (k | c | 0x1f) !== 0xff)
    .map(([k, a, b]) => ((k | c | 0x1f) << 16) | (a << 8) | b);
  return fc.oneof(one, two, three);
}

const treeArb = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      tag: tagArb(false),
      value: fc.oneof(
        fc.uint8Array({ maxLength: 8 }),
        fc.uint8Array({ minLength: 120, maxLength: 300 }),
      ),
    }),
    fc.record({ tag: tagArb(true), kids: fc.array(tie('node'), { maxLength: 4 }) }),
  ),
})).node;

function encodeNode(n: Node): Uint8Array {
  return n.kids ? encodeTlv(n.tag, ...n.kids.map(encodeNode)) : encodeTlv(n.tag, n.value!);
}

function decodeNode(buf: Uint8Array): Node {
  const t = decodeOne(buf);
  if (!t.constructed) return { tag: t.tag, value: t.value.slice() };
  return { tag: t.tag, kids: children(t).map((c) => decodeNode(c.raw)) };
}

function normalise(n: Node): Node {
  return n.kids ? { tag: n.tag, kids: n.kids.map(normalise) } : { tag: n.tag, value: n.value! };
}

describe('TLV round trip (property)', () => {
  it('decode(encode(tree)) = tree, and re-encoding gives the same bytes', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        const bytes = encodeNode(tree);
        const back = decodeNode(bytes);
        expect(back).toEqual(normalise(tree));
        expect(encodeNode(back)).toEqual(bytes);
      }),
      { seed: 0x8690, numRuns: 500 },
    );
  });

  it('encodeTag and readTlv agree on every valid tag', () => {
    fc.assert(
      fc.property(fc.boolean().chain(tagArb), (tag) => {
        const { tlv } = readTlv(encodeTlv(tag, new Uint8Array(0)));
        expect(tlv.tag).toBe(tag);
      }),
      { seed: 3, numRuns: 1000 },
    );
  });
});
