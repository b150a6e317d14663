/**
 * A fake USB CCID reader at the WebUSB transfer level, backed by a card function (the software
 * eUICC's transmit, or a tiny `(apdu) => response` in unit tests). It speaks the reader side of
 * the framing in src/transport/webusb-ccid/ccid-messages.ts so that CcidReader/CcidTransport run
 * unchanged against it, in Node tests directly and in Chromium through install-browser.ts.
 *
 * Variants: short / extended APDU level and TPDU level (with a T=0 card emulation, t0Card, or a
 * T=1 block card, t1Card, with cardProtocol: 1),
 * time extensions, card removal and unplug, and the access failures Chrome produces
 * (protected class, busy, access denied; docs/platform.md §1.1, §1.3).
 *
 * A reader can also be built from a full class descriptor (a real reader's, tests/fixtures/ccid)
 * with several interfaces, and then enforces that descriptor's limits: voltage classes without
 * automatic voltage selection (the card answers only at `cardVoltages`), the card's speed (a
 * PPS on XfrBlock, or by the reader on SetParameters with dwFeatures 0x80; an XfrBlock while
 * reader and card disagree on Fi/Di fails with ICC_MUTE), dwMaxDataRate and the data-rate list
 * (GET_DATA_RATES), dwMaxCCIDMessageLength, a firmware transfer limit (longer messages are
 * dropped, as such a reader hangs), and a fixed bClassGetResponse at APDU level (the reader
 * sends GET RESPONSE itself with that class). Transfer time at TPDU level is simulated from the
 * bytes and the bit rate in effect (`simulatedSeconds`), never slept.
 */
import {
  CcidMessageType,
  ChainParameter,
  LevelParameter,
  encodeNotifySlotChange,
  encodeResponse,
  parseCommand,
} from '../../../src/transport/webusb-ccid/ccid-messages.ts';
import {
  CcidFeature,
  encodeCcidClassDescriptor,
  encodeConfiguration,
  parseCcidClassDescriptor,
  type CcidClassDescriptor,
  type CcidDescriptorFields,
} from '../../../src/transport/webusb-ccid/descriptors.ts';
import { bitRate } from '../../../src/transport/webusb-ccid/slot-protocol.ts';
import type {
  UsbAlternateLike,
  UsbConfigurationLike,
  UsbControlSetup,
  UsbDeviceLike,
  UsbEndpointLike,
  UsbInResult,
  UsbInterfaceLike,
  UsbOutResult,
} from '../../../src/transport/webusb-ccid/ccid-transport.ts';
import { concat, toHex } from '../../../src/codec/index.ts';
import {
  T1Error,
  T1RError,
  T1SType,
  decodeT1Block,
  encodeBlock,
  type T1Block,
  type T1Checksum,
} from '../../../src/transport/webusb-ccid/tpdu-t1.ts';

export type CardFn = (apdu: Uint8Array) => Uint8Array | Promise<Uint8Array>;

export type FakeReaderLevel = 'character' | 'tpdu' | 'shortApdu' | 'extendedApdu';
export type FakeUsbMode = 'ok' | 'protectedClass' | 'busy' | 'accessDenied';

export interface FakeCcidOptions {
  level?: FakeReaderLevel;
  /** Slot `card` sits in (default 0). */
  cardSlot?: number;
  /** One card function per slot (undefined = empty slot). Default: one slot with `card`. */
  slots?: (CardFn | undefined)[];
  card?: CardFn;
  /** ATR answered to IccPowerOn (default: a T=0/T=1 eUICC-like ATR with a valid TCK). */
  atr?: Uint8Array;
  /** dwMaxCCIDMessageLength (default 271 = 10 + 261, the short-APDU minimum). */
  maxMessageLength?: number;
  /** Time-extension answers sent before each XfrBlock answer. */
  timeExtensions?: number;
  mode?: FakeUsbMode;
  interfaceClass?: number;
  /** Place the CCID class descriptor after the endpoints (some vendor-class readers). */
  ccidAfterEndpoints?: boolean;
  /** Protocol the slot runs after power-on (GetParameters), TPDU level. */
  initialProtocol?: 0 | 1;
  /** Announced dwProtocols (bit 0 T=0, bit 1 T=1). */
  protocols?: number;
  /**
   * Protocol the card function speaks at TPDU level (default 0: T=0 TPDUs, e.g. t0Card; 1: T=1
   * blocks, t1Card). An XfrBlock on a slot running the other protocol fails with bError F4.
   */
  cardProtocol?: 0 | 1;
  /** The reader refuses SetParameters for a protocol other than the one the slot runs. */
  lockProtocol?: boolean;
  /** Bulk-IN answers are cut into pieces of this many bytes, one per transferIn. */
  inChunkSize?: number;
  /** Extra feature bits (e.g. automatic PPS). */
  extraFeatures?: number;
  vendorId?: number;
  productId?: number;
  productName?: string;
  manufacturerName?: string;
  serialNumber?: string;
  /** The whole class descriptor (a real reader's); replaces level, protocols, maxMessageLength... */
  descriptor?: CcidDescriptorFields;
  /** Several interfaces (the first CCID one with bulk endpoints is where the cards sit). */
  interfaces?: FakeInterface[];
  /** dwMaxDataRate of the default descriptor (bps; default 10752, the rate at 4 MHz, F 372). */
  maxDataRate?: number;
  /** GET_DATA_RATES answer (bNumDataRatesSupported must match). */
  dataRates?: number[];
  /** Voltage classes the card answers at: bit 0 5 V, bit 1 3 V, bit 2 1.8 V (default all). */
  cardVoltages?: number;
  /** Fastest Fi/Di the card accepts in a PPS (default: TA1 of its ATR); false: refuses every PPS. */
  cardPps?: number | false;
  /** Largest bulk message the firmware carries (longer ones are dropped). */
  firmwareMaxTransfer?: number;
}

