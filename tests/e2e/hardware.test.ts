// The hardware links inside the production build: a fake CCID reader on navigator.usb (APDU and
// TPDU level) and a fake AT modem on navigator.serial (CGLA and CSIM-only), each with a software
// eUICC living in this process behind page.exposeFunction (docs/platform.md §5), talking to the local
// test SM-DP+ through the address overrides of /config.json. Also the refusals a browser gives
// (protected class, busy, no API, insecure page) as the app shows them, and a reader unplugged
// in the middle of loading a Bound Profile Package.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screenshot, type AppServer } from './browser.ts';
import {
  iccid,
  nav,
  profileCard,
  requestDownload,
  startApp,
  testOrder,
  type TestApp,
} from './setup.ts';
import type { LocalServices } from '../../src/server/local-services.ts';
import type { Order } from '../../src/server/smdp/catalogue.ts';
import { localServicesConfig } from '../../src/ui/state/settings-model.ts';
import { toHex } from '../../src/codec/index.ts';
import { createEuicc, createTestIdentity, type SoftwareEuicc } from '../../src/euicc/index.ts';
import { projectTestCi } from '../../src/rsp/index.ts';
import {
  installFakeSerial,
  installFakeUsb,
  installFakeUsbModem,
} from '../fakes/usb/install-browser.ts';
import { t0Card, t1Card, t1OnlyAtr, type FakeCcidOptions } from '../fakes/usb/fake-ccid-device.ts';
import type { FakeModemOptions, FakePortMode } from '../fakes/serial/fake-at-modem.ts';
import { installFakeSmartCard } from '../fakes/smartcard/install-browser.ts';

const order = (matchingId: string, iccidValue: string, reusable = false): Order =>
  testOrder(
    matchingId,
    iccidValue,
    {
      serviceProviderName: 'HW Operator',
      profileName: `HW ${matchingId}`,
      profileClass: 'operational',
    },
    { reusable },
  );

const ICCIDS = {
  usbApdu: iccid('899900200000010001'),
  usbTpdu: iccid('899900200000010002'),
  modemCgla: iccid('899900200000010003'),
  modemCsim: iccid('899900200000010004'),
  unplug: iccid('899900200000010005'),
  smartCard: iccid('899900200000010006'),
  usbT1: iccid('899900200000010007'),
  usbModem: iccid('899900200000010008'),
};

// The unplug order is reusable, so the download can be repeated after the reader is back.
const ORDERS: Order[] = [
  order('HW-USB-APDU', ICCIDS.usbApdu),
  order('HW-USB-TPDU', ICCIDS.usbTpdu),
  order('HW-MODEM-CGLA', ICCIDS.modemCgla),
  order('HW-MODEM-CSIM', ICCIDS.modemCsim),
  order('HW-UNPLUG', ICCIDS.unplug, true),
  order('HW-SMARTCARD', ICCIDS.smartCard),
  order('HW-USB-T1', ICCIDS.usbT1),
  order('HW-USB-MODEM', ICCIDS.usbModem),
];

/** A host name that resolves to the preview server but is not a secure context (plain http, not localhost). */
const INSECURE_HOST = 'weblpa-insecure.test';

let app: TestApp;
let services: LocalServices;
let server: AppServer;

const ac = (id: string): string => `LPA:1$${services.smdpAddress}$${id}`;

before(async () => {
  app = await startApp({
    services: { smdpPort: 0, relayPort: 0, catalogue: ORDERS },
    config: localServicesConfig,
    browserArgs: () => [`--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`],
  });
  ({ services, server } = app);
});

after(() => app.close());

function newEuicc(): SoftwareEuicc {
  return createEuicc({
    identity: createTestIdentity({ curve: 'P-256', ci: projectTestCi('P-256') }),
  });
}

/** A fresh context (its own storage) and page; page errors are collected. */
async function freshPage(): Promise<Page> {
  return (await app.newPage()).page;
}

type Kind = 'USB reader' | 'Serial modem' | 'USB modem' | 'System smart card reader';

