/**
 * Which JavaScript chunks the app loads to connect a hardware reader, and whether the crypto
 * module is among them. Builds the app once more with Vite's manifest into a temporary folder,
 * then follows the static imports from the page's entry, the backend loaded on first connect
 * (src/ui/state/lpa-backend.ts) and a hardware transport's browser glue. The crypto chunks are
 * the chunks of src/rsp and src/euicc themselves and any chunk holding elliptic-curve code
 * (found by the P-256 group order in it): the virtual eUICC loads them with import(). SHA-2
 * alone is not counted: the LPA hashes the confirmation code (SGP.22 v2.2.2 §3.1.3).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { LOCALES } from '../src/i18n/locales.ts';

interface ManifestChunk {
  file: string;
  src?: string;
  imports?: string[];
  dynamicImports?: string[];
  isEntry?: boolean;
}
type Manifest = Record<string, ManifestChunk>;

/** The order of the P-256 group (FIPS 186-4 §D.1.2.3), present wherever the curve code is. */
const P256_ORDER_HEX = 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551';

/** The chunk files `keys` load before running: themselves and their static imports. */
function staticClosure(manifest: Manifest, keys: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const files = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest has no chunk for ${key}`);
    files.add(chunk.file);
    for (const i of chunk.imports ?? []) visit(i);
  };
  for (const k of keys) visit(k);
  return files;
}

export interface ReaderChunks {
  /** Chunks loaded to connect a reader (WebUSB CCID), with their sizes. */
  readerChunks: { file: string; bytes: number }[];
  /** Chunks that hold the crypto (src/rsp) and the software eUICC. */
  cryptoChunks: string[];
  /** Crypto chunks among the reader's: empty when a reader loads no crypto. */
  overlap: string[];
  /** Per language: what showing the app in it loads beyond the first page's scripts. */
  languages: { locale: string; files: string[]; bytes: number; gzipBytes: number }[];
}

export async function measureReaderChunks(): Promise<ReaderChunks> {
  const outDir = mkdtempSync(join(tmpdir(), 'weblpa-chunks-'));
  try {
    await build({ logLevel: 'warn', build: { outDir, manifest: true, emptyOutDir: true } });
    const manifest = JSON.parse(
      readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'),
    ) as Manifest;
    const reader = staticClosure(manifest, [
      'index.html',
      'src/ui/state/lpa-backend.ts',
      'src/transport/webusb-ccid/browser.ts',
    ]);
    const facades = new Set(
      ['src/rsp/index.ts', 'src/euicc/index.ts'].map((k) => manifest[k]?.file ?? ''),
    );
    const crypto = staticClosure(manifest, ['src/rsp/index.ts', 'src/euicc/index.ts']);
    const cryptoOnly = [...crypto].filter(
      (f) =>
        facades.has(f) ||
        readFileSync(join(outDir, f), 'utf8').toLowerCase().includes(P256_ORDER_HEX),
    );
    const page = staticClosure(manifest, ['index.html']);
    const languages = LOCALES.map((locale) => {
      const files = [...staticClosure(manifest, [`src/i18n/${locale}/index.ts`])].filter(
        (f) => !page.has(f),
      );
      const bodies = files.map((f) => readFileSync(join(outDir, f)));
      return {
        locale,
        files,
        bytes: bodies.reduce((a, b) => a + b.length, 0),
        gzipBytes: bodies.reduce((a, b) => a + gzipSync(b, { level: 9 }).length, 0),
      };
    });
    return {
      languages,
      readerChunks: [...reader].map((file) => ({
        file,
        bytes: statSync(join(outDir, file)).size,
      })),
      cryptoChunks: cryptoOnly,
      overlap: cryptoOnly.filter((f) => reader.has(f)),
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export function formatReaderChunks(r: ReaderChunks): string {
  const lines = [
    'chunks loaded to connect a hardware reader:',
    ...r.readerChunks.map((c) => `  ${c.file} (${c.bytes} bytes)`),
    `crypto chunks (src/rsp, src/euicc): ${r.cryptoChunks.join(', ')}`,
    r.overlap.length === 0
      ? 'connecting a reader loads no crypto chunk'
      : `connecting a reader loads crypto chunks: ${r.overlap.join(', ')}`,
    'texts: the chunks each language loads (English too: the first page carries no texts):',
    ...r.languages.map(
      (l) =>
        `  ${l.locale}: ${l.files.join(', ')} (${l.bytes} bytes, ${l.gzipBytes} bytes gzipped)`,
    ),
  ];
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('chunks.ts'))
  process.stdout.write(formatReaderChunks(await measureReaderChunks()) + '\n');
