/**
 * ISO 7816 behaviour of the software eUICC driven with raw APDUs. Expected bytes follow
 * ISO/IEC 7816-4, ETSI TS 102 221 §10.1.1 (CLA with channels) and docs/protocol.md §2-3.
 */
import { describe, expect, it } from 'vitest';
import { concat, fromHex, toHex } from '../../../src/codec/index.ts';
import { Driver, ISD_R, newCard, sw } from './helpers.ts';

const SELECT_ISDR = `00A4040010${ISD_R}00`;

describe('ATR', () => {
  it('offers T=0 and T=1 and has a correct TCK', () => {
    const atr = newCard().atr();
    expect(atr[0]).toBe(0x3b);
    // TCK: XOR of all bytes from T0 to TCK is zero (ISO/IEC 7816-3 §8.2.5).
    expect(atr.subarray(1).reduce((a, b) => a ^ b, 0)).toBe(0);
    // Walk the interface bytes (ISO/IEC 7816-3 §8.2.2) and collect the protocols.
    const protocols: number[] = [];
    let y = atr[1]! >> 4;
    let i = 2;
    for (;;) {
      i += [0x1, 0x2, 0x4].filter((bit) => y & bit).length; // TAi, TBi, TCi
      if (!(y & 0x8)) break;
      const td = atr[i++]!;
      protocols.push(td & 0x0f);
      y = td >> 4;
    }
    expect(protocols).toEqual([0, 1, 15]);
    // Then K historical bytes (T0 low nibble) and TCK.
    expect(atr.length).toBe(i + (atr[1]! & 0x0f) + 1);
  });
});

describe('MANAGE CHANNEL and CLA decoding', () => {
  it('opens channels 1..19 then refuses with 6A81, and closes them', () => {
    const card = newCard();
    const opened: number[] = [];
    for (let i = 0; i < 19; i++) {
      const res = card.transmit(fromHex('0070000001'));
      expect(sw(res)).toBe(0x9000);
      opened.push(res[0]!);
    }
    expect(opened).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(toHex(card.transmit(fromHex('0070000001')))).toBe('6A81');
    // Close channel 7 from the basic channel; it is then reused first.
    expect(toHex(card.transmit(fromHex('0070800700')))).toBe('9000');
    expect(toHex(card.transmit(fromHex('0070000001')))).toBe('079000');
  });

  it('uses the right CLA for channels 4-19 (0x40 | ch-4, 0xC0 | ch-4 for STORE DATA)', () => {
    const card = newCard();
    for (let i = 0; i < 19; i++) card.transmit(fromHex('0070000001'));
    for (const ch of [1, 3, 4, 5, 19]) {
      const ii = ch < 4 ? ch : 0x40 | (ch - 4);
      const gp = ch < 4 ? 0x80 | ch : 0xc0 | (ch - 4);
      const sel = card.transmit(
        concat(Uint8Array.of(ii, 0xa4, 4, 0, 16), fromHex(ISD_R), Uint8Array.of(0)),
      );
      expect(sw(sel)).toBe(0x9000);
      // GetEID on that channel (docs/protocol.md §3.3: 81E29100 06 BF3E035C015A 00 on ch1, C1.. on ch5).
      const res = card.transmit(
        concat(Uint8Array.of(gp, 0xe2, 0x91, 0, 6), fromHex('BF3E035C015A00')),
      );
      expect(sw(res)).toBe(0x9000);
      expect(toHex(res).startsWith('BF3E125A10')).toBe(true);
    }
  });

  it('answers 6881 on a channel that is not open', () => {
    const card = newCard();
    expect(toHex(card.transmit(fromHex('81E2910006BF3E035C015A00')))).toBe('6881');
    expect(toHex(card.transmit(fromHex(`45A4040010${ISD_R}00`)))).toBe('6881');
    // Closing a channel that is not open.
    expect(toHex(card.transmit(fromHex('0070800300')))).toBe('6881');
  });

  it('rejects bad classes and instructions', () => {
    const card = newCard();
    expect(toHex(card.transmit(fromHex('A0A4000002 3F00'.replace(' ', ''))))).toBe('6E00');
    expect(toHex(card.transmit(fromHex('20A4040000')))).toBe('6E00');
    expect(toHex(card.transmit(fromHex('0012000000')))).toBe('6D00');
    // STORE DATA with an interindustry class, SELECT with a proprietary class.
    expect(toHex(card.transmit(fromHex('00E2910003BF2000')))).toBe('6E00');
    expect(toHex(card.transmit(fromHex(`80A4040010${ISD_R}`)))).toBe('6E00');
    // Secure messaging bits set.
    expect(toHex(card.transmit(fromHex('0CA4040000')))).toBe('6882');
    expect(toHex(card.transmit(fromHex('60A4040000')))).toBe('6882');
    // Command chaining bit.
    expect(toHex(card.transmit(fromHex('10A4040000')))).toBe('6884');
    expect(toHex(card.transmit(fromHex('50A4040000')))).toBe('6884');
    expect(toHex(card.transmit(fromHex('FFA4040000')))).toBe('6E00');
  });

  it('rejects bad P1/P2 and lengths', () => {
    const card = newCard();
    expect(toHex(card.transmit(fromHex('0070400000')))).toBe('6A86');
    expect(toHex(card.transmit(fromHex('0070800000')))).toBe('6A86'); // basic channel
    expect(toHex(card.transmit(fromHex('007000000101')))).toBe('6700'); // data in MANAGE CHANNEL
    expect(toHex(card.transmit(fromHex('007000')))).toBe('6700'); // 3 bytes
    expect(toHex(card.transmit(fromHex('00A40400051122')))).toBe('6700'); // Lc mismatch
    expect(toHex(card.transmit(fromHex('0070000002')))).toBe('6C01'); // wrong Le
  });
});