/** One interface of a multi-interface fake reader. */
export interface FakeInterface {
  interfaceNumber: number;
  interfaceClass: number;
  interfaceProtocol?: number;
  name?: string;
  /** Absent: an interface without a CCID descriptor. */
  descriptor?: CcidDescriptorFields;
  /** Default: bulk OUT, bulk IN, interrupt IN. */
  endpoints?: ('bulkOut' | 'bulkIn' | 'interruptIn')[];
  ccidAfterEndpoints?: boolean;
}

/**
 * A default ATR: 3B 9F 96 80 1F C7 80 31 E0 73 FE 21 1B 63 3A 20 4E 83 00 90 00 + TCK.
 * TS direct, TA1 0x96, TD1 T=0 -> TD2 T=15 global, TA3 0xC7, 15 historical bytes; TCK computed
 * below so the XOR of T0..TCK is 0 (ISO/IEC 7816-3 §8.2.5).
 */
export function defaultAtr(): Uint8Array {
  const body = Uint8Array.of(
    0x3b,
    0x9f,
    0x96,
    0x80,
    0x1f,
    0xc7,
    0x80,
    0x31,
    0xe0,
    0x73,
    0xfe,
    0x21,
    0x1b,
    0x63,
    0x3a,
    0x20,
    0x4e,
    0x83,
    0x00,
    0x90,
    0x00,
  );
  let x = 0;
  for (let i = 1; i < body.length; i++) x ^= body[i]!;
  return concat(body, Uint8Array.of(x));
}

/** ATR of a card that only offers T=1 (TD1 = T=1): 3B 80 81 01 + TCK (no historical bytes). */
export function t1OnlyAtr(): Uint8Array {
  // TD1 = 0x81 (TD2 follows, T=1), TD2 = 0x01 (T=1). TCK = 80 ^ 81 ^ 01 = 00.
  return Uint8Array.of(0x3b, 0x80, 0x81, 0x01, 0x00);
}

/**
 * Wraps an APDU-level card so it answers like a T=0 card at TPDU level (ISO/IEC 7816-3 §12.2):
 * case 3/4 data comes back as 61xx + GET RESPONSE, a case-2 P3 that does not match gives 6Cxx.
 */
export function t0Card(card: CardFn): CardFn {
  let pending: Uint8Array | undefined; // data + final SW waiting for GET RESPONSE
  const serve = (le: number): Uint8Array => {
    const rest = pending!;
    const data = rest.subarray(0, rest.length - 2);
    const want = le === 0 ? 256 : le;
    if (want > data.length) return Uint8Array.of(0x6c, data.length);
    const chunk = data.subarray(0, want);
    const left = data.length - want;
    if (left > 0) {
      pending = concat(data.subarray(want), rest.subarray(rest.length - 2));
      return concat(chunk, Uint8Array.of(0x61, left >= 256 ? 0 : left));
    }
    const sw = rest.subarray(rest.length - 2);
    pending = undefined;
    return concat(chunk, sw);
  };
  return async (tpdu) => {
    if (tpdu[1] === 0xc0 && tpdu.length === 5 && pending) return serve(tpdu[4]!);
    pending = undefined;
    if (tpdu.length > 5) {
      const r = await card(tpdu);
      if (r.length > 2 && r[r.length - 2] !== 0x61) {
        pending = r;
        const n = r.length - 2;
        return Uint8Array.of(0x61, n >= 256 ? 0 : n);
      }
      return r;
    }
    const r = await card(tpdu);
    if (r.length <= 2) return r;
    pending = r;
    const n = r.length - 2;
    const p3 = tpdu[4]!;
    if ((p3 === 0 ? 256 : p3) !== n && n < 256) {
      pending = undefined;
      return Uint8Array.of(0x6c, n);
    }
    return serve(p3);
  };
}

export interface T1CardOptions {
  /** The card's IFSC: I-blocks with a longer INF are refused (default 32, so chaining happens). */
  ifsc?: number;
  /** Epilogue (default LRC); must match the ATR's TC for T=1. */
  checksum?: T1Checksum;
  /** S(WTX request) blocks sent before each response (default 0). */
  wtx?: number;
  /** Multiplier asked for in S(WTX request) (default 2). */
  wtxValue?: number;
  /** Index (0-based, over every block the card sends) of one block sent with a broken EDC. */
  corruptBlock?: number;
  /** Index (0-based, over every block the card receives) of one block the card does not answer. */
  muteBlock?: number;
  /** The card never answers S(IFS request) (it stays silent). */
  ignoreIfs?: boolean;
}

export interface T1Card extends CardFn {
  readonly stats: {
    /** IFSD the reader side announced with S(IFS request) (32 until then). */
    ifsd: number;
    /** S(RESYNCH request) blocks answered. */
    resynchs: number;
    /** Blocks the card sent again because the other side asked for them. */
    retransmits: number;
    /** S(WTX response) blocks received, with their multiplier. */
    wtxResponses: number[];
  };
}

