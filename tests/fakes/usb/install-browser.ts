/**
 * Installs the fake reader / fake modem into a Playwright page (docs/platform.md §5): the fake device
 * runs in the page (bundled from the same TypeScript as the Node fakes, so the framing is shared),
 * the card runs in Node and is reached through page.exposeFunction.
 *
 *   await installFakeUsb(page, (apdu) => euicc.transmit(apdu), { level: 'shortApdu' });
 *   await page.goto(url); // navigator.usb now holds one fake CCID reader
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Page } from 'playwright-core';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import type { CardFn, FakeCcidOptions } from './fake-ccid-device.ts';
import type { FakeModemOptions, FakePortMode } from '../serial/fake-at-modem.ts';
import type { FakeUsbModemPageOptions } from '../usb-modem/browser-entry.ts';

const scripts = new Map<string, Promise<string>>();

/** Bundles a browser entry into one IIFE script (cached per process). */
const ENTRIES = {
  usb: './browser-entry.ts',
  serial: '../serial/browser-entry.ts',
  usbModem: '../usb-modem/browser-entry.ts',
  smartcard: '../smartcard/browser-entry.ts',
} as const;

export function bundleBrowserScript(entry: keyof typeof ENTRIES): Promise<string> {
  let p = scripts.get(entry);
  if (!p) {
    const file = fileURLToPath(new URL(ENTRIES[entry], import.meta.url));
    p = build({
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        minify: false,
        lib: { entry: file, formats: ['iife'], name: `__weblpaFake_${entry}` },
      },
    }).then((out) => {
      const outputs = Array.isArray(out) ? out : [out];
      for (const o of outputs) {
        if ('output' in o) {
          const chunk = o.output.find((c) => c.type === 'chunk');
          if (chunk && chunk.type === 'chunk') return chunk.code;
        }
      }
      throw new Error('vite produced no chunk for the fake device script');
    });
    scripts.set(entry, p);
  }
  return p;
}

async function exposeCard(page: Page, card: CardFn): Promise<void> {
  await page.exposeFunction('__weblpaCard', async (apduHex: string) =>
    toHex(await card(fromHex(apduHex))),
  );
}

/** navigator.usb with one fake CCID reader in every page of `page`'s future navigations. */
export async function installFakeUsb(
  page: Page,
  card: CardFn,
  options: Omit<FakeCcidOptions, 'card' | 'slots' | 'atr'> & { atrHex?: string } = {},
): Promise<void> {
  await exposeCard(page, card);
  const script = await bundleBrowserScript('usb');
  await page.addInitScript({
    content: `${script}\n;globalThis.__weblpaInstallFakeUsb(${JSON.stringify(options)});`,
  });
}

/** navigator.serial with one fake modem port. */
export async function installFakeSerial(
  page: Page,
  card: CardFn,
  options: Omit<FakeModemOptions, 'card'> & { portMode?: FakePortMode } = {},
): Promise<void> {
  await exposeCard(page, card);
  const script = await bundleBrowserScript('serial');
  await page.addInitScript({
    content: `${script}\n;globalThis.__weblpaInstallFakeSerial(${JSON.stringify(options)});`,
  });
}

/** navigator.usb with one fake USB modem (Quectel-like interface layout by default). */
export async function installFakeUsbModem(
  page: Page,
  card: CardFn,
  options: FakeUsbModemPageOptions = {},
): Promise<void> {
  await exposeCard(page, card);
  const script = await bundleBrowserScript('usbModem');
  await page.addInitScript({
    content: `${script}\n;globalThis.__weblpaInstallFakeUsbModem(${JSON.stringify(options)});`,
  });
}
