// ATR structure per ISO/IEC 7816-3 §8.2; every TCK is checked by the XOR rule in the test itself.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseAtr } from '../../../src/transport/webusb-ccid/atr.ts';
import { AtrError } from '../../../src/transport/webusb-ccid/errors.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { defaultAtr, t1OnlyAtr } from '../../fakes/usb/fake-ccid-device.ts';

function xorT0toEnd(bytes: Uint8Array): number {
  let x = 0;
  for (let i = 1; i < bytes.length; i++) x ^= bytes[i]!;
  return x;
}

describe('parseAtr', () => {
  it('minimal T=0 ATR without interface bytes: 3B 02 14 50', () => {
    const atr = parseAtr(fromHex('3B021450'));
    expect(atr.convention).toBe('direct');
    expect(atr.protocols).toEqual([0]);
    expect(atr.defaultProtocol).toBe(0);
    expect(toHex(atr.historical)).toBe('1450');
    expect(atr.tck).toBeUndefined();
    expect(atr.findexDindex).toBe(0x11);
    expect([atr.fi, atr.di]).toEqual([372, 1]);
    expect(atr.waitingInteger).toBe(10);
  });

  it('T=1 ATR with TA1/TB1/TC1, TD1, TD2 and T=1 bytes (a YubiKey 4 ATR)', () => {
    const bytes = fromHex('3BF81300008131FE15597562696B657934D4');
    expect(xorT0toEnd(bytes)).toBe(0);
    const atr = parseAtr(bytes);
    expect(atr.protocols).toEqual([1]);
    expect(atr.findexDindex).toBe(0x13);
    expect([atr.fi, atr.di]).toEqual([372, 4]);
    expect(atr.groups[0]).toEqual({ index: 1, ta: 0x13, tb: 0x00, tc: 0x00, td: 0x81 });
    expect(atr.t1).toEqual({ ifsc: 0xfe, bwi: 1, cwi: 5, checksum: 'lrc' });
    expect(new TextDecoder().decode(atr.historical)).toBe('Yubikey4');
    expect(atr.tck).toBe(0xd4);
  });

  it('T=0 and T=15 ATR of the fakes: TCK present because T=15 is announced', () => {
    const bytes = defaultAtr();
    const atr = parseAtr(bytes);
    expect(atr.protocols).toEqual([0]);
    expect(atr.historical.length).toBe(15);
    expect(atr.tck).toBe(bytes.at(-1));
    expect(atr.fi).toBe(512);
    expect(atr.di).toBe(32);
  });

  it('offers T=0 and T=1 in announced order; TA2 specific mode', () => {
    // T0 = 0x90 (TA1, TD1), TA1 = 11, TD1 = 0x50 (TA2 and TC2 follow; T=0),
    // TA2 = 0x10 (specific mode T=0, implicit parameters), TC2 = 0x14 (WI 20); only T=0 -> no TCK.
    const atr = parseAtr(fromHex('3B9011501014'));
    expect(atr.specificMode).toEqual({ protocol: 0, implicitParameters: true });
    expect(atr.waitingInteger).toBe(0x14);
    // 3B 80 80 01 + TCK: TD1 T=0 -> TD2 T=1
    const two = fromHex('3B808001');
    const withTck = Uint8Array.of(...two, xorT0toEnd(two));
    expect(parseAtr(withTck).protocols).toEqual([0, 1]);
  });

  it('T=1 group with TA3, TB3 and TC3: IFSC, BWI/CWI and the CRC epilogue (§11.4)', () => {
    // 3B 90 96 81 71 FE 45 01 + TCK: TD1 81 (T=1), TD2 71 (TA3 TB3 TC3, T=1), TA3 FE = IFSC
    // 254, TB3 45 = BWI 4 / CWI 5, TC3 01 = CRC; TCK = 90^96^81^71^FE^45^01 = 4C.
    const atr = parseAtr(fromHex('3B90968171FE45014C'));
    expect(atr.protocols).toEqual([1]);
    expect(atr.t1).toEqual({ ifsc: 0xfe, bwi: 4, cwi: 5, checksum: 'crc' });
    expect(parseAtr(t1OnlyAtr()).t1).toEqual({ ifsc: 32, bwi: 4, cwi: 13, checksum: 'lrc' });
  });

  it('accepts inverse convention TS 3F and the T=1-only ATR of the fakes', () => {
    expect(parseAtr(fromHex('3F021450')).convention).toBe('inverse');
    expect(parseAtr(t1OnlyAtr()).protocols).toEqual([1]);
  });

  it.each([
    ['', 0, /empty/],
    ['3A021450', 0, /TS/],
    ['3B', 1, /T0/],
    ['3B9011', 3, /TD1/],
    ['3B0414', 3, /historical/],
    ['3B021450FF', 4, /unexpected bytes/],
    ['3B8001', 3, /TCK/], // TD1 announces T=1, so TCK is mandatory, but missing
    ['3B808101FF', 4, /TCK check/],
  ])('rejects %s with AtrError at offset %i', (hex, offset, message) => {
    try {
      parseAtr(fromHex(hex));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AtrError);
      expect((e as AtrError).offset).toBe(offset);
      expect((e as AtrError).message).toMatch(message);
    }
  });

  it('only AtrError escapes for arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        try {
          parseAtr(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(AtrError);
        }
      }),
      { seed: 3, numRuns: 2000 },
    );
  });
});
