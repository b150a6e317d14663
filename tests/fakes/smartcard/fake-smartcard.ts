/**
 * A fake navigator.smartCard (Web Smart Card API, WICG draft) over fake readers holding card
 * functions (the software eUICC's transmit, or a tiny stand-in). It follows the spec where the
 * transport depends on it:
 *   - one PC/SC operation per context at a time: a second call rejects with InvalidStateError
 *     (SmartCardContext [[operationInProgress]]);
 *   - getStatusChange() resolves at once when the reader's state differs from `currentState`
 *     (or `currentCount`), or is 'unaware'; otherwise when it changes, or rejects with the
 *     signal's reason when aborted;
 *   - failures are SmartCardError DOMExceptions with a `responseCode` ("removed-card",
 *     "sharing-violation", ...), a denied connection prompt is NotAllowedError, a blocked
 *     permissions policy SecurityError.
 */
import type {
  SmartCardAccessMode,
  SmartCardConnectionLike,
  SmartCardConnectionStatus,
  SmartCardConnectResult,
  SmartCardContextLike,
  SmartCardDisposition,
  SmartCardGetStatusChangeOptions,
  SmartCardProtocol,
  SmartCardReaderStateFlagsOut,
  SmartCardReaderStateIn,
  SmartCardReaderStateOut,
  SmartCardResourceManagerLike,
} from '../../../src/transport/smartcard/api.ts';
import { STATE_FLAGS } from '../../../src/transport/smartcard/watch.ts';

