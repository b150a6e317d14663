/**
 * WebUSB glue for USB CCID readers: opens a `USBDevice`-like object that the caller passes in
 * (browser.ts gets one from navigator.usb; tests pass a fake), claims a CCID interface, powers
 * on a slot and carries APDUs at the reader's exchange level. The pieces:
 *   - reader-open.ts: the configuration descriptor, the reader's interfaces and which to use;
 *   - slot-protocol.ts: power-on (voltage classes), protocol and speed (PPS, SetParameters);
 *   - t1-link.ts: the T=1 block engine over XfrBlock;
 *   - apdu-exchange.ts: one APDU at short / extended APDU level or as T=0 / T=1 TPDUs.
 * This file holds the bulk pipe (one command at a time, bSeq, time extensions), slot state and
 * the Transport per slot. Card removal comes from RDR_to_PC_NotifySlotChange on the interrupt
 * pipe; unplugging from the USB 'disconnect' event or failed transfers. Both end the link with
 * TransportClosedError.
 */
import type { NativeLogicalChannels, Transport } from '../transport.ts';
import { TransportClosedError } from '../transport.ts';
import { abortReason, raceAbort } from '../../base/async.ts';
import type { UsbControlSetup, UsbDeviceLike, UsbInResult, UsbOutResult } from '../usb-types.ts';
import type { Atr } from './atr.ts';
import {
  CCID_HEADER_LENGTH,
  CommandStatus,
  IccStatus,
  PowerSelect,
  checkResponse,
  getSlotStatus,
  iccPowerOff,
  messageLength,
  parseInterrupt,
  parseResponse,
  xfrBlock,
  type CcidResponse,
} from './ccid-messages.ts';
import type { CcidClassDescriptor, ExchangeLevel } from './descriptors.ts';
import { CcidError, ReaderRefusedError, UsbAccessError, classifyUsbError } from './errors.ts';
import { findReaderQuirk, type ReaderQuirk } from './quirks.ts';
import type { CcidPipe } from './pipe.ts';
import {
  chooseInterface,
  interfaceNames,
  listReaderInterfaces,
  readConfigurationDescriptor,
  readerName,
  type ReaderInterface,
} from './reader-open.ts';
import { atrOf, powerOnSlot, readDataRates, settleSlot, type SlotSpeed } from './slot-protocol.ts';
import { createT1Link } from './t1-link.ts';
import {
  basicChannelLogicalChannels,
  basicChannelOnly,
  concatChunks,
  exchangeApdu,
  type TpduLink,
} from './apdu-exchange.ts';

export type {
  UsbAlternateLike,
  UsbConfigurationLike,
  UsbControlSetup,
  UsbDeviceLike,
  UsbEndpointLike,
  UsbInResult,
  UsbInterfaceLike,
  UsbOutResult,
} from '../usb-types.ts';
export { readConfigurationDescriptor } from './reader-open.ts';

