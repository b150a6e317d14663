import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { concat, encodeTlv, fromHex, toHex } from '../../../src/codec/index.ts';
import {
  encodeMinimalProfile,
  parseProfileHeader,
  parseProfilePackage,
  ProfilePackageParser,
  SaipError,
} from '../../../src/rsp/saip.ts';

// Header layout from docs/protocol.md §12 (TS.48 packages begin A0 .. 80 01 02 81 01 03 82 .. 83 0A ..);
// ICCID BCD vector 89000123456789012341 <-> 98001032547698103214 from docs/protocol.md §1.
const ICCID = '89000123456789012341';

describe('SAIP profile package codec', () => {
  it('encodes a minimal package: header, end element, swapped-BCD ICCID', () => {
    const pkg = encodeMinimalProfile({ iccid: ICCID, profileType: 'test' });
    expect(toHex(pkg.subarray(0, 2))).toBe('A0' + toHex(Uint8Array.of(pkg[1]!)));
    expect(toHex(pkg)).toContain('830A98001032547698103214');
    const parsed = parseProfilePackage(pkg);
    expect(parsed.header).toMatchObject({
      majorVersion: 2,
      minorVersion: 3,
      profileType: 'test',
      iccid: ICCID,
    });
    expect(parsed.hasEnd).toBe(true);
    expect(parsed.elements.at(-1)!.tag).toBe(0xaa);
    expect(parsed.elements[0]!.tag).toBe(0xa0);
  });

  it('pads to roughly the requested size', () => {
    for (const size of [10_000, 100_000]) {
      const pkg = encodeMinimalProfile({ iccid: ICCID, size });
      expect(pkg.length).toBeGreaterThanOrEqual(size);
      expect(pkg.length).toBeLessThan(size + 1100);
      const parsed = parseProfilePackage(pkg);
      expect(parsed.elements.length).toBeGreaterThan(size / 1100);
      expect(parsed.elements.slice(1, -1).every((e) => e.tag === 0xa1)).toBe(true);
    }
  });

  it('streams: any split of the stream yields the same elements', () => {
    const pkg = encodeMinimalProfile({ iccid: ICCID, size: 5000 });
    const whole = parseProfilePackage(pkg).elements.map((e) => toHex(e.raw));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: pkg.length - 1 }), { maxLength: 12 }),
        (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          const parser = new ProfilePackageParser();
          const got: string[] = [];
          let prev = 0;
          for (const p of [...points, pkg.length]) {
            got.push(...parser.push(pkg.subarray(prev, p)).map((e) => toHex(e.raw)));
            prev = p;
          }
          parser.finish();
          expect(got).toEqual(whole);
          expect(parser.hasEnd).toBe(true);
        },
      ),
      { seed: 4, numRuns: 60 },
    );
  });

  it('round trips the ICCID for any valid 19/20-digit number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^89\d{17}$/), (body) => {
        // Append a Luhn digit computed independently here.
        let sum = 0;
        for (let i = 0; i < body.length; i++) {
          let d = Number(body[body.length - 1 - i]);
          if (i % 2 === 0) {
            d *= 2;
            if (d > 9) d -= 9;
          }
          sum += d;
        }
        const iccid = body + String((10 - (sum % 10)) % 10);
        expect(parseProfilePackage(encodeMinimalProfile({ iccid })).header.iccid).toBe(iccid);
      }),
      { seed: 7, numRuns: 50 },
    );
  });

  it('accepts a plain-order header ICCID as TS.48 packages carry it', () => {
    // 8949449999999990023F: plain BCD, F-padded (layout of the TS.48 generic test profile).
    const header = encodeTlv(
      0xa0,
      fromHex('800102810101'),
      encodeTlv(0x83, fromHex('8949449999999990023F')),
    );
    expect(parseProfileHeader(header).iccid).toBe('8949449999999990023');
  });

  it('rejects malformed streams with SaipError', () => {
    const pkg = encodeMinimalProfile({ iccid: ICCID, size: 2000 });
    const headerLen = parseProfilePackage(pkg).elements[0]!.raw.length;
    // Truncated: the stream ends inside an element.
    expect(() => parseProfilePackage(pkg.subarray(0, pkg.length - 3))).toThrow(SaipError);
    // The first element is not the header.
    expect(() => parseProfilePackage(pkg.subarray(headerLen))).toThrow(/first ProfileElement/);
    // Data after the end element.
    expect(() => parseProfilePackage(concat(pkg, encodeTlv(0xa1, fromHex('A0038101FF'))))).toThrow(
      /after the end/,
    );
    // Not a ProfileElement tag.
    expect(() => parseProfilePackage(fromHex('0401AA'))).toThrow(SaipError);
    // Indefinite length.
    expect(() => parseProfilePackage(fromHex('A08000'))).toThrow(/indefinite/);
    // Header without ICCID.
    expect(() => parseProfilePackage(fromHex('A006800102810103'))).toThrow(/ProfileHeader/);
    // A second header.
    const header = pkg.subarray(0, headerLen);
    expect(() => parseProfilePackage(concat(header, header))).toThrow(/second header/);
    // Non-minimal length inside an element is caught by the strict TLV check.
    expect(() => parseProfilePackage(concat(header, fromHex('A1820003A00100')))).toThrow(SaipError);
  });

  it('the error carries the stream offset', () => {
    const pkg = encodeMinimalProfile({ iccid: ICCID });
    const bad = concat(pkg.subarray(0, pkg.length - 7), fromHex('0400'));
    try {
      parseProfilePackage(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SaipError);
      expect((e as SaipError).offset).toBe(pkg.length - 7);
    }
  });
});
