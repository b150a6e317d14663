// T=1 block engine (ISO/IEC 7816-3 §11). Every block below was written out by hand from the
// §11.3 layout: NAD PCB LEN INF LRC, with PCB = 0 N(S) M 00000 for I-blocks, 100 N(R) 00ee for
// R-blocks and 11 r ttttt for S-blocks, and LRC = XOR of all prologue and INF bytes. Example:
// I(0, no M) carrying 00 A4 04 00 is 00 00 04 | 00 A4 04 00 | LRC, LRC = 04 ^ A4 ^ 04 = A4.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  T1Engine,
  T1Error,
  decodeT1Block,
  encodeBlock,
  encodeT1Block,
  t1Crc,
  t1Lrc,
  type T1Block,
  type T1Options,
} from '../../../src/transport/webusb-ccid/tpdu-t1.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';

/** A reply: block bytes in hex, or a rejection (a receive failure the reader reports). */
type Reply = string | Error;
const PARITY = new T1Error('the reader reports a parity error', 'parity');
const TIMEOUT = new T1Error('no block within BWT', 'timeout');

function scripted(script: [string, Reply][]) {
  const sent: string[] = [];
  const wtx: number[] = [];
  const exchange = (block: Uint8Array, w: number): Promise<Uint8Array> => {
    const step = script[sent.length];
    sent.push(toHex(block));
    wtx.push(w);
    if (!step) return Promise.reject(new Error(`unexpected block ${toHex(block)}`));
    expect(toHex(block)).toBe(step[0].replace(/ /g, ''));
    const reply = step[1];
    if (reply instanceof Error) return Promise.reject(reply);
    return Promise.resolve(fromHex(reply.replace(/ /g, '')));
  };
  return {
    exchange,
    sent,
    wtx,
    done: () => {
      expect(sent.length).toBe(script.length);
    },
  };
}

function engine(script: [string, Reply][], options: T1Options = { ifsd: false }) {
  const s = scripted(script);
  return { ...s, t1: new T1Engine(s.exchange, options) };
}

// Blocks used in several tests (hand-computed as described at the top).
const S_IFS_REQ_FE = '00 C1 01 FE 3E'; // C1 ^ 01 ^ FE = 3E
const S_IFS_RES_FE = '00 E1 01 FE 1E'; // E1 ^ 01 ^ FE = 1E
const I0_SELECT = '00 00 04 00A40400 A4'; // I(0): 04 ^ A4 ^ 04 = A4
const I0_9000 = '00 00 02 9000 92'; // 02 ^ 90 ^ 00 = 92
const R0_EDC = '00 81 00 81'; // R(N(R)=0, EDC/parity error)
const R0_OTHER = '00 82 00 82'; // R(N(R)=0, other error)
const S_RESYNCH_REQ = '00 C0 00 C0';
const S_RESYNCH_RES = '00 E0 00 E0';

