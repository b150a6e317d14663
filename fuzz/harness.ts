/**
 * The fuzz harness: runs a target's cases (each with its own seeded PRNG, so a case is
 * reproducible alone from seed + target + index), classifies failures and keeps the first few
 * failing inputs.
 *
 * Failure kinds:
 *   crash      an unexpected exception type, an unhandled rejection or an uncaught exception
 *   hang       a case that did not finish within its time budget
 *   5xx        a server answered 500-599 (other than an allowed upstream status)
 *   invariant  a target-specific property broke
 */
import { caseRng, type Prng } from './prng.ts';
import { toHexShort } from './mutate.ts';

export type FailureKind = 'crash' | 'hang' | '5xx' | 'invariant';
export const FAILURE_KINDS: readonly FailureKind[] = ['crash', 'hang', '5xx', 'invariant'];

export interface Failure {
  kind: FailureKind;
  detail: string;
}

/** A target once set up (servers started, seeds recorded). */
export interface TargetInstance<I> {
  /** One input, from the case's PRNG only. */
  generate(rng: Prng): I;
  /** The input as bytes, for the report (shown as hex). */
  encode(input: I): Uint8Array;
  /** Runs the input; resolves with the failure it showed, if any. Throwing counts as a crash. */
  execute(input: I): Promise<Failure | undefined>;
  close(): Promise<void>;
}

export interface FuzzTarget {
  name: string;
  description: string;
  /** Per-case time budget (ms); longer is a hang. */
  budgetMs: number;
  setup(): Promise<TargetInstance<unknown>>;
}

export interface FailureExample {
  /** Case index: `--seed <seed> --target <name> --case <index>` runs it again. */
  index: number;
  kind: FailureKind;
  detail: string;
  inputHex: string;
}

export interface TargetReport {
  target: string;
  seed: string;
  cases: number;
  failures: number;
  kinds: Record<FailureKind, number>;
  examples: FailureExample[];
  durationMs: number;
}

export interface RunOptions {
  seed: string;
  /** Run exactly this many cases... */
  cases?: number;
  /** ...or as many as fit in this many seconds (default 10 when neither is given). */
  seconds?: number;
  /** Run only this case index. */
  only?: number;
  /** Failing inputs kept per target (default 5). */
  maxExamples?: number;
  /** Called after each case (progress). */
  onCase?: (index: number, failure: Failure | undefined) => void;
}

export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const where = e.stack
      ?.split('\n')
      .find((l) => l.includes('/src/'))
      ?.trim();
    return `${e.name}: ${e.message.slice(0, 200)}${where ? ` (${where.replace(/^at /, '')})` : ''}`;
  }
  return `non-Error thrown: ${String(e).slice(0, 200)}`;
}

class Timeout {
  constructor(readonly ms: number) {}
}

function withBudget<T>(p: Promise<T>, ms: number): Promise<T | Timeout> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<Timeout>((resolve) => {
    timer = setTimeout(() => {
      resolve(new Timeout(ms));
    }, ms);
  });
  return Promise.race([p, t]).finally(() => {
    clearTimeout(timer);
  });
}

/** Runs one target; never throws for a failing case (setup failures do throw). */
export async function runFuzzTarget(
  target: FuzzTarget,
  options: RunOptions,
): Promise<TargetReport> {
  const started = Date.now();
  const kinds: Record<FailureKind, number> = { crash: 0, hang: 0, '5xx': 0, invariant: 0 };
  const examples: FailureExample[] = [];
  const maxExamples = options.maxExamples ?? 5;
  let failures = 0;
  let cases = 0;
  let current = -1;
  let currentInput: Uint8Array = new Uint8Array(0);

  const record = (index: number, input: Uint8Array, f: Failure): void => {
    failures++;
    kinds[f.kind]++;
    if (examples.length < maxExamples)
      examples.push({ index, kind: f.kind, detail: f.detail, inputHex: toHexShort(input) });
  };
  const report = (): TargetReport => ({
    target: target.name,
    seed: options.seed,
    cases,
    failures,
    kinds,
    examples,
    durationMs: Date.now() - started,
  });
  // Process-level failures land on the case running when they surfaced.
  const onProcessError = (e: unknown): void => {
    record(current, currentInput, { kind: 'crash', detail: `process-level: ${describeError(e)}` });
  };
  let instance: TargetInstance<unknown>;
  try {
    instance = await target.setup();
  } catch (e) {
    // No cases without seeds or servers: the setup failure is the one failure to report.
    record(-1, new Uint8Array(0), { kind: 'crash', detail: `setup: ${describeError(e)}` });
    return report();
  }
  process.on('uncaughtException', onProcessError);
  process.on('unhandledRejection', onProcessError);
  try {
    const deadline =
      options.cases === undefined ? started + (options.seconds ?? 10) * 1000 : Infinity;
    const total = options.only !== undefined ? 1 : (options.cases ?? Infinity);
    for (let i = 0; i < total && Date.now() < deadline; i++) {
      const index = options.only ?? i;
      current = index;
      const rng = caseRng(options.seed, target.name, index);
      let input: unknown;
      let failure: Failure | undefined;
      try {
        input = instance.generate(rng);
        currentInput = instance.encode(input);
        const outcome = await withBudget(instance.execute(input), target.budgetMs);
        if (outcome instanceof Timeout)
          failure = { kind: 'hang', detail: `no end within ${outcome.ms} ms` };
        else failure = outcome;
      } catch (e) {
        failure = { kind: 'crash', detail: describeError(e) };
      }
      cases++;
      if (failure) record(index, currentInput, failure);
      options.onCase?.(index, failure);
    }
    // Let late rejections of the last case surface before the listeners go.
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    // A close that never settles (a server still holding a connection) is a hang too.
    const closed = await withBudget(instance.close(), target.budgetMs);
    if (closed instanceof Timeout)
      record(-1, new Uint8Array(0), {
        kind: 'hang',
        detail: `close() did not finish within ${closed.ms} ms after the last case`,
      });
    process.off('uncaughtException', onProcessError);
    process.off('unhandledRejection', onProcessError);
  }
  return report();
}
