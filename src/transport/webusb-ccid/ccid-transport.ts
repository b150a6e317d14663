/**
 * WebUSB glue for USB CCID readers: opens a `USBDevice`-like object that the caller passes in
 * (browser.ts gets one from navigator.usb; tests pass a fake), claims the CCID interface, powers
 * on a slot and carries APDUs at the reader's exchange level:
 *   - short / extended APDU level: the APDU goes in one XfrBlock, or, on extended-level readers,
 *     in wLevelParameter-chained blocks no larger than dwMaxCCIDMessageLength (§6.1.4);
 *   - TPDU level with T=0 (preferred when the card offers it): through the T=0 engine
 *     (tpdu-t0.ts);
 *   - TPDU level with T=1 (card without T=0, or a reader that stays in T=1): SetParameters for
 *     T=1, then one T=1 block per XfrBlock through the block engine (tpdu-t1.ts);
 *   - character level: refused with CcidError('unsupported').
 * Card removal comes from RDR_to_PC_NotifySlotChange on the interrupt pipe; unplugging from the
 * USB 'disconnect' event or failed transfers. Both end the link with TransportClosedError.
 */
import type { Transport } from '../transport.ts';
import { TransportClosedError } from '../transport.ts';
import { abortReason, raceAbort } from '../../apdu/abort.ts';
import { parseAtr, type Atr } from './atr.ts';
import {
  CCID_HEADER_LENGTH,
  ChainParameter,
  CommandStatus,
  IccStatus,
  LevelParameter,
  checkResponse,
  getParameters,
  getSlotStatus,
  iccPowerOff,
  iccPowerOn,
  messageLength,
  parseInterrupt,
  parseResponse,
  setParameters,
  xfrBlock,
  type CcidResponse,
} from './ccid-messages.ts';
import {
  CcidFeature,
  configurationTotalLength,
  findCcidInterfaces,
  type CcidClassDescriptor,
  type ExchangeLevel,
} from './descriptors.ts';
import { AtrError, CcidError, UsbAccessError, classifyUsbError } from './errors.ts';
import { findKnownReader } from './known-readers.ts';
import { transmitT0 } from './tpdu-t0.ts';
import { T1Engine, T1Error, T1_DEFAULT_IFS, T1_MAX_INF } from './tpdu-t1.ts';

/** Result of an IN transfer, as WebUSB's USBInTransferResult. */
export interface UsbInResult {
  readonly status: 'ok' | 'stall' | 'babble';
  readonly data?: DataView | undefined;
}

/** Result of an OUT transfer, as WebUSB's USBOutTransferResult. */
export interface UsbOutResult {
  readonly status: 'ok' | 'stall' | 'babble';
  readonly bytesWritten: number;
}

export interface UsbEndpointLike {
  readonly endpointNumber: number;
  readonly direction: 'in' | 'out';
  readonly type: 'bulk' | 'interrupt' | 'isochronous';
  readonly packetSize: number;
}

export interface UsbAlternateLike {
  readonly alternateSetting: number;
  readonly interfaceClass: number;
  readonly endpoints: readonly UsbEndpointLike[];
}

export interface UsbInterfaceLike {
  readonly interfaceNumber: number;
  readonly alternates: readonly UsbAlternateLike[];
}

export interface UsbConfigurationLike {
  readonly configurationValue: number;
  readonly interfaces: readonly UsbInterfaceLike[];
}

export interface UsbControlSetup {
  requestType: 'standard' | 'class' | 'vendor';
  recipient: 'device' | 'interface' | 'endpoint' | 'other';
  request: number;
  value: number;
  index: number;
}

/** The part of WebUSB's USBDevice the driver uses; a real USBDevice satisfies it. */
export interface UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly productName?: string | null | undefined;
  readonly manufacturerName?: string | null | undefined;
  readonly opened: boolean;
  readonly configuration: UsbConfigurationLike | null | undefined;
  readonly configurations: readonly UsbConfigurationLike[];
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<void>;
  transferIn(endpointNumber: number, length: number): Promise<UsbInResult>;
  transferOut(endpointNumber: number, data: Uint8Array<ArrayBuffer>): Promise<UsbOutResult>;
  controlTransferIn(setup: UsbControlSetup, length: number): Promise<UsbInResult>;
}