async function connect(page: Page, kind: Kind): Promise<void> {
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Connect to an eUICC' }).waitFor();
  await page.getByRole('button', { name: `Use ${kind}` }).click();
  await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
}

async function download(page: Page, matchingId: string): Promise<void> {
  await requestDownload(page, ac(matchingId));
  await page.getByRole('heading', { name: 'Install this profile?' }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('consent-provider').textContent(), 'HW Operator');
  await page.getByRole('button', { name: 'Install', exact: true }).click();
}

/** Chip info, download, list, enable, disable, delete through the app; checks the eUICC after each. */
async function fullJourney(
  page: Page,
  euicc: SoftwareEuicc,
  kind: Kind,
  matchingId: string,
  iccidValue: string,
  labelPattern: RegExp,
): Promise<void> {
  await connect(page, kind);
  assert.match((await page.getByTestId('connection-status').textContent()) ?? '', labelPattern);

  await nav(page, 'Chip');
  await page.getByTestId('eid').waitFor();
  assert.equal(((await page.getByTestId('eid').textContent()) ?? '').trim(), euicc.eid);

  await download(page, matchingId);
  await page.getByRole('heading', { name: 'Profile installed' }).waitFor({ timeout: 60_000 });
  assert.ok(euicc.state.profiles.some((p) => p.iccid === iccidValue));

  await nav(page, 'Profiles');
  const card = profileCard(page, iccidValue);
  await card.waitFor();
  assert.match((await card.textContent()) ?? '', new RegExp(`HW ${matchingId}`));
  assert.match((await card.getByTestId('profile-state').textContent()) ?? '', /Disabled/);

  // The notice comes first, the refreshed list right after it.
  await card.getByRole('button', { name: 'Enable' }).click();
  await page.getByText('is enabled.').waitFor({ timeout: 20_000 });
  await card.getByTestId('profile-state').getByText('Enabled').waitFor();
  assert.equal(euicc.state.profiles.find((p) => p.iccid === iccidValue)?.state, 'enabled');

  await card.getByRole('button', { name: 'Disable' }).click();
  await page.getByText('is disabled.').waitFor({ timeout: 20_000 });
  await card.getByTestId('profile-state').getByText('Disabled').waitFor();
  assert.equal(euicc.state.profiles.find((p) => p.iccid === iccidValue)?.state, 'disabled');

  await card.getByRole('button', { name: 'Delete…' }).click();
  await card.getByLabel('Type DELETE to confirm').fill('DELETE');
  await card.getByRole('button', { name: 'Delete profile' }).click();
  await page.getByText('was deleted.').waitFor({ timeout: 20_000 });
  assert.equal(await profileCard(page, iccidValue).count(), 0);
  assert.ok(!euicc.state.profiles.some((p) => p.iccid === iccidValue));
  // The app's error panel never showed up on the way.
  assert.equal(await page.getByRole('alert').count(), 0);
}

type UsbOptions = Omit<FakeCcidOptions, 'card' | 'slots' | 'atr'>;

async function usbPage(euicc: SoftwareEuicc, options: UsbOptions = {}): Promise<Page> {
  const page = await freshPage();
  const apduCard = (apdu: Uint8Array) => euicc.transmit(apdu);
  await installFakeUsb(page, options.level === 'tpdu' ? t0Card(apduCard) : apduCard, options);
  return page;
}

async function serialPage(
  euicc: SoftwareEuicc,
  options: Omit<FakeModemOptions, 'card'> & { portMode?: FakePortMode } = {},
): Promise<Page> {
  const page = await freshPage();
  await installFakeSerial(page, (apdu) => euicc.transmit(apdu), options);
  return page;
}

test('USB modem (AT over WebUSB): the journey through the AT interface found by probing', async () => {
  const euicc = newEuicc();
  const page = await freshPage();
  // A Quectel-like layout: diagnostics, GNSS, two AT ports, QMI; full-speed 64-byte packets.
  await installFakeUsbModem(page, (apdu) => euicc.transmit(apdu), { packetSize: 64 });
  await fullJourney(
    page,
    euicc,
    'USB modem',
    'HW-USB-MODEM',
    ICCIDS.usbModem,
    /EG25-G \(USB AT, interface 2\)/,
  );
});

