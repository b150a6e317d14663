/**
 * Batch benchmark: one 10 KB profile download onto each of 8 software eUICCs at 10 ms per APDU
 * (VirtualTransport's latencyMs), from the local SM-DP+ (in process, real HTTP on 127.0.0.1),
 * run one card at a time and then all cards at once. Prints both wall times.
 *
 *   npx tsx bench/batch.ts
 */
import { parseJsonPlan, runBatch } from '../src/batch/index.ts';
import type { BatchSummary, CardSlot } from '../src/batch/index.ts';
import { createTestIdentity, SoftwareEuicc } from '../src/euicc/index.ts';
import { lpaOver, makeEs9p } from '../src/server/cli/stack.ts';
import { startLocalServices } from '../src/server/local-services.ts';
import type { LocalServices } from '../src/server/local-services.ts';
import { VirtualTransport } from '../src/transport/virtual/virtual-transport.ts';

export interface BatchBenchRow {
  scenario: string;
  cards: number;
  parallel: number;
  latencyMs: number;
  ok: number;
  wallMs: number;
  /** Mean of the rows' own durations. */
  meanRowMs: number;
}

function slots(services: LocalServices, n: number, latencyMs: number, tag: string): CardSlot[] {
  const pki = services.pki.find((p) => p.ci.key.curve === 'P-256')!;
  const map = {
    [services.smdpAddress]: services.smdpUrl,
    [services.smdsAddress]: services.smdpUrl,
  };
  return Array.from({ length: n }, (_, i) => {
    const euicc = SoftwareEuicc.create({
      identity: createTestIdentity({ curve: 'P-256', seed: `bench-batch-${tag}-${i}`, ci: pki.ci }),
    });
    return {
      label: `virtual ${i}`,
      open: () => {
        const { es9p, es11 } = makeEs9p({ map });
        const stack = lpaOver(new VirtualTransport(euicc, { latencyMs }), { es9p, es11 });
        return Promise.resolve({ lpa: stack.lpa, close: () => stack.close() });
      },
    };
  });
}

/** Runs the batch benchmark: 8 cards (default), sequential then parallel. */
export async function runBatchBenchmark(
  options: { cards?: number; latencyMs?: number } = {},
): Promise<BatchBenchRow[]> {
  const cards = options.cards ?? 8;
  const latencyMs = options.latencyMs ?? 10;
  const services = await startLocalServices({ smdpPort: 0, relayPort: 0 });
  const rows: BatchBenchRow[] = [];
  try {
    const plan = parseJsonPlan(
      JSON.stringify(
        Array.from({ length: cards }, () => ({
          activationCode: `LPA:1$${services.smdpAddress}$WEBLPA-BENCH-10K`,
        })),
      ),
    );
    for (const parallel of [1, cards]) {
      const start = performance.now();
      const report = await runBatch({
        plan,
        slots: slots(services, cards, latencyMs, String(parallel)),
        parallel,
      });
      const wallMs = performance.now() - start;
      const summary: BatchSummary = report.summary!;
      rows.push({
        scenario: parallel === 1 ? 'sequential' : 'parallel',
        cards,
        parallel,
        latencyMs,
        ok: summary.ok,
        wallMs,
        meanRowMs: report.rows.reduce((s, r) => s + r.durationMs, 0) / report.rows.length,
      });
    }
  } finally {
    await services.close();
  }
  return rows;
}

export function formatBatchTable(rows: readonly BatchBenchRow[]): string {
  return rows
    .map(
      (r) =>
        `batch ${r.scenario.padEnd(10)} ${r.cards} cards, ${r.parallel} at a time, ` +
        `${r.latencyMs} ms/APDU: ${r.ok}/${r.cards} ok, ${r.wallMs.toFixed(0)} ms wall, ` +
        `${r.meanRowMs.toFixed(0)} ms per row`,
    )
    .join('\n');
}

/** Runs the benchmark and prints both lines; a row that did not end ok sets exit code 1. */
export async function printBatchBenchmark(
  write: (text: string) => void = (t) => {
    process.stdout.write(t);
  },
): Promise<BatchBenchRow[]> {
  const rows = await runBatchBenchmark();
  write(formatBatchTable(rows) + '\n');
  if (rows.some((r) => r.ok !== r.cards)) process.exitCode = 1;
  return rows;
}

if (process.argv[1]?.replace(/\\/g, '/').endsWith('bench/batch.ts')) await printBatchBenchmark();
