/**
 * Node entry for the ES9+ relay: DNS resolution through the system resolver, an upstream
 * HTTPS client that trusts Node's bundled roots, the GSMA RSP2 Root CI1 (SM-DP+ TLS certificates
 * chain to a GSMA CI, not the Web PKI; on by default) and configured extra CA certificates, and
 * connects only to the addresses the relay checked (no second DNS lookup an attacker could
 * rebind), and a node:http server. A certificate it refuses is reported with its issuer.
 */
import { X509Certificate } from 'node:crypto';
import { promises as dns, type LookupAddress } from 'node:dns';
import { createServer, type ClientRequest, type IncomingMessage, type Server } from 'node:http';
import { request as httpsRequest, type RequestOptions as HttpsRequestOptions } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import {
  createSecureContext,
  type ConnectionOptions,
  rootCertificates,
  type DetailedPeerCertificate,
  type SecureContext,
  TLSSocket,
} from 'node:tls';
import { closeServer, listen, toNodeListener, urlHost } from '../common/http.ts';
import {
  createRelayHandler,
  type RelayOptions,
  type Resolver,
  type UpstreamFetch,
  UpstreamCertificateError,
  UpstreamStatusError,
} from './relay.ts';
import { GSMA_RSP2_ROOT_CI1_PEM } from './gsma-ci.ts';
import { describeCertificateFailure, isCertificateErrorCode } from './peer-certificate.ts';

/** All IPv4 and IPv6 addresses of a host name, from the system resolver. */
export const nodeResolver: Resolver = async (hostname) => {
  const found: LookupAddress[] = await dns.lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => a.address);
};

export interface NodeUpstreamOptions {
  /** Extra trusted CA certificates (PEM), e.g. a test CI or another GSMA CI. */
  extraCa?: readonly string[];
  /** Trust the GSMA RSP2 Root CI1 (src/server/relay/gsma-ci.ts). Default true. */
  trustGsmaCi?: boolean;
}

/** A configured CA certificate Node cannot use as a trust anchor. */
export class RelayCaError extends Error {
  override readonly name = 'RelayCaError';
  constructor(
    /** Position of the certificate in `extraCa`. */
    readonly index: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The upstream TLS trust anchors, in PEM: Node's bundled roots, the GSMA RSP2 Root CI1 unless
 * turned off, and `extraCa`. Each extra certificate is checked on its own, so a bad one is
 * named (RelayCaError).
 */
export function upstreamTrustAnchors(options: NodeUpstreamOptions = {}): string[] {
  const extra = options.extraCa ?? [];
  extra.forEach((pem, index) => {
    // One entry may hold several certificates (a CA bundle file); each must parse, because the
    // TLS layer itself would skip a damaged one without a word.
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0)
      throw new RelayCaError(index, `extra CA certificate ${index + 1} is not a PEM certificate`);
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch (e) {
        throw new RelayCaError(
          index,
          `extra CA certificate ${index + 1} cannot be used as a trust anchor: ${e instanceof Error ? e.message : String(e)}`,
          { cause: e },
        );
      }
    }
  });
  return [
    ...rootCertificates,
    ...(options.trustGsmaCi === false ? [] : [GSMA_RSP2_ROOT_CI1_PEM]),
    ...extra,
  ];
}

/** The upstream trust (upstreamTrustAnchors) as a TLS context, built once per relay. */
export function upstreamSecureContext(options: NodeUpstreamOptions = {}): SecureContext {
  return createSecureContext({ ca: upstreamTrustAnchors(options) });
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
 * An UpstreamFetch over node:https: bundled roots + GSMA RSP2 Root CI1 (unless `trustGsmaCi` is
 * false) + `extraCa`, SNI and certificate name check against the target host name, connection
 * pinned to the first checked address. A certificate the TLS layer refuses rejects with
 * UpstreamCertificateError naming the issuer the server's chain ends at (CN, O, key id): the
 * peer certificate is read when the handshake completes, before Node tears the socket down.
 * Throws RelayCaError at once when an `extraCa` entry is unusable.
 *
 * It never throws or emits outside its promise: request creation is guarded, the pinned lookup
 * answers asynchronously (so a connect error that happens at once, e.g. an IPv6 address on a
 * host without IPv6, reaches the request's 'error' handler), every request, socket and response
 * 'error' is handled, a protocol switch (101 + Upgrade) or a status outside 200-599 rejects with
 * UpstreamStatusError, and `init.signal` aborting at any phase (connect, TLS, headers, body)
 * destroys the socket and fails the promise or the body stream.
 */
export function createNodeUpstreamFetch(options: NodeUpstreamOptions = {}): UpstreamFetch {
  const secureContext = upstreamSecureContext(options);
  return (url, init, target) =>
    new Promise<Response>((resolve, reject) => {
      let settled = false;
      let req: ClientRequest | undefined;
      let res: IncomingMessage | undefined;
      let socket: Socket | undefined;
      // The server's certificate chain, kept when the handshake completes (see 'secure' below).
      let peer: DetailedPeerCertificate | undefined;

      const release = (): void => {
        init.signal.removeEventListener('abort', onAbort);
      };
      // Ends the exchange: rejects the promise or, once answered, errors the body stream.
      const fail = (failure: Error): void => {
        const code = (failure as NodeJS.ErrnoException).code;
        const error = isCertificateErrorCode(code)
          ? new UpstreamCertificateError(
              code,
              describeCertificateFailure(target.hostname, code, peer),
              { cause: failure },
            )
          : failure;
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
        const requestOptions: HttpsRequestOptions & Pick<ConnectionOptions, 'secureContext'> = {
          host: target.hostname,
          port: target.port,
          path: u.pathname,
          method: init.method,
          headers,
          secureContext,
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
        };
        // tls.connect takes the prebuilt trust (secureContext) from the request options.
        req = httpsRequest(requestOptions);
      } catch (e) {
        fail(asError(e));
        return;
      }
      req.on('error', fail);
      req.on('socket', (s) => {
        socket = s;
        s.on('error', fail);
        // Node's TLS client verifies the chain in its own 'secure' listener and destroys the
        // socket on failure, after which the peer certificate is gone: read it first.
        if (s instanceof TLSSocket)
          s.prependListener('secure', () => {
            try {
              peer = s.getPeerCertificate(true);
            } catch {
              peer = undefined;
            }
          });
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
  /** Extra trusted CA certificates (PEM) for upstream TLS, e.g. a test CI. */
  extraCa?: readonly string[];
  /** Trust the GSMA RSP2 Root CI1 for upstream TLS. Default true. */
  trustGsmaCi?: boolean;
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
      options.upstreamFetch ??
      createNodeUpstreamFetch({
        extraCa: options.extraCa ?? [],
        ...(options.trustGsmaCi !== undefined ? { trustGsmaCi: options.trustGsmaCi } : {}),
      }),
    resolve: options.resolve ?? nodeResolver,
  });
  const maxRequestBytes = options.maxRequestBytes ?? 64 * 1024;
  const server = createServer(
    // One byte over the relay's own limit, so the handler answers oversize bodies (with CORS).
    toNodeListener(
      (request, context) => handler(request, { clientAddress: context.remoteAddress }),
      { maxBodyBytes: maxRequestBytes + 1 },
    ),
  );
  const port = await listen(server, options.port ?? 0, host);
  return {
    url: `http://${urlHost(host)}:${port}${options.basePath ?? ''}/es9p`,
    port,
    server,
    close: () => closeServer(server),
  };
}
