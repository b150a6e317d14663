import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import jsQR from 'jsqr';
import { encodeQr, QrEncodeError } from '../../../src/ui/lib/qr-encode.ts';
import { code128Bars, code128cValues, CODE128_PATTERNS } from '../../../src/ui/lib/code128.ts';

/** Renders a module matrix to RGBA (3 px per module, 4-module quiet zone) and decodes it with jsQR. */
function decode(matrix: boolean[][]): string | undefined {
  const scale = 3;
  const n = matrix.length + 8;
  const px = n * scale;
  const data = new Uint8ClampedArray(px * px * 4).fill(255);
  for (let y = 0; y < matrix.length; y++)
    for (let x = 0; x < matrix.length; x++)
      if (matrix[y]![x])
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) {
            const o = (((y + 4) * scale + dy) * px + (x + 4) * scale + dx) * 4;
            data[o] = data[o + 1] = data[o + 2] = 0;
          }
  return jsQR(data, px, px)?.data;
}

describe('encodeQr (checked by decoding with jsQR, an independent decoder)', () => {
  it('encodes a 32-digit EID in numeric mode as version 1 (21x21)', () => {
    const eid = '89049032123451234512345678901235'; // SGP.26 test EID (docs/protocol.md §1)
    const m = encodeQr(eid);
    // Numeric mode: 4 + 10 + 10*10 + 7 = 121 bits, within version 1-M's 16 data codewords (128 bits).
    expect(m.length).toBe(21);
    expect(decode(m)).toBe(eid);
  });

  it('encodes activation codes in byte mode, across versions with several blocks', () => {
    const codes = [
      'LPA:1$testsmdpplus1.example.com$PLAIN-0001',
      'LPA:1$rsp.example.com$' + 'X'.repeat(100) + '$1.3.6.1.4.1.31746$1',
      'a'.repeat(200),
    ];
    for (const c of codes) expect(decode(encodeQr(c))).toBe(c);
  });

  it('round-trips random text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 120, unit: 'grapheme-ascii' }), (s) => {
        expect(decode(encodeQr(s))).toBe(s);
      }),
      { numRuns: 40, seed: 42 },
    );
  });

  it('rejects text beyond version 10', () => {
    expect(() => encodeQr('x'.repeat(300))).toThrow(QrEncodeError);
  });
});

describe('Code 128 set C', () => {
  it('has well-formed patterns: 11 modules each (stop 13), all distinct', () => {
    expect(CODE128_PATTERNS).toHaveLength(107);
    CODE128_PATTERNS.forEach((p, i) => {
      const sum = p.split('').reduce((a, c) => a + Number(c), 0);
      expect(sum).toBe(i === 106 ? 13 : 11);
    });
    expect(new Set(CODE128_PATTERNS).size).toBe(107);
  });

  it('computes the checksum (worked by hand: 105 + 12*1 + 34*2 = 185; 185 mod 103 = 82)', () => {
    expect(code128cValues('1234')).toEqual([105, 12, 34, 82, 106]);
  });

  it('lays out an EID as 16 data symbols plus start, check and stop', () => {
    const { width } = code128Bars('89049032123451234512345678901235');
    // 10 quiet + 11 * (1 start + 16 data + 1 check) + 13 stop + 10 quiet
    expect(width).toBe(10 + 11 * 18 + 13 + 10);
    expect(() => code128cValues('123')).toThrow();
  });
});