test('system smart card reader (Web Smart Card API): chip, download, enable, disable, delete', async () => {
  const euicc = newEuicc();
  const page = await freshPage();
  await installFakeSmartCard(page, (apdu) => euicc.transmit(apdu));
  await fullJourney(
    page,
    euicc,
    'System smart card reader',
    'HW-SMARTCARD',
    ICCIDS.smartCard,
    /Fake PC\/SC Reader/,
  );
});

test('USB reader, short APDU level: chip, download, enable, disable, delete', async () => {
  const euicc = newEuicc();
  const page = await usbPage(euicc, { level: 'shortApdu' });
  await fullJourney(page, euicc, 'USB reader', 'HW-USB-APDU', ICCIDS.usbApdu, /Fake CCID Reader/);
  await screenshot(page, 'hardware-usb-apdu');
});

test('USB reader, T=0 TPDU level: the same journey through the TPDU engine', async () => {
  const euicc = newEuicc();
  const page = await usbPage(euicc, { level: 'tpdu' });
  await fullJourney(page, euicc, 'USB reader', 'HW-USB-TPDU', ICCIDS.usbTpdu, /Fake CCID Reader/);
  // The reader saw T=0 TPDUs: responses fetched with GET RESPONSE (ISO/IEC 7816-3 §12.2).
  const tpdus = await page.evaluate<string[]>('globalThis.__weblpaFakeUsb.devices[0].cardLog');
  assert.ok(tpdus.some((t) => /^0[0-3]C00000/.test(t)));
});

test('USB reader, T=1 TPDU level (a card without T=0): the journey through the block engine', async () => {
  const euicc = newEuicc();
  const page = await freshPage();
  // IFSC 32: commands and responses longer than 32 bytes are chained (ISO/IEC 7816-3 §11.6.2).
  const card = t1Card((apdu) => euicc.transmit(apdu), { ifsc: 32 });
  await installFakeUsb(page, card, {
    level: 'tpdu',
    cardProtocol: 1,
    atrHex: toHex(t1OnlyAtr()),
  });
  await fullJourney(page, euicc, 'USB reader', 'HW-USB-T1', ICCIDS.usbT1, /Fake CCID Reader/);
  // The host announced its own IFSD with S(IFS request) before the first I-block.
  assert.ok(card.stats.ifsd > 32, `IFSD ${card.stats.ifsd}`);
});

test('modem with AT+CCHO/AT+CGLA: the same journey on a native logical channel', async () => {
  const euicc = newEuicc();
  const page = await serialPage(euicc, { mode: 'standard' });
  await fullJourney(page, euicc, 'Serial modem', 'HW-MODEM-CGLA', ICCIDS.modemCgla, /AT\+CGLA/);
  const lines = await page.evaluate<string[]>('globalThis.__weblpaFakeSerialPort.modem.log');
  assert.ok(lines.some((l) => l.startsWith('AT+CCHO=')));
  assert.ok(!lines.some((l) => l.startsWith('AT+CSIM=')));
});

test('CSIM-only modem (Dell DW5821e): the same journey over AT+CSIM', async () => {
  const euicc = newEuicc();
  const page = await serialPage(euicc, { mode: 'dw5821e' });
  await fullJourney(page, euicc, 'Serial modem', 'HW-MODEM-CSIM', ICCIDS.modemCsim, /AT\+CSIM/);
  const lines = await page.evaluate<string[]>('globalThis.__weblpaFakeSerialPort.modem.log');
  assert.ok(lines.filter((l) => l.startsWith('AT+CSIM=')).length > 20);
});

