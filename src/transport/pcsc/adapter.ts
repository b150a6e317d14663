/**
 * The `smartcard` binding behind the Web Smart Card API's shapes (SmartCardContextLike,
 * SmartCardConnectionLike in ../smartcard/api.ts), so SmartCardTransport, its error handling and
 * the removal watch run unchanged on Node. Every failure is a PcscError carrying the PC/SC
 * response code the browser would report.
 *
 * One difference from the browser: a connection whose card was reset under it
 * (SCARD_W_RESET_CARD) reconnects at once (SCardReconnect, leaving the card as it is) and then
 * fails the command with PcscError 'cardReset' and no response code, so the transport stays
 * open while the layers above drop the logical channels the reset closed and reopen them.
 */
import { abortReason } from '../../base/async.ts';
import type * as Api from '../smartcard/api.ts';
import type { PcscBinding, PcscNativeCard, PcscNativeContext } from './binding.ts';
import { PcscError, pcscResponseCode, toPcscError } from './errors.ts';

/** pcsc-lite's INFINITE timeout for SCardGetStatusChange. */
const INFINITE = 0xffffffff;
/** SCARD_STATE_UNPOWERED (pcsclite.h); the binding does not export it. */
const SCARD_STATE_UNPOWERED = 0x0400;
/** SCardStatus card states (pcsclite.h): bit flags on pcsc-lite. */
const SCARD_ABSENT = 0x0002;
const SCARD_PRESENT = 0x0004;
const SCARD_SWALLOWED = 0x0008;
const SCARD_POWERED = 0x0010;
const SCARD_NEGOTIABLE = 0x0020;
const SCARD_SPECIFIC = 0x0040;

/** Largest response: an extended-length APDU's 65536 data bytes plus SW1 SW2. */
const MAX_RESPONSE = 65538;

type Flag = keyof Api.SmartCardReaderStateFlagsOut & keyof Api.SmartCardReaderStateFlagsIn;

function flagBits(b: PcscBinding): ReadonlyArray<readonly [Flag, number]> {
  return [
    ['ignore', b.SCARD_STATE_IGNORE],
    ['unavailable', b.SCARD_STATE_UNAVAILABLE],
    ['empty', b.SCARD_STATE_EMPTY],
    ['present', b.SCARD_STATE_PRESENT],
    ['exclusive', b.SCARD_STATE_EXCLUSIVE],
    ['inuse', b.SCARD_STATE_INUSE],
    ['mute', b.SCARD_STATE_MUTE],
    ['unpowered', SCARD_STATE_UNPOWERED],
  ];
}

/** SmartCardReaderStateFlagsIn + count -> SCARD_READERSTATE.dwCurrentState. */
export function stateIn(b: PcscBinding, s: Api.SmartCardReaderStateIn): number {
  if (s.currentState.unaware === true) return b.SCARD_STATE_UNAWARE;
  let bits = 0;
  for (const [name, bit] of flagBits(b)) if (s.currentState[name] === true) bits |= bit;
  // pcsc-lite keeps the insertion/removal count in the high word.
  return (bits | ((s.currentCount ?? 0) << 16)) >>> 0;
}

/** SCARD_READERSTATE.dwEventState -> flags and count. */
export function stateOut(
  b: PcscBinding,
  state: number,
): { flags: Api.SmartCardReaderStateFlagsOut; count: number } {
  const flags: Api.SmartCardReaderStateFlagsOut = {};
  for (const [name, bit] of flagBits(b)) if ((state & bit) !== 0) flags[name] = true;
  if ((state & b.SCARD_STATE_CHANGED) !== 0) flags.changed = true;
  if ((state & b.SCARD_STATE_UNKNOWN) !== 0) flags.unknown = true;
  return { flags, count: (state >>> 16) & 0xffff };
}

export function protocolName(b: PcscBinding, p: number): Api.SmartCardProtocol | undefined {
  if (p === b.SCARD_PROTOCOL_T0) return 't0';
  if (p === b.SCARD_PROTOCOL_T1) return 't1';
  if (p === b.SCARD_PROTOCOL_RAW) return 'raw';
  return undefined;
}

function protocolMask(b: PcscBinding, list: readonly Api.SmartCardProtocol[] | undefined): number {
  const wanted = list ?? ['t0', 't1'];
  let mask = 0;
  for (const p of wanted)
    mask |=
      p === 't0' ? b.SCARD_PROTOCOL_T0 : p === 't1' ? b.SCARD_PROTOCOL_T1 : b.SCARD_PROTOCOL_RAW;
  return mask;
}

