// Descriptor bytes written by hand from USB CCID rev 1.1 §5.1 table 5.1-1 (offsets in comments)
// and USB 2.0 §9.6 (configuration, interface, endpoint descriptors).
import { describe, it, expect } from 'vitest';
import {
  CcidFeature,
  encodeCcidClassDescriptor,
  encodeConfigurationDescriptor,
  findCcidInterfaces,
  parseCcidClassDescriptor,
} from '../../../src/transport/webusb-ccid/descriptors.ts';
import { CcidError } from '../../../src/transport/webusb-ccid/errors.ts';
import {
  ccidDeviceFilters,
  findKnownReader,
} from '../../../src/transport/webusb-ccid/known-readers.ts';
import { concat, fromHex } from '../../../src/codec/index.ts';

const CCID_SHORT_APDU = fromHex(
  [
    '36 21', // bLength 54, bDescriptorType 0x21
    '10 01', // bcdCCID 1.10
    '00', // bMaxSlotIndex 0 -> one slot
    '07', // bVoltageSupport 5 V, 3 V, 1.8 V
    '03 00 00 00', // dwProtocols T=0 and T=1
    'C0 12 00 00', // dwDefaultClock 4800 kHz
    'C0 12 00 00', // dwMaximumClock
    '00', // bNumClockSupported
    '67 32 00 00', // dwDataRate 12903 bps
    'CE 99 0C 00', // dwMaxDataRate 825806 bps
    '00', // bNumDataRatesSupported
    'FE 00 00 00', // dwMaxIFSD 254
    '00 00 00 00', // dwSynchProtocols
    '00 00 00 00', // dwMechanical
    'BA 04 02 00', // dwFeatures 0x000204BA: short APDU level + auto PPS/clock/baud/voltage/IFSD
    '0F 01 00 00', // dwMaxCCIDMessageLength 271
    'FF', // bClassGetResponse
    'FF', // bClassEnvelope
    '00 00', // wLcdLayout
    '00', // bPINSupport
    '01', // bMaxCCIDBusySlots
  ].join(''),
);

describe('CCID class descriptor', () => {
  it('decodes every field of a short-APDU reader', () => {
    const d = parseCcidClassDescriptor(CCID_SHORT_APDU);
    expect(d).toMatchObject({
      bcdCcid: 0x0110,
      maxSlotIndex: 0,
      slotCount: 1,
      voltageSupport: 7,
      protocols: { t0: true, t1: true },
      defaultClock: 4800,
      maximumClock: 4800,
      dataRate: 12903,
      maxDataRate: 825806,
      maxIfsd: 254,
      features: 0x000204ba,
      exchangeLevel: 'shortApdu',
      automaticParameters: true,
      maxCcidMessageLength: 271,
      classGetResponse: 0xff,
      classEnvelope: 0xff,
      maxBusySlots: 1,
    });
  });

  it.each([
    [0x00000000, 'character'],
    [0x00010000, 'tpdu'],
    [0x00020000, 'shortApdu'],
    [0x00040000, 'extendedApdu'],
  ])('dwFeatures 0x%s -> exchange level %s', (bits, level) => {
    const bytes = CCID_SHORT_APDU.slice();
    new DataView(bytes.buffer).setUint32(40, bits, true);
    const d = parseCcidClassDescriptor(bytes);
    expect(d.exchangeLevel).toBe(level);
    expect(d.automaticParameters).toBe(false);
  });

  it('reads dwProtocols T=1 only and a 2-slot reader', () => {
    const bytes = CCID_SHORT_APDU.slice();
    bytes[4] = 1; // bMaxSlotIndex
    bytes[6] = 0x02; // T=1 only
    const d = parseCcidClassDescriptor(bytes);
    expect(d.slotCount).toBe(2);
    expect(d.protocols).toEqual({ t0: false, t1: true });
  });

  it('rejects short or mistyped descriptors with CcidError', () => {
    expect(() => parseCcidClassDescriptor(CCID_SHORT_APDU.subarray(0, 40))).toThrow(CcidError);
    const wrong = CCID_SHORT_APDU.slice();
    wrong[1] = 0x22;
    expect(() => parseCcidClassDescriptor(wrong)).toThrow(/not the CCID class descriptor/);
  });

  it('encodeCcidClassDescriptor (used by the fakes) agrees with the parser', () => {
    const d = parseCcidClassDescriptor(
      encodeCcidClassDescriptor({
        features: CcidFeature.extendedApduLevel,
        maxCcidMessageLength: 5000,
        maxSlotIndex: 2,
      }),
    );
    expect(d.exchangeLevel).toBe('extendedApdu');
    expect(d.maxCcidMessageLength).toBe(5000);
    expect(d.slotCount).toBe(3);
  });
});

describe('configuration descriptor walk', () => {
  const iface = (n: number, cls: number) =>
    fromHex(`0904${n.toString(16).padStart(2, '0')}0003${cls.toString(16).padStart(2, '0')}000000`);
  const eps = fromHex('07050102400000' + '07058202400000' + '07058303080010');
  const config = (...parts: Uint8Array[]) => {
    const body = concat(...parts);
    const total = 9 + body.length;
    return concat(
      fromHex(
        `0902${(total & 0xff).toString(16).padStart(2, '0')}${(total >> 8).toString(16).padStart(2, '0')}0101008032`,
      ),
      body,
    );
  };

  it('finds a class 0x0B interface with the descriptor before its endpoints', () => {
    const found = findCcidInterfaces(config(iface(0, 0x0b), CCID_SHORT_APDU, eps));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ interfaceNumber: 0, interfaceClass: 0x0b });
  });

  it('finds a vendor-class (0xFF) interface with the descriptor after its endpoints', () => {
    const found = findCcidInterfaces(
      config(iface(0, 0x03), eps, iface(1, 0xff), eps, CCID_SHORT_APDU),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ interfaceNumber: 1, interfaceClass: 0xff });
  });

  it('ignores 0x21 descriptors of other classes (a HID descriptor is also type 0x21)', () => {
    const hid = fromHex('092111010001223F00');
    expect(findCcidInterfaces(config(iface(0, 0x03), hid, eps))).toEqual([]);
  });

  it('rejects a truncated chain', () => {
    const c = config(iface(0, 0x0b), CCID_SHORT_APDU, eps);
    expect(() => findCcidInterfaces(c.subarray(0, c.length - 3))).toThrow(CcidError);
    expect(() => findCcidInterfaces(fromHex('0904000003'))).toThrow(/not a USB configuration/);
  });

  it('matches the fake configuration builder', () => {
    const built = encodeConfigurationDescriptor({ interfaceClass: 0x0b, ccid: CCID_SHORT_APDU });
    expect(built).toEqual(config(iface(0, 0x0b), CCID_SHORT_APDU, eps));
  });
});

describe('known readers', () => {
  it('request filters cover class 0x0B and the vendor-class readers', () => {
    const filters = ccidDeviceFilters();
    expect(filters[0]).toEqual({ classCode: 0x0b });
    expect(filters).toContainEqual({ vendorId: 0x04e6, productId: 0x5120 });
    expect(findKnownReader(0x0bda, 0x0169)?.forceTpdu).toBe(true);
    expect(findKnownReader(0x1234, 0x5678)).toBeUndefined();
  });
});