test('reader unplugged while the profile loads: clear error, no partial profile, session closed once back', async () => {
  const euicc = newEuicc();
  const page = await freshPage();
  // Pull the reader on the third STORE DATA segment after the Bound Profile Package has started
  // (docs/protocol.md §5.1 LoadBoundProfilePackage): the eUICC loses power (reset) and never answers.
  let armed = true;
  let bppSegments = 0;
  await installFakeUsb(
    page,
    async (apdu) => {
      if (armed && apdu[1] === 0xe2 && euicc.loadingProfile) bppSegments++;
      if (armed && bppSegments >= 3) {
        armed = false;
        euicc.reset();
        await page.evaluate('globalThis.__weblpaFakeUsb.devices[0].unplug()');
        throw new Error('the reader was unplugged');
      }
      return euicc.transmit(apdu);
    },
    { level: 'shortApdu' },
  );
  await connect(page, 'USB reader');
  const sessionsBefore = new Set(services.state().sessions.map((s) => s.transactionId));
  await download(page, 'HW-UNPLUG');
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: 30_000 });
  const text = (await alert.textContent()) ?? '';
  assert.match(text, /Connection lost/, text);
  assert.match(text, /Plug it in again: WebLPA reconnects by itself, or press Reconnect/, text);
  assert.equal(armed, false, 'the unplug was not triggered');
  assert.match((await page.getByTestId('connection-status').textContent()) ?? '', /lost/i);
  await screenshot(page, 'hardware-unplugged');

  // No partial profile on the card, nothing loading.
  assert.equal(euicc.loadingProfile, false);
  assert.ok(!euicc.state.profiles.some((p) => p.iccid === ICCIDS.unplug));
  // The interrupted session is still open at the SM-DP+: with the card gone nobody could cancel it.
  const interrupted = services
    .state()
    .sessions.filter((s) => !sessionsBefore.has(s.transactionId) && s.matchingId === 'HW-UNPLUG');
  assert.equal(interrupted.length, 1);
  assert.equal(interrupted[0]?.state, 'bppDelivered');
  const txId = interrupted[0]?.transactionId;
  // The reset left the eUICC's signed interruption result (ErrorReason 11) pending.
  assert.equal(euicc.state.notifications.length, 1);
  const notesBefore = services.state().notifications.length;

  // Plug it back in: the app reconnects by itself (a reader granted before needs no chooser),
  // and the interrupted session is closed at the SM-DP+.
  const requestsBefore = await page.evaluate<number>('globalThis.__weblpaFakeUsb.requests ?? -1');
  await page.evaluate('globalThis.__weblpaFakeUsb.devices[0].replug()');
  await page
    .getByTestId('connection-status')
    .getByText(/Fake CCID Reader/)
    .waitFor({ timeout: 30_000 });
  await page
    .getByRole('status')
    .getByText(/interrupted download from .* was reported to the server as failed/)
    .waitFor({ timeout: 30_000 });
  await screenshot(page, 'hardware-reconnected');
  // The stale "Connection lost" advice of the failed download is gone with the reconnection.
  assert.equal(await page.getByText('Connection lost').count(), 0);
  assert.equal(
    services.state().sessions.some((s) => s.transactionId === txId),
    false,
    'the interrupted session is still open at the SM-DP+',
  );
  const report = services.state().notifications.slice(notesBefore);
  assert.equal(report.length, 1);
  assert.equal(report[0]?.verified, true);
  // installFailedDueToInterruption (docs/protocol.md §9), for whichever load command was in progress.
  assert.equal(report[0]?.result?.success, false);
  assert.equal(report[0]?.result?.errorReason, 11);
  assert.equal(euicc.state.notifications.length, 0);
  assert.equal(
    await page.evaluate<number>('globalThis.__weblpaFakeUsb.requests ?? -1'),
    requestsBefore,
    'the chooser was shown again',
  );
  await nav(page, 'Profiles');
  assert.equal(await profileCard(page, ICCIDS.unplug).count(), 0);

  // The next download of the same (reusable) order goes through and installs the profile once.
  await download(page, 'HW-UNPLUG');
  await page.getByRole('heading', { name: 'Profile installed' }).waitFor({ timeout: 60_000 });
  // A reusable order hands out a fresh ICCID per download: exactly one profile, not the first one.
  assert.equal(euicc.state.profiles.length, 1);
  assert.notEqual(euicc.state.profiles[0]?.iccid, ICCIDS.unplug);
  const order = services.state().orders.find((o) => o.matchingId === 'HW-UNPLUG');
  assert.equal(order?.downloads, 2);
  assert.equal(order?.installs, 1);
});