export interface CcidReaderOptions {
  /** navigator.usb (or a fake): its 'disconnect' event for this device closes the reader. */
  events?: EventTarget;
  /** Use this interface number (default: the best one, contact first; see reader-open.ts). */
  interfaceNumber?: number;
  /** Give up on a single reader answer after this long (ms). Default 30 s; time extensions restart it. */
  timeoutMs?: number;
  /** TPDU level: negotiate the card's speed (default true; false keeps the default rate). */
  negotiateSpeed?: boolean;
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

export type SlotState = 'absent' | 'inactive' | 'active';

/** What a slot ran into at power-on (voltage class, protocol, speed), for the app and tests. */
export interface SlotSession {
  /** bPowerSelect that answered (0 automatic, 1 5 V, 2 3 V, 3 1.8 V) and those tried. */
  voltage: PowerSelect;
  voltagesTried: PowerSelect[];
  /** TPDU level only: the card's speed and how it was settled. */
  speed: SlotSpeed | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** Stale answers (bSeq of an earlier, abandoned exchange) skipped before giving up. */
const MAX_STALE = 8;

function closedError(reason: string, cause?: unknown): TransportClosedError {
  return new TransportClosedError(reason, cause === undefined ? undefined : { cause });
}

/** One opened CCID reader (one claimed interface); hands out a Transport per slot. */
export class CcidReader {
  readonly descriptor: CcidClassDescriptor;
  readonly exchangeLevel: ExchangeLevel;
  readonly interfaceNumber: number;
  /** Every CCID interface of the device, best default first (reader-open.ts). */
  readonly interfaces: readonly ReaderInterface[];
  readonly name: string;
  /** A firmware limit applied to this reader (quirks.ts). */
  readonly quirk: ReaderQuirk | undefined;
  /** dwMaxCCIDMessageLength, lowered by the quirk when there is one. */
  readonly maxMessageLength: number;
  #device: UsbDeviceLike;
  #epOut: number;
  #epIn: number;
  #epInterrupt: number | undefined;
  #packetSize: number;
  #events: EventTarget | undefined;
  #timeoutMs: number;
  #negotiateSpeed: boolean;
  #seq = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #closed: TransportClosedError | undefined;
  #closing: Promise<void> | undefined;
  #slots = new Map<number, SlotState>();
  #tpdu = new Map<number, TpduLink>();
  #transports = new Set<CcidTransport>();
  #slotListeners = new Set<(slot: number, state: SlotState) => void>();
  #dataRates: Promise<number[] | undefined> | undefined;
  #pipe: CcidPipe;
  #onDisconnect = (event: Event) => {
    if ((event as Event & { device?: unknown }).device === this.#device) {
      this.#markClosed(closedError('the reader was unplugged', new UsbAccessError('disconnected')));
    }
  };

  private constructor(
    device: UsbDeviceLike,
    info: {
      chosen: ReaderInterface;
      interfaces: readonly ReaderInterface[];
      epOut: number;
      epIn: number;
      epInterrupt: number | undefined;
      packetSize: number;
    },
    options: CcidReaderOptions,
  ) {
    this.#device = device;
    this.descriptor = info.chosen.descriptor;
    this.exchangeLevel = info.chosen.exchangeLevel;
    this.interfaceNumber = info.chosen.interfaceNumber;
    this.interfaces = info.interfaces;
    this.#epOut = info.epOut;
    this.#epIn = info.epIn;
    this.#epInterrupt = info.epInterrupt;
    this.#packetSize = info.packetSize;
    this.#events = options.events;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#negotiateSpeed = options.negotiateSpeed ?? true;
    this.name = readerName(device);
    this.quirk = findReaderQuirk(device.vendorId, device.productId);
    const limit = this.quirk?.maxMessageLength;
    this.maxMessageLength =
      limit !== undefined
        ? Math.min(limit, this.descriptor.maxCcidMessageLength)
        : this.descriptor.maxCcidMessageLength;
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias
    this.#pipe = {
      get name() {
        return self.name;
      },
      descriptor: this.descriptor,
      exchangeLevel: this.exchangeLevel,
      interfaceNumber: this.interfaceNumber,
      maxMessageLength: this.maxMessageLength,
      quirk: this.quirk,
      timeoutMs: this.#timeoutMs,
      command: (build, slot, timeoutMs) => this.#command(build, slot, timeoutMs),
      xfr: (slot, data, level, bwi, timeoutMs) => this.#xfr(slot, data, level, bwi, timeoutMs),
      controlIn: (setup: UsbControlSetup, length: number) =>
        this.#device.controlTransferIn(setup, length),
    };
  }

