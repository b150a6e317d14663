/**
 * Readers that need to be known by id: CCID readers whose interface is vendor class 0xFF (not
 * blocked by Chrome's protected-class list, docs/platform.md §1.2, but not found by a class filter
 * either), and readers whose descriptor claims a level they do not really offer.
 *
 * Sources: parse output of libccid for the SCM devices (bInterfaceClass 0xFF with a CCID class
 * descriptor); OpenEUICC's list of readers that need TPDU mode (docs/platform.md §1.4).
 */
import { USB_CLASS_SMART_CARD } from './descriptors.ts';
import type { InterfaceKind } from './reader-open.ts';
import { VENDOR_CLASS_READERS } from './vendor-readers.ts';

export interface KnownReader {
  vendorId: number;
  productId: number;
  name: string;
  /** The CCID interface is vendor class 0xFF. */
  vendorClass?: boolean;
  /** Talk TPDU (T=0) whatever dwFeatures says. */
  forceTpdu?: boolean;
  /** What each interface talks to, when its string and descriptor do not tell. */
  interfaces?: Readonly<Record<number, InterfaceKind>>;
}

export const KNOWN_READERS: readonly KnownReader[] = [
  { vendorId: 0x04e6, productId: 0x5120, name: 'SCM SCR331-DI', vendorClass: true },
  { vendorId: 0x04e6, productId: 0x5292, name: 'SCM SCL01x', vendorClass: true },
  { vendorId: 0x0bda, productId: 0x0169, name: 'Realtek USB smart card reader', forceTpdu: true },
];

export function findKnownReader(vendorId: number, productId: number): KnownReader | undefined {
  const known = KNOWN_READERS.find((r) => r.vendorId === vendorId && r.productId === productId);
  if (known) return known;
  const vendor = VENDOR_CLASS_READERS.find(
    (r) => r.vendorId === vendorId && r.productId === productId,
  );
  return vendor ? { vendorId, productId, name: vendor.name, vendorClass: true } : undefined;
}

/**
 * Filters for USB.requestDevice(): every smart-card class interface plus the vendor-class readers
 * (the hand-kept ones above and those generated from libccid's reader data, vendor-readers.ts).
 */
export function ccidDeviceFilters(): USBDeviceFilter[] {
  const ids = new Map<string, { vendorId: number; productId: number }>();
  for (const r of [
    ...KNOWN_READERS.filter((k) => k.vendorClass === true),
    ...VENDOR_CLASS_READERS,
  ]) {
    ids.set(`${r.vendorId}:${r.productId}`, { vendorId: r.vendorId, productId: r.productId });
  }
  return [{ classCode: USB_CLASS_SMART_CARD }, ...ids.values()];
}