export interface CcidReaderOptions {
  /** navigator.usb (or a fake): its 'disconnect' event for this device closes the reader. */
  events?: EventTarget;
  /** Use this interface number when the device has several CCID interfaces. */
  interfaceNumber?: number;
  /** Give up on a single reader answer after this long (ms). Default 30 s; time extensions restart it. */
  timeoutMs?: number;
}

export interface SlotOptions {
  /** Label override. */
  label?: string;
  /** Closing the slot's transport also closes the reader (one-slot use, openCcidTransport). */
  closeReader?: boolean;
}

/** What a CcidTransport needs from its reader. */
interface SlotOps {
  exchange: (apdu: Uint8Array, signal?: AbortSignal) => Promise<Uint8Array>;
  powerOff: () => Promise<void>;
  release: (t: CcidTransport) => Promise<void>;
}

type SlotState = 'absent' | 'inactive' | 'active';

const DEFAULT_TIMEOUT_MS = 30_000;
/** Stale answers (bSeq of an earlier, abandoned exchange) skipped before giving up. */
const MAX_STALE = 8;

function closedError(reason: string, cause?: unknown): TransportClosedError {
  return new TransportClosedError(reason, cause === undefined ? undefined : { cause });
}

/** How a TPDU-level slot carries APDUs: T=0 headers, or T=1 blocks through its engine. */
type TpduLink =
  { protocol: 0 } | { protocol: 1; engine: T1Engine; signal: { current: AbortSignal | undefined } };

/** bError values that mean the card's block did not arrive intact (CCID §6.2.6). */
const CCID_ICC_MUTE = 0xfe;
const CCID_XFR_PARITY_ERROR = 0xfd;
const CCID_XFR_OVERRUN = 0xfc;

