/**
 * A Transport over one Web Smart Card API connection (SmartCardConnection): the system's PC/SC
 * service talks T=0/T=1 to the card, so command APDUs go out as they are, with no CCID framing;
 * the APDU layer above still follows 61xx/6Cxx itself (PC/SC passes those status words through).
 */
import { abortReason } from '../../base/async.ts';
import { TransportClosedError, type Transport } from '../transport.ts';
import {
  responseCodeOf,
  type SmartCardConnectionLike,
  type SmartCardConnectionStatus,
  type SmartCardProtocol,
} from './api.ts';
import { CARD_GONE_CODES, classifySmartCardError } from './errors.ts';

export interface SmartCardTransportOptions {
  /** The PC/SC reader name, shown as the link's label. */
  readerName: string;
  /** The protocol connect() negotiated, when it said. */
  activeProtocol?: SmartCardProtocol;
  /** Called once when the card or its reader goes away; never after close(). */
  onLost?: () => void;
  /** Called once when close() begins, before the connection is released (e.g. to stop a watch). */
  onClose?: () => void;
}

/**
 * The options of a transport on `readerName` from what connect() and the caller gave, any of
 * which may be undefined (left out of the options then); `onClose` stops the removal watch.
 */
export function transportOptions(
  readerName: string,
  activeProtocol: SmartCardProtocol | undefined,
  onLost: (() => void) | undefined,
  onClose: () => void,
): SmartCardTransportOptions {
  return {
    readerName,
    ...(activeProtocol !== undefined ? { activeProtocol } : {}),
    ...(onLost !== undefined ? { onLost } : {}),
    onClose,
  };
}

export class SmartCardTransport implements Transport {
  readonly label: string;
  /** Short APDUs pass PC/SC untouched, so the full STORE DATA block fits. */
  readonly maxStoreDataBlock = 255;
  readonly readerName: string;
  readonly activeProtocol: SmartCardProtocol | undefined;
  readonly #connection: SmartCardConnectionLike;
  readonly #onLost: (() => void) | undefined;
  readonly #onClose: (() => void) | undefined;
  #state: 'open' | 'lost' | 'closed' = 'open';
  /**
   * The spec lets a context run one PC/SC operation at a time (a second one rejects with
   * InvalidStateError), so calls on the connection are queued here.
   */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(connection: SmartCardConnectionLike, options: SmartCardTransportOptions) {
    this.#connection = connection;
    this.readerName = options.readerName;
    this.label = options.readerName;
    this.activeProtocol = options.activeProtocol;
    this.#onLost = options.onLost;
    this.#onClose = options.onClose;
  }

  /** 'open', 'lost' (card or reader gone) or 'closed' (close() was called). */
  get state(): 'open' | 'lost' | 'closed' {
    return this.#state;
  }

  #enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(op, op);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #closedError(cause?: unknown): TransportClosedError {
    const message =
      this.#state === 'closed'
        ? `The connection to ${this.readerName} is closed.`
        : `The card in ${this.readerName} was removed, or the reader went away.`;
    return new TransportClosedError(message, cause !== undefined ? { cause } : undefined);
  }

  /** Maps a rejection of the connection: a card or reader that is gone closes the link. */
  #fail(err: unknown): Error {
    const code = responseCodeOf(err);
    if (code !== undefined && CARD_GONE_CODES.has(code)) {
      this.markLost();
      return this.#closedError(err);
    }
    if (this.#state !== 'open') return this.#closedError(err);
    return classifySmartCardError(err);
  }

  transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    return this.#enqueue(async () => {
      if (this.#state !== 'open') throw this.#closedError();
      // Checked before sending only: a command the card has received must have its answer
      // delivered, or the card and the layers above would disagree about its state.
      if (signal?.aborted) throw abortReason(signal);
      let response: ArrayBuffer;
      try {
        response = await this.#connection.transmit(apdu);
      } catch (err) {
        throw this.#fail(err);
      }
      return new Uint8Array(response);
    });
  }

  /** The card's state and ATR as the connection reports them (SmartCardConnection.status()). */
  status(): Promise<SmartCardConnectionStatus> {
    return this.#enqueue(async () => {
      if (this.#state !== 'open') throw this.#closedError();
      try {
        return await this.#connection.status();
      } catch (err) {
        throw this.#fail(err);
      }
    });
  }

  /**
   * The card or its reader went away: later calls fail with TransportClosedError and `onLost`
   * fires, once. Does nothing after close().
   */
  markLost(): void {
    if (this.#state !== 'open') return;
    this.#state = 'lost';
    this.#onLost?.();
  }

  /**
   * Disconnects leaving the card as it is ('leave': no reset, so what the last command did
   * stays in effect) once the call in progress has finished. Safe to call twice; a card already
   * gone is not an error here.
   */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#onClose?.();
    await this.#enqueue(async () => {
      try {
        await this.#connection.disconnect('leave');
      } catch {
        // Removed card or reader: there is nothing left to release.
      }
    });
  }
}
