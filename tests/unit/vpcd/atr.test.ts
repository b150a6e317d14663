import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codec/index.ts';
import { ATR_T0, ATR_T1, atrFor } from '../../../src/server/vpcd/atr.ts';
import { parseAtr } from '../../../src/transport/webusb-ccid/atr.ts';
import { AtrError } from '../../../src/transport/webusb-ccid/errors.ts';

describe('the served eUICC ATRs', () => {
  it('T=0: the bytes documented, T=0 only, TCK valid', () => {
    expect(toHex(ATR_T0)).toBe('3B9A96801FC78031C173C0011F8290009B');
    const atr = parseAtr(ATR_T0);
    expect(atr.convention).toBe('direct');
    expect(atr.protocols).toEqual([0]);
    expect(atr.defaultProtocol).toBe(0);
    expect(atr.tck).toBe(0x9b);
    expect([atr.fi, atr.di]).toEqual([512, 32]);
    expect(toHex(atr.historical)).toBe('8031C173C0011F829000');
    // TA after T=15: clock stop either state, classes A, B and C.
    expect(atr.groups[2]?.ta).toBe(0xc7);
  });

  it('T=1: the bytes documented, T=1 only, its parameters, TCK valid', () => {
    expect(toHex(ATR_T1)).toBe('3B9A9681B1FE451FC78031C173C0011F82900090');
    const atr = parseAtr(ATR_T1);
    expect(atr.protocols).toEqual([1]);
    expect(atr.defaultProtocol).toBe(1);
    expect(atr.t1).toEqual({ ifsc: 254, bwi: 4, cwi: 5, checksum: 'lrc' });
    expect(atr.tck).toBe(0x90);
    expect(toHex(atr.historical)).toBe('8031C173C0011F829000');
  });

  it('a wrong TCK is refused by the parser (so the check is real)', () => {
    for (const a of [ATR_T0, ATR_T1]) {
      const bad = a.slice();
      bad[bad.length - 1]! ^= 1;
      expect(() => parseAtr(bad)).toThrow(AtrError);
    }
  });

  it('atrFor gives copies', () => {
    const a = atrFor(false);
    a[0] = 0;
    expect(ATR_T0[0]).toBe(0x3b);
    expect(atrFor(true)).toEqual(ATR_T1);
  });
});
