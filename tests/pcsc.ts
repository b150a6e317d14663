// PC/SC for tests: a pcscd with vsmartcard's vpcd reader driver, and the `smartcard` binding to
// talk to it. startPcscd() reuses a running pcscd (and never stops one the harness did not
// start) or starts /usr/sbin/pcscd in the foreground (as root) and waits until the Virtual PCD
// readers are listed; the last harness user to stop ends a pcscd the harness started.
// waitForCard() waits until a reader holds a card; serveEuicc() serves a software eUICC state
// file to a vpcd reader with `lpa euicc serve --vpcd`, in a process of its own.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ContextInterface as PcscContext, ReaderInterface as PcscReader } from 'smartcard';
import { atrFor } from '../src/server/vpcd/atr.ts';

export const PCSCD = process.env.PCSCD_PATH ?? '/usr/sbin/pcscd';
/** Debian's vsmartcard-vpcd driver; pcscd loads it from /etc/reader.conf.d/vpcd. */
export const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
/** vpcd's readers: slot 0 listens on TCP 35963, slot 1 on 35964. */
export const VPCD_READERS = ['Virtual PCD 00 00', 'Virtual PCD 00 01'] as const;
export const VPCD_PORTS: Readonly<Record<(typeof VPCD_READERS)[number], number>> = {
  'Virtual PCD 00 00': 35963,
  'Virtual PCD 00 01': 35964,
};

const INSTALL_HINT =
  'run "node scripts/ensure-pcsc.mjs" as root, or "sudo apt-get install pcscd vsmartcard-vpcd ' +
  'libpcsclite-dev" and then "npm rebuild smartcard"';

/** What PC/SC tests need is missing, or pcscd did not come up. */
export class PcscUnavailableError extends Error {
  override readonly name = 'PcscUnavailableError';
}

export type SmartcardModule = typeof import('smartcard');

let binding: Promise<SmartcardModule> | undefined;

/** The `smartcard` binding, imported on first use (it is an optional dependency). */
export function loadSmartcard(): Promise<SmartcardModule> {
  binding ??= import('smartcard').catch((e: unknown) => {
    binding = undefined;
    throw new PcscUnavailableError(
      `the smartcard PC/SC binding does not load (${(e as Error).message}): ${INSTALL_HINT}`,
    );
  });
  return binding;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The reader names pcscd lists now, or undefined when no pcscd answers. */
function listReaderNames(sc: SmartcardModule): string[] | undefined {
  let ctx: PcscContext;
  try {
    ctx = new sc.Context();
  } catch {
    return undefined;
  }
  try {
    return ctx.listReaders().map((r) => r.name);
  } catch {
    // SCARD_E_NO_READERS_AVAILABLE: pcscd answers, its drivers are not up yet.
    return [];
  } finally {
    ctx.close();
  }
}

function hasVpcdReaders(names: string[] | undefined): boolean {
  return names !== undefined && VPCD_READERS.every((r) => names.includes(r));
}

async function waitForVpcdReaders(
  sc: SmartcardModule,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<string[] | undefined> {
  const deadline = Date.now() + timeoutMs;
  let names = listReaderNames(sc);
  while (!hasVpcdReaders(names) && Date.now() < deadline) {
    if (child && child.exitCode !== null) return names;
    await sleep(100);
    names = listReaderNames(sc);
  }
  return names;
}

export interface PcscdHandle {
  /** True when this call started pcscd. */
  readonly started: boolean;
  /**
   * Ends this use of pcscd. A pcscd the harness started (in this process or another) is stopped
   * (SIGTERM, then waited for) when its last harness user has stopped; a pcscd started any other
   * way is never stopped.
   */
  stop(): Promise<void>;
}

/**
 * Harness users and the pcscd the harness started, shared by the test processes of this
 * machine: `user-<pid>-<n>` per startPcscd() not yet stopped, `started.json` with the pid of
 * the pcscd the harness started, and that pcscd's log.
 */
const SHARE_DIR = process.env.WEBLPA_PCSC_DIR ?? join(tmpdir(), 'weblpa-pcscd');
const STARTED_FILE = join(SHARE_DIR, 'started.json');
const LOG_FILE = join(SHARE_DIR, 'pcscd.log');
/** Held (O_EXCL, with the holder's pid) while a process checks for pcscd and starts one. */
const SPAWN_LOCK = join(SHARE_DIR, 'spawn.lock');
let userSeq = 0;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function registerUser(): string {
  mkdirSync(SHARE_DIR, { recursive: true });
  const file = join(SHARE_DIR, `user-${process.pid}-${userSeq++}`);
  writeFileSync(file, '');
  return file;
}

/** Users whose process still lives (files of dead ones are removed). */
function liveUsers(): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(SHARE_DIR);
  } catch {
    return out;
  }
  for (const name of names) {
    const m = /^user-(\d+)-\d+$/.exec(name);
    if (!m) continue;
    if (alive(Number(m[1]))) out.push(name);
    else rmSync(join(SHARE_DIR, name), { force: true });
  }
  return out;
}

