/**
 * A fixed-seed slice of the fuzz harness (`npm run fuzz` runs it for longer): every target for
 * a fixed number of cases, which must all pass. A failure names the case; re-run it with
 * `npm run fuzz -- --seed <seed> --target <name> --case <index>`.
 */
import { describe, expect, it } from 'vitest';
import { runTarget, TARGET_NAMES } from '../../../fuzz/index.ts';

const SEED = 'weblpa-slice-1';

/** Cases per target: about a second of work each on a small machine. */
const CASES: Readonly<Record<string, number>> = {
  relay: 150,
  smdp: 40,
  euicc: 40,
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
