/**
 * Node entry for the ES9+ relay: DNS resolution through the system resolver, an upstream
 * HTTPS client that trusts the system roots plus configured extra CA certificates (SM-DP+ TLS
 * certificates chain to a GSMA CI, not the Web PKI) and connects only to the addresses the
 * relay checked (no second DNS lookup an attacker could rebind), and a node:http server.
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import { createServer, type ClientRequest, type IncomingMessage, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { closeServer, listen, toNodeListener, urlHost } from '../common/http.ts';
import {
  createRelayHandler,
  type RelayOptions,
  type Resolver,
  type UpstreamFetch,
  UpstreamStatusError,
} from './relay.ts';

/** All IPv4 and IPv6 addresses of a host name, from the system resolver. */
export const nodeResolver: Resolver = async (hostname) => {
  const found: LookupAddress[] = await dns.lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => a.address);
};

export interface NodeUpstreamOptions {
  /** Extra trusted CA certificates (PEM), e.g. the GSMA CI or a test CI. */
  extraCa?: readonly string[];
}

/** Statuses whose answer has no body. */
const NULL_BODY = new Set([204, 205, 304]);

/** Node's headers of an answer, as Fetch API Headers. */
function toHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error('upstream failure');
}

/**
 * An UpstreamFetch over node:https: system roots + `extraCa`, SNI and certificate name check
 * against the target host name, connection pinned to the first checked address.
 *
 * It never throws or emits outside its promise: request creation is guarded, the pinned lookup
 * answers asynchronously (so a connect error that happens at once, e.g. an IPv6 address on a
 * host without IPv6, reaches the request's 'error' handler), every request, socket and response
 * 'error' is handled, a protocol switch (101 + Upgrade) or a status outside 200-599 rejects with
 * UpstreamStatusError, and `init.signal` aborting at any phase (connect, TLS, headers, body)
 * destroys the socket and fails the promise or the body stream.
 */
export function createNodeUpstreamFetch(options: NodeUpstreamOptions = {}): UpstreamFetch {
  const ca = [...rootCertificates, ...(options.extraCa ?? [])];
  return (url, init, target) =>
    new Promise<Response>((resolve, reject) => {
      let settled = false;
      let req: ClientRequest | undefined;
      let res: IncomingMessage | undefined;
      let socket: Socket | undefined;

      const release = (): void => {
        init.signal.removeEventListener('abort', onAbort);
      };
      // Ends the exchange: rejects the promise or, once answered, errors the body stream.
      const fail = (error: Error): void => {
        release();
        if (!settled) {
          settled = true;
          reject(error);
        }
        res?.destroy(error);
        req?.destroy(error);
        socket?.destroy();
      };
      const onAbort = (): void => {
        const reason: unknown = init.signal.reason;
        fail(reason instanceof Error ? reason : new Error('the upstream exchange was aborted'));
      };
      if (init.signal.aborted) {
        onAbort();
        return;
      }
      init.signal.addEventListener('abort', onAbort, { once: true });

      const onResponse = (answer: IncomingMessage): void => {
        res = answer;
        answer.on('error', fail);
        answer.on('close', release);
        const status = answer.statusCode ?? 0;
        // Fetch can represent 200-599 only; a 1xx here is a final answer (101 without Upgrade).
        if (!Number.isInteger(status) || status < 200 || status > 599) {
          fail(new UpstreamStatusError(status, `the server answered with HTTP status ${status}`));
          return;
        }
        try {
          const headers = toHeaders(answer);
          let body: ReadableStream<Uint8Array> | null = null;
          if (NULL_BODY.has(status)) answer.resume();
          else body = Readable.toWeb(answer) as unknown as ReadableStream<Uint8Array>;
          const response = new Response(body, { status, headers });
          settled = true;
          resolve(response);
        } catch (e) {
          fail(asError(e));
        }
      };

      try {
        const u = new URL(url);
        const pinned = target.addresses[0] ?? target.hostname;
        const family = isIP(pinned) === 6 ? 6 : 4;
        const headers: Record<string, string> = {};
        init.headers.forEach((value, name) => {
          headers[name] = value;
        });
        headers['content-length'] = String(init.body.length);
        req = httpsRequest({
          host: target.hostname,
          port: target.port,
          path: u.pathname,
          method: init.method,
          headers,
          ca,
          servername: isIP(target.hostname) === 0 ? target.hostname : undefined,
          agent: false,
          // Connect to the address that passed the relay's check, not to a fresh lookup. The
          // answer is asynchronous, as a real lookup's: a connect error raised at once must
          // find the request's error handler attached.
          lookup: (_host, opts, callback) => {
            process.nextTick(() => {
              if (typeof opts === 'object' && opts.all)
                (callback as (e: null, a: LookupAddress[]) => void)(null, [
                  { address: pinned, family },
                ]);
              else callback(null, pinned, family);
            });
          },
        });
      } catch (e) {
        fail(asError(e));
        return;
      }
      req.on('error', fail);
      req.on('socket', (s) => {
        socket = s;
        s.on('error', fail);
        if (settled) s.destroy();
      });
      req.on('response', onResponse);
      req.on('upgrade', (answer, s) => {
        s.on('error', () => undefined);
        s.destroy();
        answer.destroy();
        fail(
          new UpstreamStatusError(
            answer.statusCode,
            `the server switched protocols (HTTP ${answer.statusCode ?? 101})`,
          ),
        );
      });
      req.end(init.body);
    });
}

export interface StartRelayOptions extends Partial<Omit<RelayOptions, 'allowedOrigins'>> {
  allowedOrigins: RelayOptions['allowedOrigins'];
  host?: string;
  /** 0 for an ephemeral port. */
  port?: number;
  extraCa?: readonly string[];
}

export interface RunningRelay {
  /** Base URL to give the LPA, ending in /es9p. */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Starts the relay on node:http. */
export async function startRelay(options: StartRelayOptions): Promise<RunningRelay> {
  const host = options.host ?? '127.0.0.1';
  const handler = createRelayHandler({
    ...options,
    upstreamFetch:
      options.upstreamFetch ?? createNodeUpstreamFetch({ extraCa: options.extraCa ?? [] }),
    resolve: options.resolve ?? nodeResolver,
  });
  const maxRequestBytes = options.maxRequestBytes ?? 64 * 1024;
  const server = createServer(
    // One byte over the relay's own limit, so the handler answers oversize bodies (with CORS).
    toNodeListener((request) => handler(request), { maxBodyBytes: maxRequestBytes + 1 }),
  );
  const port = await listen(server, options.port ?? 0, host);
  return {
    url: `http://${urlHost(host)}:${port}${options.basePath ?? ''}/es9p`,
    port,
    server,
    close: () => closeServer(server),
  };
}
