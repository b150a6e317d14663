// The newcomer journey in every language: connect the virtual eUICC, paste an activation code of
// the local test SM-DP+, consent, installed, enable; the Chip, Notifications, Log and Settings
// views; then a refused plan and a dry run in the Batch view. The language comes from the
// browser's locale, and once from the Settings language menu (remembered across a reload).
// Every step is checked for English left on the page, horizontal overflow at 360 px and axe
// findings in both themes.
// Selectors take their names from the language's own texts, never from English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createRequire } from 'node:module';
import { describeViolations, screenshot, type AxeViolation } from './browser.ts';
import { iccid, profileCard, startApp, testOrder, type TestApp } from './setup.ts';
import { localServicesConfig } from '../../src/ui/state/settings-model.ts';
import type { Locale, Messages } from '../../src/i18n/index.ts';
import { en } from '../../src/i18n/en/index.ts';
import zhHans from '../../src/i18n/zh-Hans/index.ts';
import de from '../../src/i18n/de/index.ts';
import ja from '../../src/i18n/ja/index.ts';
import es from '../../src/i18n/es/index.ts';
import ru from '../../src/i18n/ru/index.ts';

const MESSAGES: Record<Locale, Messages> = { en, 'zh-Hans': zhHans, de, ja, es, ru };

/** The browser locale that selects each language (region tags, as browsers send them). */
const BROWSER_LOCALE: Record<Locale, string> = {
  en: 'en-US',
  'zh-Hans': 'zh-CN',
  de: 'de-DE',
  ja: 'ja-JP',
  es: 'es-ES',
  ru: 'ru-RU',
};

/** The language chosen in Settings (over an English browser) for the remembered-choice run. */
const MENU_LANGUAGE: Locale = 'ru';

const PHONE = { width: 360, height: 740 };

/** One order per run, each on its own ICCID. */
const RUNS: { id: string; iccid: string }[] = ['en', 'zh-Hans', 'de', 'ja', 'es', 'ru', 'menu'].map(
  (id, i) => ({ id, iccid: iccid(`8999001000000300${String(i).padStart(2, '0')}`) }),
);

const matchingId = (run: string): string => `LANG-${run.toUpperCase()}`;

let app: TestApp;

before(async () => {
  app = await startApp({
    services: {
      smdpPort: 0,
      relayPort: 0,
      catalogue: [
        ...RUNS.map((r) =>
          testOrder(matchingId(r.id), r.iccid, {
            serviceProviderName: 'Lingua Mobile',
            profileName: `Lingua ${r.id}`,
            profileClass: 'operational',
          }),
        ),
        // One more per language for the Batch view's dry run.
        ...RUNS.map((r, i) =>
          testOrder(
            `${matchingId(r.id)}-BATCH`,
            iccid(`8999001000000301${String(i).padStart(2, '0')}`),
            {
              serviceProviderName: 'Lingua Mobile',
              profileName: `Lingua batch ${r.id}`,
            },
          ),
        ),
      ],
    },
    config: localServicesConfig,
  });
});

after(() => app.close());

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** The axe-core rules whose outcome depends on the colours, run again in the dark theme. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * The serious and critical axe-core findings on the page: every rule, or only `rules`. axe is
 * injected once per document (its 500 kB source costs more than a run on a busy machine).
 */
async function axeSerious(page: Page, rules?: string[]): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (only) => {
    const w = window as unknown as {
      axe: { run: (ctx: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
    };
    const options = only ? { runOnly: { type: 'rule', values: only } } : {};
    return (await w.axe.run(document, options)).violations;
  }, rules);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

type Tree = { readonly [key: string]: unknown };

/** Every static text of a messages tree by its path (message functions are left out). */
function staticTexts(tree: Tree, path = '', out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    const here = path === '' ? key : `${path}.${key}`;
    if (typeof value === 'string') out.set(here, value);
    else if (typeof value === 'object' && value !== null) staticTexts(value as Tree, here, out);
  }
  return out;
}

/** Names every language keeps as they are (as in tests/unit/i18n/parity.test.ts). */
const NAMES = ['WebLPA', 'eUICC', 'eSIM', 'WebUSB', 'WebSerial', 'JSON', 'CSV', 'https', 'http'];

/** Whether a text has an English word once names and codes (ICCID, SM-DP+, 8.2.6) are out. */
function hasEnglishWord(text: string): boolean {
  let rest = text;
  for (const n of NAMES) rest = rest.split(n).join(' ');
  return /[a-z]{3,}/i.test(rest.replace(/\b[A-Z0-9+-]{2,}\b/g, ' '));
}

/**
 * The English texts that must not appear as a line of the page in `locale`: those with an
 * English word that the language translates differently, unless the language itself uses the
 * same words somewhere.
 */
