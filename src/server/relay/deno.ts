/**
 * Deno entry for the ES9+ relay: Deno.serve, configured by environment variables (config.ts).
 *
 *   deno run --allow-net --allow-env=HOST,PORT,RELAY_... dist/relay/deno/relay.js
 * (`npm run build:relay` bundles it; deploy/deno/README.md)
 *
 * Address check: Deno.resolveDns (A and AAAA) finds every address of a target name and each one
 * is checked (it asks the system's name servers directly, not /etc/hosts). Upstream: the Node
 * client of node.ts, which runs on Deno's node:https: system roots (node:tls rootCertificates)
 * plus RELAY_EXTRA_CA_PEM, TLS name check and SNI for the target's host name, and the
 * connection pinned to the first checked address through the request's `lookup`, so a second,
 * rebound lookup cannot redirect it. (Deno's fetch cannot be pinned: its HttpClient's TCP
 * "proxy" transport speaks plain HTTP, without TLS, to the given address.)
 * TLS: Deno verifies with rustls/webpki, which refuses a certificate whose certificatePolicies
 * extension is marked critical, as SGP.22 profiles DPtls certificates; see relay-runtimes.test.ts.
 *
 * The rate limit is keyed by the socket peer (the handler's `remoteAddr`).
 */
import { formatLogEntry, RELAY_ENV_NAMES, relayConfigFromEnv, type RelayEnv } from './config.ts';
import { createNodeUpstreamFetch } from './node.ts';
import {
  createRelayHandler,
  type RelayClientInfo,
  type Resolver,
  type UpstreamFetch,
} from './relay.ts';

/** The part of the Deno namespace this entry uses (typed here: the project builds for Node). */
interface DenoApi {
  env: { get(name: string): string | undefined };
  resolveDns(query: string, recordType: 'A' | 'AAAA'): Promise<string[]>;
  serve(
    options: {
      hostname: string;
      port: number;
      onListen?: (addr: { hostname: string; port: number }) => void;
    },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Promise<Response>,
  ): { finished: Promise<void> };
  exit(code: number): never;
}

function deno(): DenoApi {
  const d = (globalThis as unknown as { Deno?: DenoApi }).Deno;
  if (d === undefined) throw new Error('deno.ts runs on Deno only');
  return d;
}

/** Every A and AAAA address of a name; fails only when neither lookup answered. */
export function denoResolver(api: DenoApi): Resolver {
  return async (hostname) => {
    const [a, aaaa] = await Promise.allSettled([
      api.resolveDns(hostname, 'A'),
      api.resolveDns(hostname, 'AAAA'),
    ]);
    if (a.status === 'rejected' && aaaa.status === 'rejected') throw a.reason as Error;
    return [
      ...(a.status === 'fulfilled' ? a.value : []),
      ...(aaaa.status === 'fulfilled' ? aaaa.value : []),
    ];
  };
}

/**
 * Ends a cancelled upstream body by aborting the exchange rather than by cancelling the stream
 * node:stream's toWeb made: on Deno that stream keeps receiving data after a cancel and throws
 * "The stream controller cannot close or enqueue" outside any promise, which ends the process
 * (seen with Deno 2.9 when a body passed the relay's size limit). Aborting destroys the
 * upstream socket first, so no data follows.
 */
export function abortOnCancel(upstream: UpstreamFetch): UpstreamFetch {
  return async (url, init, target) => {
    const local = new AbortController();
    const forward = (): void => {
      local.abort(init.signal.reason);
    };
    if (init.signal.aborted) forward();
    else init.signal.addEventListener('abort', forward, { once: true });
    const response = await upstream(url, { ...init, signal: local.signal }, target);
    if (response.body === null) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          init.signal.removeEventListener('abort', forward);
          controller.close();
        } else controller.enqueue(value);
      },
      cancel(reason) {
        init.signal.removeEventListener('abort', forward);
        local.abort(reason);
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

/** Starts the relay on Deno.serve with the process environment. */
export function main(): void {
  const api = deno();
  const env: RelayEnv = Object.fromEntries(RELAY_ENV_NAMES.map((n) => [n, api.env.get(n)]));
  const config = relayConfigFromEnv(env, 'deno');
  const handler = createRelayHandler({
    ...config.options,
    resolve: config.testResolver ?? denoResolver(api),
    upstreamFetch: abortOnCancel(createNodeUpstreamFetch({ extraCa: config.extraCa })),
    onLog: (entry) => {
      console.log(formatLogEntry(entry));
    },
  });
  api.serve(
    {
      hostname: config.host,
      port: config.port,
      onListen: (addr) => {
        const host = addr.hostname.includes(':') ? `[${addr.hostname}]` : addr.hostname;
        console.log(`relay listening on http://${host}:${addr.port}/es9p`);
      },
    },
    (request, info) => {
      const client: RelayClientInfo = { clientAddress: info.remoteAddr.hostname };
      return handler(request, client);
    },
  );
}

if ((globalThis as { Deno?: unknown }).Deno !== undefined) {
  try {
    main();
  } catch (e) {
    console.error(`relay: ${e instanceof Error ? e.message : String(e)}`);
    deno().exit(1);
  }
}
