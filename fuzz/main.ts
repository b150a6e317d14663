/**
 * `npm run fuzz -- [--seconds N] [--seed S] [--target name ...] [--cases N] [--case I]`
 *
 * Runs each target for N seconds (default 10) or N cases, with inputs drawn from a seeded PRNG
 * (the seed is printed; the same seed gives the same inputs), prints per target the cases run,
 * the failures by kind and the first failing inputs, and exits 1 when anything failed.
 * `--case I` re-runs one case of a target (with the seed and target it was reported under).
 */
import { FAILURE_KINDS, type TargetReport } from './harness.ts';
import { runTarget, TARGET_NAMES } from './index.ts';

class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface Args {
  seconds: number;
  seed: string;
  targets: string[];
  cases?: number;
  only?: number;
}

function positiveNumber(flag: string, text: string | undefined, integer: boolean): number {
  const n = Number(text);
  if (text === undefined || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n)))
    throw new UsageError(`${flag} needs a ${integer ? 'non-negative integer' : 'number'}`);
  return n;
}

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    seconds: 10,
    seed: String(Math.floor(Math.random() * 0x7fffffff)),
    targets: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    switch (a) {
      case '--seconds':
        args.seconds = positiveNumber(a, argv[++i], false);
        break;
      case '--seed': {
        const s = argv[++i];
        if (s === undefined || s === '') throw new UsageError('--seed needs a value');
        args.seed = s;
        break;
      }
      case '--cases':
        args.cases = positiveNumber(a, argv[++i], true);
        break;
      case '--case':
        args.only = positiveNumber(a, argv[++i], true);
        break;
      case '--target':
        while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) args.targets.push(argv[++i]!);
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown argument ${a}`);
    }
  }
  for (const t of args.targets)
    if (!TARGET_NAMES.includes(t))
      throw new UsageError(`unknown target ${t} (known: ${TARGET_NAMES.join(', ')})`);
  if (args.targets.length === 0) args.targets = [...TARGET_NAMES];
  return args;
}

export function formatReports(reports: readonly TargetReport[]): string {
  const head = ['target', 'cases', 'failures', ...FAILURE_KINDS, 'seconds'];
  const rows = reports.map((r) => [
    r.target,
    String(r.cases),
    String(r.failures),
    ...FAILURE_KINDS.map((k) => String(r.kinds[k])),
    (r.durationMs / 1000).toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  for (const r of reports) {
    if (r.examples.length === 0) continue;
    out.push(
      '',
      `${r.target}: first failing inputs (re-run one with --seed ${r.seed} --target ${r.target} --case <n>)`,
    );
    for (const e of r.examples) {
      out.push(`  case ${e.index} [${e.kind}] ${e.detail}`, `    input ${e.inputHex}`);
    }
  }
  return out.join('\n');
}

const USAGE = `usage: npm run fuzz -- [--seconds N] [--seed S] [--target ${TARGET_NAMES.join('|')} ...] [--cases N] [--case I]`;

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message ? `${e.message}\n` : ''}${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const budget =
    args.only !== undefined
      ? `case ${args.only}`
      : args.cases !== undefined
        ? `${args.cases} cases`
        : `${args.seconds} s`;
  process.stdout.write(
    `fuzz seed ${args.seed}, ${budget} per target: ${args.targets.join(', ')}\n`,
  );
  const reports: TargetReport[] = [];
  for (const name of args.targets) {
    const report = await runTarget(name, {
      seed: args.seed,
      seconds: args.seconds,
      ...(args.cases !== undefined ? { cases: args.cases } : {}),
      ...(args.only !== undefined ? { only: args.only } : {}),
    });
    process.stdout.write(
      `  ${name}: ${report.cases} cases, ${report.failures} failures (${(report.durationMs / 1000).toFixed(1)} s)\n`,
    );
    reports.push(report);
  }
  process.stdout.write(`\nseed ${args.seed}\n${formatReports(reports)}\n`);
  if (reports.some((r) => r.failures > 0)) process.exitCode = 1;
  // Servers are closed; a hung case may still hold a timer: do not wait for it.
  setTimeout(() => process.exit(), 200).unref();
}

if (process.argv[1]?.endsWith('main.ts')) await main();