/** One opened CCID reader (one claimed interface); hands out a Transport per slot. */
export class CcidReader {
  readonly descriptor: CcidClassDescriptor;
  readonly exchangeLevel: ExchangeLevel;
  readonly interfaceNumber: number;
  readonly name: string;
  #device: UsbDeviceLike;
  #epOut: number;
  #epIn: number;
  #epInterrupt: number | undefined;
  #packetSize: number;
  #events: EventTarget | undefined;
  #timeoutMs: number;
  #seq = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #closed: TransportClosedError | undefined;
  #closing: Promise<void> | undefined;
  #slots = new Map<number, SlotState>();
  #tpdu = new Map<number, TpduLink>();
  #transports = new Set<CcidTransport>();
  #onDisconnect = (event: Event) => {
    if ((event as Event & { device?: unknown }).device === this.#device) {
      this.#markClosed(closedError('the reader was unplugged', new UsbAccessError('disconnected')));
    }
  };

  private constructor(
    device: UsbDeviceLike,
    info: {
      descriptor: CcidClassDescriptor;
      exchangeLevel: ExchangeLevel;
      interfaceNumber: number;
      epOut: number;
      epIn: number;
      epInterrupt: number | undefined;
      packetSize: number;
    },
    options: CcidReaderOptions,
  ) {
    this.#device = device;
    this.descriptor = info.descriptor;
    this.exchangeLevel = info.exchangeLevel;
    this.interfaceNumber = info.interfaceNumber;
    this.#epOut = info.epOut;
    this.#epIn = info.epIn;
    this.#epInterrupt = info.epInterrupt;
    this.#packetSize = info.packetSize;
    this.#events = options.events;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const product = [device.manufacturerName, device.productName].filter(Boolean).join(' ');
    this.name =
      product ||
      `USB reader ${device.vendorId.toString(16).padStart(4, '0')}:${device.productId.toString(16).padStart(4, '0')}`;
  }

  /**
   * Opens the device, selects its configuration, finds and claims the CCID interface.
   * Access problems become UsbAccessError (protectedClass, busy, accessDenied, disconnected).
   */
  static async open(device: UsbDeviceLike, options: CcidReaderOptions = {}): Promise<CcidReader> {
    try {
      if (!device.opened) await device.open();
    } catch (err) {
      throw classifyUsbError(err, 'open') ?? err;
    }
    try {
      if (device.configuration === undefined || device.configuration === null) {
        const first = device.configurations[0];
        if (first === undefined) throw new UsbAccessError('noDevice');
        await device.selectConfiguration(first.configurationValue);
      }
      const configuration = device.configuration;
      if (!configuration) throw new UsbAccessError('noDevice');
      const index = Math.max(
        0,
        device.configurations.findIndex(
          (c) => c.configurationValue === configuration.configurationValue,
        ),
      );
      const raw = await readConfigurationDescriptor(device, index);
      const candidates = findCcidInterfaces(raw).filter(
        (c) =>
          options.interfaceNumber === undefined || c.interfaceNumber === options.interfaceNumber,
      );
      const chosen = candidates[0];
      if (chosen === undefined) {
        throw new CcidError(
          'the device has no interface with a CCID class descriptor',
          'noCcidDescriptor',
        );
      }
      const iface = configuration.interfaces.find(
        (i) => i.interfaceNumber === chosen.interfaceNumber,
      );
      const alternate = iface?.alternates.find(
        (a) => a.alternateSetting === chosen.alternateSetting,
      );
      if (!iface || !alternate) throw new UsbAccessError('noDevice');
      const bulkOut = alternate.endpoints.find((e) => e.type === 'bulk' && e.direction === 'out');
      const bulkIn = alternate.endpoints.find((e) => e.type === 'bulk' && e.direction === 'in');
      const interrupt = alternate.endpoints.find(
        (e) => e.type === 'interrupt' && e.direction === 'in',
      );
      if (!bulkOut || !bulkIn) {
        throw new CcidError('the CCID interface lacks its bulk endpoints', 'noCcidDescriptor');
      }
      try {
        await device.claimInterface(chosen.interfaceNumber);
        if (chosen.alternateSetting !== 0) {
          await device.selectAlternateInterface(chosen.interfaceNumber, chosen.alternateSetting);
        }
      } catch (err) {
        throw classifyUsbError(err, 'claim') ?? err;
      }
      const known = findKnownReader(device.vendorId, device.productId);
      const exchangeLevel: ExchangeLevel = known?.forceTpdu
        ? 'tpdu'
        : chosen.descriptor.exchangeLevel;
      if (exchangeLevel === 'character') {
        throw new CcidError(
          'character-level CCID readers are not supported (the reader must offer TPDU or APDU level)',
          'unsupported',
        );
      }
      const reader = new CcidReader(
        device,
        {
          descriptor: chosen.descriptor,
          exchangeLevel,
          interfaceNumber: chosen.interfaceNumber,
          epOut: bulkOut.endpointNumber,
          epIn: bulkIn.endpointNumber,
          epInterrupt: interrupt?.endpointNumber,
          packetSize: bulkIn.packetSize || 64,
        },
        options,
      );
      reader.#start();
      return reader;
    } catch (err) {
      const mapped = err instanceof CcidError ? err : (classifyUsbError(err, 'transfer') ?? err);
      await device.close().catch(() => undefined);
      throw mapped;
    }
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  get slotCount(): number {
    return this.descriptor.slotCount;
  }

  #start(): void {
    this.#events?.addEventListener('disconnect', this.#onDisconnect);
    if (this.#epInterrupt !== undefined) void this.#pollInterrupt(this.#epInterrupt);
  }

  async #pollInterrupt(endpoint: number): Promise<void> {
    while (!this.closed) {
      let result: UsbInResult;
      try {
        result = await this.#device.transferIn(endpoint, 8 + Math.ceil(this.slotCount / 4));
      } catch (err) {
        if (!this.closed && classifyUsbError(err, 'transfer')?.kind === 'disconnected') {
          this.#markClosed(closedError('the reader was unplugged', err));
        }
        return;
      }
      if (result.status !== 'ok' || !result.data || result.data.byteLength === 0) continue;
      const bytes = new Uint8Array(
        result.data.buffer,
        result.data.byteOffset,
        result.data.byteLength,
      );
      let message;
      try {
        message = parseInterrupt(bytes);
      } catch {
        continue; // a reader's stray interrupt data must not end the link
      }
      if (message.type === 'slotChange') {
        message.slots.forEach((s, slot) => {
          if (slot >= this.slotCount) return;
          if (!s.present) this.#slotRemoved(slot);
          else if (this.#slots.get(slot) === 'absent') this.#slots.set(slot, 'inactive');
        });
      }
    }
  }

  #slotRemoved(slot: number): void {
    this.#slots.set(slot, 'absent');
    for (const t of this.#transports) if (t.slot === slot) t.cardRemoved();
  }

  #markClosed(error: TransportClosedError): void {
    if (this.#closed) return;
    this.#closed = error;
    this.#events?.removeEventListener('disconnect', this.#onDisconnect);
    for (const t of this.#transports) t.cardRemoved(error);
  }

  /** Runs `fn` alone on the bulk pipe (CCID allows one outstanding command per slot; keep one overall). */
  #serialise<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #transferOut(message: Uint8Array): Promise<void> {
    let result: UsbOutResult;
    try {
      result = await this.#device.transferOut(this.#epOut, message.slice());
    } catch (err) {
      throw this.#transferFailure(err);
    }
    if (result.status !== 'ok' || result.bytesWritten !== message.length) {
      throw new CcidError(
        `bulk-OUT transfer ${result.status}, ${result.bytesWritten} of ${message.length} bytes written`,
        'badMessage',
      );
    }
  }

  #transferFailure(err: unknown): Error {
    const mapped = classifyUsbError(err, 'transfer');
    if (mapped?.kind === 'disconnected') {
      const closed = closedError('the reader was unplugged', mapped);
      this.#markClosed(closed);
      return closed;
    }
    return mapped ?? (err instanceof Error ? err : new Error(String(err)));
  }

  async #readMessage(timeoutMs: number): Promise<Uint8Array> {
    const readSize =
      Math.ceil(
        Math.max(this.descriptor.maxCcidMessageLength, CCID_HEADER_LENGTH + 2) / this.#packetSize,
      ) * this.#packetSize;
    const chunks: Uint8Array[] = [];
    let have = 0;
    let need = CCID_HEADER_LENGTH;
    while (have < need) {
      let result: UsbInResult;
      try {
        result = await withTimeout(this.#device.transferIn(this.#epIn, readSize), timeoutMs);
      } catch (err) {
        if (err instanceof CcidError) throw err;
        throw this.#transferFailure(err);
      }
      if (result.status !== 'ok' || !result.data) {
        throw new CcidError(`bulk-IN transfer ${result.status}`, 'badMessage');
      }
      const part = new Uint8Array(
        result.data.buffer.slice(
          result.data.byteOffset,
          result.data.byteOffset + result.data.byteLength,
        ),
      );
      chunks.push(part);
      have += part.length;
      if (have >= CCID_HEADER_LENGTH && need === CCID_HEADER_LENGTH) {
        need = messageLength(concatChunks(chunks, have));
      }
    }
    const all = concatChunks(chunks, have);
    if (all.length !== need) {
      throw new CcidError(
        `reader sent ${all.length - need} bytes past the end of a CCID message`,
        'badMessage',
      );
    }
    return all;
  }

  /** Sends one bulk message and returns its answer (time extensions and stale answers skipped). */
  async #command(
    build: (seq: number) => Uint8Array,
    slot: number,
    timeoutMs = this.#timeoutMs,
  ): Promise<CcidResponse> {
    if (this.#closed) throw this.#closed;
    const seq = this.#seq;
    this.#seq = (this.#seq + 1) & 0xff;
    await this.#transferOut(build(seq));
    let stale = 0;
    for (;;) {
      const response = parseResponse(await this.#readMessage(timeoutMs));
      if (response.seq !== seq || response.slot !== slot) {
        if (++stale > MAX_STALE) {
          throw new CcidError(
            `reader keeps answering bSeq ${response.seq} slot ${response.slot}, expected ${seq} slot ${slot}`,
            'badMessage',
          );
        }
        continue;
      }
      // bmCommandStatus 2: the card asked for more time; the real answer follows (§6.2.6).
      if (response.commandStatus === CommandStatus.timeExtension) continue;
      if (response.iccStatus === IccStatus.absent) {
        this.#slotRemoved(slot);
        if (response.commandStatus === CommandStatus.failed) {
          throw closedError(`no card in slot ${slot}`);
        }
      }
      return checkResponse(response);
    }
  }

  /** PC_to_RDR_GetSlotStatus: whether a card is present and powered. */
  slotStatus(slot = 0): Promise<SlotState> {
    return this.#serialise(async () => {
      this.#checkSlot(slot);
      const r = await this.#command((seq) => getSlotStatus(slot, seq), slot).catch(
        (err: unknown) => {
          if (err instanceof TransportClosedError && !this.closed) return undefined;
          throw err;
        },
      );
      const state: SlotState =
        r === undefined || r.iccStatus === IccStatus.absent
          ? 'absent'
          : r.iccStatus === IccStatus.active
            ? 'active'
            : 'inactive';
      this.#slots.set(slot, state);
      return state;
    });
  }

  #checkSlot(slot: number): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.slotCount) {
      throw new RangeError(`slot ${slot} does not exist (reader has ${this.slotCount})`);
    }
  }

  /**
   * Powers on the card in `slot`, reads its ATR, settles the protocol on TPDU-level readers, and
   * returns a Transport for it. Throws TransportClosedError when the slot is empty.
   */
  async openSlot(slot = 0, options: SlotOptions = {}): Promise<CcidTransport> {
    this.#checkSlot(slot);
    const { atr, protocol } = await this.#serialise(async () => {
      const powered = await this.#command((seq) => iccPowerOn(slot, seq), slot);
      this.#slots.set(slot, 'active');
      let parsed: Atr | undefined;
      try {
        parsed = parseAtr(powered.data);
      } catch (err) {
        // APDU-level readers do the protocol work; an odd ATR only matters at TPDU level.
        if (this.exchangeLevel === 'tpdu' || !(err instanceof AtrError)) throw err;
      }
      let protocol: 0 | 1 | undefined;
      this.#tpdu.delete(slot);
      if (this.exchangeLevel === 'tpdu') {
        protocol = await this.#settleProtocol(slot, parsed!);
        this.#tpdu.set(slot, protocol === 0 ? { protocol } : this.#t1Link(slot, parsed!));
      }
      return { atr: parsed ?? powered.data, protocol };
    });
    const label = options.label ?? (this.slotCount > 1 ? `${this.name} slot ${slot}` : this.name);
    const transport = new CcidTransport(this, slot, label, atr, protocol, {
      exchange: (apdu, signal) => this.#serialise(() => this.#exchangeApdu(slot, apdu, signal)),
      powerOff: () =>
        this.#serialise(async () => {
          if (this.closed) return;
          await this.#command((seq) => iccPowerOff(slot, seq), slot).catch(() => undefined);
          this.#slots.set(slot, 'inactive');
        }),
      release: async (t) => {
        this.#transports.delete(t);
        if (options.closeReader && this.#closing === undefined) await this.close();
      },
    });
    this.#transports.add(transport);
    return transport;
  }

  /**
   * TPDU level: choose the protocol (§6.1.7). T=0 is preferred when the card offers it: a slot the
   * reader started in T=1 is switched with SetParameters. T=1 is used when the card does not
   * offer T=0, or when the reader runs T=1 and refuses to switch; SetParameters for T=1 is sent
   * unless the reader already runs T=1 and negotiates parameters on its own.
   */
  async #settleProtocol(slot: number, atr: Atr): Promise<0 | 1> {
    const current = await this.#command((seq) => getParameters(slot, seq), slot);
    const cardT0 = atr.protocols.includes(0);
    const cardT1 = atr.protocols.includes(1);
    if (current.specific === 0 && cardT0) return 0;
    if (cardT0) {
      let switched = false;
      try {
        const set = await this.#command(
          (seq) =>
            setParameters(slot, seq, {
              protocol: 0,
              findexDindex: atr.findexDindex,
              convention: atr.convention,
              guardTime: atr.extraGuardTime,
              waitingInteger: atr.waitingInteger,
              clockStop: 0,
            }),
          slot,
        );
        switched = set.specific === 0;
      } catch (err) {
        // A reader that rejects the switch answers with a failed command; anything else ends here.
        if (!(err instanceof CcidError && err.code === 'slotError')) throw err;
      }
      if (switched) return 0;
      if (!(cardT1 && current.specific === 1)) {
        throw new CcidError('the reader would not switch the slot to T=0', 'unsupported');
      }
      return 1; // the reader stays in T=1, which the card offers too
    }
    if (!cardT1) {
      throw new CcidError(
        `the card offers T=${atr.protocols.join(', T=')}, neither T=0 nor T=1`,
        'unsupported',
      );
    }
    if (!this.descriptor.protocols.t1) {
      throw new CcidError(
        'the card speaks only T=1, which this reader does not offer',
        'unsupported',
      );
    }
    if (current.specific === 1 && this.descriptor.automaticParameters) return 1;
    const set = await this.#command(
      (seq) =>
        setParameters(slot, seq, {
          protocol: 1,
          findexDindex: this.#t1FindexDindex(atr),
          checksum: atr.t1.checksum,
          convention: atr.convention,
          guardTime: atr.extraGuardTime,
          // bmWaitingIntegersT1: BWI in bits 7-4, CWI in bits 3-0 (TB of the first T=1 group).
          waitingIntegers: ((atr.t1.bwi & 0x0f) << 4) | (atr.t1.cwi & 0x0f),
          clockStop: 0,
          ifsc: validIfs(atr.t1.ifsc),
          nad: 0,
        }),
      slot,
    );
    if (set.specific !== 1) {
      throw new CcidError('the reader would not switch the slot to T=1', 'unsupported');
    }
    return 1;
  }

  /**
   * Fi/Di for T=1: the card only runs at TA1's rate after a PPS (ISO/IEC 7816-3 §9), which the
   * reader does on its own when it announces automatic PPS or parameter negotiation, or in
   * specific mode with explicit parameters (TA2 bit 5 = 0). Otherwise the default 0x11 stays.
   */
  #t1FindexDindex(atr: Atr): number {
    const features = this.descriptor.features;
    const autoPps =
      (features & (CcidFeature.automaticPps | CcidFeature.automaticParameterNegotiation)) !== 0;
    const explicit = atr.specificMode !== undefined && !atr.specificMode.implicitParameters;
    return autoPps || explicit ? atr.findexDindex : 0x11;
  }

  /** The T=1 engine of `slot`: one block per XfrBlock, WTX passed on as bBWI. */
  #t1Link(slot: number, atr: Atr): TpduLink {
    // A block is NAD PCB LEN + INF + up to 2 EDC bytes and must fit one CCID message.
    const room = this.descriptor.maxCcidMessageLength - CCID_HEADER_LENGTH - 5;
    const readerIfsd = this.descriptor.maxIfsd > 0 ? this.descriptor.maxIfsd : T1_MAX_INF;
    const limit = Math.max(1, Math.min(T1_MAX_INF, room));
    const signal: { current: AbortSignal | undefined } = { current: undefined };
    const engine = new T1Engine(
      async (block, wtx) => {
        if (signal.current?.aborted) throw abortReason(signal.current);
        try {
          const response = await this.#xfr(
            slot,
            block,
            LevelParameter.whole,
            Math.min(wtx, 0xff),
            this.#timeoutMs * Math.max(1, wtx),
          );
          return response.data;
        } catch (err) {
          throw t1ReceiveError(err);
        }
      },
      {
        ifsc: validIfs(atr.t1.ifsc),
        ifsd: Math.min(limit, readerIfsd),
        checksum: atr.t1.checksum,
        maxSendInf: limit,
      },
    );
    return { protocol: 1, engine, signal };
  }

  async #xfr(
    slot: number,
    data: Uint8Array,
    level: number,
    bwi = 0,
    timeoutMs = this.#timeoutMs,
  ): Promise<CcidResponse> {
    const max = this.descriptor.maxCcidMessageLength;
    if (max > 0 && CCID_HEADER_LENGTH + data.length > max) {
      throw new CcidError(
        `a ${data.length}-byte block exceeds the reader's dwMaxCCIDMessageLength ${max}`,
        'tooLong',
      );
    }
    return this.#command((seq) => xfrBlock(slot, seq, data, level, bwi), slot, timeoutMs);
  }

  async #exchangeApdu(slot: number, apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    if (signal?.aborted) throw abortReason(signal);
    if (this.#closed) throw this.#closed;
    if (this.#slots.get(slot) === 'absent')
      throw closedError(`the card was removed from slot ${slot}`);
    if (this.exchangeLevel === 'tpdu') {
      const link = this.#tpdu.get(slot);
      if (link?.protocol === 1) {
        link.signal.current = signal;
        try {
          return await link.engine.transmit(apdu);
        } finally {
          link.signal.current = undefined;
        }
      }
      return transmitT0(apdu, async (tpdu) => {
        if (signal?.aborted) throw abortReason(signal);
        return (await this.#xfr(slot, tpdu, LevelParameter.whole)).data;
      });
    }
    if (this.exchangeLevel === 'shortApdu') {
      return (await this.#xfr(slot, apdu, LevelParameter.whole)).data;
    }
    return this.#exchangeExtended(slot, apdu, signal);
  }

  /** Extended APDU level: command and response chained per §6.1.4 / §6.2.1. */
  async #exchangeExtended(
    slot: number,
    apdu: Uint8Array,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const room = Math.max(1, this.descriptor.maxCcidMessageLength - CCID_HEADER_LENGTH);
    let response: CcidResponse;
    if (apdu.length <= room) {
      response = await this.#xfr(slot, apdu, LevelParameter.whole);
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
        response = await this.#xfr(slot, part, level);
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
      response = await this.#xfr(slot, new Uint8Array(0), LevelParameter.getNext);
      parts.push(response.data);
    }
    return concatChunks(
      parts,
      parts.reduce((n, p) => n + p.length, 0),
    );
  }

  /** Powers off every open slot, releases the interface and closes the device. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#doClose();
    return this.#closing;
  }

  async #doClose(): Promise<void> {
    for (const t of [...this.#transports]) await t.close();
    this.#markClosed(closedError('the reader was closed'));
    await this.#queue;
    try {
      await this.#device.releaseInterface(this.interfaceNumber);
    } catch {
      // already released, or the device is gone
    }
    try {
      await this.#device.close();
    } catch {
      // already closed, or the device is gone
    }
  }
}

/** One powered slot of a CCID reader. */
export class CcidTransport implements Transport {
  readonly label: string;
  readonly maxStoreDataBlock: number;
  readonly slot: number;
  /** The parsed ATR, or the raw bytes when an APDU-level reader returned one this parser rejects. */
  readonly atr: Atr | Uint8Array;
  /** The protocol in use at TPDU level (0 or 1), undefined when the reader works at APDU level. */
  readonly protocol: 0 | 1 | undefined;
  readonly reader: CcidReader;
  #ops: SlotOps;
  #closed: TransportClosedError | undefined;

  /** @internal created by CcidReader.openSlot */
  constructor(
    reader: CcidReader,
    slot: number,
    label: string,
    atr: Atr | Uint8Array,
    protocol: 0 | 1 | undefined,
    ops: SlotOps,
  ) {
    this.reader = reader;
    this.slot = slot;
    this.label = label;
    this.atr = atr;
    this.protocol = protocol;
    this.#ops = ops;
    const room = reader.descriptor.maxCcidMessageLength - CCID_HEADER_LENGTH;
    // A STORE DATA block is 5 header bytes + data + Le; extended-level readers and T=1 chain,
    // the others must fit the whole command into one message.
    this.maxStoreDataBlock =
      reader.exchangeLevel === 'extendedApdu' || protocol === 1
        ? 255
        : Math.max(1, Math.min(255, room - 6));
  }

  /** @internal the reader saw the card go (or the reader itself). */
  cardRemoved(error?: TransportClosedError): void {
    this.#closed ??= error ?? closedError(`the card was removed from ${this.label}`);
  }

  async transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    if (this.#closed) throw this.#closed;
    return raceAbort(this.#ops.exchange(apdu, signal), signal);
  }

  async close(): Promise<void> {
    if (this.#closed?.message === 'closed') return;
    const wasLive = this.#closed === undefined;
    this.#closed = closedError('closed');
    if (wasLive) await this.#ops.powerOff();
    await this.#ops.release(this);
  }
}

/** IFSC from the ATR, or the default when TA for T=1 holds a reserved value (00, FF). */
function validIfs(ifs: number): number {
  return ifs >= 1 && ifs <= T1_MAX_INF ? ifs : T1_DEFAULT_IFS;
}

/**
 * A reader's failed XfrBlock as the T=1 engine sees it: no block within BWT (ICC_MUTE) or a
 * garbled one (parity error, overrun) start error recovery; everything else passes through.
 */
function t1ReceiveError(err: unknown): unknown {
  if (err instanceof CcidError && err.code === 'slotError') {
    if (err.error === CCID_ICC_MUTE) {
      return new T1Error('no T=1 block from the card (ICC_MUTE)', 'timeout', false, { cause: err });
    }
    if (err.error === CCID_XFR_PARITY_ERROR || err.error === CCID_XFR_OVERRUN) {
      return new T1Error(`garbled T=1 block (${err.errorName ?? ''})`, 'parity', false, {
        cause: err,
      });
    }
  }
  return err;
}

function concatChunks(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new CcidError(`the reader did not answer within ${ms} ms`, 'badMessage'));
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/** Reads the full configuration descriptor (GET_DESCRIPTOR, USB 2.0 §9.4.3) of configuration `index`. */
export async function readConfigurationDescriptor(
  device: Pick<UsbDeviceLike, 'controlTransferIn'>,
  index: number,
): Promise<Uint8Array> {
  const setup = (length: number) =>
    device.controlTransferIn(
      {
        requestType: 'standard',
        recipient: 'device',
        request: 0x06, // GET_DESCRIPTOR
        value: (0x02 << 8) | index, // descriptor type CONFIGURATION, index
        index: 0,
      },
      length,
    );
  const toBytes = (r: UsbInResult): Uint8Array => {
    if (r.status !== 'ok' || !r.data) {
      throw new CcidError(`GET_DESCRIPTOR failed (${r.status})`, 'noCcidDescriptor');
    }
    return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
  };
  const head = toBytes(await setup(9));
  const total = configurationTotalLength(head);
  return toBytes(await setup(total));
}

/** Opens `device`, claims its CCID interface and powers on `slot`; closing the transport closes the reader. */
export async function openCcidTransport(
  device: UsbDeviceLike,
  options: CcidReaderOptions & SlotOptions & { slot?: number } = {},
): Promise<CcidTransport> {
  const reader = await CcidReader.open(device, options);
  try {
    return await reader.openSlot(options.slot ?? 0, { ...options, closeReader: true });
  } catch (err) {
    await reader.close();
    throw err;
  }
}
