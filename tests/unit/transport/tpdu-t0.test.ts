// T=0 mapping of short APDUs per ISO/IEC 7816-3 §12.2 (cases 1-4, 61xx, 6Cxx); the scripted
// exchange below pins every TPDU the engine sends.
import { describe, it, expect } from 'vitest';
import {
  getResponseCla,
  parseShortApdu,
  transmitT0,
} from '../../../src/transport/webusb-ccid/tpdu-t0.ts';
import { CcidError } from '../../../src/transport/webusb-ccid/errors.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';

function scripted(script: [string, string][]) {
  const sent: string[] = [];
  const exchange = (tpdu: Uint8Array): Promise<Uint8Array> => {
    const step = script[sent.length];
    sent.push(toHex(tpdu));
    if (!step) throw new Error(`unexpected TPDU ${toHex(tpdu)}`);
    expect(toHex(tpdu)).toBe(step[0].replace(/ /g, ''));
    return Promise.resolve(fromHex(step[1]));
  };
  return {
    exchange,
    done: () => {
      expect(sent.length).toBe(script.length);
    },
  };
}

const AID = 'A0000005591010FFFFFFFF8900000100';

describe('transmitT0', () => {
  it('case 1 goes out with P3 = 00', async () => {
    const s = scripted([['80AA0000 00', '9000']]);
    expect(toHex(await transmitT0(fromHex('80AA0000'), s.exchange))).toBe('9000');
    s.done();
  });

  it('case 2: 6Cxx resends the header with P3 = xx', async () => {
    const s = scripted([
      ['00B00000 00', '6C04'],
      ['00B00000 04', '010203049000'],
    ]);
    expect(toHex(await transmitT0(fromHex('00B0000000'), s.exchange))).toBe('010203049000');
    s.done();
  });

  it('case 3 sends Lc and data only', async () => {
    const s = scripted([[`01A40400 10 ${AID}`, '9000']]);
    expect(toHex(await transmitT0(fromHex(`01A4040010${AID}`), s.exchange))).toBe('9000');
    s.done();
  });

  it('case 4 drops Le, then 61xx -> GET RESPONSE on the same channel', async () => {
    const s = scripted([
      [`01A40400 10 ${AID}`, '6103'],
      ['01C00000 03', '6F01849000'],
    ]);
    expect(toHex(await transmitT0(fromHex(`01A4040010${AID}00`), s.exchange))).toBe('6F01849000');
    s.done();
  });

  it('chains 61xx: 6100 asks for 256 bytes, then the rest', async () => {
    const big = 'AB'.repeat(256);
    const s = scripted([
      ['81E29100 06 BF3E035C015A', '6100'],
      ['01C00000 00', `${big}6102`],
      ['01C00000 02', 'CDEF9000'],
    ]);
    const r = await transmitT0(fromHex('81E2910006BF3E035C015A00'), s.exchange);
    expect(r.length).toBe(256 + 2 + 2);
    expect(toHex(r.subarray(256))).toBe('CDEF9000');
    s.done();
  });

  it('GET RESPONSE answered 6Cxx is resent with the right length', async () => {
    const s = scripted([
      ['00CA0000 02 AAAA', '6105'],
      ['00C00000 05', '6C02'],
      ['00C00000 02', '11229000'],
    ]);
    expect(toHex(await transmitT0(fromHex('00CA000002AAAA00'), s.exchange))).toBe('11229000');
    s.done();
  });

  it('a non-61 status on case 4 is returned as it is (e.g. 6A82)', async () => {
    const s = scripted([[`00A40400 10 ${AID}`, '6A82']]);
    expect(toHex(await transmitT0(fromHex(`00A4040010${AID}00`), s.exchange))).toBe('6A82');
    s.done();
  });

  it('refuses extended length and inconsistent APDUs', async () => {
    const never = () => Promise.reject(new Error('must not send'));
    await expect(transmitT0(fromHex('00E2000000010001'), never)).rejects.toThrow(CcidError);
    await expect(transmitT0(fromHex('00E20000030102'), never)).rejects.toThrow(/does not match/);
    await expect(transmitT0(fromHex('00E2'), never)).rejects.toThrow(/too short/);
    await expect(
      transmitT0(fromHex('00A4040000'), () => Promise.resolve(fromHex('90'))),
    ).rejects.toThrow(/no status word/);
  });

  it('stops an endless 61xx chain', async () => {
    await expect(
      transmitT0(fromHex('00CA000000'), () => Promise.resolve(fromHex('6101'))),
    ).rejects.toThrow(/too long/);
  });
});

describe('helpers', () => {
  it.each([
    [0x00, 0x00],
    [0x80, 0x00],
    [0x81, 0x01],
    [0x03, 0x03],
    [0x0c, 0x00], // secure messaging bits dropped
    [0x41, 0x41], // channel 5, interindustry
    [0xc1, 0x41], // channel 5, proprietary (docs/protocol.md §3.3 C1E29100...)
    [0xcf, 0x4f], // channel 19
  ])('GET RESPONSE class for CLA %i is %i', (cla, expected) => {
    expect(getResponseCla(cla)).toBe(expected);
  });

  it('classifies the four short cases', () => {
    expect(parseShortApdu(fromHex('00700000')).case).toBe(1);
    expect(parseShortApdu(fromHex('0070000001')).case).toBe(2);
    expect(parseShortApdu(fromHex('00A4040002AABB')).case).toBe(3);
    expect(parseShortApdu(fromHex('00A4040002AABB00'))).toMatchObject({ case: 4, le: 0 });
  });
});
