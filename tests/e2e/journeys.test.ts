// User journeys on the production build: the virtual eUICC in the page, the local test SM-DP+
// (and SM-DS) in this process, reached through the address overrides the app reads from
// /config.json — the same wiring `npm start` uses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeSerious, describeViolations, screenshot, type AppServer } from './browser.ts';
import { startApp, testOrder, type TestApp } from './setup.ts';
import type { LocalServices } from '../../src/server/local-services.ts';
import type { Order } from '../../src/server/smdp/catalogue.ts';
import { localServicesConfig } from '../../src/ui/state/settings-model.ts';
import { writeFixtures } from '../../scripts/make-qr-fixtures.mjs';

const ICON = new Uint8Array(
  readFileSync(new URL('../../catalogue/weblpa-icon.png', import.meta.url)),
);

const order = (matchingId: string, iccid: string, extra: Partial<Order> = {}): Order =>
  testOrder(
    matchingId,
    iccid,
    {
      serviceProviderName: 'E2E Operator',
      profileName: `E2E ${matchingId}`,
      profileClass: 'operational',
      icon: { type: 'png', data: ICON },
    },
    { profile: { kind: 'generated', sizeBytes: 3000 }, ...extra },
  );

// ICCIDs: 18 digits + Luhn check digit (check digits computed with luhnCheckDigit of src/codec/bcd.ts;
// the server rejects a wrong one).
const ORDERS: Order[] = [
  order('E2E-PASTE', '8999001000000100010'),
  order('E2E-IMAGE', '8999001000000100028'),
  order('E2E-CAMERA', '8999001000000100036'),
  order('E2E-CC', '8999001000000100044', { confirmationCode: '4711' }),
  order('E2E-REFUSE', '8999001000000100051'),
  order('E2E-EVENT', '8999001000000100069'),
];

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

let app: TestApp;
let services: LocalServices;
let server: AppServer;
let page: Page;

const ac = (id: string, cc = false): string =>
  `LPA:1$${services.smdpAddress}$${id}${cc ? '$$1' : ''}`;

