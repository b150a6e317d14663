// Installs Debian packages for the test command when it runs as root (as CI does on a fresh machine).
import { execFileSync } from 'node:child_process';

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

let updated = false;

/** apt-get install --no-install-recommends `packages`; runs `apt-get update` once per process first. */
export function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!updated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    updated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env,
  });
}
