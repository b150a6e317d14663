import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CodecError,
  decodeEid,
  decodeIccid,
  eidProblem,
  eidValid,
  eidWithCheckDigits,
  encodeEid,
  encodeIccid,
  fromHex,
  luhnCheckDigit,
  luhnValid,
  normaliseEid,
  normaliseIccid,
  toHex,
} from '../../../src/codec/index.ts';

// docs/protocol.md §1: ICCID 89000123456789012341 <-> 98 00 10 32 54 76 98 10 32 14.
const ICCID = '89000123456789012341';
const ICCID_BCD = '98001032547698103214';
// SGP.26 test EID (docs/protocol.md §1): mod 97 = 1.
const EID = '89049032123451234512345678901235';

/** Independent big-integer check of the EID rule (SGP.29: the number mod 97 is 1). */
const mod97 = (digits: string): number => Number(BigInt(digits) % 97n);

function codecError(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodecError) return e;
    throw new Error(`expected a CodecError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a CodecError, nothing was thrown');
}

describe('ICCID (nibble-swapped BCD, F padding, Luhn)', () => {
  it('encodes and decodes the docs/protocol.md §1 vector', () => {
    expect(toHex(encodeIccid(ICCID))).toBe(ICCID_BCD);
    expect(decodeIccid(fromHex(ICCID_BCD))).toBe(ICCID);
  });

  it('pads a 19-digit ICCID with F in the high nibble of the last byte', () => {
    // 890001234567890123 + Luhn digit 0 (computed independently in Python and checked here).
    const iccid19 = '8900012345678901230';
    expect(luhnValid(iccid19)).toBe(true);
    expect(toHex(encodeIccid(iccid19))).toBe('980010325476981032F0');
    expect(decodeIccid(fromHex('980010325476981032F0'))).toBe(iccid19);
  });

  it('checks the Luhn digit (ISO/IEC 7812-1 Annex B)', () => {
    expect(luhnValid(ICCID)).toBe(true);
    expect(luhnValid('89000123456789012342')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true); // the textbook Luhn example
    expect(luhnValid('12a')).toBe(false);
    expect(luhnCheckDigit('8900012345678901234')).toBe('1');
    expect(codecError(() => encodeIccid('89000123456789012342')).format).toBe('iccid');
    expect(toHex(encodeIccid('89000123456789012342', { checkLuhn: false }))).toBe(
      '98001032547698103224',
    );
  });

  it.each([
    ['too short', '89000123456789012'],
    ['too long', '890001234567890123410'],
    ['letters', '8900012345678901234A'],
  ])('rejects a typed ICCID that is %s', (_name, text) => {
    expect(codecError(() => normaliseIccid(text)).format).toBe('iccid');
  });

  it('accepts spaces in typed ICCIDs', () => {
    expect(normaliseIccid('8900 0123 4567 8901 2341')).toBe(ICCID);
  });

  it.each([
    ['9 bytes', '980010325476981032'],
    ['a non-BCD nibble', '9800103254769810321A'],
    ['a digit after padding', '98001032547698F03214'],
    ['fewer than 18 digits', '98001032547698FFFFFF'],
  ])('rejects BCD with %s', (_name, hex) => {
    expect(codecError(() => decodeIccid(fromHex(hex))).format).toBe('iccid');
  });

  it('round-trips any 18-20 digit ICCID with a valid check digit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 17, max: 19 }).chain((n) => fc.stringMatching(new RegExp(`^\\d{${n}}$`))),
        (payload) => {
          const iccid = payload + luhnCheckDigit(payload);
          const bcd = encodeIccid(iccid);
          expect(bcd.length).toBe(10);
          expect(decodeIccid(bcd)).toBe(iccid);
        },
      ),
      { seed: 118, numRuns: 300 },
    );
  });
});

describe('EID (plain BCD, mod 97 = 1)', () => {
  it('the SGP.26 test EID is valid and encodes as plain BCD', () => {
    expect(mod97(EID)).toBe(1);
    expect(eidValid(EID)).toBe(true);
    expect(toHex(encodeEid(EID))).toBe(EID);
    expect(decodeEid(fromHex(EID))).toBe(EID);
    expect(eidWithCheckDigits(EID.slice(0, 30))).toBe(EID);
  });

  it('rejects wrong check digits, wrong lengths and non-digits', () => {
    expect(eidValid('89049032123451234512345678901236')).toBe(false);
    expect(codecError(() => normaliseEid('89049032123451234512345678901236')).format).toBe('eid');
    expect(codecError(() => normaliseEid('8904903212345123451234567890123')).format).toBe('eid');
    expect(codecError(() => decodeEid(fromHex('8904903212345123451234567890123A'))).format).toBe(
      'eid',
    );
    expect(codecError(() => decodeEid(new Uint8Array(15))).format).toBe('eid');
    expect(codecError(() => eidWithCheckDigits('123')).format).toBe('eid');
  });

  it('accepts spaces in typed EIDs', () => {
    expect(normaliseEid('8904 9032 1234 5123 4512 3456 7890 1235')).toBe(EID);
  });

  it('says what is wrong with a typed EID: not 32 digits, or the check digits', () => {
    expect(eidProblem('8904 9032 1234 5123 4512 3456 7890 1235')).toBeUndefined();
    expect(eidProblem('89049032123451234512345678901236')).toBe('checkDigits');
    expect(eidProblem('8904903212345123451234567890123')).toBe('notDigits');
    expect(eidProblem('8904903212345123451234567890123A')).toBe('notDigits');
  });

  it('computed check digits always give mod 97 = 1 and round-trip (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{30}$/), (first30) => {
        const eid = eidWithCheckDigits(first30);
        expect(mod97(eid)).toBe(1);
        expect(decodeEid(encodeEid(eid))).toBe(eid);
      }),
      { seed: 97, numRuns: 300 },
    );
  });
});