/**
 * Wraps an APDU-level card so it answers like a T=1 card at TPDU level (ISO/IEC 7816-3 §11):
 * one block in, one block out, command and response chained by IFSC / IFSD, S(IFS), S(RESYNCH)
 * and S(WTX) answered, invalid blocks answered with R-blocks, and optional faults (a corrupt
 * EDC once, one missing answer, WTX requests) to drive the host's error recovery.
 */
export function t1Card(card: CardFn, options: T1CardOptions = {}): T1Card {
  const ifsc = options.ifsc ?? 32;
  const checksum = options.checksum ?? 'lrc';
  const stats: T1Card['stats'] = { ifsd: 32, resynchs: 0, retransmits: 0, wtxResponses: [] };
  let ns: 0 | 1 = 0; // N(S) of the card's next I-block
  let nr: 0 | 1 = 0; // N(S) expected on the reader's next I-block
  let rx: Uint8Array[] = [];
  let tx: Uint8Array | undefined; // response bytes not sent yet
  let awaitingAck = false; // the card's last I-block had M set
  let wtxLeft = 0;
  let last: Uint8Array | undefined;
  let lastBlock: T1Block | undefined;
  let sent = 0;
  let received = 0;
  const emit = (block: T1Block): Uint8Array => {
    const bytes = encodeBlock(block, checksum);
    last = bytes;
    lastBlock = block;
    return corrupt(bytes);
  };
  const corrupt = (bytes: Uint8Array): Uint8Array => {
    if (sent++ !== options.corruptBlock) return bytes;
    const broken = bytes.slice();
    broken[broken.length - 1]! ^= 0x5a;
    return broken;
  };
  const r = (error: T1RError): Uint8Array => emit({ kind: 'R', nad: 0, nr, error });
  const s = (type: T1SType, inf: Uint8Array, response = true): Uint8Array =>
    emit({ kind: 'S', nad: 0, response, type, inf });
  const resend = (): Uint8Array => {
    stats.retransmits++;
    return last ? corrupt(last) : r(T1RError.other);
  };
  const nextI = (): Uint8Array => {
    if (wtxLeft > 0) {
      wtxLeft--;
      return s(T1SType.wtx, Uint8Array.of(options.wtxValue ?? 2), false);
    }
    const rest = tx ?? new Uint8Array(0);
    const inf = rest.subarray(0, stats.ifsd);
    tx = rest.length > stats.ifsd ? rest.slice(stats.ifsd) : undefined;
    awaitingAck = tx !== undefined;
    const block = emit({ kind: 'I', nad: 0, ns, more: awaitingAck, inf });
    ns ^= 1;
    return block;
  };
  const fn = async (bytes: Uint8Array): Promise<Uint8Array> => {
    if (received++ === options.muteBlock) throw new Error('the card stays silent');
    let block: T1Block;
    try {
      block = decodeT1Block(bytes, checksum);
    } catch (err) {
      return r(err instanceof T1Error && err.reason === 'edc' ? T1RError.edc : T1RError.other);
    }
    if (block.kind === 'I') {
      if (block.ns !== nr) return resend();
      if (block.inf.length > ifsc) return r(T1RError.other);
      nr ^= 1;
      rx.push(block.inf);
      if (block.more) return r(T1RError.none);
      const apdu = concat(...rx);
      rx = [];
      tx = await card(apdu);
      wtxLeft = options.wtx ?? 0;
      return nextI();
    }
    if (block.kind === 'R') {
      if (awaitingAck && block.nr === ns) return nextI();
      // The reader asks for the card's last I-block, or missed its S(WTX request): send it again.
      if (lastBlock?.kind === 'I' && lastBlock.ns === block.nr) return resend();
      if (lastBlock?.kind === 'S' && !lastBlock.response) return resend();
      // Otherwise the card is still waiting for the reader's I-block: ask for it (N(R) = nr).
      return r(T1RError.other);
    }
    if (!block.response) {
      if (block.type === T1SType.ifs) {
        if (options.ignoreIfs) throw new Error('the card ignores S(IFS request)');
        stats.ifsd = block.inf[0]!;
        return s(T1SType.ifs, block.inf);
      }
      if (block.type === T1SType.resynch) {
        stats.resynchs++;
        ns = 0;
        nr = 0;
        rx = [];
        tx = undefined;
        awaitingAck = false;
        wtxLeft = 0;
        stats.ifsd = 32;
        return s(T1SType.resynch, new Uint8Array(0));
      }
      if (block.type === T1SType.abort) return s(T1SType.abort, new Uint8Array(0));
    }
    if (block.response && block.type === T1SType.wtx) {
      stats.wtxResponses.push(block.inf[0]!);
      return nextI();
    }
    return r(T1RError.other);
  };
  return Object.assign(fn, { stats });
}

interface Waiter {
  resolve: (r: UsbInResult) => void;
  reject: (e: unknown) => void;
  length: number;
}

/** Endpoint numbers of the first interface; interface k (in `interfaces` order) adds 3k. */
const EP_OUT = 1;
const EP_IN = 2;
const EP_INTERRUPT = 3;

