import { describe, it, expect } from 'vitest';
import {
  CcidReader,
  openCcidTransport,
} from '../../../src/transport/webusb-ccid/ccid-transport.ts';
import { CcidError, UsbAccessError } from '../../../src/transport/webusb-ccid/errors.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { createFakeReader, t0Card, t1OnlyAtr } from '../../fakes/usb/fake-ccid-device.ts';
import { tinyCard, TEST_EID } from '../../fakes/usb/tiny-card.ts';

const OPEN_CHANNEL = fromHex('0070000001');
const SELECT_ISDR_CH1 = fromHex('01A4040010A0000005591010FFFFFFFF890000010000');
// sgp22.md §3.3: GetEID on channel 1 = 81 E2 91 00 06 BF3E035C015A 00
const GET_EID_CH1 = fromHex('81E2910006BF3E035C015A00');

async function selectAndGetEid(t: { transmit(a: Uint8Array): Promise<Uint8Array> }) {
  expect(toHex(await t.transmit(OPEN_CHANNEL))).toBe('019000');
  const fci = await t.transmit(SELECT_ISDR_CH1);
  expect(toHex(fci.subarray(fci.length - 2))).toBe('9000');
  expect(fci[0]).toBe(0x6f);
  const eid = await t.transmit(GET_EID_CH1);
  expect(toHex(eid)).toBe(`BF3E125A10${TEST_EID}9000`);
}

describe('CcidTransport over a fake short-APDU reader', () => {
  it('opens, powers on, selects the ISD-R and reads the EID', async () => {
    const card = tinyCard();
    const { usb, device } = createFakeReader({ card });
    const t = await openCcidTransport(device, { events: usb });
    expect(t.label).toBe('WebLPA Fake CCID Reader');
    expect(t.maxStoreDataBlock).toBe(255);
    await selectAndGetEid(t);
    // PowerOn, then XfrBlocks with increasing bSeq (CCID §6.1.4); bSeq 0 was the power-on.
    expect(device.log[0]).toBe('OUT 62000000000000000000');
    // XfrBlock: 6F, dwLength 5, bSlot 0, bSeq 1, bBWI 0, wLevelParameter 0000, then the APDU.
    expect(device.log[2]).toBe('OUT 6F050000000001000000' + '0070000001');
    expect(device.log[3]).toBe('IN 80030000000001000000' + '019000');
    await t.close();
    expect(device.opened).toBe(false);
    expect(device.log.at(-2)).toMatch(/^OUT 63000000000004/);
    await expect(t.transmit(OPEN_CHANNEL)).rejects.toBeInstanceOf(TransportClosedError);
    await t.close(); // twice is fine
  });
});

describe('CcidTransport exchange levels', () => {
  it('TPDU level with a T=0 card: case 4 via 61xx + GET RESPONSE', async () => {
    const card = tinyCard();
    const { usb, device } = createFakeReader({ card: t0Card(card), level: 'tpdu' });
    const t = await openCcidTransport(device, { events: usb });
    expect(t.protocol).toBe(0);
    await selectAndGetEid(t);
    // What the reader carried to the card: SELECT as case 3, then GET RESPONSE on channel 1.
    expect(device.cardLog).toContain('01A4040010A0000005591010FFFFFFFF8900000100');
    expect(device.cardLog).toContain('01C0000016');
    expect(device.cardLog).toContain('81E2910006BF3E035C015A');
    expect(device.cardLog).toContain('01C0000015'); // GetEID answer: 21 bytes
    await t.close();
  });

  it('TPDU level: a slot the reader started in T=1 is switched to T=0 with SetParameters', async () => {
    const { usb, device } = createFakeReader({
      card: t0Card(tinyCard()),
      level: 'tpdu',
      initialProtocol: 1,
    });
    const t = await openCcidTransport(device, { events: usb });
    expect(device.log.some((l) => l.startsWith('OUT 61050000'))).toBe(true);
    await selectAndGetEid(t);
    await t.close();
  });

  it('TPDU level with a T=1-only card is refused with a clear CcidError', async () => {
    const { usb, device } = createFakeReader({
      card: tinyCard(),
      level: 'tpdu',
      atr: t1OnlyAtr(),
      initialProtocol: 1,
    });
    const err = await openCcidTransport(device, { events: usb }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CcidError);
    expect((err as CcidError).code).toBe('unsupported');
    expect((err as CcidError).message).toMatch(/T=1/);
    expect(device.opened).toBe(false);
  });

  it('character-level readers are refused', async () => {
    const { usb, device } = createFakeReader({ card: tinyCard(), level: 'character' });
    await expect(openCcidTransport(device, { events: usb })).rejects.toThrow(/character-level/);
  });

  it('extended APDU level chains commands and responses by dwMaxCCIDMessageLength', async () => {
    const card = tinyCard({ longResponse: 300 });
    const { usb, device } = createFakeReader({ card, level: 'extendedApdu', maxMessageLength: 64 });
    const t = await openCcidTransport(device, { events: usb });
    expect(t.maxStoreDataBlock).toBe(255);
    await selectAndGetEid(t);
    const big = new Uint8Array(5 + 200 + 1);
    big.set([0x81, 0xe2, 0x91, 0x00, 200]);
    big[5] = 0xa0;
    const r = await t.transmit(big);
    expect(r.length).toBe(302);
    expect(toHex(r.subarray(300))).toBe('9000');
    expect(r[299]).toBe(299 & 0xff);
    // The card saw the command whole, reassembled from 54-byte pieces.
    expect(card.log.at(-1)).toBe(toHex(big));
    const outs = device.log.filter((l) => l.startsWith('OUT 6F'));
    // wLevelParameter 0001 (begins), 0003 (continues), 0002 (ends), then 0010 for the response.
    expect(outs.some((l) => l.slice(20, 24) === '0100')).toBe(true);
    expect(outs.some((l) => l.slice(20, 24) === '0300')).toBe(true);
    expect(outs.some((l) => l.slice(20, 24) === '0200')).toBe(true);
    expect(outs.some((l) => l.slice(20, 24) === '1000')).toBe(true);
    await t.close();
  });

  it('short APDU level refuses a command larger than dwMaxCCIDMessageLength', async () => {
    const { usb, device } = createFakeReader({ card: tinyCard(), maxMessageLength: 64 });
    const t = await openCcidTransport(device, { events: usb });
    expect(t.maxStoreDataBlock).toBe(48);
    const err = await t.transmit(new Uint8Array(60)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CcidError);
    expect((err as CcidError).code).toBe('tooLong');
    await t.close();
  });

  it('keeps reading through time extensions and answers split over several transfers', async () => {
    const { usb, device } = createFakeReader({
      card: tinyCard(),
      timeExtensions: 3,
      inChunkSize: 7,
    });
    const t = await openCcidTransport(device, { events: usb });
    await selectAndGetEid(t);
    expect(device.log.filter((l) => l.startsWith('IN 80000000000002800100')).length).toBe(3);
    await t.close();
  });

  it('finds a vendor-class reader whose CCID descriptor follows the endpoints', async () => {
    const { usb, device } = createFakeReader({
      card: tinyCard(),
      interfaceClass: 0xff,
      ccidAfterEndpoints: true,
      mode: 'protectedClass', // only class 0x0B is blocked: this one still works
      vendorId: 0x04e6,
      productId: 0x5120,
    });
    const t = await openCcidTransport(device, { events: usb });
    await selectAndGetEid(t);
    await t.close();
  });
});