before(async () => {
  app = await startApp({
    services: { smdpPort: 0, relayPort: 0, catalogue: ORDERS },
    // The same /config.json `npm start` serves.
    config: localServicesConfig,
    browserArgs: async (s) => {
      services = s;
      const dir = mkdtempSync(join(tmpdir(), 'weblpa-qr-'));
      const fixtures = await writeFixtures(dir, ac('E2E-CAMERA'));
      process.env.WEBLPA_QR_PNG = fixtures.png;
      return [
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${fixtures.y4m}`,
        '--use-fake-ui-for-media-stream',
      ];
    },
  });
  server = app.server;
  // A missing element fails fast; the waits for network/card steps pass their own timeouts.
  ({ page } = await app.newPage({ viewport: DESKTOP }));
});

after(() => app.close());

async function nav(name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
}

async function consentAndInstall(provider = 'E2E Operator'): Promise<void> {
  await page.getByRole('heading', { name: 'Install this profile?' }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('consent-provider').textContent(), provider);
  await page.getByRole('button', { name: 'Install', exact: true }).click();
  await page.getByRole('heading', { name: 'Profile installed' }).waitFor({ timeout: 60_000 });
}

async function addByCode(code: string): Promise<void> {
  await nav('Add profile');
  await page.getByRole('tab', { name: 'Activation code' }).click();
  await page.getByRole('textbox', { name: 'Activation code', exact: true }).fill(code);
  await page.getByRole('button', { name: 'Download profile' }).click();
}

async function backToForm(): Promise<void> {
  await page.getByRole('button', { name: 'Add another' }).click();
}

async function horizontalOverflow(): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

function profileCard(iccidPrefix: string) {
  return page.locator(`article[data-iccid^="${iccidPrefix}"]`);
}

test('first visit: connect the virtual eUICC, paste a code, consent, installed', async () => {
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Connect to an eUICC' }).waitFor();
  await screenshot(page, 'connect-desktop');
  await page.getByRole('button', { name: 'Use Virtual eUICC' }).click();
  await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
  assert.match((await page.getByTestId('connection-status').textContent()) ?? '', /Virtual eUICC/);
  await addByCode(ac('E2E-PASTE'));
  await consentAndInstall();
  await nav('Profiles');
  await profileCard('8999001000000100010').waitFor();
  const card = profileCard('8999001000000100010');
  assert.match((await card.textContent()) ?? '', /E2E E2E-PASTE/);
  assert.match((await card.getByTestId('profile-state').textContent()) ?? '', /Disabled/);
  // The install notification reached the SM-DP+ and verified.
  const installs = services.state().notifications.filter((n) => n.kind === 'install');
  assert.ok(installs.some((n) => n.verified && n.result?.success));
  await screenshot(page, 'profiles-desktop');
});

test('a profile from an uploaded QR image', async () => {
  await nav('Add profile');
  await page.getByRole('tab', { name: 'QR image' }).click();
  await page
    .locator('input[type=file]')
    .setInputFiles(process.env.WEBLPA_QR_PNG!.replace('qr.png', 'qr.png'));
  // The image carries the camera order's code: both fixtures share one code, checked here.
  await page.getByText('Code read from the QR code').waitFor({ timeout: 15_000 });
  assert.equal(
    await page.getByRole('textbox', { name: 'Activation code', exact: true }).inputValue(),
    ac('E2E-CAMERA'),
  );
  // Use the image path for its own order: replace the code's matching ID and download.
  await page.getByRole('textbox', { name: 'Activation code', exact: true }).fill(ac('E2E-IMAGE'));
  await page.getByRole('button', { name: 'Download profile' }).click();
  await consentAndInstall();
  await backToForm();
});

test('a profile by a camera QR scan (fake camera)', async () => {
  await nav('Add profile');
  await page.getByRole('tab', { name: 'Scan QR code' }).click();
  await page.getByRole('button', { name: 'Start camera' }).click();
  await page.getByText('Code read from the QR code').waitFor({ timeout: 20_000 });
  assert.equal(
    await page.getByRole('textbox', { name: 'Activation code', exact: true }).inputValue(),
    ac('E2E-CAMERA'),
  );
  await page.getByRole('button', { name: 'Download profile' }).click();
  await consentAndInstall();
  await backToForm();
});

test('a confirmation code is asked for only when required, then installs', async () => {
  // The LPA asks for consent first (metadata from AuthenticateServer), then for the code
  // (ccRequiredFlag), before PrepareDownload: docs/protocol.md §5.1.
  await addByCode(ac('E2E-CC', true));
  await page.getByRole('heading', { name: 'Install this profile?' }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Install', exact: true }).click();
  await page.getByLabel('Confirmation code').fill('4711');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Profile installed' }).waitFor({ timeout: 60_000 });
  await backToForm();
});

test('refusing consent installs nothing and says so; the form keeps the code', async () => {
  await addByCode(ac('E2E-REFUSE'));
  await page.getByRole('heading', { name: 'Install this profile?' }).waitFor({ timeout: 30_000 });
  assert.deepEqual(describeViolations('consent', await axeSerious(page)), []);
  await screenshot(page, 'consent-desktop');
  await page.getByRole('button', { name: 'Don’t install' }).click();
  await page.getByRole('heading', { name: 'Profile not installed' }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Back to the form' }).click();
  assert.equal(
    await page.getByRole('textbox', { name: 'Activation code', exact: true }).inputValue(),
    ac('E2E-REFUSE'),
  );
  await nav('Profiles');
  assert.equal(await profileCard('8999001000000100051').count(), 0);
  // The session was cancelled at the SM-DP+ with reason endUserRejection (0).
  assert.ok(services.state().cancellations.some((c) => c.reason === 0));
});

test('an unknown matching ID is explained in plain words with expert codes', async () => {
  await addByCode(ac('E2E-NO-SUCH-ORDER'));
  await page.getByRole('heading', { name: 'The SM-DP+ refused' }).waitFor({ timeout: 30_000 });
  await page.getByText('Details for experts').click();
  assert.match((await page.getByRole('alert').textContent()) ?? '', /8\.2\.6/);
  await page.getByRole('button', { name: 'Back to the form' }).click();
  assert.equal(
    await page.getByRole('textbox', { name: 'Activation code', exact: true }).inputValue(),
    ac('E2E-NO-SUCH-ORDER'),
  );
});

test('profile operations: enable, rename, disable, delete; notifications reach the server', async () => {
  await nav('Profiles');
  const card = profileCard('8999001000000100010');
  await card.getByRole('button', { name: 'Enable' }).click();
  await page.getByText('is enabled.').waitFor();
  assert.match((await card.getByTestId('profile-state').textContent()) ?? '', /Enabled/);
  await card.getByRole('button', { name: 'Rename' }).click();
  await card.getByLabel('Nickname').fill('Work line');
  await card.getByRole('button', { name: 'Save nickname' }).click();
  await page.getByText('Renamed to “Work line”.').waitFor();
  assert.equal(await card.getByRole('heading').textContent(), 'Work line');
  await card.getByRole('button', { name: 'Disable' }).click();
  await page.getByText('is disabled.').waitFor();
  await card.getByRole('button', { name: 'Delete…' }).click();
  const del = card.getByRole('button', { name: 'Delete profile' });
  assert.equal(await del.isDisabled(), true);
  await card.getByLabel('Type DELETE to confirm').fill('DELETE');
  await del.click();
  await page.getByText('was deleted.').waitFor();
  assert.equal(await profileCard('8999001000000100010').count(), 0);
  // The default policy sends delete notifications at once and keeps enable/disable ones.
  const kinds = services.state().notifications.map((n) => n.kind);
  assert.ok(kinds.includes('delete'), 'no delete notification');
  assert.ok(!kinds.includes('enable') && !kinds.includes('disable'), 'a switch notice was sent');
  await nav('Notifications');
  const pending = await page.locator('tbody tr').allTextContents();
  assert.ok(
    pending.some((t) => t.includes('Enabled')) && pending.some((t) => t.includes('Disabled')),
  );
});

test('notifications: kept when every kind is kept, then sent one by one, all, or removed', async () => {
  await nav('Settings');
  for (const kind of ['Install', 'Enable', 'Disable', 'Delete'])
    await page.getByLabel(`${kind} notifications`).selectOption('keep');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await nav('Connect');
  await page.getByRole('button', { name: 'Use Virtual eUICC' }).click();
  await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
  const card = profileCard('8999001000000100028');
  await card.getByRole('button', { name: 'Enable' }).click();
  await page.getByText('is enabled.').waitFor();
  await card.getByRole('button', { name: 'Disable' }).click();
  await page.getByText('is disabled.').waitFor();
  await profileCard('8999001000000100036').getByRole('button', { name: 'Enable' }).click();
  await page.getByText('is enabled.').waitFor();
  await nav('Notifications');
  assert.match(
    (await page.getByTestId('notification-policy').textContent()) ?? '',
    /sent when you choose/,
  );
  const rows = page.locator('tbody tr');
  const before = await rows.count();
  assert.ok(before >= 3, `expected pending notifications, saw ${before}`);
  await screenshot(page, 'notifications-desktop');
  await page.setViewportSize(PHONE);
  assert.ok((await horizontalOverflow()) <= 1, 'pending notifications overflow at 360 px');
  await screenshot(page, 'notifications-pending-phone');
  await page.setViewportSize(DESKTOP);
  const sentBefore = services.state().notifications.length;
  await rows
    .first()
    .getByRole('button', { name: /^Send notification/ })
    .click();
  await page.getByText(/was delivered to/).waitFor();
  assert.equal(services.state().notifications.length, sentBefore + 1);
  await rows
    .first()
    .getByRole('button', { name: /^Remove notification/ })
    .click();
  await page.getByText(/was removed without sending it/).waitFor();
  assert.equal(services.state().notifications.length, sentBefore + 1);
  await page.getByRole('button', { name: 'Send all' }).click();
  await page.getByText('No notifications waiting.').waitFor();
  assert.ok(services.state().notifications.length >= sentBefore + 2);

  // Removing an unsent delete notification asks first and says what the operator will not learn.
  await nav('Profiles');
  const gone = profileCard('8999001000000100036');
  await gone.getByRole('button', { name: 'Disable' }).click();
  await page.getByText('is disabled.').waitFor();
  await gone.getByRole('button', { name: 'Delete…' }).click();
  await gone.getByLabel('Type DELETE to confirm').fill('DELETE');
  await gone.getByRole('button', { name: 'Delete profile' }).click();
  await page.getByText('was deleted.').waitFor();
  await nav('Notifications');
  const deleted = rows.filter({ hasText: 'Deleted' });
  await deleted.getByRole('button', { name: /^Remove notification/ }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'the operator never learns it' });
  await warning.waitFor();
  await screenshot(page, 'notifications-delete-confirm');
  await warning.getByRole('button', { name: 'Keep it' }).click();
  assert.equal(await warning.count(), 0);
  assert.equal(await deleted.count(), 1, 'the delete notification was removed without a yes');
  await deleted.getByRole('button', { name: /^Remove notification/ }).click();
  const sentNow = services.state().notifications.length;
  await page.getByRole('button', { name: /without sending it$/ }).click();
  await page.getByText(/was removed without sending it/).waitFor();
  assert.equal(await deleted.count(), 0);
  assert.equal(services.state().notifications.length, sentNow);
});

test('SM-DS discovery finds an event for this eUICC and downloads from it', async () => {
  await nav('Chip');
  const eid = ((await page.getByTestId('eid').textContent()) ?? '').trim();
  assert.match(eid, /^\d{32}$/);
  services.core.registerEvent({ eid, eventId: 'E2E-EVENT' });
  await nav('Add profile');
  await page.getByRole('tab', { name: 'Discover' }).click();
  await page.getByRole('button', { name: 'Discover profiles' }).click();
  await page.getByText(`Profile waiting at`).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  await consentAndInstall();
  await backToForm();
});

test('the log shows APDUs and HTTP exchanges, decoded, with matching IDs masked', async () => {
  await nav('Log');
  await page.getByRole('heading', { name: 'Log' }).waitFor();
  const entries = page.locator('li.entry');
  assert.ok((await entries.count()) > 20);
  await page.getByLabel('Filter the log').fill('authenticateClient');
  await page.locator('li.entry.http').first().getByRole('button').click();
  const detail = (await page.locator('.detail').first().textContent()) ?? '';
  assert.match(detail, /euiccSigned1|ctxParams1|AuthenticateServer/);
  assert.ok(
    !detail.includes('E2E-PASTE') && !detail.includes('4532452D5041535445'),
    'matching ID not masked',
  );
  await page.getByLabel('Filter the log').fill('');
  await screenshot(page, 'log-desktop', false);
});

test('the chip view shows EID, QR, barcode, memory and the CIs the eUICC trusts', async () => {
  await nav('Chip');
  await page.getByRole('img', { name: 'EID as a QR code' }).waitFor();
  await page.getByRole('img', { name: 'EID as a barcode' }).waitFor();
  assert.match((await page.getByTestId('free-nvm').textContent()) ?? '', /bytes/);
  // The virtual eUICC is issued under the project's test CI, for verification and signing.
  const cis = (await page.getByTestId('trusted-cis').textContent()) ?? '';
  assert.match(cis, /WebLPA Test CI P-256/);
  assert.match(cis, /verifies servers; its own certificate/);
  assert.match(cis, /F53D798D74AC1FFD958DB9A827370C8E666E9FD0/);
  await screenshot(page, 'chip-desktop');
});

/** Chooses a theme in Settings and saves it. */
async function chooseTheme(theme: 'System' | 'Light' | 'Dark'): Promise<void> {
  await nav('Settings');
  const values = { System: 'system', Light: 'light', Dark: 'dark' } as const;
  await page.getByLabel('Theme').selectOption(values[theme]);
  await page.getByRole('button', { name: 'Save settings' }).click();
}

test('axe-core finds no serious violations on every main view while connected, light and dark', async () => {
  const found: string[] = [];
  await chooseTheme('Light');
  await checkViews(found, '');
  await chooseTheme('Dark');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.equal(bg, 'rgb(15, 23, 29)', `dark background expected, got ${bg}`);
  await checkViews(found, 'dark ');
  await chooseTheme('System');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined);
  assert.deepEqual(found, []);
});

async function checkViews(found: string[], prefix: string): Promise<void> {
  for (const [view, name] of [
    ['Connect', 'connect'],
    ['Profiles', 'profiles'],
    ['Add profile', 'add'],
    ['Chip', 'chip'],
    ['Notifications', 'notifications'],
    ['Settings', 'settings'],
    ['Log', 'log'],
  ] as const) {
    await nav(view);
    await page.waitForTimeout(100);
    found.push(...describeViolations(prefix + view, await axeSerious(page)));
    await screenshot(
      page,
      `${prefix === '' ? '' : 'dark-'}${name}-connected-desktop`,
      name !== 'log',
    );
  }
}

test('state survives a reload: the virtual eUICC reconnects with its profiles', async () => {
  await page.reload();
  await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
  await profileCard('8999001000000100028').waitFor();
});

test('phone size (360 px) renders every view without horizontal scrolling', async () => {
  await page.setViewportSize(PHONE);
  for (const [view, name] of [
    ['Connect', 'connect'],
    ['Profiles', 'profiles'],
    ['Add profile', 'add'],
    ['Chip', 'chip'],
    ['Notifications', 'notifications'],
    ['Settings', 'settings'],
    ['Log', 'log'],
  ] as const) {
    await nav(view);
    await page.waitForTimeout(100);
    const overflow = await horizontalOverflow();
    assert.ok(overflow <= 1, `${view} overflows by ${overflow}px`);
    await screenshot(page, `${name}-phone`);
  }
  await page.setViewportSize(DESKTOP);
});

test('no uncaught page errors during the journeys', () => {
  assert.deepEqual(app.pageErrors, []);
});
