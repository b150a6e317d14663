// Finds what the PC/SC tests need: pcscd, vsmartcard's vpcd reader driver and the `smartcard`
// binding built against libpcsclite. Run as root on a machine that lacks them, it installs the
// Debian packages and rebuilds the binding; otherwise it says what to install and exits 1.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { aptInstall, isRoot } from './apt.mjs';

export const PCSCD = process.env.PCSCD_PATH ?? '/usr/sbin/pcscd';
/** Debian's vsmartcard-vpcd driver; pcscd loads it from /etc/reader.conf.d/vpcd. */
export const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const WINSCARD_H = '/usr/include/PCSC/winscard.h';

function bindingLoads() {
  try {
    createRequire(import.meta.url)('smartcard');
    return true;
  } catch {
    return false;
  }
}

export function missingPcsc() {
  const missing = [];
  if (!existsSync(PCSCD)) missing.push('pcscd');
  if (!existsSync(VPCD_DRIVER)) missing.push('vsmartcard-vpcd');
  if (!bindingLoads()) {
    if (!existsSync(WINSCARD_H)) missing.push('libpcsclite-dev');
    missing.push('the smartcard binding (npm rebuild smartcard)');
  }
  return missing;
}

export function ensurePcsc() {
  let missing = missingPcsc();
  if (missing.length === 0) return;
  if (!isRoot()) {
    console.error(
      `PC/SC tests need: ${missing.join(', ')}. Install them with ` +
        '"sudo apt-get install pcscd vsmartcard-vpcd libpcsclite-dev" and then "npm rebuild smartcard".',
    );
    process.exit(1);
  }
  console.log(`PC/SC: installing ${missing.join(', ')}…`);
  aptInstall(['pcscd', 'vsmartcard-vpcd', 'libpcsclite-dev', 'make', 'g++', 'python3']);
  if (!bindingLoads()) execFileSync('npm', ['rebuild', 'smartcard'], { stdio: 'inherit' });
  missing = missingPcsc();
  if (missing.length > 0) {
    console.error(`PC/SC: still missing after installing: ${missing.join(', ')}.`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensurePcsc();
  console.log('PC/SC: pcscd, vpcd and the smartcard binding are present.');
}
