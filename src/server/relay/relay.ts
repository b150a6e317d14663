/**
 * The ES9+/ES11 relay: a standard fetch handler that lets a browser LPA reach SM-DP+ and SM-DS
 * servers that send no CORS headers and whose TLS certificates chain to a GSMA CI rather than
 * the Web PKI. The same code runs on Node (see node.ts) and on edge runtimes, which inject
 * their own DNS resolver and upstream fetch.
 *
 * URL scheme (shared with src/es9p/endpoint.ts):
 *   POST <relay>/es9p/<host[:port]>/gsma/rsp2/es9plus/<function>
 *     -> POST https://<host[:port]>/gsma/rsp2/es9plus/<function>
 *   and the same for /gsma/rsp2/es11/<function>.
 *
 * It refuses to be an open proxy: only POST (and the CORS preflight), only the ES9+/ES11
 * function paths, only port 443 unless configured, never a loopback/private/link-local/
 * unique-local or other special-purpose target unless configured (see address-check.ts; every
 * resolved address is checked, and the connection is pinned to the checked addresses where the
 * runtime allows), no host name a resolver could read as a number, bounded body sizes, and one
 * deadline over the whole upstream exchange (lookup, connect, TLS, headers and body). Every
 * failure becomes a JSON answer {error, code}. It never logs bodies, matching IDs or
 * transaction IDs.
 *
 * Also runtime-neutral: `GET <basePath>/health` answers {ok: true, runtime}, and a token bucket
 * per client address (given by the runtime entry: the socket peer on Node and Deno,
 * CF-Connecting-IP on Cloudflare) answers 429 with Retry-After once a client spends its burst.
 * Entries: node.ts and node-main.ts (Node), worker.ts (Cloudflare Workers / workerd), deno.ts.
 */
import { corsHeaders, originAllowed, type OriginPolicy } from '../common/cors.ts';
import { raceAbort } from '../../base/async.ts';
import { BodyTooLargeError, jsonResponse, readBodyLimited } from '../common/http.ts';
import { blockedAddressReason, looksNumeric, parseIpv4, parseIpv6 } from './address-check.ts';

/** Where a relayed request goes, after validation. */
export interface RelayTarget {
  /** Host name or IP literal (IPv6 without brackets). */
  hostname: string;
  port: number;
  /** The addresses that passed the target check; a runtime that can should connect to these. */
  addresses: readonly string[];
}

export interface UpstreamInit {
  method: 'POST';
  headers: Headers;
  body: Uint8Array;
  signal: AbortSignal;
  redirect: 'manual';
}

/**
 * The outbound fetch: Node supplies one trusting extra CA certificates (node.ts). It must stop
 * (and free its connection) when `init.signal` aborts, at any phase including the body stream,
 * and reject with UpstreamStatusError for an answer that cannot be relayed.
 */
export type UpstreamFetch = (
  url: string,
  init: UpstreamInit,
  target: RelayTarget,
) => Promise<Response>;

/** Resolves a host name to all of its IPv4 and IPv6 addresses. */
export type Resolver = (hostname: string) => Promise<string[]>;

export interface RelayLogEntry {
  fn: string;
  host: string;
  status: number;
  durationMs: number;
  error?: string;
}

