/**
 * Finding the CCID interface and reading its class descriptor.
 *
 * WebUSB exposes interfaces and endpoints but not class-specific descriptors, so the driver reads
 * the whole configuration descriptor with a standard GET_DESCRIPTOR request (USB 2.0 §9.4.3) and
 * walks it for the CCID class descriptor (bDescriptorType 0x21, 54 bytes, USB CCID rev 1.1 §5.1
 * table 5.1-1) that follows the smart-card interface descriptor. Vendor-class (0xFF) readers
 * carry the same descriptor; a few place it after their endpoint descriptors, so the whole
 * interface block is searched.
 */
import { CcidError } from './errors.ts';

export const USB_CLASS_SMART_CARD = 0x0b;
export const USB_CLASS_VENDOR = 0xff;
const DESCRIPTOR_CONFIGURATION = 0x02;
const DESCRIPTOR_INTERFACE = 0x04;
const DESCRIPTOR_CCID = 0x21;
const CCID_DESCRIPTOR_LENGTH = 0x36;

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
  /** bcdCCID, e.g. 0x0110 for rev 1.1. */
  bcdCcid: number;
  /** bMaxSlotIndex: highest slot number (slots are 0..maxSlotIndex). */
  maxSlotIndex: number;
  slotCount: number;
  voltageSupport: number;
  /** dwProtocols: bit 0 = T=0, bit 1 = T=1. */
  protocols: { t0: boolean; t1: boolean };
  defaultClock: number;
  maximumClock: number;
  dataRate: number;
  maxDataRate: number;
  maxIfsd: number;
  mechanical: number;
  features: number;
  exchangeLevel: ExchangeLevel;
  /** The reader negotiates the protocol itself (automatic PPS or parameters from the ATR). */
  automaticParameters: boolean;
  maxCcidMessageLength: number;
  classGetResponse: number;
  classEnvelope: number;
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
  if (bytes[1] !== DESCRIPTOR_CCID) {
    throw new CcidError(
      `descriptor type 0x${(bytes[1] ?? 0).toString(16)} is not the CCID class descriptor 0x21`,
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
    bcdCcid: v.getUint16(2, true),
    maxSlotIndex,
    slotCount: maxSlotIndex + 1,
    voltageSupport: bytes[5]!,
    protocols: { t0: (protocols & 1) !== 0, t1: (protocols & 2) !== 0 },
    defaultClock: u32(10),
    maximumClock: u32(14),
    dataRate: u32(19),
    maxDataRate: u32(23),
    maxIfsd: u32(28),
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
    pinSupport: bytes[52]!,
    maxBusySlots: bytes[53]!,
  };
}

export interface CcidInterfaceInfo {
  interfaceNumber: number;
  alternateSetting: number;
  interfaceClass: number;
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
  let current: { number: number; alt: number; cls: number } | undefined;
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
      };
    } else if (
      type === DESCRIPTOR_CCID &&
      length >= CCID_DESCRIPTOR_LENGTH &&
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
  maxSlotIndex?: number;
  protocols?: number;
  features: number;
  maxCcidMessageLength: number;
  maxIfsd?: number;
}

/** Builds a 54-byte CCID class descriptor (§5.1 table 5.1-1); used by fakes and tests. */
export function encodeCcidClassDescriptor(f: CcidDescriptorFields): Uint8Array {
  const out = new Uint8Array(CCID_DESCRIPTOR_LENGTH);
  const v = new DataView(out.buffer);
  out[0] = CCID_DESCRIPTOR_LENGTH;
  out[1] = DESCRIPTOR_CCID;
  v.setUint16(2, 0x0110, true);
  out[4] = f.maxSlotIndex ?? 0;
  out[5] = 0x07; // 5 V, 3 V and 1.8 V
  v.setUint32(6, f.protocols ?? 0x03, true);
  v.setUint32(10, 4000, true); // kHz
  v.setUint32(14, 4000, true);
  out[18] = 0;
  v.setUint32(19, 10752, true); // bps at 4 MHz, Fi 372 Di 1
  v.setUint32(23, 10752, true);
  out[27] = 0;
  v.setUint32(28, f.maxIfsd ?? 254, true);
  v.setUint32(40, f.features, true);
  v.setUint32(44, f.maxCcidMessageLength, true);
  out[48] = 0xff; // bClassGetResponse: echo the command's class
  out[49] = 0xff;
  out[53] = 1;
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
  const iface = Uint8Array.of(9, DESCRIPTOR_INTERFACE, 0, 0, 3, options.interfaceClass, 0, 0, 0);
  const endpoints = Uint8Array.of(
    ...[7, 0x05, 0x01, 0x02, 64, 0, 0], // bulk OUT 1
    ...[7, 0x05, 0x82, 0x02, 64, 0, 0], // bulk IN 2
    ...[7, 0x05, 0x83, 0x03, 8, 0, 16], // interrupt IN 3
  );
  const body = options.ccidAfterEndpoints
    ? [iface, endpoints, options.ccid]
    : [iface, options.ccid, endpoints];
  const total = 9 + body.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total);
  out.set(Uint8Array.of(9, DESCRIPTOR_CONFIGURATION, total & 0xff, total >> 8, 1, 1, 0, 0x80, 50));
  let o = 9;
  for (const b of body) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}
