/**
 * A fixed-seed slice of the fuzz harness (`npm run fuzz` runs it for longer): every target for
 * a fixed number of cases, which must all pass. A failure names the case; re-run it with
 * `npm run fuzz -- --seed <seed> --target <name> --case <index>`.
 */
import { describe, expect, it } from 'vitest';
import { runFuzzTarget, type FuzzTarget } from '../../../fuzz/harness.ts';
import { runTarget, TARGET_NAMES } from '../../../fuzz/index.ts';

const SEED = 'weblpa-slice-1';

/** Cases per target: about a second of work each on a small machine. */
const CASES: Readonly<Record<string, number>> = {
  relay: 150,
  smdp: 30,
  euicc: 30,
  state: 200,
  'at-line': 40,
  ccid: 80,
};

describe('fuzz slice (fixed seed)', () => {
  it('covers every target', () => {
    expect([...TARGET_NAMES].sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const name of Object.keys(CASES)) {
    it(`${name}: ${CASES[name]} cases without a failure`, async () => {
      const report = await runTarget(name, { seed: SEED, cases: CASES[name]! });
      expect(report.cases).toBe(CASES[name]);
      expect(
        report.examples.map((e) => `case ${e.index} [${e.kind}] ${e.detail} input ${e.inputHex}`),
      ).toEqual([]);
      expect(report.failures).toBe(0);
    });
  }
});

/** A target whose cases do what their first input byte says: pass, throw, fail, or never end. */
function scripted(seen: number[]): FuzzTarget {
  return {
    name: 'scripted',
    description: 'harness self-test',
    budgetMs: 50,
    setup: () =>
      Promise.resolve({
        generate: (rng) => rng.int(4),
        encode: (n) => Uint8Array.of(n as number),
        execute(n) {
          seen.push(n as number);
          if (n === 1) return Promise.reject(new TypeError('boom'));
          if (n === 2) return Promise.resolve({ kind: '5xx' as const, detail: 'answered 500' });
          if (n === 3) return new Promise<undefined>(() => undefined);
          return Promise.resolve(undefined);
        },
        close: () => Promise.resolve(),
      }),
  };
}

describe('fuzz harness', () => {
  it('counts crashes, target failures and hangs, and keeps the failing inputs', async () => {
    const seen: number[] = [];
    const report = await runFuzzTarget(scripted(seen), { seed: 's', cases: 40, maxExamples: 100 });
    const count = (n: number): number => seen.filter((x) => x === n).length;
    expect(report.cases).toBe(40);
    expect(report.kinds).toEqual({
      crash: count(1),
      '5xx': count(2),
      hang: count(3),
      invariant: 0,
    });
    expect(report.failures).toBe(40 - count(0));
    expect(count(0)).toBeGreaterThan(0);
    const crash = report.examples.find((e) => e.kind === 'crash')!;
    expect(crash.detail).toContain('TypeError: boom');
    expect(crash.inputHex).toBe('01');
  });

  it('draws the same inputs for the same seed, and replays one case alone', async () => {
    const a: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    await runFuzzTarget(scripted(a), { seed: 'x', cases: 20 });
    await runFuzzTarget(scripted(b), { seed: 'x', cases: 20 });
    await runFuzzTarget(scripted(c), { seed: 'x', only: 7 });
    expect(b).toEqual(a);
    expect(c).toEqual([a[7]]);
  });
});
