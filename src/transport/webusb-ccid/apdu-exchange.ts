/**
 * Carrying one APDU at the reader's exchange level (CCID §6.1.4):
 *   - short APDU level: the APDU in one XfrBlock;
 *   - extended APDU level: wLevelParameter-chained blocks no larger than the reader's message
 *     limit, the response chained back the same way;
 *   - TPDU level: T=0 headers (tpdu-t0.ts) or T=1 blocks (t1-link.ts).
 * Also the readers that answer GET RESPONSE (and build ENVELOPE) themselves with a fixed class
 * byte (bClassGetResponse / bClassEnvelope other than 0xFF): their fixed class names the basic
 * channel, so the eUICC's application must be reached there (basicChannelOnly).
 */
import { abortReason } from '../../base/async.ts';
import {
  CCID_HEADER_LENGTH,
  ChainParameter,
  LevelParameter,
  type CcidResponse,
} from './ccid-messages.ts';
import { CcidError } from './errors.ts';
import type { CcidPipe } from './pipe.ts';
import type { T1Link } from './t1-link.ts';
import { transmitT0 } from './tpdu-t0.ts';
import type { NativeLogicalChannel, NativeLogicalChannels } from '../transport.ts';

export type TpduLink = { protocol: 0 } | T1Link;

/** Runs one APDU on `slot` through `link` (TPDU level) or the reader's APDU level. */
export async function exchangeApdu(
  pipe: CcidPipe,
  slot: number,
  link: TpduLink | undefined,
  apdu: Uint8Array,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (pipe.exchangeLevel === 'tpdu') {
    if (link?.protocol === 1) {
      link.signal.current = signal;
      try {
        return await link.engine.transmit(apdu);
      } finally {
        link.signal.current = undefined;
      }
    }
    // GET RESPONSE must fit the reader's message limit (a firmware quirk may lower it).
    const maxResponse = Math.max(1, Math.min(256, pipe.maxMessageLength - CCID_HEADER_LENGTH - 2));
    return transmitT0(
      apdu,
      async (tpdu) => {
        if (signal?.aborted) throw abortReason(signal);
        return (await pipe.xfr(slot, tpdu, LevelParameter.whole)).data;
      },
      { maxResponse },
    );
  }
  if (pipe.exchangeLevel === 'shortApdu') {
    return (await pipe.xfr(slot, apdu, LevelParameter.whole)).data;
  }
  return exchangeExtended(pipe, slot, apdu, signal);
}

/** Extended APDU level: command and response chained per §6.1.4 / §6.2.1. */
async function exchangeExtended(
  pipe: CcidPipe,
  slot: number,
  apdu: Uint8Array,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const room = Math.max(1, pipe.maxMessageLength - CCID_HEADER_LENGTH);
  let response: CcidResponse;
  if (apdu.length <= room) {
    response = await pipe.xfr(slot, apdu, LevelParameter.whole);
  } else {
    let offset = 0;
    for (;;) {
      const part = apdu.subarray(offset, offset + room);
      const first = offset === 0;
      offset += part.length;
      const last = offset >= apdu.length;
      const level = first
        ? LevelParameter.begins
        : last
          ? LevelParameter.ends
          : LevelParameter.continues;
      response = await pipe.xfr(slot, part, level);
      if (last) break;
      if (response.specific !== ChainParameter.needMore) {
        throw new CcidError(
          `reader answered bChainParameter 0x${response.specific.toString(16)} in the middle of a chained command`,
          'badMessage',
        );
      }
      if (signal?.aborted) throw abortReason(signal);
    }
  }
  const parts = [response.data];
  let guard = 0;
  while (
    response.specific === ChainParameter.begins ||
    response.specific === ChainParameter.continues
  ) {
    if (++guard > 1024) throw new CcidError('response chain too long', 'badMessage');
    response = await pipe.xfr(slot, new Uint8Array(0), LevelParameter.getNext);
    parts.push(response.data);
  }
  return concatChunks(parts);
}

/**
 * Whether the reader itself sends GET RESPONSE / ENVELOPE with a fixed class byte (not 0xFF,
 * "echo the command's class", CCID §5.1): at APDU level such a reader answers 61xx on a
 * logical channel with a GET RESPONSE on the basic channel, so the card must be used there.
 */
export function basicChannelOnly(pipe: Pick<CcidPipe, 'exchangeLevel' | 'descriptor'>): boolean {
  if (pipe.exchangeLevel === 'tpdu') return false;
  return pipe.descriptor.classGetResponse !== 0xff || pipe.descriptor.classEnvelope !== 0xff;
}

/**
 * Logical channels for a basic-channel-only reader: "opening" a channel selects the application
 * on the basic channel (SELECT by AID, ISO/IEC 7816-4 §11.2.2) and its APDUs go there with the
 * class byte's channel bits zero, so the reader's fixed-class GET RESPONSE reaches the same
 * channel. One application at a time.
 */
export function basicChannelLogicalChannels(
  transmit: (apdu: Uint8Array, signal?: AbortSignal) => Promise<Uint8Array>,
): NativeLogicalChannels {
  let inUse = false;
  return {
    async open(aid, signal) {
      if (inUse) {
        throw new CcidError(
          'this reader reaches the card on the basic channel only; close the open application first',
          'unsupported',
        );
      }
      const select = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, aid.length, ...aid, 0x00]);
      const r = await transmit(select, signal);
      const sw1 = r[r.length - 2];
      if (sw1 !== 0x90 && sw1 !== 0x61) {
        const sw = ((sw1 ?? 0) << 8) | (r[r.length - 1] ?? 0);
        throw new CcidError(
          `SELECT of the application on the basic channel answered ${sw.toString(16).padStart(4, '0')}`,
          'slotError',
        );
      }
      inUse = true;
      const channel: NativeLogicalChannel = {
        transmit: (apdu, s) => transmit(apdu, s),
        close: () => {
          inUse = false;
          return Promise.resolve();
        },
      };
      return channel;
    },
  };
}

export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
