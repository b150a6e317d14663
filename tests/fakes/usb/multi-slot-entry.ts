/**
 * Browser side of the fake multi-slot reader (install-multi-slot.ts): navigator.usb with one
 * fake CCID reader whose slots hold cards that live in Node, each reached through
 * page.exposeFunction('__weblpaSlotCard') with its slot number; a slot without a card is empty.
 */
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { FakeCcidDevice, FakeUsb, type CardFn, type FakeCcidOptions } from './fake-ccid-device.ts';

export type MultiSlotPageOptions = Omit<FakeCcidOptions, 'card' | 'slots' | 'atr' | 'cardSlot'> & {
  /** Which slots hold a card (true) and which are empty (false). */
  filled: boolean[];
};

declare global {
  var __weblpaSlotCard: ((slot: number, apduHex: string) => Promise<string>) | undefined;
  var __weblpaFakeUsb: FakeUsb | undefined;
  var __weblpaInstallFakeMultiSlotUsb: ((options: MultiSlotPageOptions) => void) | undefined;
}

globalThis.__weblpaInstallFakeMultiSlotUsb = (options) => {
  const { filled, ...rest } = options;
  const cardIn =
    (slot: number): CardFn =>
    async (apdu) => {
      const bridge = globalThis.__weblpaSlotCard;
      if (!bridge) throw new Error('no card bridge (__weblpaSlotCard) exposed');
      return fromHex(await bridge(slot, toHex(apdu)));
    };
  const usb = new FakeUsb();
  const slots = filled.map((has, slot) => (has ? cardIn(slot) : undefined));
  usb.devices.push(new FakeCcidDevice({ ...rest, slots }, usb));
  globalThis.__weblpaFakeUsb = usb;
  Object.defineProperty(Navigator.prototype, 'usb', {
    configurable: true,
    enumerable: true,
    get: () => usb,
  });
};
