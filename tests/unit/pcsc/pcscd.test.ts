/**
 * The CLI on a real PC/SC stack: pcscd with vsmartcard's vpcd reader "Virtual PCD 00 00"
 * (TCP 35963), holding the software eUICC served as a card by `lpa euicc serve --vpcd` in a
 * process of its own, with T=0 and with T=1 ATRs. Every command goes through the `smartcard`
 * binding, pcsc-lite, pcscd and vpcd to the card, exactly as it would to an eUICC in a USB
 * reader. The cases share the one virtual reader and run in order.
 *
 * The card is served from another process (serveEuicc() in tests/pcsc.ts says why).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseReportJson } from '../../../src/batch/index.ts';
import { toHex } from '../../../src/codec/index.ts';
import { SoftwareEuicc } from '../../../src/euicc/index.ts';
import { main } from '../../../src/server/cli/main.ts';
import { startLocalServices } from '../../../src/server/local-services.ts';
import type { LocalServices } from '../../../src/server/local-services.ts';
import { atrFor } from '../../../src/server/vpcd/atr.ts';
import { PcscConnection } from '../../../src/transport/pcsc/index.ts';
import { serveEuicc, startPcscd, type VPCD_READERS } from '../../pcsc.ts';
import type { PcscdHandle, ServedEuicc } from '../../pcsc.ts';

const READER = 'Virtual PCD 00 00';

let pcscd: PcscdHandle | undefined;
let services: LocalServices;
let dir: string;
let served: ServedEuicc | undefined;

beforeAll(async () => {
  pcscd = await startPcscd();
  services = await startLocalServices({ smdpPort: 0, relayPort: 0 });
  dir = mkdtempSync(join(tmpdir(), 'weblpa-pcscd-'));
}, 40_000);

afterEach(async () => {
  // A failed case must not leave its card in the reader for the next one.
  if (served !== undefined) await stopServing();
}, 20_000);

afterAll(async () => {
  await served?.stop();
  await services.close();
  await pcscd?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

interface CliRun {
  code: number;
  out: Record<string, unknown>;
  err: string;
}

/** Runs the CLI in this process; `onErr` sees each stderr line as it is written. */
async function cli(args: string[], onErr?: (line: string) => void): Promise<CliRun> {
  let text = '';
  let err = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    text += String(chunk);
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    onErr?.(String(chunk));
    return true;
  });
  try {
    const code = await main(args);
    return { code, out: JSON.parse(text) as Record<string, unknown>, err };
  } finally {
    out.mockRestore();
    errSpy.mockRestore();
  }
}

/** `lpa euicc create --state <state> --seed <seed>`: a new software eUICC; its EID. */
async function createCard(state: string, seed: string): Promise<string> {
  const created = await cli(['euicc', 'create', '--state', state, '--seed', seed]);
  expect(created.code, created.err).toBe(0);
  return created.out['eid'] as string;
}

async function serve(state: string, t1: boolean): Promise<void> {
  served = await serveEuicc({ state, reader: READER, t1 });
}

async function stopServing(): Promise<void> {
  await served?.stop();
  served = undefined;
}

function globals(journalDir: string): string[] {
  return [
    '--reader',
    READER,
    '--journal-dir',
    journalDir,
    '--map',
    `${services.smdpAddress}=${services.smdpUrl}`,
  ];
}

