// The app in Chromium with a reader behind the local card bridge (docs/bridge.md): the bridge in
// this process, the local test SM-DP+ reached through /config.json's overrides. First over
// software eUICCs as the bridge's readers (pairing, card presence, a profile installed, a busy
// reader, a card taken out and put back, a reload that needs no code, a bridge that is not
// running or refuses the page),
// then over the real PC/SC stack: pcscd with vsmartcard's vpcd, the software eUICC served as a
// card in "Virtual PCD 00 00" (TCP 35963) by `lpa euicc serve --vpcd` in a process of its own,
// read by the bridge through the smartcard binding.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { axeSerious, describeViolations, screenshot, type AppServer } from './browser.ts';
import { iccid, nav, requestDownload, startApp, testOrder, type TestApp } from './setup.ts';
import { createEuicc, createTestIdentity, type SoftwareEuicc } from '../../src/euicc/index.ts';
import { projectTestCi } from '../../src/rsp/index.ts';
import { MemoryTokenStore } from '../../src/server/bridge/pairing.ts';
import { PcscReaderProvider } from '../../src/server/bridge/pcsc-provider.ts';
import { startBridge, type BridgeServer } from '../../src/server/bridge/server.ts';
import { VirtualReaderProvider } from '../../src/server/bridge/virtual-provider.ts';
import type { LocalServices } from '../../src/server/local-services.ts';
import type { Order } from '../../src/server/smdp/catalogue.ts';
import { localServicesConfig } from '../../src/ui/state/settings-model.ts';
import { serveEuicc, startPcscd } from '../pcsc.ts';

const order = (matchingId: string, iccidValue: string): Order =>
  testOrder(matchingId, iccidValue, {
    serviceProviderName: 'Bridge Operator',
    profileName: `Bridge ${matchingId}`,
    profileClass: 'operational',
  });

const ICCIDS = {
  virtual: iccid('899900300000010001'),
  pcsc: iccid('899900300000010002'),
};
const ORDERS = [order('BRIDGE-VIRTUAL', ICCIDS.virtual), order('BRIDGE-PCSC', ICCIDS.pcsc)];

const READER = 'WebLPA Test Reader 0';
const EMPTY_READER = 'WebLPA Test Reader 1';
const VPCD_READER = 'Virtual PCD 00 00';

let app: TestApp;
let services: LocalServices;
let server: AppServer;

const ac = (id: string): string => `LPA:1$${services.smdpAddress}$${id}`;
const appOrigin = (): string => new URL(server.url).origin;

before(async () => {
  app = await startApp({
    services: { smdpPort: 0, relayPort: 0, catalogue: ORDERS },
    config: (s) => ({ es9p: localServicesConfig(s).es9p }),
  });
  ({ services, server } = app);
});

after(() => app.close());

function newEuicc(): SoftwareEuicc {
  return createEuicc({
    identity: createTestIdentity({ curve: 'P-256', ci: projectTestCi('P-256') }),
  });
}

async function bridge(
  provider: VirtualReaderProvider | PcscReaderProvider,
  origins = [appOrigin()],
): Promise<BridgeServer> {
  const b = await startBridge({
    provider,
    port: 0,
    hosts: ['127.0.0.1'],
    origins,
    tokens: new MemoryTokenStore(),
  });
  app.onClose(() => b.close());
  return b;
}

/** A fresh context (its own storage: no token yet) and page. */
function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
  return app.newPage();
}

async function openConnect(page: Page, bridgePort: number): Promise<void> {
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Connect to an eUICC' }).waitFor();
  await page.getByRole('heading', { name: 'Reader through local bridge' }).waitFor();
  await page.getByRole('textbox', { name: 'Bridge address' }).fill(`ws://127.0.0.1:${bridgePort}`);
  await page.getByRole('button', { name: 'List readers' }).click();
}

/** Types the pairing code until the bridge takes it (a wrong code before makes it wait). */
async function pair(page: Page, b: BridgeServer): Promise<void> {
  const codeBox = page.getByRole('textbox', { name: 'Pairing code' });
  await codeBox.waitFor();
  const list = page.getByRole('list', { name: 'Readers on this computer' });
  for (let i = 0; i < 20; i++) {
    await codeBox.fill(b.pairingCode);
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    await Promise.race([
      list.waitFor({ timeout: 5_000 }).catch(() => undefined),
      page
        .getByRole('alert')
        .waitFor({ timeout: 5_000 })
        .catch(() => undefined),
    ]);
    if (await list.isVisible()) return;
    await page.waitForTimeout(500);
  }
  throw new Error('the bridge never took the pairing code');
}

async function install(page: Page, matchingId: string, iccidValue: string): Promise<void> {
  await requestDownload(page, ac(matchingId));
  await page.getByRole('heading', { name: 'Install this profile?' }).waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('consent-provider').textContent(), 'Bridge Operator');
  await page.getByRole('button', { name: 'Install', exact: true }).click();
  await page.getByRole('heading', { name: 'Profile installed' }).waitFor({ timeout: 120_000 });
  await nav(page, 'Profiles');
  const card = page.locator(`article[data-iccid^="${iccidValue}"]`);
  await card.waitFor({ timeout: 30_000 });
  assert.match((await card.textContent()) ?? '', new RegExp(`Bridge ${matchingId}`));
}

