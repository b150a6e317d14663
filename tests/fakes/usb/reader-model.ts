/**
 * Real readers as data: a ReaderModel holds what libccid's `parse` tool prints for a reader
 * (vendor/product, each interface's fields and every field of its 54-byte CCID class
 * descriptor). parseLibccidDump() reads that text; fakeReaderFor() builds a FakeCcidDevice with
 * those descriptors that enforces their limits. Fixtures in tests/fixtures/ccid are models
 * derived this way, one per reader family, each naming the reader and libccid as the source.
 */
import type { CcidDescriptorFields } from '../../../src/transport/webusb-ccid/descriptors.ts';

import {
  FakeCcidDevice,
  FakeUsb,
  defaultAtr,
  t0Card,
  t1Card,
  type CardFn,
  type FakeCcidOptions,
  type FakeInterface,
} from './fake-ccid-device.ts';

export interface ReaderModelInterface {
  interfaceNumber: number;
  interfaceClass: number;
  interfaceProtocol: number;
  /** iInterface string, when libccid could read one. */
  name?: string;
  endpoints: ('bulkOut' | 'bulkIn' | 'interruptIn')[];
  descriptor?: CcidDescriptorFields;
  /** "Support N bps" lines after bNumDataRatesSupported. */
  dataRates?: number[];
}

export interface ReaderModel {
  /** Where the data comes from (libccid, the reader's dump file). */
  source: string;
  reader: string;
  vendorId: number;
  productId: number;
  manufacturer?: string;
  product?: string;
  interfaces: ReaderModelInterface[];
}

function num(value: string | undefined): number {
  if (value === undefined) return 0;
  const v = value.trim();
  const hex = /^0x([0-9a-f]+)/i.exec(v);
  if (hex) return parseInt(hex[1]!, 16);
  const dec = /^(\d+)/.exec(v);
  return dec ? parseInt(dec[1]!, 10) : 0;
}

/** "4.800 MHz" -> 4800 (kHz). */
function khz(value: string | undefined): number {
  const m = /([\d.]+)\s*MHz/i.exec(value ?? '');
  return m ? Math.round(parseFloat(m[1]!) * 1000) : 0;
}

/** A printable interface string, or undefined for libccid's "no string" answers. */
function interfaceString(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '' || /^\d+$/.test(v) || /can't get/i.test(v)) return undefined;
  if (!/^[\x20-\x7e]+$/.test(v) || /^\?+$/.test(v) || /\?{3,}/.test(v)) return undefined;
  return v;
}

/**
 * Parses libccid `parse` output (one or more interface blocks, each starting at " idVendor:")
 * into one model per vendor/product. `file` names the dump in the model's source.
 */
export function parseLibccidDump(text: string, file: string): ReaderModel[] {
  const models = new Map<string, ReaderModel>();
  const blocks = text.split(/^ idVendor:/m).slice(1);
  for (const raw of blocks) {
    const block = ' idVendor:' + raw;
    const lines = block.split(/\r?\n/);
    const ccidAt = lines.findIndex((l) => /CCID Class Descriptor/.test(l));
    const field = (name: string, from = 0): string | undefined => {
      const re = new RegExp(`^\\s*${name}:\\s?(.*)$`);
      for (const l of lines.slice(from)) {
        const m = re.exec(l);
        if (m) return m[1];
      }
      return undefined;
    };
    const after = (name: string): string | undefined => {
      const i = lines.findIndex((l) => new RegExp(`^\\s*${name}:`).test(l));
      return i >= 0 ? lines[i + 1] : undefined;
    };
    const vendorId = num(field('idVendor'));
    const productId = num(field('idProduct'));
    const manufacturer = interfaceString(field('iManufacturer'));
    const product = interfaceString(field('iProduct'));
    const key = `${vendorId}:${productId}`;
    let model = models.get(key);
    if (!model) {
      model = {
        source: `libccid (CCID driver of pcsc-lite, LGPL-2.1-or-later), reader dump ${file}`,
        reader: [manufacturer, product].filter(Boolean).join(' ') || key,
        vendorId,
        productId,
        ...(manufacturer !== undefined ? { manufacturer } : {}),
        ...(product !== undefined ? { product } : {}),
        interfaces: [],
      };
      models.set(key, model);
    }
    const endpointsText = after('bNumEndpoints') ?? '';
    const endpoints: ReaderModelInterface['endpoints'] = [];
    if (/^\s+(bulk|interrupt|control)/i.test(endpointsText)) {
      if (/bulk-OUT/i.test(endpointsText)) endpoints.push('bulkOut');
      if (/bulk-IN/i.test(endpointsText)) endpoints.push('bulkIn');
      if (/Interrupt-IN/i.test(endpointsText)) endpoints.push('interruptIn');
    } else {
      // Older dumps give only the count: 2 is the bulk pair, 3 adds the interrupt pipe (§3).
      const count = num(field('bNumEndpoints'));
      if (count >= 2) endpoints.push('bulkOut', 'bulkIn');
      if (count === 3 || count === 1) endpoints.push('interruptIn');
    }
    const interfaceNumber = num(field('bInterfaceNumber'));
    if (model.interfaces.some((i) => i.interfaceNumber === interfaceNumber)) continue;
    const iface: ReaderModelInterface = {
      interfaceNumber,
      interfaceClass: num(field('bInterfaceClass')),
      interfaceProtocol: num(field('bInterfaceProtocol')),
      endpoints,
    };
    const name = interfaceString(field('iInterface'));
    if (name !== undefined) iface.name = name;
    if (ccidAt >= 0 && field('dwFeatures', ccidAt) !== undefined) {
      const bcd = /(\d+)\.(\d+)/.exec(field('bcdCCID') ?? '1.10');
      const protocols = /0x([0-9a-f]{4})\s+0x([0-9a-f]{4})/i.exec(field('dwProtocols') ?? '');
      iface.descriptor = {
        descriptorType: num(field('bDescriptorType', ccidAt)),
        bcdCcid: bcd ? (parseInt(bcd[1]!, 16) << 8) | parseInt(bcd[2]!, 16) : 0x0110,
        maxSlotIndex: num(field('bMaxSlotIndex')),
        voltageSupport: num(field('bVoltageSupport')),
        protocols: protocols
          ? (parseInt(protocols[1]!, 16) << 16) | parseInt(protocols[2]!, 16)
          : num(field('dwProtocols')),
        defaultClock: khz(field('dwDefaultClock')),
        maximumClock: khz(field('dwMaximumClock')),
        numClockSupported: num(field('bNumClockSupported')),
        dataRate: num(field('dwDataRate')),
        maxDataRate: num(field('dwMaxDataRate')),
        numDataRatesSupported: num(field('bNumDataRatesSupported')),
        maxIfsd: num(field('dwMaxIFSD')),
        synchProtocols: num(field('dwSynchProtocols')),
        mechanical: num(field('dwMechanical')),
        features: num(field('dwFeatures')),
        maxCcidMessageLength: num(field('dwMaxCCIDMessageLength')),
        classGetResponse: num(field('bClassGetResponse')),
        classEnvelope: num(field('bClassEnvelope')),
        lcdLayout: num(field('wLcdLayout')),
        pinSupport: num(field('bPINSupport')),
        maxBusySlots: num(field('bMaxCCIDBusySlots')),
      };
      const ratesAt = lines.findIndex((l) => /^\s*bNumDataRatesSupported:/.test(l));
      const rates: number[] = [];
      for (let i = ratesAt + 1; ratesAt >= 0 && i < lines.length; i++) {
        const m = /^\s*Support (\d+) bps/.exec(lines[i]!);
        if (!m) break;
        rates.push(parseInt(m[1]!, 10));
      }
      if (rates.length > 0) iface.dataRates = rates;
    }
    model.interfaces.push(iface);
  }
  return [...models.values()];
}

