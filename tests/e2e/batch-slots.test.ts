// The Batch view over every slot of one USB reader, in the production build: a fake reader with
// four slots runs in the page (docs/platform.md §5), three holding software eUICCs in this
// process and one empty. The plan binds one row to a card's EID and deals the others out; the
// table fills in while a card is still downloading, the empty slot's row ends with a typed error
// (cardUnavailable) and the report downloads with every row. Then the same over the readers of
// the local card bridge (in this process, software eUICCs as its readers), one card per reader;
// the run is kept in the browser, and after a reload it resumes with only the row left.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { axeSerious, describeViolations, screenshot } from './browser.ts';
import { nav, startApp, testOrder, type TestApp } from './setup.ts';
import { createEuicc, createTestIdentity } from '../../src/euicc/index.ts';
import { projectTestCi } from '../../src/rsp/index.ts';
import type { Order } from '../../src/server/smdp/catalogue.ts';
import { localServicesConfig } from '../../src/ui/state/settings-model.ts';
import { installFakeMultiSlotUsb } from '../fakes/usb/install-multi-slot.ts';
import { MemoryTokenStore } from '../../src/server/bridge/pairing.ts';
import { startBridge } from '../../src/server/bridge/server.ts';
import { VirtualReaderProvider } from '../../src/server/bridge/virtual-provider.ts';
import type { CardFn } from '../fakes/usb/fake-ccid-device.ts';

const order = (matchingId: string, iccid: string): Order =>
  testOrder(matchingId, iccid, { serviceProviderName: 'E2E Slots', profileName: matchingId });

// 18 digits + Luhn check digit.
const ORDERS: Order[] = [
  order('SLOTS-E2E-1', '8999001000000300016'),
  order('SLOTS-E2E-2', '8999001000000300024'),
  order('SLOTS-E2E-3', '8999001000000300032'),
  order('SLOTS-E2E-4', '8999001000000300040'),
  order('BRIDGE-BATCH-1', '8999001000000300057'),
  order('BRIDGE-BATCH-2', '8999001000000300065'),
];

let app: TestApp;

before(async () => {
  app = await startApp({
    services: { smdpPort: 0, relayPort: 0, catalogue: ORDERS },
    config: localServicesConfig,
  });
});

after(() => app.close());

const ci = projectTestCi('P-256');
const euiccOf = (seed: string) =>
  createEuicc({ identity: createTestIdentity({ curve: 'P-256', ci, seed }) });

