/**
 * CORS for the local services (Fetch standard, "CORS protocol"). Browsers send ES9+ requests
 * with Content-Type application/json and X-Admin-Protocol, so every call is preflighted; the
 * LPA reads X-Admin-Protocol (and a rate-limited client Retry-After) from responses, so both are
 * exposed.
 */

/** '*' (any origin: the local test server), a list of exact origins, or a predicate. */
export type OriginPolicy = '*' | readonly string[] | ((origin: string) => boolean);

export const CORS_ALLOW_HEADERS = 'content-type, x-admin-protocol';
export const CORS_EXPOSE_HEADERS = 'x-admin-protocol, retry-after';

export function originAllowed(policy: OriginPolicy, origin: string): boolean {
  if (policy === '*') return true;
  if (typeof policy === 'function') return policy(origin);
  return policy.includes(origin);
}

/**
 * Headers for a response to `origin` (null when the request carried no Origin header).
 * Returns no Access-Control-Allow-Origin when the origin is not allowed.
 */
export function corsHeaders(
  policy: OriginPolicy,
  origin: string | null,
  methods = 'POST, OPTIONS',
): Record<string, string> {
  const headers: Record<string, string> = {
    vary: 'Origin',
    'access-control-expose-headers': CORS_EXPOSE_HEADERS,
  };
  if (origin === null) {
    if (policy === '*') headers['access-control-allow-origin'] = '*';
    return headers;
  }
  if (!originAllowed(policy, origin)) return headers;
  headers['access-control-allow-origin'] = policy === '*' ? '*' : origin;
  headers['access-control-allow-methods'] = methods;
  headers['access-control-allow-headers'] = CORS_ALLOW_HEADERS;
  headers['access-control-max-age'] = '600';
  return headers;
}

/** Origins on this machine (http(s)://127.0.0.1:*, localhost, [::1]): the default for local use. */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const u = new URL(origin);
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') &&
      (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]')
    );
  } catch {
    return false;
  }
}