  /**
   * Opens the device, selects its configuration, lists its CCID interfaces and claims the chosen
   * one (options.interfaceNumber, or the best: contact first). Access problems become
   * UsbAccessError (protectedClass, busy, accessDenied, disconnected); an interface the driver
   * cannot use, ReaderRefusedError naming the reader and the reason.
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
      const interfaces = listReaderInterfaces(raw, device, interfaceNames(device));
      const chosen = chooseInterface(interfaces, readerName(device), options.interfaceNumber);
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
        throw new ReaderRefusedError(
          readerName(device),
          'noBulkEndpoints',
          `interface ${chosen.interfaceNumber} has no bulk IN/OUT endpoint pair`,
          'noCcidDescriptor',
        );
      }
      try {
        await device.claimInterface(chosen.interfaceNumber);
        if (chosen.alternateSetting !== 0) {
          await device.selectAlternateInterface(chosen.interfaceNumber, chosen.alternateSetting);
        }
      } catch (err) {
        throw classifyUsbError(err, 'claim') ?? err;
      }
      const reader = new CcidReader(
        device,
        {
          chosen,
          interfaces,
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

  /** The device this reader runs on. */
  get device(): UsbDeviceLike {
    return this.#device;
  }

  /** Called with (slot, state) whenever NotifySlotChange or GetSlotStatus changes a slot. */
  onSlotChange(listener: (slot: number, state: SlotState) => void): () => void {
    this.#slotListeners.add(listener);
    return () => this.#slotListeners.delete(listener);
  }