function shareMode(b: PcscBinding, mode: Api.SmartCardAccessMode): number {
  if (mode === 'exclusive') return b.SCARD_SHARE_EXCLUSIVE;
  // 'direct' (talk to the reader, not the card) is not something an LPA needs.
  return b.SCARD_SHARE_SHARED;
}

function disposition(b: PcscBinding, d: Api.SmartCardDisposition | undefined): number {
  switch (d) {
    case 'reset':
      return b.SCARD_RESET_CARD;
    case 'unpower':
      return b.SCARD_UNPOWER_CARD;
    case 'eject':
      return b.SCARD_EJECT_CARD;
    default:
      return b.SCARD_LEAVE_CARD;
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.length);
  new Uint8Array(out).set(bytes);
  return out;
}

/** One SCardConnect handle as a SmartCardConnectionLike. */
export class PcscConnection implements Api.SmartCardConnectionLike {
  constructor(
    private readonly binding: PcscBinding,
    private readonly card: PcscNativeCard,
    readonly readerName: string,
    private readonly share: number,
    private readonly protocols: number,
  ) {}

  /** The protocol in use now (T=0/T=1), which a reconnect may change. */
  get activeProtocol(): Api.SmartCardProtocol | undefined {
    return protocolName(this.binding, this.card.protocol);
  }

  async transmit(sendBuffer: Uint8Array): Promise<ArrayBuffer> {
    let response: Uint8Array;
    try {
      response = await this.card.transmit(Buffer.from(sendBuffer), {
        maxRecvLength: MAX_RESPONSE,
      });
    } catch (err) {
      throw await this.transmitFailure(err);
    }
    // A card always ends its answer with SW1 SW2 (ISO/IEC 7816-4 §5.1). Less means the link
    // broke mid-exchange: vpcd, for one, completes the exchange with no bytes when the card
    // goes away. Reported as the failed exchange it is, not as a malformed answer.
    if (response.length < 2)
      throw this.lostCard(
        new Error(`the card answered ${response.length} bytes, without a status word`),
      );
    return toArrayBuffer(response);
  }

  /** A failed exchange: a removal when SCardStatus says the card is gone, else 'cardLost'. */
  private lostCard(err: unknown): PcscError {
    if (this.cardAbsent())
      return new PcscError('noCard', {
        cause: err,
        responseCode: 'removed-card',
        detail: this.readerName,
      });
    return new PcscError('cardLost', {
      cause: err,
      responseCode: 'not-transacted',
      detail: this.readerName,
    });
  }

  private async transmitFailure(err: unknown): Promise<PcscError> {
    const code = pcscResponseCode(err);
    if (code === 'reset-card') {
      // The reset closed every logical channel; the card itself is still there. Reconnect the
      // handle (SCardReconnect, leave the card as it is) and fail this command only.
      try {
        await this.card.reconnect(this.share, this.protocols, this.binding.SCARD_LEAVE_CARD);
      } catch (again) {
        return toPcscError(again, this.readerName);
      }
      return new PcscError('cardReset', { cause: err, detail: this.readerName });
    }
    if (code === 'not-transacted') return this.lostCard(err);
    return toPcscError(err, this.readerName);
  }

  /** Whether SCardStatus says the card is gone (a failed exchange is then a removal). */
  private cardAbsent(): boolean {
    try {
      const { state } = this.card.getStatus();
      return (state & SCARD_ABSENT) !== 0 || (state & SCARD_PRESENT) === 0;
    } catch (e) {
      const code = pcscResponseCode(e);
      return code === 'removed-card' || code === 'no-smartcard' || code === 'reader-unavailable';
    }
  }

  status(): Promise<Api.SmartCardConnectionStatus> {
    let s: { state: number; protocol: number; atr: Uint8Array };
    try {
      s = this.card.getStatus();
    } catch (err) {
      return Promise.reject(toPcscError(err, this.readerName));
    }
    let state: Api.SmartCardConnectionState;
    if ((s.state & SCARD_SPECIFIC) !== 0) state = protocolName(this.binding, s.protocol) ?? 'raw';
    else if ((s.state & SCARD_NEGOTIABLE) !== 0) state = 'negotiable';
    else if ((s.state & SCARD_POWERED) !== 0) state = 'powered';
    else if ((s.state & SCARD_SWALLOWED) !== 0) state = 'swallowed';
    else if ((s.state & SCARD_PRESENT) !== 0) state = 'present';
    else state = 'absent';
    return Promise.resolve({
      readerName: this.readerName,
      state,
      ...(s.atr.length > 0 ? { answerToReset: toArrayBuffer(s.atr) } : {}),
    });
  }

