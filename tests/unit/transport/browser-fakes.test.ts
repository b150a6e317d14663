// The browser-installable fakes (docs/platform.md §5): bundled from the same TypeScript as the Node
// fakes, installed with addInitScript, the card answering from Node through exposeFunction.
// Skipped when Debian's Chromium is not installed.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { installFakeSerial, installFakeUsb } from '../../fakes/usb/install-browser.ts';
import { tinyCard } from '../../fakes/usb/tiny-card.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);

describe.skipIf(!haveChromium)('fakes inside Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
  }, 30_000);
  afterAll(async () => {
    await browser.close();
  });

  it('navigator.usb holds a CCID reader whose card answers from Node', async () => {
    const page = await browser.newPage();
    const card = tinyCard();
    await installFakeUsb(page, card);
    await page.goto('about:blank');
    const log = await page.evaluate(async () => {
      const hex = (d: DataView | undefined) =>
        Array.from(new Uint8Array(d!.buffer, d!.byteOffset, d!.byteLength), (b) =>
          b.toString(16).padStart(2, '0'),
        ).join('');
      const device = await navigator.usb.requestDevice({ filters: [{ classCode: 0x0b }] });
      await device.open();
      await device.selectConfiguration(1);
      await device.claimInterface(0);
      // IccPowerOn, then XfrBlock(00 70 00 00 01) - USB CCID rev 1.1 §6.1.1, §6.1.4
      await device.transferOut(1, new Uint8Array([0x62, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
      const atr = await device.transferIn(2, 64);
      await device.transferOut(
        1,
        new Uint8Array([0x6f, 5, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x70, 0, 0, 1]),
      );
      const r = await device.transferIn(2, 64);
      return [hex(atr.data).slice(0, 4), hex(r.data)];
    });
    expect(log[0]).toBe('8016'); // DataBlock with a 22-byte ATR
    expect(log[1]).toBe('80030000000001000000019000');
    expect(card.log).toEqual(['0070000001']);
    await page.close();
  }, 30_000);

  it('navigator.serial holds a modem answering AT+CSIM from Node', async () => {
    const page = await browser.newPage();
    const card = tinyCard();
    await installFakeSerial(page, card, { mode: 'dw5821e' });
    await page.goto('about:blank');
    const text = await page.evaluate(async () => {
      const port = await navigator.serial.requestPort();
      await port.open({ baudRate: 115200 });
      const writer = port.writable!.getWriter();
      const reader = port.readable!.getReader();
      await writer.write(new TextEncoder().encode('ATE0\rAT+CSIM=10,"0070000001"\r'));
      let all = '';
      while (!all.includes('+CSIM') || !all.trimEnd().endsWith('OK')) {
        const { value } = await reader.read();
        all += new TextDecoder().decode(value);
      }
      return all;
    });
    expect(text).toContain('+CSIM: 6,"019000"');
    await page.close();
  }, 30_000);
});
