/**
 * Shared HTTP plumbing for the node-side services (test SM-DP+/SM-DS and the ES9+ relay).
 *
 * Every service is written as a standard fetch handler `(Request, context) => Promise<Response>`
 * so the same code runs in-process (tests, benchmarks), on Node (through `toNodeListener`) and,
 * for the relay, on edge runtimes. Only this file and the `node.ts` entries touch node:http.
 */
import { raceAbort } from '../../base/async.ts';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** What the transport knows about the caller that a Request does not carry. */
export interface RequestContext {
  /** The peer's IP address as seen by the socket (e.g. '127.0.0.1', '::1'). */
  remoteAddress: string;
}

export type FetchHandler = (request: Request, context: RequestContext) => Promise<Response>;

/** A request body larger than the configured limit. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`body larger than ${limit} bytes`);
  }
}

/**
 * Reads a body stream completely, failing with BodyTooLargeError as soon as more than `limit`
 * bytes arrived and, when `signal` is given, with its reason when it aborts; either way the rest
 * is cancelled, never buffered or left open.
 */
export async function readBodyLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const stop = (): void => {
    reader.cancel(signal?.reason).catch(() => undefined);
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const read = reader.read();
      const { done, value } = await raceAbort(read, signal);
      if (done) break;
      total += value.length;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw new BodyTooLargeError(limit);
      }
      parts.push(value);
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/** A JSON response; `body` is serialised as is. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  });
}

/** Loopback peers (IPv4, IPv6 and IPv4-mapped IPv6). */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase();
  if (a === '::1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export interface NodeListenerOptions {
  /** Hard cap on request bodies read by the adapter (the handler may apply a lower one). */
  maxBodyBytes: number;
  /** Methods passed to the handler (default ALLOWED_METHODS); any other gets 405. */
  methods?: readonly string[];
  /** Called with a one-line description of an unexpected failure (never bodies). */
  onError?: (message: string) => void;
}

/**
 * Methods the adapter passes on (RFC 9110 §9.3). TRACE, CONNECT, TRACK and anything else are
 * refused before a handler sees them; the handlers answer 405 themselves for the ones they do
 * not serve.
 */
export const ALLOWED_METHODS: readonly string[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
];

/** A request the adapter refuses before any handler sees it (a 4xx, never a 500). */
export class RequestRejectedError extends Error {
  override readonly name = 'RequestRejectedError';
  constructor(
    readonly status: 400 | 405,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The client went away (closed or reset the connection) before its request was complete. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor() {
    super('the client closed the connection before the request was complete');
  }
}

/** RFC 3986 §3.2.2 reg-name: unreserved, sub-delims and percent-encoded octets. */
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
/** RFC 3986 §3.2.2 IP-literal holding an IPv6 address (IPvFuture is not accepted). */
const IP_LITERAL = /^\[[0-9A-Fa-f:.]+\]$/;
/** RFC 9112 §3.2.1 origin-form: absolute-path [ "?" query ], pchar and percent-encoded only. */
const ORIGIN_FORM = /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;

/** RFC 9110 §5.1 field-name (a token) and §5.5 field-value (VCHAR, obs-text, SP, HTAB). */
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Checks a Host header value (RFC 9110 §7.2: uri-host [ ":" port ], RFC 3986 §3.2.2/§3.2.3) and
 * returns it normalised as a URL's host (lower case, default port dropped), or undefined when it
 * is not a valid non-empty host with a port up to 65535.
 */
export function checkHostHeader(value: string): string | undefined {
  const m = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d*))?$/.exec(value);
  if (!m) return undefined;
  const host = m[1] ?? '';
  const port = m[2];
  if (host === '') return undefined;
  if (host.startsWith('[') ? !IP_LITERAL.test(host) : !REG_NAME.test(host)) return undefined;
  if (port !== undefined && port !== '' && Number(port) > 65535) return undefined;
  try {
    return new URL(`http://${value}/`).host;
  } catch {
    return undefined;
  }
}

/** What the adapter needs from a request head (an IncomingMessage has all of it). */
export interface RequestHead {
  method?: string | undefined;
  url?: string | undefined;
  httpVersion: string;
  /** Field names and values as received, alternating (IncomingMessage.rawHeaders). */
  rawHeaders: readonly string[];
}

/** A request head that passed the guard; `asterisk` marks "OPTIONS *" (no resource). */
export interface CheckedHead {
  method: string;
  url: URL;
  headers: Headers;
  asterisk: boolean;
}

