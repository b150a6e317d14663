/**
 * The relay's one behaviour suite (relay-suite.ts) on each runtime it ships for: Node
 * (node-main.ts), Deno (deno.ts) and workerd, the Cloudflare Workers runtime (worker.ts). The
 * Deno and workerd binaries come from the `deno` and `workerd` npm packages; a runtime that
 * cannot start fails its tests with the reason (never a silent skip). Every entry runs as the
 * bundle `npm run build:relay` produces (built here into a temp folder), Node's with plain node.
 *
 * No real DNS anywhere: every relay gets RELAY_TEST_RESOLVE (a fixed name table, test-only).
 * Node and Deno connect to the checked address (127.0.0.1) with TLS for the upstream's name.
 * workerd resolves names itself, so its config sends every subrequest of the Worker to the
 * local upstream through an "external" service (127.0.0.1:<port>, TLS checked for the
 * upstream's name against the test CI): no name reaches a resolver.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRelay } from '../../../src/server/relay/build.ts';
import {
  RELAY_ENV_NAMES,
  RelayConfigError,
  relayConfigFromEnv,
} from '../../../src/server/relay/config.ts';
import {
  createRateLimiter,
  createRelayHandler,
  type RelayTarget,
} from '../../../src/server/relay/relay.ts';
import {
  APP_ORIGIN,
  relaySuite,
  relaySuiteEnv,
  send,
  startTestUpstream,
  UPSTREAM_HOST,
  type TestUpstream,
} from './relay-suite.ts';
import { freePort, platformBinary, workerdRelayConfig } from '../../runtimes.ts';

const STARTUP_MS = 20_000;

let upstream: TestUpstream;
/** The same upstream with the SGP.22 DPtls profile (certificatePolicies marked critical). */
let sgp22Upstream: TestUpstream;
let workDir: string;
let bundles: { node: string; worker: string; deno: string };

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'relay-runtimes-'));
  const [u, s, built] = await Promise.all([
    startTestUpstream('plain'),
    startTestUpstream('sgp22'),
    buildRelay(join(workDir, 'dist')),
  ]);
  upstream = u;
  sgp22Upstream = s;
  bundles = built;
}, 60_000);

afterAll(async () => {
  await Promise.all([upstream.close(), sgp22Upstream.close()]);
  rmSync(workDir, { recursive: true, force: true });
});

/**
 * Through the relay to the upstream whose TLS certificate has the SGP.22 DPtls profile.
 * Node's TLS stack (OpenSSL) accepts its critical certificatePolicies; Deno's (rustls/webpki)
 * refuses the certificate (UnsupportedCriticalExtension; its node:tls reports it as an
 * unverifiable leaf), so a Deno relay cannot reach an SM-DP+ that presents such a certificate.
 * workerd 2026-11-23 refuses it the same way: tests/e2e/base-path.test.ts pins that (its test
 * config here routes every subrequest to the one upstream).
 */
function sgp22Exchange(origin: string): ReturnType<typeof send> {
  return send(
    {
      origin,
      runtime: '',
      upstreamPort: sgp22Upstream.port,
      clientIdentity: () => ({}),
      output: () => '',
    },
    `/es9p/${UPSTREAM_HOST}:${String(sgp22Upstream.port)}/gsma/rsp2/es9plus/initiateAuthentication`,
    { headers: { 'content-type': 'application/json', origin: APP_ORIGIN }, body: '{}' },
  );
}

