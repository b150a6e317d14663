import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MalformedCommandError,
  MalformedResponseError,
  decodeCommand,
  describeCommand,
  describeSw,
  encodeCommand,
  encodeResponse,
  isSuccess,
  isWarning,
  parseResponse,
  swName,
} from '../../../src/apdu/index.ts';
import type { CommandApdu } from '../../../src/apdu/index.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';

describe('command APDU encoding (ISO/IEC 7816-4 §5.1, short cases 1-4)', () => {
  it.each<[string, CommandApdu, string]>([
    ['case 1', { cla: 0x00, ins: 0x70, p1: 0x80, p2: 0x01 }, '00708001'],
    // docs/protocol.md §2.1: MANAGE CHANNEL open.
    ['case 2', { cla: 0x00, ins: 0x70, p1: 0x00, p2: 0x00, le: 1 }, '0070000001'],
    ['case 2, Le 256 encodes 00', { cla: 0x81, ins: 0xc0, p1: 0, p2: 0, le: 256 }, '81C0000000'],
    // docs/protocol.md §2.1: TERMINAL CAPABILITY.
    [
      'case 3',
      { cla: 0x80, ins: 0xaa, p1: 0, p2: 0, data: fromHex('A9088100820101830107') },
      '80AA00000AA9088100820101830107',
    ],
    // docs/protocol.md §3.3: GetEID on channel 1.
    [
      'case 4',
      { cla: 0x81, ins: 0xe2, p1: 0x91, p2: 0x00, data: fromHex('BF3E035C015A'), le: 256 },
      '81E2910006BF3E035C015A00',
    ],
    [
      'case 4, 255 data bytes, Le 1',
      { cla: 0x80, ins: 0xe2, p1: 0x11, p2: 0x02, data: new Uint8Array(255).fill(0xab), le: 1 },
      `80E21102FF${'AB'.repeat(255)}01`,
    ],
  ])('%s', (_name, cmd, hex) => {
    expect(toHex(encodeCommand(cmd))).toBe(hex);
    expect(decodeCommand(fromHex(hex))).toEqual(cmd);
  });

  it('treats empty data as no Lc field', () => {
    expect(toHex(encodeCommand({ cla: 0, ins: 0xa4, p1: 4, p2: 0, data: new Uint8Array(0) }))).toBe(
      '00A40400',
    );
  });

  it.each<[string, CommandApdu]>([
    ['256 data bytes', { cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(256) }],
    ['Le 0', { cla: 0, ins: 0, p1: 0, p2: 0, le: 0 }],
    ['Le 257', { cla: 0, ins: 0, p1: 0, p2: 0, le: 257 }],
    ['Le 1.5', { cla: 0, ins: 0, p1: 0, p2: 0, le: 1.5 }],
    ['CLA 256', { cla: 256, ins: 0, p1: 0, p2: 0 }],
    ['INS -1', { cla: 0, ins: -1, p1: 0, p2: 0 }],
    ['P2 0x100', { cla: 0, ins: 0, p1: 0, p2: 0x100 }],
  ])('rejects %s with a RangeError', (_name, cmd) => {
    expect(() => encodeCommand(cmd)).toThrow(RangeError);
  });

  it.each([
    ['3 bytes', '00A404'],
    ['Lc 00 (extended form)', '00A4040000000102'],
    ['Lc longer than the data', '00A4040005A000'],
    ['two bytes after the data', '00A4040001A00000'],
  ])('decodeCommand rejects %s with MalformedCommandError', (_name, hex) => {
    expect(() => decodeCommand(fromHex(hex))).toThrow(MalformedCommandError);
  });

  it('round-trips any short command (property)', () => {
    const byte = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(
        byte,
        byte,
        byte,
        byte,
        fc.option(fc.uint8Array({ minLength: 1, maxLength: 255 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 256 }), { nil: undefined }),
        (cla, ins, p1, p2, data, le) => {
          const cmd: CommandApdu = {
            cla,
            ins,
            p1,
            p2,
            ...(data ? { data } : {}),
            ...(le !== undefined ? { le } : {}),
          };
          const bytes = encodeCommand(cmd);
          expect(bytes.length).toBe(4 + (data ? data.length + 1 : 0) + (le !== undefined ? 1 : 0));
          expect(decodeCommand(bytes)).toEqual(cmd);
        },
      ),
      { seed: 0x7816, numRuns: 500 },
    );
  });

  it('describes a command in spaced hex', () => {
    expect(
      describeCommand({ cla: 0x81, ins: 0xe2, p1: 0x91, p2: 0, data: fromHex('BF2E00'), le: 256 }),
    ).toBe('81E29100 03 BF2E00 00');
  });
});

