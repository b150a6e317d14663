// Memory over many downloads in one page: ten 100 KB profiles into the virtual eUICC, from the
// local SM-DP+ in this process, with the JavaScript heap read over the Chrome DevTools Protocol
// after a forced garbage collection. The log keeps a bounded number of body bytes and progress
// updates are coalesced, so the heap after ten downloads stays under twice the heap after one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchBrowser, serveBuildWithConfig, type AppServer } from './browser.ts';
import { luhnCheckDigit } from '../../src/codec/index.ts';
import { startLocalServices, type LocalServices } from '../../src/server/local-services.ts';
import type { Order } from '../../src/server/smdp/catalogue.ts';
import { localServicesConfig } from '../../src/ui/state/settings-model.ts';

const DOWNLOADS = 10;

function order(i: number): Order {
  const payload = `899900100000030${String(i).padStart(3, '0')}`;
  return {
    matchingId: `HEAP-${i}`,
    label: `Heap ${i}`,
    reusable: false,
    iccid: payload + luhnCheckDigit(payload),
    metadata: {
      serviceProviderName: 'Heap Test',
      profileName: `Heap ${i}`,
      profileClass: 'operational',
    },
    profile: { kind: 'generated', sizeBytes: 102_400 },
  };
}

let services: LocalServices;
let server: AppServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cdp: CDPSession;
const errors: string[] = [];

before(async () => {
  const orders = Array.from({ length: DOWNLOADS }, (_, i) => order(i));
  services = await startLocalServices({ smdpPort: 0, relayPort: 0, catalogue: orders });
  server = await serveBuildWithConfig(localServicesConfig(services));
  browser = await launchBrowser(['--js-flags=--expose-gc']);
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20_000);
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
});

after(async () => {
  await context.close();
  await browser.close();
  await server.close();
  await services.close();
});

/** Used JavaScript heap after garbage collection, in bytes. */
async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

async function download(i: number): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Add profile' })
    .click();
  const another = page.getByRole('button', { name: 'Add another' });
  if (await another.isVisible()) await another.click();
  await page.getByRole('tab', { name: 'Activation code' }).click();
  await page
    .getByRole('textbox', { name: 'Activation code', exact: true })
    .fill(`LPA:1$${services.smdpAddress}$HEAP-${i}`);
  await page.getByRole('button', { name: 'Download profile' }).click();
  await page.getByRole('heading', { name: 'Install this profile?' }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Install', exact: true }).click();
  await page.getByRole('heading', { name: 'Profile installed' }).waitFor({ timeout: 120_000 });
}

test('ten 100 KB downloads in one page: the heap stays under twice the heap after one', async () => {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Use Virtual eUICC' }).click();
  await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
  const start = await heapAfterGc();
  await download(0);
  const afterOne = await heapAfterGc();
  const heaps = [afterOne];
  for (let i = 1; i < DOWNLOADS; i++) {
    await download(i);
    heaps.push(await heapAfterGc());
  }
  const afterTen = heaps.at(-1)!;
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(2);
  process.stdout.write(
    `heap after GC: start ${mb(start)} MB, after 1 download ${mb(afterOne)} MB, ` +
      `after ${DOWNLOADS} ${mb(afterTen)} MB (each: ${heaps.map(mb).join(', ')})\n`,
  );
  const installs = services.state().notifications.filter((n) => n.kind === 'install');
  assert.equal(installs.filter((n) => n.verified && n.result?.success).length, DOWNLOADS);
  assert.ok(
    afterTen < 2 * afterOne,
    `heap after ${DOWNLOADS} downloads (${mb(afterTen)} MB) is not under twice the heap after one (${mb(afterOne)} MB)`,
  );
  assert.deepEqual(errors, []);
});
