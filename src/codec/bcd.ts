/**
 * BCD encodings of the two eUICC identifiers.
 *
 * ICCID (ITU-T E.118, SGP.22 tag 5A): 10 bytes, nibble-swapped ("89 00 01" -> 98 00 10),
 * F-padded, 18 to 20 digits, the last one a Luhn check digit.
 * EID (SGP.29): 16 bytes plain BCD = 32 digits; valid iff the number mod 97 == 1.
 */
import { CodecError } from './errors.ts';

/** Luhn (ISO/IEC 7812) over all digits including the check digit. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The Luhn check digit to append to `payload`. */
export function luhnCheckDigit(payload: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(payload + String(d))) return String(d);
  throw new CodecError('iccid', 'not a digit string');
}

export interface IccidOptions {
  /** Reject ICCIDs whose last digit is not a valid Luhn check digit (default true). */
  checkLuhn?: boolean;
}

/** Validates a typed ICCID (whitespace removed) and returns its digits. */
export function normaliseIccid(text: string, options: IccidOptions = {}): string {
  const digits = text.replace(/\s+/g, '');
  if (!/^\d+$/.test(digits)) throw new CodecError('iccid', 'an ICCID has digits only');
  if (digits.length < 18 || digits.length > 20)
    throw new CodecError('iccid', `an ICCID has 18 to 20 digits, not ${digits.length}`);
  if ((options.checkLuhn ?? true) && !luhnValid(digits))
    throw new CodecError('iccid', 'the Luhn check digit is wrong');
  return digits;
}

/** ICCID digits -> 10 bytes nibble-swapped BCD, F-padded. */
export function encodeIccid(text: string, options: IccidOptions = {}): Uint8Array {
  const digits = normaliseIccid(text, options).padEnd(20, 'F');
  const out = new Uint8Array(10);
  for (let i = 0; i < 10; i++) {
    const lo = parseInt(digits[2 * i]!, 16);
    const hi = parseInt(digits[2 * i + 1]!, 16);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Digits of BCD nibbles; F padding allowed only at the end. Undefined when not BCD. */
function bcdDigits(bytes: Uint8Array, swapped: boolean): string | undefined {
  let digits = '';
  let padded = false;
  for (const b of bytes) {
    for (const nibble of swapped ? [b & 0x0f, b >> 4] : [b >> 4, b & 0x0f]) {
      if (nibble === 0x0f) padded = true;
      else if (nibble > 9 || padded) return undefined;
      else digits += String(nibble);
    }
  }
  return digits;
}

/**
 * 10 bytes nibble-swapped BCD -> ICCID digits. Padding F is allowed only at the end.
 * Bytes that are not swapped BCD but read as an ICCID in plain digit order (starting with the
 * telecom prefix 89, ITU-T E.118) give those digits: GSMA TS.48 test profile packages carry
 * their ICCID that way, and an SM-DP+ passes the package header's bytes on unchanged.
 */
export function decodeIccid(bytes: Uint8Array): string {
  if (bytes.length !== 10)
    throw new CodecError('iccid', `an ICCID is 10 bytes, not ${bytes.length}`);
  let digits = bcdDigits(bytes, true);
  if (digits === undefined) {
    const plain = bcdDigits(bytes, false);
    if (plain === undefined || !plain.startsWith('89') || plain.length < 18)
      throw new CodecError('iccid', 'not BCD digits followed by F padding');
    digits = plain;
  }
  if (digits.length < 18) throw new CodecError('iccid', `only ${digits.length} digits`);
  return digits;
}

/** The EID number modulo 97 (SGP.29: a valid EID gives 1). */
function mod97(digits: string): number {
  let r = 0;
  for (const ch of digits) r = (r * 10 + (ch.charCodeAt(0) - 48)) % 97;
  return r;
}

export function eidValid(text: string): boolean {
  return /^\d{32}$/.test(text) && mod97(text) === 1;
}

/** Computes the two check digits (positions 31-32) of an EID from its first 30 digits. */
export function eidWithCheckDigits(first30: string): string {
  if (!/^\d{30}$/.test(first30)) throw new CodecError('eid', 'need exactly 30 digits');
  const check = 98 - mod97(first30 + '00');
  return first30 + String(check).padStart(2, '0');
}

/**
 * What is wrong with a typed EID (whitespace removed): not 32 digits, or wrong check digits
 * (SGP.29 mod 97); undefined when it is an EID.
 */
export function eidProblem(text: string): 'notDigits' | 'checkDigits' | undefined {
  const digits = text.replace(/\s+/g, '');
  if (!/^\d{32}$/.test(digits)) return 'notDigits';
  return mod97(digits) === 1 ? undefined : 'checkDigits';
}

/** Validates a typed EID (whitespace removed). */
export function normaliseEid(text: string): string {
  const problem = eidProblem(text);
  if (problem === 'notDigits') throw new CodecError('eid', 'an EID has exactly 32 digits');
  if (problem === 'checkDigits')
    throw new CodecError('eid', 'the check digits are wrong (mod 97 != 1)');
  return text.replace(/\s+/g, '');
}

export function encodeEid(text: string): Uint8Array {
  const digits = normaliseEid(text);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** 16 bytes plain BCD -> 32 digits. The checksum is not enforced here: use eidValid to test it. */
export function decodeEid(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new CodecError('eid', `an EID is 16 bytes, not ${bytes.length}`);
  let digits = '';
  for (const b of bytes) {
    if (b >> 4 > 9 || (b & 15) > 9) throw new CodecError('eid', 'not BCD digits');
    digits += String(b >> 4) + String(b & 15);
  }
  return digits;
}
