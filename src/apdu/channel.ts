/**
 * Logical channels (ISO/IEC 7816-4 §5.4.1, §7.1.2; ETSI TS 102 221 §10.1.1).
 *
 * The channel number lives in the CLA byte, in two different layouts:
 *   channels 0-3:  first interindustry class, b2-b1 = channel:   0x00|ch, proprietary 0x80|ch
 *   channels 4-19: further interindustry class, b4-b1 = ch - 4:  0x40|(ch-4), proprietary 0xC0|(ch-4)
 * (OR-ing the channel into the low bits, as some LPAs do, is only right for channels 1-3.)
 */
import type { NativeLogicalChannel } from '../transport/transport.ts';
import { toHex } from '../codec/index.ts';
import { abortReason } from '../base/async.ts';
import type { Card } from './card.ts';
import type { CommandApdu } from './command.ts';
import { ChannelError } from './errors.ts';
import type { ResponseApdu } from './response.ts';

/** Highest logical channel number ISO/IEC 7816-4 can address (further interindustry class). */
export const MAX_LOGICAL_CHANNEL = 19;

/** CLA byte for `baseCla` (0x00 interindustry, 0x80 proprietary/GlobalPlatform) on `channel`. */
export function claForChannel(baseCla: number, channel: number): number {
  if (baseCla !== 0x00 && baseCla !== 0x80)
    throw new RangeError(`base class must be 0x00 or 0x80, not 0x${baseCla.toString(16)}`);
  if (!Number.isInteger(channel) || channel < 0 || channel > MAX_LOGICAL_CHANNEL)
    throw new RangeError(`logical channel ${channel} is outside 0..${MAX_LOGICAL_CHANNEL}`);
  if (channel <= 3) return baseCla | channel;
  return baseCla | 0x40 | (channel - 4);
}

/** The channel number encoded in a CLA byte of either layout (the inverse of claForChannel). */
export function channelOfCla(cla: number): number {
  return (cla & 0x40) !== 0 ? 4 + (cla & 0x0f) : cla & 0x03;
}

/** An application session on a channel: what the ISD-R code needs, whatever opened it. */
export interface ApduChannel {
  /** The logical channel number; undefined when the link manages channels (native). */
  readonly number: number | undefined;
  /**
   * Sends `cmd` on this channel. `cmd.cla` is the base class (0x00 or 0x80); the channel's
   * bits are applied here.
   */
  transmit(cmd: CommandApdu, signal?: AbortSignal): Promise<ResponseApdu>;
  /** Closes the channel. Safe to call twice. */
  close(signal?: AbortSignal): Promise<void>;
}

/** INS of MANAGE CHANNEL and SELECT (ISO/IEC 7816-4 §7.1.2, §7.1.1). */
const INS_MANAGE_CHANNEL = 0x70;
const INS_SELECT = 0xa4;

/** SELECT by DF name (P1 04), first occurrence, return FCI (P2 00), Le 00. */
export function selectByAid(baseCla: number, aid: Uint8Array): CommandApdu {
  if (aid.length < 5 || aid.length > 16)
    throw new RangeError(`an AID has 5 to 16 bytes, not ${aid.length}`);
  return { cla: baseCla, ins: INS_SELECT, p1: 0x04, p2: 0x00, data: aid, le: 256 };
}

/** A logical channel opened with MANAGE CHANNEL on a Card. */
export class LogicalChannel implements ApduChannel {
  private closed = false;

  private constructor(
    private readonly card: Card,
    readonly number: number,
  ) {}