test('a bridge that is not running, and one that refuses this page, each say what to do', async () => {
  const { page } = await freshPage();
  const closed = await bridge(new VirtualReaderProvider({}));
  const port = closed.port;
  await closed.close();
  await openConnect(page, port);
  const alert = page.getByRole('alert');
  await alert.getByText('is not running').waitFor();
  assert.match((await alert.textContent()) ?? '', /npm run lpa -- bridge/);

  const strict = await bridge(new VirtualReaderProvider({}), ['https://other.example']);
  await page.getByRole('textbox', { name: 'Bridge address' }).fill(`ws://127.0.0.1:${strict.port}`);
  await page.getByRole('button', { name: 'List readers' }).click();
  await alert.getByText('refused this page').waitFor();
  assert.match((await alert.textContent()) ?? '', new RegExp(`--origin ${appOrigin()}`));
});

test('pair once, see the readers and their cards, install a profile through the bridge, lose and regain the card, reload without a code', async () => {
  const euicc = newEuicc();
  const provider = new VirtualReaderProvider({ [READER]: euicc, [EMPTY_READER]: undefined });
  const b = await bridge(provider);
  const { page } = await freshPage();
  await openConnect(page, b.port);

  // A wrong code first: the app says so.
  const codeBox = page.getByRole('textbox', { name: 'Pairing code' });
  await codeBox.fill(b.pairingCode === '00000000' ? '11111111' : '00000000');
  await page.getByRole('button', { name: 'Pair', exact: true }).click();
  await page.getByRole('alert').getByText('Wrong pairing code').waitFor();
  await pair(page, b);

  const list = page.getByRole('list', { name: 'Readers on this computer' });
  const full = list.getByRole('listitem').filter({ hasText: READER });
  const empty = list.getByRole('listitem').filter({ hasText: EMPTY_READER });
  await full.getByText('Card in').waitFor();
  await empty.getByText('No card').waitFor();
  assert.equal(await empty.getByRole('button').isDisabled(), true);
  await screenshot(page, 'bridge-readers');
  assert.deepEqual(describeViolations('bridge readers', await axeSerious(page)), []);

  await full.getByRole('button', { name: `Connect to ${READER}` }).click();
  await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
  assert.match(
    (await page.getByTestId('connection-status').textContent()) ?? '',
    /WebLPA Test Reader 0 \(card bridge\)/,
  );
  await install(page, 'BRIDGE-VIRTUAL', ICCIDS.virtual);
  assert.ok(euicc.state.profiles.some((p) => p.iccid === ICCIDS.virtual));
  const installs = services.state().notifications.filter((n) => n.kind === 'install');
  assert.ok(installs.some((n) => n.verified && n.result?.success));

  // Another browser (its own storage) pairs with the new code and finds the reader taken.
  const other = await freshPage();
  await openConnect(other.page, b.port);
  await pair(other.page, b);
  const taken = other.page
    .getByRole('list', { name: 'Readers on this computer' })
    .getByRole('listitem')
    .filter({ hasText: READER });
  await taken.getByText('in use').waitFor();
  await taken.getByRole('button', { name: `Connect to ${READER}` }).click();
  await other.page.getByRole('alert').getByText('in use by another page').waitFor();
  await other.context.close();

  // The card taken out of the reader: the link is lost; back in, Reconnect finds it again.
  provider.removeCard(READER);
  await nav(page, 'Profiles');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByRole('alert').waitFor({ timeout: 20_000 });
  await nav(page, 'Connect');
  await page.getByText('was lost').waitFor({ timeout: 20_000 });
  provider.insertCard(READER, euicc);
  await page.locator('#main').getByRole('button', { name: 'Reconnect' }).click();
  await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
  await page.locator(`article[data-iccid^="${ICCIDS.virtual}"]`).waitFor({ timeout: 30_000 });

  // A reload reconnects to the same reader with the kept token: no code asked.
  await page.reload();
  await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
  await page.locator(`article[data-iccid^="${ICCIDS.virtual}"]`).waitFor({ timeout: 30_000 });
  assert.deepEqual(app.pageErrors, []);
});

test(`through pcscd and vpcd: the served eUICC in "${VPCD_READER}" gets a profile from the app`, async () => {
  const pcscd = await startPcscd();
  const dir = mkdtempSync(join(tmpdir(), 'weblpa-bridge-e2e-'));
  const state = join(dir, 'card.json');
  writeFileSync(state, JSON.stringify(newEuicc().exportState()) + '\n', { mode: 0o600 });
  const served = await serveEuicc({ state, reader: VPCD_READER });
  try {
    const b = await bridge(new PcscReaderProvider());
    const { page } = await freshPage();
    await openConnect(page, b.port);
    await pair(page, b);
    const item = page
      .getByRole('list', { name: 'Readers on this computer' })
      .getByRole('listitem')
      .filter({ hasText: VPCD_READER });
    await item.getByText('Card in').waitFor();
    await item.getByRole('button', { name: `Connect to ${VPCD_READER}` }).click();
    await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 60_000 });
    assert.match(
      (await page.getByTestId('connection-status').textContent()) ?? '',
      /Virtual PCD 00 00 \(card bridge\)/,
    );
    await install(page, 'BRIDGE-PCSC', ICCIDS.pcsc);
    await screenshot(page, 'bridge-pcsc-installed');
    const installs = services.state().notifications.filter((n) => n.kind === 'install');
    assert.ok(installs.filter((n) => n.verified && n.result?.success).length >= 1);
    await nav(page, 'Connect');
    await page.getByRole('button', { name: 'Disconnect' }).click();
  } finally {
    await served.stop();
    await pcscd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(app.pageErrors, []);
});
