/**
 * `lpa batch run` over 8 software eUICCs (state files) against the local SM-DP+ on 127.0.0.1:
 * rows bound to EIDs and rows dealt out in order, a wrong confirmation code, a one-time order
 * used before the batch, a delete-first row; then a rerun with the report that does only what
 * is left.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportCsv, parseReportJson } from '../../../src/batch/index.ts';
import type { ReportRow } from '../../../src/batch/index.ts';
import { luhnCheckDigit } from '../../../src/codec/index.ts';
import { startLocalServices } from '../../../src/server/local-services.ts';
import type { LocalServices } from '../../../src/server/local-services.ts';
import type { Order } from '../../../src/server/smdp/catalogue.ts';
import { runCli } from '../cli-helpers.ts';

function order(matchingId: string, n: number, extra: Partial<Order> = {}): Order {
  const payload = `89990010000077${String(n).padStart(4, '0')}0`.slice(0, 19);
  return {
    matchingId,
    label: matchingId,
    reusable: false,
    iccid: payload + luhnCheckDigit(payload),
    metadata: { serviceProviderName: 'WebLPA Batch', profileName: matchingId },
    profile: { kind: 'generated', sizeBytes: 1024 },
    ...extra,
  };
}

const orders: Order[] = [
  ...[1, 2, 3, 4, 5, 6].map((n) => order(`BATCH-${n}`, n)),
  order('BATCH-CC', 7, { confirmationCode: '7777' }),
  order('BATCH-USED', 8),
  order('BATCH-OLD', 9, { reusable: true }),
];

let services: LocalServices;
let dir: string;

beforeAll(async () => {
  // The default seed: `euicc create` issues eUICCs under this PKI's CI.
  services = await startLocalServices({ smdpPort: 0, relayPort: 0, catalogue: orders });
  dir = mkdtempSync(join(tmpdir(), 'weblpa-batch-'));
}, 60_000);

afterAll(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = runCli;

const ac = (id: string, cc = false): string =>
  `LPA:1$${services.smdpAddress}$${id}${cc ? '$$1' : ''}`;

function downloads(matchingId: string): number {
  return services.state().orders.find((o) => o.matchingId === matchingId)!.downloads;
}

describe('batch run over 8 software eUICCs', () => {
  it('installs the good rows on the right cards, reports the bad ones, and resumes', async () => {
    const map = ['--map', `${services.smdpAddress}=${services.smdpUrl}`];
    const states: string[] = [];
    const eids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const state = join(dir, `card-${i}.json`);
      const created = await cli('euicc', 'create', '--state', state, '--seed', `batch-${i}`);
      expect(created.code).toBe(0);
      states.push(state);
      eids.push(created.out['eid'] as string);
    }
    // Card 7 holds an old profile that row 8 deletes first.
    const old = await cli(
      '--state',
      states[7]!,
      ...map,
      'profile',
      'download',
      '--ac',
      ac('BATCH-OLD'),
      '--yes',
    );
    expect(old.code).toBe(0);
    const oldIccid = (old.out['installed'] as { iccid: string }).iccid;
    // BATCH-USED is downloaded once outside the batch: the batch's row finds it used.
    const outside = join(dir, 'outside.json');
    await cli('euicc', 'create', '--state', outside, '--seed', 'batch-outside');
    expect(
      (
        await cli(
          '--state',
          outside,
          ...map,
          'profile',
          'download',
          '--ac',
          ac('BATCH-USED'),
          '--yes',
        )
      ).code,
    ).toBe(0);

    const planRows = [
      ['activationCode', 'confirmationCode', 'eid', 'enable', 'nickname', 'deleteIccid'],
      [ac('BATCH-1'), '', '', '', '', ''],
      [ac('BATCH-2'), '', eids[5]!, 'yes', '', ''],
      [ac('BATCH-3'), '', '', '', 'Lab, "three"', ''],
      [ac('BATCH-4'), '', eids[0]!, 'true', 'Four', ''],
      [ac('BATCH-CC', true), '0000', '', '', '', ''],
      [ac('BATCH-USED'), '', '', '', '', ''],
      [ac('BATCH-5'), '', '', '', '', ''],
      [ac('BATCH-6'), '', eids[7]!, '', '', oldIccid],
    ];
    const csv = (rows: string[][]): string =>
      rows
        .map((r) => r.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
        .join('\r\n') + '\r\n';
    const plan = join(dir, 'plan.csv');
    writeFileSync(plan, csv(planRows));
    const report = join(dir, 'out');
    const cards = states.flatMap((s) => ['--state', s]);

    const first = await cli(
      ...map,
      'batch',
      'run',
      plan,
      ...cards,
      '--report',
      report,
      '--parallel',
      '3',
    );
    expect(first.code).toBe(1);
    expect(first.out['summary']).toMatchObject({ rows: 8, ok: 6, failed: 2, notRun: 0, cards: 8 });
    const json = parseReportJson(readFileSync(`${report}.json`, 'utf8'));
    const byRow = new Map<number, ReportRow>(json.rows.map((r) => [r.row, r]));
    // Bound rows on their cards; the others dealt out in plan order to the cards no row names.
    expect(byRow.get(2)).toMatchObject({
      result: 'ok',
      eid: eids[5],
      card: states[5],
      done: ['download', 'enable'],
    });
    expect(byRow.get(4)).toMatchObject({
      result: 'ok',
      eid: eids[0],
      done: ['download', 'enable', 'nickname'],
    });
    expect(byRow.get(8)).toMatchObject({
      result: 'ok',
      eid: eids[7],
      deleted: true,
      done: ['delete', 'download'],
    });
    const free = [1, 2, 3, 4, 6].map((i) => eids[i]);
    expect([1, 3, 5, 6, 7].map((r) => byRow.get(r)!.eid)).toEqual(free);
    expect(byRow.get(5)).toMatchObject({
      result: 'es9p',
      subjectCode: '8.2.7',
      reasonCode: '3.8',
      step: 'getBoundProfilePackage',
    });
    expect(byRow.get(6)).toMatchObject({ result: 'es9p', subjectCode: '8.2.6', reasonCode: '3.8' });
    for (const r of [1, 2, 3, 4, 7, 8]) {
      expect(byRow.get(r)!.iccid).toMatch(/^\d{19,20}$/);
      expect(byRow.get(r)!.notifications).toBe('sent');
    }
    // The CSV log says the same.
    const csvReport = parseReportCsv(readFileSync(`${report}.csv`, 'utf8'));
    expect(csvReport.rows.map((r) => [r.row, r.result])).toEqual(
      json.rows.map((r) => [r.row, r.result]),
    );

    // Each card holds what its row installed.
    const profiles = async (
      state: string,
    ): Promise<{ iccid: string; profileState: string; profileNickname?: string }[]> =>
      (await cli('--state', state, 'profile', 'list')).out['profiles'] as {
        iccid: string;
        profileState: string;
      }[];
    expect(await profiles(states[0]!)).toEqual([
      expect.objectContaining({
        iccid: byRow.get(4)!.iccid,
        profileState: 'enabled',
        profileNickname: 'Four',
      }),
    ]);
    expect(await profiles(states[2]!)).toEqual([
      expect.objectContaining({ iccid: byRow.get(3)!.iccid, profileNickname: 'Lab, "three"' }),
    ]);
    expect((await profiles(states[7]!)).map((p) => p.iccid)).toEqual([byRow.get(8)!.iccid]);
    expect(await profiles(states[3]!)).toEqual([]);
    expect(await profiles(states[4]!)).toEqual([]);

    // Rerun with the right confirmation code: only rows 5 and 6 run, nothing is downloaded again.
    const before = orders.map((o) => downloads(o.matchingId));
    planRows[5]![1] = '7777';
    // The wrong code started the SM-DP+'s back-off for this order: clear it as its admin call
    // does, so the rerun does not depend on how long the first run took.
    expect(services.core.resetConfirmationCodeLock('BATCH-CC')).toBe(true);
    writeFileSync(plan, csv(planRows));
    const second = await cli(...map, 'batch', 'run', plan, ...cards, '--report', report);
    expect(second.code).toBe(1);
    expect(second.out['summary']).toMatchObject({
      rows: 8,
      ok: 7,
      failed: 1,
      alreadyDone: 6,
      ran: 2,
    });
    const after = orders.map((o) => downloads(o.matchingId));
    expect(after).toEqual(before.map((n, i) => (orders[i]!.matchingId === 'BATCH-CC' ? n + 1 : n)));
    const json2 = parseReportJson(readFileSync(`${report}.json`, 'utf8'));
    expect(json2.rows.find((r) => r.row === 5)).toMatchObject({
      result: 'ok',
      eid: eids[3],
      attempt: 2,
    });
    expect(json2.rows.find((r) => r.row === 6)).toMatchObject({ result: 'es9p', attempt: 2 });
    expect(json2.rows.find((r) => r.row === 1)).toEqual(byRow.get(1));
    expect(await profiles(states[3]!)).toHaveLength(1);
  }, 240_000);

  it('refuses a bad plan with every bad row named, before touching a card', async () => {
    const plan = join(dir, 'bad.csv');
    writeFileSync(plan, `activationCode,eid,colour\r\nLPA:1$x..y$A,123,red\r\n`);
    const state = join(dir, 'never.json');
    const r = await cli('batch', 'run', plan, '--state', state);
    expect(r.code).toBe(1);
    const error = r.out['error'] as { code: string; message: string };
    expect(error.code).toBe('badInput');
    expect(error.message).toContain('line 1, colour: unknown column');
    expect(error.message).toContain('row 1 (line 2), activationCode');
    expect(error.message).toContain('row 1 (line 2), eid');
  });
});
