import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, serveBuild, type AppServer } from './browser.ts';

let server: AppServer;
let browser: Browser;

before(async () => {
  server = await serveBuild();
  browser = await launchBrowser();
});

after(async () => {
  await browser.close();
  await server.close();
});

test('the built app loads and shows its main heading', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(server.url);
  const heading = page.getByRole('heading', { level: 1 });
  assert.equal(await heading.textContent(), 'WebLPA');
  assert.deepEqual(errors, []);
  await context.close();
});