/** The cards the fake readers hold: eUICC-like ATRs with TA1 0x96 (F 512, D 32). */
export const T0_ATR = defaultAtr();
/** 3B 90 96 81 31 FE 45 0D: TA1 96, T=1 with IFSC 254, BWI 4, CWI 5, LRC. */
export const T1_ATR = Uint8Array.of(0x3b, 0x90, 0x96, 0x81, 0x31, 0xfe, 0x45, 0x0d);

export interface FakeFromModel {
  usb: FakeUsb;
  device: FakeCcidDevice;
  /** The protocol the card speaks (the fake's card speaks T=0 when the interface offers it). */
  cardProtocol: 0 | 1;
}

/**
 * A fake of `model` with `card` (an APDU-level card function) in slot `slot` of interface
 * `interfaceNumber` (default: the first with a descriptor and a bulk pair). At TPDU level the
 * card is wrapped as a T=0 card (when the interface offers T=0) or a T=1 card.
 */
export function fakeReaderFor(
  model: ReaderModel,
  card: CardFn,
  options: {
    interfaceNumber?: number;
    slot?: number;
    extra?: Omit<FakeCcidOptions, 'card' | 'slots' | 'descriptor' | 'interfaces'>;
  } = {},
): FakeFromModel {
  const withCcid = model.interfaces.filter(
    (i) => i.descriptor && i.endpoints.includes('bulkIn') && i.endpoints.includes('bulkOut'),
  );
  const target =
    model.interfaces.find((i) => i.interfaceNumber === options.interfaceNumber) ??
    withCcid[0] ??
    model.interfaces[0]!;
  // The fake serves the cards behind its first CCID interface with a bulk pair: put the target first.
  const ordered = [target, ...model.interfaces.filter((i) => i !== target)];
  const d = target.descriptor;
  const tpdu = d !== undefined && (d.features & 0x70000) === 0x10000;
  const cardProtocol: 0 | 1 = d === undefined || (d.protocols ?? 3) & 1 ? 0 : 1;
  const slots: (CardFn | undefined)[] = Array.from(
    { length: (d?.maxSlotIndex ?? 0) + 1 },
    () => undefined,
  );
  // T1_ATR announces IFSC 254: the card takes I-blocks that long.
  const wrapped = tpdu ? (cardProtocol === 0 ? t0Card(card) : t1Card(card, { ifsc: 254 })) : card;
  slots[options.slot ?? 0] = wrapped;
  const interfaces: FakeInterface[] = ordered.map((i) => ({
    interfaceNumber: i.interfaceNumber,
    interfaceClass: i.interfaceClass,
    interfaceProtocol: i.interfaceProtocol,
    ...(i.name !== undefined ? { name: i.name } : {}),
    ...(i.descriptor ? { descriptor: i.descriptor } : {}),
    endpoints: i.endpoints,
  }));
  const usb = new FakeUsb();
  const device = new FakeCcidDevice(
    {
      vendorId: model.vendorId,
      productId: model.productId,
      productName: model.product ?? model.reader,
      manufacturerName: model.manufacturer ?? '',
      interfaces,
      slots,
      atr: cardProtocol === 0 ? T0_ATR : T1_ATR,
      cardProtocol,
      ...(target.dataRates ? { dataRates: target.dataRates } : {}),
      ...options.extra,
    },
    usb,
  );
  usb.devices.push(device);
  return { usb, device, cardProtocol };
}

/** Bytes of a model as JSON for a fixture file. */
export function modelJson(model: ReaderModel): string {
  return JSON.stringify(model, null, 2) + '\n';
}
