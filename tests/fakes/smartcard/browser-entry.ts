/**
 * Browser side of the fake smart card service: bundled into a plain script (install-browser.ts)
 * and run by page.addInitScript before the app. Defines navigator.smartCard with one reader whose
 * card lives in Node behind page.exposeFunction('__weblpaCard').
 */
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { FakeSmartCard, type FakeSmartCardMode } from './fake-smartcard.ts';

export interface FakeSmartCardPageOptions {
  readerName?: string;
  /** Start with the reader empty. */
  noCard?: boolean;
  mode?: FakeSmartCardMode;
}

declare global {
  var __weblpaCard: ((apduHex: string) => Promise<string>) | undefined;
  var __weblpaFakeSmartCard: FakeSmartCard | undefined;
  var __weblpaInstallFakeSmartCard: ((options: FakeSmartCardPageOptions) => void) | undefined;
}

globalThis.__weblpaInstallFakeSmartCard = (options) => {
  const card = async (apdu: Uint8Array): Promise<Uint8Array> => {
    const bridge = globalThis.__weblpaCard;
    if (!bridge) throw new Error('no card bridge (__weblpaCard) exposed');
    return fromHex(await bridge(toHex(apdu)));
  };
  const api = new FakeSmartCard();
  api.mode = options.mode ?? 'ok';
  api.addReader(options.readerName ?? 'Fake PC/SC Reader 00 00', options.noCard ? undefined : card);
  globalThis.__weblpaFakeSmartCard = api;
  Object.defineProperty(Navigator.prototype, 'smartCard', {
    configurable: true,
    enumerable: true,
    get: () => api,
  });
};