/** The pcscd the harness started, if it still runs. */
function harnessPcscd(): number | undefined {
  try {
    const { pid } = JSON.parse(readFileSync(STARTED_FILE, 'utf8')) as { pid?: unknown };
    if (typeof pid !== 'number' || !alive(pid)) return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('pcscd') ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock file `path` (created O_EXCL holding this process's pid), waiting while a live
 * process holds it; returns its release. `what` names the lock in the error after `timeoutMs`.
 */
async function fileLock(path: string, what: string, timeoutMs: number): Promise<() => void> {
  mkdirSync(SHARE_DIR, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => {
        rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let text: string;
    let ageMs: number;
    try {
      text = readFileSync(path, 'utf8');
      ageMs = Date.now() - statSync(path).mtimeMs;
    } catch {
      continue;
    }
    const holder = Number(text);
    // A holder that died is taken over; so is a lock left empty (its writer died before
    // writing its pid; a live writer writes it at once).
    const dead =
      text === '' ? ageMs > 2_000 : !Number.isSafeInteger(holder) || holder <= 0 || !alive(holder);
    if (dead) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new PcscUnavailableError(
        `${what} (${path}) is still held by process ${holder} after ${timeoutMs} ms`,
      );
    await sleep(50);
  }
}

/** Takes the spawn lock, waiting while a live process holds it; returns its release. */
function spawnLock(timeoutMs: number): Promise<() => void> {
  return fileLock(SPAWN_LOCK, 'the pcscd spawn lock', timeoutMs);
}

function logTail(): string {
  try {
    return readFileSync(LOG_FILE, 'utf8').slice(-2000).trim();
  } catch {
    return '';
  }
}

async function release(userFile: string): Promise<void> {
  rmSync(userFile, { force: true });
  // Under the spawn lock: a process starting meanwhile either registered before (and keeps
  // pcscd alive) or checks for pcscd after it is gone.
  const unlock = await spawnLock(30_000);
  try {
    if (liveUsers().length > 0) return;
    const pid = harnessPcscd();
    if (pid === undefined) return;
    rmSync(STARTED_FILE, { force: true });
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 200 && alive(pid); i++) await sleep(50);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  } finally {
    unlock();
  }
}

/**
 * A pcscd that lists the Virtual PCD readers. A running pcscd is reused; otherwise pcscd is
 * started in the foreground (root needed; its output goes to $TMPDIR/weblpa-pcscd/pcscd.log)
 * and ended by the last `stop()` of the harness users (see PcscdHandle). Fails with
 * PcscUnavailableError naming what to install when pcscd, vpcd or the binding is missing.
 */
export async function startPcscd(options: { timeoutMs?: number } = {}): Promise<PcscdHandle> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const missing: string[] = [];
  if (!existsSync(PCSCD)) missing.push(`pcscd (${PCSCD})`);
  if (!existsSync(VPCD_DRIVER)) missing.push(`vsmartcard-vpcd (${VPCD_DRIVER})`);
  if (missing.length > 0)
    throw new PcscUnavailableError(`PC/SC tests need ${missing.join(' and ')}: ${INSTALL_HINT}`);
  const sc = await loadSmartcard();

  // Registered first, so a user that stops meanwhile leaves pcscd running for this one.
  const user = registerUser();
  let stopped: Promise<void> | undefined;
  const handle = (started: boolean): PcscdHandle => ({
    started,
    stop: () => (stopped ??= release(user)),
  });
  let unlock: (() => void) | undefined;
  try {
    // One process at a time checks and starts: two pcscd started at once would leave the
    // wrong one recorded.
    unlock = await spawnLock(timeoutMs + 10_000);
    if (listReaderNames(sc) !== undefined) {
      const names = await waitForVpcdReaders(sc, timeoutMs);
      if (!hasVpcdReaders(names))
        throw new PcscUnavailableError(
          `the running pcscd lists ${JSON.stringify(names)}, not ${VPCD_READERS.join(' and ')}: ` +
            'is vsmartcard-vpcd installed and /etc/reader.conf.d/vpcd present? ' +
            '(restart pcscd after installing it)',
        );
      return handle(false);
    }

    if (typeof process.getuid === 'function' && process.getuid() !== 0)
      throw new PcscUnavailableError(
        `no pcscd is running and only root can start ${PCSCD}: start it ("sudo ${PCSCD}") first`,
      );
    // Detached, output to a file: it may outlive this process while another user needs it.
    const log = openSync(LOG_FILE, 'a');
    let child: ChildProcess;
    try {
      child = spawn(PCSCD, ['--foreground'], { stdio: ['ignore', log, log], detached: true });
    } finally {
      closeSync(log);
    }
    child.unref();
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    if (child.pid !== undefined) writeFileSync(STARTED_FILE, JSON.stringify({ pid: child.pid }));
    const names = await Promise.race([
      waitForVpcdReaders(sc, timeoutMs, child),
      spawnError.then((e) => {
        throw new PcscUnavailableError(`cannot start ${PCSCD}: ${e.message}`);
      }),
    ]);
    if (child.exitCode !== null) {
      // Another test may have started a pcscd at the same moment: use that one.
      const other = await waitForVpcdReaders(sc, timeoutMs);
      if (hasVpcdReaders(other)) return handle(false);
      throw new PcscUnavailableError(
        `${PCSCD} --foreground exited with ${child.exitCode}: ${logTail()}`,
      );
    }
    if (!hasVpcdReaders(names))
      throw new PcscUnavailableError(
        `${PCSCD} started but did not list ${VPCD_READERS.join(' and ')} within ${timeoutMs} ms ` +
          `(it lists ${JSON.stringify(names)}): is /etc/reader.conf.d/vpcd present? ${logTail()}`,
      );
    return handle(true);
  } catch (e) {
    unlock?.();
    unlock = undefined;
    await release(user);
    throw e;
  } finally {
    unlock?.();
  }
}

/**
 * Reads `readerName` every 100 ms until `check` gives a value (it returns what it saw, as a
 * string, to go on); after `timeoutMs` throws PcscUnavailableError with `failure` and the last
 * sighting.
 */
async function pollReader<T>(
  readerName: string,
  timeoutMs: number,
  failure: string,
  check: (sc: SmartcardModule, reader: PcscReader | undefined) => { value: T } | string,
): Promise<T> {
  const sc = await loadSmartcard();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: string;
    let ctx: PcscContext | undefined;
    try {
      ctx = new sc.Context();
      const seen = check(
        sc,
        ctx.listReaders().find((r) => r.name === readerName),
      );
      if (typeof seen !== 'string') return seen.value;
      last = seen;
    } catch (e) {
      last = (e as Error).message;
    } finally {
      ctx?.close();
    }
    if (Date.now() >= deadline)
      throw new PcscUnavailableError(`${failure} within ${timeoutMs} ms (last seen: ${last})`);
    await sleep(100);
  }
}

/**
 * Waits until `readerName` holds a card (SCARD_STATE_PRESENT), with `expectedAtr` if given
 * (so a card that is leaving is not taken for the next one), and returns its ATR. Throws
 * after `timeoutMs`.
 */
export function waitForCard(
  readerName: string,
  timeoutMs = 15_000,
  expectedAtr?: Uint8Array,
): Promise<Uint8Array> {
  return pollReader(readerName, timeoutMs, `no card in "${readerName}"`, (sc, reader) => {
    if (reader === undefined) return 'reader not listed';
    if ((reader.state & sc.SCARD_STATE_PRESENT) === 0 || !reader.atr?.length)
      return `state 0x${reader.state.toString(16)}`;
    const atr = new Uint8Array(reader.atr);
    if (expectedAtr === undefined || Buffer.from(atr).equals(Buffer.from(expectedAtr)))
      return { value: atr };
    return `a card with ATR ${Buffer.from(atr).toString('hex')}`;
  });
}

/** Waits until `readerName` holds no card; throws after `timeoutMs`. */
function waitForNoCard(readerName: string, timeoutMs = 15_000): Promise<void> {
  const failure = `the card did not leave "${readerName}"`;
  return pollReader(readerName, timeoutMs, failure, (sc, reader) =>
    reader === undefined || (reader.state & sc.SCARD_STATE_PRESENT) === 0
      ? { value: undefined }
      : `state 0x${reader.state.toString(16)}`,
  );
}

export interface ServedEuicc {
  /** What the serving process wrote to stderr (the last 4,000 characters). */
  log(): string;
  /**
   * Ends the serving process (the card leaves the reader, as if pulled out), waits until pcscd
   * sees the reader empty, and lets the next test use the reader. Only the first call acts.
   */
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '..');

/** Ends a child: SIGTERM (a served card leaves its reader), SIGKILL after 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Serves the software eUICC in `state` to vpcd's `reader` (TCP 35963 for "Virtual PCD 00 00",
 * 35964 for "Virtual PCD 00 01") with `lpa euicc serve --vpcd` in a process of its own, and
 * resolves once pcscd lists the card with its ATR.
 *
 * A test holds the reader (a lock file beside pcscd's, waited for up to `lockTimeoutMs`) from
 * this call until stop(), so tests in other processes that serve to the same reader take turns.
 *
 * Never from the test's own process: pcscd asks vpcd for the card's ATR to see whether it is
 * still there, and the `smartcard` binding makes some PC/SC calls (establishing a context,
 * listing readers, disconnecting) synchronously. A card served by the process that waits in
 * such a call could not answer, and both would wait for ever.
 */
export async function serveEuicc(o: {
  state: string;
  reader: (typeof VPCD_READERS)[number];
  t1?: boolean;
  timeoutMs?: number;
  lockTimeoutMs?: number;
}): Promise<ServedEuicc> {
  const t1 = o.t1 ?? false;
  const unlock = await fileLock(
    join(SHARE_DIR, `reader-${VPCD_PORTS[o.reader]}.lock`),
    `the reader "${o.reader}"`,
    o.lockTimeoutMs ?? 90_000,
  );
  let child: ChildProcess;
  try {
    child = spawn(
      join(ROOT, 'node_modules/.bin/tsx'),
      [
        join(ROOT, 'src/server/cli/main.ts'),
        'euicc',
        'serve',
        '--vpcd',
        `127.0.0.1:${VPCD_PORTS[o.reader]}`,
        '--state',
        o.state,
        ...(t1 ? ['--t1'] : []),
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (e) {
    unlock();
    throw e;
  }
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      reject(new PcscUnavailableError(`euicc serve exited (${signal ?? code}): ${log}`));
    });
  });
  exited.catch(() => undefined);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      try {
        await stopChild(child);
        await waitForNoCard(o.reader);
      } finally {
        unlock();
      }
    })());
  try {
    await Promise.race([waitForCard(o.reader, o.timeoutMs ?? 25_000, atrFor(t1)), exited]);
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
  return { log: () => log, stop };
}
