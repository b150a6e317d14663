#!/usr/bin/env node
// Runs a command with a deadline: node scripts/deadline.mjs <minutes> <command> [args...].
//
// The command's output passes through unchanged. Should it still run after <minutes>, its whole
// process group gets SIGTERM (SIGKILL 10 s later), the last test it announced is named, and
// this exits with 124; otherwise it exits with the command's own status. Test runners time out
// a test that waits on a promise, but not one whose process is blocked in a native call: this is
// what keeps such a hang from holding a test run for ever.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const [minutesArg, command, ...args] = process.argv.slice(2);
const minutes = Number(minutesArg);
if (!command || !Number.isFinite(minutes) || minutes <= 0) {
  console.error('usage: node scripts/deadline.mjs <minutes> <command> [args...]');
  process.exit(2);
}

// Lines that say which test or file is running: node:test's TAP and vitest's reporters.
const ANNOUNCES = /^\s*# Subtest: .+|^\s*(?:✓|×|❯|↓)\s+\S+\.test\.ts.*/u;
let lastAnnounced = '';
const remember = (chunk) => {
  for (const line of chunk.toString('utf8').split('\n')) {
    // eslint-disable-next-line no-control-regex
    const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
    if (ANNOUNCES.test(plain)) lastAnnounced = plain.trim();
  }
};

const child = spawn(command, args, { stdio: ['inherit', 'pipe', 'pipe'], detached: true });
child.stdout.on('data', (chunk) => {
  remember(chunk);
  process.stdout.write(chunk);
});
child.stderr.on('data', (chunk) => {
  remember(chunk);
  process.stderr.write(chunk);
});

const killGroup = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
};

let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  console.error(
    `\n${command} ${args.join(' ')} did not finish within ${minutes} min; stopping it.` +
      (lastAnnounced ? `\nThe last test it announced: ${lastAnnounced}` : ''),
  );
  killGroup('SIGTERM');
  setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
}, minutes * 60_000);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killGroup(signal);
    setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
  });
}

child.on('error', (e) => {
  console.error(`cannot run ${command}: ${e.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  // Whatever the command left running in its group goes with it.
  killGroup('SIGKILL');
  if (timedOut) process.exit(124);
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});
