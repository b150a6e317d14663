/**
 * Admin endpoints of the test SM-DP+/SM-DS. They expose every matching ID and change server
 * state, so they are off unless enabled (`admin: true`) and, when on, same-origin and
 * loopback only:
 *   GET  /state                         JSON snapshot: orders with matching IDs, sessions,
 *                                       notifications, cancellations, SM-DS events
 *   POST /admin/events                  register an SM-DS event {eid, eventId?, rspServerAddress?}
 *   POST /admin/orders/reset-cc-lock    unlock an order locked by wrong confirmation codes
 *                                       {matchingId}
 *
 * A request is refused (403, no CORS headers, so no other page can read the answer) when:
 * the peer is not a loopback address; the Host is a DNS name other than localhost (a page
 * that rebinds its own name to 127.0.0.1 would otherwise look same-origin); it carries an
 * Origin other than the server's own; Sec-Fetch-Site says it comes from another origin; it is
 * a CORS preflight. POSTs must be application/json, which an HTML form cannot send.
 */
import {
  BodyTooLargeError,
  isLoopbackAddress,
  jsonResponse,
  readBodyLimited,
} from '../common/http.ts';
import type { RequestContext } from '../common/http.ts';
import { normaliseEid } from '../../codec/index.ts';
import type { SmdpCore } from './core.ts';

const ADMIN_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/** Whether a path belongs to the admin endpoints (whatever the method). */
export function isAdminPath(pathname: string): boolean {
  return pathname === '/state' || pathname === '/admin' || pathname.startsWith('/admin/');
}

function reply(status: number, body: unknown): Response {
  return jsonResponse(status, body, ADMIN_HEADERS);
}

/** localhost, an IPv4 literal or a bracketed IPv6 literal: names no page can rebind. */
function isLiteralOrLocalhost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || /^\[[0-9a-f:.]+\]$/.test(h);
}

/** Same host and port as the request URL; http or https (the Node adapter builds http URLs). */
function isOwnOrigin(origin: string, url: URL): boolean {
  try {
    const o = new URL(origin);
    return (o.protocol === 'http:' || o.protocol === 'https:') && o.host === url.host;
  } catch {
    return false;
  }
}

/** Why the request may not use an admin endpoint, or undefined when it may. */
export function adminRefusal(
  request: Request,
  url: URL,
  context: RequestContext,
): string | undefined {
  if (!isLoopbackAddress(context.remoteAddress))
    return 'admin endpoints are only served to loopback callers';
  if (!isLiteralOrLocalhost(url.hostname))
    return 'admin endpoints need Host localhost or an IP address';
  if (request.method === 'OPTIONS') return 'admin endpoints do not answer cross-origin requests';
  const origin = request.headers.get('origin');
  if (origin !== null && !isOwnOrigin(origin, url))
    return 'admin endpoints do not answer cross-origin requests';
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none')
    return 'admin endpoints do not answer cross-origin requests';
  return undefined;
}

function isJson(request: Request): boolean {
  const type = request.headers.get('content-type');
  return type !== null && type.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** A JSON object body, or undefined when the body is not one. */
async function readObject(
  request: Request,
  limit: number,
): Promise<Record<string, unknown> | undefined> {
  let parsed: unknown;
  try {
    const bytes = await readBodyLimited(request.body, limit);
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch (e) {
    if (e instanceof BodyTooLargeError) throw e;
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  return parsed as Record<string, unknown>;
}

/**
 * Serves one admin request (the caller checked isAdminPath and that admin is enabled).
 * Never throws: every outcome is a JSON response without CORS headers.
 */
export async function handleAdmin(
  core: SmdpCore,
  request: Request,
  url: URL,
  context: RequestContext,
  maxBodyBytes: number,
): Promise<Response> {
  const refusal = adminRefusal(request, url, context);
  if (refusal !== undefined) {
    await request.body?.cancel().catch(() => undefined);
    return reply(403, { error: refusal });
  }
  try {
    if (url.pathname === '/state') {
      if (request.method !== 'GET') return reply(405, { error: 'use GET' });
      return reply(200, core.state());
    }
    if (url.pathname !== '/admin/events' && url.pathname !== '/admin/orders/reset-cc-lock')
      return reply(404, { error: 'not found' });
    if (request.method !== 'POST') return reply(405, { error: 'use POST' });
    if (!isJson(request)) {
      await request.body?.cancel().catch(() => undefined);
      return reply(415, { error: 'Content-Type must be application/json' });
    }
    const body = await readObject(request, maxBodyBytes);
    if (url.pathname === '/admin/events') return registerEvent(core, body);
    return resetCcLock(core, body);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return reply(413, { error: e.message });
    return reply(500, { error: 'internal error' });
  }
}

function registerEvent(core: SmdpCore, body: Record<string, unknown> | undefined): Response {
  if (!body) return reply(400, { error: 'expected {eid, eventId?, rspServerAddress?}' });
  const { eid, eventId, rspServerAddress } = body;
  let normalised: string;
  try {
    normalised = normaliseEid(typeof eid === 'string' ? eid : '');
  } catch {
    return reply(400, { error: 'eid must be a valid 32-digit EID' });
  }
  if (
    (eventId !== undefined && typeof eventId !== 'string') ||
    (rspServerAddress !== undefined && typeof rspServerAddress !== 'string')
  )
    return reply(400, { error: 'eventId and rspServerAddress must be strings' });
  const id = core.registerEvent({
    eid: normalised,
    ...(eventId !== undefined ? { eventId } : {}),
    ...(rspServerAddress !== undefined ? { rspServerAddress } : {}),
  });
  return reply(200, { eventId: id });
}

function resetCcLock(core: SmdpCore, body: Record<string, unknown> | undefined): Response {
  const matchingId = body?.matchingId;
  if (typeof matchingId !== 'string') return reply(400, { error: 'expected {matchingId}' });
  if (!core.resetConfirmationCodeLock(matchingId))
    return reply(404, { error: 'no order has this matchingId' });
  return reply(200, { matchingId, reset: true });
}
