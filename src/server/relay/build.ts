/**
 * Bundles the relay's runtime entries into one JavaScript file each (`npm run build:relay`):
 *   dist/relay/node/relay.mjs     plain `node relay.mjs` (deploy/node/Dockerfile)
 *   dist/relay/worker/worker.js   a module Worker for Cloudflare / workerd (deploy/cloudflare)
 *   dist/relay/deno/relay.js      `deno run` or Deno Deploy (deploy/deno)
 * and, beside the Worker, gsma-rsp2-root-ci1.pem for a self-hosted workerd's trusted
 * certificates (deploy/cloudflare/relay.capnp).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { GSMA_RSP2_ROOT_CI1_PEM } from './gsma-ci.ts';

const ENTRIES = {
  node: 'node-main.ts',
  worker: 'worker.ts',
  deno: 'deno.ts',
} as const;

export type RelayBundle = keyof typeof ENTRIES;

const OUT_NAMES: Record<RelayBundle, string> = {
  node: 'node/relay.mjs',
  worker: 'worker/worker.js',
  deno: 'deno/relay.js',
};

/** Builds the given bundles under `outDir`; answers their paths. */
export async function buildRelay(
  outDir: string,
  which: readonly RelayBundle[] = ['node', 'worker', 'deno'],
): Promise<Record<RelayBundle, string>> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const out = {} as Record<RelayBundle, string>;
  await Promise.all(
    which.map(async (name) => {
      const outfile = join(outDir, OUT_NAMES[name]);
      await build({
        entryPoints: [join(here, ENTRIES[name])],
        outfile,
        bundle: true,
        format: 'esm',
        // Deno runs the Node upstream client (node:https), so its bundle keeps node: imports.
        platform: name === 'worker' ? 'neutral' : 'node',
        target: name === 'worker' ? 'es2022' : name === 'deno' ? 'esnext' : 'node20',
        mainFields: ['module', 'main'],
        logLevel: 'warning',
        legalComments: 'none',
      });
      out[name] = outfile;
      if (name === 'worker') {
        const pem = join(dirname(outfile), 'gsma-rsp2-root-ci1.pem');
        await mkdir(dirname(pem), { recursive: true });
        await writeFile(
          pem,
          GSMA_RSP2_ROOT_CI1_PEM.endsWith('\n')
            ? GSMA_RSP2_ROOT_CI1_PEM
            : `${GSMA_RSP2_ROOT_CI1_PEM}\n`,
        );
      }
    }),
  );
  return out;
}

if (
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
) {
  const outDir = fileURLToPath(new URL('../../../dist/relay/', import.meta.url));
  buildRelay(outDir).then(
    (files) => {
      for (const f of Object.values(files)) process.stdout.write(`${f}\n`);
    },
    (e: unknown) => {
      process.stderr.write(`build:relay: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