export interface RelayOptions {
  /** Browser origins allowed to use the relay; others get 403. */
  allowedOrigins: OriginPolicy;
  /** Requests without an Origin header (CLI, server-side callers). Default true. */
  allowWithoutOrigin?: boolean;
  upstreamFetch: UpstreamFetch;
  /**
   * DNS for the address check. 'platform': the runtime's fetch resolves host names itself and
   * offers no lookup (Cloudflare Workers, workerd): only IP literal targets are checked here,
   * and the runtime's own network policy must keep host names off private addresses (see
   * worker.ts).
   */
  resolve: Resolver | 'platform';
  /** Allow loopback/private/link-local/unique-local targets (tests against local servers). */
  allowPrivateTargets?: boolean;
  /**
   * Host names (lower case) whose addresses may be loopback/private, as if
   * allowPrivateTargets held for them alone: a local SM-DP+ beside public ones. IP literals and
   * every other name stay checked.
   */
  privateTargetHosts?: readonly string[];
  /** Target ports allowed. Default [443]. */
  allowedPorts?: readonly number[];
  /** Path prefix the relay is mounted under, e.g. '/relay'. Default ''. */
  basePath?: string;
  /** Default 64 KiB: the largest ES9+ request (authenticateClient with two certificates) is a few KiB. */
  maxRequestBytes?: number;
  /** Default 4 MiB: bound profile packages are typically tens to a few hundred KiB. */
  maxResponseBytes?: number;
  /** Default 60 s for the whole upstream exchange: lookup, connect, TLS, headers and body. */
  timeoutMs?: number;
  /** Metadata of each exchange (never bodies, matching IDs or transaction IDs). */
  onLog?: (entry: RelayLogEntry) => void;
  /** Per-client token bucket; absent: no rate limit. */
  rateLimit?: RateLimitOptions;
  /** Named in the health answer, e.g. 'node', 'deno', 'workerd'. Default 'unknown'. */
  runtime?: string;
  /** Clock for the rate limit, in milliseconds. Default Date.now. */
  now?: () => number;
}

export interface RateLimitOptions {
  /** Requests a client may make at once (the bucket's size). */
  burst: number;
  /** Tokens added back per minute. */
  perMinute: number;
  /** Clients tracked at most; the least recently seen is forgotten first. Default 10,000. */
  maxClients?: number;
}

/** What the runtime knows about the caller that a Request does not carry. */
export interface RelayClientInfo {
  /**
   * The client's address as the runtime sees it (socket peer, or CF-Connecting-IP on
   * Cloudflare). Requests without one share a single bucket.
   */
  clientAddress?: string;
}

export type RelayHandler = (request: Request, client?: RelayClientInfo) => Promise<Response>;

interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * Token buckets keyed by client address. `take` answers 0 when a token was spent, otherwise
 * the whole seconds until the next one (for Retry-After).
 */
export function createRateLimiter(
  options: RateLimitOptions,
  now: () => number = Date.now,
): { take(key: string): number } {
  const maxClients = options.maxClients ?? 10_000;
  const perMs = options.perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  return {
    take(key: string): number {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = { tokens: options.burst, updated: t };
        if (buckets.size >= maxClients) {
          const oldest = buckets.keys().next();
          if (oldest.done !== true) buckets.delete(oldest.value);
        }
      } else {
        buckets.delete(key);
        bucket.tokens = Math.min(
          options.burst,
          bucket.tokens + Math.max(0, t - bucket.updated) * perMs,
        );
        bucket.updated = t;
      }
      // Re-inserted so that the Map's order is least recently seen first.
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      if (perMs <= 0) return 3600;
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
  };
}

