import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import {
  ReaderSlots,
  SlotEmptyError,
  openReaderSlots,
} from '../../../src/transport/webusb-ccid/reader-slots.ts';
import { requestReaderSlots } from '../../../src/transport/webusb-ccid/browser-slots.ts';
import { UsbAccessError } from '../../../src/transport/webusb-ccid/errors.ts';
import {
  createFakeReader,
  t1Card,
  t1OnlyAtr,
  type CardFn,
} from '../../fakes/usb/fake-ccid-device.ts';
import { tinyCard, TEST_EID } from '../../fakes/usb/tiny-card.ts';

const OPEN_CHANNEL = fromHex('0070000001');
const SELECT_ISDR_CH1 = fromHex('01A4040010A0000005591010FFFFFFFF890000010000');
const GET_EID_CH1 = fromHex('81E2910006BF3E035C015A00');

interface Link {
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

/** Opens a logical channel, selects the ISD-R there and reads the EID (docs/protocol.md §3.3). */
async function readEid(t: Link): Promise<string> {
  const opened = await t.transmit(OPEN_CHANNEL);
  expect(toHex(opened.slice(1))).toBe('9000');
  const ch = opened[0]!;
  expect(ch).toBeLessThan(4);
  const select = SELECT_ISDR_CH1.slice();
  select[0] = ch;
  expect(toHex((await t.transmit(select)).slice(-2))).toBe('9000');
  const getEid = GET_EID_CH1.slice();
  getEid[0] = 0x80 | ch;
  return toHex(await t.transmit(getEid));
}

/** A card that answers after `ms` (so exchanges on two slots really overlap in time). */
function slow(card: CardFn, ms: number): CardFn {
  return async (apdu) => {
    await new Promise((r) => setTimeout(r, ms));
    return card(apdu);
  };
}

/** The bulk messages of the log as {dir, slot, seq}: bSlot is byte 5, bSeq byte 6 (CCID §6.1). */
function messages(log: readonly string[]): { dir: string; slot: number; seq: number }[] {
  return log.map((l) => {
    const [dir = '', hex = ''] = l.split(' ');
    return { dir, slot: parseInt(hex.slice(10, 12), 16), seq: parseInt(hex.slice(12, 14), 16) };
  });
}

/** Every command is answered before the next one is sent, and the answer is for that command. */
function expectOneCommandAtATime(log: readonly string[]): void {
  const m = messages(log);
  for (let i = 0; i < m.length; i += 2) {
    expect(m[i]!.dir, `message ${i}`).toBe('OUT');
    expect(m[i + 1], `answer to message ${i}`).toMatchObject({
      dir: 'IN',
      slot: m[i]!.slot,
      seq: m[i]!.seq,
    });
  }
}

describe('ReaderSlots: every slot of one reader over one pipe', () => {
  it('two slots used at once: the commands take turns on the pipe, never overlapping', async () => {
    const a = tinyCard();
    const b = tinyCard();
    const { usb, device } = createFakeReader({ slots: [slow(a, 3), slow(b, 1), undefined] });
    const slots = await openReaderSlots(device, { events: usb });
    expect(slots.slots.map((s) => [s.slot, s.label, s.state])).toEqual([
      [0, 'WebLPA Fake CCID Reader slot 0', 'inactive'],
      [1, 'WebLPA Fake CCID Reader slot 1', 'inactive'],
      [2, 'WebLPA Fake CCID Reader slot 2', 'absent'],
    ]);
    const [t0, t1] = await Promise.all([slots.slots[0]!.open(), slots.slots[1]!.open()]);
    expect(t0.label).toBe('WebLPA Fake CCID Reader slot 0');
    expect(t0.reader).toBe(t1.reader);
    const start = device.log.length;
    const eids = await Promise.all([readEid(t0), readEid(t1), readEid(t0), readEid(t1)]);
    for (const eid of eids) expect(eid).toBe(`BF3E125A10${TEST_EID}9000`);
    expect(a.log.length).toBe(6);
    expect(b.log.length).toBe(6);
    expectOneCommandAtATime(device.log);
    // Both slots were in use at once: their exchanges alternate rather than run one after the other.
    const order = messages(device.log.slice(start))
      .filter((m) => m.dir === 'OUT')
      .map((m) => m.slot);
    expect(order.slice(0, 4)).toEqual([0, 1, 0, 1]);
    await slots.close();
    expect(device.opened).toBe(false);
    await expect(t1.transmit(OPEN_CHANNEL)).rejects.toBeInstanceOf(TransportClosedError);
  });

  it('at TPDU level each slot settles T=1 itself and keeps its own block sequence', async () => {
    const cards = [t1Card(tinyCard()), t1Card(tinyCard())];
    const { usb, device } = createFakeReader({
      slots: cards,
      level: 'tpdu',
      atr: t1OnlyAtr(),
      initialProtocol: 1,
      cardProtocol: 1,
    });
    const slots = await openReaderSlots(device, { events: usb });
    const [t0, t1] = await Promise.all(slots.slots.map((s) => s.open()));
    expect([t0!.protocol, t1!.protocol]).toEqual([1, 1]);
    expect(toHex(t0!.atr instanceof Uint8Array ? t0!.atr : t0!.atr.bytes)).toBe(toHex(t1OnlyAtr()));
    const eids = await Promise.all([readEid(t0!), readEid(t1!), readEid(t1!)]);
    expect(new Set(eids)).toEqual(new Set([`BF3E125A10${TEST_EID}9000`]));
    expectOneCommandAtATime(device.log);
    expect(cards.map((c) => c.stats.retransmits)).toEqual([0, 0]);
    await slots.close();
  });

  it('an empty slot fails with SlotEmptyError and the others work', async () => {
    const { usb, device } = createFakeReader({ slots: [tinyCard(), undefined, tinyCard()] });
    const slots = await ReaderSlots.open(device, { events: usb });
    const results = await Promise.allSettled(slots.slots.map((s) => s.open()));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const err = (results[1] as PromiseRejectedResult).reason as unknown;
    expect(err).toBeInstanceOf(SlotEmptyError);
    expect(err).toBeInstanceOf(TransportClosedError);
    expect(err).toMatchObject({ slot: 1, message: 'no card in WebLPA Fake CCID Reader slot 1' });
    for (const r of results)
      if (r.status === 'fulfilled') expect(await readEid(r.value)).toMatch(/^BF3E/);
    await slots.close();
  });

  it('taking the card out of one slot ends that slot only', async () => {
    const { usb, device } = createFakeReader({ slots: [tinyCard(), tinyCard()] });
    const slots = await openReaderSlots(device, { events: usb });
    const [t0, t1] = await Promise.all(slots.slots.map((s) => s.open()));
    await Promise.all([readEid(t0!), readEid(t1!)]);
    device.removeCard(0);
    await new Promise((r) => setTimeout(r, 0));
    const err = await t0!.transmit(OPEN_CHANNEL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportClosedError);
    expect((err as Error).message).toMatch(/removed/);
    // Slot 1 goes on, on the same pipe.
    expect(toHex(await t1!.transmit(OPEN_CHANNEL))).toBe('029000');
    expect(toHex((await t1!.transmit(GET_EID_CH1)).slice(-2))).toBe('9000');
    // Slot 0 opened again: empty now; put a card back and it opens.
    await expect(slots.slots[0]!.open()).rejects.toBeInstanceOf(SlotEmptyError);
    device.insertCard(tinyCard(), 0);
    const again = await slots.slots[0]!.open();
    expect(await readEid(again)).toMatch(/^BF3E/);
    expect(toHex(await t1!.transmit(fromHex('0070000001')))).toBe('039000');
    await slots.close();
  });

  it('opening a slot again powers it afresh and closes its earlier transport', async () => {
    const { usb, device } = createFakeReader({ slots: [tinyCard(), tinyCard()] });
    const slots = await openReaderSlots(device, { events: usb });
    const first = await slots.slots[1]!.open();
    const second = await slots.slots[1]!.open();
    await expect(first.transmit(OPEN_CHANNEL)).rejects.toBeInstanceOf(TransportClosedError);
    expect(await readEid(second)).toMatch(/^BF3E/);
    const aborted = new AbortController();
    aborted.abort();
    await expect(slots.slots[0]!.open(aborted.signal)).rejects.toThrow();
    await slots.close();
    await slots.close();
    expect(device.opened).toBe(false);
  });

  it('requestReaderSlots: the chooser, or the page refusing WebUSB with UsbAccessError', async () => {
    const { usb } = createFakeReader({ slots: [tinyCard(), undefined] });
    const slots = await requestReaderSlots(usb, { isSecureContext: true });
    expect(usb.requests).toBe(1);
    expect(slots.slots.map((s) => s.state)).toEqual(['inactive', 'absent']);
    await slots.close();
    await expect(requestReaderSlots(usb, { isSecureContext: false })).rejects.toMatchObject({
      reason: 'insecureContext',
    });
    await expect(requestReaderSlots(undefined, { isSecureContext: true })).rejects.toBeInstanceOf(
      UsbAccessError,
    );
  });
});
