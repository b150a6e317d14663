/**
 * One behaviour suite for the ES9+ relay, written against a base URL so it runs unchanged on
 * every runtime entry (Node, Deno, workerd): refusals, CORS, forwarding to a local HTTPS
 * upstream under a test CI, size limits, the deadline, health and the per-client rate limit.
 *
 * Everything is on 127.0.0.1. The relay under test must run with `relaySuiteEnv(...)`: its
 * RELAY_TEST_RESOLVE table replaces DNS (no name is ever looked up), the upstream's name is the
 * only one allowed to resolve to loopback, and the upstream's port is the only port allowed.
 */
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { expect, it } from 'vitest';
import {
  buildCertificate,
  certificateToPem,
  generateKeyPair,
  OID_EKU,
  privateKeyToPem,
  seededRng,
  TEST_NOT_AFTER,
  TEST_NOT_BEFORE,
  type EcKeyPair,
} from '../../../src/rsp/index.ts';
import { createServerPki, type CiCredentials } from '../../../src/server/smdp/credentials.ts';

export const UPSTREAM_HOST = 'testsmdpplus1.example.com';
export const APP_ORIGIN = 'https://app.weblpa.test';
/** Relayed requests a client may make at once in the suite's configuration. */
export const SUITE_BURST = 30;
const TIMEOUT_MS = 1500;
const MAX_REQUEST = 4096;
const MAX_RESPONSE = 65536;

export interface TestUpstream {
  port: number;
  /** The test CI certificate (PEM) that issued the upstream's TLS certificate. */
  caPem: string;
  close(): Promise<void>;
}

let pkiCache: CiCredentials | undefined;
function testPki(): CiCredentials {
  pkiCache ??= (
    createServerPki({
      smdpAddress: UPSTREAM_HOST,
      smdpOid: '2.999.10',
      smdsAddress: 'testsmds1.example.com',
      smdsOid: '2.999.11',
      curves: ['P-256'],
      seed: 'relay-runtimes',
    }) as [CiCredentials]
  )[0];
  return pkiCache;
}

/**
 * The upstream's TLS certificate under the test CI. 'sgp22' is the SM-DP+'s DPtls as SGP.22
 * v2.2.2 §4.5.2 profiles it (certificatePolicies marked critical); 'plain' is the same leaf
 * without certificatePolicies, which every TLS stack accepts.
 */
export type UpstreamCertificate = 'sgp22' | 'plain';

function upstreamCredential(kind: UpstreamCertificate): {
  certificate: Uint8Array;
  key: EcKeyPair;
} {
  const pki = testPki();
  if (kind === 'sgp22') return pki.dpTls;
  const key = generateKeyPair('P-256', seededRng('relay-runtimes-plain-tls'));
  const certificate = buildCertificate(
    {
      serialNumber: 0x5151n,
      subject: { country: 'XX', organization: 'WebLPA Test', commonName: UPSTREAM_HOST },
      publicKey: key.publicKey,
      curve: 'P-256',
      notBefore: TEST_NOT_BEFORE,
      notAfter: TEST_NOT_AFTER,
      isCa: false,
      keyUsage: ['digitalSignature'],
      extKeyUsage: [OID_EKU.serverAuth],
      policies: [],
      sanDnsNames: [UPSTREAM_HOST],
    },
    {
      key: pki.ci.key,
      subjectRaw: pki.ci.parsed.subjectRaw,
      ...(pki.ci.parsed.subjectKeyId ? { subjectKeyId: pki.ci.parsed.subjectKeyId } : {}),
    },
  );
  return { certificate, key };
}

/**
 * A local HTTPS server playing an SM-DP+, its certificate issued by a test CI:
 *   initiateAuthentication  200, echoes what it received (body, User-Agent, X-Admin-Protocol)
 *   getBoundProfilePackage  200 with a body larger than the suite's response limit
 *   handleNotification      never answers (the relay's deadline must end it)
 *   cancelSession           302 (a redirect the relay must not follow)
 *   es11/authenticateClient 204
 */