/** A refusal or failure of the relay itself; the client receives JSON {error, code}. */
export class RelayError extends Error {
  override readonly name = 'RelayError';
  constructor(
    readonly status: number,
    readonly reason:
      | 'forbiddenOrigin'
      | 'methodNotAllowed'
      | 'notFound'
      | 'badTarget'
      | 'forbiddenPort'
      | 'forbiddenAddress'
      | 'dnsFailure'
      | 'requestTooLarge'
      | 'responseTooLarge'
      | 'upstreamRedirect'
      | 'badUpstreamStatus'
      | 'upstreamUnreachable'
      | 'untrustedCertificate'
      | 'rateLimited'
      | 'timeout',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * An upstream answer the relay cannot pass on: a status outside 200-599 (which the Fetch API
 * cannot represent), an informational status as the final answer, or a protocol switch (101).
 */
export class UpstreamStatusError extends Error {
  override readonly name = 'UpstreamStatusError';
  constructor(
    /** The status line's code, when there was one. */
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The upstream's TLS certificate was refused (untrusted issuer, expired, wrong name...). The
 * message names the issuer where the runtime can see it; `tlsCode` is the TLS layer's code.
 */
export class UpstreamCertificateError extends Error {
  override readonly name = 'UpstreamCertificateError';
  constructor(
    readonly tlsCode: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Statuses whose answer has no body (Fetch standard "null body status", less 101/103). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

const ES9PLUS_FUNCTIONS = new Set([
  'initiateAuthentication',
  'authenticateClient',
  'getBoundProfilePackage',
  'handleNotification',
  'cancelSession',
]);
const ES11_FUNCTIONS = new Set(['initiateAuthentication', 'authenticateClient']);

/** RFC 1123 host name: labels of letters, digits and inner hyphens, at most 253 characters. */
const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export interface ParsedRelayPath {
  hostname: string;
  port: number;
  /** 'es9plus' or 'es11'. */
  iface: string;
  fn: string;
  /** The upstream URL. */
  url: string;
}

/** Parses `<basePath>/es9p/<host[:port]>/gsma/rsp2/<iface>/<fn>`; throws RelayError. */
export function parseRelayPath(pathname: string, basePath = ''): ParsedRelayPath {
  const prefix = `${basePath}/es9p/`;
  if (!pathname.startsWith(prefix)) throw new RelayError(404, 'notFound', 'unknown path');
  const rest = pathname.slice(prefix.length);
  const m = /^([^/]+)\/gsma\/rsp2\/(es9plus|es11)\/([A-Za-z]+)$/.exec(rest);
  if (!m) throw new RelayError(404, 'notFound', 'not an ES9+/ES11 function path');
  const authority = m[1]!.toLowerCase();
  const iface = m[2]!;
  const fn = m[3]!;
  const known = iface === 'es9plus' ? ES9PLUS_FUNCTIONS : ES11_FUNCTIONS;
  if (!known.has(fn)) throw new RelayError(404, 'notFound', `unknown function ${iface}/${fn}`);

  let hostname: string;
  let portText: string | undefined;
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d+))?$/.exec(authority);
  if (v6) {
    hostname = v6[1]!;
    portText = v6[2];
    if (!parseIpv6(hostname)) throw new RelayError(400, 'badTarget', 'invalid IPv6 address');
  } else {
    const hp = /^([^:]+)(?::(\d+))?$/.exec(authority);
    if (!hp) throw new RelayError(400, 'badTarget', 'invalid target host');
    hostname = hp[1]!;
    portText = hp[2];
    if (!parseIpv4(hostname)) {
      if (!HOSTNAME.test(hostname)) throw new RelayError(400, 'badTarget', 'invalid target host');
      // `0127.0.0.1`, `0x7f.1`, `127.1`, `2130706433`: the system resolver reads these as IPv4
      // numbers (87.0.0.1, 127.0.0.1, ...), so they never reach a lookup.
      if (looksNumeric(hostname))
        throw new RelayError(
          400,
          'badTarget',
          `${hostname} is not a valid host: write an IPv4 address as four decimal numbers without leading zeros`,
        );
    }
  }
  const port = portText === undefined ? 443 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new RelayError(400, 'badTarget', 'invalid target port');
  const hostPart = hostname.includes(':') ? `[${hostname}]` : hostname;
  const url = `https://${hostPart}${port === 443 ? '' : `:${port}`}/gsma/rsp2/${iface}/${fn}`;
  return { hostname, port, iface, fn, url };
}

/** Drops an upstream body that will not be read (without waiting for the cancellation). */
function discard(response: Response): void {
  if (response.body !== null && !response.bodyUsed) response.body.cancel().catch(() => undefined);
}

/** Creates the relay's fetch handler. */
export function createRelayHandler(options: RelayOptions): RelayHandler {
  const allowedPorts = options.allowedPorts ?? [443];
  const maxRequestBytes = options.maxRequestBytes ?? 64 * 1024;
  const maxResponseBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const allowWithoutOrigin = options.allowWithoutOrigin ?? true;
  const basePath = options.basePath ?? '';
  const privateHosts = new Set(options.privateTargetHosts ?? []);
  const limiter =
    options.rateLimit === undefined ? undefined : createRateLimiter(options.rateLimit, options.now);

  async function checkTarget(hostname: string, deadline: AbortSignal): Promise<string[]> {
    let addresses: string[];
    if (parseIpv4(hostname) || parseIpv6(hostname)) {
      addresses = [hostname];
    } else if (options.resolve === 'platform') {
      return [];
    } else {
      try {
        addresses = await raceAbort(options.resolve(hostname), deadline);
      } catch (e) {
        if (deadline.aborted)
          throw new RelayError(504, 'timeout', `cannot resolve ${hostname} in time`);
        throw new RelayError(502, 'dnsFailure', `cannot resolve ${hostname}`, { cause: e });
      }
      if (addresses.length === 0)
        throw new RelayError(502, 'dnsFailure', `cannot resolve ${hostname}`);
    }
    if (!options.allowPrivateTargets && !privateHosts.has(hostname)) {
      for (const a of addresses) {
        const reason = blockedAddressReason(a);
        if (reason !== undefined)
          throw new RelayError(403, 'forbiddenAddress', `target address is ${reason}`);
      }
    }
    return addresses;
  }

  async function relay(request: Request, cors: Record<string, string>): Promise<Response> {
    const started = Date.now();
    const target = parseRelayPath(new URL(request.url).pathname, options.basePath ?? '');
    if (request.method !== 'POST')
      throw new RelayError(405, 'methodNotAllowed', 'only POST is relayed');
    if (!allowedPorts.includes(target.port))
      throw new RelayError(403, 'forbiddenPort', `port ${target.port} is not allowed`);
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > maxRequestBytes)
      throw new RelayError(
        413,
        'requestTooLarge',
        `request body larger than ${maxRequestBytes} bytes`,
      );
    let body: Uint8Array;
    try {
      body = await readBodyLimited(request.body, maxRequestBytes);
    } catch (e) {
      if (e instanceof BodyTooLargeError)
        throw new RelayError(
          413,
          'requestTooLarge',
          `request body larger than ${maxRequestBytes} bytes`,
        );
      throw e;
    }

    // One deadline for the whole upstream exchange: lookup, connect, TLS, headers and body.
    const deadline = new AbortController();
    const timer = setTimeout(() => {
      deadline.abort(new RelayError(504, 'timeout', 'the server did not answer in time'));
    }, timeoutMs);
    try {
      return await exchange(target, request, body, cors, deadline.signal, started);
    } finally {
      clearTimeout(timer);
    }
  }

  async function exchange(
    target: ParsedRelayPath,
    request: Request,
    body: Uint8Array,
    cors: Record<string, string>,
    signal: AbortSignal,
    started: number,
  ): Promise<Response> {
    const addresses = await checkTarget(target.hostname, signal);

    const headers = new Headers({
      'content-type': request.headers.get('content-type') ?? 'application/json;charset=UTF-8',
      accept: 'application/json',
      // SGP.22 §6.x HTTP binding: the LPA identifies itself with this User-Agent.
      'user-agent': 'gsma-rsp-lpad',
    });
    const admin = request.headers.get('x-admin-protocol');
    if (admin !== null) headers.set('x-admin-protocol', admin);

    let upstream: Response;
    let responseBody: Uint8Array;
    try {
      upstream = await raceAbort(
        options.upstreamFetch(
          target.url,
          { method: 'POST', headers, body, signal, redirect: 'manual' },
          { hostname: target.hostname, port: target.port, addresses },
        ),
        signal,
      );
      if (upstream.status >= 300 && upstream.status < 400) {
        discard(upstream);
        throw new RelayError(502, 'upstreamRedirect', 'the server answered with a redirect');
      }
      const declaredResponse = Number(upstream.headers.get('content-length') ?? '0');
      if (declaredResponse > maxResponseBytes) {
        discard(upstream);
        throw new BodyTooLargeError(maxResponseBytes);
      }
      if (NULL_BODY_STATUSES.has(upstream.status)) {
        discard(upstream);
        responseBody = new Uint8Array(0);
      } else {
        responseBody = await readBodyLimited(upstream.body, maxResponseBytes, signal);
      }
    } catch (e) {
      if (signal.aborted) throw new RelayError(504, 'timeout', 'the server did not answer in time');
      if (e instanceof RelayError) throw e;
      if (e instanceof BodyTooLargeError)
        throw new RelayError(
          502,
          'responseTooLarge',
          `response larger than ${maxResponseBytes} bytes`,
        );
      if (e instanceof UpstreamStatusError)
        throw new RelayError(502, 'badUpstreamStatus', e.message);
      if (e instanceof UpstreamCertificateError)
        throw new RelayError(502, 'untrustedCertificate', e.message);
      throw new RelayError(
        502,
        'upstreamUnreachable',
        `cannot reach ${target.hostname}: ${e instanceof Error ? e.message : 'network error'}`,
      );
    }
    const out: Record<string, string> = { ...cors };
    const contentType = upstream.headers.get('content-type');
    if (contentType !== null) out['content-type'] = contentType;
    const adminOut = upstream.headers.get('x-admin-protocol');
    if (adminOut !== null) out['x-admin-protocol'] = adminOut;
    options.onLog?.({
      fn: `${target.iface}/${target.fn}`,
      host: target.hostname,
      status: upstream.status,
      durationMs: Date.now() - started,
    });
    const noBody = NULL_BODY_STATUSES.has(upstream.status);
    return new Response(noBody ? null : (responseBody as Uint8Array<ArrayBuffer>), {
      status: upstream.status,
      headers: out,
    });
  }

  return async (request: Request, client?: RelayClientInfo): Promise<Response> => {
    const origin = request.headers.get('origin');
    const cors = corsHeaders(options.allowedOrigins, origin);
    try {
      if (new URL(request.url).pathname === `${basePath}/health`) {
        if (request.method !== 'GET' && request.method !== 'HEAD')
          throw new RelayError(405, 'methodNotAllowed', 'health answers GET only');
        return jsonResponse(
          200,
          { ok: true, runtime: options.runtime ?? 'unknown' },
          {
            'cache-control': 'no-store',
          },
        );
      }
      if (limiter !== undefined) {
        const wait = limiter.take(client?.clientAddress ?? '');
        if (wait > 0) {
          options.onLog?.({ fn: '-', host: '-', status: 429, durationMs: 0, error: 'rateLimited' });
          return jsonResponse(
            429,
            { error: `too many requests: retry in ${wait} s`, code: 'rateLimited' },
            { ...cors, 'retry-after': String(wait) },
          );
        }
      }
      if (origin !== null ? !originAllowed(options.allowedOrigins, origin) : !allowWithoutOrigin)
        throw new RelayError(403, 'forbiddenOrigin', 'origin not allowed');
      if (request.method === 'OPTIONS') {
        parseRelayPath(new URL(request.url).pathname, options.basePath ?? '');
        return new Response(null, { status: 204, headers: cors });
      }
      return await relay(request, cors);
    } catch (e) {
      const err =
        e instanceof RelayError ? e : new RelayError(502, 'upstreamUnreachable', 'relay failure');
      options.onLog?.({ fn: '-', host: '-', status: err.status, durationMs: 0, error: err.reason });
      return jsonResponse(err.status, { error: err.message, code: err.reason }, cors);
    }
  };
}
