/**
 * Shared HTTP plumbing for the node-side services (test SM-DP+/SM-DS and the ES9+ relay).
 *
 * Every service is written as a standard fetch handler `(Request, context) => Promise<Response>`
 * so the same code runs in-process (tests, benchmarks), on Node (through `toNodeListener`) and,
 * for the relay, on edge runtimes. Only this file and the `node.ts` entries touch node:http.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

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
 * Reads a body stream completely, failing as soon as more than `limit` bytes arrived
 * (the rest is cancelled, never buffered).
 */
export async function readBodyLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
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
  /** Called with a one-line description of an unexpected failure (never bodies). */
  onError?: (message: string) => void;
}

/**
 * Adapts a fetch handler to node:http. The request body is read here with a hard size cap
 * (oversize -> 413 without calling the handler); handler exceptions become a bare 500 whose
 * body never carries a stack trace.
 */
export function toNodeListener(
  handler: FetchHandler,
  options: NodeListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void serveNode(handler, options, req, res);
  };
}

async function serveNode(
  handler: FetchHandler,
  options: NodeListenerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const method = req.method ?? 'GET';
    const host = req.headers.host ?? 'localhost';
    const url = new URL(req.url ?? '/', `http://${host}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else headers.set(name, value);
    }
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
    if (e instanceof BodyTooLargeError) {
      await writeNodeResponse(jsonResponse(413, { error: e.message }), res, true);
      return;
    }
    options.onError?.(`unhandled ${e instanceof Error ? e.name : 'error'}`);
    await writeNodeResponse(jsonResponse(500, { error: 'internal error' }), res, true).catch(
      () => undefined,
    );
  }
}

function readNodeBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let total = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      total += chunk.length;
      if (total > limit) {
        failed = true;
        // Stop reading: the rest of the upload is discarded, not buffered.
        req.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(new Uint8Array(Buffer.concat(parts)));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

async function writeNodeResponse(
  response: Response,
  res: ServerResponse,
  closeConnection = false,
): Promise<void> {
  if (res.headersSent) {
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

/** Starts listening and resolves with the bound port (use port 0 for an ephemeral one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
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
