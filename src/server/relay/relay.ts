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
 * unique-local target unless configured (every resolved address is checked, and the
 * connection is pinned to the checked addresses where the runtime allows), bounded body sizes
 * and time. It never logs bodies, matching IDs or transaction IDs.
 */
import { corsHeaders, originAllowed, type OriginPolicy } from '../common/cors.ts';
import { BodyTooLargeError, jsonResponse, readBodyLimited } from '../common/http.ts';
import { blockedAddressReason, parseIpv4, parseIpv6 } from './address-check.ts';

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

/** The outbound fetch: Node supplies one trusting extra CA certificates (node.ts). */
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
  resolve: Resolver;
  /** Allow loopback/private/link-local/unique-local targets (tests against local servers). */
  allowPrivateTargets?: boolean;
  /** Target ports allowed. Default [443]. */
  allowedPorts?: readonly number[];
  /** Path prefix the relay is mounted under, e.g. '/relay'. Default ''. */
  basePath?: string;
  /** Default 64 KiB: the largest ES9+ request (authenticateClient with two certificates) is a few KiB. */
  maxRequestBytes?: number;
  /** Default 4 MiB: bound profile packages are typically tens to a few hundred KiB. */
  maxResponseBytes?: number;
  /** Default 60 s per upstream exchange. */
  timeoutMs?: number;
  /** Metadata of each exchange (never bodies, matching IDs or transaction IDs). */
  onLog?: (entry: RelayLogEntry) => void;
}

/** A refusal or failure of the relay itself; the client receives JSON {error, code}. */
export class RelayError extends Error {
  override readonly name = 'RelayError';
  constructor(
    readonly status: number,
    readonly code:
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
      | 'upstreamUnreachable'
      | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

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
    if (!HOSTNAME.test(hostname) && !parseIpv4(hostname))
      throw new RelayError(400, 'badTarget', 'invalid target host');
  }
  const port = portText === undefined ? 443 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new RelayError(400, 'badTarget', 'invalid target port');
  const hostPart = hostname.includes(':') ? `[${hostname}]` : hostname;
  const url = `https://${hostPart}${port === 443 ? '' : `:${port}`}/gsma/rsp2/${iface}/${fn}`;
  return { hostname, port, iface, fn, url };
}

/** Creates the relay's fetch handler. */
export function createRelayHandler(options: RelayOptions): (request: Request) => Promise<Response> {
  const allowedPorts = options.allowedPorts ?? [443];
  const maxRequestBytes = options.maxRequestBytes ?? 64 * 1024;
  const maxResponseBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const allowWithoutOrigin = options.allowWithoutOrigin ?? true;

  async function checkTarget(hostname: string): Promise<string[]> {
    let addresses: string[];
    if (parseIpv4(hostname) || parseIpv6(hostname)) {
      addresses = [hostname];
    } else {
      try {
        addresses = await options.resolve(hostname);
      } catch {
        throw new RelayError(502, 'dnsFailure', `cannot resolve ${hostname}`);
      }
      if (addresses.length === 0)
        throw new RelayError(502, 'dnsFailure', `cannot resolve ${hostname}`);
    }
    if (!options.allowPrivateTargets) {
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
    const addresses = await checkTarget(target.hostname);

    const headers = new Headers({
      'content-type': request.headers.get('content-type') ?? 'application/json;charset=UTF-8',
      accept: 'application/json',
      // SGP.22 §6.x HTTP binding: the LPA identifies itself with this User-Agent.
      'user-agent': 'gsma-rsp-lpad',
    });
    const admin = request.headers.get('x-admin-protocol');
    if (admin !== null) headers.set('x-admin-protocol', admin);

    const signal = AbortSignal.timeout(timeoutMs);
    let upstream: Response;
    let responseBody: Uint8Array;
    try {
      upstream = await options.upstreamFetch(
        target.url,
        { method: 'POST', headers, body, signal, redirect: 'manual' },
        { hostname: target.hostname, port: target.port, addresses },
      );
      if (upstream.status >= 300 && upstream.status < 400) {
        await upstream.body?.cancel().catch(() => undefined);
        throw new RelayError(502, 'upstreamRedirect', 'the server answered with a redirect');
      }
      const declaredResponse = Number(upstream.headers.get('content-length') ?? '0');
      if (declaredResponse > maxResponseBytes) {
        await upstream.body?.cancel().catch(() => undefined);
        throw new BodyTooLargeError(maxResponseBytes);
      }
      responseBody = await readBodyLimited(upstream.body, maxResponseBytes);
    } catch (e) {
      if (e instanceof RelayError) throw e;
      if (e instanceof BodyTooLargeError)
        throw new RelayError(
          502,
          'responseTooLarge',
          `response larger than ${maxResponseBytes} bytes`,
        );
      if (signal.aborted) throw new RelayError(504, 'timeout', 'the server did not answer in time');
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
    const noBody = upstream.status === 204 || upstream.status === 304;
    return new Response(noBody ? null : (responseBody as Uint8Array<ArrayBuffer>), {
      status: upstream.status,
      headers: out,
    });
  }

  return async (request: Request): Promise<Response> => {
    const origin = request.headers.get('origin');
    const cors = corsHeaders(options.allowedOrigins, origin);
    try {
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
      options.onLog?.({ fn: '-', host: '-', status: err.status, durationMs: 0, error: err.code });
      return jsonResponse(err.status, { error: err.message, code: err.code }, cors);
    }
  };
}
