/**
 * The Card: the one path from the layers above to a Transport.
 *
 * - All exchanges are serialised behind one lock (a FIFO queue). An exchange that fails or is
 *   aborted releases the lock; if the transport is still busy with its APDU the lock is held
 *   until that APDU settles, so two APDUs never overlap on the link.
 * - `61xx` is followed with GET RESPONSE (ISO/IEC 7816-4 §7.6.1, ETSI TS 102 221 §10.1.1)
 *   until the card is done, accumulating the data.
 * - `6Cxx` resends the same command once with Le = xx (ISO/IEC 7816-3 §12.2.1, T=0).
 * - A final status word that is not success (see isSuccess) raises ApduError. This is the
 *   only place ApduError is thrown.
 */
import { concat } from '../codec/index.ts';
import type { NativeLogicalChannel, Transport } from '../transport/transport.ts';
import { abortReason, Mutex, raceAbort } from '../base/async.ts';
import { encodeCommand, withLe } from './command.ts';
import type { CommandApdu } from './command.ts';
import { ApduError, ChannelError } from './errors.ts';
import { parseResponse } from './response.ts';
import type { ResponseApdu } from './response.ts';
import { isSuccess } from './status-words.ts';

export interface CardOptions {
  /**
   * Most GET RESPONSE rounds for one command (default 1024, i.e. 256 KiB): a card that keeps
   * answering 61xx beyond it gets an ApduError instead of an endless loop.
   */
  maxGetResponse?: number;
}

type Send = (apdu: Uint8Array, signal?: AbortSignal) => Promise<Uint8Array>;

/** INS of GET RESPONSE (ISO/IEC 7816-4 §7.6.1). */
const INS_GET_RESPONSE = 0xc0;

/**
 * CLA for the GET RESPONSE that follows a 61xx: the command's own class byte (so the logical
 * channel and class are kept: `81` after a STORE DATA on channel 1, as deployed LPAs send and
 * eUICCs accept) with the command-chaining bit b5 cleared (ISO/IEC 7816-4 §5.4.1).
 */
export function getResponseCla(cla: number): number {
  return cla & ~0x10 & 0xff;
}

export class Card {
  private readonly lock = new Mutex();
  private inflight: Promise<unknown> | undefined;
  private readonly maxGetResponse: number;

  constructor(
    readonly transport: Transport,
    options: CardOptions = {},
  ) {
    this.maxGetResponse = options.maxGetResponse ?? 1024;
  }

  /** Sends one command on the transport and returns the complete, successful response. */
  transmit(cmd: CommandApdu, signal?: AbortSignal): Promise<ResponseApdu> {
    return this.withLock(
      () => this.exchange((a, s) => this.transport.transmit(a, s), cmd, signal),
      signal,
    );
  }

  /** Whether the transport opens logical channels itself (AT+CCHO/CGLA/CCHC). */
  get hasNativeChannels(): boolean {
    return this.transport.logicalChannels !== undefined;
  }

  /** Opens a native logical channel to `aid` (the link selects it), under the lock. */
  openNativeChannel(aid: Uint8Array, signal?: AbortSignal): Promise<NativeLogicalChannel> {
    const native = this.transport.logicalChannels;
    if (!native)
      return Promise.reject(new ChannelError('this link has no native logical channels'));
    // The open itself is not raced against the signal (the link gets it and may stop): a
    // channel the link opened must reach the caller, which closes it if it was aborted.
    return this.withLock(() => this.track(native.open(aid, signal)), signal);
  }

  /**
   * Sends one command on a native logical channel, with the same 61xx/6Cxx handling. The CLA's
   * channel bits stay zero: the link sets them (3GPP TS 27.007 §8.43).
   */
  transmitOn(
    channel: NativeLogicalChannel,
    cmd: CommandApdu,
    signal?: AbortSignal,
  ): Promise<ResponseApdu> {
    return this.withLock(
      () => this.exchange((a, s) => channel.transmit(a, s), cmd, signal),
      signal,
    );
  }

  /** Closes a native logical channel, under the lock. */
  closeNativeChannel(channel: NativeLogicalChannel, signal?: AbortSignal): Promise<void> {
    return this.withLock(() => this.track(channel.close(), signal), signal);
  }

  /**
   * Runs `fn` with the link to itself; callers queue behind each other in call order. Work the
   * link is still doing when `fn` ends (its caller aborted) keeps the lock until it settles.
   */
  private withLock<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.lock.run(async (hold) => {
      try {
        return await fn();
      } finally {
        if (this.inflight) hold(this.inflight);
        this.inflight = undefined;
      }
    }, signal);
  }

  /** Remembers an operation the link is doing, so the lock outlives an abort of its caller. */
  private track<T>(operation: Promise<T>, signal?: AbortSignal): Promise<T> {
    this.inflight = operation;
    return raceAbort(operation, signal).then((v) => {
      this.inflight = undefined;
      return v;
    });
  }

  private async sendOne(send: Send, cmd: CommandApdu, signal?: AbortSignal): Promise<ResponseApdu> {
    if (signal?.aborted) throw abortReason(signal);
    const raw = await this.track(send(encodeCommand(cmd), signal), signal);
    return parseResponse(raw);
  }

  /** One command with its 6Cxx resend and 61xx GET RESPONSE chain. */
  private async sendResolvingLe(
    send: Send,
    cmd: CommandApdu,
    signal?: AbortSignal,
  ): Promise<{ res: ResponseApdu; sent: CommandApdu }> {
    const res = await this.sendOne(send, cmd, signal);
    if (res.sw1 !== 0x6c) return { res, sent: cmd };
    // Wrong Le: the card says how many bytes it has; ask again for exactly that (once).
    const again = withLe(cmd, res.sw2 === 0 ? 256 : res.sw2);
    return { res: await this.sendOne(send, again, signal), sent: again };
  }

  private async exchange(
    send: Send,
    cmd: CommandApdu,
    signal?: AbortSignal,
  ): Promise<ResponseApdu> {
    let { res, sent } = await this.sendResolvingLe(send, cmd, signal);
    const parts: Uint8Array[] = [];
    let rounds = 0;
    while (res.sw1 === 0x61) {
      parts.push(res.data);
      if (++rounds > this.maxGetResponse) throw new ApduError(res.sw, sent, concat(...parts));
      const getResponse: CommandApdu = {
        cla: getResponseCla(cmd.cla),
        ins: INS_GET_RESPONSE,
        p1: 0,
        p2: 0,
        le: res.sw2 === 0 ? 256 : res.sw2,
      };
      ({ res, sent } = await this.sendResolvingLe(send, getResponse, signal));
    }
    const data = parts.length === 0 ? res.data : concat(...parts, res.data);
    if (!isSuccess(res.sw)) throw new ApduError(res.sw, sent, data);
    return { data, sw: res.sw, sw1: res.sw1, sw2: res.sw2 };
  }
}
