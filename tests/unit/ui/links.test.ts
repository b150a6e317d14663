// openLink (src/ui/state/links.ts) with fake browser APIs in the environment: each hardware kind
// goes through its browser.ts requestTransport, the link carries ES10 (GetEID, docs/protocol.md §3.3),
// and only the chosen device going away drops the link (ctx.onLost), not any other device.
import { describe, it, expect } from 'vitest';
import { getEid } from '../../../src/es10/es10c.ts';
import { openLink } from '../../../src/ui/state/links.ts';
import type { BackendFactory } from '../../../src/ui/state/app.svelte.ts';
import type { BrowserEnv } from '../../../src/ui/state/environment.ts';
import { memoryStore } from '../../../src/ui/state/idb-store.ts';
import { DEFAULT_SETTINGS } from '../../../src/ui/state/settings-model.ts';
import { SmartCardAccessError } from '../../../src/transport/smartcard/errors.ts';
import { FakeCcidDevice, createFakeReader } from '../../fakes/usb/fake-ccid-device.ts';
import { FakeAtModem, FakeSerialPort } from '../../fakes/serial/fake-at-modem.ts';
import { FakeSmartCard } from '../../fakes/smartcard/fake-smartcard.ts';
import { TEST_EID, tinyCard } from '../../fakes/usb/tiny-card.ts';

type Ctx = Parameters<BackendFactory>[1];

function context(env: Partial<BrowserEnv>): { ctx: Ctx; lost: () => number; apdus: () => number } {
  let lost = 0;
  let apdus = 0;
  const fullEnv: BrowserEnv = {
    isSecureContext: true,
    usb: undefined,
    serial: undefined,
    indexedDB: undefined,
    mediaDevices: undefined,
    clipboard: undefined,
    fetch: () => Promise.reject(new Error('no network in this test')),
    now: () => 0,
    ...env,
  };
  // Only what openLink reads: the environment, the settings' current values, the log, the store
  // and the lost-link callback (the rest of the app state is not involved).
  const ctx = {
    env: fullEnv,
    settings: { current: DEFAULT_SETTINGS },
    log: {
      addApdu: () => {
        apdus++;
      },
    },
    store: memoryStore(),
    onLost: () => {
      lost++;
    },
    onNotice: () => undefined,
  } as unknown as Ctx;
  return { ctx, lost: () => lost, apdus: () => apdus };
}

/** Lets pending promise callbacks (event handlers, the smart card removal watch) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

class FakeSerialApi extends EventTarget {
  constructor(readonly port: FakeSerialPort) {
    super();
  }
  getPorts(): Promise<FakeSerialPort[]> {
    return Promise.resolve([this.port]);
  }
  requestPort(): Promise<FakeSerialPort> {
    return Promise.resolve(this.port);
  }
}

describe('openLink over hardware', () => {
  it('USB: unplugging another reader keeps the link; unplugging the chosen one drops it', async () => {
    const { usb, device } = createFakeReader({ card: tinyCard() });
    const other = new FakeCcidDevice({ card: tinyCard() }, usb);
    usb.devices.push(other);
    const { ctx, lost, apdus } = context({ usb: usb as unknown as USB });
    const link = await openLink('usb', ctx);
    expect(link.refreshFlag).toBe(false);
    expect(await getEid(await link.openIsdR())).toBe(TEST_EID);
    expect(apdus()).toBeGreaterThan(0);
    other.unplug();
    await settle();
    expect(lost()).toBe(0);
    device.unplug();
    await settle();
    expect(lost()).toBe(1);
    await link.close();
  });

  it('Serial: another port going away keeps the link; the chosen port going away drops it', async () => {
    const port = new FakeSerialPort(new FakeAtModem({ card: tinyCard() }));
    const otherPort = new FakeSerialPort(new FakeAtModem({ card: tinyCard() }));
    const serial = new FakeSerialApi(port);
    const { ctx, lost } = context({ serial: serial as unknown as Serial });
    const link = await openLink('serial', ctx);
    expect(link.refreshFlag).toBe(true);
    expect(await getEid(await link.openIsdR())).toBe(TEST_EID);
    otherPort.unplug();
    // A 'disconnect' for another port reaching navigator.serial is not ours either.
    serial.dispatchEvent(new Event('disconnect'));
    await settle();
    expect(lost()).toBe(0);
    port.unplug();
    await settle();
    expect(lost()).toBe(1);
    await link.close();
  });

  it('Smart card: removing a card from another reader keeps the link; removing ours drops it', async () => {
    const api = new FakeSmartCard();
    api.addReader('Reader A', tinyCard());
    api.addReader('Reader B', tinyCard());
    const { ctx, lost } = context({ smartCard: api });
    const link = await openLink('smartcard', ctx);
    expect(link.transport.label).toBe('Reader A');
    expect(link.refreshFlag).toBe(false);
    expect(await getEid(await link.openIsdR())).toBe(TEST_EID);
    await settle();
    api.removeCard('Reader B');
    await settle();
    expect(lost()).toBe(0);
    api.removeCard('Reader A');
    await settle();
    expect(lost()).toBe(1);
    await link.close();
  });

  it('Smart card: a browser without the API gets the typed refusal', async () => {
    const { ctx } = context({});
    await expect(openLink('smartcard', ctx)).rejects.toBeInstanceOf(SmartCardAccessError);
    await expect(openLink('smartcard', ctx)).rejects.toMatchObject({ reason: 'noSmartCardApi' });
  });

  it('an orderly close does not count as a lost link', async () => {
    const { usb, device } = createFakeReader({ card: tinyCard() });
    const { ctx, lost } = context({ usb: usb as unknown as USB });
    const link = await openLink('usb', ctx);
    await link.close();
    device.unplug();
    await settle();
    expect(lost()).toBe(0);
  });
});