describe('runtime-neutral pieces', () => {
  it('token bucket: the burst, then Retry-After until a token is back; clients apart', () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ burst: 3, perMinute: 6, maxClients: 2 }, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    // 6 per minute: one token every 10 s.
    expect(limiter.take('a')).toBe(10);
    now += 4_000;
    expect(limiter.take('a')).toBe(6);
    now += 6_000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('b')).toBe(0);
    // A third client makes the least recently seen one ('a') forgotten: it starts afresh.
    expect(limiter.take('c')).toBe(0);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
  });

  it('configuration: defaults, and a bad variable is named', () => {
    const config = relayConfigFromEnv({}, 'node');
    expect(config.options).toMatchObject({
      allowedOrigins: [],
      allowedPorts: [443],
      rateLimit: { burst: 60, perMinute: 60 },
      runtime: 'node',
    });
    expect(config.testResolver).toBeUndefined();
    expect(relayConfigFromEnv({ RELAY_RATE_BURST: '0' }, 'node').options.rateLimit).toBeUndefined();
    const bad: Record<string, string>[] = [
      { RELAY_ALLOWED_ORIGINS: 'https://app.example/path' },
      { RELAY_ALLOWED_PORTS: '443,70000' },
      { RELAY_RATE_BURST: '-1' },
      { RELAY_TIMEOUT_MS: 'soon' },
      { RELAY_EXTRA_CA_PEM: 'not a certificate' },
      { RELAY_TEST_RESOLVE: '{"a.example":"1.2.3.4"}' },
      { RELAY_BASE_PATH: 'relay' },
      { RELAY_ALLOW_WITHOUT_ORIGIN: 'maybe' },
    ];
    for (const env of bad) {
      const name = Object.keys(env)[0];
      expect(() => relayConfigFromEnv(env, 'node'), name).toThrow(RelayConfigError);
      expect(() => relayConfigFromEnv(env, 'node'), name).toThrow(`${name ?? ''}:`);
    }
  });

  it("'platform' DNS (workerd): names go to the runtime's fetch unresolved, IP literals are checked", async () => {
    const seen: RelayTarget[] = [];
    const handler = createRelayHandler({
      allowedOrigins: [],
      resolve: 'platform',
      upstreamFetch: (_url, _init, target) => {
        seen.push(target);
        return Promise.resolve(new Response('{}', { status: 200 }));
      },
    });
    const call = (host: string): Promise<Response> =>
      handler(
        new Request(`http://relay.test/es9p/${host}/gsma/rsp2/es9plus/initiateAuthentication`, {
          method: 'POST',
          body: '{}',
        }),
      );
    expect((await call('smdp.example.com')).status).toBe(200);
    expect(seen).toEqual([{ hostname: 'smdp.example.com', port: 443, addresses: [] }]);
    expect((await call('10.0.0.1')).status).toBe(403);
    expect((await call('0x7f.1')).status).toBe(400);
    expect(seen).toHaveLength(1);
  });
});

interface Child {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function startChild(file: string, args: string[], env: Record<string, string>): Child {
  let out = '';
  const proc = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  proc.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  proc.on('error', (e) => (out += `\nspawn failed: ${e.message}`));
  const exited = new Promise<void>((resolve) => {
    proc.once('exit', () => {
      resolve();
    });
  });
  return {
    proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Polls GET /health until it answers 200; fails with the child's output otherwise. */
async function waitHealthy(origin: string, child: Child, name: string): Promise<void> {
  const until = Date.now() + STARTUP_MS;
  for (let i = 0; i < 400 && Date.now() < until; i++) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) break;
    try {
      const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} relay did not start:\n${child.output().slice(-4000)}`);
}

/** Node and Deno key clients by the socket peer: client n connects from 127.0.0.(10 + n). */
const bySourceAddress = (n: number): { localAddress: string } => ({
  localAddress: `127.0.0.${String(10 + n)}`,
});

describe('relay on Node (node-main.ts bundle, plain node)', () => {
  let child: Child | undefined;
  let origin = '';
  beforeAll(async () => {
    const port = await freePort();
    child = startChild(process.execPath, [bundles.node], {
      ...relaySuiteEnv(upstream, [sgp22Upstream.port]),
      HOST: '127.0.0.1',
      PORT: String(port),
      PATH: process.env.PATH ?? '',
    });
    origin = `http://127.0.0.1:${String(port)}`;
    await waitHealthy(origin, child, 'Node');
  }, STARTUP_MS + 5000);
  afterAll(async () => {
    await child?.stop();
  });
  relaySuite(() => ({
    origin,
    runtime: 'node',
    upstreamPort: upstream.port,
    clientIdentity: bySourceAddress,
    output: () => child?.output() ?? '',
  }));
  it('reaches an upstream whose certificate has the SGP.22 DPtls profile', async () => {
    const res = await sgp22Exchange(origin);
    expect(res.status, res.text).toBe(200);
  });
});

