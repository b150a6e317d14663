// Shared set-up for the browser tests: the production build served by Vite's preview server,
// driven in Debian's Chromium through playwright-core (which never downloads a browser).
import { preview, type PreviewServer } from 'vite';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium quiet on a machine with a closed network (docs/platform.md §4.4). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

/** Serves ./dist (built beforehand by `vite build`) on a free loopback port. */
export async function serveBuild(): Promise<AppServer> {
  const server: PreviewServer = await preview({
    // Any Host header: tests reach the loopback server under other names (an insecure-origin case).
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false, allowedHosts: true },
    logLevel: 'error',
  });
  const address = server.httpServer.address();
  if (address === null || typeof address === 'string')
    throw new Error('preview server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => server.close(),
  };
}

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export async function newPage(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

export const ARTIFACTS = join(process.cwd(), 'test-results');

/**
 * Saves a screenshot for review. `fullPage: false` keeps to the viewport, for views as long as
 * the log (tens of thousands of pixels), whose full capture is slow on a busy machine.
 */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage, timeout: 30_000 });
}

/**
 * Like serveBuild, and also answers GET /config.json with `config` (as `npm start` does), so
 * journeys can point the app at the local SM-DP+ the way a user's local setup does.
 */
export async function serveBuildWithConfig(config: unknown): Promise<AppServer> {
  const body = JSON.stringify(config);
  const server: PreviewServer = await preview({
    // Any Host header: tests reach the loopback server under other names (an insecure-origin case).
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false, allowedHosts: true },
    logLevel: 'error',
    plugins: [
      {
        name: 'e2e-config-json',
        configurePreviewServer(s) {
          s.middlewares.use('/config.json', (_req, res) => {
            res.setHeader('content-type', 'application/json');
            res.setHeader('cache-control', 'no-store');
            res.end(body);
          });
        },
      },
    ],
  });
  const address = server.httpServer.address();
  if (address === null || typeof address === 'string')
    throw new Error('preview server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => server.close(),
  };
}

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

export interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

/** Runs axe-core (injected from the installed package) on the page; returns serious/critical findings. */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run: (ctx: Document) => Promise<{ violations: AxeViolation[] }> };
    };
    return w.axe.run(document);
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One line per violation, for assertion messages. */
export function describeViolations(where: string, violations: AxeViolation[]): string[] {
  return violations.map(
    (v) => `${where}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}
