/**
 * Opening a reader: reading its configuration descriptor, listing its CCID interfaces with what
 * each is good for, and choosing one. The contact interface is preferred: a reader's interface
 * string ("Contact", "CT" against "Contactless", "CL", "PICC", "NFC", "SAM"), the known-reader
 * table, and the class descriptor (13.56 MHz clock, mechanical features, low-voltage classes,
 * T=0) tell them apart. Interfaces the driver cannot drive are listed with the reason
 * (ReaderRefusedError): character level, ICCD over control transfers, no bulk pair.
 */
import type { UsbDeviceLike, UsbInResult } from '../usb-types.ts';
import {
  USB_CLASS_SMART_CARD,
  configurationTotalLength,
  findCcidInterfaces,
  type CcidClassDescriptor,
  type CcidInterfaceInfo,
  type ExchangeLevel,
} from './descriptors.ts';
import { CcidError, ReaderRefusedError, type ReaderRefusalReason } from './errors.ts';
import { findKnownReader } from './known-readers.ts';

export type InterfaceKind = 'contact' | 'contactless' | 'sam' | 'unknown';

/** One CCID interface of a reader, as the chooser and the app see it. */
export interface ReaderInterface {
  interfaceNumber: number;
  alternateSetting: number;
  interfaceClass: number;
  interfaceProtocol: number;
  /** The interface string, when the device gave one. */
  name: string | undefined;
  kind: InterfaceKind;
  descriptor: CcidClassDescriptor;
  /** The level the driver will use (a known reader may force TPDU). */
  exchangeLevel: ExchangeLevel;
  /** Higher is a better default (contact before contactless and SAM). */
  score: number;
  /** Why the driver cannot use this interface (undefined: usable). */
  refusal: { reason: ReaderRefusalReason; message: string } | undefined;
}

const CONTACTLESS_NAME = /contactless|\bcl\b|\bcless\b|\bpicc\b|\bnfc|rfid|proximity/i;
const SAM_NAME = /\bsam[a-z0-9]?\b/i;
const CONTACT_NAME = /\bcontact(ed)?\b|\bct\b|\bicc\b/i;
/** 13.56 MHz: the carrier of ISO/IEC 14443 contactless cards, never a contact card clock. */
const CONTACTLESS_CLOCK_KHZ = 13_560;

/** The name a reader is shown (and refused) by. */
export function readerName(
  device: Pick<UsbDeviceLike, 'vendorId' | 'productId' | 'manufacturerName' | 'productName'>,
): string {
  const product = [device.manufacturerName, device.productName].filter(Boolean).join(' ');
  return (
    product ||
    `USB reader ${device.vendorId.toString(16).padStart(4, '0')}:${device.productId.toString(16).padStart(4, '0')}`
  );
}

/** What kind of card an interface talks to, from its string, the known-reader table and its descriptor. */
export function interfaceKind(
  info: Pick<CcidInterfaceInfo, 'interfaceNumber' | 'descriptor'>,
  name: string | undefined,
  device?: { vendorId: number; productId: number },
): InterfaceKind {
  const known = device ? findKnownReader(device.vendorId, device.productId) : undefined;
  const hinted = known?.interfaces?.[info.interfaceNumber];
  if (hinted !== undefined) return hinted;
  if (name !== undefined && name !== '') {
    name = name.replace(/_/g, ' '); // "DC4 Contactless_Reader", "DC4 SAMX_Reader"
    if (CONTACTLESS_NAME.test(name)) return 'contactless';
    if (SAM_NAME.test(name)) return 'sam';
    if (CONTACT_NAME.test(name)) return 'contact';
  }
  const d = info.descriptor;
  if (d.defaultClock === CONTACTLESS_CLOCK_KHZ || d.maximumClock === CONTACTLESS_CLOCK_KHZ) {
    return 'contactless';
  }
  return 'unknown';
}

function interfaceScore(kind: InterfaceKind, d: CcidClassDescriptor): number {
  let score = { contact: 100, unknown: 50, sam: 10, contactless: 0 }[kind];
  if (d.mechanical !== 0) score += 4; // card accept / lock / eject: a contact slot
  if ((d.voltageSupport & 0x06) !== 0) score += 2; // 3 V or 1.8 V classes: contact cards
  if (d.protocols.t0) score += 1; // T=0 exists on contacts only
  return score;
}

