// The Connect view's first-visit guide in Chromium: what it says with WebUSB and Web Serial
// present and with both removed (as in Firefox or Safari), dismissing it for good, opening it
// again, its fit at 360 px in every language, and an axe-core scan with it open.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  axeSerious,
  describeViolations,
  launchBrowser,
  newPage,
  screenshot,
  serveBuild,
  type AppServer,
} from './browser.ts';
import { LOCALES, loadMessages } from '../../src/i18n/index.ts';

let server: AppServer;
let browser: Browser;
const pageErrors: string[] = [];

before(async () => {
  server = await serveBuild();
  browser = await launchBrowser();
});

after(async () => {
  await browser.close();
  await server.close();
});

async function open(options: Parameters<typeof newPage>[1] = {}): Promise<Page> {
  const { page, errors } = await newPage(browser, options);
  page.setDefaultTimeout(15_000);
  page.on('close', () => pageErrors.push(...errors));
  return page;
}

/** Removes WebUSB and Web Serial before the app starts, as in a browser without them. */
async function withoutUsbAndSerial(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const proto = Navigator.prototype as unknown as Record<string, unknown>;
    delete proto['usb'];
    delete proto['serial'];
  });
}

const guide = (page: Page): Locator => page.getByRole('region', { name: 'How to connect here' });

/** The text of each item of one of the guide's lists, by the list's heading. */
async function items(page: Page, list: string): Promise<string[]> {
  const texts = await guide(page)
    .getByRole('list', { name: list, exact: true })
    .getByRole('listitem')
    .allInnerTexts();
  return texts.map((t) => t.replace(/\s+/g, ' ').trim());
}

/** The first line of each item: the link's name (or the names of several). */
async function names(page: Page, list: string): Promise<string[]> {
  const texts = await guide(page)
    .getByRole('list', { name: list, exact: true })
    .getByRole('listitem')
    .locator('strong')
    .allInnerTexts();
  return texts.map((t) => t.trim());
}

test('first visit in Chromium with WebUSB and Web Serial: what works, what not, what to do', async () => {
  const page = await open();
  await page.goto(server.url);
  await guide(page).waitFor();
  assert.match(await guide(page).innerText(), /You are using (Chromium|Chrome) on Linux\./);
  assert.deepEqual(await names(page, 'Works here'), [
    'Virtual eUICC',
    'Serial modem',
    'USB modem',
    'Local card bridge',
  ]);
  assert.deepEqual(await names(page, 'Does not work here'), [
    'USB reader',
    'System smart card reader',
  ]);
  const blocked = await items(page, 'Does not work here');
  assert.match(blocked[0] ?? '', /blocks standard \(CCID\) smart-card readers in web pages/);
  assert.match(blocked[1] ?? '', /installed WebLPA app on ChromeOS/);
  const steps = await items(page, 'What to do');
  assert.equal(steps.length, 4, steps.join('\n'));
  assert.match(steps[0] ?? '', /local card bridge.*npm run lpa -- bridge/);
  assert.match(steps[1] ?? '', /Isolated Web App build.*npm run build:iwa/);
  assert.match(steps[2] ?? '', /AT port/);
  assert.match(steps[3] ?? '', /virtual eUICC always works/);
  // Open: no "How to connect" button meanwhile.
  assert.equal(await page.getByRole('button', { name: 'How to connect' }).count(), 0);
  await screenshot(page, 'connect-guide-chromium');
  assert.deepEqual(describeViolations('Connect with the guide', await axeSerious(page)), []);
  await page.close();
});

test('without WebUSB and Web Serial: USB and serial do not work here; the bridge and the virtual eUICC do', async () => {
  const page = await open();
  await withoutUsbAndSerial(page);
  await page.goto(server.url);
  await guide(page).waitFor();
  assert.deepEqual(await names(page, 'Works here'), ['Virtual eUICC', 'Local card bridge']);
  assert.deepEqual(await names(page, 'Does not work here'), [
    'USB reader and USB modem',
    'Serial modem',
    'System smart card reader',
  ]);
  const blocked = await items(page, 'Does not work here');
  assert.match(blocked[0] ?? '', /does not support WebUSB/);
  assert.match(blocked[1] ?? '', /does not support Web Serial/);
  const steps = await items(page, 'What to do');
  assert.equal(steps.length, 3, steps.join('\n'));
  assert.match(steps[0] ?? '', /local card bridge.*npm run lpa -- bridge/);
  assert.match(steps[1] ?? '', /Chrome or Edge on a computer/);
  assert.match(steps[2] ?? '', /virtual eUICC always works/);
  assert.ok(!steps.some((s) => s.includes('Isolated Web App')), 'no IWA advice without WebUSB');
  assert.deepEqual(describeViolations('Connect without USB', await axeSerious(page)), []);
  await page.close();
});

test('"Got it" closes the guide for good; "How to connect" opens it again', async () => {
  const page = await open();
  await page.goto(server.url);
  await guide(page).waitFor();
  await guide(page).getByRole('button', { name: 'Got it' }).click();
  await guide(page).waitFor({ state: 'detached' });
  const reopen = page.getByRole('button', { name: 'How to connect' });
  // Focus stays in the place of the guide rather than falling back to the page.
  assert.equal(
    await reopen.evaluate((el) => el === document.activeElement),
    true,
    'focus on "How to connect"',
  );
  await page.reload();
  await page.getByRole('heading', { name: 'Connect to an eUICC' }).waitFor();
  await reopen.waitFor();
  assert.equal(await guide(page).count(), 0, 'the guide stays closed after a reload');
  await reopen.click();
  await guide(page).waitFor();
  assert.equal(
    await guide(page)
      .getByRole('heading', { name: 'How to connect here' })
      .evaluate((el) => el === document.activeElement),
    true,
    'focus on the guide heading',
  );
  assert.equal(await reopen.count(), 0);
  await page.close();
});

test('kiosk mode starts with the guide closed, and it can still be opened', async () => {
  const page = await open();
  await page.goto(`${server.url}?kiosk=1`);
  await page.getByRole('button', { name: 'How to connect' }).click();
  await guide(page).waitFor();
  await page.close();
});

test('at 360 px the guide fits without horizontal scrolling, in every language', async () => {
  for (const locale of LOCALES) {
    const m = await loadMessages(locale);
    const page = await open({ viewport: { width: 360, height: 740 } });
    await withoutUsbAndSerial(page);
    await page.addInitScript((language) => {
      localStorage.setItem('weblpa.settings', JSON.stringify({ language }));
    }, locale);
    await page.goto(server.url);
    const region = page.getByRole('region', { name: m.guide.title });
    await region.waitFor();
    await region.getByRole('button', { name: m.guide.dismiss }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 1, `${locale}: ${overflow} px of horizontal overflow`);
    if (locale === 'en') await screenshot(page, 'connect-guide-360');
    await page.close();
  }
});

test('no uncaught page errors', () => {
  assert.deepEqual(pageErrors, []);
});
