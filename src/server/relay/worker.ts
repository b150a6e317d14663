/**
 * Cloudflare Workers / workerd entry for the ES9+ relay: a module Worker whose fetch handler is
 * the runtime-neutral relay (relay.ts), configured by the Worker's environment bindings (the
 * variables of config.ts; wrangler.toml [vars] or a workerd config's `bindings`).
 *
 * Upstream: the platform's fetch. It connects by host name and does its own DNS, and the
 * Workers runtime offers no DNS lookup, so the relay's address check works differently here:
 * - What it guarantees: IP literal targets (`/es9p/10.0.0.1/...`, `[::1]`, IPv4 inside IPv6)
 *   are refused by the same table as on Node; host names a resolver could read as numbers are
 *   refused; only ES9+/ES11 paths, the allowed ports, bounded sizes and one deadline, as
 *   everywhere.
 * - What it cannot: a host name is not resolved by the relay, so it cannot refuse a name that
 *   resolves (or is rebound) to a private address. On Cloudflare this is the platform's job:
 *   Worker subrequests leave from Cloudflare's edge to the public Internet and cannot reach
 *   the deployer's private network. On self-hosted workerd it is the config's job: give the
 *   Worker a `globalOutbound` network service with `allow = ["public"]` (deploy/cloudflare/
 *   relay.capnp), which refuses private and local addresses after workerd's own lookup.
 * - TLS trust: Cloudflare's fetch trusts the Web PKI only; an SM-DP+ whose certificate chains
 *   to a GSMA CI cannot be reached from Cloudflare Workers (use the Node or Deno relay). On
 *   self-hosted workerd, add the CI roots as `trustedCertificates` of the outbound network's
 *   `tlsOptions`. RELAY_EXTRA_CA_PEM has no effect here.
 *
 * Tests: RELAY_TEST_RESOLVE (test-only, see config.ts) replaces the 'platform' mode with a
 * fixed table, and the test's workerd config routes every subrequest to a local HTTPS server
 * through an "external" service, so no name is ever looked up (see relay-runtimes.test.ts).
 *
 * Rate limit key: the CF-Connecting-IP header, which Cloudflare sets to the client's address
 * (a client cannot forge it there). Self-hosted workerd has no such header and does not give
 * the peer address: set RELAY_CLIENT_IP_HEADER to the header your front proxy sets, or to
 * 'none' (all clients then share one bucket). Limits live per isolate: a Worker running in
 * many places has one bucket per place.
 */
import { formatLogEntry, relayConfigFromEnv, type RelayEnv } from './config.ts';
import { createRelayHandler, type RelayHandler, type UpstreamFetch } from './relay.ts';

const platformFetch: UpstreamFetch = (url, init) =>
  fetch(url, {
    method: init.method,
    headers: init.headers,
    body: init.body as Uint8Array<ArrayBuffer>,
    signal: init.signal,
    redirect: init.redirect,
  });

let cached: { env: RelayEnv; handler: RelayHandler; clientHeader: string | undefined } | undefined;

function handlerFor(env: RelayEnv): { handler: RelayHandler; clientHeader: string | undefined } {
  if (cached?.env === env) return cached;
  const config = relayConfigFromEnv(env, 'workerd');
  const handler = createRelayHandler({
    ...config.options,
    resolve: config.testResolver ?? 'platform',
    upstreamFetch: platformFetch,
    onLog: (entry) => {
      console.log(formatLogEntry(entry));
    },
  });
  const header = (env.RELAY_CLIENT_IP_HEADER ?? 'cf-connecting-ip').trim().toLowerCase();
  cached = { env, handler, clientHeader: header === 'none' || header === '' ? undefined : header };
  return cached;
}

/** Only the string bindings are configuration; anything else in env is ignored. */
function stringBindings(env: unknown): RelayEnv {
  const out: Record<string, string> = {};
  if (typeof env === 'object' && env !== null)
    for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  return out;
}

let lastEnv: unknown;
let lastBindings: RelayEnv = {};

export default {
  async fetch(request: Request, env: unknown): Promise<Response> {
    if (env !== lastEnv) {
      lastEnv = env;
      lastBindings = stringBindings(env);
    }
    let relay: { handler: RelayHandler; clientHeader: string | undefined };
    try {
      relay = handlerFor(lastBindings);
    } catch (e) {
      console.error(`relay configuration: ${e instanceof Error ? e.message : String(e)}`);
      return new Response(JSON.stringify({ error: 'relay misconfigured', code: 'config' }), {
        status: 503,
        headers: { 'content-type': 'application/json;charset=UTF-8' },
      });
    }
    const clientAddress =
      relay.clientHeader === undefined
        ? undefined
        : (request.headers.get(relay.clientHeader) ?? undefined);
    return relay.handler(request, clientAddress === undefined ? {} : { clientAddress });
  },
};