export type CardFn = (apdu: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** Chrome's SmartCardError: a DOMException named "SmartCardError" with a PC/SC responseCode. */
export class FakeSmartCardError extends DOMException {
  readonly responseCode: string;
  constructor(responseCode: string, message = `PC/SC error ${responseCode}`) {
    super(message, 'SmartCardError');
    this.responseCode = responseCode;
  }
}

export interface FakeReader {
  name: string;
  /** The card in the reader, if any. */
  card: CardFn | undefined;
  /** A card that does not answer (SCARD_STATE_MUTE). */
  mute: boolean;
  /** Another program holds the card exclusively: connect() fails with sharing-violation. */
  heldElsewhere: boolean;
  /** Insertion/removal events so far. */
  count: number;
  /** The ATR of the card, if any. */
  atr: Uint8Array;
}

/** How the whole API refuses, as Chrome does. */
export type FakeSmartCardMode =
  | 'ok'
  | 'noService' // establishContext() rejects with "no-service" (no PC/SC provider)
  | 'policyBlocked' // establishContext() rejects with SecurityError
  | 'permissionDenied'; // connect() rejects with NotAllowedError (the user said no)

const IN_KEYS = STATE_FLAGS;

export class FakeSmartCard implements SmartCardResourceManagerLike {
  readonly readers: FakeReader[] = [];
  readonly contexts: FakeContext[] = [];
  readonly connections: FakeConnection[] = [];
  mode: FakeSmartCardMode = 'ok';
  /** Every call, e.g. "connect Reader A shared t1,t0", "disconnect leave". */
  readonly log: string[] = [];
  #waiters = new Set<() => void>();

  establishContext(): Promise<SmartCardContextLike> {
    this.log.push('establishContext');
    if (this.mode === 'noService') return Promise.reject(new FakeSmartCardError('no-service'));
    if (this.mode === 'policyBlocked')
      return Promise.reject(
        new DOMException('Access to the feature "smart-card" is disallowed.', 'SecurityError'),
      );
    const ctx = new FakeContext(this);
    this.contexts.push(ctx);
    return Promise.resolve(ctx);
  }

  addReader(
    name: string,
    card?: CardFn,
    options: { mute?: boolean; atr?: Uint8Array } = {},
  ): FakeReader {
    const reader: FakeReader = {
      name,
      card,
      mute: options.mute ?? false,
      heldElsewhere: false,
      count: card ? 1 : 0,
      atr: options.atr ?? Uint8Array.of(0x3b, 0x9f, 0x96, 0x80, 0x1f, 0xc7),
    };
    this.readers.push(reader);
    this.changed();
    return reader;
  }

  reader(name: string): FakeReader {
    const r = this.readers.find((x) => x.name === name);
    if (!r) throw new Error(`no fake reader ${name}`);
    return r;
  }

  /** Takes the card out: open connections to it fail with removed-card from now on. */
  removeCard(name: string): void {
    const r = this.reader(name);
    r.card = undefined;
    r.count++;
    for (const c of this.connections) if (c.readerName === name) c.cardGone = true;
    this.changed();
  }

  insertCard(name: string, card: CardFn): void {
    const r = this.reader(name);
    r.card = card;
    r.count++;
    this.changed();
  }

  /** Unplugs the reader: it leaves the list, connections fail with reader-unavailable. */
  unplugReader(name: string): void {
    const i = this.readers.findIndex((x) => x.name === name);
    if (i < 0) return;
    this.readers.splice(i, 1);
    for (const c of this.connections) if (c.readerName === name) c.readerGone = true;
    this.changed();
  }

  /** Pending getStatusChange() calls right now. */
  get watching(): number {
    return this.#waiters.size;
  }

  changed(): void {
    for (const w of [...this.#waiters]) w();
  }

  wait(waiter: () => void): () => void {
    this.#waiters.add(waiter);
    return () => this.#waiters.delete(waiter);
  }

  stateOf(name: string): SmartCardReaderStateOut {
    const r = this.readers.find((x) => x.name === name);
    if (!r) return { readerName: name, eventState: { unknown: true }, eventCount: 0 };
    const flags: SmartCardReaderStateFlagsOut = {};
    if (r.card) {
      flags.present = true;
      if (r.mute) flags.mute = true;
      if (r.heldElsewhere) flags.exclusive = true;
      else if (this.connections.some((c) => c.readerName === name && c.open)) flags.inuse = true;
    } else flags.empty = true;
    const out: SmartCardReaderStateOut = {
      readerName: name,
      eventState: flags,
      eventCount: r.count,
    };
    if (r.card && !r.mute) out.answerToReset = r.atr.slice().buffer;
    return out;
  }
}

/** The signal's reason, as getStatusChange() rejects with it when aborted. */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('Aborted.', 'AbortError');
}

function differs(state: SmartCardReaderStateOut, wanted: SmartCardReaderStateIn): boolean {
  if (wanted.currentState.unaware === true) return true;
  if (wanted.currentCount !== undefined && wanted.currentCount !== state.eventCount) return true;
  return IN_KEYS.some((k) => (state.eventState[k] === true) !== (wanted.currentState[k] === true));
}

export class FakeContext implements SmartCardContextLike {
  #busy = false;
  constructor(readonly api: FakeSmartCard) {}

  /** Runs one PC/SC operation; a second one at the same time is refused, as the spec says. */
  run<T>(op: () => Promise<T>): Promise<T> {
    if (this.#busy)
      return Promise.reject(
        new DOMException(
          'An operation is already in progress in this context.',
          'InvalidStateError',
        ),
      );
    this.#busy = true;
    return op().finally(() => {
      this.#busy = false;
    });
  }

  listReaders(): Promise<string[]> {
    return this.run(() => {
      this.api.log.push('listReaders');
      return Promise.resolve(this.api.readers.map((r) => r.name));
    });
  }

  getStatusChange(
    readerStates: SmartCardReaderStateIn[],
    options: SmartCardGetStatusChangeOptions = {},
  ): Promise<SmartCardReaderStateOut[]> {
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return this.run(
      () =>
        new Promise<SmartCardReaderStateOut[]>((resolve, reject) => {
          this.api.log.push(`getStatusChange ${readerStates.map((s) => s.readerName).join(',')}`);
          let stopWaiting = (): void => undefined;
          const onAbort = (): void => {
            stopWaiting();
            if (signal) reject(abortError(signal));
          };
          const check = (): boolean => {
            const states = readerStates.map((s) => this.api.stateOf(s.readerName));
            if (!states.some((s, i) => differs(s, readerStates[i]!))) return false;
            stopWaiting();
            signal?.removeEventListener('abort', onAbort);
            resolve(states.map((s) => ({ ...s, eventState: { ...s.eventState, changed: true } })));
            return true;
          };
          if (check()) return;
          stopWaiting = this.api.wait(() => {
            check();
          });
          signal?.addEventListener('abort', onAbort);
        }),
    );
  }

  connect(
    readerName: string,
    accessMode: SmartCardAccessMode,
    options: { preferredProtocols?: SmartCardProtocol[] } = {},
  ): Promise<SmartCardConnectResult> {
    return this.run(() => {
      this.api.log.push(
        `connect ${readerName} ${accessMode} ${(options.preferredProtocols ?? []).join(',')}`,
      );
      if (this.api.mode === 'permissionDenied')
        return Promise.reject(new DOMException('Permission denied.', 'NotAllowedError'));
      const r = this.api.readers.find((x) => x.name === readerName);
      if (!r) return Promise.reject(new FakeSmartCardError('unknown-reader'));
      if (!r.card) return Promise.reject(new FakeSmartCardError('no-smartcard'));
      if (r.mute) return Promise.reject(new FakeSmartCardError('unresponsive-card'));
      if (r.heldElsewhere) return Promise.reject(new FakeSmartCardError('sharing-violation'));
      const connection = new FakeConnection(this, r);
      this.api.connections.push(connection);
      this.api.changed();
      const activeProtocol = options.preferredProtocols?.[0];
      return Promise.resolve(
        activeProtocol !== undefined ? { connection, activeProtocol } : { connection },
      );
    });
  }
}

export class FakeConnection implements SmartCardConnectionLike {
  open = true;
  cardGone = false;
  readerGone = false;
  readonly readerName: string;
  /** Every APDU sent, hex. */
  readonly sent: string[] = [];
  disposition: SmartCardDisposition | undefined;
  readonly #card: CardFn;

  constructor(
    readonly context: FakeContext,
    reader: FakeReader,
  ) {
    this.readerName = reader.name;
    this.#card = reader.card!;
  }

  #gone(): FakeSmartCardError | DOMException | undefined {
    if (!this.open) return new DOMException('The connection is closed.', 'InvalidStateError');
    if (this.readerGone) return new FakeSmartCardError('reader-unavailable');
    if (this.cardGone) return new FakeSmartCardError('removed-card');
    return undefined;
  }

  transmit(sendBuffer: Uint8Array): Promise<ArrayBuffer> {
    return this.context.run(async () => {
      const gone = this.#gone();
      if (gone) throw gone;
      this.sent.push(
        Array.from(sendBuffer, (b) => b.toString(16).padStart(2, '0'))
          .join('')
          .toUpperCase(),
      );
      const response = await this.#card(sendBuffer.slice());
      return response.slice().buffer;
    });
  }

  status(): Promise<SmartCardConnectionStatus> {
    return this.context.run(() => {
      const gone = this.#gone();
      if (gone) return Promise.reject(gone);
      const s = this.context.api.stateOf(this.readerName);
      const out: SmartCardConnectionStatus = { readerName: this.readerName, state: 't1' };
      if (s.answerToReset) out.answerToReset = s.answerToReset;
      return Promise.resolve(out);
    });
  }

  disconnect(disposition: SmartCardDisposition = 'leave'): Promise<void> {
    return this.context.run(() => {
      this.context.api.log.push(`disconnect ${disposition}`);
      if (!this.open)
        return Promise.reject(new DOMException('The connection is closed.', 'InvalidStateError'));
      this.open = false;
      this.disposition = disposition;
      this.context.api.changed();
      return Promise.resolve();
    });
  }
}
