/**
 * The fuzz targets by name, and `runTarget(name, {seed, cases | seconds})` for the CLI
 * (fuzz/main.ts) and the fixed-seed slice test.
 */
import { runFuzzTarget, type FuzzTarget, type RunOptions, type TargetReport } from './harness.ts';
import { atLineTarget } from './targets/at-line.ts';
import { ccidTarget } from './targets/ccid.ts';
import { euiccTarget } from './targets/euicc.ts';
import { relayTarget } from './targets/relay.ts';
import { smdpTarget } from './targets/smdp.ts';
import { stateTarget } from './targets/state.ts';

export type { TargetReport, RunOptions, FailureKind, FailureExample } from './harness.ts';

export const TARGETS: readonly FuzzTarget[] = [
  relayTarget,
  smdpTarget,
  euiccTarget,
  stateTarget,
  atLineTarget,
  ccidTarget,
];

export const TARGET_NAMES: readonly string[] = TARGETS.map((t) => t.name);

/** Runs one target by name. */
export function runTarget(name: string, options: RunOptions): Promise<TargetReport> {
  const target = TARGETS.find((t) => t.name === name);
  if (!target)
    throw new RangeError(`unknown fuzz target ${name} (known: ${TARGET_NAMES.join(', ')})`);
  return runFuzzTarget(target, options);
}
