/**
 * The CLI's state file: one process at a time (`<state>.lock`), and a file it refuses is left
 * exactly as it was.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../src/codec/index.ts';
import { createTestIdentity, SoftwareEuicc } from '../../../src/euicc/index.ts';
import type { EuiccState } from '../../../src/euicc/index.ts';
import { projectTestCi } from '../../../src/rsp/index.ts';
import { acquireStateLock, StateLockedError } from '../../../src/server/cli/lock.ts';
import { runCli } from '../cli-helpers.ts';
import { saveEuicc } from '../../../src/server/cli/stack.ts';
import { activationCodeFor, startLocalServices } from '../../../src/server/local-services.ts';
import type { LocalServices } from '../../../src/server/local-services.ts';
import type { Order } from '../../../src/server/smdp/catalogue.ts';

const root = resolve(import.meta.dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const cliMain = join(root, 'src/server/cli/main.ts');

let dir: string;
const children: ChildProcess[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weblpa-lock-'));
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function statePath(): string {
  return join(dir, `card-${n++}.json`);
}

function newState(path: string, seed: string): void {
  const euicc = SoftwareEuicc.create({
    identity: createTestIdentity({ curve: 'P-256', seed, ci: projectTestCi('P-256') }),
  });
  saveEuicc(path, euicc);
}

/** A child process that lives until killed, and one that has already exited (a dead pid). */
function sleeper(): ChildProcess {
  const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(c);
  return c;
}

async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => c.on('exit', r));
  return c.pid ?? 0;
}

