/**
 * The size of what a first visit downloads before the app starts: the entry script of the
 * production build plus the modules it preloads, raw and gzipped. Builds the app when dist/ is
 * missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

export interface BundleSize {
  files: { file: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
}

/** Script files the HTML loads at once: the module entry and its modulepreload links. */
export function initialScripts(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) out.push(m[1]!);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g))
    out.push(m[1]!);
  return [...new Set(out)];
}

export async function measureInitialJs(distDir = 'dist'): Promise<BundleSize> {
  if (!existsSync(join(distDir, 'index.html'))) await build({ logLevel: 'warn' });
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const files = initialScripts(html).map((src) => {
    const body = readFileSync(join(distDir, src.replace(/^\//, '')));
    return { file: src, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
  });
  return {
    files,
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    gzipBytes: files.reduce((a, f) => a + f.gzipBytes, 0),
  };
}
