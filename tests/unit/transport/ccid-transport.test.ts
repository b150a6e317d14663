import { describe, it, expect } from 'vitest';
import { en } from '../../../src/i18n/en/index.ts';
import { explain } from '../../../src/i18n/explain.ts';
import {
  CcidReader,
  openCcidTransport,
} from '../../../src/transport/webusb-ccid/ccid-transport.ts';
import { CcidError, UsbAccessError } from '../../../src/transport/webusb-ccid/errors.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { CcidFeature } from '../../../src/transport/webusb-ccid/descriptors.ts';
import { T1Error } from '../../../src/transport/webusb-ccid/tpdu-t1.ts';
import { Card, openIsdR } from '../../../src/apdu/index.ts';
import { getEid, getProfilesInfo, setNickname } from '../../../src/es10/es10c.ts';
import { Es10Error } from '../../../src/es10/errors.ts';
import { getEuiccInfo2 } from '../../../src/es10/es10b.ts';
import { createEuicc, createTestIdentity } from '../../../src/euicc/index.ts';
import {
  createFakeReader,
  t0Card,
  t1Card,
  t1OnlyAtr,
  type CardFn,
} from '../../fakes/usb/fake-ccid-device.ts';
import { tinyCard, TEST_EID } from '../../fakes/usb/tiny-card.ts';

const OPEN_CHANNEL = fromHex('0070000001');
const SELECT_ISDR_CH1 = fromHex('01A4040010A0000005591010FFFFFFFF890000010000');
// docs/protocol.md §3.3: GetEID on channel 1 = 81 E2 91 00 06 BF3E035C015A 00
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
    expect((err as CcidError).reason).toBe('tooLong');
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
    ['protectedClass', 'protectedClass', /protected class/],
    ['busy', 'busy', /in use by another program/],
    ['accessDenied', 'accessDenied', /refused access/],
  ] as const)('%s mode -> kind %s', async (mode, kind, message) => {
    const { usb, device } = createFakeReader({ card: tinyCard(), mode });
    const err = await openCcidTransport(device, { events: usb }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsbAccessError);
    expect((err as UsbAccessError).reason).toBe(kind);
    expect((err as UsbAccessError).message).toMatch(message);
    // What to do is the explanation's (the errors texts), not the message's.
    expect(explain(err, en).advice).toBe(en.errors.usbAccess.reasons[kind].advice);
    expect((err as UsbAccessError).cause).toBeInstanceOf(DOMException);
    expect(device.opened).toBe(false);
  });
});

/**
 * ATRs for the T=1 tests (ISO/IEC 7816-3 §8.2), TCK = XOR of T0..the last interface byte:
 *  - T1_ATR: 3B 90 96 81 31 FE 45 0D: TA1 96, TD1 81 (T=1), TD2 31 (T=1, TA3 TB3 follow),
 *    TA3 FE = IFSC 254, TB3 45 = BWI 4 / CWI 5, LRC (no TC3).
 *  - T1_CRC_ATR: 3B 90 96 81 71 FE 45 01 4C: as above with TC3 01 = CRC.
 *  - BOTH_ATR: 3B 80 80 01 01: TD1 80 (T=0, TD2 follows), TD2 01 (T=1), TCK 80^80^01 = 01.
 */
const T1_ATR = fromHex('3B909681 31FE450D'.replace(/ /g, ''));
const T1_CRC_ATR = fromHex('3B90968171FE45014C');
const BOTH_ATR = fromHex('3B80800101');

const identity = createTestIdentity({ curve: 'P-256', seed: 'ccid-t1-tests', eid: TEST_EID });
function softwareEuicc(): CardFn {
  const card = createEuicc({ identity });
  return (apdu) => card.transmit(apdu);
}

/** XfrBlock payloads (the T=1 blocks) the host sent, hex. */
function xfrBlocks(log: readonly string[]): string[] {
  return log.filter((l) => l.startsWith('OUT 6F')).map((l) => l.slice(4 + 20));
}

