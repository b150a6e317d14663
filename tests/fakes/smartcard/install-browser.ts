/**
 * Installs the fake smart card service into a Playwright page: navigator.smartCard runs in the
 * page (bundled from the same TypeScript as the Node fake), the card runs in Node and is reached
 * through page.exposeFunction, as for the fake USB reader (tests/fakes/usb/install-browser.ts).
 *
 *   await installFakeSmartCard(page, (apdu) => euicc.transmit(apdu));
 *   await page.goto(url); // navigator.smartCard now lists one reader with the card in it
 *   await page.evaluate(() => globalThis.__weblpaFakeSmartCard?.removeCard('Fake PC/SC Reader 00 00'));
 */
import type { Page } from 'playwright-core';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import type { CardFn } from './fake-smartcard.ts';
import type { FakeSmartCardPageOptions } from './browser-entry.ts';
import { bundleBrowserScript } from '../usb/install-browser.ts';

/** navigator.smartCard with one reader (holding `card`) in every page of `page`'s navigations. */
export async function installFakeSmartCard(
  page: Page,
  card: CardFn,
  options: FakeSmartCardPageOptions = {},
): Promise<void> {
  await page.exposeFunction('__weblpaCard', async (apduHex: string) =>
    toHex(await card(fromHex(apduHex))),
  );
  const code = await bundleBrowserScript('smartcard');
  await page.addInitScript({
    content: `${code}\n;globalThis.__weblpaInstallFakeSmartCard(${JSON.stringify(options)});`,
  });
}
