/**
 * Browser side of the fake modem: bundled into a plain script (install-browser.ts) and run by
 * page.addInitScript. Defines navigator.serial with one fake modem port whose SIM lives in Node
 * behind page.exposeFunction('__weblpaCard').
 */
import { fromHex, toHex } from '../../../src/codec/index.ts';
import {
  FakeAtModem,
  FakeSerialPort,
  type FakeModemOptions,
  type FakePortMode,
} from './fake-at-modem.ts';

type SerialisableOptions = Omit<FakeModemOptions, 'card'> & { portMode?: FakePortMode };

declare global {
  var __weblpaCard: ((apduHex: string) => Promise<string>) | undefined;
  var __weblpaFakeSerialPort: FakeSerialPort | undefined;
  var __weblpaInstallFakeSerial: ((options: SerialisableOptions) => void) | undefined;
}

class FakeSerial extends EventTarget {
  constructor(readonly port: FakeSerialPort) {
    super();
    // Chrome's 'disconnect' bubbles from the port to navigator.serial.
    port.addEventListener('disconnect', () => {
      this.dispatchEvent(new Event('disconnect'));
    });
  }
  getPorts(): Promise<FakeSerialPort[]> {
    return Promise.resolve([this.port]);
  }
  requestPort(): Promise<FakeSerialPort> {
    return Promise.resolve(this.port);
  }
}

globalThis.__weblpaInstallFakeSerial = (options) => {
  const card = async (apdu: Uint8Array): Promise<Uint8Array> => {
    const bridge = globalThis.__weblpaCard;
    if (!bridge) throw new Error('no card bridge (__weblpaCard) exposed');
    return fromHex(await bridge(toHex(apdu)));
  };
  const { portMode, ...modemOptions } = options;
  const port = new FakeSerialPort(new FakeAtModem({ ...modemOptions, card }), portMode);
  globalThis.__weblpaFakeSerialPort = port;
  const serial = new FakeSerial(port);
  Object.defineProperty(Navigator.prototype, 'serial', {
    configurable: true,
    enumerable: true,
    get: () => serial,
  });
};
