// requestTransport(api, { onDisconnect }) of both browser modules, the entry point the app loads:
// each browser refusal maps to its own typed error kind, the link carries APDUs, and onDisconnect
// fires once on unplug but never on an orderly close. Run against the fakes in Node.
import { describe, it, expect } from 'vitest';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { requestTransport as requestUsb } from '../../../src/transport/webusb-ccid/browser.ts';
import { UsbAccessError } from '../../../src/transport/webusb-ccid/errors.ts';
import { requestTransport as requestSerial } from '../../../src/transport/webserial-at/browser.ts';
import { SerialAccessError } from '../../../src/transport/webserial-at/errors.ts';
import {
  FakeCcidDevice,
  FakeUsb,
  createFakeReader,
  type FakeCcidOptions,
} from '../../fakes/usb/fake-ccid-device.ts';
import {
  FakeAtModem,
  FakeSerialPort,
  type FakePortMode,
} from '../../fakes/serial/fake-at-modem.ts';
import { TEST_EID, tinyCard } from '../../fakes/usb/tiny-card.ts';

// SELECT ISD-R by AID (SGP.22 §2.2.3) and ES10c GetEID (docs/protocol.md §3.3) on the basic channel.
const SELECT_ISDR = fromHex('00A4040010A0000005591010FFFFFFFF890000010000');
const GET_EID = fromHex('80E2910006BF3E035C015A00');
const EID_ANSWER = `BF3E125A10${TEST_EID}9000`;

async function usbKind(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsbAccessError);
  return (err as UsbAccessError).reason;
}

async function serialKind(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SerialAccessError);
  return (err as SerialAccessError).reason;
}

describe('WebUSB requestTransport', () => {
  const reader = (options: Omit<FakeCcidOptions, 'card'> = {}) =>
    createFakeReader({ card: tinyCard(), ...options });

  it('names the insecure page before the missing API', async () => {
    expect(await usbKind(requestUsb(undefined, { isSecureContext: false }))).toBe(
      'insecureContext',
    );
    expect(await usbKind(requestUsb(reader().usb, { isSecureContext: false }))).toBe(
      'insecureContext',
    );
  });

  it('says the browser has no WebUSB when the API is missing or not a USB object', async () => {
    expect(await usbKind(requestUsb(undefined, { isSecureContext: true }))).toBe('noWebUsb');
    expect(await usbKind(requestUsb({}, { isSecureContext: true }))).toBe('noWebUsb');
  });

  it('maps an empty chooser to noDevice', async () => {
    expect(await usbKind(requestUsb(new FakeUsb(), { isSecureContext: true }))).toBe('noDevice');
  });

  it('maps Chrome refusals: protected class, busy, access denied', async () => {
    for (const mode of ['protectedClass', 'busy', 'accessDenied'] as const) {
      const { usb } = reader({ mode });
      expect(await usbKind(requestUsb(usb, { isSecureContext: true }))).toBe(mode);
    }
  });

  it('each kind has its own plain message', () => {
    const kinds = [
      'protectedClass',
      'busy',
      'accessDenied',
      'noWebUsb',
      'insecureContext',
    ] as const;
    const messages = new Set(kinds.map((k) => new UsbAccessError(k).message));
    expect(messages.size).toBe(kinds.length);
    expect(new UsbAccessError('protectedClass').message).toMatch(/protected class/);
    expect(new UsbAccessError('busy').message).toMatch(/in use by another program/);
  });

  it('carries APDUs; onDisconnect fires once on unplug, then the link is closed', async () => {
    const { usb, device } = reader();
    let lost = 0;
    const t = await requestUsb(usb, {
      isSecureContext: true,
      onDisconnect: () => {
        lost++;
      },
    });
    expect(t.label).toMatch(/Fake CCID Reader/);
    expect(toHex((await t.transmit(SELECT_ISDR)).subarray(-2))).toBe('9000');
    expect(toHex(await t.transmit(GET_EID))).toBe(EID_ANSWER);
    device.unplug();
    device.unplug();
    expect(lost).toBe(1);
    await expect(t.transmit(GET_EID)).rejects.toBeInstanceOf(TransportClosedError);
    await t.close();
  });

  it('does not call onDisconnect after an orderly close, nor for another device', async () => {
    const { usb, device } = reader();
    let lost = 0;
    const t = await requestUsb(usb, {
      isSecureContext: true,
      onDisconnect: () => {
        lost++;
      },
    });
    const other = new Event('disconnect') as Event & { device?: unknown };
    other.device = {};
    usb.dispatchEvent(other);
    expect(lost).toBe(0);
    await t.close();
    device.unplug();
    expect(lost).toBe(0);
    expect(device.opened).toBe(false);
  });

  it('works again after a re-plug', async () => {
    const { usb, device } = reader();
    const first = await requestUsb(usb, { isSecureContext: true });
    device.unplug();
    await first.close();
    await expect(requestUsb(usb, { isSecureContext: true })).rejects.toBeInstanceOf(UsbAccessError);
    device.replug();
    const second = await requestUsb(usb, { isSecureContext: true });
    expect(toHex((await second.transmit(SELECT_ISDR)).subarray(-2))).toBe('9000');
    await second.close();
  });
});

