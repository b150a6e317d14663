/**
 * Finding the CCID interface and reading its class descriptor.
 *
 * WebUSB exposes interfaces and endpoints but not class-specific descriptors, so the driver reads
 * the whole configuration descriptor with a standard GET_DESCRIPTOR request (USB 2.0 §9.4.3) and
 * walks it for the CCID class descriptor (bDescriptorType 0x21, 54 bytes, USB CCID rev 1.1 §5.1
 * table 5.1-1) that follows the smart-card interface descriptor. Vendor-class (0xFF) readers
 * carry the same descriptor; a few place it after their endpoint descriptors, so the whole
 * interface block is searched. Like libccid, any 54-byte descriptor in a smart-card or vendor
 * interface block is taken as the CCID descriptor: some readers (e.g. the Dell USB Smartcard
 * Keyboard, 413C:2100) give it the proprietary type 0xFF.
 */
import { CcidError } from './errors.ts';

export const USB_CLASS_SMART_CARD = 0x0b;
export const USB_CLASS_VENDOR = 0xff;
const DESCRIPTOR_CONFIGURATION = 0x02;
const DESCRIPTOR_INTERFACE = 0x04;
const DESCRIPTOR_ENDPOINT = 0x05;
const DESCRIPTOR_CCID = 0x21;
/** The proprietary descriptor type a few readers give their (otherwise standard) CCID descriptor. */
const DESCRIPTOR_CCID_PROPRIETARY = 0xff;
export const CCID_DESCRIPTOR_LENGTH = 0x36;

/** dwFeatures exchange level (bits 16-18), §5.1 table 5.1-1. */
export type ExchangeLevel = 'character' | 'tpdu' | 'shortApdu' | 'extendedApdu';

/** dwFeatures bits, §5.1 table 5.1-1. */
export const CcidFeature = {
  automaticParametersFromAtr: 0x00000002,
  automaticActivation: 0x00000004,
  automaticVoltage: 0x00000008,
  automaticClock: 0x00000010,
  automaticBaudRate: 0x00000020,
  automaticParameterNegotiation: 0x00000040,
  automaticPps: 0x00000080,
  clockStop: 0x00000100,
  nadOtherThanZero: 0x00000200,
  automaticIfsd: 0x00000400,
  tpduLevel: 0x00010000,
  shortApduLevel: 0x00020000,
  extendedApduLevel: 0x00040000,
  usbWakeUp: 0x00100000,
} as const;

export interface CcidClassDescriptor {
  /** bDescriptorType: 0x21, or 0xFF on readers with a proprietary type. */
  descriptorType: number;
  /** bcdCCID, e.g. 0x0110 for rev 1.1. */
  bcdCcid: number;
  /** bMaxSlotIndex: highest slot number (slots are 0..maxSlotIndex). */
  maxSlotIndex: number;
  slotCount: number;
  voltageSupport: number;
  /** dwProtocols: bit 0 = T=0, bit 1 = T=1. */
  protocols: { t0: boolean; t1: boolean };
  /** dwDefaultClock and dwMaximumClock, kHz. */
  defaultClock: number;
  maximumClock: number;
  numClockSupported: number;
  /** dwDataRate and dwMaxDataRate, bps. */
  dataRate: number;
  maxDataRate: number;
  /** bNumDataRatesSupported: 0 = the reader supports every rate up to dwMaxDataRate. */
  numDataRatesSupported: number;
  maxIfsd: number;
  synchProtocols: number;
  mechanical: number;
  features: number;
  exchangeLevel: ExchangeLevel;
  /** The reader negotiates the protocol itself (automatic PPS or parameters from the ATR). */
  automaticParameters: boolean;
  maxCcidMessageLength: number;
  classGetResponse: number;
  classEnvelope: number;
  lcdLayout: number;
  pinSupport: number;
  maxBusySlots: number;
}

