/**
 * Browser side of the fake reader: bundled into a plain script (install-browser.ts) and run by
 * page.addInitScript before the app. Defines navigator.usb with one fake CCID reader whose card
 * lives in Node behind page.exposeFunction('__weblpaCard').
 */
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { FakeCcidDevice, FakeUsb, type FakeCcidOptions } from './fake-ccid-device.ts';

type SerialisableOptions = Omit<FakeCcidOptions, 'card' | 'slots' | 'atr'> & { atrHex?: string };

declare global {
  var __weblpaCard: ((apduHex: string) => Promise<string>) | undefined;
  var __weblpaFakeUsb: FakeUsb | undefined;
  var __weblpaInstallFakeUsb: ((options: SerialisableOptions) => void) | undefined;
}

globalThis.__weblpaInstallFakeUsb = (options) => {
  const card = async (apdu: Uint8Array): Promise<Uint8Array> => {
    const bridge = globalThis.__weblpaCard;
    if (!bridge) throw new Error('no card bridge (__weblpaCard) exposed');
    return fromHex(await bridge(toHex(apdu)));
  };
  const usb = new FakeUsb();
  const { atrHex, ...rest } = options;
  const deviceOptions: FakeCcidOptions = { ...rest, card };
  if (atrHex !== undefined) deviceOptions.atr = fromHex(atrHex);
  usb.devices.push(new FakeCcidDevice(deviceOptions, usb));
  globalThis.__weblpaFakeUsb = usb;
  Object.defineProperty(Navigator.prototype, 'usb', {
    configurable: true,
    enumerable: true,
    get: () => usb,
  });
};
