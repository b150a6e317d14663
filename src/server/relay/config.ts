/**
 * The relay's configuration from environment variables, shared by every runtime entry (Node,
 * Deno, Cloudflare Workers / workerd). Pure code: the entry passes its environment as a plain
 * record (process.env, Deno.env.toObject(), or the Worker's env bindings).
 *
 *   RELAY_ALLOWED_ORIGINS       browser origins allowed, comma-separated, or '*'. Default: none
 *                               (only callers without an Origin header, such as the CLI).
 *   RELAY_ALLOW_WITHOUT_ORIGIN  'false' refuses requests without an Origin header. Default true.
 *   RELAY_ALLOWED_PORTS         target ports, comma-separated. Default 443.
 *   RELAY_EXTRA_CA_PEM          extra trusted CA certificates (PEM, one or more), e.g. the GSMA
 *                               CI roots; Node and Deno only (see worker.ts for workerd).
 *   RELAY_RATE_BURST            requests a client may make at once. Default 60; 0 turns the
 *                               rate limit off.
 *   RELAY_RATE_PER_MINUTE       tokens given back to each client per minute. Default 60.
 *   RELAY_TIMEOUT_MS            deadline of one upstream exchange. Default 60000.
 *   RELAY_MAX_REQUEST_BYTES     Default 65536.   RELAY_MAX_RESPONSE_BYTES  Default 4194304.
 *   RELAY_BASE_PATH             path prefix the relay is mounted under, e.g. '/relay'.
 *   RELAY_PRIVATE_TARGET_HOSTS  host names that may resolve to loopback/private addresses
 *                               (a local SM-DP+), comma-separated. Default none.
 *   RELAY_TEST_RESOLVE          TESTS ONLY, never set in a deployment: JSON {"host": ["addr"]}
 *                               that replaces DNS, so tests never ask a real resolver.
 *   RELAY_CLIENT_IP_HEADER      workerd only: the header carrying the client's address for the
 *                               rate limit. Default cf-connecting-ip; 'none': one shared bucket.
 *   HOST, PORT                  where the Node and Deno entries listen (127.0.0.1, 8001).
 */
import type { OriginPolicy } from '../common/cors.ts';
import type { RelayOptions, Resolver } from './relay.ts';

export type RelayEnv = Readonly<Record<string, string | undefined>>;

/** Every variable the relay reads (a runtime that grants environment access by name needs it). */
export const RELAY_ENV_NAMES: readonly string[] = [
  'RELAY_ALLOWED_ORIGINS',
  'RELAY_ALLOW_WITHOUT_ORIGIN',
  'RELAY_ALLOWED_PORTS',
  'RELAY_EXTRA_CA_PEM',
  'RELAY_RATE_BURST',
  'RELAY_RATE_PER_MINUTE',
  'RELAY_TIMEOUT_MS',
  'RELAY_MAX_REQUEST_BYTES',
  'RELAY_MAX_RESPONSE_BYTES',
  'RELAY_BASE_PATH',
  'RELAY_PRIVATE_TARGET_HOSTS',
  'RELAY_TEST_RESOLVE',
  'RELAY_CLIENT_IP_HEADER',
  'HOST',
  'PORT',
];

