// Finds Debian's Chromium for the browser tests; installs it with apt when missing and run as root.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { aptInstall, isRoot } from './apt.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function works(path) {
  if (!existsSync(path)) return false;
  const r = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

export function ensureChromium() {
  if (works(CHROMIUM)) return CHROMIUM;
  if (!isRoot()) {
    console.error(
      `Chromium not found at ${CHROMIUM}: install Debian's package with "sudo apt-get install chromium" (or set CHROMIUM_PATH).`,
    );
    process.exit(1);
  }
  console.log('Chromium is missing: installing Debian\'s "chromium" package with apt-get…');
  aptInstall(['chromium']);
  if (!works(CHROMIUM)) {
    console.error(`Chromium still not usable at ${CHROMIUM} after apt-get install.`);
    process.exit(1);
  }
  return CHROMIUM;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = ensureChromium();
  console.log(`Chromium: ${execFileSync(path, ['--version'], { encoding: 'utf8' }).trim()}`);
}
