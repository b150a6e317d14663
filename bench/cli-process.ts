/**
 * The command-line LPA as a whole process: a 100 KB profile download from the local SM-DP+
 * (in this process, on 127.0.0.1) by a fresh `node` process each time, timed from spawn to
 * exit with /usr/bin/time (wall, user + system CPU, peak RSS of the process tree). Runners:
 * the TypeScript sources through tsx (what `npm run lpa` ran before the bundle) and the esbuild
 * bundle (dist-cli/weblpa.mjs), each with the noble-only crypto and with native P-256.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCli } from '../src/server/cli/build.ts';
import type { LocalServices } from '../src/server/local-services.ts';
import { scaleSplit, splitProfileFile, type CpuCategory } from './cpu-split.ts';

const root = resolve(import.meta.dirname, '..');

export interface ProcessRow {
  runner: string;
  runs: number;
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  split?: Record<CpuCategory, number>;
}

interface Timed {
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
  code: number;
  stdout: string;
}

function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((done, fail) => {
    const useTime = existsSync('/usr/bin/time');
    const child = useTime
      ? spawn('/usr/bin/time', ['-f', 'WEBLPA-TIME %e %U %S %M', cmd, ...args], { env })
      : spawn(cmd, [...args], { env });
    let stdout = '';
    let stderr = '';
    const start = performance.now();
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wall = performance.now() - start;
      const m = /WEBLPA-TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (code !== 0) {
        fail(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stdout}${stderr}`));
        return;
      }
      done({
        wallMs: m ? Number(m[1]) * 1000 : wall,
        cpuMs: m ? (Number(m[2]) + Number(m[3])) * 1000 : NaN,
        maxRssKb: m ? Number(m[4]) : NaN,
        code: code ?? 1,
        stdout,
      });
    });
  });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[s.length >> 1]!;
}

export interface CliProcessOptions {
  runs?: number;
  /** Also record a CPU profile of one bundle run per crypto mode and split it. */
  split?: boolean;
}

export async function runCliProcesses(
  services: LocalServices,
  options: CliProcessOptions = {},
): Promise<ProcessRow[]> {
  const runs = options.runs ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'weblpa-cli-bench-'));
  try {
    const bundle = (await buildCli(join(dir, 'cli'))).file;
    const node = process.execPath;
    const tsx = join(root, 'node_modules/.bin/tsx');
    const main = join(root, 'src/server/cli/main.ts');
    const ac = `LPA:1$${services.smdpAddress}$WEBLPA-BENCH-100K`;
    let n = 0;
    const freshState = async (): Promise<string> => {
      const state = join(dir, `card-${n++}.json`);
      await timed(node, [bundle, 'euicc', 'create', '--state', state, '--seed', `cli-${n}`], {
        ...process.env,
      });
      return state;
    };
    const download = (state: string): string[] => [
      '--state',
      state,
      '--map',
      `${services.smdpAddress}=${services.smdpUrl}`,
      'profile',
      'download',
      '--ac',
      ac,
      '--yes',
    ];
    const runners: { name: string; cmd: string; pre: string[]; env: NodeJS.ProcessEnv }[] = [
      {
        name: 'tsx, noble only (before)',
        cmd: tsx,
        pre: [main],
        env: { ...process.env, WEBLPA_CRYPTO: 'noble' },
      },
      { name: 'tsx, native P-256', cmd: tsx, pre: [main], env: { ...process.env } },
      {
        name: 'bundle, noble only',
        cmd: node,
        pre: [bundle],
        env: { ...process.env, WEBLPA_CRYPTO: 'noble' },
      },
      { name: 'bundle, native P-256 (after)', cmd: node, pre: [bundle], env: { ...process.env } },
    ];
    // Warm-up: one download so the server, disk cache and this process are warm.
    await timed(node, [bundle, ...download(await freshState())], { ...process.env });
    const rows: ProcessRow[] = [];
    for (const r of runners) {
      const samples: Timed[] = [];
      for (let i = 0; i < runs; i++) {
        const state = await freshState();
        const t = await timed(r.cmd, [...r.pre, ...download(state)], r.env);
        if (!t.stdout.includes('"iccid"')) throw new Error(`${r.name}: no profile: ${t.stdout}`);
        samples.push(t);
      }
      const row: ProcessRow = {
        runner: r.name,
        runs,
        wallMs: median(samples.map((s) => s.wallMs)),
        cpuMs: median(samples.map((s) => s.cpuMs)),
        maxRssMb: median(samples.map((s) => s.maxRssKb)) / 1024,
      };
      if (options.split && r.cmd === node) {
        const profDir = join(dir, `prof-${rows.length}`);
        const profiled = await timed(
          node,
          [
            '--cpu-prof',
            '--cpu-prof-interval',
            '200',
            '--cpu-prof-dir',
            profDir,
            ...r.pre.slice(0),
            ...download(await freshState()),
          ],
          r.env,
        );
        const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
        if (file)
          row.split = scaleSplit(splitProfileFile(join(profDir, file), bundle), profiled.cpuMs);
      }
      rows.push(row);
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatProcessRows(rows: readonly ProcessRow[]): string {
  const cats: CpuCategory[] = ['crypto', 'codec', 'http', 'other js', 'startup', 'gc'];
  const head = [
    'CLI process, 100 KB download',
    'wall ms',
    'CPU ms',
    'peak RSS MB',
    ...cats.map((c) => `${c} ms`),
  ];
  const body = rows.map((r) => [
    `${r.runner} (median of ${r.runs})`,
    r.wallMs.toFixed(0),
    r.cpuMs.toFixed(0),
    r.maxRssMb.toFixed(1),
    ...cats.map((c) => (r.split ? r.split[c].toFixed(0) : '')),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
