import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import jsQR from 'jsqr';
import { qrSvg, QrEncodeError, QUIET_ZONE } from '../../../src/ui/lib/qr-encode.ts';
import { code128Bars, code128cValues, CODE128_PATTERNS } from '../../../src/ui/lib/code128.ts';

/**
 * Reads the modules back out of the SVG path QrCode.svelte draws: one "M x y h1v1h-1z" per dark
 * module. Fails if the path holds anything else or a module lies in the quiet zone.
 */
function modulesOf(svg: { path: string; size: number }): boolean[][] {
  const grid = Array.from({ length: svg.size }, () => new Array<boolean>(svg.size).fill(false));
  const rest = svg.path.replace(/M(\d+) (\d+)h1v1h-1z/g, (_, xs: string, ys: string) => {
    const x = Number(xs);
    const y = Number(ys);
    expect(Math.min(x, y)).toBeGreaterThanOrEqual(QUIET_ZONE);
    expect(Math.max(x, y)).toBeLessThan(svg.size - QUIET_ZONE);
    grid[y]![x] = true;
    return '';
  });
  expect(rest).toBe('');
  return grid;
}

/** Renders the whole viewBox (quiet zone included) to RGBA, 3 px per module, and decodes it with jsQR. */
function decode(svg: { path: string; size: number }): string | undefined {
  const grid = modulesOf(svg);
  const scale = 3;
  const px = svg.size * scale;
  const data = new Uint8ClampedArray(px * px * 4).fill(255);
  for (let y = 0; y < svg.size; y++)
    for (let x = 0; x < svg.size; x++) {
      if (!grid[y]![x]) continue;
      for (let dy = 0; dy < scale; dy++)
        for (let dx = 0; dx < scale; dx++) {
          const o = ((y * scale + dy) * px + x * scale + dx) * 4;
          data[o] = data[o + 1] = data[o + 2] = 0;
        }
    }
  return jsQR(data, px, px)?.data;
}

describe('qrSvg (checked by decoding the drawn path with jsQR, an independent decoder)', () => {
  it('encodes a 32-digit EID in numeric mode as version 1 (21x21 plus the quiet zone)', () => {
    const eid = '89049032123451234512345678901235'; // SGP.26 test EID (docs/protocol.md §1)
    const svg = qrSvg(eid);
    // Numeric mode: 4 + 10 + 10*10 + 7 = 121 bits, within version 1-M's 16 data codewords (128 bits).
    expect(svg.size).toBe(21 + 2 * QUIET_ZONE);
    expect(decode(svg)).toBe(eid);
  });

  it('round-trips activation codes of several lengths, across versions with several blocks', () => {
    const codes = [
      'LPA:1$x.io$A',
      'LPA:1$testsmdpplus1.example.com$PLAIN-0001',
      'LPA:1$smdp.example.com$04386-AGYFT-A74Y8-3F815$1.3.6.1.4.1.31746$1',
      'LPA:1$rsp.example.com$' + 'X'.repeat(100) + '$1.3.6.1.4.1.31746$1',
      'LPA:1$rsp.example.com$' + 'k7'.repeat(150),
    ];
    const sizes = codes.map((c) => {
      const svg = qrSvg(c);
      expect(decode(svg)).toBe(c);
      return svg.size;
    });
    // Longer codes need larger symbols, so these cover several versions.
    expect(new Set(sizes).size).toBe(codes.length);
  });

  it('round-trips random text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 120, unit: 'grapheme-ascii' }), (s) => {
        expect(decode(qrSvg(s))).toBe(s);
      }),
      { numRuns: 40, seed: 42 },
    );
  });

  it('rejects text beyond the largest symbol with a QrEncodeError', () => {
    // Version 40 at level M holds 2331 bytes.
    const tooLong = 'LPA:1$rsp.example.com$' + 'x'.repeat(3000);
    expect(() => qrSvg(tooLong)).toThrow(QrEncodeError);
    expect(() => qrSvg(tooLong)).toThrow(/too long for a QR code \(3022 characters\)/);
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
