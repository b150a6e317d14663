// The start of every app test: the local test SM-DP+ (and SM-DS, relay) in this process, the
// production build served with a /config.json pointing at them, Chromium, and fresh pages whose
// uncaught errors are collected.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser, serveBuildWithConfig, type AppServer } from './browser.ts';
import { luhnCheckDigit } from '../../src/codec/bcd.ts';
import {
  startLocalServices,
  type LocalServices,
  type LocalServicesOptions,
} from '../../src/server/local-services.ts';
import type { Order, OrderMetadata } from '../../src/server/smdp/catalogue.ts';

/** An ICCID from an 18-digit payload plus its Luhn digit (the server rejects a wrong one). */
export const iccid = (payload: string): string => payload + luhnCheckDigit(payload);

/** A one-time order of a generated 2000-byte profile; `extra` overrides any field. */
export function testOrder(
  matchingId: string,
  iccidValue: string,
  metadata: OrderMetadata,
  extra: Partial<Order> = {},
): Order {
  return {
    matchingId,
    label: matchingId,
    reusable: false,
    iccid: iccidValue,
    metadata,
    profile: { kind: 'generated', sizeBytes: 2000 },
    ...extra,
  };
}

type ContextOptions = NonNullable<Parameters<Browser['newContext']>[0]>;

export interface TestApp {
  services: LocalServices;
  server: AppServer;
  browser: Browser;
  /** The uncaught errors of every page opened by newPage. */
  pageErrors: string[];
  /**
   * A fresh context (its own storage) at 1280×800 unless `options` say otherwise, and a page in
   * it; a missing element fails after `defaultTimeout` (steps that wait on the network or the
   * card pass their own).
   */
  newPage(
    options?: ContextOptions,
    defaultTimeout?: number,
  ): Promise<{ context: BrowserContext; page: Page }>;
  /** Runs `fn` on close, after the contexts are closed and before the browser is. */
  onClose(fn: () => Promise<unknown>): void;
  close(): Promise<void>;
}

export async function startApp(options: {
  services: LocalServicesOptions;
  /** The /config.json the app reads. */
  config: (services: LocalServices) => unknown;
  /** Extra Chromium flags. */
  browserArgs?: (services: LocalServices) => string[] | Promise<string[]>;
}): Promise<TestApp> {
  const services = await startLocalServices(options.services);
  let server: AppServer | undefined;
  let browser: Browser;
  try {
    server = await serveBuildWithConfig(options.config(services));
    browser = await launchBrowser(options.browserArgs ? await options.browserArgs(services) : []);
  } catch (e) {
    await server?.close();
    await services.close();
    throw e;
  }
  const contexts: BrowserContext[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  const pageErrors: string[] = [];
  const appServer = server;
  return {
    services,
    server: appServer,
    browser,
    pageErrors,
    async newPage(contextOptions = {}, defaultTimeout = 10_000) {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        ...contextOptions,
      });
      context.setDefaultTimeout(defaultTimeout);
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      return { context, page };
    },
    onClose(fn) {
      cleanups.push(fn);
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      for (const fn of cleanups) await fn().catch(() => undefined);
      await browser.close();
      await appServer.close();
      await services.close();
    },
  };
}

/** Opens a view from the main navigation. */
export async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();
}

/** The card of an installed profile, by its ICCID (or a prefix of it). */
export function profileCard(page: Page, iccidValue: string): Locator {
  return page.locator(`article[data-iccid^="${iccidValue}"]`);
}

/** Add profile: types the activation code and asks for the download (the consent comes next). */
export async function requestDownload(page: Page, activationCode: string): Promise<void> {
  await nav(page, 'Add profile');
  await page.getByRole('tab', { name: 'Activation code' }).click();
  await page.getByRole('textbox', { name: 'Activation code', exact: true }).fill(activationCode);
  await page.getByRole('button', { name: 'Download profile' }).click();
}
