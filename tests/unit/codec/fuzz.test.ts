/**
 * Robustness of the TLV reader: random and mutated inputs go through readTlv, decodeAll,
 * decodeOne and children() recursively. The only acceptable failure is a TlvError whose offset
 * lies inside the input; nothing may hang (the walk is bounded by the input length).
 * Seeded runs, so a failure reproduces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TlvError,
  children,
  decodeAll,
  decodeOne,
  encodeTlv,
  readTlv,
  toTree,
} from '../../../src/codec/index.ts';
import type { Tlv } from '../../../src/codec/index.ts';

/** Walks every element; returns how many were visited. */
function walk(buf: Uint8Array): number {
  let visited = 0;
  const budget = buf.length + 1; // every element takes at least 2 bytes
  const visit = (list: Tlv[]): void => {
    for (const t of list) {
      if (++visited > budget) throw new Error('walk did not terminate within its budget');
      expect(t.raw.length).toBeGreaterThanOrEqual(2);
      if (t.constructed) visit(children(t));
    }
  };
  visit(decodeAll(buf));
  return visited;
}

/** Runs every entry point on `buf`; fails the test on anything but a well-placed TlvError. */
function survive(buf: Uint8Array): void {
  const attempts: (() => unknown)[] = [
    () => walk(buf),
    () => decodeOne(buf),
    () => readTlv(buf, 0),
    () => toTree(buf),
  ];
  for (const attempt of attempts) {
    try {
      attempt();
    } catch (e) {
      if (!(e instanceof TlvError)) throw e;
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(buf.length);
    }
  }
}

/** Valid nested encodings to mutate: SGP.22-like shapes with long and short lengths. */
const validArb: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.tuple(
      fc.constantFrom(0x5a, 0x80, 0x9f70, 0x5f37, 0x04, 0x0c),
      fc.uint8Array({ maxLength: 140 }),
    ),
    { minLength: 1, maxLength: 5 },
  )
  .chain((prims) =>
    fc
      .constantFrom(0xbf2d, 0xe3, 0xa0, 0x30)
      .map((outer) =>
        encodeTlv(
          outer,
          encodeTlv(0xa1, ...prims.map(([tag, v]) => encodeTlv(tag, v))),
          ...prims.map(([tag, v]) => encodeTlv(tag, v)),
        ),
      ),
  );

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; byte: number };

const mutationArb: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.nat(),
      bit: fc.integer({ min: 0, max: 7 }),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('set' as const),
      at: fc.nat(),
      byte: fc.constantFrom(0x00, 0x1f, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0xff),
    }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      byte: fc.integer({ min: 0, max: 255 }),
    }),
  ),
  { minLength: 1, maxLength: 4 },
);

function mutate(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let b = input.slice();
  for (const m of mutations) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.kind === 'flip') b[at]! ^= 1 << m.bit;
    else if (m.kind === 'set') b[at] = m.byte;
    else if (m.kind === 'truncate') b = b.slice(0, at);
    else {
      const c = new Uint8Array(b.length + 1);
      c.set(b.subarray(0, at));
      c[at] = m.byte;
      c.set(b.subarray(at), at + 1);
      b = c;
    }
  }
  return b;
}

describe('TLV reader fuzz', () => {
  it('valid encodings walk completely', () => {
    fc.assert(
      fc.property(validArb, (buf) => {
        expect(walk(buf)).toBeGreaterThan(0);
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  it('10,000 random inputs: only TlvError, never a hang', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (buf) => {
        survive(buf);
      }),
      { seed: 0x5eed, numRuns: 10_000 },
    );
  });

  it('10,000 random inputs with TLV-ish first bytes: only TlvError', () => {
    const tlvish = fc
      .tuple(
        fc.constantFrom(0xbf, 0x9f, 0x5f, 0xe3, 0xa0, 0x30, 0x5a),
        fc.constantFrom(0x2d, 0x70, 0x37, 0x80, 0x81, 0x82, 0x84, 0x03),
        fc.uint8Array({ maxLength: 40 }),
      )
      .map(([a, b, rest]) => Uint8Array.from([a, b, ...rest]));
    fc.assert(
      fc.property(tlvish, (buf) => {
        survive(buf);
      }),
      { seed: 0x7e57, numRuns: 10_000 },
    );
  });

  it('10,000 mutated valid encodings (bit flips, truncations, inserts): only TlvError', () => {
    fc.assert(
      fc.property(validArb, mutationArb, (buf, ms) => {
        survive(mutate(buf, ms));
      }),
      { seed: 0xf022, numRuns: 10_000 },
    );
  });

  it('every truncation of a valid encoding is rejected by decodeOne', () => {
    fc.assert(
      fc.property(validArb, (buf) => {
        for (let n = 0; n < buf.length; n++) {
          expect(() => decodeOne(buf.subarray(0, n))).toThrow(TlvError);
        }
      }),
      { seed: 5, numRuns: 100 },
    );
  });
});
