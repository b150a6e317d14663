// The Batch view on the production build: a plan pasted in, checked (bad rows named), run over
// virtual eUICCs against the local test SM-DP+ in this process (through /config.json's address
// overrides), the table filled in, the report downloaded as CSV and JSON.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { axeSerious, describeViolations, screenshot, type AppServer } from './browser.ts';
import { startApp, testOrder, type TestApp } from './setup.ts';
import { createTestIdentity } from '../../src/euicc/index.ts';
import { projectTestCi } from '../../src/rsp/index.ts';
import type { LocalServices } from '../../src/server/local-services.ts';
import type { Order } from '../../src/server/smdp/catalogue.ts';
import { localServicesConfig } from '../../src/ui/state/settings-model.ts';

const order = (matchingId: string, iccid: string, extra: Partial<Order> = {}): Order =>
  testOrder(
    matchingId,
    iccid,
    { serviceProviderName: 'E2E Batch', profileName: matchingId },
    extra,
  );

// 18 digits + Luhn check digit.
const ORDERS: Order[] = [
  order('BATCH-E2E-1', '8999001000000200018'),
  order('BATCH-E2E-2', '8999001000000200026'),
  order('BATCH-E2E-CC', '8999001000000200034', { confirmationCode: '4711' }),
];

let app: TestApp;
let services: LocalServices;
let server: AppServer;
let page: Page;

before(async () => {
  app = await startApp({
    services: { smdpPort: 0, relayPort: 0, catalogue: ORDERS },
    config: localServicesConfig,
  });
  ({ services, server } = app);
  ({ page } = await app.newPage({ acceptDownloads: true }));
});

after(() => app.close());

const ac = (id: string, cc = false): string =>
  `LPA:1$${services.smdpAddress}$${id}${cc ? '$$1' : ''}`;

test('batch: a bad plan is refused row by row; a good one runs over virtual eUICCs', async () => {
  await page.goto(server.url);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Batch' })
    .click();
  await page.getByRole('heading', { name: 'Batch', exact: true }).waitFor();
  const planBox = page.getByRole('textbox', { name: 'Plan (CSV with a header row, or JSON)' });

  await planBox.fill(`activationCode,eid,colour\nLPA:1$bad..host$X,123,red\n`);
  await page.getByRole('button', { name: 'Run dry run' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = (await alert.textContent()) ?? '';
  assert.match(text, /Plan, colour: Unknown column\./);
  assert.match(text, /Row 1, activationCode/);
  assert.match(text, /Row 1, eid: “123” is not an EID/);

  // The view's virtual eUICCs are seeded: the second one's EID is known in advance.
  const eid2 = createTestIdentity({
    curve: 'P-256',
    ci: projectTestCi('P-256'),
    seed: 'weblpa-batch-1',
  }).eid;
  await planBox.fill(
    [
      'activationCode,confirmationCode,eid,enable,nickname',
      `${ac('BATCH-E2E-1')},,${eid2},yes,Bench`,
      `${ac('BATCH-E2E-2')},,,,`,
      `${ac('BATCH-E2E-CC', true)},0000,,,`,
      '',
    ].join('\n'),
  );
  await page.getByRole('spinbutton', { name: 'Virtual eUICCs' }).fill('3');
  await page.getByRole('button', { name: 'Run dry run' }).click();
  const summary = page.getByTestId('batch-summary');
  await summary.waitFor({ timeout: 120_000 });
  assert.match((await summary.textContent()) ?? '', /2 of 3 rows ok, 1 failed/);

  const cells = async (row: number): Promise<string[]> =>
    page.locator(`tr[data-row="${row}"] td`).allTextContents();
  const r1 = await cells(1);
  assert.equal(r1[1], 'virtual eUICC 2');
  assert.equal(r1[2], '8999001000000200018');
  assert.equal(r1[3], 'ok');
  assert.equal((await cells(2))[1], 'virtual eUICC 1');
  const r3 = await cells(3);
  assert.equal(r3[1], 'virtual eUICC 3');
  assert.equal(r3[3], 'es9p (getBoundProfilePackage)');
  assert.equal(r3[4], '8.2.7 / 3.8');
  await screenshot(page, 'batch-desktop');

  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  assert.equal(csvDownload.suggestedFilename(), 'batch-report.csv');
  const csv = readFileSync(await csvDownload.path(), 'utf8').split('\r\n');
  assert.match(csv[0]!, /^row,eid,card,smdpAddress,matchingId,iccid,result,/);
  assert.match(csv[1]!, new RegExp(`^1,${eid2},virtual eUICC 2,`));
  assert.match(csv[4]!, /^summary,/);
  const [jsonDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download JSON' }).click(),
  ]);
  const json = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8')) as {
    rows: { row: number; result: string; done: string[] }[];
  };
  assert.deepEqual(json.rows[0]!.done, ['download', 'enable', 'nickname']);
  assert.equal(json.rows[2]!.result, 'es9p');

  // An earlier report resumes a run: the CSV is refused as one, the JSON is taken; with the
  // right confirmation code only the third row runs again.
  const reportInput = page.getByLabel('Earlier report to resume (JSON, optional)');
  await reportInput.setInputFiles(await csvDownload.path());
  await page.getByRole('heading', { name: 'Not a batch report' }).waitFor();
  await reportInput.setInputFiles(await jsonDownload.path());
  await page.getByText('Report loaded: 2 of 3 rows ok. Running the plan resumes it.').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Not a batch report' }).count(), 0);
  await planBox.fill((await planBox.inputValue()).replace(',0000,', ',4711,'));
  await page.getByRole('button', { name: 'Run dry run' }).click();
  await page.getByText('Resuming from the report: 2 rows done before are skipped.').waitFor();
  await summary.waitFor({ timeout: 120_000 });
  assert.match((await summary.textContent()) ?? '', /3 of 3 rows ok/);
  assert.equal((await cells(3))[3], 'ok');
  assert.equal((await cells(1))[2], '8999001000000200018');
  // The report given has served: the next run starts from this run's own report, not from it.
  assert.equal(await page.getByText('Report loaded:').count(), 0);

  const violations = await axeSerious(page);
  assert.deepEqual(describeViolations('batch view', violations), []);
  assert.deepEqual(app.pageErrors, []);
});
