// The built app served by `vite preview` with the project's security headers: they are sent, the
// first steps of a newcomer (open the app, choose the Virtual eUICC) run without a single Content
// Security Policy or Permissions-Policy complaint, and a page on another origin cannot frame it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Browser, ConsoleMessage } from 'playwright-core';
import { launchBrowser, newPage, serveBuild, type AppServer } from './browser.ts';
import { SECURITY_HEADERS } from '../../src/server/common/security-headers.mjs';
import { closeServer, listen } from '../../src/server/common/http.ts';

let server: AppServer;
let browser: Browser;
/** Another loopback origin (another port) serving a page that tries to frame the app. */
let framer: Server;
let framerUrl = '';

before(async () => {
  server = await serveBuild();
  browser = await launchBrowser();
  framer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>framer</title><iframe src="${server.url}"></iframe>`);
  });
  framerUrl = `http://127.0.0.1:${await listen(framer, 0, '127.0.0.1')}/`;
});

after(async () => {
  await browser.close();
  await closeServer(framer);
  await server.close();
});

test('the page, its scripts and the service worker are served with the security headers', async () => {
  const page = await fetch(server.url);
  const html = await page.text();
  const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
  assert.ok(script, 'the built page loads its script from a file');
  for (const path of ['', script, 'sw.js', 'manifest.webmanifest']) {
    const res = path === '' ? page : await fetch(new URL(path, server.url));
    assert.equal(res.status, 200, path);
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      assert.equal(res.headers.get(name), value, `${path || '/'}: ${name}`);
  }
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in the page');
});

/** Console lines about the page's policies (CSP reports, Permissions-Policy parse errors). */
const POLICY_COMPLAINT =
  /Content Security Policy|Content-Security-Policy|Permissions-Policy|Permissions Policy|Unrecognized feature|Refused to/i;

test('opening the app and choosing the Virtual eUICC raises no policy violation', async () => {
  const { context, page, errors } = await newPage(browser);
  const complaints: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (POLICY_COMPLAINT.test(m.text())) complaints.push(m.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Connect to an eUICC' }).waitFor();
  // The service worker registers and takes control under the policy (worker-src 'self').
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.getByRole('button', { name: 'Use Virtual eUICC' }).click();
  await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: 30_000 });
  const violations = await page.evaluate(
    () => (window as unknown as { cspViolations: string[] }).cspViolations,
  );
  assert.deepEqual(violations, []);
  assert.deepEqual(complaints, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a page on another origin cannot frame the app', async () => {
  const { context, page } = await newPage(browser);
  const refused = new Promise<string>((resolve) => {
    page.on('console', (m: ConsoleMessage) => {
      if (/frame-ancestors|X-Frame-Options/i.test(m.text())) resolve(m.text());
    });
  });
  await page.goto(framerUrl);
  const iframe = page.locator('iframe');
  await iframe.waitFor();
  // Chromium reports the refusal on the console; bounded wait.
  const message = await Promise.race([
    refused,
    new Promise<string>((resolve) =>
      setTimeout(() => {
        resolve('');
      }, 10_000),
    ),
  ]);
  assert.match(message, /frame-ancestors 'none'|X-Frame-Options/);
  // The frame shows no part of the app.
  const frame = await (await iframe.elementHandle())?.contentFrame();
  assert.ok(frame, 'the iframe exists');
  assert.notEqual(frame.url(), server.url, 'the frame did not commit the app');
  assert.equal(await frame.getByRole('heading', { name: 'WebLPA' }).count(), 0);
  await context.close();
});