/** Why an interface cannot be driven, or undefined. */
export function interfaceRefusal(
  info: CcidInterfaceInfo,
  exchangeLevel: ExchangeLevel,
): { reason: ReaderRefusalReason; message: string } | undefined {
  const iccd = info.interfaceProtocol === 1 || info.interfaceProtocol === 2;
  if (!info.endpoints.bulkIn || !info.endpoints.bulkOut) {
    return iccd
      ? {
          reason: 'iccdWithoutBulk',
          message: `interface ${info.interfaceNumber} is an ICCD interface (bInterfaceProtocol ${info.interfaceProtocol}) driven by control transfers, which this driver does not implement`,
        }
      : {
          reason: 'noBulkEndpoints',
          message: `interface ${info.interfaceNumber} has no bulk IN/OUT endpoint pair`,
        };
  }
  if (exchangeLevel === 'character') {
    return {
      reason: 'characterLevel',
      message: `interface ${info.interfaceNumber} is a character-level interface (dwFeatures 0x${info.descriptor.features.toString(16).padStart(8, '0')}); the reader must offer TPDU or APDU level`,
    };
  }
  return undefined;
}

/**
 * Every CCID interface of a configuration, best default first: usable before refused, then by
 * score (contact first), then by interface number.
 */
export function listReaderInterfaces(
  configuration: Uint8Array,
  device: { vendorId: number; productId: number },
  names: (interfaceNumber: number, alternateSetting: number) => string | undefined = () =>
    undefined,
): ReaderInterface[] {
  const known = findKnownReader(device.vendorId, device.productId);
  const list = findCcidInterfaces(configuration).map((info): ReaderInterface => {
    const name = names(info.interfaceNumber, info.alternateSetting) ?? undefined;
    const kind = interfaceKind(info, name, device);
    const exchangeLevel: ExchangeLevel = known?.forceTpdu ? 'tpdu' : info.descriptor.exchangeLevel;
    return {
      interfaceNumber: info.interfaceNumber,
      alternateSetting: info.alternateSetting,
      interfaceClass: info.interfaceClass,
      interfaceProtocol: info.interfaceProtocol,
      name,
      kind,
      descriptor: info.descriptor,
      exchangeLevel,
      score: interfaceScore(kind, info.descriptor),
      refusal: interfaceRefusal(info, exchangeLevel),
    };
  });
  return list.sort(
    (a, b) =>
      Number(a.refusal !== undefined) - Number(b.refusal !== undefined) ||
      b.score - a.score ||
      a.interfaceNumber - b.interfaceNumber,
  );
}

/**
 * The interface to open: `wanted` when given (refused with its reason when it cannot be used),
 * otherwise the best usable one. Throws ReaderRefusedError naming the reader and the reason.
 */
export function chooseInterface(
  interfaces: readonly ReaderInterface[],
  reader: string,
  wanted?: number,
): ReaderInterface {
  const pool =
    wanted === undefined ? interfaces : interfaces.filter((i) => i.interfaceNumber === wanted);
  const first = pool[0];
  if (first === undefined) {
    throw new ReaderRefusedError(
      reader,
      'noCcidInterface',
      wanted === undefined
        ? 'the device has no interface with a CCID class descriptor'
        : `the device has no CCID interface ${wanted}`,
      'noCcidDescriptor',
    );
  }
  if (first.refusal) {
    const others =
      interfaces.length > 1
        ? ` (and none of its ${interfaces.length} CCID interfaces is usable)`
        : '';
    throw new ReaderRefusedError(reader, first.refusal.reason, first.refusal.message + others);
  }
  return first;
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

/** The interface strings WebUSB gives (USBAlternateInterface.interfaceName) of the current configuration. */
export function interfaceNames(
  device: Pick<UsbDeviceLike, 'configuration'>,
): (interfaceNumber: number, alternateSetting: number) => string | undefined {
  return (n, alt) =>
    device.configuration?.interfaces
      .find((i) => i.interfaceNumber === n)
      ?.alternates.find((a) => a.alternateSetting === alt)?.interfaceName ?? undefined;
}

/** Whether a WebUSB device looks like a reader before opening it (class 0x0B or a known id). */
export function looksLikeCcidReader(device: UsbDeviceLike): boolean {
  if (findKnownReader(device.vendorId, device.productId)) return true;
  return device.configurations.some((c) =>
    c.interfaces.some((i) => i.alternates.some((a) => a.interfaceClass === USB_CLASS_SMART_CARD)),
  );
}