export async function startTestUpstream(
  certificate: UpstreamCertificate = 'plain',
): Promise<TestUpstream> {
  const pki = testPki();
  const tls = upstreamCredential(certificate);
  const sockets = new Set<Socket>();
  const server: HttpsServer = createHttpsServer(
    { cert: certificateToPem(tls.certificate), key: privateKeyToPem(tls.key) },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        if (path.endsWith('/initiateAuthentication')) {
          res.writeHead(200, {
            'content-type': 'application/json',
            'x-admin-protocol': 'gsma/rsp/v2.2.0',
          });
          res.end(
            JSON.stringify({
              received: Buffer.concat(chunks).toString('utf8'),
              userAgent: req.headers['user-agent'] ?? null,
              adminProtocol: req.headers['x-admin-protocol'] ?? null,
              host: req.headers.host ?? null,
            }),
          );
        } else if (path.endsWith('/getBoundProfilePackage')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ boundProfilePackage: 'A'.repeat(MAX_RESPONSE * 2) }));
        } else if (path.endsWith('/handleNotification')) {
          // Never answers.
        } else if (path.endsWith('/cancelSession')) {
          res.writeHead(302, { location: 'https://127.0.0.1/elsewhere' });
          res.end();
        } else {
          res.writeHead(204);
          res.end();
        }
      });
    },
  );
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no upstream port');
  return {
    port: address.port,
    caPem: certificateToPem(pki.ci.certificate),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** The environment every relay under test runs with (the variables of config.ts). */
export function relaySuiteEnv(
  upstream: TestUpstream,
  extraPorts: readonly number[] = [],
): Record<string, string> {
  return {
    RELAY_ALLOWED_ORIGINS: APP_ORIGIN,
    RELAY_ALLOWED_PORTS: [upstream.port, ...extraPorts].join(','),
    RELAY_EXTRA_CA_PEM: upstream.caPem,
    RELAY_PRIVATE_TARGET_HOSTS: UPSTREAM_HOST,
    // Test-only: replaces DNS, so no runtime ever asks a real resolver for these names.
    RELAY_TEST_RESOLVE: JSON.stringify({
      [UPSTREAM_HOST]: ['127.0.0.1'],
      'private.example.com': ['10.1.2.3'],
      'mixed.example.com': ['93.184.215.14', '192.168.7.1'],
    }),
    RELAY_TIMEOUT_MS: String(TIMEOUT_MS),
    RELAY_MAX_REQUEST_BYTES: String(MAX_REQUEST),
    RELAY_MAX_RESPONSE_BYTES: String(MAX_RESPONSE),
    RELAY_RATE_BURST: String(SUITE_BURST),
    // One token back per minute: no refill can happen while the suite runs.
    RELAY_RATE_PER_MINUTE: '1',
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Which simulated client sends it (see RelayUnderTest.clientHeaders); default client 0. */
  client?: number;
}

/** What the suite needs to know about one running relay. */
export interface RelayUnderTest {
  /** The relay's origin, e.g. http://127.0.0.1:43210. */
  origin: string;
  /** The runtime name its health answer gives. */
  runtime: string;
  upstreamPort: number;
  /**
   * How client n (n >= 1) is told apart from the others: a loopback source address for
   * runtimes keyed by the socket peer (Node, Deno), or a header set by the platform's front
   * (CF-Connecting-IP on workerd). Client 0 is the plain 127.0.0.1 caller.
   */
  clientIdentity(n: number): { localAddress?: string; headers?: Record<string, string> };
  /** Everything the relay has printed so far (its log). */
  output(): string;
}

/** One HTTP/1.1 exchange over node:http (no connection reuse), bounded by a 20 s timeout. */
export function send(
  relay: RelayUnderTest,
  path: string,
  options: SendOptions = {},
): Promise<Answer> {
  const identity = options.client === undefined ? {} : relay.clientIdentity(options.client);
  const url = new URL(path, relay.origin);
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? Buffer.from(options.body, 'utf8')
        : Buffer.from(options.body);
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: options.method ?? 'POST',
        headers: {
          ...(body !== undefined ? { 'content-length': String(body.length) } : {}),
          ...options.headers,
          ...identity.headers,
        },
        agent: false,
        ...(identity.localAddress !== undefined ? { localAddress: identity.localAddress } : {}),
        timeout: 20_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from the relay for ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

function fnPath(relay: RelayUnderTest, fn: string, authority?: string): string {
  const host = authority ?? `${UPSTREAM_HOST}:${relay.upstreamPort}`;
  const iface = fn.startsWith('es11/') ? '' : 'es9plus/';
  return `/es9p/${host}/gsma/rsp2/${iface}${fn}`;
}

const json = { 'content-type': 'application/json' };

function code(answer: Answer): string | undefined {
  return (JSON.parse(answer.text) as { code?: string }).code;
}

/** Registers the suite's tests; `get` answers the relay once the runtime is up. */
export function relaySuite(get: () => RelayUnderTest): void {
  it('answers GET /health with its runtime', async () => {
    const relay = get();
    const res = await send(relay, '/health', { method: 'GET' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ ok: true, runtime: relay.runtime });
  });

  it('forwards to the HTTPS upstream under the test CI and returns its answer with CORS', async () => {
    const relay = get();
    const payload = JSON.stringify({ euiccChallenge: 'AAAA', smdpAddress: UPSTREAM_HOST });
    const res = await send(relay, fnPath(relay, 'initiateAuthentication'), {
      headers: { ...json, origin: APP_ORIGIN, 'x-admin-protocol': 'gsma/rsp/v2.2.0' },
      body: payload,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(res.headers['x-admin-protocol']).toBe('gsma/rsp/v2.2.0');
    const echoed = JSON.parse(res.text) as Record<string, string | null>;
    expect(echoed.received).toBe(payload);
    expect(echoed.userAgent).toBe('gsma-rsp-lpad');
    expect(echoed.adminProtocol).toBe('gsma/rsp/v2.2.0');
    expect(echoed.host).toBe(`${UPSTREAM_HOST}:${relay.upstreamPort}`);
  });

  it('logs the exchange without its body', async () => {
    const relay = get();
    const secret = 'MATCHING-ID-7Q4Z-NEVER-LOGGED';
    const res = await send(relay, fnPath(relay, 'initiateAuthentication'), {
      headers: json,
      body: JSON.stringify({ matchingId: secret }),
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain(secret);
    // The log line is written before the answer; poll briefly for the pipe to deliver it.
    for (let i = 0; i < 40 && !relay.output().includes('initiateAuthentication'); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(relay.output()).toContain('es9plus/initiateAuthentication');
    expect(relay.output()).not.toContain(secret);
  });

  it('relays a 204 without a body', async () => {
    const relay = get();
    const res = await send(relay, fnPath(relay, 'es11/authenticateClient'), {
      headers: json,
      body: '{}',
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  it('answers a CORS preflight from an allowed origin and refuses other origins', async () => {
    const relay = get();
    const preflight = await send(relay, fnPath(relay, 'authenticateClient'), {
      method: 'OPTIONS',
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-admin-protocol',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('x-admin-protocol');
    const other = await send(relay, fnPath(relay, 'initiateAuthentication'), {
      headers: { ...json, origin: 'https://evil.example' },
      body: '{}',
    });
    expect(other.status).toBe(403);
    expect(code(other)).toBe('forbiddenOrigin');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses what is not an ES9+/ES11 call to an allowed public target', async () => {
    const relay = get();
    const port = relay.upstreamPort;
    const cases: { path: string; method?: string; status: number; code: string }[] = [
      { path: '/es9p/x.example.com/admin', status: 404, code: 'notFound' },
      { path: fnPath(relay, 'deleteProfile'), status: 404, code: 'notFound' },
      {
        path: fnPath(relay, 'initiateAuthentication'),
        method: 'GET',
        status: 405,
        code: 'methodNotAllowed',
      },
      {
        path: fnPath(relay, 'initiateAuthentication', UPSTREAM_HOST),
        status: 403,
        code: 'forbiddenPort',
      },
      {
        path: fnPath(relay, 'initiateAuthentication', `127.0.0.1:${port}`),
        status: 403,
        code: 'forbiddenAddress',
      },
      {
        path: fnPath(relay, 'initiateAuthentication', `169.254.169.254:${port}`),
        status: 403,
        code: 'forbiddenAddress',
      },
      {
        path: fnPath(relay, 'initiateAuthentication', `private.example.com:${port}`),
        status: 403,
        code: 'forbiddenAddress',
      },
      {
        path: fnPath(relay, 'initiateAuthentication', `mixed.example.com:${port}`),
        status: 403,
        code: 'forbiddenAddress',
      },
      {
        path: fnPath(relay, 'initiateAuthentication', `0x7f.1:${port}`),
        status: 400,
        code: 'badTarget',
      },
      {
        path: fnPath(relay, 'initiateAuthentication', `unknown.example.com:${port}`),
        status: 502,
        code: 'dnsFailure',
      },
    ];
    for (const c of cases) {
      const res = await send(relay, c.path, {
        method: c.method ?? 'POST',
        headers: json,
        ...(c.method === 'GET' ? {} : { body: '{}' }),
      });
      expect({ path: c.path, status: res.status, code: code(res) }).toEqual({
        path: c.path,
        status: c.status,
        code: c.code,
      });
    }
  });

  it('refuses a redirect from the upstream', async () => {
    const relay = get();
    const res = await send(relay, fnPath(relay, 'cancelSession'), { headers: json, body: '{}' });
    expect(res.status).toBe(502);
    expect(code(res)).toBe('upstreamRedirect');
  });

  it('bounds request and response bodies', async () => {
    const relay = get();
    const big = await send(relay, fnPath(relay, 'authenticateClient'), {
      headers: { ...json, origin: APP_ORIGIN },
      body: 'x'.repeat(MAX_REQUEST + 1),
    });
    expect(big.status).toBe(413);
    expect(code(big)).toBe('requestTooLarge');
    expect(big.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    const huge = await send(relay, fnPath(relay, 'getBoundProfilePackage'), {
      headers: json,
      body: '{}',
    });
    expect(huge.status).toBe(502);
    expect(code(huge)).toBe('responseTooLarge');
  });

  it('ends an upstream that never answers at the deadline with a 504', async () => {
    const relay = get();
    const res = await send(relay, fnPath(relay, 'handleNotification'), {
      headers: json,
      body: '{}',
    });
    expect(res.status).toBe(504);
    expect(code(res)).toBe('timeout');
  });

  it('rate-limits each client on its own: 429 with Retry-After past the burst', async () => {
    const relay = get();
    const preflight = (client: number): Promise<Answer> =>
      send(relay, fnPath(relay, 'initiateAuthentication'), {
        method: 'OPTIONS',
        headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST' },
        client,
      });
    for (let i = 0; i < SUITE_BURST; i++) expect((await preflight(1)).status).toBe(204);
    const limited = await preflight(1);
    expect(limited.status).toBe(429);
    expect(code(limited)).toBe('rateLimited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    for (let i = 0; i < 40 && !relay.output().includes('"rateLimited"'); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(relay.output()).toContain('"error":"rateLimited"');
    // Another client still has its whole burst; health is never limited.
    expect((await preflight(2)).status).toBe(204);
    expect((await send(relay, '/health', { method: 'GET', client: 1 })).status).toBe(200);
  });
}
