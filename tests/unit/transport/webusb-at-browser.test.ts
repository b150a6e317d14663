// requestTransport of the WebUSB AT-modem transport against the fake navigator.usb: each
// refusal as its typed error (in the order the checks run), chooser filters, disconnect.
import { en } from '../../../src/i18n/en/index.ts';
import { explain } from '../../../src/i18n/explain.ts';
import { describe, it, expect } from 'vitest';
import { Card, openIsdR } from '../../../src/apdu/index.ts';
import { getEid } from '../../../src/es10/es10c.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { requestTransport } from '../../../src/transport/webusb-at/browser.ts';
import { UsbModemAccessError } from '../../../src/transport/webusb-at/errors.ts';
import { modemDeviceFilters } from '../../../src/transport/webusb-at/modem.ts';
import { fromHex } from '../../../src/codec/index.ts';
import {
  createFakeUsbModem,
  FakeUsbModem,
  type FakeUsbModemOptions,
} from '../../fakes/usb-modem/fake-usb-modem.ts';
import { ISD_R_AID, TEST_EID, tinyCard } from '../../fakes/usb/tiny-card.ts';

const FAST = { probeTimeoutMs: 150, isSecureContext: true };

function fake(options: Partial<FakeUsbModemOptions> = {}) {
  return createFakeUsbModem({ card: tinyCard(), ...options });
}

async function reason(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsbModemAccessError);
  return (err as UsbModemAccessError).reason;
}

describe('requestTransport refusals', () => {
  it('insecure page -> insecureContext, before looking at the API', async () => {
    const { usb } = fake();
    expect(await reason(requestTransport(usb, { isSecureContext: false }))).toBe('insecureContext');
    expect(usb.requests).toEqual([]);
  });

  it('no navigator.usb -> noWebUsb', async () => {
    expect(await reason(requestTransport(undefined, FAST))).toBe('noWebUsb');
    expect(await reason(requestTransport({}, FAST))).toBe('noWebUsb');
  });

  it('chooser cancelled (NotFoundError) -> noDevice', async () => {
    const { usb } = fake();
    usb.cancelled = true;
    expect(await reason(requestTransport(usb, FAST))).toBe('noDevice');
  });

  it('open refused -> accessDenied', async () => {
    const { usb } = fake({ openDenied: true });
    expect(await reason(requestTransport(usb, FAST))).toBe('accessDenied');
  });

  it('AT interfaces held by a kernel driver -> busy, with the unbind / Web Serial advice', async () => {
    const { usb, device } = fake({ busy: [0, 1, 2, 3] });
    const err = await requestTransport(usb, FAST).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'UsbModemAccessError', reason: 'busy' });
    expect((err as Error).message).toMatch(/held by another driver or program/);
    // What to do comes from the errors texts, as in the app's error panel.
    expect(explain(err, en).advice).toMatch(/unbind/);
    expect(explain(err, en).advice).toMatch(/Serial modem option/);
    expect(device.opened).toBe(false);
  });

  it('nothing answers AT -> noAtInterface', async () => {
    const { usb } = fake({ layout: ['dm', 'qmi'], vendorId: 0x1234 });
    expect(await reason(requestTransport(usb, FAST))).toBe('noAtInterface');
  });

  it("granted 'only' with no granted modem -> noDevice without showing the chooser", async () => {
    const { usb, device } = fake();
    device.unplug();
    expect(await reason(requestTransport(usb, { ...FAST, granted: 'only' }))).toBe('noDevice');
    expect(usb.requests).toEqual([]);
  });
});

describe('requestTransport', () => {
  it('shows the chooser with the modem filters and reads the EID', async () => {
    const { usb } = fake();
    const t = await requestTransport(usb, FAST);
    expect(usb.requests).toEqual([{ filters: modemDeviceFilters() }]);
    expect(t.label).toBe('EG25-G (USB AT, interface 2)');
    // The entry point probes the block size: this modem carries 255-byte STORE DATA blocks.
    expect(t.maxStoreDataBlock).toBe(255);
    expect(t.logicalChannels).toBeDefined();
    const isdr = await openIsdR(new Card(t));
    expect(await getEid(isdr)).toBe(TEST_EID);
    await t.close();
  });

  it("granted 'prefer' reuses the one granted modem", async () => {
    const { usb } = fake();
    const t = await requestTransport(usb, { ...FAST, granted: 'prefer' });
    expect(usb.requests).toEqual([]);
    await t.close();
  });

  it('fires onDisconnect once for this device, and the transport then fails with TransportClosedError', async () => {
    const { usb, device } = fake();
    let lost = 0;
    const t = await requestTransport(usb, {
      ...FAST,
      onDisconnect: () => {
        lost++;
      },
    });
    // Another device going away is not ours.
    const other = new FakeUsbModem({ card: tinyCard() });
    usb.dispatchEvent(Object.assign(new Event('disconnect'), { device: other }));
    expect(lost).toBe(0);
    const ch = await t.logicalChannels!.open(ISD_R_AID);
    device.unplug();
    usb.dispatchEvent(Object.assign(new Event('disconnect'), { device }));
    expect(lost).toBe(1);
    await expect(ch.transmit(fromHex('80E2910006BF3E035C015A00'))).rejects.toBeInstanceOf(
      TransportClosedError,
    );
    await expect(t.transmit(fromHex('00A4040000'))).rejects.toBeInstanceOf(TransportClosedError);
    await t.close();
    expect(lost).toBe(1);
  });

  it('a modem unplugged in the middle of a command: the command fails with TransportClosedError', async () => {
    let lost = 0;
    const { usb } = fake({ disconnectWhen: (l) => l.startsWith('AT+CGLA') });
    const t = await requestTransport(usb, {
      ...FAST,
      probeStoreDataBlock: false,
      onDisconnect: () => {
        lost++;
      },
    });
    const ch = await t.logicalChannels!.open(ISD_R_AID);
    await expect(ch.transmit(fromHex('80E2910006BF3E035C015A00'))).rejects.toBeInstanceOf(
      TransportClosedError,
    );
    expect(lost).toBe(1);
    await t.close();
  });

  it('closing the transport does not fire onDisconnect and closes the device', async () => {
    const { usb, device } = fake();
    let lost = 0;
    const t = await requestTransport(usb, {
      ...FAST,
      onDisconnect: () => {
        lost++;
      },
    });
    await t.close();
    expect(device.opened).toBe(false);
    device.unplug();
    expect(lost).toBe(0);
  });
});
