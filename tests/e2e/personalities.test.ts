// Real-hardware behaviours inside the production build: a modem whose AT+CSIM reaches only the
// basic channel (tests/fakes/serial/modem-personalities.ts, csimBasic) and a removable eUICC that
// refuses EnableProfile with REFRESH (src/euicc/personality.ts, refreshAfterEnable; lpac issues
// #13/#14) behind a Fibocom-like modem. The software eUICC lives in this process behind
// page.exposeFunction (docs/platform.md §5); the local test SM-DP+ is reached through /config.json.
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
import { createEuicc, createTestIdentity, type SoftwareEuicc } from '../../src/euicc/index.ts';
import type { EuiccPersonalityName } from '../../src/euicc/personality.ts';
import { projectTestCi } from '../../src/rsp/index.ts';
import { installFakeSerial } from '../fakes/usb/install-browser.ts';
import { MODEM_PERSONALITIES } from '../fakes/serial/modem-personalities.ts';

const order = (matchingId: string, iccidValue: string): Order =>
  testOrder(matchingId, iccidValue, {
    serviceProviderName: 'Personality Operator',
    profileName: `P ${matchingId}`,
    profileClass: 'operational',
  });

const ICCIDS = {
  modem: iccid('899900500000040001'),
  card: iccid('899900500000040002'),
};
const ORDERS: Order[] = [order('P-MODEM', ICCIDS.modem), order('P-CARD', ICCIDS.card)];

let app: TestApp;
let services: LocalServices;
let server: AppServer;

const ac = (id: string): string => `LPA:1$${services.smdpAddress}$${id}`;

before(async () => {
  app = await startApp({
    services: { smdpPort: 0, relayPort: 0, catalogue: ORDERS },
    config: (s) => ({
      es9p: { overrides: { [s.smdpAddress]: s.smdpUrl }, relayUrl: s.relayUrl },
      demoActivationCodes: s.activationCodes,
    }),
  });
  ({ services, server } = app);
});

after(() => app.close());

function newEuicc(personality?: EuiccPersonalityName): SoftwareEuicc {
  return createEuicc({
    identity: createTestIdentity({ curve: 'P-256', ci: projectTestCi('P-256') }),
    ...(personality ? { personality } : {}),
  });
}

async function freshPage(): Promise<Page> {
  return (await app.newPage()).page;
}

async function connectSerial(page: Page): Promise<void> {
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Connect to an eUICC' }).waitFor();
  await page.getByRole('button', { name: 'Use Serial modem' }).click();
  await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
}

async function downloadAndFind(page: Page, matchingId: string, iccidValue: string) {
  await requestDownload(page, ac(matchingId));
  await page.getByRole('heading', { name: 'Install this profile?' }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Install', exact: true }).click();
  await page.getByRole('heading', { name: 'Profile installed' }).waitFor({ timeout: 60_000 });
  await nav(page, 'Profiles');
  const card = profileCard(page, iccidValue);
  await card.waitFor();
  return card;
}

test('modem whose AT+CSIM reaches only the basic channel: chip, download, enable, disable, delete', async () => {
  const euicc = newEuicc();
  const page = await freshPage();
  const { modem } = MODEM_PERSONALITIES.csimBasic;
  await installFakeSerial(page, (apdu) => euicc.transmit(apdu), modem);
  await connectSerial(page);
  assert.match(
    (await page.getByTestId('connection-status').textContent()) ?? '',
    /AT\+CSIM, basic channel/,
  );
  await nav(page, 'Chip');
  await page.getByTestId('eid').waitFor();
  assert.equal(((await page.getByTestId('eid').textContent()) ?? '').trim(), euicc.eid);

  const card = await downloadAndFind(page, 'P-MODEM', ICCIDS.modem);
  await card.getByRole('button', { name: 'Enable' }).click();
  await page.getByText('is enabled.').waitFor({ timeout: 20_000 });
  await card.getByTestId('profile-state').getByText('Enabled').waitFor();
  await card.getByRole('button', { name: 'Disable' }).click();
  await page.getByText('is disabled.').waitFor({ timeout: 20_000 });
  await card.getByTestId('profile-state').getByText('Disabled').waitFor();
  await card.getByRole('button', { name: 'Delete…' }).click();
  await card.getByLabel('Type DELETE to confirm').fill('DELETE');
  await card.getByRole('button', { name: 'Delete profile' }).click();
  await page.getByText('was deleted.').waitFor({ timeout: 20_000 });
  assert.equal(euicc.state.profiles.length, 0);
  // Every APDU went over the basic channel: no MANAGE CHANNEL, no channel bits in a CLA.
  const apdus = await page.evaluate<string[]>('globalThis.__weblpaFakeSerialPort.modem.cardLog');
  assert.ok(apdus.length > 20);
  assert.ok(apdus.every((a) => (parseInt(a.slice(0, 2), 16) & 0x43) === 0));
  assert.equal(await page.getByRole('alert').count(), 0);
  await screenshot(page, 'personality-csim-basic');
});

test('removable eUICC refusing REFRESH behind a Fibocom modem: enable says to reinsert the card or restart the modem', async () => {
  const euicc = newEuicc('refreshAfterEnable');
  const page = await freshPage();
  await installFakeSerial(
    page,
    (apdu) => euicc.transmit(apdu),
    MODEM_PERSONALITIES.fibocomBare.modem,
  );
  await connectSerial(page);
  const card = await downloadAndFind(page, 'P-CARD', ICCIDS.card);
  await card.getByRole('button', { name: 'Enable' }).click();
  await page
    .getByText(/is enabled\. .*remove and reinsert the card, or restart the modem/)
    .waitFor({
      timeout: 20_000,
    });
  await card.getByTestId('profile-state').getByText('Enabled').waitFor();
  assert.equal(euicc.state.profiles.find((p) => p.iccid === ICCIDS.card)?.state, 'enabled');
  assert.equal(await page.getByRole('alert').count(), 0);
  await screenshot(page, 'personality-refresh-after-enable');
});

test('no uncaught page errors', () => {
  assert.deepEqual(app.pageErrors, []);
});
