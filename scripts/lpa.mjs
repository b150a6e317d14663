#!/usr/bin/env node
/**
 * `npm run lpa -- ...`: runs the CLI bundle (dist-cli/weblpa.mjs, `npm run build:cli`) in this
 * process when it exists and is newer than every file it was built from; otherwise runs the
 * TypeScript sources through tsx in a child process. Both print the same JSON.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist-cli', 'weblpa.mjs');
const inputsFile = join(root, 'dist-cli', 'weblpa.inputs.json');

/** True when the bundle exists and no file it was built from changed after it was written. */
export function bundleIsFresh() {
  let built;
  let inputs;
  try {
    built = statSync(bundle).mtimeMs;
    const parsed = JSON.parse(readFileSync(inputsFile, 'utf8'));
    inputs = Array.isArray(parsed.inputs) ? parsed.inputs : undefined;
  } catch {
    return false;
  }
  if (!inputs || inputs.length === 0) return false;
  for (const input of [...inputs, 'src/server/cli/build.ts']) {
    try {
      if (statSync(join(root, String(input))).mtimeMs > built) return false;
    } catch {
      return false; // a source was removed or renamed: build again
    }
  }
  return true;
}

function runWithTsx(args) {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(root, 'src/server/cli/main.ts'), ...args],
    { stdio: 'inherit', cwd: process.cwd() },
  );
  // Ctrl-C reaches the child through the terminal's process group; SIGTERM sent to this
  // launcher is passed on so that the CLI removes its state-file lock.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exitCode = code ?? 1;
  });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.env.WEBLPA_CLI_TSX !== '1' && bundleIsFresh()) {
    await import(pathToFileURL(bundle).href);
  } else {
    runWithTsx(process.argv.slice(2));
  }
}