test('batch over every slot of a USB reader: live table, an empty slot as an error row, the report', async () => {
  // Slots 0, 1 and 3 hold eUICCs, slot 2 is empty.
  const cards = [euiccOf('slot-0'), euiccOf('slot-1'), undefined, euiccOf('slot-3')];
  const fns: (CardFn | undefined)[] = cards.map((c) =>
    c === undefined ? undefined : (apdu: Uint8Array) => c.transmit(apdu),
  );
  const { context, page } = await app.newPage({ acceptDownloads: true }, 15_000);
  await installFakeMultiSlotUsb(page, fns, {
    productName: 'Multi-slot Reader',
    manufacturerName: '',
    serialNumber: 'MS-BATCH',
  });
  // The slots share one pipe, so a card is never held mid-command (that would hold up every
  // slot): the first ES9+ InitiateAuthentication waits here instead, until released, so the
  // table can be seen with two rows done and one still downloading.
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  let holding = false;
  await page.route('**/gsma/rsp2/es9plus/initiateAuthentication', async (route) => {
    if (!holding) {
      holding = true;
      await held;
    }
    await route.continue();
  });
  try {
    const ac = (id: string): string => `LPA:1$${app.services.smdpAddress}$${id}`;
    const eid3 = cards[3]!.eid;
    await page.goto(app.server.url);
    await nav(page, 'Batch');
    await page.getByRole('heading', { name: 'Batch', exact: true }).waitFor();
    await page
      .getByRole('textbox', { name: 'Plan (CSV with a header row, or JSON)' })
      .fill(
        [
          'activationCode,eid,enable,nickname',
          `${ac('SLOTS-E2E-1')},${eid3},yes,Slot three`,
          `${ac('SLOTS-E2E-2')},,,`,
          `${ac('SLOTS-E2E-3')},,,`,
          `${ac('SLOTS-E2E-4')},,,`,
          '',
        ].join('\n'),
      );
    await page.getByRole('radio', { name: 'All slots of a USB reader' }).check();
    assert.equal(await page.getByRole('spinbutton', { name: 'Virtual eUICCs' }).count(), 0);
    await page.getByRole('button', { name: 'Choose reader and run' }).click();

    // Live: two of rows 1 (slot 3, by EID), 2 (slot 0) and 3 (slot 1) done, the third still
    // downloading; row 4 (no card left but the empty slot) failed at once.
    const row = (n: number) => page.locator(`tr[data-row="${n}"]`);
    const cells = async (n: number): Promise<string[]> =>
      (await row(n).locator('td').allTextContents()).map((t) => t.trim());
    const done = page.locator('tr[data-state="done"]');
    const working = page.locator('tr[data-state="working"]');
    await working.first().waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      () => document.querySelectorAll('tr[data-state="done"]').length === 3,
      undefined,
      { timeout: 120_000 },
    );
    assert.equal(holding, true);
    assert.equal(await working.count(), 1);
    const heldRow = Number(await working.getAttribute('data-row'));
    assert.ok([1, 2, 3].includes(heldRow));
    assert.match((await working.locator('td').allTextContents())[3] ?? '', /^working: download$/);
    assert.deepEqual(
      (await done.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row')))).map(Number),
      [1, 2, 3, 4].filter((n) => n !== heldRow),
    );
    assert.equal(await page.getByTestId('batch-summary').count(), 0);
    const live4 = await cells(4);
    assert.equal(live4[1], 'Multi-slot Reader slot 2');
    assert.equal(live4[3], 'cardUnavailable (open)');
    await screenshot(page, 'batch-slots-live');
    release();

    const summary = page.getByTestId('batch-summary');
    await summary.waitFor({ timeout: 120_000 });
    assert.match((await summary.textContent()) ?? '', /3 of 4 rows ok, 1 failed/);
    const r1 = await cells(1);
    assert.deepEqual(r1.slice(0, 4), [
      '1',
      'Multi-slot Reader slot 3',
      '8999001000000300016',
      'ok',
    ]);
    assert.deepEqual((await cells(2)).slice(1, 4), [
      'Multi-slot Reader slot 0',
      '8999001000000300024',
      'ok',
    ]);
    assert.deepEqual((await cells(3)).slice(1, 4), [
      'Multi-slot Reader slot 1',
      '8999001000000300032',
      'ok',
    ]);
    // The empty slot in the user's language (English here), not the error's own message.
    const cardList = page.locator('ul.cards');
    assert.match(
      (await cardList.textContent()) ?? '',
      /Multi-slot Reader slot 2: No card in this slot\s+There is no card in slot 2 of Multi-slot Reader\./,
    );
    assert.equal(await cardList.locator('[lang="en"]').count(), 0);
    assert.doesNotMatch((await cardList.textContent()) ?? '', /no card in Multi-slot Reader/);

    // The cards got their profiles: row 1's enabled and named on slot 3's card.
    const profiles = (i: number) =>
      cards[i]!.exportState().profiles.map((p) => [p.iccid, p.state, p.nickname]);
    assert.deepEqual(profiles(3), [['8999001000000300016', 'enabled', 'Slot three']]);
    assert.deepEqual(profiles(0), [['8999001000000300024', 'disabled', undefined]]);
    assert.deepEqual(profiles(1), [['8999001000000300032', 'disabled', undefined]]);

    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = readFileSync(await csvDownload.path(), 'utf8').split('\r\n');
    assert.match(csv[0]!, /^row,eid,card,smdpAddress,matchingId,iccid,result,step,/);
    const lines = new Map(csv.slice(1).map((l) => [l.split(',')[0], l]));
    assert.match(
      lines.get('1')!,
      new RegExp(`^1,${eid3},Multi-slot Reader slot 3,[^,]+,SLOTS-E2E-1,8999001000000300016,ok,`),
    );
    assert.match(
      lines.get('4')!,
      /^4,,Multi-slot Reader slot 2,[^,]+,SLOTS-E2E-4,,cardUnavailable,open,,,,no card in Multi-slot Reader slot 2,/,
    );
    assert.match(lines.get('summary')!, /^summary,/);

    const [jsonDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    const json = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8')) as {
      cards: { label: string; eid?: string; error?: string }[];
      rows: { row: number; card?: string; result: string; done: string[]; eid?: string }[];
      summary: {
        rows: number;
        ok: number;
        failed: number;
        cards: number;
        cardsUnavailable: number;
      };
    };
    assert.deepEqual(
      json.cards.map((c) => [c.label, c.eid ?? c.error]),
      [
        ['Multi-slot Reader slot 0', cards[0]!.eid],
        ['Multi-slot Reader slot 1', cards[1]!.eid],
        ['Multi-slot Reader slot 2', 'no card in Multi-slot Reader slot 2'],
        ['Multi-slot Reader slot 3', eid3],
      ],
    );
    assert.deepEqual(
      json.rows.map((r) => [r.row, r.result, r.done.join('+')]),
      [
        [1, 'ok', 'download+enable+nickname'],
        [2, 'ok', 'download'],
        [3, 'ok', 'download'],
        [4, 'cardUnavailable', ''],
      ],
    );
    assert.deepEqual(json.summary, {
      ...json.summary,
      rows: 4,
      ok: 3,
      failed: 1,
      cards: 4,
      cardsUnavailable: 1,
    });

    const violations = await axeSerious(page);
    assert.deepEqual(describeViolations('batch view, USB reader slots', violations), []);
    assert.deepEqual(app.pageErrors, []);
  } finally {
    release();
    await context.close();
  }
});