function englishLeftovers(locale: Locale): Map<string, string> {
  const ours = staticTexts(MESSAGES[locale]);
  const theirs = new Set(ours.values());
  const out = new Map<string, string>();
  for (const [path, text] of staticTexts(en)) {
    const trimmed = text.trim();
    if (!hasEnglishWord(trimmed) || theirs.has(text) || theirs.has(trimmed)) continue;
    if (ours.get(path) !== text) out.set(trimmed, path);
  }
  return out;
}

/** The page's visible lines, and the names given only in attributes (read by screen readers). */
async function pageLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const lines = document.body.innerText.split('\n');
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]'))
      for (const attr of ['aria-label', 'placeholder', 'title', 'alt']) {
        const v = el.getAttribute(attr);
        if (v !== null) lines.push(v);
      }
    return lines.map((l) => l.trim()).filter((l) => l !== '');
  });
}

/**
 * The checks of one step, appended to `problems`: the page's language, English left on it,
 * horizontal overflow, and serious or critical axe findings in the light and the dark theme.
 */
async function checkStep(
  page: Page,
  locale: Locale,
  step: string,
  problems: string[],
): Promise<void> {
  const where = `${locale} ${step}`;
  const lang = await page.evaluate(() => document.documentElement.lang);
  if (lang !== locale) problems.push(`${where}: <html lang="${lang}">`);
  const leftovers = englishLeftovers(locale);
  for (const line of new Set(await pageLines(page))) {
    const path = leftovers.get(line);
    if (path !== undefined) problems.push(`${where}: English left: "${line}" (en ${path})`);
  }
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  if (scrollWidth > clientWidth)
    problems.push(`${where}: ${scrollWidth - clientWidth}px of horizontal overflow at 360 px`);
  // Every rule in the light theme; in the dark one the same page differs only in its colours.
  const background = () =>
    page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await background();
  problems.push(...describeViolations(`${where} light`, await axeSerious(page)));
  await page.emulateMedia({ colorScheme: 'dark' });
  if ((await background()) === light) problems.push(`${where}: the dark theme did not apply`);
  problems.push(...describeViolations(`${where} dark`, await axeSerious(page, COLOUR_RULES)));
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Opens a view from the main menu by its name in the language shown. */
async function nav(page: Page, m: Messages, view: keyof Messages['shell']['nav']): Promise<void> {
  // Notifications carries a badge ("1 waiting") after its name.
  await page
    .getByRole('navigation', { name: m.shell.mainMenu })
    .getByRole('button', { name: m.shell.nav[view], exact: view !== 'notifications' })
    .click();
}

/**
 * The journey from the Connect view (already open) to an enabled profile, with the checks at
 * every step.
 */
async function newcomerJourney(
  page: Page,
  locale: Locale,
  run: { id: string; iccid: string },
  problems: string[],
): Promise<void> {
  const m = MESSAGES[locale];
  await page.getByRole('heading', { name: m.connect.title }).waitFor({ timeout: 30_000 });
  await checkStep(page, locale, 'connect', problems);

  await page.getByRole('button', { name: m.connect.options.virtual.use }).click();
  await page
    .getByRole('heading', { name: m.profiles.title, exact: true })
    .waitFor({ timeout: 30_000 });
  await checkStep(page, locale, 'connected', problems);

  await nav(page, m, 'add');
  await page.getByRole('tab', { name: m.add.methods.code }).click();
  const code = `LPA:1$${app.services.smdpAddress}$${matchingId(run.id)}`;
  await page.getByRole('textbox', { name: m.add.code.label, exact: true }).fill(code);
  await checkStep(page, locale, 'activation code', problems);

  await page.getByRole('button', { name: m.add.submit }).click();
  await page.getByRole('heading', { name: m.download.consent.title }).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('consent-provider').textContent(), 'Lingua Mobile');
  await checkStep(page, locale, 'consent', problems);

  await page.getByRole('button', { name: m.download.consent.install, exact: true }).click();
  await page.getByRole('heading', { name: m.download.done.title }).waitFor({ timeout: 60_000 });
  await checkStep(page, locale, 'installed', problems);

  await nav(page, m, 'profiles');
  const card = profileCard(page, run.iccid);
  await card.waitFor();
  assert.equal(
    (await card.getByTestId('profile-state').textContent())?.trim(),
    m.profiles.states.disabled,
  );
  await card.getByRole('button', { name: m.profiles.enable, exact: true }).click();
  await page.getByText(m.profiles.result.enabled(`Lingua ${run.id}`)).waitFor({ timeout: 30_000 });
  assert.equal(
    (await card.getByTestId('profile-state').textContent())?.trim(),
    m.profiles.states.enabled,
  );
  await checkStep(page, locale, 'enabled', problems);

  // The other views, with the virtual eUICC connected and a profile on it.
  for (const view of ['chip', 'notifications', 'log', 'settings'] as const) {
    await nav(page, m, view);
    await page.getByRole('heading', { name: m[view].title, level: 2, exact: true }).waitFor();
    await checkStep(page, locale, view, problems);
  }

  // The Batch view: a refused plan, its problems in the language; then a dry run of one row.
  await nav(page, m, 'batch');
  await page.getByRole('heading', { name: m.batch.title, level: 2 }).waitFor();
  const planBox = page.getByRole('textbox', { name: m.batch.planLabel });
  await planBox.fill('activationCode,eid,colour\nLPA:2$x$y,123,red\n');
  await page.getByRole('button', { name: m.batch.run.virtual }).click();
  const refused = page.getByRole('alert').filter({ hasText: m.batch.issues.title });
  await refused.waitFor();
  const refusedText = (await refused.textContent()) ?? '';
  for (const expected of [
    m.batch.problems.unknownColumn,
    m.errors.activationCode.reasons.format,
    m.batch.problems.badEid('123'),
  ])
    assert.ok(refusedText.includes(expected), `${locale}: "${expected}" in "${refusedText}"`);
  await checkStep(page, locale, 'batch plan refused', problems);
  await planBox.fill(
    `activationCode,enable\nLPA:1$${app.services.smdpAddress}$${matchingId(run.id)}-BATCH,yes\n`,
  );
  await page.getByRole('spinbutton', { name: m.batch.virtualCount }).fill('1');
  await page.getByRole('button', { name: m.batch.run.virtual }).click();
  const summary = page.getByTestId('batch-summary');
  await summary.waitFor({ timeout: 60_000 });
  const cells = await page.locator('tr[data-row="1"] td').allTextContents();
  assert.equal(cells[3]?.trim(), 'ok', `${locale}: ${cells.join(' | ')}`);
  await checkStep(page, locale, 'batch dry run', problems);
}