  /**
   * MANAGE CHANNEL open (`00 70 00 00 01`): P2 00 lets the card choose, and it answers with
   * the one-byte channel number.
   */
  static async open(card: Card, signal?: AbortSignal): Promise<LogicalChannel> {
    if (signal?.aborted) throw abortReason(signal);
    // Not abortable once sent: an abort that hid the answer would leak the channel the card
    // opened. The abort is honoured right after, by closing it again.
    const res = await card.transmit({
      cla: 0x00,
      ins: INS_MANAGE_CHANNEL,
      p1: 0x00,
      p2: 0x00,
      le: 1,
    });
    const ch = res.data[0];
    if (res.data.length !== 1 || ch === undefined || ch < 1 || ch > MAX_LOGICAL_CHANNEL) {
      // Not a usable channel: give back whatever the card thinks it opened.
      if (res.data.length === 1 && ch !== undefined && ch > 0)
        await card.transmit(closeCommand(ch)).catch(() => undefined);
      throw new ChannelError(
        `MANAGE CHANNEL returned "${toHex(res.data)}", not a channel number 1..${MAX_LOGICAL_CHANNEL}`,
        ch,
      );
    }
    const channel = new LogicalChannel(card, ch);
    if (signal?.aborted) {
      await channel.close().catch(() => undefined);
      throw abortReason(signal);
    }
    return channel;
  }

  /** SELECT `aid` on this channel; resolves with the FCI the card returned. */
  async select(aid: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const res = await this.transmit(selectByAid(0x00, aid), signal);
    return res.data;
  }

  transmit(cmd: CommandApdu, signal?: AbortSignal): Promise<ResponseApdu> {
    if (this.closed)
      return Promise.reject(
        new ChannelError(`logical channel ${this.number} is closed`, this.number),
      );
    return this.card.transmit({ ...cmd, cla: claForChannel(cmd.cla, this.number) }, signal);
  }

  /** MANAGE CHANNEL close, sent on the basic channel. */
  async close(signal?: AbortSignal): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.card.transmit(closeCommand(this.number), signal);
  }
}

/**
 * `00 70 80 <ch> 00`: MANAGE CHANNEL close on the basic channel. It is a case 1 command, but
 * is sent with P3 = 00 because a T=0 TPDU always carries five header bytes (ISO/IEC 7816-3
 * §12.2.2); cards ignore it for a command that returns no data.
 */
function closeCommand(channel: number): CommandApdu {
  return { cla: 0x00, ins: INS_MANAGE_CHANNEL, p1: 0x80, p2: channel, le: 256 };
}

/**
 * The basic channel (0), for cards that refuse MANAGE CHANNEL (6881, 6D00): the ISD-R is
 * selected there instead. Closing it sends nothing; the selection simply stays.
 */
export class BasicChannel implements ApduChannel {
  readonly number = 0;

  constructor(private readonly card: Card) {}

  async select(aid: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    return (await this.transmit(selectByAid(0x00, aid), signal)).data;
  }

  transmit(cmd: CommandApdu, signal?: AbortSignal): Promise<ResponseApdu> {
    return this.card.transmit({ ...cmd, cla: claForChannel(cmd.cla, 0) }, signal);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A channel the link opened itself (AT+CCHO); APDUs go through the Card's lock. */
export class NativeChannel implements ApduChannel {
  readonly number = undefined;
  private closed = false;

  private constructor(
    private readonly card: Card,
    private readonly native: NativeLogicalChannel,
  ) {}

  /** Opens a channel to `aid`; the link selects the application. */
  static async open(card: Card, aid: Uint8Array, signal?: AbortSignal): Promise<NativeChannel> {
    const channel = new NativeChannel(card, await card.openNativeChannel(aid, signal));
    if (signal?.aborted) {
      await channel.close().catch(() => undefined);
      throw abortReason(signal);
    }
    return channel;
  }

  transmit(cmd: CommandApdu, signal?: AbortSignal): Promise<ResponseApdu> {
    if (this.closed) return Promise.reject(new ChannelError('native logical channel is closed'));
    if (cmd.cla !== 0x00 && cmd.cla !== 0x80)
      return Promise.reject(
        new RangeError(`base class must be 0x00 or 0x80, not 0x${cmd.cla.toString(16)}`),
      );
    return this.card.transmitOn(this.native, cmd, signal);
  }

  async close(signal?: AbortSignal): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.card.closeNativeChannel(this.native, signal);
  }
}