  disconnect(d?: Api.SmartCardDisposition): Promise<void> {
    try {
      this.card.disconnect(disposition(this.binding, d));
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(toPcscError(err, this.readerName));
    }
  }
}

/** One PC/SC context (SCardEstablishContext) as a SmartCardContextLike. */
export class PcscContext implements Api.SmartCardContextLike {
  readonly #binding: PcscBinding;
  readonly #native: PcscNativeContext;
  #pending = new Set<Promise<unknown>>();
  #released = false;

  /** Establishes a context; pcscd not running fails with PcscError 'noService'. */
  constructor(binding: PcscBinding) {
    this.#binding = binding;
    try {
      this.#native = new binding.Context();
    } catch (err) {
      throw toPcscError(err);
    }
  }

  listReaders(): Promise<string[]> {
    try {
      return Promise.resolve(this.#native.listReaders().map((r) => r.name));
    } catch (err) {
      const e = toPcscError(err);
      // As the spec does: no readers is an empty list, not an error.
      if (e.responseCode === 'no-readers-available') return Promise.resolve([]);
      return Promise.reject(e);
    }
  }

  async getStatusChange(
    readerStates: Api.SmartCardReaderStateIn[],
    options: Api.SmartCardGetStatusChangeOptions = {},
  ): Promise<Api.SmartCardReaderStateOut[]> {
    const { signal } = options;
    if (signal?.aborted) throw abortReason(signal);
    const b = this.#binding;
    const wanted = readerStates.map((s) => ({ name: s.readerName, state: stateIn(b, s) }));
    const onAbort = (): void => {
      try {
        this.#native.cancel();
      } catch {
        // A context already released has nothing to cancel.
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const call = this.#native.waitForChange(wanted, options.timeout ?? INFINITE);
    this.#pending.add(call);
    let result: Awaited<typeof call>;
    try {
      result = await call;
    } catch (err) {
      throw toPcscError(err);
    } finally {
      this.#pending.delete(call);
      signal?.removeEventListener('abort', onAbort);
    }
    if (result === null) {
      // SCardCancel: ours when the signal fired; otherwise someone else cancelled.
      if (signal?.aborted) throw abortReason(signal);
      throw new DOMException('The status wait was cancelled.', 'AbortError');
    }
    if (result.length === 0 && wanted.length > 0)
      throw new DOMException('No reader changed state in time.', 'TimeoutError');
    return result.map((r) => {
      const { flags, count } = stateOut(b, r.state);
      return {
        readerName: r.name,
        eventState: flags,
        eventCount: count,
        ...(r.atr !== null && r.atr.length > 0 ? { answerToReset: toArrayBuffer(r.atr) } : {}),
      };
    });
  }

  async connect(
    readerName: string,
    accessMode: Api.SmartCardAccessMode,
    options: { preferredProtocols?: Api.SmartCardProtocol[] } = {},
  ): Promise<Api.SmartCardConnectResult & { connection: PcscConnection }> {
    const b = this.#binding;
    let readers;
    try {
      readers = this.#native.listReaders();
    } catch (err) {
      throw toPcscError(err, readerName);
    }
    const reader = readers.find((r) => r.name === readerName);
    if (!reader)
      throw new PcscError('unknownReader', { responseCode: 'unknown-reader', detail: readerName });
    const share = shareMode(b, accessMode);
    const protocols = protocolMask(b, options.preferredProtocols);
    let card: PcscNativeCard;
    try {
      card = await reader.connect(share, protocols);
    } catch (err) {
      throw toPcscError(err, readerName);
    }
    const connection = new PcscConnection(b, card, readerName, share, protocols);
    const activeProtocol = connection.activeProtocol;
    return { connection, ...(activeProtocol !== undefined ? { activeProtocol } : {}) };
  }

  /**
   * Cancels a pending status wait, waits for it to return, then releases the context
   * (SCardReleaseContext). Safe to call twice.
   */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    if (this.#pending.size > 0) {
      try {
        this.#native.cancel();
      } catch {
        // Nothing to cancel.
      }
      await Promise.allSettled([...this.#pending]);
    }
    try {
      this.#native.close();
    } catch {
      // Already gone with pcscd.
    }
  }
}