/**
 * Runs a journey's steps; when one fails, keeps a screenshot (test-results/) and adds what the
 * checks had found until then to the error.
 */
async function withEvidence(
  page: Page,
  name: string,
  problems: string[],
  steps: () => Promise<void>,
): Promise<void> {
  try {
    await steps();
  } catch (e) {
    await screenshot(page, `languages-${name}-failed`, false).catch(() => undefined);
    const found = problems.length === 0 ? '' : `\nfound before:\n${problems.join('\n')}`;
    throw new Error(`${e instanceof Error ? e.message : String(e)}${found}`, { cause: e });
  }
}

for (const [i, locale] of (['en', 'zh-Hans', 'de', 'ja', 'es', 'ru'] as const).entries()) {
  test(`${locale} from the browser's locale: the newcomer journey, translated`, async () => {
    const { context, page } = await app.newPage({
      viewport: PHONE,
      locale: BROWSER_LOCALE[locale],
    });
    const problems: string[] = [];
    await withEvidence(page, locale, problems, async () => {
      await page.goto(app.server.url);
      await newcomerJourney(page, locale, RUNS[i]!, problems);
    });
    await context.close();
    assert.deepEqual(problems, []);
  });
}

test('a language chosen in Settings wins over the browser and is remembered', async () => {
  const m = MESSAGES[MENU_LANGUAGE];
  const { context, page } = await app.newPage({ viewport: PHONE, locale: BROWSER_LOCALE.en });
  const problems: string[] = [];
  await withEvidence(page, 'menu', problems, async () => {
    await page.goto(app.server.url);
    await page.getByRole('heading', { name: en.connect.title }).waitFor({ timeout: 30_000 });
    await nav(page, en, 'settings');
    await page.locator('#language').selectOption(MENU_LANGUAGE);
    await page.getByRole('button', { name: en.settings.save }).click();
    await page.getByRole('heading', { name: m.settings.title }).waitFor();
    // A refused value is explained next to its field, in the language chosen.
    await page.locator('#tac').fill('123');
    await page.getByRole('button', { name: m.settings.save }).click();
    await page.getByText(m.settings.invalid.tac).waitFor();
    assert.equal(await page.locator('#tac').getAttribute('aria-invalid'), 'true');
    await checkStep(page, MENU_LANGUAGE, 'settings', problems);
    await page.getByRole('button', { name: m.settings.undo }).click();
    assert.equal(await page.getByText(m.settings.invalid.tac).count(), 0);

    await page.reload();
    await page.getByRole('heading', { name: m.connect.title }).waitFor({ timeout: 30_000 });
    await nav(page, m, 'settings');
    assert.equal(await page.locator('#language').inputValue(), MENU_LANGUAGE);
    await nav(page, m, 'connect');
    await newcomerJourney(page, MENU_LANGUAGE, RUNS[6]!, problems);
  });
  await context.close();
  assert.deepEqual(problems, []);
});

test('no uncaught page errors in any language', () => {
  assert.deepEqual(app.pageErrors, []);
});