describe('CcidTransport at TPDU level with T=1', () => {
  it('a full ES10 exchange with the software eUICC through a T=1 card, chained both ways', async () => {
    const card = t1Card(softwareEuicc(), { ifsc: 32 });
    // dwMaxCCIDMessageLength 64: blocks of at most 54 bytes, so IFSD = 54 - 5 = 49.
    const { usb, device } = createFakeReader({
      card,
      level: 'tpdu',
      atr: t1OnlyAtr(),
      initialProtocol: 1,
      cardProtocol: 1,
      maxMessageLength: 64,
    });
    const t = await openCcidTransport(device, { events: usb });
    expect(t.protocol).toBe(1);
    expect(t.maxStoreDataBlock).toBe(255);
    const isdr = await openIsdR(new Card(t));
    expect(await getEid(isdr)).toBe(TEST_EID);
    const info2 = await getEuiccInfo2(isdr);
    expect(info2.euiccCiPKIdListForSigning.length).toBeGreaterThan(0);
    expect(await getProfilesInfo(isdr)).toEqual([]);
    // A 64-character nickname makes a STORE DATA command longer than IFSC 32.
    const err = await setNickname(isdr, '89000000000000000011', 'n'.repeat(64)).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Es10Error);
    expect((err as Es10Error).resultName).toBe('iccidNotFound');
    // The first block announced IFSD 49 (S(IFS request): 00 C1 01 31 F1, C1^01^31 = F1).
    const blocks = xfrBlocks(device.log);
    expect(blocks[0]).toBe('00C10131F1');
    expect(card.stats.ifsd).toBe(49);
    // The command went as a chain of I-blocks with M set (PCB 20 or 60), none over IFSC...
    expect(blocks.some((b) => b.startsWith('0020') || b.startsWith('0060'))).toBe(true);
    expect(blocks.every((b) => b.length / 2 <= 4 + 32)).toBe(true);
    // ...and the EuiccInfo2 answer came back chained: the host acknowledged with R-blocks.
    expect(blocks.some((b) => b === '00800080' || b === '00900090')).toBe(true);
    expect(card.stats.retransmits).toBe(0);
    await t.close();
    expect(device.opened).toBe(false);
  });

  it('SetParameters for T=1 carries the ATR values (CCID §6.1.7 table 6.1-8)', async () => {
    const { usb, device } = createFakeReader({
      card: t1Card(tinyCard(), { ifsc: 254 }),
      level: 'tpdu',
      atr: T1_ATR,
      cardProtocol: 1,
    });
    const t = await openCcidTransport(device, { events: usb });
    // 61, dwLength 7, slot 0, bSeq 2 (after PowerOn 0, GetParameters 1), bProtocolNum 1, RFU;
    // then bmFindexDindex 11 (no PPS by this reader, so the default rate), bmTCCKST1 10 (LRC,
    // direct), bGuardTimeT1 00, bmWaitingIntegersT1 45 (TB3), bClockStop 00, bIFSC FE (TA3),
    // bNadValue 00.
    expect(device.log).toContain('OUT 61070000000002010000' + '111000450' + '0FE00');
    expect(t.protocol).toBe(1);
    await selectAndGetEid(t);
    await t.close();
  });

  it('a reader with automatic PPS gets TA1, and one already in T=1 with automatic parameters none', async () => {
    const pps = createFakeReader({
      card: t1Card(tinyCard()),
      level: 'tpdu',
      atr: T1_ATR,
      cardProtocol: 1,
      extraFeatures: CcidFeature.automaticPps,
      maxDataRate: 250_000, // TA1 96: 4 MHz x 32 / 512
    });
    const a = await openCcidTransport(pps.device, { events: pps.usb });
    expect(pps.device.log).toContain('OUT 61070000000002010000' + '961000450' + '0FE00');
    await selectAndGetEid(a);
    await a.close();

    const auto = createFakeReader({
      card: t1Card(tinyCard()),
      level: 'tpdu',
      atr: T1_ATR,
      cardProtocol: 1,
      initialProtocol: 1,
      extraFeatures: CcidFeature.automaticPps,
    });
    const b = await openCcidTransport(auto.device, { events: auto.usb });
    expect(auto.device.log.some((l) => l.startsWith('OUT 61'))).toBe(false);
    await selectAndGetEid(b);
    await b.close();
  });

  it('CRC epilogue when TC3 asks for it (bmTCCKST1 11)', async () => {
    const card = t1Card(tinyCard(), { checksum: 'crc' });
    const { usb, device } = createFakeReader({
      card,
      level: 'tpdu',
      atr: T1_CRC_ATR,
      cardProtocol: 1,
    });
    const t = await openCcidTransport(device, { events: usb });
    expect(device.log).toContain('OUT 61070000000002010000' + '111100450' + '0FE00');
    await selectAndGetEid(t);
    // S(IFS request, FE) with CRC 544E (tpdu-t1.test.ts pins the register).
    expect(xfrBlocks(device.log)[0]).toBe('00C101FE544E');
    await t.close();
  });

  it('T=0 is still chosen when the card offers both, even from a slot started in T=1', async () => {
    const { usb, device } = createFakeReader({
      card: t0Card(tinyCard()),
      level: 'tpdu',
      atr: BOTH_ATR,
      initialProtocol: 1,
    });
    const t = await openCcidTransport(device, { events: usb });
    expect(t.protocol).toBe(0);
    expect(device.log.some((l) => l.startsWith('OUT 6105000000000200'))).toBe(true);
    await selectAndGetEid(t);
    await t.close();
  });

  it('a reader that runs T=1 and will not switch keeps T=1 when the card offers both', async () => {
    const { usb, device } = createFakeReader({
      card: t1Card(tinyCard()),
      level: 'tpdu',
      atr: BOTH_ATR,
      initialProtocol: 1,
      lockProtocol: true,
      cardProtocol: 1,
    });
    const t = await openCcidTransport(device, { events: usb });
    expect(t.protocol).toBe(1);
    await selectAndGetEid(t);
    await t.close();
  });

  it('a T=0-only reader with a T=1-only card is refused with CcidError unsupported', async () => {
    const { usb, device } = createFakeReader({
      card: t1Card(tinyCard()),
      level: 'tpdu',
      atr: t1OnlyAtr(),
      protocols: 0x01,
      cardProtocol: 1,
    });
    const err = await openCcidTransport(device, { events: usb }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CcidError);
    expect((err as CcidError).reason).toBe('unsupported');
    expect((err as CcidError).message).toMatch(/T=1/);
    expect(device.opened).toBe(false);
  });

  it('WTX: the S(WTX response) goes with bBWI = the multiplier', async () => {
    const card = t1Card(tinyCard(), { wtx: 1, wtxValue: 3 });
    const { usb, device } = createFakeReader({
      card,
      level: 'tpdu',
      atr: t1OnlyAtr(),
      cardProtocol: 1,
    });
    const t = await openCcidTransport(device, { events: usb });
    await selectAndGetEid(t);
    // S(WTX response, 3) = 00 E3 01 03 E1 (E3^01^03 = E1) in an XfrBlock whose bBWI (byte 7) is 03.
    const wtxOut = device.log.filter((l) => l.endsWith('00E30103E1'));
    expect(wtxOut.length).toBe(3);
    expect(wtxOut.every((l) => l.slice(4 + 14, 4 + 16) === '03')).toBe(true);
    expect(card.stats.wtxResponses).toEqual([3, 3, 3]);
    await t.close();
  });

  it('recovers from a corrupt LRC and from a block the card did not answer (ICC_MUTE)', async () => {
    const card = t1Card(tinyCard(), { corruptBlock: 2, muteBlock: 4 });
    const { usb, device } = createFakeReader({
      card,
      level: 'tpdu',
      atr: t1OnlyAtr(),
      cardProtocol: 1,
    });
    const t = await openCcidTransport(device, { events: usb });
    await selectAndGetEid(t);
    // The corrupt block was asked for again with R(N(R), EDC error): PCB 81 or 91.
    expect(xfrBlocks(device.log).some((b) => b === '00810081' || b === '00910091')).toBe(true);
    // The reader reported ICC_MUTE (bStatus 40, bError FE) once; the engine sent an R-block.
    expect(
      device.log.some((l) => l.startsWith('IN 80') && l.slice(3 + 14, 3 + 18) === '40FE'),
    ).toBe(true);
    expect(card.stats.retransmits).toBeGreaterThan(0);
    expect(card.stats.resynchs).toBe(0);
    await t.close();
  });

  it('a card that stops answering ends the APDU with T1Error retriesExhausted', async () => {
    let alive = true;
    const inner = t1Card(tinyCard());
    const card: CardFn = (block) => {
      if (!alive) throw new Error('mute');
      return inner(block);
    };
    const { usb, device } = createFakeReader({
      card,
      level: 'tpdu',
      atr: t1OnlyAtr(),
      cardProtocol: 1,
    });
    const t = await openCcidTransport(device, { events: usb });
    expect(toHex(await t.transmit(OPEN_CHANNEL))).toBe('019000');
    alive = false;
    const err = await t.transmit(OPEN_CHANNEL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(T1Error);
    expect((err as T1Error).reason).toBe('retriesExhausted');
    expect((err as T1Error).resynchronised).toBe(false);
    // Once the card talks again the link resynchronises and carries APDUs.
    alive = true;
    expect(toHex(await t.transmit(fromHex('00708001')))).toBe('9000');
    expect(inner.stats.resynchs).toBe(1);
    await t.close();
  });

  it('an aborted signal stops a T=1 chain between blocks; the next APDU resynchronises', async () => {
    const inner = t1Card(tinyCard());
    const ac = new AbortController();
    const card: CardFn = (block) => {
      // Abort while the card takes the first block of a chain (PCB with M set).
      if ((block[1]! & 0xa0) === 0x20) ac.abort(new Error('user cancelled'));
      return inner(block);
    };
    const { usb, device } = createFakeReader({
      card,
      level: 'tpdu',
      atr: t1OnlyAtr(),
      cardProtocol: 1,
    });
    const t = await openCcidTransport(device, { events: usb });
    expect(toHex(await t.transmit(OPEN_CHANNEL))).toBe('019000');
    // 5 + 40 bytes: more than IFSC 32, so it goes as a chain.
    const long = fromHex('81E2910028' + 'A0'.repeat(40));
    await expect(t.transmit(long, ac.signal)).rejects.toThrow('user cancelled');
    expect(toHex(await t.transmit(SELECT_ISDR_CH1)).slice(-4)).toBe('9000');
    expect(inner.stats.resynchs).toBe(1);
    // The chain stopped after its first block (I(1) with M: PCB 60): no second part was sent.
    expect(device.cardLog.filter((b) => /^00[26]0/.test(b)).length).toBe(1);
    await t.close();
  });
});

