// Choosing a reader's interface and slot (choice.ts, browser.ts openChosenSlot): the contact
// interface by default, slots with a card first, the user's answer through the broker, and the
// choice remembered per device (vendor, product, serial number).
import { describe, expect, it } from 'vitest';
import { openChosenSlot } from '../../../src/transport/webusb-ccid/browser.ts';
import {
  ReaderChoiceBroker,
  ReaderChoiceCancelled,
  deviceKey,
  type ChoiceStore,
  type ReaderChoiceRequest,
} from '../../../src/transport/webusb-ccid/choice.ts';
import { CcidFeature } from '../../../src/transport/webusb-ccid/descriptors.ts';
import { FakeCcidDevice, FakeUsb } from '../../fakes/usb/fake-ccid-device.ts';
import { tinyCard } from '../../fakes/usb/tiny-card.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';

function memoryStore(): ChoiceStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
  };
}

/** A two-interface reader: contactless (interface 0, 1 slot) and contact (interface 1, 3 slots). */
function dualReader(cardSlot: number): { usb: FakeUsb; device: FakeCcidDevice } {
  const usb = new FakeUsb();
  const device = new FakeCcidDevice(
    {
      serialNumber: 'SN-42',
      card: tinyCard(),
      cardSlot,
      interfaces: [
        {
          interfaceNumber: 1,
          interfaceClass: 0x0b,
          name: 'Contact Reader',
          descriptor: {
            maxSlotIndex: 2,
            features: CcidFeature.shortApduLevel | CcidFeature.automaticVoltage,
            maxCcidMessageLength: 271,
          },
        },
        {
          interfaceNumber: 0,
          interfaceClass: 0x0b,
          name: 'Contactless Reader',
          descriptor: {
            voltageSupport: 0x01,
            features: CcidFeature.shortApduLevel | CcidFeature.automaticVoltage,
            maxCcidMessageLength: 271,
          },
        },
      ],
    },
    usb,
  );
  usb.devices.push(device);
  return { usb, device };
}

const OPEN_CHANNEL = fromHex('0070000001');

describe('openChosenSlot', () => {
  it('without anyone to ask: the contact interface and its first slot with a card', async () => {
    const { usb, device } = dualReader(2);
    const store = memoryStore();
    const t = await openChosenSlot(
      device,
      { events: usb },
      { broker: new ReaderChoiceBroker(), store },
    );
    expect(t.reader.interfaceNumber).toBe(1);
    expect(t.slot).toBe(2);
    expect(toHex(await t.transmit(OPEN_CHANNEL))).toBe('019000');
    await t.close();
    expect(store.data.get('weblpa.ccid-choice.' + deviceKey(device))).toBe(
      JSON.stringify({ interfaceNumber: 1, slot: 2 }),
    );
  });

  it('asks the user (slots with a card first), then remembers the answer for the device', async () => {
    const { usb, device } = dualReader(1);
    const store = memoryStore();
    const broker = new ReaderChoiceBroker();
    const seen: (ReaderChoiceRequest | undefined)[] = [];
    const stop = broker.subscribe((r) => {
      seen.push(r);
      if (r) broker.answer({ interfaceNumber: 1, slot: 1 });
    });
    const t = await openChosenSlot(device, { events: usb }, { broker, store });
    const asked = seen.find((r) => r !== undefined)!;
    expect(asked.reader).toBe('WebLPA Fake CCID Reader');
    expect(asked.interfaces.map((i) => [i.interfaceNumber, i.kind])).toEqual([
      [1, 'contact'],
      [0, 'contactless'],
    ]);
    expect(asked.interfaces[0]!.slots).toEqual([
      { slot: 1, state: 'inactive' },
      { slot: 0, state: 'absent' },
      { slot: 2, state: 'absent' },
    ]);
    expect(asked.suggested).toEqual({ interfaceNumber: 1, slot: 1 });
    expect(t.slot).toBe(1);
    await t.close();

    // Next time: no question, the remembered slot.
    seen.length = 0;
    const again = await openChosenSlot(device, { events: usb }, { broker, store });
    expect(again.slot).toBe(1);
    expect(seen.filter((r) => r !== undefined)).toEqual([]);
    await again.close();
    stop();
  });

  it('cancelling the question closes the reader with ReaderChoiceCancelled', async () => {
    const { usb, device } = dualReader(0);
    const broker = new ReaderChoiceBroker();
    const stop = broker.subscribe((r) => {
      if (r) broker.cancel();
    });
    const err = await openChosenSlot(
      device,
      { events: usb },
      { broker, store: memoryStore() },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReaderChoiceCancelled);
    expect(device.opened).toBe(false);
    stop();
  });
});