describe('relay on Deno (deno.ts, npm package deno)', () => {
  let child: Child | undefined;
  let origin = '';
  beforeAll(async () => {
    const deno = platformBinary('deno');
    const port = await freePort();
    const env = {
      ...relaySuiteEnv(upstream, [sgp22Upstream.port]),
      HOST: '127.0.0.1',
      PORT: String(port),
    };
    child = startChild(
      deno,
      [
        'run',
        '--no-config',
        '--no-lock',
        '--no-remote',
        '--no-npm',
        '--no-prompt',
        // Listening and connecting on loopback only: the upstream connection goes to the pinned
        // 127.0.0.1 (deno.ts), its name is never looked up, and any other connection fails.
        `--allow-net=127.0.0.1`,
        `--allow-env=${RELAY_ENV_NAMES.join(',')}`,
        // node:tls rootCertificates asks for system access (there is no narrower grant for it).
        '--allow-sys',
        bundles.deno,
      ],
      {
        ...env,
        PATH: process.env.PATH ?? '',
        HOME: workDir,
        DENO_DIR: join(workDir, 'deno-cache'),
        DENO_NO_UPDATE_CHECK: '1',
        NO_COLOR: '1',
      },
    );
    origin = `http://127.0.0.1:${String(port)}`;
    await waitHealthy(origin, child, 'Deno');
  }, STARTUP_MS + 5000);
  afterAll(async () => {
    await child?.stop();
  });
  relaySuite(() => ({
    origin,
    runtime: 'deno',
    upstreamPort: upstream.port,
    clientIdentity: bySourceAddress,
    output: () => child?.output() ?? '',
  }));
  it('cannot reach an upstream whose certificate has the SGP.22 DPtls profile (known limit)', async () => {
    const res = await sgp22Exchange(origin);
    // The same CI and name with no certificatePolicies passes (the suite above): the critical
    // extension alone is refused.
    expect(res.status).toBe(502);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'untrustedCertificate' });
  });
});

describe('relay on workerd (worker.ts, npm package workerd)', () => {
  let child: Child | undefined;
  let origin = '';
  beforeAll(async () => {
    const workerd = platformBinary('workerd');
    const port = await freePort();
    const env = relaySuiteEnv(upstream);
    const config = workerdRelayConfig({
      port,
      workDir,
      worker: bundles.worker,
      env,
      upstream: { port: upstream.port, host: UPSTREAM_HOST, caPem: upstream.caPem },
    });
    const configPath = join(workDir, 'relay.capnp');
    writeFileSync(configPath, config);
    child = startChild(workerd, ['serve', configPath], {
      PATH: process.env.PATH ?? '',
      HOME: workDir,
    });
    origin = `http://127.0.0.1:${String(port)}`;
    await waitHealthy(origin, child, 'workerd');
  }, STARTUP_MS + 5000);
  afterAll(async () => {
    await child?.stop();
  });
  relaySuite(() => ({
    origin,
    runtime: 'workerd',
    upstreamPort: upstream.port,
    // On Cloudflare the platform sets CF-Connecting-IP to the client's address.
    clientIdentity: (n) => ({ headers: { 'cf-connecting-ip': `198.51.100.${String(n)}` } }),
    output: () => child?.output() ?? '',
  }));
});
