/**
 * CPU time split by kind of work, from a V8 CPU profile (the inspector's Profiler or
 * `node --cpu-prof`): each sample's self time goes to the category of the function it was in.
 * For a bundle, the `// src/...` and `// node_modules/...` markers esbuild writes name the
 * source file of each line range.
 */
import { readFileSync } from 'node:fs';

export type CpuCategory = 'crypto' | 'codec' | 'http' | 'other js' | 'startup' | 'gc';

export const CPU_CATEGORIES: readonly CpuCategory[] = [
  'crypto',
  'codec',
  'http',
  'other js',
  'startup',
  'gc',
];

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Source file markers of an esbuild bundle: [first line (0-based), source path]. */
export function bundleSourceMap(bundleText: string): [number, string][] {
  const out: [number, string][] = [];
  const lines = bundleText.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(lines[i]!);
    if (m) out.push([i, m[1]!]);
  }
  return out;
}

function sourceOf(url: string, line: number, map: readonly [number, string][] | undefined): string {
  if (!map || !url.endsWith('.mjs') || url.startsWith('node:')) return url;
  let lo = 0;
  let hi = map.length - 1;
  let found = url;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid]![0] <= line) {
      found = map[mid]![1];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function categorize(functionName: string, source: string): CpuCategory | undefined {
  if (functionName === '(idle)') return undefined;
  if (functionName === '(garbage collector)') return 'gc';
  if (
    /@noble\//.test(source) ||
    /src\/rsp\/(ec|bsp|kdf|chain|random|x509)\.ts/.test(source) ||
    /node:internal\/crypto/.test(source)
  )
    return 'crypto';
  if (/src\/(codec|es10|es9p|apdu)\//.test(source) || /src\/rsp\/(der|saip)/.test(source))
    return 'codec';
  if (
    /node:internal\/(http|net|stream|streams|deps\/undici|webstreams|url|dns|timers)|node:(http|net|stream)|undici|_http_/.test(
      source,
    )
  )
    return 'http';
  if (functionName === '(program)' || /node:internal\/modules|esbuild|tsx/.test(source))
    return 'startup';
  if (source === '' && functionName !== '') return 'other js';
  return 'other js';
}

/** Milliseconds of CPU per category. */
export function splitProfile(
  profile: CpuProfile,
  bundleText?: string,
): Record<CpuCategory, number> {
  const map = bundleText ? bundleSourceMap(bundleText) : undefined;
  const byId = new Map<number, CpuCategory | undefined>();
  for (const n of profile.nodes) {
    const src = sourceOf(n.callFrame.url, n.callFrame.lineNumber, map);
    byId.set(n.id, categorize(n.callFrame.functionName, src));
  }
  const out: Record<CpuCategory, number> = {
    crypto: 0,
    codec: 0,
    http: 0,
    'other js': 0,
    startup: 0,
    gc: 0,
  };
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const cat = byId.get(samples[i]!);
    // timeDeltas[i + 1] is the time until the next sample: the time spent in sample i.
    const us = deltas[i + 1] ?? 0;
    if (cat) out[cat] += us / 1000;
  }
  return out;
}

export function splitProfileFile(file: string, bundleFile?: string): Record<CpuCategory, number> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  return splitProfile(profile, bundleFile ? readFileSync(bundleFile, 'utf8') : undefined);
}

/**
 * The split scaled so that its parts add up to `cpuMs`: the profiler's samples are spaced in
 * wall time, so on a busy machine their raw sums exceed the CPU the process really used.
 */
export function scaleSplit(
  split: Record<CpuCategory, number>,
  cpuMs: number,
): Record<CpuCategory, number> {
  const total = CPU_CATEGORIES.reduce((a, c) => a + split[c], 0);
  const out = { ...split };
  if (total > 0) for (const c of CPU_CATEGORIES) out[c] = (split[c] / total) * cpuMs;
  return out;
}