describe('CcidTransport speed at TPDU level (ISO/IEC 7816-3 §9, CCID §6.1.7)', () => {
  it('T=0 on a reader without automatic PPS: the host sends the PPS, then SetParameters carries TA1', async () => {
    const { usb, device } = createFakeReader({
      card: t0Card(tinyCard()),
      level: 'tpdu',
      initialProtocol: 1,
      maxDataRate: 250_000, // TA1 96 at 4 MHz: 4000 kHz x 32 / 512
    });
    const t = await openCcidTransport(device, { events: usb });
    expect(t.protocol).toBe(0);
    expect(t.session.speed).toEqual({
      findexDindex: 0x96,
      bitRate: 250_000,
      negotiation: 'hostPps',
    });
    // PPSS FF, PPS0 10 (PPS1 follows, T=0), PPS1 96, PCK 79.
    expect(device.ppsLog).toEqual(['FF109679']);
    expect(device.setParametersLog).toEqual([0x96]);
    await selectAndGetEid(t);
    await t.close();
  });

  it('T=0 on a reader too slow for TA1: SetParameters keeps the default Fi/Di', async () => {
    const { usb, device } = createFakeReader({
      card: t0Card(tinyCard()),
      level: 'tpdu',
      initialProtocol: 1,
    });
    const t = await openCcidTransport(device, { events: usb });
    expect(device.setParametersLog).toEqual([0x11]);
    expect(device.ppsLog).toEqual([]);
    expect(t.session.speed?.negotiation).toBe('default');
    await selectAndGetEid(t);
    await t.close();
  });

  it('a card that refuses the PPS is powered again and runs at the default rate', async () => {
    const { usb, device } = createFakeReader({
      card: t0Card(tinyCard()),
      level: 'tpdu',
      maxDataRate: 250_000,
      cardPps: false,
    });
    const t = await openCcidTransport(device, { events: usb });
    expect(t.session.speed).toMatchObject({ findexDindex: 0x11, negotiation: 'fallback' });
    expect(device.powerOns).toEqual([0, 0]);
    await selectAndGetEid(t);
    await t.close();
  });

  it('a reader without automatic voltage selection: 5 V, then 3 V, then 1.8 V', async () => {
    const { usb, device } = createFakeReader({
      card: tinyCard(),
      descriptor: {
        features: CcidFeature.shortApduLevel,
        maxCcidMessageLength: 271,
        voltageSupport: 0x07,
      },
      cardVoltages: 0x04,
    });
    const t = await openCcidTransport(device, { events: usb });
    expect(device.powerOns).toEqual([1, 2, 3]);
    expect(t.session.voltage).toBe(3);
    await selectAndGetEid(t);
    await t.close();
  });
});

describe('CcidReader slot list', () => {
  it('GetSlotStatus for every slot, and NotifySlotChange reported to listeners', async () => {
    const { usb, device } = createFakeReader({ slots: [undefined, tinyCard()] });
    const reader = await CcidReader.open(device, { events: usb });
    expect(await reader.slotStatuses()).toEqual([
      { slot: 0, state: 'absent' },
      { slot: 1, state: 'inactive' },
    ]);
    const changes: string[] = [];
    reader.onSlotChange((slot, state) => changes.push(`${slot}:${state}`));
    device.insertCard(tinyCard(), 0);
    for (let i = 0; i < 50 && changes.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(changes).toEqual(['0:inactive']);
    await reader.close();
  });
});
