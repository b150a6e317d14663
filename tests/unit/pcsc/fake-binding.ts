/**
 * A fake of the `smartcard` npm binding (PcscBinding) over fake readers, behaving as the real
 * binding over pcsc-lite does where the transport depends on it: failures are plain Errors whose
 * message is the binding's text for the PC/SC code; waitForChange() resolves at once when a
 * reader's state differs from the one passed in (or is SCARD_STATE_UNAWARE), resolves null when
 * cancelled and [] on timeout; the high word of a reader state counts insertions and removals.
 */
import type {
  PcscBinding,
  PcscNativeCard,
  PcscNativeContext,
  PcscNativeReader,
  PcscNativeReaderState,
} from '../../../src/transport/pcsc/binding.ts';

export type CardFn = (apdu: Uint8Array) => Uint8Array | Promise<Uint8Array>;

export interface FakePcscReader {
  name: string;
  card: CardFn | undefined;
  atr: Uint8Array;
  /** Insertions and removals so far. */
  count: number;
  mute: boolean;
  /** Another program holds the card exclusively. */
  heldElsewhere: boolean;
  /** Open handles (to set INUSE / EXCLUSIVE). */
  handles: Set<FakeCard>;
}

/** pcsc-lite's values (pcsclite.h). */
const C = {
  SCARD_SHARE_EXCLUSIVE: 1,
  SCARD_SHARE_SHARED: 2,
  SCARD_PROTOCOL_T0: 1,
  SCARD_PROTOCOL_T1: 2,
  SCARD_PROTOCOL_RAW: 4,
  SCARD_LEAVE_CARD: 0,
  SCARD_RESET_CARD: 1,
  SCARD_UNPOWER_CARD: 2,
  SCARD_EJECT_CARD: 3,
  SCARD_STATE_UNAWARE: 0,
  SCARD_STATE_IGNORE: 1,
  SCARD_STATE_CHANGED: 2,
  SCARD_STATE_UNKNOWN: 4,
  SCARD_STATE_UNAVAILABLE: 8,
  SCARD_STATE_EMPTY: 0x10,
  SCARD_STATE_PRESENT: 0x20,
  SCARD_STATE_EXCLUSIVE: 0x80,
  SCARD_STATE_INUSE: 0x100,
  SCARD_STATE_MUTE: 0x200,
} as const;

/** An ATR without TD1: T=0 only (two historical bytes). */
export const ATR_T0 = Uint8Array.of(0x3b, 0x02, 0x14, 0x50);
/** TD1 = 01 announces T=1 only; TCK 81 makes T0..TCK XOR to zero. */
export const ATR_T1 = Uint8Array.of(0x3b, 0x80, 0x01, 0x81);

export class FakeCard implements PcscNativeCard {
  connected = true;
  removed = false;
  readerGone = false;
  /** The next transmit fails with "Card was reset" (another program reset the card). */
  resetPending = false;
  /** The next transmit fails with "Transaction failed". */
  failNext: string | undefined;
  constructor(
    private readonly fake: FakePcsc,
    readonly reader: FakePcscReader,
    public protocol: number,
    readonly share: number,
  ) {}

  async transmit(command: Buffer, options?: { maxRecvLength?: number }): Promise<Uint8Array> {
    this.fake.log.push(`transmit ${command.toString('hex')} max=${options?.maxRecvLength}`);
    await Promise.resolve();
    if (!this.connected) throw new Error('Card is not connected');
    if (this.failNext !== undefined) {
      const m = this.failNext;
      this.failNext = undefined;
      throw new Error(m);
    }
    if (this.readerGone) throw new Error('Reader unavailable');
    if (this.removed) throw new Error('Card was removed');
    if (this.resetPending) throw new Error('Card was reset');
    const card = this.reader.card;
    if (!card) throw new Error('Card was removed');
    return Buffer.from(await card(new Uint8Array(command)));
  }

  getStatus(): { state: number; protocol: number; atr: Uint8Array } {
    if (this.readerGone) throw new Error('Reader unavailable');
    if (this.removed) throw new Error('Card was removed');
    // SCARD_PRESENT | SCARD_POWERED | SCARD_NEGOTIABLE | SCARD_SPECIFIC, as pcsc-lite reports.
    return { state: 0x74, protocol: this.protocol, atr: this.reader.atr };
  }

