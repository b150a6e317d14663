/**
 * Benchmark (`npm run bench`): chip info, profile list and downloads of a 10 KB and a 100 KB
 * profile from the local SM-DP+ (in process, real HTTP on 127.0.0.1) into the software eUICC,
 * through a TracingTransport around VirtualTransport, with 0 ms and 10 ms simulated latency
 * per APDU. Prints APDUs, bytes on the wire, HTTP calls and wall time next to the protocol
 * minimum APDU count.
 *
 * Protocol minimum: per ES10 call, ceil(request/255) STORE DATA blocks, plus, for a response
 * over 256 bytes, ceil(response/256) GET RESPONSEs (the card announces it with 61xx, as a
 * T=0 card must); plus MANAGE CHANNEL open, SELECT ISD-R and MANAGE CHANNEL close.
 */
import { atBenchmarkReport } from './at.ts';
import { printBatchBenchmark } from './batch.ts';
import { ccidSpeedReport } from './ccid.ts';
import { downloadBenchProfile } from './download.ts';
import { formatReaderChunks, measureReaderChunks } from './chunks.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Es10Link } from '../src/apdu/es10-link.ts';
import { createTestIdentity, SoftwareEuicc } from '../src/euicc/index.ts';
import type { Lpa } from '../src/lpa/index.ts';
import { lpaOver, makeEs9p } from '../src/server/cli/stack.ts';
import { startLocalServices } from '../src/server/local-services.ts';
import type { LocalServices } from '../src/server/local-services.ts';
import { TracingTransport } from '../src/transport/tracing.ts';
import { VirtualTransport } from '../src/transport/virtual/virtual-transport.ts';
import { measureInitialJs } from './bundle-size.ts';
import { formatProcessRows, runCliProcesses } from './cli-process.ts';
import { cpuPerDownload, euiccLoadTimes, p256Primitives, sampleState, table } from './cpu.ts';

const CHANNEL_OVERHEAD = 3; // MANAGE CHANNEL open, SELECT ISD-R, MANAGE CHANNEL close

export interface Row {
  scenario: string;
  latencyMs: number;
  apdus: number;
  minimumApdus: number;
  es10Calls: number;
  bytesToCard: number;
  bytesFromCard: number;
  httpCalls: number;
  wallMs: number;
}

/** Minimum APDUs for one ES10 call (see the header comment). */
export function minimumApdus(requestLength: number, responseLength: number): number {
  const blocks = Math.max(1, Math.ceil(requestLength / 255));
  const getResponses = responseLength > 256 ? Math.ceil(responseLength / 256) : 0;
  return blocks + getResponses;
}

class CountingLink implements Es10Link {
  calls = 0;
  minimum = 0;
  constructor(private readonly inner: Es10Link) {}
  async es10(request: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const res = await this.inner.es10(request, signal);
    this.calls++;
    this.minimum += minimumApdus(request.length, res.length);
    return res;
  }
}

function freshEuicc(services: LocalServices, n: number): SoftwareEuicc {
  const pki = services.pki.find((p) => p.ci.key.curve === 'P-256')!;
  return SoftwareEuicc.create({
    identity: createTestIdentity({ curve: 'P-256', seed: `bench-${n}`, ci: pki.ci }),
  });
}

async function measure(
  services: LocalServices,
  euicc: SoftwareEuicc,
  scenario: string,
  latencyMs: number,
  work: (lpa: Lpa) => Promise<unknown>,
): Promise<Row> {
  const tracing = new TracingTransport(new VirtualTransport(euicc, { latencyMs }));
  let httpCalls = 0;
  let counting: CountingLink | undefined;
  const { es9p, es11 } = makeEs9p({
    map: { [services.smdpAddress]: services.smdpUrl, [services.smdsAddress]: services.smdpUrl },
    onExchange: () => {
      httpCalls++;
    },
  });
  const stack = lpaOver(tracing, { es9p, es11 }, (link) => (counting = new CountingLink(link)));
  const start = performance.now();
  try {
    await work(stack.lpa);
  } finally {
    await stack.close();
  }
  const wallMs = performance.now() - start;
  const stats = tracing.stats;
  return {
    scenario,
    latencyMs,
    apdus: stats.apdus,
    minimumApdus: (counting?.minimum ?? 0) + CHANNEL_OVERHEAD,
    es10Calls: counting?.calls ?? 0,
    bytesToCard: stats.bytesSent,
    bytesFromCard: stats.bytesReceived,
    httpCalls,
    wallMs,
  };
}

const yes = (): Promise<boolean> => Promise.resolve(true);

export async function runBenchmark(latencies: readonly number[] = [0, 10]): Promise<Row[]> {
  const services = await startLocalServices({ smdpPort: 0, relayPort: 0 });
  const rows: Row[] = [];
  let n = 0;
  try {
    const code = (id: string): string => `LPA:1$${services.smdpAddress}$${id}`;
    // Warm-up: one download first, so the rows do not carry the first run's compilation.
    await measure(services, freshEuicc(services, n++), 'warm-up', 0, (lpa) =>
      lpa.download({ activationCode: code('WEBLPA-BENCH-100K'), confirm: yes }),
    );
    for (const latencyMs of latencies) {
      const withProfile = freshEuicc(services, n++);
      rows.push(
        await measure(services, withProfile, 'download 10 KB', latencyMs, (lpa) =>
          lpa.download({ activationCode: code('WEBLPA-BENCH-10K'), confirm: yes }),
        ),
      );
      rows.push(
        await measure(services, freshEuicc(services, n++), 'download 100 KB', latencyMs, (lpa) =>
          lpa.download({ activationCode: code('WEBLPA-BENCH-100K'), confirm: yes }),
        ),
      );
      rows.push(
        await measure(services, withProfile, 'chip info', latencyMs, (lpa) => lpa.getChipInfo()),
      );
      rows.push(
        await measure(services, withProfile, 'list profiles', latencyMs, (lpa) =>
          lpa.listProfiles(),
        ),
      );
    }
  } finally {
    await services.close();
  }
  return rows;
}

