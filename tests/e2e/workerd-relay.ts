/**
 * The ES9+ relay on workerd (the Cloudflare Workers runtime, npm package workerd) for the
 * browser journeys: the Worker bundle of `npm run build:relay` (worker.ts, built here into a
 * temporary folder) served by `workerd serve` with a generated config on 127.0.0.1.
 *
 * No DNS: every subrequest of the Worker goes through an "external" service to the local HTTPS
 * SM-DP+ (127.0.0.1:<port>), its TLS certificate checked for the SM-DP+'s name against the test
 * CI given as the only trusted certificate; RELAY_TEST_RESOLVE (test-only) replaces the 'platform'
 * name handling so the relay's own address check passes for the loopback SM-DP+.
 *
 * A workerd that cannot start fails with its output (never a skip).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRelay } from '../../src/server/relay/build.ts';
import { freePort, platformBinary, workerdRelayConfig } from '../runtimes.ts';

const STARTUP_MS = 20_000;

/** What the relay needs of the SM-DP+ it reaches (the journey's RelayedSmdp). */
export interface WorkerdUpstream {
  address: string;
  port: number;
  caPem: string;
}

export interface WorkerdRelay {
  /** The relay's base URL (…/es9p). */
  url: string;
  /** Hosts the relay forwarded to so far (from the Worker's log lines). */
  forwarded(): string[];
  /** Everything workerd wrote so far. */
  output(): string;
  close(): Promise<void>;
}

/** The relay's log line (formatLogEntry): one JSON object per exchange. */
function loggedHosts(output: string): string[] {
  const hosts: string[] = [];
  for (const line of output.split('\n')) {
    const start = line.indexOf('{"fn":');
    if (start < 0) continue;
    try {
      const entry = JSON.parse(line.slice(start)) as { host?: unknown };
      if (typeof entry.host === 'string') hosts.push(entry.host);
    } catch {
      // not a relay log line
    }
  }
  return hosts;
}

/**
 * Starts the relay on workerd for one SM-DP+, allowing the app's origin only. The SM-DP+ is
 * reached under its public-looking name on the default port 443, which the external service
 * maps to its ephemeral loopback port.
 */
export async function startWorkerdRelay(
  smdp: WorkerdUpstream,
  appOrigin: string,
): Promise<WorkerdRelay> {
  const workerd = platformBinary('workerd');
  const workDir = mkdtempSync(join(tmpdir(), 'weblpa-workerd-relay-'));
  let proc: ChildProcess | undefined;
  let out = '';
  const exited = { done: false };
  const cleanUp = async (): Promise<void> => {
    if (proc !== undefined && proc.exitCode === null && proc.signalCode === null) {
      const p = proc;
      const gone = new Promise<void>((resolve) => {
        p.once('exit', () => {
          resolve();
        });
      });
      p.kill('SIGTERM');
      const killer = setTimeout(() => p.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(killer);
    }
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const { worker } = await buildRelay(join(workDir, 'dist'), ['worker']);
    const port = await freePort();
    const env: Record<string, string> = {
      RELAY_ALLOWED_ORIGINS: appOrigin,
      RELAY_PRIVATE_TARGET_HOSTS: smdp.address,
      // Test-only: replaces the 'platform' handling of names; workerd never looks one up here.
      RELAY_TEST_RESOLVE: JSON.stringify({ [smdp.address]: ['127.0.0.1'] }),
      RELAY_CLIENT_IP_HEADER: 'none',
    };
    const config = workerdRelayConfig({
      port,
      workDir,
      worker,
      env,
      upstream: { port: smdp.port, host: smdp.address, caPem: smdp.caPem },
    });
    const configPath = join(workDir, 'relay.capnp');
    writeFileSync(configPath, config);
    const child = spawn(workerd, ['serve', configPath], {
      env: { PATH: process.env.PATH ?? '', HOME: workDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc = child;
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', (e) => (out += `\nspawn failed: ${e.message}`));
    child.once('exit', () => (exited.done = true));
    const origin = `http://127.0.0.1:${String(port)}`;
    const until = Date.now() + STARTUP_MS;
    let healthy = false;
    for (let i = 0; i < 400 && Date.now() < until && !exited.done; i++) {
      try {
        const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) {
          healthy = true;
          break;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!healthy) throw new Error(`workerd relay did not start:\n${out.slice(-4000)}`);
    return {
      url: `${origin}/es9p`,
      forwarded: () => loggedHosts(out),
      output: () => out,
      close: cleanUp,
    };
  } catch (e) {
    await cleanUp();
    throw e;
  }
}