describe('CcidReader slots, removal and unplug', () => {
  it('serves two slots independently', async () => {
    const a = tinyCard();
    const b = tinyCard();
    const { usb, device } = createFakeReader({ slots: [a, b] });
    const reader = await CcidReader.open(device, { events: usb });
    expect(reader.slotCount).toBe(2);
    const t0 = await reader.openSlot(0);
    const t1 = await reader.openSlot(1);
    expect(t1.label).toMatch(/slot 1$/);
    await Promise.all([selectAndGetEid(t0), selectAndGetEid(t1)]);
    expect(a.log.length).toBe(3);
    expect(b.log.length).toBe(3);
    await expect(reader.openSlot(2)).rejects.toThrow(RangeError);
    await reader.close();
    await expect(t0.transmit(OPEN_CHANNEL)).rejects.toBeInstanceOf(TransportClosedError);
    expect(device.opened).toBe(false);
  });

  it('an empty slot cannot be opened and reports absent', async () => {
    const { usb, device } = createFakeReader({ slots: [undefined] });
    const reader = await CcidReader.open(device, { events: usb });
    expect(await reader.slotStatus(0)).toBe('absent');
    await expect(reader.openSlot(0)).rejects.toBeInstanceOf(TransportClosedError);
    await reader.close();
  });

  it('card removal on the interrupt pipe ends the slot with TransportClosedError', async () => {
    const { usb, device } = createFakeReader({ card: tinyCard() });
    const t = await openCcidTransport(device, { events: usb });
    await t.transmit(OPEN_CHANNEL);
    device.removeCard(0);
    await new Promise((r) => setTimeout(r, 0));
    const err = await t.transmit(OPEN_CHANNEL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportClosedError);
    expect((err as Error).message).toMatch(/removed/);
    await t.close();
  });

  it('unplugging ends the link with TransportClosedError, also for an exchange in flight', async () => {
    let release: (() => void) | undefined;
    const slowCard = (apdu: Uint8Array) =>
      new Promise<Uint8Array>((resolve) => {
        release = () => {
          resolve(tinyCard()(apdu));
        };
      });
    const { usb, device } = createFakeReader({ card: slowCard });
    const t = await openCcidTransport(device, { events: usb });
    const inFlight = t.transmit(OPEN_CHANNEL).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 0));
    device.unplug();
    release?.();
    expect(await inFlight).toBeInstanceOf(TransportClosedError);
    await expect(t.transmit(OPEN_CHANNEL)).rejects.toBeInstanceOf(TransportClosedError);
    await t.close();
  });

  it('an aborted signal rejects at once and leaves the pipe usable', async () => {
    const { usb, device } = createFakeReader({ card: tinyCard() });
    const t = await openCcidTransport(device, { events: usb });
    const ac = new AbortController();
    ac.abort(new Error('user cancelled'));
    await expect(t.transmit(OPEN_CHANNEL, ac.signal)).rejects.toThrow('user cancelled');
    expect(toHex(await t.transmit(OPEN_CHANNEL))).toBe('019000');
    await t.close();
  });
});

describe('UsbAccessError from Chrome-like failures', () => {
  it.each([
    ['protectedClass', 'protectedClass', /Isolated Web App/],
    ['busy', 'busy', /pcscd/],
    ['accessDenied', 'accessDenied', /udev|WinUSB/],
  ] as const)('%s mode -> kind %s', async (mode, kind, message) => {
    const { usb, device } = createFakeReader({ card: tinyCard(), mode });
    const err = await openCcidTransport(device, { events: usb }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsbAccessError);
    expect((err as UsbAccessError).kind).toBe(kind);
    expect((err as UsbAccessError).message).toMatch(message);
    expect((err as UsbAccessError).cause).toBeInstanceOf(DOMException);
    expect(device.opened).toBe(false);
  });
});
