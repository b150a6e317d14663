/**
 * Child process of report-writer.test.ts: runs a 6-row batch over scripted cards, one card at a
 * time, writing the report to `<dir>/out.json|csv`, and kills itself with SIGKILL as row
 * `killAt` starts its download.
 */
import { join } from 'node:path';
import { parseJsonPlan, runBatch } from '../../../src/batch/index.ts';
import { FileReportSink, reportPaths } from '../../../src/server/cli/batch.ts';
import { eidOf, FakeCard, slotOf } from './fakes.ts';

const [dir, killAtText] = process.argv.slice(2);
const killAt = Number(killAtText);
const plan = parseJsonPlan(
  JSON.stringify([1, 2, 3, 4, 5, 6].map((i) => ({ ac: `LPA:1$smdp.example.com$K-${i}` }))),
);
const cards = [0, 1, 2, 3, 4, 5].map(
  (i) =>
    new FakeCard(eidOf(i), {
      beforeDownload: (_card, opts) => {
        if (opts.activationCode?.endsWith(`$K-${killAt}`)) process.kill(process.pid, 'SIGKILL');
      },
    }),
);
const paths = reportPaths(join(dir!, 'plan.json'), join(dir!, 'out'));
const sink = new FileReportSink(paths);
sink.start({ format: 'weblpa-batch-report', version: 1, planRows: 6, cards: [], rows: [] });
await runBatch({ plan, slots: cards.map((c) => slotOf(c)), parallel: 1, sink });
