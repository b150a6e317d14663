/**
 * The report on disk survives a crash: a batch process killed with SIGKILL between rows leaves
 * a JSON report and a CSV log complete up to the last finished row, and a rerun from them does
 * only the rows left.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseJsonPlan,
  parseReportCsv,
  parseReportJson,
  runBatch,
} from '../../../src/batch/index.ts';
import { FileReportSink, loadPreviousReport, reportPaths } from '../../../src/server/cli/batch.ts';
import { eidOf, FakeCard, slotOf } from './fakes.ts';

const root = resolve(import.meta.dirname, '../../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weblpa-batch-kill-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function runChild(workDir: string, killAt: number): Promise<NodeJS.Signals | null> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'tests/unit/batch/kill-child.ts'), workDir, String(killAt)],
      { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => (err += c));
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error('the child did not end within 60 s'));
    }, 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal === null && code !== 0) fail(new Error(`child exited ${code}: ${err}`));
      else done(signal);
    });
  });
}

describe('the batch report writer', () => {
  it('leaves a complete report up to the last finished row when killed between rows', async () => {
    const work = mkdtempSync(join(dir, 'k-'));
    expect(await runChild(work, 4)).toBe('SIGKILL');
    const paths = reportPaths(join(work, 'plan.json'), join(work, 'out'));
    const json = parseReportJson(readFileSync(paths.json, 'utf8'));
    expect(json.rows.map((r) => [r.row, r.result])).toEqual([
      [1, 'ok'],
      [2, 'ok'],
      [3, 'ok'],
    ]);
    expect(json.summary).toBeUndefined();
    const csvText = readFileSync(paths.csv, 'utf8');
    expect(csvText.split('\r\n').filter((l) => l !== '')).toHaveLength(4);
    expect(parseReportCsv(csvText).rows).toEqual(json.rows);

    // The rerun does rows 4 to 6 only, on cards the first run did not use.
    const cards = [0, 1, 2, 3, 4, 5].map((i) => new FakeCard(eidOf(i)));
    const previous = loadPreviousReport(paths)!;
    const plan = parseJsonPlan(
      JSON.stringify([1, 2, 3, 4, 5, 6].map((i) => ({ ac: `LPA:1$smdp.example.com$K-${i}` }))),
    );
    const sink = new FileReportSink(paths);
    const report = await runBatch({ plan, slots: cards.map((c) => slotOf(c)), previous, sink });
    expect(cards.slice(0, 3).every((c) => c.calls.length === 0)).toBe(true);
    expect(cards.slice(3).map((c) => c.calls)).toEqual(
      [4, 5, 6].map((i) => [`download LPA:1$smdp.example.com$K-${i}`]),
    );
    expect(report.summary).toMatchObject({ ok: 6, alreadyDone: 3, ran: 3 });
    const after = readFileSync(paths.csv, 'utf8')
      .split('\r\n')
      .filter((l) => l !== '');
    expect(after).toHaveLength(1 + 6 + 1);
    expect(after.at(-1)).toMatch(/^summary,/);
    expect(parseReportJson(readFileSync(paths.json, 'utf8')).rows).toHaveLength(6);
  }, 90_000);

  it('cuts a partial last CSV line before appending, and reads the CSV when the JSON is gone', async () => {
    const work = mkdtempSync(join(dir, 'p-'));
    const paths = reportPaths(join(work, 'plan.csv'), undefined);
    expect(paths).toEqual({
      json: join(work, 'plan.report.json'),
      csv: join(work, 'plan.report.csv'),
    });
    const plan = parseJsonPlan(
      JSON.stringify([{ ac: 'LPA:1$smdp.example.com$P-1' }, { ac: 'LPA:1$smdp.example.com$P-2' }]),
    );
    const first = await runBatch({
      plan: { rows: plan.rows.slice(0, 1) },
      slots: [slotOf(new FakeCard(eidOf(0)))],
      sink: new FileReportSink(paths),
    });
    expect(first.rows).toHaveLength(1);
    // A crash in the middle of appending a line, and no JSON.
    writeFileSync(paths.csv, readFileSync(paths.csv, 'utf8') + '2,8904903200', { flag: 'w' });
    rmSync(paths.json);
    const previous = loadPreviousReport(paths)!;
    expect(previous.rows.map((r) => r.row)).toEqual([1]);
    const cards = [new FakeCard(eidOf(0)), new FakeCard(eidOf(1))];
    await runBatch({
      plan,
      slots: cards.map((c) => slotOf(c)),
      previous,
      sink: new FileReportSink(paths),
    });
    expect(cards[0]!.calls).toEqual([]);
    const log = parseReportCsv(readFileSync(paths.csv, 'utf8'));
    expect(log.rows.map((r) => [r.row, r.result, r.eid])).toEqual([
      [1, 'ok', eidOf(0)],
      [2, 'ok', eidOf(1)],
    ]);
  });
});