/** Decodes the 54-byte CCID class descriptor (`bytes` starts at its bLength). */
export function parseCcidClassDescriptor(bytes: Uint8Array): CcidClassDescriptor {
  if (bytes.length < CCID_DESCRIPTOR_LENGTH || bytes[0]! < CCID_DESCRIPTOR_LENGTH) {
    throw new CcidError(
      `CCID class descriptor too short (${bytes.length} bytes, bLength ${bytes[0] ?? 0}; need 54)`,
      'noCcidDescriptor',
    );
  }
  if (bytes[1] !== DESCRIPTOR_CCID && bytes[1] !== DESCRIPTOR_CCID_PROPRIETARY) {
    throw new CcidError(
      `descriptor type 0x${(bytes[1] ?? 0).toString(16)} is not the CCID class descriptor 0x21 (nor the proprietary 0xFF)`,
      'noCcidDescriptor',
    );
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (o: number) => v.getUint32(o, true);
  const features = u32(40);
  const protocols = u32(6);
  // Exactly one level is announced; the numerically largest wins if a reader sets several.
  let exchangeLevel: ExchangeLevel = 'character';
  if (features & CcidFeature.extendedApduLevel) exchangeLevel = 'extendedApdu';
  else if (features & CcidFeature.shortApduLevel) exchangeLevel = 'shortApdu';
  else if (features & CcidFeature.tpduLevel) exchangeLevel = 'tpdu';
  const maxSlotIndex = bytes[4]!;
  return {
    descriptorType: bytes[1],
    bcdCcid: v.getUint16(2, true),
    maxSlotIndex,
    slotCount: maxSlotIndex + 1,
    voltageSupport: bytes[5]!,
    protocols: { t0: (protocols & 1) !== 0, t1: (protocols & 2) !== 0 },
    defaultClock: u32(10),
    maximumClock: u32(14),
    numClockSupported: bytes[18]!,
    dataRate: u32(19),
    maxDataRate: u32(23),
    numDataRatesSupported: bytes[27]!,
    maxIfsd: u32(28),
    synchProtocols: u32(32),
    mechanical: u32(36),
    features,
    exchangeLevel,
    automaticParameters:
      (features &
        (CcidFeature.automaticParametersFromAtr |
          CcidFeature.automaticParameterNegotiation |
          CcidFeature.automaticPps)) !==
      0,
    maxCcidMessageLength: u32(44),
    classGetResponse: bytes[48]!,
    classEnvelope: bytes[49]!,
    lcdLayout: v.getUint16(50, true),
    pinSupport: bytes[52]!,
    maxBusySlots: bytes[53]!,
  };
}

export interface CcidInterfaceInfo {
  interfaceNumber: number;
  alternateSetting: number;
  interfaceClass: number;
  interfaceSubclass: number;
  /** bInterfaceProtocol: 0 CCID (bulk), 1 ICCD version A, 2 ICCD version B (control transfers). */
  interfaceProtocol: number;
  /** Endpoints the interface block declares (from the descriptor bytes). */
  endpoints: { bulkIn: boolean; bulkOut: boolean; interruptIn: boolean };
  descriptor: CcidClassDescriptor;
}

/**
 * Walks a full configuration descriptor and returns every interface that carries a CCID class
 * descriptor: class 0x0B interfaces, and vendor-class ones whose block holds a 54-byte 0x21
 * descriptor. Throws CcidError on a truncated or malformed descriptor chain.
 */
export function findCcidInterfaces(configuration: Uint8Array): CcidInterfaceInfo[] {
  if (configuration.length < 9 || configuration[1] !== DESCRIPTOR_CONFIGURATION) {
    throw new CcidError('not a USB configuration descriptor', 'noCcidDescriptor');
  }
  const found: CcidInterfaceInfo[] = [];
  let current:
    | {
        number: number;
        alt: number;
        cls: number;
        sub: number;
        proto: number;
        endpoints: CcidInterfaceInfo['endpoints'];
      }
    | undefined;
  let offset = 0;
  while (offset < configuration.length) {
    const length = configuration[offset]!;
    const type = configuration[offset + 1];
    if (length < 2 || type === undefined || offset + length > configuration.length) {
      throw new CcidError(`truncated USB descriptor at offset ${offset}`, 'noCcidDescriptor');
    }
    if (type === DESCRIPTOR_INTERFACE && length >= 9) {
      current = {
        number: configuration[offset + 2]!,
        alt: configuration[offset + 3]!,
        cls: configuration[offset + 5]!,
        sub: configuration[offset + 6]!,
        proto: configuration[offset + 7]!,
        endpoints: { bulkIn: false, bulkOut: false, interruptIn: false },
      };
    } else if (type === DESCRIPTOR_ENDPOINT && length >= 7 && current !== undefined) {
      const address = configuration[offset + 2]!;
      const kind = configuration[offset + 3]! & 0x03;
      const isIn = (address & 0x80) !== 0;
      if (kind === 2 && isIn) current.endpoints.bulkIn = true;
      if (kind === 2 && !isIn) current.endpoints.bulkOut = true;
      if (kind === 3 && isIn) current.endpoints.interruptIn = true;
    } else if (
      (type === DESCRIPTOR_CCID || type === DESCRIPTOR_CCID_PROPRIETARY) &&
      length === CCID_DESCRIPTOR_LENGTH &&
      current !== undefined &&
      (current.cls === USB_CLASS_SMART_CARD || current.cls === USB_CLASS_VENDOR) &&
      !found.some(
        (f) => f.interfaceNumber === current!.number && f.alternateSetting === current!.alt,
      )
    ) {
      found.push({
        interfaceNumber: current.number,
        alternateSetting: current.alt,
        interfaceClass: current.cls,
        interfaceSubclass: current.sub,
        interfaceProtocol: current.proto,
        // Filled in as the walk goes on: the endpoints may follow the class descriptor.
        endpoints: current.endpoints,
        descriptor: parseCcidClassDescriptor(configuration.subarray(offset, offset + length)),
      });
    }
    offset += length;
  }
  return found;
}

/** Total length (wTotalLength) announced by the first 9 bytes of a configuration descriptor. */
export function configurationTotalLength(head: Uint8Array): number {
  if (head.length < 4 || head[1] !== DESCRIPTOR_CONFIGURATION) {
    throw new CcidError('not a USB configuration descriptor', 'noCcidDescriptor');
  }
  return head[2]! | (head[3]! << 8);
}

/** Input to encodeCcidClassDescriptor (fakes and tests build readers from it). */
export interface CcidDescriptorFields {
  descriptorType?: number;
  bcdCcid?: number;
  maxSlotIndex?: number;
  voltageSupport?: number;
  protocols?: number;
  defaultClock?: number;
  maximumClock?: number;
  numClockSupported?: number;
  dataRate?: number;
  maxDataRate?: number;
  numDataRatesSupported?: number;
  maxIfsd?: number;
  synchProtocols?: number;
  mechanical?: number;
  features: number;
  maxCcidMessageLength: number;
  classGetResponse?: number;
  classEnvelope?: number;
  lcdLayout?: number;
  pinSupport?: number;
  maxBusySlots?: number;
}

/** Builds a 54-byte CCID class descriptor (§5.1 table 5.1-1); used by fakes and tests. */
export function encodeCcidClassDescriptor(f: CcidDescriptorFields): Uint8Array {
  const out = new Uint8Array(CCID_DESCRIPTOR_LENGTH);
  const v = new DataView(out.buffer);
  out[0] = CCID_DESCRIPTOR_LENGTH;
  out[1] = f.descriptorType ?? DESCRIPTOR_CCID;
  v.setUint16(2, f.bcdCcid ?? 0x0110, true);
  out[4] = f.maxSlotIndex ?? 0;
  out[5] = f.voltageSupport ?? 0x07; // 5 V, 3 V and 1.8 V
  v.setUint32(6, f.protocols ?? 0x03, true);
  v.setUint32(10, f.defaultClock ?? 4000, true); // kHz
  v.setUint32(14, f.maximumClock ?? 4000, true);
  out[18] = f.numClockSupported ?? 0;
  v.setUint32(19, f.dataRate ?? 10752, true); // bps at 4 MHz, Fi 372 Di 1
  v.setUint32(23, f.maxDataRate ?? 10752, true);
  out[27] = f.numDataRatesSupported ?? 0;
  v.setUint32(28, f.maxIfsd ?? 254, true);
  v.setUint32(32, f.synchProtocols ?? 0, true);
  v.setUint32(36, f.mechanical ?? 0, true);
  v.setUint32(40, f.features, true);
  v.setUint32(44, f.maxCcidMessageLength, true);
  out[48] = f.classGetResponse ?? 0xff; // 0xFF: echo the command's class
  out[49] = f.classEnvelope ?? 0xff;
  v.setUint16(50, f.lcdLayout ?? 0, true);
  out[52] = f.pinSupport ?? 0;
  out[53] = f.maxBusySlots ?? 1;
  return out;
}

/** One interface of a configuration built by encodeConfiguration. */
export interface EncodedInterface {
  interfaceNumber: number;
  interfaceClass: number;
  interfaceSubclass?: number;
  interfaceProtocol?: number;
  /** The CCID class descriptor (absent: an interface without one). */
  ccid?: Uint8Array;
  /** Place the class descriptor after the endpoints (some vendor-class readers). */
  ccidAfterEndpoints?: boolean;
  /** Endpoint descriptors: 'bulkOut', 'bulkIn', 'interruptIn' (numbered from `firstEndpoint`). */
  endpoints: readonly ('bulkOut' | 'bulkIn' | 'interruptIn')[];
  firstEndpoint?: number;
}

/** Builds a configuration descriptor from interfaces (USB 2.0 §9.6.3); used by fakes and tests. */
export function encodeConfiguration(interfaces: readonly EncodedInterface[]): Uint8Array {
  const body: Uint8Array[] = [];
  for (const i of interfaces) {
    const iface = Uint8Array.of(
      9,
      DESCRIPTOR_INTERFACE,
      i.interfaceNumber,
      0,
      i.endpoints.length,
      i.interfaceClass,
      i.interfaceSubclass ?? 0,
      i.interfaceProtocol ?? 0,
      0,
    );
    let number = i.firstEndpoint ?? 1;
    const endpoints = i.endpoints.map((e) => {
      const n = number++;
      if (e === 'bulkOut') return Uint8Array.of(7, DESCRIPTOR_ENDPOINT, n, 0x02, 64, 0, 0);
      if (e === 'bulkIn') return Uint8Array.of(7, DESCRIPTOR_ENDPOINT, 0x80 | n, 0x02, 64, 0, 0);
      return Uint8Array.of(7, DESCRIPTOR_ENDPOINT, 0x80 | n, 0x03, 8, 0, 16);
    });
    body.push(iface);
    if (i.ccid && !i.ccidAfterEndpoints) body.push(i.ccid);
    body.push(...endpoints);
    if (i.ccid && i.ccidAfterEndpoints) body.push(i.ccid);
  }
  const total = 9 + body.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total);
  out.set(
    Uint8Array.of(
      9,
      DESCRIPTOR_CONFIGURATION,
      total & 0xff,
      total >> 8,
      interfaces.length,
      1,
      0,
      0x80,
      50,
    ),
  );
  let o = 9;
  for (const b of body) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

/**
 * Builds a configuration descriptor with one CCID interface (bulk OUT 1, bulk IN 2, interrupt IN
 * 3) and the class descriptor either right after the interface descriptor (as §5.1 asks) or
 * after the endpoints (as some vendor-class readers do). Used by fakes and tests.
 */
export function encodeConfigurationDescriptor(options: {
  interfaceClass: number;
  ccid: Uint8Array;
  ccidAfterEndpoints?: boolean;
}): Uint8Array {
  return encodeConfiguration([
    {
      interfaceNumber: 0,
      interfaceClass: options.interfaceClass,
      ccid: options.ccid,
      ccidAfterEndpoints: options.ccidAfterEndpoints ?? false,
      endpoints: ['bulkOut', 'bulkIn', 'interruptIn'],
    },
  ]);
}
