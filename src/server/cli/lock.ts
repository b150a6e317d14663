/**
 * One CLI process at a time per state file: `<state>.lock`, created with O_EXCL, holds the
 * owner's pid and start time. A lock whose pid is no longer alive is stale and taken over; a
 * live one is waited for (polling, bounded) and then reported with the holder's pid.
 */
import { sleep } from '../../base/async.ts';
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';

export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

/** The state file is held by another live process for longer than the caller would wait. */
export class StateLockedError extends Error {
  override readonly name = 'StateLockedError';
  constructor(
    readonly lockPath: string,
    readonly holderPid: number | undefined,
    waitedMs: number,
  ) {
    super(
      `${lockPath} is held by ${holderPid !== undefined ? `process ${holderPid}` : 'another process'} (waited ${waitedMs} ms); try again once it has finished`,
    );
  }
}

export interface LockHolder {
  pid: number;
  startedAt: string;
}

export interface StateLock {
  readonly path: string;
  /** Removes the lock file if it is still ours (idempotent). */
  release(): void;
}

function readHolder(path: string): { text: string; holder: LockHolder | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && Number.isSafeInteger(v.pid) && v.pid > 0)
      return { text, holder: { pid: v.pid, startedAt: String(v.startedAt) } };
  } catch {
    // A lock file cut short by a crash between create and write: judged by age below.
  }
  return { text, holder: undefined };
}

/** process.kill(pid, 0): no signal is sent, only whether the pid exists is checked. */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a stale lock without ever removing a live one that replaced it meanwhile: the file
 * is moved aside first (only one process can move a given file), then checked again.
 */
function takeOverStale(path: string, staleText: string): void {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  let moved = '';
  try {
    moved = readFileSync(aside, 'utf8');
  } catch {
    // gone already
  }
  if (moved !== staleText) {
    // A live lock was created between our check and the move: put it back.
    try {
      linkSync(aside, path);
    } catch {
      // Someone holds a newer lock: theirs stays, the moved one was superseded anyway.
    }
  }
  rmSync(aside, { force: true });
}

/**
 * Takes `<statePath>.lock`, waiting up to `timeoutMs` while a live process holds it. Throws
 * StateLockedError after the timeout.
 */
export async function acquireStateLock(
  statePath: string,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<StateLock> {
  const path = `${statePath}.lock`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const pollMs = options.pollMs ?? POLL_MS;
  const started = Date.now();
  const me: LockHolder = { pid: process.pid, startedAt: new Date().toISOString() };
  const mine = JSON.stringify(me) + '\n';
  let unreadableSince: number | undefined;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        path,
        release: () => {
          if (released) return;
          released = true;
          try {
            if (readFileSync(path, 'utf8') === mine) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    }
    const seen = readHolder(path);
    if (seen === undefined) continue;
    if (seen.holder !== undefined) {
      unreadableSince = undefined;
      if (!processAlive(seen.holder.pid)) {
        takeOverStale(path, seen.text);
        continue;
      }
    } else {
      // Unreadable content: a writer may be between create and write. Give it a moment.
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince > 2_000) {
        takeOverStale(path, seen.text);
        unreadableSince = undefined;
        continue;
      }
    }
    const waited = Date.now() - started;
    if (waited >= timeoutMs) throw new StateLockedError(path, seen.holder?.pid, waited);
    await sleep(Math.min(pollMs, timeoutMs - waited));
  }
}
