/**
 * Node entry for the ES9+ relay: DNS resolution through the system resolver, an upstream
 * HTTPS client that trusts the system roots plus configured extra CA certificates (SM-DP+ TLS
 * certificates chain to a GSMA CI, not the Web PKI) and connects only to the addresses the
 * relay checked (no second DNS lookup an attacker could rebind), and a node:http server.
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { closeServer, listen, toNodeListener, urlHost } from '../common/http.ts';
import {
  createRelayHandler,
  type RelayOptions,
  type Resolver,
  type UpstreamFetch,
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

/**
 * An UpstreamFetch over node:https: system roots + `extraCa`, SNI and certificate name check
 * against the target host name, connection pinned to the first checked address.
 */
export function createNodeUpstreamFetch(options: NodeUpstreamOptions = {}): UpstreamFetch {
  const ca = [...rootCertificates, ...(options.extraCa ?? [])];
  return (url, init, target) =>
    new Promise<Response>((resolve, reject) => {
      const u = new URL(url);
      const pinned = target.addresses[0] ?? target.hostname;
      const family = isIP(pinned) === 6 ? 6 : 4;
      const headers: Record<string, string> = {};
      init.headers.forEach((value, name) => {
        headers[name] = value;
      });
      headers['content-length'] = String(init.body.length);
      const req = httpsRequest(
        {
          host: target.hostname,
          port: target.port,
          path: u.pathname,
          method: init.method,
          headers,
          ca,
          servername: isIP(target.hostname) === 0 ? target.hostname : undefined,
          signal: init.signal,
          agent: false,
          // Connect to the address that passed the relay's check, not to a fresh lookup.
          lookup: (_host, opts, callback) => {
            if (typeof opts === 'object' && opts.all)
              (callback as (e: null, a: LookupAddress[]) => void)(null, [
                { address: pinned, family },
              ]);
            else callback(null, pinned, family);
          },
        },
        (res) => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
            else responseHeaders.set(name, value);
          }
          const status = res.statusCode ?? 502;
          const noBody = status === 204 || status === 304;
          if (noBody) res.resume();
          resolve(
            new Response(
              noBody ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>),
              { status, headers: responseHeaders },
            ),
          );
        },
      );
      req.on('error', reject);
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