/** A fake navigator.usb: an EventTarget with getDevices/requestDevice. */
export class FakeUsb extends EventTarget {
  readonly devices: FakeCcidDevice[] = [];
  /** Filters of the last requestDevice call. */
  lastFilters: USBDeviceFilter[] | undefined;
  /** How many times the chooser (requestDevice) was shown. */
  requests = 0;
  getDevices(): Promise<FakeCcidDevice[]> {
    return Promise.resolve(this.devices.filter((d) => !d.unplugged));
  }
  requestDevice(options?: USBDeviceRequestOptions): Promise<FakeCcidDevice> {
    this.lastFilters = options?.filters;
    this.requests++;
    const d = this.devices.find((x) => !x.unplugged);
    if (!d) return Promise.reject(new DOMException('No device selected.', 'NotFoundError'));
    return Promise.resolve(d);
  }
}

export class FakeCcidDevice implements UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly productName: string | null;
  readonly manufacturerName: string | null;
  opened = false;
  configuration: UsbConfigurationLike | null = null;
  readonly configurations: UsbConfigurationLike[];
  /** 'OUT <hex>' / 'IN <hex>' of every bulk message, in order. */
  readonly log: string[] = [];
  /** TPDUs / APDUs the card saw, hex. */
  readonly cardLog: string[] = [];
  unplugged = false;
  /** Bumped by unplug(): answers computed for an earlier plug-in are dropped, as on a real bus. */
  #generation = 0;
  readonly serialNumber: string | null;
  readonly options: Required<
    Pick<FakeCcidOptions, 'level' | 'maxMessageLength' | 'timeExtensions' | 'mode'>
  > &
    FakeCcidOptions;
  /** The class descriptor of the card interface. */
  readonly descriptor: CcidClassDescriptor;
  /** bPowerSelect of every IccPowerOn, in order. */
  readonly powerOns: number[] = [];
  /** PPS requests the card received (hex) and SetParameters' bmFindexDindex, in order. */
  readonly ppsLog: string[] = [];
  readonly setParametersLog: number[] = [];
  /** Transfer time at TPDU level, from the bytes and the bit rate in effect. */
  simulatedSeconds = 0;
  #cardFiDi: number[];
  #readerFiDi: number[];
  #endpointBase = 0;
  #cardInterface = 0;
  #events: EventTarget | undefined;
  #claimed = new Set<number>();
  #cards: (CardFn | undefined)[];
  #powered: boolean[];
  #protocol: (0 | 1)[];
  /** abProtocolDataStructure of the last SetParameters per slot (cleared at power-on). */
  #parameters: (Uint8Array | undefined)[];
  #inQueue: Uint8Array[] = [];
  #inWaiters: Waiter[] = [];
  #intQueue: Uint8Array[] = [];
  #intWaiters: Waiter[] = [];
  #chainIn: Uint8Array[] = [];
  #chainOut: Uint8Array | undefined;
  #configDescriptor: Uint8Array;

  constructor(options: FakeCcidOptions = {}, events?: EventTarget) {
    this.options = {
      level: 'shortApdu',
      maxMessageLength: 271,
      timeExtensions: 0,
      mode: 'ok',
      ...options,
    };
    this.#events = events;
    this.vendorId = options.vendorId ?? 0x072f;
    this.productId = options.productId ?? 0x90cc;
    this.productName = options.productName ?? 'Fake CCID Reader';
    this.manufacturerName = options.manufacturerName ?? 'WebLPA';
    this.serialNumber = options.serialNumber ?? null;
    const levelBit = {
      character: 0,
      tpdu: CcidFeature.tpduLevel,
      shortApdu: CcidFeature.shortApduLevel,
      extendedApdu: CcidFeature.extendedApduLevel,
    }[this.options.level];
    const defaultSlots = options.slots ?? [options.card];
    const fields: CcidDescriptorFields = options.descriptor ?? {
      maxSlotIndex: defaultSlots.length - 1,
      protocols: options.protocols ?? 0x03,
      features:
        levelBit |
        CcidFeature.automaticActivation |
        CcidFeature.automaticVoltage |
        CcidFeature.automaticClock |
        (options.extraFeatures ?? 0),
      maxCcidMessageLength: this.options.maxMessageLength,
      ...(options.maxDataRate !== undefined ? { maxDataRate: options.maxDataRate } : {}),
    };
    const interfaces: FakeInterface[] = options.interfaces ?? [
      {
        interfaceNumber: 0,
        interfaceClass: options.interfaceClass ?? 0x0b,
        descriptor: fields,
        ccidAfterEndpoints: options.ccidAfterEndpoints ?? false,
      },
    ];
    const cardIndex = Math.max(
      0,
      interfaces.findIndex(
        (i) =>
          i.descriptor !== undefined &&
          (i.endpoints ?? ['bulkOut', 'bulkIn', 'interruptIn']).includes('bulkIn'),
      ),
    );
    const cardIface = interfaces[cardIndex]!;
    this.#cardInterface = cardIface.interfaceNumber;
    this.#endpointBase = 3 * cardIndex;
    const cardFields = cardIface.descriptor ?? fields;
    const encoded = encodeCcidClassDescriptor(cardFields);
    this.descriptor = parseCcidClassDescriptor(encoded);
    const level = this.descriptor.exchangeLevel;
    this.options.level = level;
    this.options.maxMessageLength = this.descriptor.maxCcidMessageLength;
    this.options.protocols = cardFields.protocols ?? 0x03;
    this.#cards =
      options.slots ??
      Array.from({ length: this.descriptor.slotCount }, (_, i) =>
        i === (options.cardSlot ?? 0) ? options.card : undefined,
      );
    this.#powered = this.#cards.map(() => false);
    this.#protocol = this.#cards.map(() => options.initialProtocol ?? 0);
    this.#parameters = this.#cards.map(() => undefined);
    this.#cardFiDi = this.#cards.map(() => 0x11);
    this.#readerFiDi = this.#cards.map(() => 0x11);
    this.#configDescriptor = encodeConfiguration(
      interfaces.map((i, k) => ({
        interfaceNumber: i.interfaceNumber,
        interfaceClass: i.interfaceClass,
        interfaceProtocol: i.interfaceProtocol ?? 0,
        ...(i.descriptor ? { ccid: encodeCcidClassDescriptor(i.descriptor) } : {}),
        ccidAfterEndpoints: i.ccidAfterEndpoints ?? false,
        endpoints: i.endpoints ?? ['bulkOut', 'bulkIn', 'interruptIn'],
        firstEndpoint: 1 + 3 * k,
      })),
    );
    this.configurations = [
      {
        configurationValue: 1,
        interfaces: interfaces.map((i, k) => {
          let n = 1 + 3 * k;
          const endpoints: UsbEndpointLike[] = (
            i.endpoints ?? ['bulkOut', 'bulkIn', 'interruptIn']
          ).map((e) => {
            const endpointNumber = n++;
            if (e === 'bulkOut')
              return { endpointNumber, direction: 'out', type: 'bulk', packetSize: 64 };
            if (e === 'bulkIn')
              return { endpointNumber, direction: 'in', type: 'bulk', packetSize: 64 };
            return { endpointNumber, direction: 'in', type: 'interrupt', packetSize: 8 };
          });
          const alternate: UsbAlternateLike & {
            interfaceSubclass: number;
            interfaceProtocol: number;
          } = {
            alternateSetting: 0,
            interfaceClass: i.interfaceClass,
            interfaceSubclass: 0,
            interfaceProtocol: i.interfaceProtocol ?? 0,
            interfaceName: i.name ?? null,
            endpoints,
          };
          const iface: UsbInterfaceLike & { alternate: UsbAlternateLike; claimed: boolean } = {
            interfaceNumber: i.interfaceNumber,
            alternate,
            alternates: [alternate],
            claimed: false,
          };
          return iface;
        }),
      },
    ];
  }

  /** The interface the cards sit behind. */
  get cardInterface(): number {
    return this.#cardInterface;
  }

  /** Fi/Di the card and the reader run `slot` at. */
  speedOf(slot = 0): { card: number; reader: number } {
    return { card: this.#cardFiDi[slot]!, reader: this.#readerFiDi[slot]! };
  }

  // ---- test controls ----

  /** Takes the card out of `slot`: NotifySlotChange on the interrupt pipe. */
  removeCard(slot = 0): void {
    this.#cards[slot] = undefined;
    this.#powered[slot] = false;
    this.#notify(slot);
  }

  insertCard(card: CardFn, slot = 0): void {
    this.#cards[slot] = card;
    this.#notify(slot);
  }

  /** Unplugs the reader: 'disconnect' on the USB object, every transfer fails with NotFoundError. */
  unplug(): void {
    this.unplugged = true;
    this.#generation++;
    this.opened = false;
    const gone = () => new DOMException('The device was disconnected.', 'NotFoundError');
    for (const w of [...this.#inWaiters, ...this.#intWaiters]) w.reject(gone());
    this.#inWaiters = [];
    this.#intWaiters = [];
    if (this.#events) {
      const event = new Event('disconnect') as Event & { device?: unknown };
      event.device = this;
      this.#events.dispatchEvent(event);
    }
  }

  /**
   * Plugs the reader back in: a fresh device state (closed, unconfigured, nothing claimed, slots
   * powered off, nothing queued) and 'connect' on the USB object, as after a real re-plug.
   */
  replug(): void {
    this.unplugged = false;
    this.opened = false;
    this.configuration = null;
    this.#claimed.clear();
    this.#powered = this.#powered.map(() => false);
    this.#inQueue = [];
    this.#intQueue = [];
    this.#chainIn = [];
    this.#chainOut = undefined;
    if (this.#events) {
      const event = new Event('connect') as Event & { device?: unknown };
      event.device = this;
      this.#events.dispatchEvent(event);
    }
  }

  #notify(changedSlot: number): void {
    const msg = encodeNotifySlotChange(
      this.#cards.map((c, i) => ({ present: c !== undefined, changed: i === changedSlot })),
    );
    this.#push(this.#intQueue, this.#intWaiters, msg);
  }

  // ---- USBDevice ----

  #alive(): void {
    if (this.unplugged) throw new DOMException('The device was disconnected.', 'NotFoundError');
  }

  open(): Promise<void> {
    this.#alive();
    if (this.options.mode === 'accessDenied') {
      return Promise.reject(new DOMException('Access denied.', 'SecurityError'));
    }
    this.opened = true;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.opened = false;
    return Promise.resolve();
  }

  selectConfiguration(value: number): Promise<void> {
    this.#alive();
    this.configuration = this.configurations.find((c) => c.configurationValue === value) ?? null;
    return Promise.resolve();
  }

  claimInterface(n: number): Promise<void> {
    this.#alive();
    if (!this.opened) return Promise.reject(new DOMException('not opened', 'InvalidStateError'));
    if (this.options.mode === 'protectedClass' && (this.options.interfaceClass ?? 0x0b) === 0x0b) {
      return Promise.reject(
        new DOMException('The requested interface implements a protected class.', 'SecurityError'),
      );
    }
    if (this.options.mode === 'busy') {
      return Promise.reject(new DOMException('Unable to claim interface.', 'NetworkError'));
    }
    this.#claimed.add(n);
    return Promise.resolve();
  }

  releaseInterface(n: number): Promise<void> {
    this.#claimed.delete(n);
    return Promise.resolve();
  }

  selectAlternateInterface(): Promise<void> {
    return Promise.resolve();
  }

  controlTransferIn(setup: UsbControlSetup, length: number): Promise<UsbInResult> {
    this.#alive();
    if (setup.request === 0x06 && setup.value >> 8 === 0x02) {
      const bytes = this.#configDescriptor.slice(0, length);
      return Promise.resolve({ status: 'ok', data: new DataView(bytes.buffer) });
    }
    // GET_DATA_RATES (CCID §5.3.3), on the card interface.
    if (setup.requestType === 'class' && setup.request === 0x03 && this.options.dataRates) {
      const bytes = new Uint8Array(4 * this.options.dataRates.length);
      const v = new DataView(bytes.buffer);
      this.options.dataRates.forEach((r, i) => {
        v.setUint32(4 * i, r, true);
      });
      return Promise.resolve({
        status: 'ok',
        data: new DataView(bytes.buffer, 0, Math.min(length, bytes.length)),
      });
    }
    return Promise.resolve({ status: 'stall' });
  }

  transferOut(endpoint: number, data: Uint8Array): Promise<UsbOutResult> {
    this.#alive();
    if (endpoint !== EP_OUT + this.#endpointBase || !this.#claimed.has(this.#cardInterface)) {
      return Promise.reject(new DOMException('interface not claimed', 'InvalidStateError'));
    }
    const bytes = data.slice();
    this.log.push(`OUT ${toHex(bytes)}`);
    const firmware = this.options.firmwareMaxTransfer;
    if (firmware !== undefined && bytes.length > firmware) {
      // The firmware loses a longer transfer: no answer ever comes.
      return Promise.resolve({ status: 'ok', bytesWritten: bytes.length });
    }
    void this.#handle(bytes);
    return Promise.resolve({ status: 'ok', bytesWritten: bytes.length });
  }

  transferIn(endpoint: number, length: number): Promise<UsbInResult> {
    this.#alive();
    if (endpoint === EP_INTERRUPT + this.#endpointBase) {
      return this.#pull(this.#intQueue, this.#intWaiters, length);
    }
    if (endpoint % 3 === EP_INTERRUPT % 3 && endpoint !== EP_INTERRUPT + this.#endpointBase) {
      // The interrupt pipe of an interface without cards: nothing ever arrives.
      return new Promise(() => undefined);
    }
    if (endpoint !== EP_IN + this.#endpointBase)
      return Promise.reject(new DOMException('bad endpoint', 'NotFoundError'));
    return this.#pull(this.#inQueue, this.#inWaiters, length);
  }

  #pull(queue: Uint8Array[], waiters: Waiter[], length: number): Promise<UsbInResult> {
    const next = queue.shift();
    if (next) return Promise.resolve(this.#cut(queue, next, length));
    return new Promise((resolve, reject) => waiters.push({ resolve, reject, length }));
  }

  #cut(queue: Uint8Array[], bytes: Uint8Array, length: number): UsbInResult {
    const max = Math.min(length, this.options.inChunkSize ?? length);
    if (bytes.length > max) {
      queue.unshift(bytes.slice(max));
      bytes = bytes.slice(0, max);
    }
    return { status: 'ok', data: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  #push(queue: Uint8Array[], waiters: Waiter[], bytes: Uint8Array): void {
    const w = waiters.shift();
    if (w) w.resolve(this.#cut(queue, bytes, w.length));
    else queue.push(bytes);
  }

  #answer(bytes: Uint8Array): void {
    this.log.push(`IN ${toHex(bytes)}`);
    const firmware = this.options.firmwareMaxTransfer;
    if (firmware !== undefined && bytes.length > firmware) return; // lost, as the firmware does
    this.#push(this.#inQueue, this.#inWaiters, bytes);
  }

  #iccStatus(slot: number): number {
    if (this.#cards[slot] === undefined) return 2;
    return this.#powered[slot] ? 0 : 1;
  }

  async #handle(bytes: Uint8Array): Promise<void> {
    const cmd = parseCommand(bytes);
    const { slot, seq } = cmd;
    const T = CcidMessageType;
    const fail = (type: number, error: number) => {
      this.#answer(encodeResponse(type, slot, seq, 0x40 | this.#iccStatus(slot), error, 0));
    };
    if (slot >= this.#cards.length) {
      fail(T.RDR_to_PC_SlotStatus, 5); // bSlot (offset 5) does not exist, §6.2.6
      return;
    }
    switch (cmd.type) {
      case T.PC_to_RDR_IccPowerOn: {
        if (this.#cards[slot] === undefined) {
          fail(T.RDR_to_PC_DataBlock, 0xfe); // ICC_MUTE
          return;
        }
        const select = cmd.specific[0];
        this.powerOns.push(select);
        const d = this.descriptor;
        const autoVoltage = (d.features & CcidFeature.automaticVoltage) !== 0;
        // bPowerSelect 1/2/3 = 5 V/3 V/1.8 V = bVoltageSupport bits 0/1/2; 0 without automatic
        // selection: this reader powers at 5 V.
        const bit = select === 0 ? (autoVoltage ? -1 : 0x01) : 1 << (select - 1);
        if (select > 3 || (bit > 0 && d.voltageSupport !== 0 && (d.voltageSupport & bit) === 0)) {
          fail(T.RDR_to_PC_DataBlock, 7); // bPowerSelect (offset 7) not supported
          return;
        }
        if (bit > 0 && ((this.options.cardVoltages ?? 0x07) & bit) === 0) {
          this.#powered[slot] = false;
          fail(T.RDR_to_PC_DataBlock, 0xfe); // the card stays mute at this voltage
          return;
        }
        this.#cardFiDi[slot] = 0x11;
        this.#readerFiDi[slot] = 0x11;
        this.#powered[slot] = true;
        this.#protocol[slot] = this.options.initialProtocol ?? 0;
        this.#parameters[slot] = undefined;
        const atr = this.options.atr ?? defaultAtr();
        this.#answer(encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0, 0, 0, atr));
        return;
      }
      case T.PC_to_RDR_IccPowerOff:
        this.#powered[slot] = false;
        this.#answer(
          encodeResponse(T.RDR_to_PC_SlotStatus, slot, seq, this.#iccStatus(slot), 0, 0),
        );
        return;
      case T.PC_to_RDR_GetSlotStatus:
        this.#answer(
          encodeResponse(T.RDR_to_PC_SlotStatus, slot, seq, this.#iccStatus(slot), 0, 0),
        );
        return;
      case T.PC_to_RDR_GetParameters:
      case T.PC_to_RDR_SetParameters: {
        if (cmd.type === T.PC_to_RDR_SetParameters) {
          const p = cmd.specific[0];
          if (
            (p !== 0 && p !== 1) ||
            ((this.options.protocols ?? 3) & (1 << p)) === 0 ||
            (this.options.lockProtocol === true && p !== this.#protocol[slot])
          ) {
            fail(T.RDR_to_PC_Parameters, 7); // bProtocolNum (offset 7) not supported
            return;
          }
          const fd = cmd.data[0] ?? 0x11;
          const rate = bitRate(fd, this.descriptor.defaultClock);
          // The list only binds when the descriptor announces it (bNumDataRatesSupported > 0).
          const rates =
            this.descriptor.numDataRatesSupported > 0 ? this.options.dataRates : undefined;
          if (
            fd !== 0x11 && // the default rate is always possible
            (rate === undefined ||
              rate > this.descriptor.maxDataRate + 2 ||
              (rates !== undefined && !rates.some((r) => Math.abs(r - rate) <= 2)))
          ) {
            fail(T.RDR_to_PC_Parameters, 10); // bmFindexDindex (offset 10) not supported
            return;
          }
          const f = this.descriptor.features;
          if (
            (f & (CcidFeature.automaticPps | CcidFeature.automaticParameterNegotiation)) !== 0 &&
            fd !== this.#cardFiDi[slot]
          ) {
            // The reader sends the PPS itself.
            this.ppsLog.push(`reader ${fd.toString(16)}`);
            if (!this.#cardTakes(fd)) {
              fail(T.RDR_to_PC_Parameters, 0xf6); // ICC_PROTOCOL_NOT_SUPPORTED
              return;
            }
            this.#cardFiDi[slot] = fd;
          }
          this.setParametersLog.push(fd);
          this.#readerFiDi[slot] = fd;
          this.#protocol[slot] = p;
          this.#parameters[slot] = cmd.data;
        }
        const proto = this.#protocol[slot]!;
        const data =
          this.#parameters[slot] ??
          (proto === 0
            ? Uint8Array.of(0x96, 0, 0, 10, 0)
            : Uint8Array.of(0x96, 0x10, 0, 0x45, 0, 0xfe, 0));
        this.#answer(
          encodeResponse(T.RDR_to_PC_Parameters, slot, seq, this.#iccStatus(slot), 0, proto, data),
        );
        return;
      }
      case T.PC_to_RDR_XfrBlock:
        await this.#xfr(slot, seq, cmd.data, cmd.specific[1] | (cmd.specific[2] << 8));
        return;
      default:
        fail(T.RDR_to_PC_SlotStatus, 0); // command not supported
    }
  }

  async #xfr(slot: number, seq: number, data: Uint8Array, level: number): Promise<void> {
    const T = CcidMessageType;
    const card = this.#cards[slot];
    if (card === undefined || !this.#powered[slot]) {
      this.#answer(
        encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0x40 | this.#iccStatus(slot), 0xfe, 0),
      );
      return;
    }
    if (this.options.level === 'character') {
      this.#answer(encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0x40, 0, 0));
      return;
    }
    const room = this.options.maxMessageLength - 10;
    if (this.options.level === 'extendedApdu') {
      if (level === LevelParameter.getNext) {
        const rest = this.#chainOut ?? new Uint8Array(0);
        const part = rest.subarray(0, room);
        this.#chainOut = rest.length > room ? rest.slice(room) : undefined;
        const chain = this.#chainOut ? ChainParameter.continues : ChainParameter.ends;
        this.#answer(encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0, 0, chain, part));
        return;
      }
      if (level === LevelParameter.begins || level === LevelParameter.continues) {
        this.#chainIn.push(data);
        this.#answer(
          encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0, 0, ChainParameter.needMore),
        );
        return;
      }
      if (level === LevelParameter.ends) {
        this.#chainIn.push(data);
        data = concat(...this.#chainIn);
        this.#chainIn = [];
      }
    }
    for (let i = 0; i < this.options.timeExtensions; i++) {
      this.#answer(encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0x80, 0x01, 0));
    }
    if (this.options.level === 'tpdu' && data[0] === 0xff && data.length >= 3 && data.length <= 6) {
      this.#pps(slot, seq, data);
      return;
    }
    if (this.options.level === 'tpdu' && this.#cardFiDi[slot] !== this.#readerFiDi[slot]) {
      // Reader and card run at different rates: the reader hears noise, or nothing.
      this.#answer(encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0x40, 0xfe, 0));
      return;
    }
    if (
      this.options.level === 'tpdu' &&
      this.#protocol[slot] !== (this.options.cardProtocol ?? 0)
    ) {
      // A TPDU of one protocol on a slot running the other: the reader cannot frame it.
      this.#answer(encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0x40, 0xf4, 0));
      return;
    }
    this.cardLog.push(toHex(data));
    const generation = this.#generation;
    let response: Uint8Array;
    try {
      response = await card(data);
    } catch {
      if (generation !== this.#generation) return; // unplugged meanwhile: nobody to answer
      this.#answer(encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0x40, 0xfe, 0)); // ICC_MUTE
      return;
    }
    if (generation !== this.#generation) return; // unplugged meanwhile: nobody to answer
    if (this.options.level === 'tpdu') {
      const rate = bitRate(this.#readerFiDi[slot]!, this.descriptor.defaultClock) ?? 9600;
      // 12 etu per character (start, 8 data, parity, guard time), both directions.
      this.simulatedSeconds += ((data.length + response.length) * 12) / rate;
    }
    response = await this.#readerGetResponse(card, response);
    if (this.#cards[slot] !== card) {
      // The card was pulled while it was working.
      this.#answer(encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0x42, 0xfe, 0));
      return;
    }
    if (this.options.level === 'extendedApdu' && response.length > room) {
      this.#chainOut = response.slice(room);
      this.#answer(
        encodeResponse(
          T.RDR_to_PC_DataBlock,
          slot,
          seq,
          0,
          0,
          ChainParameter.begins,
          response.subarray(0, room),
        ),
      );
      return;
    }
    this.#answer(encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0, 0, 0, response));
  }

  /** Whether the card takes Fi/Di `fd` in a PPS. */
  #cardTakes(fd: number): boolean {
    const limit = this.options.cardPps;
    if (limit === false) return false;
    const atr = this.options.atr ?? defaultAtr();
    const max = limit ?? (atr.length > 2 && (atr[1]! & 0x10) !== 0 ? atr[2]! : 0x11);
    const clock = this.descriptor.defaultClock;
    return (bitRate(fd, clock) ?? Infinity) <= (bitRate(max, clock) ?? 0);
  }

  /** A PPS request on XfrBlock (ISO/IEC 7816-3 §9): echoed when the card takes it. */
  #pps(slot: number, seq: number, data: Uint8Array): void {
    const T = CcidMessageType;
    this.ppsLog.push(toHex(data));
    const pck = data.reduce((x, b) => x ^ b, 0);
    const hasPps1 = (data[1]! & 0x10) !== 0;
    const fd = hasPps1 ? data[2]! : 0x11;
    if (pck !== 0 || this.#cardFiDi[slot] !== this.#readerFiDi[slot] || !this.#cardTakes(fd)) {
      // A card that refuses a PPS stays silent (§9.3); the reader reports ICC_MUTE.
      this.#answer(encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0x40, 0xfe, 0));
      return;
    }
    this.#cardFiDi[slot] = fd;
    this.#protocol[slot] = (data[1]! & 0x0f) as 0 | 1;
    this.#answer(encodeResponse(T.RDR_to_PC_DataBlock, slot, seq, 0, 0, 0, data));
  }

  /**
   * APDU level with a fixed bClassGetResponse: the reader answers 61xx itself with GET RESPONSE
   * in that class (whatever channel the command was on), as some readers do.
   */
  async #readerGetResponse(card: CardFn, response: Uint8Array): Promise<Uint8Array> {
    const cla = this.descriptor.classGetResponse;
    if (this.options.level === 'tpdu' || cla === 0xff) return response;
    const parts: Uint8Array[] = [];
    for (let round = 0; round < 64 && response[response.length - 2] === 0x61; round++) {
      parts.push(response.subarray(0, response.length - 2));
      const getResponse = Uint8Array.of(cla, 0xc0, 0, 0, response[response.length - 1]!);
      this.cardLog.push(toHex(getResponse));
      response = await card(getResponse);
    }
    return parts.length === 0 ? response : concat(...parts, response);
  }
}

/** A reader and a FakeUsb holding it, ready for CcidReader.open(device, { events: usb }). */
export function createFakeReader(options: FakeCcidOptions = {}): {
  usb: FakeUsb;
  device: FakeCcidDevice;
} {
  const usb = new FakeUsb();
  const device = new FakeCcidDevice(options, usb);
  usb.devices.push(device);
  return { usb, device };
}
