/**
 * Browser side of the fake USB modem: bundled into a plain script (../usb/install-browser.ts) and
 * run by page.addInitScript before the app. Defines navigator.usb with one fake modem whose SIM
 * lives in Node behind page.exposeFunction('__weblpaCard').
 */
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { createFakeUsbModem, type FakeUsb, type FakeUsbModemOptions } from './fake-usb-modem.ts';

/** The serialisable options (no functions): everything but the card and the callbacks. */
export type FakeUsbModemPageOptions = Omit<
  FakeUsbModemOptions,
  'card' | 'disconnectWhen' | 'answerDelayMs'
>;

declare global {
  var __weblpaCard: ((apduHex: string) => Promise<string>) | undefined;
  var __weblpaFakeUsbModem: FakeUsb | undefined;
  var __weblpaInstallFakeUsbModem: ((options: FakeUsbModemPageOptions) => void) | undefined;
}

globalThis.__weblpaInstallFakeUsbModem = (options) => {
  const card = async (apdu: Uint8Array): Promise<Uint8Array> => {
    const bridge = globalThis.__weblpaCard;
    if (!bridge) throw new Error('no card bridge (__weblpaCard) exposed');
    return fromHex(await bridge(toHex(apdu)));
  };
  const { usb } = createFakeUsbModem({ ...options, card });
  globalThis.__weblpaFakeUsbModem = usb;
  Object.defineProperty(Navigator.prototype, 'usb', {
    configurable: true,
    enumerable: true,
    get: () => usb,
  });
};
