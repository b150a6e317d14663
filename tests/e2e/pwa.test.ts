// The app shell as a PWA: manifest, offline reload through the service worker (which must not
// cache /config.json), kiosk mode, link availability, and an axe-core accessibility scan.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import {
  axeSerious,
  describeViolations,
  launchBrowser,
  newPage,
  screenshot,
  serveBuildWithConfig,
  type AppServer,
} from './browser.ts';

let server: AppServer;
let browser: Browser;

before(async () => {
  server = await serveBuildWithConfig({
    es9p: { overrides: { 'smdp.test.example': 'http://127.0.0.1:9' } },
    demoActivationCodes: [{ label: 'Demo', code: 'LPA:1$smdp.test.example$DEMO' }],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser.close();
  await server.close();
});

test('manifest and icons are served and describe an installable app', async () => {
  const res = await fetch(new URL('manifest.webmanifest', server.url));
  assert.equal(res.status, 200);
  const m = (await res.json()) as {
    name: string;
    display: string;
    icons: { src: string; sizes: string }[];
  };
  assert.equal(m.display, 'standalone');
  assert.ok(m.icons.some((i) => i.sizes === '192x192'));
  assert.ok(m.icons.some((i) => i.sizes === '512x512'));
  for (const icon of m.icons) {
    const r = await fetch(new URL(icon.src, server.url));
    assert.equal(r.status, 200, icon.src);
  }
});

test('offline reload serves the app shell from the service worker; config.json is not cached', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'WebLPA', level: 1 }).waitFor();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const cached = await page.evaluate(async () => {
    const keys = await caches.keys();
    const urls: string[] = [];
    for (const k of keys) for (const r of await (await caches.open(k)).keys()) urls.push(r.url);
    return urls;
  });
  assert.ok(
    cached.some((u) => new URL(u).pathname === '/index.html'),
    `index.html precached (cached: ${cached.join(', ')})`,
  );
  assert.ok(!cached.some((u) => u.includes('config.json')), 'config.json must not be cached');
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { name: 'WebLPA', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Connect to an eUICC' }).waitFor();
  await context.setOffline(false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('links are marked available or not, with the reason', async () => {
  const { context, page } = await newPage(browser);
  // Emulate a browser without WebUSB/WebSerial (e.g. Firefox): the app must say why.
  await page.addInitScript(() => {
    for (const k of ['usb', 'serial'])
      Object.defineProperty(Navigator.prototype, k, { value: undefined, configurable: true });
    delete (Navigator.prototype as unknown as Record<string, unknown>).usb;
    delete (Navigator.prototype as unknown as Record<string, unknown>).serial;
  });
  await page.goto(server.url);
  await page.getByText('This browser has no WebSerial').waitFor();
  // The USB reader and the USB modem both need WebUSB, and each says so.
  assert.equal(await page.getByText('This browser has no WebUSB').count(), 2);
  assert.equal(await page.getByRole('button', { name: 'Use USB reader' }).isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Use USB modem' }).isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Use Virtual eUICC' }).isDisabled(), false);
  await context.close();
});

test('kiosk mode: large targets and a reduced menu', async () => {
  const { context, page } = await newPage(browser, { viewport: { width: 1080, height: 1920 } });
  await page.goto(`${server.url}?kiosk=1`);
  await page.getByRole('heading', { name: 'Connect to an eUICC' }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  assert.equal(await nav.getByRole('button', { name: 'Log' }).count(), 0);
  const box = await page.getByRole('button', { name: 'Use Virtual eUICC' }).boundingBox();
  assert.ok(box && box.height >= 64, `target height ${box?.height}`);
  await screenshot(page, 'kiosk');
  await context.close();
});

test('settings: bad values are refused with the field named; export/import round trip', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(server.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Settings' })
    .click();
  await page.getByLabel('TAC (8 digits)').fill('123');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('TAC must be exactly 8 digits').waitFor();
  assert.equal(await page.getByLabel('TAC (8 digits)').inputValue(), '123', 'typed value kept');
  await page.getByLabel('TAC (8 digits)').fill('35290611');
  await page.getByLabel('IMEI (optional)').fill('352906110000006');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved.').waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export settings' }).click();
  const file = await (await download).path();
  assert.ok(file);
  const { readFileSync } = await import('node:fs');
  const exported = JSON.parse(readFileSync(file, 'utf8')) as {
    settings: { imei: string; overrides: Record<string, string> };
  };
  assert.equal(exported.settings.imei, '352906110000006');
  assert.equal(exported.settings.overrides['smdp.test.example'], 'http://127.0.0.1:9');
  await context.close();
});

test('axe-core finds no serious accessibility violations in the main views', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Connect to an eUICC' }).waitFor();
  const found: string[] = [];
  for (const view of [
    'Connect',
    'Profiles',
    'Add profile',
    'Chip',
    'Notifications',
    'Settings',
    'Log',
  ]) {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: view })
      .click();
    await page.waitForTimeout(150);
    found.push(...describeViolations(view, await axeSerious(page)));
  }
  assert.deepEqual(found, []);
  await context.close();
});
