/**
 * HTTP binding of the test SM-DP+/SM-DS (ES9+/ES11 over HTTPS and JSON) as a fetch handler:
 *   POST /gsma/rsp2/es9plus/<function>   ES9+ (and ES11 when smdpAddress is the SM-DS address)
 *   POST /gsma/rsp2/es11/<function>      ES11 at the SM-DS
 *   OPTIONS /gsma/rsp2/...               CORS preflight
 *   GET /state, POST /admin/...          admin endpoints (admin.ts): off unless `admin: true`,
 *                                        then same-origin and loopback only, never CORS
 * One server answers for both the SM-DP+ and the SM-DS address; the LPA maps both addresses
 * to its URL. Protocol failures are HTTP 200 with a 'Failed' header (status.ts); only
 * transport problems get 4xx (404 path, 405 method, 413 body too large, 403 refused admin
 * call). Nothing a client sends can produce a stack trace in a body.
 */
import { corsHeaders, type OriginPolicy } from '../common/cors.ts';
import {
  BodyTooLargeError,
  jsonResponse,
  readBodyLimited,
  type FetchHandler,
} from '../common/http.ts';
import { handleAdmin, isAdminPath } from './admin.ts';
import type { SmdpCore } from './core.ts';
import { SmdpError, Status, executionHeader } from './status.ts';

export interface SmdpHttpOptions {
  core: SmdpCore;
  /** Default '*': the local test server is meant to be called from any page. */
  allowedOrigins?: OriginPolicy;
  /** Default 256 KiB. */
  maxBodyBytes?: number;
  /** Sent back in X-Admin-Protocol. Default 'gsma/rsp/v2.2.0'. */
  adminProtocol?: string;
  /** One line per call (function, status, duration): never bodies or matching IDs. */
  onLog?: (line: string) => void;
  /**
   * Serve the admin endpoints (/state, /admin/events, /admin/orders/reset-cc-lock). Default
   * false: they answer 404. Even when on they are same-origin and loopback only (admin.ts).
   */
  admin?: boolean;
}

const FUNCTION_PATH = /^\/gsma\/rsp2\/(es9plus|es11)\/([A-Za-z]+)$/;

/** `application/json` with optional parameters (charset=UTF-8 is the spec's form). */
function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  return value.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export function createSmdpHandler(options: SmdpHttpOptions): FetchHandler {
  const { core } = options;
  const policy = options.allowedOrigins ?? '*';
  const maxBody = options.maxBodyBytes ?? 256 * 1024;
  const adminProtocol = options.adminProtocol ?? 'gsma/rsp/v2.2.0';
  const admin = options.admin === true;

  return async (request, context) => {
    const started = Date.now();
    const url = new URL(request.url);
    const cors = corsHeaders(policy, request.headers.get('origin'), 'GET, POST, OPTIONS');
    const esHeaders = { ...cors, 'x-admin-protocol': adminProtocol };
    const log = (what: string, status: number): void => {
      options.onLog?.(`${what} -> ${status} (${Date.now() - started} ms)`);
    };
    try {
      if (isAdminPath(url.pathname)) {
        const res = admin
          ? await handleAdmin(core, request, url, context, maxBody)
          : jsonResponse(404, { error: 'not found' });
        log(url.pathname, res.status);
        return res;
      }
      if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });

      const m = FUNCTION_PATH.exec(url.pathname);
      if (!m) return jsonResponse(404, { error: 'not found' }, cors);
      if (request.method !== 'POST') return jsonResponse(405, { error: 'use POST' }, cors);
      const iface = m[1] as 'es9plus' | 'es11';
      const fn = m[2]!;
      if (!isJsonContentType(request.headers.get('content-type'))) {
        await request.body?.cancel().catch(() => undefined);
        const err = new SmdpError(Status.contentType, 'Content-Type must be application/json');
        log(`${iface}/${fn}`, 200);
        return jsonResponse(200, { header: executionHeader(err) }, esHeaders);
      }
      let body: unknown;
      try {
        body = await readJson(request, maxBody);
      } catch (e) {
        if (e instanceof BodyTooLargeError) throw e;
        body = null; // not JSON: the core answers 1.6/2.1 (or records a broken notification)
      }
      const result = core.handle(iface, fn, body);
      log(`${iface}/${fn}`, result.status);
      if (result.status === 204) return new Response(null, { status: 204, headers: esHeaders });
      return jsonResponse(200, result.body, esHeaders);
    } catch (e) {
      if (e instanceof BodyTooLargeError) {
        log(url.pathname, 413);
        return jsonResponse(413, { error: e.message }, cors);
      }
      log(url.pathname, 500);
      return jsonResponse(500, { error: 'internal error' }, cors);
    }
  };
}

async function readJson(request: Request, limit: number): Promise<unknown> {
  const bytes = await readBodyLimited(request.body, limit);
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
}

/**
 * A fetch function that serves requests from the handler in-process (no sockets), for tests
 * and benchmarks: pass it to the ES9+ client with the server's base URL.
 */
export function inProcessFetch(
  handler: FetchHandler,
  remoteAddress = '127.0.0.1',
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return (input, init) => handler(new Request(input, init), { remoteAddress });
}
