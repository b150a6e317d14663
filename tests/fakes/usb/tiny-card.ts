/**
 * A tiny stand-in eUICC for transport tests: MANAGE CHANNEL open/close, SELECT of the ISD-R and
 * ES10c GetEID over STORE DATA (docs/protocol.md §3.3). Enough to prove a link carries APDUs both ways;
 * the full card is the software eUICC (src/euicc).
 */
import { concat, fromHex } from '../../../src/codec/index.ts';

export const ISD_R_AID = fromHex('A0000005591010FFFFFFFF8900000100');
export const TEST_EID = '89049032123451234512345678901235';

export interface TinyCard {
  (apdu: Uint8Array): Uint8Array;
  /** Every APDU received, hex. */
  log: string[];
  /** Channels open now. */
  channels: Set<number>;
}

/** Logical channel number of a CLA byte (ISO/IEC 7816-4 §5.4.1). */
function channelOf(cla: number): number {
  return (cla & 0x40) !== 0 ? 4 + (cla & 0x0f) : cla & 0x03;
}

export function tinyCard(options: { longResponse?: number } = {}): TinyCard {
  const channels = new Set<number>();
  const selected = new Set<number>();
  const log: string[] = [];
  const sw = (v: number) => Uint8Array.of(v >> 8, v & 0xff);
  const card = ((apdu: Uint8Array): Uint8Array => {
    log.push(Array.from(apdu, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(''));
    const [cla = 0, ins = 0, p1 = 0, p2 = 0] = apdu;
    const ch = channelOf(cla);
    if (ch !== 0 && !channels.has(ch)) return sw(0x6881);
    if (ins === 0x70) {
      if (p1 === 0x00) {
        for (let n = 1; n < 20; n++) {
          if (!channels.has(n)) {
            channels.add(n);
            return Uint8Array.of(n, 0x90, 0x00);
          }
        }
        return sw(0x6a81);
      }
      if (p1 === 0x80) {
        if (!channels.delete(p2)) return sw(0x6881);
        selected.delete(p2);
        return sw(0x9000);
      }
      return sw(0x6a86);
    }
    if (ins === 0xa4 && p1 === 0x04) {
      const lc = apdu[4] ?? 0;
      const aid = apdu.subarray(5, 5 + lc);
      if (aid.length !== ISD_R_AID.length || aid.some((b, i) => b !== ISD_R_AID[i])) {
        return sw(0x6a82);
      }
      selected.add(ch);
      // FCI: 6F { 84 AID, A5 { } } (docs/protocol.md §2)
      return concat(
        Uint8Array.of(0x6f, 0x14, 0x84, 0x10),
        ISD_R_AID,
        Uint8Array.of(0xa5, 0x00),
        sw(0x9000),
      );
    }
    if (ins === 0xe2 && (cla & 0x80) !== 0) {
      if (!selected.has(ch)) return sw(0x6985);
      const body = apdu.subarray(5, 5 + (apdu[4] ?? 0));
      if (body[0] === 0xbf && body[1] === 0x3e) {
        // GetEuiccDataResponse: BF3E 12 5A 10 <EID>
        return concat(Uint8Array.of(0xbf, 0x3e, 0x12, 0x5a, 0x10), fromHex(TEST_EID), sw(0x9000));
      }
      if (options.longResponse !== undefined) {
        const data = new Uint8Array(options.longResponse).map((_, i) => i & 0xff);
        return concat(data, sw(0x9000));
      }
      return sw(0x6a88);
    }
    return sw(0x6d00);
  }) as TinyCard;
  card.log = log;
  card.channels = channels;
  return card;
}