export function formatTable(rows: readonly Row[]): string {
  const head = [
    'scenario',
    'latency',
    'APDUs',
    'minimum',
    'over min',
    'ES10 calls',
    'bytes to card',
    'bytes from card',
    'HTTP calls',
    'wall ms',
  ];
  const body = rows.map((r) => [
    r.scenario,
    `${r.latencyMs} ms`,
    String(r.apdus),
    String(r.minimumApdus),
    `${(((r.apdus - r.minimumApdus) / r.minimumApdus) * 100).toFixed(1)}%`,
    String(r.es10Calls),
    String(r.bytesToCard),
    String(r.bytesFromCard),
    String(r.httpCalls),
    r.wallMs.toFixed(0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** A string only jsQR's code contains: tells whether jsQR is in a script. */
const JSQR_MARKER = 'Invalid module size';

async function speedReport(): Promise<void> {
  const out = (s: string): boolean => process.stdout.write(s + '\n');
  const services = await startLocalServices({ smdpPort: 0, relayPort: 0 });
  try {
    let n = 0;
    const fresh = (): SoftwareEuicc => freshEuicc(services, 1000 + n++);
    const download = (euicc: SoftwareEuicc): Promise<unknown> =>
      downloadBenchProfile(services, new VirtualTransport(euicc));
    const cpu = await cpuPerDownload(download, fresh);
    const cats = Object.keys(cpu[0]!.split);
    out(
      '\n' +
        table(
          [
            '100 KB download, warm, one process (LPA + eUICC + SM-DP+)',
            'CPU ms',
            ...cats.map((c) => `${c} ms`),
          ],
          cpu.map((r) => [
            `${r.mode} (median of ${r.runs})`,
            r.cpuMs.toFixed(1),
            ...cats.map((c) => r.split[c as keyof typeof r.split].toFixed(1)),
          ]),
        ),
    );
    const load = euiccLoadTimes(sampleState());
    out(
      '\n' +
        table(
          ['software eUICC load (fromState)', 'first ms', 'again ms'],
          load.map((r) => [r.mode, r.firstMs.toFixed(2), r.againMs.toFixed(2)]),
        ),
    );
    const prims = await p256Primitives();
    out(
      '\n' +
        table(
          ['P-256 operation', 'noble µs', "Node's crypto µs", 'WebCrypto (async) µs'],
          prims.map((r) => [
            r.operation,
            r.nobleUs.toFixed(0),
            r.nodeUs.toFixed(0),
            r.webCryptoUs !== undefined ? r.webCryptoUs.toFixed(0) : '(noble)',
          ]),
        ),
    );
    if (!process.argv.includes('--no-cli')) {
      out('\n' + formatProcessRows(await runCliProcesses(services, { runs: 3, split: true })));
      out(
        '(CPU is user + system; peak RSS is the largest process of the tree: tsx runs the CLI in a ' +
          'second node process. The split comes from a CPU profile of one more run of the bundle, ' +
          'scaled to that run’s CPU time.)',
      );
    }
  } finally {
    await services.close();
  }
}

/**
 * The gzipped initial JavaScript measured by this bench on the last build that had English texts
 * inline only (before src/i18n): languages may add at most 10% to it.
 */
const INITIAL_JS_BEFORE_LANGUAGES = 56_627;

async function main(): Promise<void> {
  const rows = await runBenchmark();
  process.stdout.write(formatTable(rows) + '\n');
  await speedReport();
  const js = await measureInitialJs();
  process.stdout.write(
    `\ninitial JavaScript of the app: ${js.bytes} bytes, ${js.gzipBytes} bytes gzipped (${js.files.map((f) => f.file).join(', ')})\n`,
  );
  const ratio = js.gzipBytes / INITIAL_JS_BEFORE_LANGUAGES;
  process.stdout.write(
    `initial JavaScript before the app had languages: ${INITIAL_JS_BEFORE_LANGUAGES} bytes gzipped; now ${js.gzipBytes} (${((ratio - 1) * 100).toFixed(1)}%, budget +10%: ${ratio <= 1.1 ? 'within' : 'OVER'})\n`,
  );
  const withJsQr = js.files.filter((f) =>
    readFileSync(join('dist', f.file.replace(/^\//, '')), 'utf8').includes(JSQR_MARKER),
  );
  process.stdout.write(
    `jsQR in the initial JavaScript: ${withJsQr.length === 0 ? 'no (loaded only as a fallback)' : `yes (${withJsQr.map((f) => f.file).join(', ')})`}\n`,
  );
  const chunks = await measureReaderChunks();
  process.stdout.write(`\n${formatReaderChunks(chunks)}\n`);
  const english = chunks.languages.find((l) => l.locale === 'en');
  if (english)
    process.stdout.write(
      `first visit in English: initial JavaScript plus the English texts, fetched in parallel: ${js.gzipBytes + english.gzipBytes} bytes gzipped\n`,
    );
  process.stdout.write(`\n${await atBenchmarkReport()}\n`);
  process.stdout.write(`\n${await ccidSpeedReport()}\n`);
  await printBatchBenchmark();
  const over = rows.filter(
    (r) => r.scenario.startsWith('download') && r.apdus > r.minimumApdus * 1.1,
  );
  if (over.length > 0) {
    process.stderr.write('downloads more than 10% above the protocol minimum\n');
    process.exitCode = 1;
  }
}

if (process.argv[1]?.endsWith('run.ts')) await main();