describe(`the CLI on ${READER} through pcscd and vpcd`, () => {
  for (const t1 of [false, true]) {
    const protocol = t1 ? 'T=1' : 'T=0';
    it(`${protocol}: reader list, chip info, download, enable, disable, notifications, delete`, async () => {
      const state = join(dir, `card-${protocol}.json`);
      const journalDir = join(dir, `journal-${protocol}`);
      const eid = await createCard(state, `pcscd-${protocol}`);
      await serve(state, t1);

      const listed = await cli(['reader', 'list']);
      expect(listed.code).toBe(0);
      expect(listed.out['readers']).toContainEqual(
        expect.objectContaining({
          name: READER,
          cardPresent: true,
          atr: toHex(atrFor(t1)),
          protocols: [protocol],
        }),
      );

      const g = globals(journalDir);
      const info = await cli([...g, 'chip', 'info']);
      expect(info.code).toBe(0);
      expect(info.out['eid']).toBe(eid);
      expect(info.err).toContain(`reader: ${READER} (${protocol})`);

      const ac = `LPA:1$${services.smdpAddress}$WEBLPA-BENCH-10K`;
      const got = await cli([...g, 'profile', 'download', '--ac', ac, '--yes']);
      expect(got.code, JSON.stringify(got.out)).toBe(0);
      const iccid = (got.out['installed'] as { iccid: string }).iccid;
      expect(iccid).toMatch(/^899900100000004\d{5}$/);

      const en = await cli([...g, 'profile', 'enable', iccid]);
      expect(en.out).toMatchObject({
        notifications: [{ profileManagementOperation: 'enable', sent: true }],
      });
      expect((await cli([...g, '--no-notify', 'profile', 'disable', iccid])).code).toBe(0);
      type Pending = { seqNumber: number; profileManagementOperation: string }[];
      const pending = (await cli([...g, 'notification', 'list'])).out['notifications'] as Pending;
      expect(pending.map((n) => n.profileManagementOperation)).toEqual(['disable']);
      const sent = await cli([...g, 'notification', 'process']);
      expect(sent.out).toMatchObject({ notifications: [{ sent: true, removed: true }] });

      const del = await cli([...g, 'profile', 'delete', iccid]);
      expect(del.code, JSON.stringify(del.out)).toBe(0);
      expect((await cli([...g, 'profile', 'list'])).out).toEqual({ profiles: [] });
      expect(
        services
          .state()
          .notifications.filter((n) => n.eid === eid && n.verified)
          .map((n) => n.kind),
      ).toEqual(['install', 'enable', 'disable', 'delete']);

      await stopServing();
      // The served card saved every change: the state file has no profile left.
      const saved = SoftwareEuicc.fromState(JSON.parse(readFileSync(state, 'utf8')) as unknown);
      expect(saved.eid).toBe(eid);
      expect(readFileSync(state, 'utf8')).not.toContain(iccid);
      // No download was interrupted, so no journal was left behind.
      expect(existsSync(join(journalDir, `journal-${eid}.json`))).toBe(false);
    }, 50_000);
  }

  it('an empty reader and an unknown reader are typed errors with advice', async () => {
    const empty = await cli(['--reader', READER, 'chip', 'info']);
    expect(empty.code).toBe(1);
    expect(empty.out['error']).toMatchObject({ code: 'transport', problem: 'noCard' });
    const unknown = await cli(['--reader', 'No Such Reader', 'chip', 'info']);
    expect(unknown.out['error']).toMatchObject({ code: 'transport', problem: 'unknownReader' });
    // The advice is the explanation's (the errors texts the app uses too).
    const explained = unknown.out['error'] as { explanation: { advice: string } };
    expect(explained.explanation.advice).toContain('reader list');
  });

  it('the card powered off mid-download: a typed error, a consistent eUICC, the next command finishes the session', async () => {
    const state = join(dir, 'card-cut.json');
    const journalDir = join(dir, 'journal-cut');
    const eid = await createCard(state, 'pcscd-cut');
    await serve(state, true);
    const g = globals(journalDir);
    const ac = `LPA:1$${services.smdpAddress}$WEBLPA-BENCH-100K`;
    // The card leaves the reader once 20 blocks of the Bound Profile Package have gone to it
    // (of about 450): the eUICC is then installing the profile when the power goes.
    let cut: Promise<void> | undefined;
    let loading = false;
    let blocks = 0;
    const { transmit } = Object.getOwnPropertyDescriptors(PcscConnection.prototype) as {
      transmit: { value: (this: PcscConnection, apdu: Uint8Array) => Promise<ArrayBuffer> };
    };
    const spy = vi.spyOn(PcscConnection.prototype, 'transmit').mockImplementation(function (
      this: PcscConnection,
      apdu: Uint8Array,
    ) {
      if (loading && ++blocks === 20) cut = served?.stop();
      return transmit.value.call(this, apdu);
    });
    let failed: CliRun;
    try {
      failed = await cli([...g, 'profile', 'download', '--ac', ac, '--yes'], (line) => {
        if (line.includes('download: loadBoundProfilePackage')) loading = true;
      });
    } finally {
      spy.mockRestore();
    }
    await cut;
    served = undefined;
    expect(cut).toBeDefined();
    expect(failed.code).toBe(1);
    expect(failed.out['error'], JSON.stringify(failed.out)).toMatchObject({ code: 'transport' });
    // The session the SM-DP+ could not be told about is kept for this EID.
    const journal = join(journalDir, `journal-${eid}.json`);
    expect(existsSync(journal)).toBe(true);
    // The state file is whole and holds no part of the profile.
    const text = readFileSync(state, 'utf8');
    const saved = SoftwareEuicc.fromState(JSON.parse(text) as unknown);
    expect(saved.eid).toBe(eid);
    const json = JSON.parse(text) as {
      profiles: unknown[];
      notifications: { iccid?: string; pending?: string }[];
    };
    expect(json.profiles).toEqual([]);
    // What it keeps instead: the signed "interrupted" installation result, to be delivered.
    expect(json.notifications).toEqual([
      expect.objectContaining({ iccid: expect.stringMatching(/^899900100000005/) as unknown }),
    ]);

    await serve(state, true);
    const next = await cli([...g, 'profile', 'list']);
    expect(next.code, JSON.stringify(next.out)).toBe(0);
    expect(next.out).toEqual({ profiles: [] });
    // The eUICC's signed "interrupted" installation result went to the SM-DP+.
    expect(next.err).toMatch(/interrupted download \S+ \(testsmdpplus1\.example\.com\): reported/);
    expect(existsSync(journal)).toBe(false);
    // The SM-DP+ holds no live session for this eUICC any more.
    expect(
      services.state().sessions.filter((s) => s.eid === eid),
      next.err,
    ).toEqual([]);
    await stopServing();
  }, 50_000);

  it('batch run --reader all: a card in each vpcd reader, a row bound by EID, the report and the cards agree', async () => {
    const other: (typeof VPCD_READERS)[number] = 'Virtual PCD 00 01';
    const states = [join(dir, 'batch-a.json'), join(dir, 'batch-b.json')];
    const eids: string[] = [];
    for (const [i, state] of states.entries())
      eids.push(await createCard(state, `pcscd-batch-${i}`));
    await serve(states[0]!, false);
    const second = await serveEuicc({ state: states[1]!, reader: other, t1: true });
    const plan = join(dir, 'lab-plan.csv');
    const code = `LPA:1$${services.smdpAddress}$WEBLPA-REUSABLE`;
    // The first row names the card in the second reader; the second row takes what is left.
    writeFileSync(plan, `activationCode,eid,enable\n${code},${eids[1]},yes\n${code},,no\n`);
    let run: CliRun;
    try {
      const args = ['--reader', 'all', '--journal-dir', join(dir, 'journal-batch')];
      args.push('--map', `${services.smdpAddress}=${services.smdpUrl}`);
      run = await cli([...args, 'batch', 'run', plan]);
    } finally {
      await second.stop();
      await stopServing();
    }
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatchObject({ complete: true, summary: { rows: 2, ok: 2, cards: 2 } });
    const report = parseReportJson(readFileSync(join(dir, 'lab-plan.report.json'), 'utf8'));
    expect(report.rows.map((r) => [r.row, r.card, r.eid, r.result, r.done])).toEqual([
      [1, `reader ${other}`, eids[1], 'ok', ['download', 'enable']],
      [2, `reader ${READER}`, eids[0], 'ok', ['download']],
    ]);
    // Each served card saved its profile: what the report says is on the card is there.
    for (const [i, state] of states.entries()) {
      const card = JSON.parse(readFileSync(state, 'utf8')) as {
        profiles: { iccid: string; state: string }[];
      };
      const row = report.rows.find((r) => r.eid === eids[i])!;
      expect(card.profiles).toEqual([
        expect.objectContaining({ iccid: row.iccid, state: i === 1 ? 'enabled' : 'disabled' }),
      ]);
    }
  }, 90_000);
});
