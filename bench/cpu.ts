/**
 * CPU per download in one warm process (the LPA, the software eUICC and the local SM-DP+ all
 * in this process), split into crypto / codec / HTTP / other by sampling the V8 profiler, for
 * the noble-only crypto without the signature cache (the code before native P-256) and for the
 * default engines; the software eUICC's load time; and the P-256 primitives per engine.
 */
import { Session } from 'node:inspector/promises';
import { createTestIdentity, SoftwareEuicc } from '../src/euicc/index.ts';
import {
  clearSignatureCache,
  ecka,
  eckaAsync,
  generateKeyPair,
  setNobleOnly,
  setSignatureCache,
  signTr03111,
  verifyTr03111,
  verifyTr03111Async,
} from '../src/rsp/index.ts';
import { scaleSplit, splitProfile, type CpuCategory, type CpuProfile } from './cpu-split.ts';

export type CryptoMode = 'noble only, no cache (before)' | 'native P-256 + cache (after)';

export const MODES: readonly CryptoMode[] = [
  'noble only, no cache (before)',
  'native P-256 + cache (after)',
];

export function setMode(mode: CryptoMode): void {
  const before = mode === 'noble only, no cache (before)';
  setNobleOnly(before);
  setSignatureCache(!before);
}

export interface CpuRow {
  mode: CryptoMode;
  runs: number;
  cpuMs: number;
  split: Record<CpuCategory, number>;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] ?? NaN;
}

/** CPU of `runs` downloads per mode, after one warm-up download per mode. */
export async function cpuPerDownload(
  download: (euicc: SoftwareEuicc) => Promise<unknown>,
  fresh: () => SoftwareEuicc,
  runs = 3,
): Promise<CpuRow[]> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  const rows: CpuRow[] = [];
  try {
    for (const mode of MODES) {
      setMode(mode);
      await download(fresh());
      const cpu: number[] = [];
      const splits: Record<CpuCategory, number>[] = [];
      for (let i = 0; i < runs; i++) {
        const euicc = fresh();
        await session.post('Profiler.start');
        const start = process.cpuUsage();
        await download(euicc);
        const used = process.cpuUsage(start);
        const { profile } = await session.post('Profiler.stop');
        const cpuMs = (used.user + used.system) / 1000;
        cpu.push(cpuMs);
        splits.push(scaleSplit(splitProfile(profile as unknown as CpuProfile), cpuMs));
      }
      const split = {} as Record<CpuCategory, number>;
      for (const k of Object.keys(splits[0]!) as CpuCategory[])
        split[k] = median(splits.map((s) => s[k]));
      rows.push({ mode, runs, cpuMs: median(cpu), split });
    }
  } finally {
    setMode('native P-256 + cache (after)');
    await session.post('Profiler.disable');
    session.disconnect();
  }
  return rows;
}

export interface LoadRow {
  mode: CryptoMode;
  firstMs: number;
  againMs: number;
}

/** SoftwareEuicc.fromState: the first load in a mode (empty cache) and a repeated one. */
export function euiccLoadTimes(state: unknown): LoadRow[] {
  const rows: LoadRow[] = [];
  for (const mode of MODES) {
    setMode(mode);
    clearSignatureCache();
    let t = performance.now();
    SoftwareEuicc.fromState(state);
    const firstMs = performance.now() - t;
    const again: number[] = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      SoftwareEuicc.fromState(state);
      again.push(performance.now() - t);
    }
    rows.push({ mode, firstMs, againMs: median(again) });
  }
  setMode('native P-256 + cache (after)');
  return rows;
}

export function sampleState(): unknown {
  return SoftwareEuicc.create({
    identity: createTestIdentity({ curve: 'P-256', seed: 'bench-load' }),
  }).exportState();
}

export interface PrimitiveRow {
  operation: string;
  nobleUs: number;
  nodeUs: number;
  webCryptoUs?: number;
}

/** Microseconds per P-256 operation on each engine. */
export async function p256Primitives(iterations = 200): Promise<PrimitiveRow[]> {
  const key = generateKeyPair('P-256');
  const peer = generateKeyPair('P-256');
  const message = new Uint8Array(300).fill(7);
  const signature = signTr03111(key, message);
  const time = (f: () => unknown): number => {
    f();
    const t = performance.now();
    for (let i = 0; i < iterations; i++) f();
    return ((performance.now() - t) * 1000) / iterations;
  };
  const timeAsync = async (f: () => Promise<unknown>): Promise<number> => {
    await f();
    const t = performance.now();
    for (let i = 0; i < iterations; i++) await f();
    return ((performance.now() - t) * 1000) / iterations;
  };
  const both = (f: () => unknown): { nobleUs: number; nodeUs: number } => {
    setNobleOnly(true);
    const nobleUs = time(f);
    setNobleOnly(false);
    return { nobleUs, nodeUs: time(f) };
  };
  return [
    {
      operation: 'ECDSA verify',
      ...both(() => verifyTr03111('P-256', key.publicKey, message, signature)),
      webCryptoUs: await timeAsync(() =>
        verifyTr03111Async('P-256', key.publicKey, message, signature),
      ),
    },
    {
      operation: 'ECKA-DH',
      ...both(() => ecka(key, peer.publicKey)),
      webCryptoUs: await timeAsync(() => eckaAsync(key, peer.publicKey)),
    },
    { operation: 'ECDSA sign (RFC 6979)', ...both(() => signTr03111(key, message)) },
    { operation: 'key pair', ...both(() => generateKeyPair('P-256')) },
  ];
}

export function table(head: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
