/**
 * The CLI killed with SIGKILL at a random moment of a download of a ONE-TIME order, then the
 * next command (`profile list`) run: every order ends either installed (profile on the card,
 * install notification delivered or pending) or, when the kill came before
 * getBoundProfilePackage, still unused at the SM-DP+. Never "used but not installed".
 *
 * The CLI runs as a real child process: the CLI bundle (src/server/cli/build.ts, what `npx
 * weblpa` runs), built once into a temporary folder, so that 60 process starts (no TypeScript
 * compiled at each) fit in the test's time on a slow machine.
 * The local SM-DP+ runs in this process on 127.0.0.1; its core is read directly.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../src/codec/index.ts';
import { createTestIdentity, SoftwareEuicc } from '../../../src/euicc/index.ts';
import type { EuiccState } from '../../../src/euicc/index.ts';
import { projectTestCi } from '../../../src/rsp/index.ts';
import { buildCli } from '../../../src/server/cli/build.ts';
import { saveEuicc } from '../../../src/server/cli/stack.ts';
import { activationCodeFor, startLocalServices } from '../../../src/server/local-services.ts';
import type { LocalServices } from '../../../src/server/local-services.ts';
import type { Order } from '../../../src/server/smdp/catalogue.ts';

const ITERATIONS = 30;
const STEP_TIMEOUT_MS = 30_000;
const root = resolve(import.meta.dirname, '../../..');

function order(i: number): Order {
  const payload = `8999001000009${String(i).padStart(5, '0')}`;
  return {
    matchingId: `KILL-${i}`,
    label: `Kill test ${i}`,
    reusable: false,
    iccid: payload + luhnCheckDigit(payload),
    metadata: {
      serviceProviderName: 'WebLPA Kill Test',
      profileName: `Kill ${i}`,
      profileClass: 'operational',
    },
    // Large enough that the package load takes a while: kills land inside it too.
    profile: { kind: 'generated', sizeBytes: 24_576 },
  };
}

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let services: LocalServices;
let dir: string;
let cliJs: string;
const orders = Array.from({ length: ITERATIONS }, (_, i) => order(i));

beforeAll(async () => {
  services = await startLocalServices({ smdpPort: 0, relayPort: 0, catalogue: orders });
  dir = mkdtempSync(join(tmpdir(), 'weblpa-kill-'));
  cliJs = (await buildCli(join(dir, 'cli'))).file;
}, 120_000);

afterAll(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Killed {
  /** The last `download:` step printed before the kill; 'exited' when it finished first. */
  lastStep: string;
  signal: NodeJS.Signals | null;
}

/** Starts a download and SIGKILLs it `delayMs` after it printed step `anchor`. */
function downloadAndKill(args: string[], anchor: string, delayMs: number): Promise<Killed> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cliJs, ...args], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let lastStep = 'started';
    let buffered = '';
    let aimed = false;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`download did not end within ${STEP_TIMEOUT_MS} ms`));
    }, STEP_TIMEOUT_MS);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const m = /^download: (\w+)$/.exec(line);
        if (!m) continue;
        lastStep = m[1]!;
        if (!aimed && lastStep === anchor) {
          aimed = true;
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
      }
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(guard);
      done({ lastStep: signal === 'SIGKILL' ? lastStep : `exited after ${lastStep}`, signal });
    });
  });
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cliJs, ...args],
      { cwd: root, timeout: STEP_TIMEOUT_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

describe('the CLI killed with SIGKILL during a one-time download', () => {
  it(`never leaves an order used but not installed (${ITERATIONS} kills)`, async () => {
    const state = join(dir, 'card.json');
    const euicc = SoftwareEuicc.create({
      identity: createTestIdentity({ curve: 'P-256', seed: 'kill', ci: projectTestCi('P-256') }),
    });
    saveEuicc(state, euicc);
    const g = ['--state', state, '--map', `${services.smdpAddress}=${services.smdpUrl}`];
    const random = seeded(0x5eed);
    // Steps the CLI prints, weighted towards the window around getBoundProfilePackage.
    const anchors = [
      'authenticateServer',
      'authenticateClient',
      'consent',
      'prepareDownload',
      'prepareDownload',
      'getBoundProfilePackage',
      'getBoundProfilePackage',
      'loadBoundProfilePackage',
      'loadBoundProfilePackage',
      'handleNotification',
    ];
    const distribution = new Map<string, number>();
    const count = (key: string): void => {
      distribution.set(key, (distribution.get(key) ?? 0) + 1);
    };

    for (const o of orders) {
      const anchor = anchors[Math.floor(random() * anchors.length)]!;
      const delayMs = Math.floor(random() * 40);
      const killed = await downloadAndKill(
        [...g, 'profile', 'download', '--ac', activationCodeFor(services.smdpAddress, o), '--yes'],
        anchor,
        delayMs,
      );

      const next = await runCli([...g, 'profile', 'list']);
      expect(next.code, next.stdout + next.stderr).toBe(0);
      const listed = JSON.parse(next.stdout) as { profiles: { iccid?: string }[] };
      const recovery = /^interrupted download \S+ \(\S+\): (\w+)$/m.exec(next.stderr)?.[1];

      const card = JSON.parse(readFileSync(state, 'utf8')) as EuiccState;
      const installed = listed.profiles.some((p) => p.iccid === o.iccid);
      const smdp = services.state();
      const orderState = smdp.orders.find((x) => x.matchingId === o.matchingId)!;
      let outcome: string;
      if (installed) {
        const delivered = smdp.notifications.some(
          (n) => n.kind === 'install' && n.iccid === o.iccid && n.verified && n.result?.success,
        );
        const pending = card.notifications.some((n) => n.event === 0 && n.iccid === o.iccid);
        expect(delivered || pending, `install notification of ${o.matchingId}`).toBe(true);
        outcome = `installed, notification ${delivered ? 'delivered' : 'pending'}`;
      } else {
        expect(
          orderState.used,
          `${o.matchingId} used but not installed (killed after ${killed.lastStep})`,
        ).toBe(false);
        outcome = 'not installed, order unused';
      }
      // Nothing is left half done for a later command.
      const journal = `${state}.sessions.json`;
      if (existsSync(journal)) expect(readFileSync(journal, 'utf8')).not.toContain('bppRequested');
      expect(existsSync(`${state}.lock`)).toBe(false);
      count(
        `killed after ${killed.lastStep} -> ${outcome}${recovery ? ` (recovery: ${recovery})` : ''}`,
      );
    }

    const lines = [...distribution.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([k, n]) => `${String(n).padStart(3)}  ${k}`);
    console.log(`SIGKILL outcomes over ${ITERATIONS} one-time downloads:\n${lines.join('\n')}`);
    // The runs must have hit both sides of getBoundProfilePackage for the test to mean much.
    const keys = [...distribution.keys()];
    expect(keys.some((k) => k.includes('order unused'))).toBe(true);
    expect(keys.some((k) => k.includes('recovery: installed'))).toBe(true);
  }, 600_000);
});