describe('SELECT', () => {
  it('selects the ISD-R with an FCI 6F{84 AID, A5{...}}', () => {
    const card = newCard();
    const res = card.transmit(fromHex(SELECT_ISDR));
    expect(sw(res)).toBe(0x9000);
    const fci = toHex(res.subarray(0, -2));
    expect(fci).toBe(`6F188410${ISD_R}A5049F6501FF`);
  });

  it('selects by a right-truncated AID and with P2=0C (no FCI)', () => {
    const card = newCard();
    expect(toHex(card.transmit(fromHex('00A4040C07A0000005591010')))).toBe('9000');
  });

  it('answers 6A82 for unknown AIDs and 6A86 for other P1/P2', () => {
    const card = newCard();
    expect(toHex(card.transmit(fromHex('00A4040010A0000005591010FFFFFFFF8900000200')))).toBe(
      '6A82',
    );
    expect(toHex(card.transmit(fromHex('00A40000023F00')))).toBe('6A86');
    expect(toHex(card.transmit(fromHex('00A4040402A000')))).toBe('6A86');
  });

  it('without Le, the FCI comes via 61xx and GET RESPONSE; wrong Le gives 6Cxx', () => {
    const card = newCard();
    const res = card.transmit(fromHex(`00A4040010${ISD_R}`));
    expect(toHex(res)).toBe('611A');
    expect(toHex(card.transmit(fromHex('00C0000030')))).toBe('6C1A');
    const got = card.transmit(fromHex('00C000001A'));
    expect(sw(got)).toBe(0x9000);
    expect(got.length).toBe(0x1a + 2);
    // Nothing left.
    expect(toHex(card.transmit(fromHex('00C0000000')))).toBe('6985');
  });
});

