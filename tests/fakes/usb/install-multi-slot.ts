/**
 * Installs a fake multi-slot CCID reader into a Playwright page: the reader runs in the page
 * (multi-slot-entry.ts, bundled from the same TypeScript as the Node fakes), each slot's card in
 * this process; `undefined` leaves a slot empty.
 *
 *   await installFakeMultiSlotUsb(page, [a.transmit, b.transmit, undefined, c.transmit]);
 *   await page.goto(url); // navigator.usb now holds one reader with four slots
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Page } from 'playwright-core';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import type { CardFn } from './fake-ccid-device.ts';
import type { MultiSlotPageOptions } from './multi-slot-entry.ts';

let script: Promise<string> | undefined;

/** multi-slot-entry.ts as one IIFE script (built once per process). */
function bundle(): Promise<string> {
  script ??= build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: {
        entry: fileURLToPath(new URL('./multi-slot-entry.ts', import.meta.url)),
        formats: ['iife'],
        name: '__weblpaFake_multiSlot',
      },
    },
  }).then((out) => {
    for (const o of Array.isArray(out) ? out : [out]) {
      if (!('output' in o)) continue;
      const chunk = o.output.find((c) => c.type === 'chunk');
      if (chunk?.type === 'chunk') return chunk.code;
    }
    throw new Error('vite produced no chunk for the fake multi-slot reader');
  });
  return script;
}

export async function installFakeMultiSlotUsb(
  page: Page,
  cards: readonly (CardFn | undefined)[],
  options: Omit<MultiSlotPageOptions, 'filled'> = {},
): Promise<void> {
  await page.exposeFunction('__weblpaSlotCard', async (slot: number, apduHex: string) => {
    const card = cards[slot];
    if (!card) throw new Error(`no card in slot ${slot}`);
    return toHex(await card(fromHex(apduHex)));
  });
  const pageOptions: MultiSlotPageOptions = { ...options, filled: cards.map((c) => !!c) };
  await page.addInitScript({
    content: `${await bundle()}\n;globalThis.__weblpaInstallFakeMultiSlotUsb(${JSON.stringify(pageOptions)});`,
  });
}
