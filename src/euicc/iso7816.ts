/**
 * Card-side ISO/IEC 7816-4 framing for the software eUICC: command APDU parsing (short
 * APDUs, cases 1-4), CLA decoding with logical channels (ETSI TS 102 221 §10.1.1), status
 * words and the Answer To Reset.
 */
import { StatusWordError } from './errors.ts';

/** Status words the card answers (ISO/IEC 7816-4 §5.6, GlobalPlatform 11.1.3). */
export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  LOGICAL_CHANNEL_NOT_SUPPORTED: 0x6881,
  SECURE_MESSAGING_NOT_SUPPORTED: 0x6882,
  CHAINING_NOT_SUPPORTED: 0x6884,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  WRONG_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  NOT_ENOUGH_MEMORY: 0x6a84,
  WRONG_P1P2: 0x6a86,
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
} as const;

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (empty for cases 1 and 2). */
  data: Uint8Array;
  /** Ne: expected response length (1..256), or undefined when no Le byte was sent. */
  ne: number | undefined;
}

/** Parses a short command APDU; a malformed length structure is 6700. */
export function parseCommand(apdu: Uint8Array): CommandApdu {
  if (apdu.length < 4) throw new StatusWordError(SW.WRONG_LENGTH, 'APDU shorter than 4 bytes');
  const [cla, ins, p1, p2] = [apdu[0]!, apdu[1]!, apdu[2]!, apdu[3]!];
  if (apdu.length === 4) return { cla, ins, p1, p2, data: new Uint8Array(0), ne: undefined };
  const p3 = apdu[4]!;
  if (apdu.length === 5)
    return { cla, ins, p1, p2, data: new Uint8Array(0), ne: p3 === 0 ? 256 : p3 };
  // Lc = 00 followed by more bytes would be an extended APDU: not supported by this card.
  if (p3 === 0) throw new StatusWordError(SW.WRONG_LENGTH, 'extended length not supported');
  const data = apdu.slice(5, 5 + p3);
  if (apdu.length === 5 + p3) return { cla, ins, p1, p2, data, ne: undefined };
  if (apdu.length === 6 + p3) {
    const le = apdu[5 + p3]!;
    return { cla, ins, p1, p2, data, ne: le === 0 ? 256 : le };
  }
  throw new StatusWordError(SW.WRONG_LENGTH, 'Lc does not match the APDU length');
}

export interface DecodedCla {
  /** 'interindustry' (b8 = 0) or 'proprietary' (b8 = 1, GlobalPlatform commands). */
  kind: 'interindustry' | 'proprietary';
  channel: number;
}

/**
 * Splits a CLA into class kind and logical channel (ETSI TS 102 221 §10.1.1):
 * `0x0X`/`0x8X`: channels 0-3 in b2-b1, secure messaging in b4-b3, chaining in b5;
 * `0x4X`/`0xCX`: channels 4-19 as 4 + b4-b1, secure messaging in b6, chaining in b5.
 * `0x2X`/`0x3X`/`0xAX`/`0xBX` are not valid classes for this card (6E00); secure messaging
 * (6882) and command chaining (6884) are not supported.
 */
export function decodeCla(cla: number): DecodedCla {
  // FF is reserved for PPS (ISO/IEC 7816-3), never a class.
  if (cla === 0xff) throw new StatusWordError(SW.CLA_NOT_SUPPORTED);
  const kind = cla & 0x80 ? 'proprietary' : 'interindustry';
  const b76 = cla & 0x60;
  if (b76 === 0x00) {
    if (cla & 0x0c) throw new StatusWordError(SW.SECURE_MESSAGING_NOT_SUPPORTED);
    if (cla & 0x10) throw new StatusWordError(SW.CHAINING_NOT_SUPPORTED);
    return { kind, channel: cla & 0x03 };
  }
  if (b76 & 0x40) {
    // 0x40-0x7F / 0xC0-0xFF: b6 set means secure messaging (0x6X, 0xEX).
    if (cla & 0x20) throw new StatusWordError(SW.SECURE_MESSAGING_NOT_SUPPORTED);
    if (cla & 0x10) throw new StatusWordError(SW.CHAINING_NOT_SUPPORTED);
    return { kind, channel: 4 + (cla & 0x0f) };
  }
  throw new StatusWordError(SW.CLA_NOT_SUPPORTED);
}

/** Response bytes: data followed by SW1 SW2. */
export function response(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/**
 * The Answer To Reset (ISO/IEC 7816-3 §8): direct convention (3B); TA1 = 96 (Fi 512, Di 32);
 * TD1 = 80: T=0 offered; TD2 = B1: T=1 offered with TA3 = FE (IFSC 254) and TB3 = 45 (BWI 4,
 * CWI 5); TD3 = 1F: global bytes for T=15 with TA4 = C7 (clock stop either level, classes A,
 * B and C). Historical bytes (ISO/IEC 7816-4 §8.1.1, compact-TLV): category 80, card service
 * data 31 E0, card capabilities 73 FE 21 1B (logical channels assigned by the card and by the
 * terminal), status 82 90 00. TCK closes the ATR because protocols other than T=0 appear.
 */
export function answerToReset(): Uint8Array {
  const historical = [0x80, 0x31, 0xe0, 0x73, 0xfe, 0x21, 0x1b, 0x82, 0x90, 0x00];
  const body = [0x90 | historical.length, 0x96, 0x80, 0xb1, 0xfe, 0x45, 0x1f, 0xc7, ...historical];
  let tck = 0;
  for (const b of body) tck ^= b;
  return Uint8Array.from([0x3b, ...body, tck]);
}