describe('T=1 block framing', () => {
  it('encodes the blocks of §11.3 with LRC', () => {
    expect(toHex(encodeT1Block(0, 0x00, fromHex('00A40400'), 'lrc'))).toBe('00000400A40400A4');
    const blocks: [T1Block, string][] = [
      [{ kind: 'I', nad: 0, ns: 1, more: false, inf: fromHex('80CA9F7F00') }, '00400580CA9F7F00EF'],
      [{ kind: 'I', nad: 0, ns: 0, more: true, inf: fromHex('00A40400') }, '00200400A4040084'],
      [{ kind: 'R', nad: 0, nr: 1, error: 0 }, '00900090'],
      [{ kind: 'R', nad: 0, nr: 0, error: 1 }, '00810081'],
      [{ kind: 'R', nad: 0, nr: 0, error: 2 }, '00820082'],
      [{ kind: 'S', nad: 0, response: false, type: 1, inf: fromHex('FE') }, '00C101FE3E'],
      [{ kind: 'S', nad: 0, response: true, type: 3, inf: fromHex('05') }, '00E30105E7'],
      [{ kind: 'S', nad: 0, response: false, type: 0, inf: new Uint8Array(0) }, '00C000C0'],
      [{ kind: 'S', nad: 0, response: true, type: 2, inf: new Uint8Array(0) }, '00E200E2'],
    ];
    for (const [block, hex] of blocks) {
      expect(toHex(encodeBlock(block, 'lrc'))).toBe(hex);
      expect(decodeT1Block(fromHex(hex), 'lrc')).toEqual(block);
    }
    expect(t1Lrc(fromHex('0000029000'))).toBe(0x92);
  });

  it('CRC: the ISO/IEC 13239 register (CRC-16/MCRF4XX check value 6F91 for "123456789")', () => {
    // Check value from the CRC catalogue entry CRC-16/MCRF4XX (poly 0x1021 reflected, init FFFF,
    // no final XOR).
    expect(t1Crc(new TextEncoder().encode('123456789'))).toBe(0x6f91);
    // Independent bitwise computation of the same register, high byte sent first.
    const reference = (bytes: Uint8Array): number => {
      let v = 0xffff;
      for (const b of bytes) {
        v ^= b;
        for (let k = 0; k < 8; k++) v = v & 1 ? (v >>> 1) ^ 0x8408 : v >>> 1;
      }
      return v;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(t1Crc(bytes)).toBe(reference(bytes));
      }),
    );
    // I(0) with 00 A4 04 00 and a CRC epilogue: register 5549 after 00 00 04 00 A4 04 00.
    expect(toHex(encodeT1Block(0, 0, fromHex('00A40400'), 'crc'))).toBe('00000400A404005549');
  });

  it('round-trips any block with either checksum (property)', () => {
    const block = fc.oneof(
      fc.record({
        kind: fc.constant('I' as const),
        nad: fc.constant(0),
        ns: fc.constantFrom(0 as const, 1 as const),
        more: fc.boolean(),
        inf: fc.uint8Array({ maxLength: 254 }),
      }),
      fc.record({
        kind: fc.constant('R' as const),
        nad: fc.constant(0),
        nr: fc.constantFrom(0 as const, 1 as const),
        error: fc.constantFrom(0 as const, 1 as const, 2 as const),
      }),
    );
    fc.assert(
      fc.property(block, fc.constantFrom('lrc' as const, 'crc' as const), (b, checksum) => {
        expect(decodeT1Block(encodeBlock(b, checksum), checksum)).toEqual(b);
      }),
    );
  });

  it.each([
    ['00000400A40400A5', 'edc', 'lrc'],
    ['00000400A404005548', 'edc', 'crc'],
    ['000004', 'badBlock', 'lrc'],
    ['00FF00FF', 'badBlock', 'lrc'], // LEN FF is reserved
    ['00 00 05 00A40400 A5'.replace(/ /g, ''), 'badBlock', 'lrc'], // LEN 5, 4 bytes
    ['00 01 00 01', 'badBlock', 'lrc'], // I-block with an RFU bit
    ['00 90 01 00 91', 'badBlock', 'lrc'], // R-block with an INF
    ['00 83 00 83', 'badBlock', 'lrc'], // R-block error code 3
    ['00 C1 01 00 C0', 'badBlock', 'lrc'], // S(IFS) 00
    ['00 C1 00 C1', 'badBlock', 'lrc'], // S(IFS) without its byte
    ['00 C5 00 C5', 'badBlock', 'lrc'], // S type 5
  ] as const)('rejects %s as %s', (hex, reason, checksum) => {
    const err = (() => {
      try {
        decodeT1Block(fromHex(hex.replace(/ /g, '')), checksum);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(T1Error);
    expect((err as T1Error).reason).toBe(reason);
  });

  it('refuses an INF over 254 bytes and bad IFS options', () => {
    expect(() => encodeT1Block(0, 0, new Uint8Array(255), 'lrc')).toThrow(RangeError);
    expect(() => new T1Engine(() => Promise.resolve(new Uint8Array(0)), { ifsc: 0 })).toThrow(
      RangeError,
    );
    expect(() => new T1Engine(() => Promise.resolve(new Uint8Array(0)), { ifsd: 255 })).toThrow(
      RangeError,
    );
  });
});

describe('T1Engine exchanges', () => {
  it('announces IFSD 254 first, then carries APDUs with alternating N(S)', async () => {
    const { t1, done } = engine(
      [
        [S_IFS_REQ_FE, S_IFS_RES_FE],
        [I0_SELECT, I0_9000],
        // I(1): 40 ^ 05 ^ 80 ^ CA ^ 9F ^ 7F ^ 00 = EF; card I(1) 6A 88: 40 ^ 02 ^ 6A ^ 88 = A0.
        ['00 40 05 80CA9F7F00 EF', '00 40 02 6A88 A0'],
      ],
      {},
    );
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    expect(t1.ifsd).toBe(254);
    expect(toHex(await t1.transmit(fromHex('80CA9F7F00')))).toBe('6A88');
    done();
  });

  it('chains a command by IFSC and follows R-block acknowledgements', async () => {
    const { t1, done } = engine(
      [
        // IFSC 4: 00A40400 | 05A00000 | 0559, N(S) 0, 1, 0; M set on the first two.
        ['00 20 04 00A40400 84', '00 90 00 90'], // 20^04^A4^04 = 84; card acks with R(1)
        ['00 60 04 05A00000 C1', '00 80 00 80'], // 60^04^05^A0 = C1; card acks with R(0)
        ['00 00 02 0559 5E', I0_9000], // 02^05^59 = 5E
      ],
      { ifsc: 4, ifsd: false },
    );
    expect(toHex(await t1.transmit(fromHex('00A4040005A0000005 59'.replace(/ /g, ''))))).toBe(
      '9000',
    );
    done();
  });

  it('collects a chained response, acknowledging each part with R(N(R))', async () => {
    const { t1, done } = engine([
      ['00 00 05 00B0000000 B5', '00 20 03 010203 23'], // card I(0, M): 20^03^01^02^03 = 23
      ['00 90 00 90', '00 40 03 049000 D7'], // R(1) ack; card I(1): 40^03^04^90^00 = D7
    ]);
    expect(toHex(await t1.transmit(fromHex('00B0000000')))).toBe('010203049000');
    done();
  });

  it('answers S(WTX request) with the same multiplier and passes it to the reader', async () => {
    const { t1, wtx, done } = engine([
      [I0_SELECT, '00 C3 01 05 C7'], // S(WTX request, 5): C3^01^05 = C7
      ['00 E3 01 05 E7', I0_9000], // S(WTX response, 5): E3^01^05 = E7
    ]);
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    expect(wtx).toEqual([0, 5]);
    done();
  });

  it('takes a new IFSC from S(IFS request) in the middle of a chain', async () => {
    const { t1, done } = engine(
      [
        ['00 20 04 00A40400 84', '00 C1 01 10 D0'], // card S(IFS request, 16): C1^01^10 = D0
        ['00 E1 01 10 F0', '00 90 00 90'], // S(IFS response, 16): E1^01^10 = F0; ack R(1)
        ['00 40 06 05A000000559 BF', I0_9000], // rest in one block: 40^06^05^A0^05^59 = BF
      ],
      { ifsc: 4, ifsd: false },
    );
    expect(toHex(await t1.transmit(fromHex('00A4040005A000000559')))).toBe('9000');
    expect(t1.ifsc).toBe(16);
    done();
  });

  it('an R-block error: a corrupt LRC is answered with R(0, EDC error) and the resent block', async () => {
    const { t1, done } = engine([
      [I0_SELECT, '00 00 02 9000 93'], // LRC off by one bit
      [R0_EDC, I0_9000],
    ]);
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    done();
  });

  it('parity errors and BWT timeouts from the reader start the same recovery', async () => {
    const { t1, done } = engine([
      [I0_SELECT, PARITY],
      [R0_EDC, TIMEOUT],
      [R0_OTHER, I0_9000],
    ]);
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    done();
  });

  it('resends its I-block when the card asks for it with R(N(R) = N(S))', async () => {
    const { t1, done } = engine([
      [I0_SELECT, '00 82 00 82'], // card: R(0), other error: it did not get I(0)
      [I0_SELECT, I0_9000],
    ]);
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    done();
  });

  it('treats an I-block with the wrong N(S) or another NAD as invalid', async () => {
    const { t1, done } = engine([
      [I0_SELECT, '00 40 02 9000 D2'], // card I(1) while I(0) is expected: 40^02^90 = D2
      [R0_OTHER, '12 00 02 9000 80'], // NAD 12: 12^02^90 = 80
      [R0_OTHER, I0_9000],
    ]);
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    done();
  });

  it('with a NAD, expects the card to answer with source and destination swapped', async () => {
    const { t1, done } = engine(
      [
        // NAD 12 (DAD 2, SAD 1): 12^00^04^A4^04 = B6; the card answers NAD 21: 21^02^90 = B3.
        ['12 00 04 00A40400 B6', '12 00 02 9000 80'],
        ['12 82 00 90', '21 00 02 9000 B3'], // 12^82 = 90: R(0, other) for the wrong NAD
      ],
      { ifsd: false, nad: 0x12 },
    );
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    done();
  });

  it('after three invalid answers: S(RESYNCH), a typed error, and a fresh start', async () => {
    const { t1, done } = engine(
      [
        [S_IFS_REQ_FE, S_IFS_RES_FE],
        [I0_SELECT, TIMEOUT],
        [R0_OTHER, '00 00 02 9000 00'],
        [R0_EDC, PARITY],
        [S_RESYNCH_REQ, S_RESYNCH_RES],
        // Next APDU: IFSD announced again, N(S) back to 0.
        [S_IFS_REQ_FE, S_IFS_RES_FE],
        [I0_SELECT, I0_9000],
      ],
      {},
    );
    const err = await t1.transmit(fromHex('00A40400')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(T1Error);
    expect((err as T1Error).reason).toBe('retriesExhausted');
    expect((err as T1Error).resynchronised).toBe(true);
    expect((err as T1Error).cause).toBeInstanceOf(T1Error);
    expect(t1.needsResynch).toBe(false);
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    done();
  });

  it('when S(RESYNCH) fails too the error says so and the next APDU tries S(RESYNCH) first', async () => {
    const { t1, done } = engine([
      [I0_SELECT, TIMEOUT],
      [R0_OTHER, TIMEOUT],
      [R0_OTHER, TIMEOUT],
      [S_RESYNCH_REQ, TIMEOUT],
      [S_RESYNCH_REQ, '00 E1 01 FE 1E'], // a response, but not to RESYNCH
      [S_RESYNCH_REQ, TIMEOUT],
      [S_RESYNCH_REQ, S_RESYNCH_RES],
      [I0_SELECT, I0_9000],
    ]);
    const err = await t1.transmit(fromHex('00A40400')).catch((e: unknown) => e);
    expect((err as T1Error).reason).toBe('retriesExhausted');
    expect((err as T1Error).resynchronised).toBe(false);
    expect(t1.needsResynch).toBe(true);
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    done();
  });

  it('a link that stays dead fails fast with retriesExhausted', async () => {
    const { t1, done } = engine([
      [I0_SELECT, TIMEOUT],
      [R0_OTHER, TIMEOUT],
      [R0_OTHER, TIMEOUT],
      [S_RESYNCH_REQ, TIMEOUT],
      [S_RESYNCH_REQ, TIMEOUT],
      [S_RESYNCH_REQ, TIMEOUT],
      [S_RESYNCH_REQ, TIMEOUT],
      [S_RESYNCH_REQ, TIMEOUT],
      [S_RESYNCH_REQ, TIMEOUT],
    ]);
    await expect(t1.transmit(fromHex('00A40400'))).rejects.toMatchObject({
      reason: 'retriesExhausted',
    });
    const err = await t1.transmit(fromHex('00A40400')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(T1Error);
    expect((err as T1Error).message).toMatch(/RESYNCH/);
    done();
  });

  it('a card that refuses S(IFS) is resynchronised and used with IFSD 32', async () => {
    const { t1, done } = engine(
      [
        [S_IFS_REQ_FE, TIMEOUT],
        [S_IFS_REQ_FE, '00 82 00 82'],
        [S_IFS_REQ_FE, TIMEOUT],
        [S_RESYNCH_REQ, S_RESYNCH_RES],
        [I0_SELECT, I0_9000],
        ['00 40 04 00A40400 E4', '00 40 02 9000 D2'], // no second S(IFS): 40^04^A4^04 = E4
      ],
      {},
    );
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    expect(t1.ifsd).toBe(32);
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    done();
  });

  it('S(ABORT request) from the card is confirmed and ends the APDU with "aborted"', async () => {
    const { t1, done } = engine([
      [I0_SELECT, '00 C2 00 C2'],
      ['00 E2 00 E2', '00 82 00 82'],
      [S_RESYNCH_REQ, S_RESYNCH_RES],
      [I0_SELECT, I0_9000],
    ]);
    const err = await t1.transmit(fromHex('00A40400')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(T1Error);
    expect((err as T1Error).reason).toBe('aborted');
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    done();
  });

  it('a reader failure passes through unchanged and the next APDU resynchronises', async () => {
    const gone = new Error('reader unplugged');
    const { t1, done } = engine(
      [
        ['00 20 04 00A40400 84', '00 90 00 90'],
        ['00 40 01 00 41', gone], // 40^01^00 = 41
        [S_RESYNCH_REQ, S_RESYNCH_RES],
        [I0_SELECT, I0_9000],
      ],
      { ifsc: 4, ifsd: false },
    );
    await expect(t1.transmit(fromHex('00A4040000'))).rejects.toBe(gone);
    expect(t1.needsResynch).toBe(true);
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    done();
  });

  it('refuses an empty command and a second transmit while one runs', async () => {
    const { t1 } = engine([]);
    await expect(t1.transmit(new Uint8Array(0))).rejects.toMatchObject({ reason: 'badApdu' });
    let release: (v: Uint8Array) => void = () => undefined;
    const slow = new T1Engine(
      () =>
        new Promise<Uint8Array>((r) => {
          release = r;
        }),
      { ifsd: false },
    );
    const first = slow.transmit(fromHex('00A40400'));
    await expect(slow.transmit(fromHex('00A40400'))).rejects.toMatchObject({ reason: 'busy' });
    release(fromHex(I0_9000.replace(/ /g, '')));
    expect(toHex(await first)).toBe('9000');
  });

  it('a card that never ends its chain is stopped with "protocol"', async () => {
    let n = 0;
    const t1 = new T1Engine(
      () => {
        // I-blocks with M set and alternating N(S), forever (40 KiB of data per 254-byte block).
        const ns = (n++ & 1) as 0 | 1;
        return Promise.resolve(
          encodeBlock({ kind: 'I', nad: 0, ns, more: true, inf: new Uint8Array(254) }, 'lrc'),
        );
      },
      { ifsd: false },
    );
    await expect(t1.transmit(fromHex('00A40400'))).rejects.toMatchObject({ reason: 'protocol' });
    expect(n).toBeLessThan(300);
  });

  it('CRC epilogue end to end', async () => {
    const { t1, done } = engine(
      [
        ['00 C1 01 FE 544E', '00 E1 01 FE 5775'], // CRC registers from the bitwise reference
        ['00 00 04 00A40400 5549', '00 00 02 9000 9C6D'],
      ],
      { checksum: 'crc' },
    );
    expect(toHex(await t1.transmit(fromHex('00A40400')))).toBe('9000');
    done();
  });
});