  #setSlot(slot: number, state: SlotState): void {
    const before = this.#slots.get(slot);
    this.#slots.set(slot, state);
    if (before !== state) for (const l of this.#slotListeners) l(slot, state);
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
        if (!this.closed && classifyUsbError(err, 'transfer')?.reason === 'disconnected') {
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
          else if (this.#slots.get(slot) !== 'active') this.#setSlot(slot, 'inactive');
        });
      }
    }
  }

  #slotRemoved(slot: number): void {
    this.#setSlot(slot, 'absent');
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
    if (mapped?.reason === 'disconnected') {
      const closed = closedError('the reader was unplugged', mapped);
      this.#markClosed(closed);
      return closed;
    }
    return mapped ?? (err instanceof Error ? err : new Error(String(err)));
  }

  async #readMessage(timeoutMs: number): Promise<Uint8Array> {
    const readSize =
      Math.ceil(Math.max(this.maxMessageLength, CCID_HEADER_LENGTH + 2) / this.#packetSize) *
      this.#packetSize;
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
        need = messageLength(concatChunks(chunks));
      }
    }
    const all = concatChunks(chunks);
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

  async #xfr(
    slot: number,
    data: Uint8Array,
    level: number,
    bwi = 0,
    timeoutMs = this.#timeoutMs,
  ): Promise<CcidResponse> {
    const max = this.maxMessageLength;
    if (max > 0 && CCID_HEADER_LENGTH + data.length > max) {
      if (this.quirk && CCID_HEADER_LENGTH + data.length <= this.descriptor.maxCcidMessageLength) {
        throw new ReaderRefusedError(
          this.name,
          'firmwareLimit',
          `a ${CCID_HEADER_LENGTH + data.length}-byte message exceeds what ${this.quirk.name} carries: ${this.quirk.reason} (${this.quirk.source})`,
          'tooLong',
        );
      }
      throw new CcidError(
        `a ${data.length}-byte block exceeds the reader's dwMaxCCIDMessageLength ${max}`,
        'tooLong',
      );
    }
    return this.#command((seq) => xfrBlock(slot, seq, data, level, bwi), slot, timeoutMs);
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
      this.#setSlot(slot, state);
      return state;
    });
  }

  /** GetSlotStatus of every slot, in slot order. */
  async slotStatuses(): Promise<{ slot: number; state: SlotState }[]> {
    const out: { slot: number; state: SlotState }[] = [];
    for (let slot = 0; slot < this.slotCount; slot++) {
      out.push({ slot, state: await this.slotStatus(slot) });
    }
    return out;
  }

  #checkSlot(slot: number): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.slotCount) {
      throw new RangeError(`slot ${slot} does not exist (reader has ${this.slotCount})`);
    }
  }

  /**
   * Powers on the card in `slot` (voltage classes when the reader needs them), reads its ATR,
   * settles protocol and speed on TPDU-level readers, and returns a Transport for it. Throws
   * TransportClosedError when the slot is empty.
   */
  async openSlot(slot = 0, options: SlotOptions = {}): Promise<CcidTransport> {
    this.#checkSlot(slot);
    const tpdu = this.exchangeLevel === 'tpdu';
    const { atr, protocol, session } = await this.#serialise(async () => {
      const powered = await powerOnSlot(this.#pipe, slot);
      this.#setSlot(slot, 'active');
      let parsed = atrOf(powered.atr, tpdu);
      let protocol: 0 | 1 | undefined;
      let speed: SlotSpeed | undefined;
      this.#tpdu.delete(slot);
      if (tpdu && parsed) {
        this.#dataRates ??= readDataRates(this.#pipe);
        const settled = await settleSlot(
          this.#pipe,
          slot,
          parsed,
          // An empty list of rates leaves only the default rate.
          this.#negotiateSpeed ? await this.#dataRates : [],
          async () => {
            await this.#command((seq) => iccPowerOff(slot, seq), slot).catch(() => undefined);
            const again = await powerOnSlot(this.#pipe, slot);
            return atrOf(again.atr, true)!;
          },
        );
        parsed = settled.atr;
        protocol = settled.protocol;
        speed = settled.speed;
        this.#tpdu.set(
          slot,
          protocol === 0 ? { protocol } : createT1Link(this.#pipe, slot, parsed),
        );
      }
      const session: SlotSession = {
        voltage: powered.voltage,
        voltagesTried: powered.tried,
        speed,
      };
      return { atr: parsed ?? powered.atr, protocol, session };
    });
    const label = options.label ?? (this.slotCount > 1 ? `${this.name} slot ${slot}` : this.name);
    const exchange = (apdu: Uint8Array, signal?: AbortSignal) =>
      this.#serialise(() => this.#exchangeApdu(slot, apdu, signal));
    const transport = new CcidTransport(this, slot, label, atr, protocol, session, {
      exchange,
      powerOff: () =>
        this.#serialise(async () => {
          if (this.closed) return;
          await this.#command((seq) => iccPowerOff(slot, seq), slot).catch(() => undefined);
          if (this.#slots.get(slot) === 'active') this.#setSlot(slot, 'inactive');
        }),
      release: async (t) => {
        this.#transports.delete(t);
        if (options.closeReader && this.#closing === undefined) await this.close();
      },
    });
    this.#transports.add(transport);
    return transport;
  }

  async #exchangeApdu(slot: number, apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    if (signal?.aborted) throw abortReason(signal);
    if (this.#closed) throw this.#closed;
    if (this.#slots.get(slot) === 'absent')
      throw closedError(`the card was removed from slot ${slot}`);
    return exchangeApdu(this.#pipe, slot, this.#tpdu.get(slot), apdu, signal);
  }

  /** Whether this reader's fixed-class GET RESPONSE keeps the card on the basic channel. */
  get basicChannelOnly(): boolean {
    return basicChannelOnly(this.#pipe);
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
  /** Voltage class, speed and how they were settled at power-on. */
  readonly session: SlotSession;
  readonly reader: CcidReader;
  /** Present when the reader keeps the card on the basic channel (apdu-exchange.ts). */
  readonly logicalChannels?: NativeLogicalChannels;
  #ops: SlotOps;
  #closed: TransportClosedError | undefined;

  /** @internal created by CcidReader.openSlot */
  constructor(
    reader: CcidReader,
    slot: number,
    label: string,
    atr: Atr | Uint8Array,
    protocol: 0 | 1 | undefined,
    session: SlotSession,
    ops: SlotOps,
  ) {
    this.reader = reader;
    this.slot = slot;
    this.label = label;
    this.atr = atr;
    this.protocol = protocol;
    this.session = session;
    this.#ops = ops;
    if (reader.basicChannelOnly) {
      this.logicalChannels = basicChannelLogicalChannels((apdu, signal) =>
        this.transmit(apdu, signal),
      );
    }
    const room = reader.maxMessageLength - CCID_HEADER_LENGTH;
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
