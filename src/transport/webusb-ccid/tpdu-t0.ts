/**
 * T=0 TPDU engine for TPDU-level CCID readers (ISO/IEC 7816-3 §12.2: mapping of short APDUs onto
 * T=0 commands). The reader runs the procedure bytes; this layer builds the 5-byte headers:
 *   case 1: CLA INS P1 P2 00
 *   case 2: header with P3 = Le; 6Cxx -> resend with P3 = xx; 61xx -> GET RESPONSE
 *   case 3: header with P3 = Lc, then the data
 *   case 4: sent as case 3; 61xx -> GET RESPONSE with Le = xx (§12.2.5)
 * Extended length APDUs are not carried by T=0 (they need ENVELOPE) and are refused.
 */
import { concat } from '../../codec/index.ts';
import { CcidError } from './errors.ts';

/** Sends one TPDU through the reader and returns the card's bytes (data + SW1 SW2). */
export type TpduExchange = (tpdu: Uint8Array) => Promise<Uint8Array>;

/** Upper bound of GET RESPONSE / resend rounds for one APDU (65536 bytes of 256-byte chunks). */
const MAX_ROUNDS = 260;

export interface ShortApdu {
  case: 1 | 2 | 3 | 4;
  header: Uint8Array;
  data: Uint8Array;
  /** Expected length byte as it goes in P3 (0 stands for 256). */
  le: number | undefined;
}

/** Splits a short command APDU into header, data and Le (ISO/IEC 7816-3 §12.1.2). */
export function parseShortApdu(apdu: Uint8Array): ShortApdu {
  if (apdu.length < 4) throw new CcidError(`APDU of ${apdu.length} bytes is too short`, 'tooLong');
  const header = apdu.slice(0, 4);
  if (apdu.length === 4) return { case: 1, header, data: new Uint8Array(0), le: undefined };
  const b5 = apdu[4]!;
  if (apdu.length === 5) return { case: 2, header, data: new Uint8Array(0), le: b5 };
  if (b5 === 0) {
    throw new CcidError(
      'extended-length APDUs cannot be sent over T=0 at TPDU level',
      'unsupported',
    );
  }
  if (apdu.length === 5 + b5) return { case: 3, header, data: apdu.slice(5), le: undefined };
  if (apdu.length === 6 + b5) {
    return { case: 4, header, data: apdu.slice(5, 5 + b5), le: apdu[5 + b5]! };
  }
  throw new CcidError(`APDU length ${apdu.length} does not match Lc ${b5}`, 'tooLong');
}

/**
 * Class byte for GET RESPONSE on the same logical channel: interindustry class, channel bits
 * kept (ISO/IEC 7816-4 §5.4.1; 0x0X for channels 0-3, 0x4X for 4-19), secure messaging off.
 */
export function getResponseCla(cla: number): number {
  return (cla & 0x40) !== 0 ? 0x40 | (cla & 0x0f) : cla & 0x03;
}

function sw(response: Uint8Array): { sw1: number; sw2: number; data: Uint8Array } {
  if (response.length < 2) {
    throw new CcidError(`card answered ${response.length} bytes, no status word`, 'badMessage');
  }
  return {
    sw1: response[response.length - 2]!,
    sw2: response[response.length - 1]!,
    data: response.subarray(0, response.length - 2),
  };
}

/** Runs one short APDU as T=0 TPDUs and returns response data + final SW1 SW2. */
export async function transmitT0(
  apdu: Uint8Array,
  exchange: TpduExchange,
  options: { maxResponse?: number } = {},
): Promise<Uint8Array> {
  // GET RESPONSE asks for no more than the reader carries back in one message (a card with more
  // answers 61xx again, ISO/IEC 7816-4 §5.3.4).
  const cap = (n: number): number => {
    const want = n === 0 ? 256 : n;
    const max = options.maxResponse ?? 256;
    return want > max ? max : n;
  };
  const cmd = parseShortApdu(apdu);
  let tpdu: Uint8Array;
  switch (cmd.case) {
    case 1:
      tpdu = concat(cmd.header, Uint8Array.of(0));
      break;
    case 2:
      tpdu = concat(cmd.header, Uint8Array.of(cmd.le!));
      break;
    default:
      tpdu = concat(cmd.header, Uint8Array.of(cmd.data.length), cmd.data);
  }
  let response = await exchange(tpdu);
  let { sw1, sw2 } = sw(response);
  // Wrong length for a case-2 command: the card tells the right P3 (§12.2.3, 6Cxx).
  if (cmd.case === 2 && sw1 === 0x6c) {
    response = await exchange(concat(cmd.header, Uint8Array.of(sw2)));
    ({ sw1, sw2 } = sw(response));
  }
  if (sw1 !== 0x61) return response;

  // 61xx: xx bytes are waiting; fetch them with GET RESPONSE until the card is done.
  const parts: Uint8Array[] = [sw(response).data];
  const cla = getResponseCla(cmd.header[0]!);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let r = await exchange(Uint8Array.of(cla, 0xc0, 0x00, 0x00, cap(sw2)));
    let s = sw(r);
    if (s.sw1 === 0x6c) {
      r = await exchange(Uint8Array.of(cla, 0xc0, 0x00, 0x00, s.sw2));
      s = sw(r);
    }
    parts.push(s.data);
    if (s.sw1 !== 0x61) return concat(...parts, Uint8Array.of(s.sw1, s.sw2));
    sw2 = s.sw2;
  }
  throw new CcidError('card keeps answering 61xx: GET RESPONSE chain too long', 'badMessage');
}