describe('WebUSB requestTransport with a reader granted earlier', () => {
  it("'only' opens the one granted reader without the chooser", async () => {
    const { usb } = createFakeReader({ card: tinyCard() });
    const t = await requestUsb(usb, { isSecureContext: true, granted: 'only' });
    expect(usb.lastFilters).toBeUndefined();
    expect(toHex((await t.transmit(SELECT_ISDR)).subarray(-2))).toBe('9000');
    await t.close();
  });

  it("'only' with none plugged in, or two, is noDevice and never shows the chooser", async () => {
    const { usb, device } = createFakeReader({ card: tinyCard() });
    device.unplug();
    expect(await usbKind(requestUsb(usb, { isSecureContext: true, granted: 'only' }))).toBe(
      'noDevice',
    );
    device.replug();
    usb.devices.push(new FakeCcidDevice({ card: tinyCard() }, usb));
    expect(await usbKind(requestUsb(usb, { isSecureContext: true, granted: 'only' }))).toBe(
      'noDevice',
    );
    expect(usb.lastFilters).toBeUndefined();
  });

  it("'prefer' falls back to the chooser when the choice is not clear", async () => {
    const { usb } = createFakeReader({ card: tinyCard() });
    usb.devices.push(new FakeCcidDevice({ card: tinyCard() }, usb));
    const t = await requestUsb(usb, { isSecureContext: true, granted: 'prefer' });
    expect(usb.lastFilters).toBeDefined();
    await t.close();
  });

  it('a granted device that is not a reader is not taken for one', async () => {
    const { usb } = createFakeReader({ card: tinyCard(), interfaceClass: 0xff });
    expect(await usbKind(requestUsb(usb, { isSecureContext: true, granted: 'only' }))).toBe(
      'noDevice',
    );
  });
});

class FakeSerialApi {
  constructor(readonly port: FakeSerialPort | undefined) {}
  requests = 0;
  getPorts(): Promise<FakeSerialPort[]> {
    return Promise.resolve(this.port ? [this.port] : []);
  }
  requestPort(): Promise<FakeSerialPort> {
    this.requests++;
    return this.port
      ? Promise.resolve(this.port)
      : Promise.reject(new DOMException('No port selected by the user.', 'NotFoundError'));
  }
}

function serialApi(mode: FakePortMode = 'ok', csimOnly = false): FakeSerialApi {
  const modem = new FakeAtModem({ card: tinyCard(), mode: csimOnly ? 'dw5821e' : 'standard' });
  return new FakeSerialApi(new FakeSerialPort(modem, mode));
}

describe('Web Serial requestTransport', () => {
  it('names the insecure page, a missing API and an empty chooser', async () => {
    expect(await serialKind(requestSerial(serialApi(), { isSecureContext: false }))).toBe(
      'insecureContext',
    );
    expect(await serialKind(requestSerial(undefined, { isSecureContext: true }))).toBe(
      'noWebSerial',
    );
    expect(
      await serialKind(requestSerial(new FakeSerialApi(undefined), { isSecureContext: true })),
    ).toBe('noDevice');
  });

  it('maps a port held elsewhere to busy and a refused one to accessDenied', async () => {
    expect(await serialKind(requestSerial(serialApi('busy'), { isSecureContext: true }))).toBe(
      'busy',
    );
    expect(
      await serialKind(requestSerial(serialApi('accessDenied'), { isSecureContext: true })),
    ).toBe('accessDenied');
    expect(new SerialAccessError('busy').message).toMatch(/another program or tab holds it/);
    expect(new SerialAccessError('accessDenied').message).toMatch(/refused access/);
  });

  it('opens a CGLA modem with native channels and a CSIM-only one without', async () => {
    const cgla = await requestSerial(serialApi(), { isSecureContext: true });
    expect(cgla.logicalChannels).toBeDefined();
    const ch = await cgla.logicalChannels!.open(fromHex('A0000005591010FFFFFFFF8900000100'));
    expect(toHex(await ch.transmit(GET_EID))).toBe(EID_ANSWER);
    await ch.close();
    await cgla.close();
    const csim = await requestSerial(serialApi('ok', true), { isSecureContext: true });
    expect(csim.logicalChannels).toBeUndefined();
    expect(toHex((await csim.transmit(SELECT_ISDR)).subarray(-2))).toBe('9000');
    await csim.close();
  });

  it("a port granted earlier: 'only' opens it without the chooser, or says noDevice", async () => {
    const api = serialApi();
    const t = await requestSerial(api, { isSecureContext: true, granted: 'only' });
    expect(api.requests).toBe(0);
    expect(toHex((await t.transmit(SELECT_ISDR)).subarray(-2))).toBe('9000');
    await t.close();
    const none = new FakeSerialApi(undefined);
    expect(await serialKind(requestSerial(none, { isSecureContext: true, granted: 'only' }))).toBe(
      'noDevice',
    );
    expect(none.requests).toBe(0);
  });

  it('onDisconnect fires once when the modem is unplugged, never after close', async () => {
    const api = serialApi();
    let lost = 0;
    const t = await requestSerial(api, {
      isSecureContext: true,
      onDisconnect: () => {
        lost++;
      },
    });
    api.port!.unplug();
    await expect(t.transmit(SELECT_ISDR)).rejects.toBeInstanceOf(TransportClosedError);
    expect(lost).toBe(1);
    await t.close();

    const api2 = serialApi();
    let lost2 = 0;
    const t2 = await requestSerial(api2, {
      isSecureContext: true,
      onDisconnect: () => {
        lost2++;
      },
    });
    await t2.close();
    api2.port!.unplug();
    expect(lost2).toBe(0);
  });
});