  disconnect(disposition?: number): void {
    this.fake.log.push(`disconnect ${disposition ?? 0}`);
    this.connected = false;
    this.reader.handles.delete(this);
    this.fake.changed();
  }

  reconnect(shareMode?: number, protocol?: number, initialization?: number): Promise<number> {
    this.fake.log.push(`reconnect ${shareMode} ${protocol} ${initialization}`);
    if (this.removed) return Promise.reject(new Error('Card was removed'));
    this.resetPending = false;
    return Promise.resolve(this.protocol);
  }

  control(): Promise<Uint8Array> {
    return Promise.reject(new Error('not faked'));
  }
}

export class FakePcsc implements PcscBinding {
  readonly SCARD_SHARE_EXCLUSIVE = C.SCARD_SHARE_EXCLUSIVE;
  readonly SCARD_SHARE_SHARED = C.SCARD_SHARE_SHARED;
  readonly SCARD_PROTOCOL_T0 = C.SCARD_PROTOCOL_T0;
  readonly SCARD_PROTOCOL_T1 = C.SCARD_PROTOCOL_T1;
  readonly SCARD_PROTOCOL_RAW = C.SCARD_PROTOCOL_RAW;
  readonly SCARD_LEAVE_CARD = C.SCARD_LEAVE_CARD;
  readonly SCARD_RESET_CARD = C.SCARD_RESET_CARD;
  readonly SCARD_UNPOWER_CARD = C.SCARD_UNPOWER_CARD;
  readonly SCARD_EJECT_CARD = C.SCARD_EJECT_CARD;
  readonly SCARD_STATE_UNAWARE = C.SCARD_STATE_UNAWARE;
  readonly SCARD_STATE_IGNORE = C.SCARD_STATE_IGNORE;
  readonly SCARD_STATE_CHANGED = C.SCARD_STATE_CHANGED;
  readonly SCARD_STATE_UNKNOWN = C.SCARD_STATE_UNKNOWN;
  readonly SCARD_STATE_UNAVAILABLE = C.SCARD_STATE_UNAVAILABLE;
  readonly SCARD_STATE_EMPTY = C.SCARD_STATE_EMPTY;
  readonly SCARD_STATE_PRESENT = C.SCARD_STATE_PRESENT;
  readonly SCARD_STATE_EXCLUSIVE = C.SCARD_STATE_EXCLUSIVE;
  readonly SCARD_STATE_INUSE = C.SCARD_STATE_INUSE;
  readonly SCARD_STATE_MUTE = C.SCARD_STATE_MUTE;

