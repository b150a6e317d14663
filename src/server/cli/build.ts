/**
 * Bundles the command-line LPA into one ES module run by plain `node` (`npm run build:cli`):
 *
 *   dist-cli/weblpa.mjs           `#!/usr/bin/env node`, the `weblpa` bin of the package
 *   dist-cli/weblpa.inputs.json   the files it was built from, for scripts/lpa.mjs to tell
 *                                 whether the bundle is older than the sources
 *
 * The native PC/SC binding (`smartcard`) and `ws` stay outside the bundle: they are resolved
 * from node_modules at run time when a command needs them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const CLI_BUNDLE_NAME = 'weblpa.mjs';
export const CLI_INPUTS_NAME = 'weblpa.inputs.json';

/** Kept out of the bundle: a native addon and a package with optional native parts. */
export const CLI_EXTERNALS: readonly string[] = ['smartcard', 'ws'];

/**
 * The bundle's entry: runs the CLI's main() for every start, whether node was given the file
 * itself or a symlink to it (npm's bin links), and sets the exit code from its answer.
 */
const ENTRY = `import { main } from './main.ts';
process.exitCode = await main(process.argv.slice(2));
`;

export interface CliBundle {
  file: string;
  inputsFile: string;
  /** Source files bundled, relative to the repository root. */
  inputs: string[];
  bytes: number;
}

/** Builds the CLI bundle into `outDir` (default `dist-cli/` at the repository root). */
export async function buildCli(outDir?: string): Promise<CliBundle> {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(here, '../../..');
  const out = outDir ?? join(root, 'dist-cli');
  const file = join(out, CLI_BUNDLE_NAME);
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: here, loader: 'ts' },
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    external: [...CLI_EXTERNALS],
    // main.ts runs itself when node's argv[1] names its module; in the bundle the entry above
    // does that instead, so that check must never match.
    define: { 'import.meta.url': JSON.stringify('file:///weblpa-cli-bundle') },
    banner: { js: '#!/usr/bin/env node' },
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !p.startsWith('<'))
    .map((p) => relative(root, join(process.cwd(), p)))
    .sort();
  const inputsFile = join(out, CLI_INPUTS_NAME);
  await mkdir(out, { recursive: true });
  await writeFile(inputsFile, JSON.stringify({ inputs }, null, 2) + '\n');
  const bytes = result.metafile.outputs[relative(process.cwd(), file)]?.bytes ?? 0;
  return { file, inputsFile, inputs, bytes };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildCli().then(
    (b) => process.stdout.write(`${b.file} (${b.bytes} bytes, ${b.inputs.length} inputs)\n`),
    (e: unknown) => {
      process.stderr.write(`build:cli: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