test('a reader used before is connected again on the next visit, without the chooser', async () => {
  const euicc = newEuicc();
  const page = await freshPage();
  await installFakeUsb(page, (apdu) => euicc.transmit(apdu), {
    level: 'shortApdu',
  });
  await connect(page, 'USB reader');
  assert.equal(await page.evaluate<number>('globalThis.__weblpaFakeUsb.requests'), 1);
  // A new visit: the page was granted this reader, so it opens it without asking.
  await page.reload();
  await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
  await page
    .getByTestId('connection-status')
    .getByText(/Fake CCID Reader/)
    .waitFor({ timeout: 30_000 });
  assert.equal(await page.evaluate<number>('globalThis.__weblpaFakeUsb.requests'), 0);
});

async function connectError(page: Page, kind: Kind): Promise<string> {
  await page.goto(server.url);
  await page.getByRole('button', { name: `Use ${kind}` }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: 20_000 });
  assert.match((await page.getByTestId('connection-status').textContent()) ?? '', /Not connected/);
  return (await alert.textContent()) ?? '';
}

test('a smart-card reader Chrome protects, and a reader held by pcscd, each say so', async () => {
  const protectedPage = await usbPage(newEuicc(), { mode: 'protectedClass' });
  const p = await connectError(protectedPage, 'USB reader');
  assert.match(p, /does not let web pages use smart card readers/);
  assert.match(p, /Isolated Web App/);
  assert.match(p, /UsbAccessError protectedClass/);
  await screenshot(protectedPage, 'hardware-protected-class');

  const busyPage = await usbPage(newEuicc(), { mode: 'busy' });
  const b = await connectError(busyPage, 'USB reader');
  assert.match(b, /Another program uses the reader/);
  assert.match(b, /pcscd/);
  assert.match(b, /UsbAccessError busy/);
  assert.doesNotMatch(b, /protectedClass/);
});

test('a serial port held by another program says so', async () => {
  const page = await serialPage(newEuicc(), { portMode: 'busy' });
  const text = await connectError(page, 'Serial modem');
  assert.match(text, /another program or tab holds it/);
  assert.match(text, /ModemManager/);
  assert.match(text, /SerialAccessError busy/);
});

test('no WebUSB / Web Serial in this browser: the options say why and cannot be used', async () => {
  const page = await freshPage();
  await page.addInitScript(() => {
    const proto = Navigator.prototype as unknown as Record<string, unknown>;
    delete proto['usb'];
    delete proto['serial'];
  });
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Connect to an eUICC' }).waitFor();
  assert.equal(await page.evaluate(() => 'usb' in navigator), false);
  await page.getByText(/no WebSerial|no Web Serial/).waitFor();
  // The USB reader and the USB modem both need WebUSB.
  assert.equal(await page.getByText(/no WebUSB/).count(), 2);
  assert.equal(await page.getByRole('button', { name: 'Use USB reader' }).isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Use USB modem' }).isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Use Serial modem' }).isDisabled(), true);
});

test('an insecure page (plain http on a non-local name) says it needs https', async () => {
  const page = await freshPage();
  const url = server.url.replace('127.0.0.1', INSECURE_HOST);
  // Vite's preview server only answers its own host name: the page's requests are fetched from
  // 127.0.0.1 instead, while the browser still sees the insecure origin.
  await page.route(`${url}**`, async (route) => {
    const response = await route.fetch({
      url: route.request().url().replace(INSECURE_HOST, '127.0.0.1'),
    });
    await route.fulfill({ response });
  });
  await page.goto(url);
  await page.getByRole('heading', { name: 'Connect to an eUICC' }).waitFor();
  assert.equal(await page.evaluate(() => window.isSecureContext), false);
  assert.equal(await page.getByText(/not a secure context/).count(), 4);
  assert.equal(await page.getByRole('button', { name: 'Use USB reader' }).isDisabled(), true);
  await screenshot(page, 'hardware-insecure');
});

test('no uncaught page errors', () => {
  assert.deepEqual(app.pageErrors, []);
});