/** A configuration value that cannot be used; the entry refuses to start. */
export class RelayConfigError extends Error {
  override readonly name = 'RelayConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/** The relay options an environment gives, less the runtime's resolver and upstream fetch. */
export type RelayEnvOptions = Omit<RelayOptions, 'resolve' | 'upstreamFetch'>;

export interface RelayEnvConfig {
  options: RelayEnvOptions;
  /** Extra CA certificates (PEM blocks), for the runtimes that can use them. */
  extraCa: string[];
  /** The test-only resolver from RELAY_TEST_RESOLVE, when set. */
  testResolver?: Resolver;
  host: string;
  port: number;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function integer(env: RelayEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new RelayConfigError(name, `expected a whole number from ${min} to ${max}, got ${text}`);
  return n;
}

function origins(text: string | undefined): OriginPolicy {
  if (text?.trim() === '*') return '*';
  const out = list(text);
  for (const o of out) {
    let parsed: URL;
    try {
      parsed = new URL(o);
    } catch {
      throw new RelayConfigError('RELAY_ALLOWED_ORIGINS', `${o} is not an origin`);
    }
    if (parsed.origin !== o)
      throw new RelayConfigError(
        'RELAY_ALLOWED_ORIGINS',
        `${o} is not an origin (write scheme://host[:port], e.g. ${parsed.origin})`,
      );
  }
  return out;
}

/** Splits PEM text into its certificate blocks. */
export function pemCertificates(text: string | undefined): string[] {
  if (text === undefined) return [];
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (text.trim() !== '' && blocks === null)
    throw new RelayConfigError('RELAY_EXTRA_CA_PEM', 'no PEM certificate found');
  return (blocks ?? []).map((b) => `${b}\n`);
}

function testResolver(text: string | undefined): Resolver | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RelayConfigError('RELAY_TEST_RESOLVE', 'not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new RelayConfigError('RELAY_TEST_RESOLVE', 'expected {"host": ["address", ...]}');
  const table = new Map<string, string[]>();
  for (const [host, addrs] of Object.entries(parsed)) {
    if (!Array.isArray(addrs) || !addrs.every((a): a is string => typeof a === 'string'))
      throw new RelayConfigError('RELAY_TEST_RESOLVE', `${host}: expected a list of addresses`);
    table.set(host.toLowerCase(), addrs);
  }
  return (hostname) => {
    const found = table.get(hostname);
    return found === undefined
      ? Promise.reject(new Error(`${hostname} is not in RELAY_TEST_RESOLVE`))
      : Promise.resolve(found);
  };
}

/** Reads the relay's configuration; throws RelayConfigError naming the bad variable. */
export function relayConfigFromEnv(env: RelayEnv, runtime: string): RelayEnvConfig {
  const burst = integer(env, 'RELAY_RATE_BURST', 60, 0, 1_000_000);
  const perMinute = integer(env, 'RELAY_RATE_PER_MINUTE', 60, 0, 1_000_000);
  const withoutOrigin = env.RELAY_ALLOW_WITHOUT_ORIGIN?.trim().toLowerCase();
  if (withoutOrigin !== undefined && !['', 'true', 'false'].includes(withoutOrigin))
    throw new RelayConfigError('RELAY_ALLOW_WITHOUT_ORIGIN', 'expected true or false');
  const basePath = (env.RELAY_BASE_PATH ?? '').trim().replace(/\/+$/, '');
  if (basePath !== '' && !/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath))
    throw new RelayConfigError('RELAY_BASE_PATH', 'expected a path such as /relay');
  const ports = list(env.RELAY_ALLOWED_PORTS).map((p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      throw new RelayConfigError('RELAY_ALLOWED_PORTS', `${p} is not a port`);
    return n;
  });
  const resolver = testResolver(env.RELAY_TEST_RESOLVE);
  const options: RelayEnvOptions = {
    allowedOrigins: origins(env.RELAY_ALLOWED_ORIGINS),
    allowWithoutOrigin: withoutOrigin !== 'false',
    allowedPorts: ports.length > 0 ? ports : [443],
    basePath,
    privateTargetHosts: list(env.RELAY_PRIVATE_TARGET_HOSTS).map((h) => h.toLowerCase()),
    timeoutMs: integer(env, 'RELAY_TIMEOUT_MS', 60_000, 1, 600_000),
    maxRequestBytes: integer(env, 'RELAY_MAX_REQUEST_BYTES', 64 * 1024, 1, 16 * 1024 * 1024),
    maxResponseBytes: integer(
      env,
      'RELAY_MAX_RESPONSE_BYTES',
      4 * 1024 * 1024,
      1,
      64 * 1024 * 1024,
    ),
    runtime,
    ...(burst > 0 ? { rateLimit: { burst, perMinute } } : {}),
  };
  return {
    options,
    extraCa: pemCertificates(env.RELAY_EXTRA_CA_PEM),
    ...(resolver !== undefined ? { testResolver: resolver } : {}),
    host: (env.HOST ?? '').trim() || '127.0.0.1',
    port: integer(env, 'PORT', 8001, 0, 65535),
  };
}

/** One log line per exchange: metadata only, never bodies, matching IDs or transaction IDs. */
export function formatLogEntry(entry: {
  fn: string;
  host: string;
  status: number;
  durationMs: number;
  error?: string;
}): string {
  return JSON.stringify({
    fn: entry.fn,
    host: entry.host,
    status: entry.status,
    ms: entry.durationMs,
    ...(entry.error !== undefined ? { error: entry.error } : {}),
  });
}
