/**
 * ES10 requests as GlobalPlatform STORE DATA blocks (GPC Card Specification §11.11; SGP.22
 * §5.7 via docs/protocol.md §2.2).
 */
import type { CommandApdu } from './command.ts';

/** INS of STORE DATA. */
export const INS_STORE_DATA = 0xe2;
/**
 * P1 of STORE DATA: b8 = last block, b5-b4 = 01 (BER-TLV structured data), b1 = response
 * data expected (GPC Table 11-89). Hence 0x11 for more blocks, 0x91 for the last one.
 */
export const P1_MORE_BLOCKS = 0x11;
export const P1_LAST_BLOCK = 0x91;
/** Short APDUs carry at most 255 data bytes. */
export const MAX_STORE_DATA_BLOCK = 255;

/**
 * Cuts one ES10 request into STORE DATA commands on the basic class (CLA 0x80; the channel
 * applies its bits). P2 numbers the blocks from 00 in every call; only the last block asks for
 * a response (Le 00 = up to 256 bytes, the rest comes via 61xx).
 */
export function storeDataCommands(request: Uint8Array, blockSize: number): CommandApdu[] {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > MAX_STORE_DATA_BLOCK)
    throw new RangeError(
      `STORE DATA block size ${blockSize} is outside 1..${MAX_STORE_DATA_BLOCK}`,
    );
  if (request.length === 0) throw new RangeError('an ES10 request is never empty');
  const count = Math.ceil(request.length / blockSize);
  // P2 is one byte: more than 256 blocks cannot be numbered.
  if (count > 256)
    throw new RangeError(`${request.length} bytes need ${count} STORE DATA blocks (at most 256)`);
  const out: CommandApdu[] = [];
  for (let i = 0; i < count; i++) {
    const last = i === count - 1;
    const data = request.subarray(i * blockSize, Math.min(request.length, (i + 1) * blockSize));
    out.push(
      last
        ? { cla: 0x80, ins: INS_STORE_DATA, p1: P1_LAST_BLOCK, p2: i, data, le: 256 }
        : { cla: 0x80, ins: INS_STORE_DATA, p1: P1_MORE_BLOCKS, p2: i, data },
    );
  }
  return out;
}