const bad = (message: string): RequestRejectedError => new RequestRejectedError(400, message);

/**
 * The request-parsing guard: everything a handler relies on is checked here, so a handler is
 * only ever called with a Request that could be built. Throws RequestRejectedError (400 or 405).
 * - method in the allow-list (else 405 with Allow);
 * - exactly one Host field with a valid host[:port] (RFC 9112 §3.2: else 400); HTTP/1.0 may omit it;
 * - request-target in origin-form, or absolute-form naming this very host (RFC 9112 §3.2.2), or
 *   "*" with OPTIONS only (RFC 9112 §3.2.4);
 * - at most one Content-Length, a plain decimal number; no Content-Length beside
 *   Transfer-Encoding, and chunked as the final transfer coding (RFC 9112 §6.1, §6.3);
 * - every field name a token and every value made of visible characters, SP and HTAB
 *   (RFC 9110 §5.1, §5.5), all acceptable to Headers().
 */
export function checkRequestHead(
  head: RequestHead,
  methods: readonly string[] = ALLOWED_METHODS,
): CheckedHead {
  const method = head.method ?? '';
  if (!methods.includes(method))
    throw new RequestRejectedError(405, `method ${JSON.stringify(method)} not allowed`, {
      allow: methods.join(', '),
    });

  const fields: [string, string][] = [];
  for (let i = 0; i + 1 < head.rawHeaders.length; i += 2)
    fields.push([head.rawHeaders[i]!.toLowerCase(), head.rawHeaders[i + 1]!]);
  const all = (name: string): string[] => fields.filter(([n]) => n === name).map(([, v]) => v);

  const hosts = all('host');
  if (hosts.length > 1) throw bad('more than one Host header');
  let host: string | undefined;
  if (hosts.length === 1) {
    host = checkHostHeader(hosts[0]!);
    if (host === undefined) throw bad('invalid Host header');
  } else if (head.httpVersion !== '1.0') throw bad('missing Host header');

  const lengths = all('content-length');
  if (lengths.length > 1) throw bad('more than one Content-Length header');
  if (lengths.length === 1 && !/^\d+$/.test(lengths[0]!)) throw bad('invalid Content-Length');
  const codings = all('transfer-encoding');
  if (codings.length > 0) {
    if (lengths.length > 0) throw bad('both Transfer-Encoding and Content-Length');
    const list = codings
      .join(',')
      .split(',')
      .map((c) => c.trim().toLowerCase());
    const chunked = list.filter((c) => c === 'chunked').length;
    if (list.at(-1) !== 'chunked' || chunked !== 1)
      throw bad('Transfer-Encoding must end with a single chunked');
  }

  const headers = new Headers();
  try {
    for (const [name, value] of fields) {
      if (!FIELD_NAME.test(name) || !FIELD_VALUE.test(value)) throw bad('invalid header field');
      headers.append(name, value);
    }
  } catch {
    throw bad('invalid header field');
  }

  const target = head.url ?? '';
  let path: string;
  let asterisk = false;
  if (target === '*') {
    if (method !== 'OPTIONS') throw bad('"*" is only valid with OPTIONS');
    path = '/';
    asterisk = true;
  } else if (target.startsWith('/')) {
    if (!ORIGIN_FORM.test(target)) throw bad('invalid request-target');
    path = target;
  } else {
    // absolute-form: accepted only when it names this server (no proxying to other hosts).
    let absolute: URL;
    try {
      absolute = new URL(target);
    } catch {
      throw bad('invalid request-target');
    }
    const authority = /^https?:\/\/([^/?#]*)/i.exec(target)?.[1];
    if (
      authority === undefined ||
      authority.includes('@') ||
      checkHostHeader(authority) === undefined ||
      absolute.host !== host
    )
      throw bad('request-target names another host');
    path = absolute.pathname + absolute.search;
    if (!ORIGIN_FORM.test(path)) throw bad('invalid request-target');
  }

  let url: URL;
  try {
    // Concatenated, never resolved: a path starting with "//" stays a path on this host.
    url = new URL(`http://${host ?? 'localhost'}${path}`);
  } catch {
    throw bad('invalid request-target');
  }
  return { method, url, headers, asterisk };
}

/**
 * Adapts a fetch handler to node:http. Every request first passes checkRequestHead (refusals get
 * 400/405 and never reach the handler); the body is read here with a hard size cap (oversize ->
 * 413 without calling the handler); a client that goes away mid-request is dropped quietly;
 * handler exceptions become a bare 500 whose body never carries a stack trace.
 */
export function toNodeListener(
  handler: FetchHandler,
  options: NodeListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serveNode(handler, options, req, res).catch(() => {
      res.destroy();
    });
  };
}

async function serveNode(
  handler: FetchHandler,
  options: NodeListenerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const head = checkRequestHead(req, options.methods ?? ALLOWED_METHODS);
    if (head.asterisk) {
      // "OPTIONS *" asks about the server as a whole (RFC 9110 §9.3.7).
      const allow = (options.methods ?? ALLOWED_METHODS).join(', ');
      await writeNodeResponse(new Response(null, { status: 204, headers: { allow } }), res);
      return;
    }
    const { method, url, headers } = head;
    let body: Uint8Array | undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      const declared = Number(req.headers['content-length'] ?? '0');
      if (declared > options.maxBodyBytes) throw new BodyTooLargeError(options.maxBodyBytes);
      body = await readNodeBody(req, options.maxBodyBytes);
    }
    const request = new Request(url, {
      method,
      headers,
      ...(body !== undefined ? { body: new Blob([body as Uint8Array<ArrayBuffer>]) } : {}),
    });
    const response = await handler(request, { remoteAddress: req.socket.remoteAddress ?? '' });
    await writeNodeResponse(response, res);
  } catch (e) {
    if (e instanceof ClientGoneError) {
      // Nobody to answer: drop what is left of the exchange.
      res.destroy();
      return;
    }
    if (e instanceof RequestRejectedError) {
      await writeNodeResponse(jsonResponse(e.status, { error: e.message }, e.headers), res, true);
      return;
    }
    if (e instanceof BodyTooLargeError) {
      await writeNodeResponse(jsonResponse(413, { error: e.message }), res, true);
      return;
    }
    options.onError?.(`unhandled ${e instanceof Error ? e.name : 'error'}`);
    await writeNodeResponse(jsonResponse(500, { error: 'internal error' }), res, true);
  }
}

function readNodeBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > limit) {
        // Stop reading: the rest of the upload is discarded, not buffered.
        req.pause();
        fail(new BodyTooLargeError(limit));
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(new Uint8Array(Buffer.concat(parts)));
    });
    // A client that closes or resets mid-body: 'error' (ECONNRESET, "aborted") and/or 'close'
    // before 'end'. Either settles the read, so the exchange never hangs or throws unhandled.
    req.on('error', () => {
      fail(new ClientGoneError());
    });
    req.on('close', () => {
      fail(new ClientGoneError());
    });
  });
}

async function writeNodeResponse(
  response: Response,
  res: ServerResponse,
  closeConnection = false,
): Promise<void> {
  if (res.headersSent || res.destroyed || res.req.socket.destroyed) {
    res.destroy();
    return;
  }
  const body = new Uint8Array(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (closeConnection) headers.connection = 'close';
  if (response.status !== 204 && response.status !== 304)
    headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(response.status === 204 ? undefined : body);
}

/**
 * Node hands CONNECT requests to a server's 'connect' event, never to the request listener, and
 * without a 'connect' listener drops the connection unanswered. These services tunnel nothing:
 * CONNECT is answered 405 like the other refused methods.
 */
function refuseConnect(server: Server): void {
  if (server.listenerCount('connect') > 0) return;
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {
      socket.destroy();
    });
    // Whatever the client still sends (a body, say) is read and dropped, so the client's close
    // is seen; a client that never closes is cut off shortly after the answer.
    socket.resume();
    const cutOff = setTimeout(() => socket.destroy(), 2000);
    cutOff.unref();
    socket.on('close', () => {
      clearTimeout(cutOff);
    });
    const body = JSON.stringify({ error: 'method "CONNECT" not allowed' });
    socket.end(
      'HTTP/1.1 405 Method Not Allowed\r\n' +
        `Allow: ${ALLOWED_METHODS.join(', ')}\r\n` +
        'Content-Type: application/json;charset=UTF-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}

/**
 * Starts listening and resolves with the bound port (use port 0 for an ephemeral one). CONNECT
 * requests, which never reach a toNodeListener handler, get 405.
 */
export function listen(server: Server, port: number, host: string): Promise<number> {
  refuseConnect(server);
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => {
      reject(e);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(address !== null && typeof address === 'object' ? address.port : port);
    });
  });
}

/** Closes a server, dropping idle keep-alive connections so the promise settles promptly. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** A URL host part: IPv6 literals go in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