test('batch over the readers of the local card bridge: one card per reader, an empty reader as an error row; kept over a reload, resumed with only the row left', async () => {
  const a = euiccOf('bridge-a');
  const b = euiccOf('bridge-b');
  const provider = new VirtualReaderProvider({
    'Bench Reader 0': a,
    'Bench Reader 1': undefined,
    'Bench Reader 2': b,
  });
  const bridge = await startBridge({
    provider,
    port: 0,
    hosts: ['127.0.0.1'],
    origins: [new URL(app.server.url).origin],
    tokens: new MemoryTokenStore(),
  });
  app.onClose(() => bridge.close());
  const address = `ws://127.0.0.1:${bridge.port}`;
  const { context, page } = await app.newPage({ acceptDownloads: true }, 15_000);
  try {
    // Pair under Connect, as the Batch view asks.
    await page.goto(app.server.url);
    await page.getByRole('heading', { name: 'Reader through local bridge' }).waitFor();
    await page.getByRole('textbox', { name: 'Bridge address' }).fill(address);
    await page.getByRole('button', { name: 'List readers' }).click();
    await page.getByRole('textbox', { name: 'Pairing code' }).fill(bridge.pairingCode);
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    await page.getByRole('list', { name: 'Readers on this computer' }).waitFor();

    await nav(page, 'Batch');
    const ac = (id: string): string => `LPA:1$${app.services.smdpAddress}$${id}`;
    await page
      .getByRole('textbox', { name: 'Plan (CSV with a header row, or JSON)' })
      .fill(
        [
          'activationCode,enable',
          `${ac('BRIDGE-BATCH-1')},yes`,
          `${ac('BRIDGE-BATCH-2')},`,
          `${ac('SLOTS-E2E-4')},`,
          '',
        ].join('\n'),
      );
    await page.getByRole('radio', { name: 'Readers through the local bridge' }).check();
    await page.getByRole('textbox', { name: 'Bridge address' }).fill(address);
    await page.getByRole('button', { name: 'Run on bridge readers' }).click();
    const summary = page.getByTestId('batch-summary');
    await summary.waitFor({ timeout: 120_000 });
    assert.match((await summary.textContent()) ?? '', /2 of 3 rows ok, 1 failed/);
    const cells = async (n: number): Promise<string[]> =>
      (await page.locator(`tr[data-row="${n}"] td`).allTextContents()).map((t) => t.trim());
    assert.deepEqual((await cells(1)).slice(1, 4), [
      'Bench Reader 0 (card bridge)',
      '8999001000000300057',
      'ok',
    ]);
    assert.deepEqual((await cells(2)).slice(1, 4), [
      'Bench Reader 2 (card bridge)',
      '8999001000000300065',
      'ok',
    ]);
    assert.deepEqual((await cells(3)).slice(1, 4), [
      'Bench Reader 1 (card bridge)',
      '',
      'cardUnavailable (open)',
    ]);
    assert.deepEqual(
      a.exportState().profiles.map((p) => [p.iccid, p.state]),
      [['8999001000000300057', 'enabled']],
    );
    assert.deepEqual(
      b.exportState().profiles.map((p) => [p.iccid, p.state]),
      [['8999001000000300065', 'disabled']],
    );

    const [jsonDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    const json = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8')) as {
      cards: { label: string; eid?: string; error?: string }[];
      rows: { row: number; result: string; message?: string }[];
    };
    assert.equal(json.cards.length, 3);
    assert.equal(json.cards[1]!.label, 'Bench Reader 1 (card bridge)');
    assert.equal(json.cards[1]!.eid, undefined);
    assert.ok((json.cards[1]!.error ?? '') !== '');
    assert.equal(json.rows[2]!.result, 'cardUnavailable');
    assert.equal(json.rows[2]!.message, json.cards[1]!.error);
    // On screen, the empty reader in the user's language, as the card bridge words it.
    assert.match(
      (await page.locator('ul.cards').textContent()) ?? '',
      /Bench Reader 1 \(card bridge\): Card bridge not usable\s+There is no card in the reader\./,
    );

    // The run was kept in the browser row by row: after a reload the Batch view offers it.
    // A card goes into the empty reader; resuming runs the row left and nothing else.
    const downloads = (): number =>
      app.services.state().notifications.filter((n) => n.kind === 'install').length;
    const installsBefore = downloads();
    const c = euiccOf('bridge-c');
    provider.insertCard('Bench Reader 1', c);
    await page.reload();
    await nav(page, 'Batch');
    const kept = page.getByRole('region', { name: 'Last run kept' });
    await kept.waitFor();
    assert.match(
      (await kept.textContent()) ?? '',
      /Over the readers of the local card bridge, started .+: 2 of 3 rows ok\./,
    );
    await kept.getByRole('button', { name: 'Resume this run' }).click();
    await page.getByText('Resuming the kept run: 2 rows done before are skipped.').waitFor();
    await summary.waitFor({ timeout: 120_000 });
    assert.match((await summary.textContent()) ?? '', /3 of 3 rows ok/);
    assert.deepEqual((await cells(3)).slice(1, 4), [
      'Bench Reader 1 (card bridge)',
      '8999001000000300040',
      'ok',
    ]);
    // Rows 1 and 2 were not run again: the cards hold what they held, one install more in all.
    assert.deepEqual(
      c.exportState().profiles.map((p) => p.iccid),
      ['8999001000000300040'],
    );
    assert.equal(a.exportState().profiles.length, 1);
    assert.equal(b.exportState().profiles.length, 1);
    assert.equal(downloads(), installsBefore + 1);
    // Forgotten, it is offered no more, also after a reload.
    await page.getByRole('button', { name: 'Forget it' }).click();
    await page.reload();
    await nav(page, 'Batch');
    await page.getByRole('heading', { name: 'Batch', level: 2 }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Last run kept' }).count(), 0);
    assert.deepEqual(app.pageErrors, []);
  } finally {
    await context.close();
  }
});
