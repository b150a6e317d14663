/**
 * Where an ES9+/ES11 request for an SM-DP+/SM-DS address goes.
 *
 * An address is what activation codes, the eUICC (default SM-DP+, root SM-DS) and notifications
 * carry: a host name (or IP literal) with an optional `:port`. The ways to reach it, tried in
 * this order:
 *
 * 1. Override: an explicit map address -> base URL, matched case-insensitively (and with `:443`
 *    equal to no port), e.g. `testsmdpplus1.example.com` -> `http://127.0.0.1:8000`. The URL is
 *    `<base>/gsma/rsp2/<iface>/<function>`. For local test servers and development.
 * 2. Direct (`{ kind: 'direct' }`): `https://<address>/gsma/rsp2/<iface>/<function>`, the URL
 *    of the HTTPS binding (SGP.22 v2.2.2 §6). From a browser this only works for servers that
 *    send CORS headers and whose TLS certificate the browser trusts.
 * 3. Relay (`{ kind: 'relay', relayUrl }`): the ES9+ relay (src/server/relay) forwards
 *      POST <relay>/es9p/<host[:port]>/gsma/rsp2/<iface>/<function>
 *        -> POST https://<host[:port]>/gsma/rsp2/<iface>/<function>
 *    `relayUrl` is the relay's base; `/es9p` is appended unless it already ends with it (the
 *    relay reports its URL with the suffix). `<iface>` is `es9plus`, or `es11` where a server
 *    wants that path for ES11 (common practice sends ES11 over the es9plus paths).
 * 4. Automatic (`{ kind: 'auto', relayUrl? }`): what a web page needs to meet real servers, which
 *    send no CORS headers. An overridden address goes to its override (rule 1); every other
 *    address goes through the relay (rule 3). Without a relay URL, such an address fails at once,
 *    before any request, with Es9pTransportError('noRelay'): there is no way to reach it.
 */
import { Es9pTransportError } from './errors.ts';

export type Es9pInterface = 'es9plus' | 'es11';

/** Address (host[:port]) -> base URL; consulted before the route. */
export type Es9pOverrides = Readonly<Record<string, string>>;

export type Es9pRoute =
  | { kind: 'direct'; overrides?: Es9pOverrides }
  | { kind: 'relay'; relayUrl: string; overrides?: Es9pOverrides }
  /** Overrides direct, everything else through the relay; `relayUrl` empty or absent: none. */
  | { kind: 'auto'; relayUrl?: string; overrides?: Es9pOverrides };

export interface ResolvedEndpoint {
  url: string;
  /** Which rule produced the URL. */
  via: 'override' | 'direct' | 'relay';
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6_LITERAL = /^\[[0-9A-Fa-f:.]{2,45}\]$/;

/** Splits and checks `host[:port]`; throws Es9pTransportError('badAddress'). */
export function parseServerAddress(
  address: string,
  functionName = 'resolve',
): { host: string; port?: number } {
  const text = address.trim();
  const m = /^(\[[^\]]*\]|[^:]*)(?::([0-9]{1,5}))?$/.exec(text);
  const host = m?.[1] ?? '';
  const portText = m?.[2];
  if (!m || !(HOST_NAME.test(host) || IPV6_LITERAL.test(host))) {
    throw new Es9pTransportError(
      'badAddress',
      functionName,
      `"${address.slice(0, 80)}" is not a server address (expected a host name with an optional :port).`,
    );
  }
  if (portText === undefined) return { host };
  const port = Number(portText);
  if (port < 1 || port > 65535)
    throw new Es9pTransportError(
      'badAddress',
      functionName,
      `The port in "${address.slice(0, 80)}" is out of range (1 to 65535).`,
    );
  return { host, port };
}

/** The form used to compare addresses: lower case, no default port. */
export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase().replace(/:443$/, '');
}

function httpBase(text: string, what: string, functionName: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch (e) {
    throw new Es9pTransportError('badAddress', functionName, `${what} "${text}" is not a URL.`, {
      cause: e,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Es9pTransportError(
      'badAddress',
      functionName,
      `${what} "${text}" must be an http:// or https:// URL.`,
    );
  url.search = '';
  url.hash = '';
  return url;
}

function join(base: URL, path: string): string {
  const prefix = base.href.replace(/\/+$/, '');
  return `${prefix}/${path}`;
}

/** Finds the override for an address, if any (case-insensitive, `:443` = no port). */
export function findOverride(
  overrides: Es9pOverrides | undefined,
  address: string,
): string | undefined {
  if (!overrides) return undefined;
  const wanted = normaliseAddress(address);
  for (const [key, value] of Object.entries(overrides)) {
    if (normaliseAddress(key) === wanted) return value;
  }
  return undefined;
}

/**
 * The URL for one function call.
 *
 * @example
 * resolveEndpoint({ kind: 'relay', relayUrl: 'https://relay.example/es9p' },
 *   'smdp.example.com', 'initiateAuthentication').url
 * // 'https://relay.example/es9p/smdp.example.com/gsma/rsp2/es9plus/initiateAuthentication'
 */
export function resolveEndpoint(
  route: Es9pRoute,
  address: string,
  functionName: string,
  iface: Es9pInterface = 'es9plus',
): ResolvedEndpoint {
  const { host, port } = parseServerAddress(address, functionName);
  const authority = port === undefined || port === 443 ? host : `${host}:${port}`;
  const path = `gsma/rsp2/${iface}/${functionName}`;

  const override = findOverride(route.overrides, address);
  if (override !== undefined) {
    const base = httpBase(override, `The override for ${authority}`, functionName);
    return { url: join(base, path), via: 'override' };
  }
  if (route.kind === 'direct') return { url: `https://${authority}/${path}`, via: 'direct' };

  const relayUrl = route.relayUrl?.trim() ?? '';
  if (route.kind === 'auto' && relayUrl === '')
    throw new Es9pTransportError(
      'noRelay',
      functionName,
      `${authority} can only be reached through an ES9+ relay, and no relay URL is set ` +
        '(the automatic route sends every address without an override through the relay). ' +
        'Set the relay URL, or add an override for this address.',
    );
  const relay = httpBase(relayUrl, 'The relay URL', functionName);
  const relayBase = /\/es9p\/*$/.test(relay.pathname) ? relay.href : join(relay, 'es9p');
  return { url: `${relayBase.replace(/\/+$/, '')}/${authority}/${path}`, via: 'relay' };
}