describe('STORE DATA', () => {
  it('needs the ISD-R selected on the channel (6985)', () => {
    const card = newCard();
    expect(toHex(card.transmit(fromHex('80E2910003BF200000')))).toBe('6985');
  });

  it('assembles blocks 11/91 with P2 counting from 00, restarting for every call', () => {
    const card = newCard();
    const d = new Driver(card, 3);
    card.transmit(fromHex(SELECT_ISDR));
    const a = d.es10('BF3E035C015A');
    const b = d.es10('BF3E035C015A');
    expect(toHex(a)).toBe(toHex(b));
    expect(toHex(a).startsWith('BF3E125A10')).toBe(true);
  });

  it('answers 6A86 for a wrong P1 or an out-of-sequence P2, and drops the buffer', () => {
    const card = newCard();
    card.transmit(fromHex(SELECT_ISDR));
    expect(toHex(card.transmit(fromHex('80E2110003BF3E03')))).toBe('9000');
    expect(toHex(card.transmit(fromHex('80E2910203 5C015A00'.replace(' ', ''))))).toBe('6A86');
    // The buffer was dropped: P2 01 is now out of sequence too.
    expect(toHex(card.transmit(fromHex('80E29101035C015A00')))).toBe('6A86');
    expect(toHex(card.transmit(fromHex('80E2810003BF200000')))).toBe('6A86');
    expect(toHex(card.transmit(fromHex('80E2010003BF200000')))).toBe('6A86');
    // A fresh call works.
    expect(sw(card.transmit(fromHex('80E2910003BF200000')))).toBe(0x9000);
  });

  it('answers 6700 for an empty block', () => {
    const card = newCard();
    card.transmit(fromHex(SELECT_ISDR));
    expect(toHex(card.transmit(fromHex('80E2910000')))).toBe('6700');
  });

  it('answers 6A88 for an unknown ES10 tag and 6A80 for malformed DER', () => {
    const card = newCard();
    card.transmit(fromHex(SELECT_ISDR));
    expect(toHex(card.transmit(fromHex('80E2910003BF7F0000')))).toBe('6A88');
    expect(toHex(card.transmit(fromHex('80E2910003BF200500')))).toBe('6A80');
    expect(toHex(card.transmit(fromHex('80E2910004BF20000000')))).toBe('6A80');
    // A known function whose content is malformed.
    expect(toHex(card.transmit(fromHex('80E2910005BF30028000 00'.replace(' ', ''))))).toBe('6A80');
  });

  it('delivers responses over 256 bytes through GET RESPONSE chains', () => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    const info2 = d.es10('BF2200');
    expect(info2.length).toBeGreaterThan(0);
    // Raw: the response to GetEUICCInfo2 with Le=00 fits; a long GetProfilesInfo is tested in es10.
    const res = card.transmit(
      concat(Uint8Array.of(0x80 | d.channel, 0xe2, 0x91, 0, 3), fromHex('BF220000')),
    );
    expect(toHex(res.subarray(-2))).toBe('9000');
  });

  it('in T=0 style every response goes through 61xx', () => {
    const card = newCard('P-256', { t0: true });
    card.transmit(fromHex(SELECT_ISDR)); // answered 61xx; ignore the FCI
    const res = card.transmit(fromHex('80E2910006BF3E035C015A00'));
    expect(toHex(res)).toBe('6115');
    // GET RESPONSE with the proprietary class of the command is accepted too.
    const got = card.transmit(fromHex('80C0000015'));
    expect(toHex(got).startsWith('BF3E125A10')).toBe(true);
    expect(sw(got)).toBe(0x9000);
  });

  it('GET RESPONSE in pieces ends with 61xx then 9000', () => {
    const card = newCard('P-256', { t0: true });
    card.transmit(fromHex(SELECT_ISDR));
    expect(toHex(card.transmit(fromHex('80E2910006BF3E035C015A00')))).toBe('6115');
    expect(toHex(card.transmit(fromHex('00C000100A')))).toBe('6A86');
    const first = card.transmit(fromHex('00C000000A'));
    expect(toHex(first.subarray(-2))).toBe('610B');
    const second = card.transmit(fromHex('00C000000B'));
    expect(toHex(second.subarray(-2))).toBe('9000');
  });
});

describe('TERMINAL CAPABILITY', () => {
  it('accepts the lpac template and rejects bad data', () => {
    const card = newCard();
    expect(toHex(card.transmit(fromHex('80AA00000AA9088100820101830107')))).toBe('9000');
    expect(toHex(card.terminalCapability!)).toBe('A9088100820101830107');
    expect(toHex(card.transmit(fromHex('80AA00000A0A088100820101830107')))).toBe('6A80');
    expect(toHex(card.transmit(fromHex('80AA01000AA9088100820101830107')))).toBe('6A86');
    expect(toHex(card.transmit(fromHex('80AA000000')))).toBe('6700');
  });
});