describe('response APDUs', () => {
  it('splits data and SW', () => {
    const r = parseResponse(fromHex('BF2E039000'));
    expect(toHex(r.data)).toBe('BF2E03');
    expect([r.sw, r.sw1, r.sw2]).toEqual([0x9000, 0x90, 0x00]);
    expect(parseResponse(fromHex('6A82'))).toMatchObject({ sw: 0x6a82, data: new Uint8Array(0) });
  });

  it.each([[''], ['90']])('rejects %j (fewer than 2 bytes)', (hex) => {
    const bytes = fromHex(hex);
    const err = (() => {
      try {
        parseResponse(bytes);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect((err as MalformedResponseError).response).toEqual(bytes);
  });

  it('encodes and parses back (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: 0xffff }),
        (d, sw) => {
          const r = parseResponse(encodeResponse(d, sw));
          expect(r.data).toEqual(d);
          expect(r.sw).toBe(sw);
        },
      ),
      { seed: 2, numRuns: 200 },
    );
  });
});

describe('status words (ISO/IEC 7816-4 §5.6, ETSI TS 102 221 §10.2, GPC §11.1.3)', () => {
  it.each([
    [0x9000, /Success/],
    [0x6200, /Warning/],
    [0x6281, /corrupted/],
    [0x6283, /deactivated/],
    [0x6300, /Warning/],
    [0x63c2, /2 tries left/],
    [0x6400, /non-volatile memory unchanged/],
    [0x6581, /Memory problem/],
    [0x6700, /Wrong length/],
    [0x6881, /Logical channel not supported/],
    [0x6882, /Secure messaging/],
    [0x6982, /Security status/],
    [0x6985, /Conditions of use/],
    [0x6986, /no current EF/],
    [0x6a80, /data field/],
    [0x6a81, /Function not supported/],
    [0x6a82, /not found/],
    [0x6a84, /memory/],
    [0x6a86, /P1-P2/],
    [0x6a88, /Referenced data not found/],
    [0x6b00, /P1-P2/],
    [0x6d00, /Instruction/],
    [0x6e00, /Class/],
    [0x6f00, /no precise diagnosis/],
    [0x6110, /16 more response bytes/],
    [0x6100, /256 more response bytes/],
    [0x6c10, /Le = 16/],
    [0x9112, /proactive command of 18 bytes/],
    [0x1234, /Unknown status word 1234/],
  ])('names %s', (sw, name) => {
    expect(swName(sw)).toMatch(name);
  });

  it('formats SW with its name', () => {
    expect(describeSw(0x6a82)).toBe('6A82 (File or application not found)');
  });

  it.each([
    [0x9000, true],
    [0x9100, true],
    [0x91ff, true],
    [0x9200, true],
    [0x9240, false], // memory problem (3GPP TS 51.011 §9.4)
    [0x6200, false],
    [0x6283, false],
    [0x6300, false],
    [0x63c1, false],
    [0x6110, false],
    [0x6c10, false],
    [0x6a82, false],
    [0x9300, false],
  ])('isSuccess(%s) = %s', (sw, ok) => {
    expect(isSuccess(sw)).toBe(ok);
  });

  it('flags 62xx/63xx as warnings only', () => {
    expect([0x6200, 0x6283, 0x6300, 0x63c0].every(isWarning)).toBe(true);
    expect([0x9000, 0x6400, 0x6a82, 0x6100].some(isWarning)).toBe(false);
  });
});