  readonly readers: FakePcscReader[] = [];
  readonly cards: FakeCard[] = [];
  readonly contexts: FakeContext[] = [];
  readonly log: string[] = [];
  /** pcscd is not running: new Context() throws as SCardEstablishContext fails. */
  serviceRunning = true;
  #waiters = new Set<() => void>();
  readonly Context: new () => PcscNativeContext;

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fake = this;
    this.Context = class extends FakeContext {
      constructor() {
        super(fake);
      }
    };
  }

  addReader(name: string, card?: CardFn, atr: Uint8Array = ATR_T1): FakePcscReader {
    const r: FakePcscReader = {
      name,
      card,
      atr,
      count: card ? 1 : 0,
      mute: false,
      heldElsewhere: false,
      handles: new Set(),
    };
    this.readers.push(r);
    this.changed();
    return r;
  }

  reader(name: string): FakePcscReader {
    const r = this.readers.find((x) => x.name === name);
    if (!r) throw new Error(`no fake reader ${name}`);
    return r;
  }

  removeCard(name: string): void {
    const r = this.reader(name);
    r.card = undefined;
    r.count++;
    for (const c of r.handles) c.removed = true;
    this.changed();
  }

  unplugReader(name: string): void {
    const i = this.readers.findIndex((x) => x.name === name);
    if (i < 0) return;
    const [r] = this.readers.splice(i, 1);
    for (const c of r!.handles) c.readerGone = true;
    this.changed();
  }

  stateOf(name: string): number {
    const r = this.readers.find((x) => x.name === name);
    if (!r) return C.SCARD_STATE_UNKNOWN;
    let s = r.card ? C.SCARD_STATE_PRESENT : C.SCARD_STATE_EMPTY;
    if (r.card && r.mute) s |= C.SCARD_STATE_MUTE;
    const exclusive = r.heldElsewhere || [...r.handles].some((h) => h.share === 1);
    if (exclusive) s |= C.SCARD_STATE_EXCLUSIVE;
    else if (r.handles.size > 0) s |= C.SCARD_STATE_INUSE;
    return (s | (r.count << 16)) >>> 0;
  }

  /** Pending waitForChange() calls. */
  get watching(): number {
    return this.#waiters.size;
  }

  changed(): void {
    for (const w of [...this.#waiters]) w();
  }

  addWaiter(w: () => void): void {
    this.#waiters.add(w);
  }

  dropWaiter(w: () => void): void {
    this.#waiters.delete(w);
  }
}

class FakeReaderObject implements PcscNativeReader {
  constructor(
    private readonly fake: FakePcsc,
    readonly name: string,
    readonly state: number,
    readonly atr: Uint8Array | null,
  ) {}

  connect(shareMode?: number, protocol?: number): Promise<PcscNativeCard> {
    this.fake.log.push(`connect ${this.name} ${shareMode} ${protocol}`);
    const r = this.fake.readers.find((x) => x.name === this.name);
    if (!r) return Promise.reject(new Error('Unknown reader'));
    if (!r.card) return Promise.reject(new Error('No smart card present'));
    if (r.mute) return Promise.reject(new Error('Card is unresponsive'));
    const exclusive = r.heldElsewhere || [...r.handles].some((h) => h.share === 1);
    if (exclusive || (shareMode === 1 && r.handles.size > 0))
      return Promise.reject(new Error('Sharing violation'));
    // The first protocol the ATR offers: T=1 when only T=1 is announced.
    const offersT1 = r.atr[1] !== undefined && (r.atr[1] & 0x80) !== 0 && r.atr[2] === 0x01;
    const active = offersT1 ? 2 : 1;
    if (protocol !== undefined && (protocol & active) === 0)
      return Promise.reject(new Error('Protocol mismatch'));
    const card = new FakeCard(this.fake, r, active, shareMode ?? 2);
    r.handles.add(card);
    this.fake.cards.push(card);
    this.fake.changed();
    return Promise.resolve(card);
  }
}

export class FakeContext implements PcscNativeContext {
  isValid = true;
  cancelled = 0;
  #cancel = new Set<() => void>();

  constructor(private readonly fake: FakePcsc) {
    if (!fake.serviceRunning) throw new Error('PC/SC service not running');
    fake.contexts.push(this);
  }

  listReaders(): PcscNativeReader[] {
    if (!this.isValid) throw new Error('Context is not valid');
    if (!this.fake.serviceRunning) throw new Error('PC/SC service not running');
    return this.fake.readers.map(
      (r) =>
        new FakeReaderObject(this.fake, r.name, this.fake.stateOf(r.name), r.card ? r.atr : null),
    );
  }

  waitForChange(
    readers: { name: string; state: number }[] = [],
    timeout?: number,
  ): Promise<PcscNativeReaderState[] | null> {
    if (!this.isValid) return Promise.reject(new Error('Context is not valid'));
    const answer = (): PcscNativeReaderState[] | undefined => {
      let any = false;
      const out = readers.map((r) => {
        const now = this.fake.stateOf(r.name);
        const differs = r.state === 0 || (r.state & ~2) >>> 0 !== now;
        if (differs) any = true;
        const reader = this.fake.readers.find((x) => x.name === r.name);
        return {
          name: r.name,
          state: (differs ? now | 2 : now) >>> 0,
          changed: differs,
          atr: reader?.card ? reader.atr : null,
        };
      });
      return any ? out : undefined;
    };
    const now = answer();
    if (now) return Promise.resolve(now);
    if (timeout === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const done = (value: PcscNativeReaderState[] | null): void => {
        this.fake.dropWaiter(check);
        this.#cancel.delete(cancel);
        resolve(value);
      };
      const check = (): void => {
        const a = answer();
        if (a) done(a);
      };
      const cancel = (): void => {
        done(null);
      };
      this.fake.addWaiter(check);
      this.#cancel.add(cancel);
    });
  }

  cancel(): void {
    this.cancelled++;
    for (const c of [...this.#cancel]) c();
  }

  close(): void {
    this.isValid = false;
  }
}