describe('acquireStateLock', () => {
  it('creates <state>.lock with pid and start time and removes it on release', async () => {
    const p = statePath();
    const lock = await acquireStateLock(p);
    const held = JSON.parse(readFileSync(`${p}.lock`, 'utf8')) as {
      pid: number;
      startedAt: string;
    };
    expect(held.pid).toBe(process.pid);
    expect(Number.isNaN(Date.parse(held.startedAt))).toBe(false);
    lock.release();
    lock.release();
    expect(existsSync(`${p}.lock`)).toBe(false);
  });

  it('a live holder makes the next one wait, then fail naming the holder pid', async () => {
    const p = statePath();
    const holder = sleeper();
    writeFileSync(`${p}.lock`, JSON.stringify({ pid: holder.pid, startedAt: 'x' }));
    const err = await acquireStateLock(p, { timeoutMs: 300, pollMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateLockedError);
    expect((err as StateLockedError).holderPid).toBe(holder.pid);
    expect((err as Error).message).toContain(`process ${holder.pid}`);
    // Once the holder is gone its lock is stale and taken over.
    holder.kill('SIGKILL');
    await new Promise((r) => holder.on('exit', r));
    const lock = await acquireStateLock(p, { timeoutMs: 300, pollMs: 20 });
    expect(JSON.parse(readFileSync(`${p}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('takes over a stale lock (pid no longer alive) at once', async () => {
    const p = statePath();
    writeFileSync(`${p}.lock`, JSON.stringify({ pid: await deadPid(), startedAt: 'x' }));
    const lock = await acquireStateLock(p, { timeoutMs: 0 });
    expect(JSON.parse(readFileSync(`${p}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('waits for a release within the timeout', async () => {
    const p = statePath();
    const first = await acquireStateLock(p);
    const second = acquireStateLock(p, { timeoutMs: 10_000, pollMs: 10 });
    setTimeout(() => {
      first.release();
    }, 100);
    (await second).release();
    expect(existsSync(`${p}.lock`)).toBe(false);
  });
});

describe('a state file the CLI refuses is left as it was', () => {
  it('euicc create refuses settings the state file could not hold', async () => {
    const p = statePath();
    const r = await runCli('euicc', 'create', '--state', p, '--default-dp-address', 'a b');
    expect(r.code).toBe(1);
    expect(r.out).toMatchObject({
      error: { code: 'badInput', message: expect.stringContaining('defaultDpAddress') as unknown },
    });
    expect(existsSync(p)).toBe(false);
  });

  it('invalid UTF-8 is refused with a clear message, never replaced and saved', async () => {
    const p = statePath();
    newState(p, 'utf8');
    const text = readFileSync(p, 'utf8');
    // A lone continuation byte inside the root SM-DS address.
    const i = text.indexOf('lpa.ds.gsma.com');
    const bytes = Buffer.concat([
      Buffer.from(text.slice(0, i), 'utf8'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(text.slice(i), 'utf8'),
    ]);
    writeFileSync(p, bytes);
    const r = await runCli('--state', p, 'profile', 'list');
    expect(r.code).toBe(1);
    expect(r.out).toMatchObject({
      error: { code: 'badInput', message: expect.stringContaining('not UTF-8') as unknown },
    });
    expect(readFileSync(p).equals(bytes)).toBe(true);
    expect(existsSync(`${p}.lock`)).toBe(false);
  });

  it('a state failing validation is refused with the field path and left unchanged', async () => {
    const p = statePath();
    newState(p, 'invalid');
    const state = JSON.parse(readFileSync(p, 'utf8')) as EuiccState;
    state.nextSeqNumber = 0;
    const text = JSON.stringify(state);
    writeFileSync(p, text);
    const r = await runCli('--state', p, 'chip', 'info');
    expect(r.code).toBe(1);
    expect(r.out).toMatchObject({
      error: { code: 'badInput', message: expect.stringContaining('nextSeqNumber') as unknown },
    });
    expect(readFileSync(p, 'utf8')).toBe(text);
  });
});

function runTsx(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(tsx, [cliMain, ...args], { cwd: root, timeout: 90_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

describe('several CLI processes on one state file', () => {
  let services: LocalServices;
  const orders: Order[] = [0, 1, 2].map((i) => {
    const payload = `8999001000008${String(i).padStart(5, '0')}`;
    return {
      matchingId: `LOCK-${i}`,
      label: `Lock ${i}`,
      reusable: false,
      iccid: payload + luhnCheckDigit(payload),
      metadata: { serviceProviderName: 'WebLPA', profileName: `Lock ${i}` },
      profile: { kind: 'generated', sizeBytes: 2048 },
    };
  });
  beforeAll(async () => {
    services = await startLocalServices({ smdpPort: 0, relayPort: 0, catalogue: orders });
  }, 60_000);
  afterAll(async () => {
    await services.close();
  });

  it('three downloads at once: all three profiles kept', async () => {
    const p = statePath();
    newState(p, 'three');
    // A generous wait: on a loaded machine three process starts and downloads take a while.
    const g = [
      '--state',
      p,
      '--lock-timeout',
      '120000',
      '--map',
      `${services.smdpAddress}=${services.smdpUrl}`,
    ];
    const results = await Promise.all(
      orders.map((o) =>
        runTsx([
          ...g,
          'profile',
          'download',
          '--ac',
          activationCodeFor(services.smdpAddress, o),
          '--yes',
        ]),
      ),
    );
    for (const r of results) expect(r.code, r.stdout + r.stderr).toBe(0);
    const card = JSON.parse(readFileSync(p, 'utf8')) as EuiccState;
    expect(card.profiles.map((x) => x.iccid).sort()).toEqual(orders.map((o) => o.iccid).sort());
    const smdp = services.state();
    expect(
      smdp.orders.filter((o) => o.matchingId.startsWith('LOCK-')).map((o) => o.installs),
    ).toEqual([1, 1, 1]);
    expect(existsSync(`${p}.lock`)).toBe(false);
  }, 180_000);

  it('SIGTERM releases the lock', async () => {
    // An "SM-DP+" that accepts connections and never answers: the CLI waits in ES9+.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const p = statePath();
      newState(p, 'sigterm');
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          cliMain,
          '--state',
          p,
          '--map',
          `smdp.example.com=http://127.0.0.1:${port}`,
          'profile',
          'download',
          '--ac',
          'LPA:1$smdp.example.com$X',
          '--yes',
        ],
        { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      children.push(child);
      child.stderr.setEncoding('utf8');
      let err = '';
      await new Promise<void>((ready, fail) => {
        const guard = setTimeout(() => {
          fail(new Error('no ES9+ call within 60 s'));
        }, 60_000);
        child.stderr.on('data', (c: string) => {
          err += c;
          if (err.includes('download: initiateAuthentication')) {
            clearTimeout(guard);
            ready();
          }
        });
      });
      expect(existsSync(`${p}.lock`)).toBe(true);
      child.kill('SIGTERM');
      const code = await new Promise((r) =>
        child.on('exit', (c) => {
          r(c);
        }),
      );
      expect(code).toBe(128 + 15);
      expect(existsSync(`${p}.lock`)).toBe(false);
    } finally {
      silent.close();
    }
  }, 90_000);
});
