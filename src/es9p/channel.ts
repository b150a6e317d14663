/**
 * The HTTP/JSON channel under the ES9+ (LPA -> SM-DP+) and ES11 (LPA -> SM-DS) clients: one
 * POST per function call over an injected fetch (SGP.22 v2.2.2 §6.1, docs/protocol.md §4.1).
 *
 * - Builds the request: the URL from the route (endpoint.ts), `Content-Type:
 *   application/json;charset=UTF-8`, `X-Admin-Protocol` and, only when asked (browsers refuse to
 *   set it), `User-Agent: gsma-rsp-lpad`; the JSON body as given.
 * - A timeout per call combines with the caller's AbortSignal; a fetch that ignores the signal
 *   is still abandoned on time, and so is a body that never ends.
 * - Parses the answer and maps every failure to a typed error: `Es9pError` for a
 *   `functionExecutionStatus` of `Failed`/`Expired` (docs/protocol.md §4.3), even on an HTTP
 *   error status; `Es9pTransportError` for the network, a timeout, an abort, an HTTP status
 *   other than the expected one (quoting the ES9+ relay's own refusal) and a body that is not
 *   the expected JSON.
 * - Reports each exchange to a trace hook whose errors are ignored.
 *
 * What the answers mean is the typed client's business (client.ts, fields.ts).
 */
import { resolveEndpoint, type Es9pInterface, type Es9pRoute } from './endpoint.ts';
import { Es9pError, Es9pTransportError } from './errors.ts';

/** The part of RequestInit the client uses. */
export interface Es9pFetchInit {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/** The part of Response the client uses. */
export interface Es9pFetchResponse {
  readonly status: number;
  text(): Promise<string>;
}

/** A fetch function; `globalThis.fetch.bind(globalThis)` fits. */
export type Es9pFetch = (url: string, init: Es9pFetchInit) => Promise<Es9pFetchResponse>;

/** One HTTP exchange, reported to the trace hook whether it succeeded or not. */
export interface Es9pExchange {
  functionName: string;
  iface: Es9pInterface;
  url: string;
  /** The JSON object sent. */
  request: Record<string, unknown>;
  /** HTTP status, when an answer arrived. */
  status?: number;
  /** The answer: parsed JSON, or the raw text when it is not JSON; absent when empty. */
  response?: unknown;
  durationMs: number;
  /** Set when the exchange failed (transport or protocol). */
  error?: string;
}

/** What the channel needs: how to send, where to, and how to report. */
export interface Es9pChannelOptions {
  fetch: Es9pFetch;
  route: Es9pRoute;
  /** X-Admin-Protocol value. Default 'gsma/rsp/v2.2.0'. */
  adminProtocol?: string;
  /** Send `User-Agent: gsma-rsp-lpad` (Node and other non-browser callers only). */
  sendUserAgent?: boolean;
  /** Trace hook, called once per HTTP exchange; its errors are ignored. */
  onExchange?: (exchange: Es9pExchange) => void;
  /** Clock for durations (ms). Default Date.now. */
  now?: () => number;
}

export const DEFAULT_ADMIN_PROTOCOL = 'gsma/rsp/v2.2.0';
export const LPAD_USER_AGENT = 'gsma-rsp-lpad';

/** A JSON object, as sent and as answered. */
export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** One function call as the channel performs it. */
export interface CallSpec {
  functionName: string;
  iface: Es9pInterface;
  address: string;
  body: Json;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /** handleNotification answers 204; cancelSession may too (header-only success). */
  accept204: boolean;
  /** The answer may have no body (204, or an empty 200). */
  bodyOptional: boolean;
}

/** Shared HTTP/JSON machinery of the ES9+ and ES11 clients. */
export class JsonChannel {
  readonly #fetch: Es9pFetch;
  readonly #route: Es9pRoute;
  readonly #adminProtocol: string;
  readonly #sendUserAgent: boolean;
  readonly #onExchange: ((exchange: Es9pExchange) => void) | undefined;
  readonly #now: () => number;

  constructor(options: Es9pChannelOptions) {
    this.#fetch = options.fetch;
    this.#route = options.route;
    this.#adminProtocol = options.adminProtocol ?? DEFAULT_ADMIN_PROTOCOL;
    this.#sendUserAgent = options.sendUserAgent ?? false;
    this.#onExchange = options.onExchange;
    this.#now = options.now ?? Date.now;
  }

  /** Performs one call; returns the JSON answer (undefined for a body-less success). */
  async call(spec: CallSpec): Promise<Json | undefined> {
    const fn = spec.functionName;
    if (spec.signal?.aborted) throw aborted(fn);
    const { url, via } = resolveEndpoint(this.#route, spec.address, fn, spec.iface);

    const headers: Record<string, string> = {
      'Content-Type': 'application/json;charset=UTF-8',
      'X-Admin-Protocol': this.#adminProtocol,
    };
    if (this.#sendUserAgent) headers['User-Agent'] = LPAD_USER_AGENT;

    const start = this.#now();
    const trace: Es9pExchange = {
      functionName: fn,
      iface: spec.iface,
      url,
      request: spec.body,
      durationMs: 0,
    };
    try {
      const { status, text } = await this.#send(spec, url, via, headers);
      trace.status = status;
      const parsed = parseBody(text);
      if (parsed !== undefined) trace.response = parsed.ok ? parsed.value : text;
      return interpret(spec, url, status, text, parsed);
    } catch (e) {
      trace.error = e instanceof Error ? e.message : String(e);
      throw e;
    } finally {
      trace.durationMs = this.#now() - start;
      if (this.#onExchange) {
        try {
          this.#onExchange(trace);
        } catch {
          // A failing trace hook must not change the outcome of the call.
        }
      }
    }
  }

  async #send(
    spec: CallSpec,
    url: string,
    via: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; text: string }> {
    const fn = spec.functionName;
    const controller = new AbortController();
    let stopReason: 'timeout' | 'aborted' | undefined;
    const onAbort = () => {
      stopReason ??= 'aborted';
      controller.abort();
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      stopReason ??= 'timeout';
      controller.abort();
    }, spec.timeoutMs);
    // Settles when the call is stopped, so a fetch that ignores its signal is abandoned too.
    const stopped = new Promise<never>((_, reject) => {
      controller.signal.addEventListener(
        'abort',
        () => {
          reject(new Error('stopped'));
        },
        { once: true },
      );
    });
    stopped.catch(() => undefined);

    let status: number;
    let text: string;
    try {
      const pending = this.#fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(spec.body),
        signal: controller.signal,
      });
      pending.catch(() => undefined);
      const response = await Promise.race([pending, stopped]);
      status = response.status;
      const reading = response.text();
      reading.catch(() => undefined);
      text = await Promise.race([reading, stopped]);
    } catch (e) {
      if (stopReason === 'timeout')
        throw new Es9pTransportError(
          'timeout',
          fn,
          `${fn}: no complete answer from ${url} within ${formatDuration(spec.timeoutMs)}.`,
          { url, cause: e },
        );
      if (stopReason === 'aborted') throw aborted(fn, url);
      const detail = e instanceof Error && e.message ? ` (${e.message})` : '';
      const advice =
        via === 'relay'
          ? 'The ES9+ relay may be down or refuse this browser origin.'
          : 'The server may be unreachable, or it sends no CORS headers so the browser hides its ' +
            'answer; use the ES9+ relay route or an address override.';
      throw new Es9pTransportError(
        'network',
        fn,
        `${fn}: cannot reach ${url}${detail}. ${advice}`,
        {
          url,
          cause: e,
        },
      );
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
    }
    return { status, text };
  }
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function aborted(fn: string, url?: string): Es9pTransportError {
  return new Es9pTransportError(
    'aborted',
    fn,
    `${fn} was cancelled.`,
    url === undefined ? {} : { url },
  );
}

type Parsed = { ok: true; value: unknown } | { ok: false };

/** undefined for an empty body. */
function parseBody(text: string): Parsed | undefined {
  if (text.trim() === '') return undefined;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function badResponse(fn: string, url: string, status: number, detail: string): Es9pTransportError {
  return new Es9pTransportError(
    'badResponse',
    fn,
    `${fn}: unexpected answer from the server: ${detail}.`,
    {
      url,
      httpStatus: status,
    },
  );
}

/** Throws Es9pError for Failed/Expired; returns for success statuses. */
function checkExecutionStatus(fn: string, url: string, httpStatus: number, json: Json): void {
  const header = json.header;
  const fes = isRecord(header) ? header.functionExecutionStatus : undefined;
  if (!isRecord(fes)) throw badResponse(fn, url, httpStatus, 'no header.functionExecutionStatus');
  const status = fes.status;
  if (status === 'Executed-Success' || status === 'Executed-WithWarning') return;
  if (status === 'Failed' || status === 'Expired') {
    const data = isRecord(fes.statusCodeData) ? fes.statusCodeData : {};
    const details: { serverMessage?: string; subjectIdentifier?: string } = {};
    const message = optionalString(data.message);
    const subjectIdentifier = optionalString(data.subjectIdentifier);
    if (message !== undefined) details.serverMessage = message;
    if (subjectIdentifier !== undefined) details.subjectIdentifier = subjectIdentifier;
    throw new Es9pError(
      fn,
      status,
      optionalString(data.subjectCode) ?? '',
      optionalString(data.reasonCode) ?? '',
      details,
    );
  }
  throw badResponse(
    fn,
    url,
    httpStatus,
    `unknown functionExecutionStatus.status ${JSON.stringify(status)?.slice(0, 40) ?? 'undefined'}`,
  );
}

function interpret(
  spec: CallSpec,
  url: string,
  status: number,
  text: string,
  parsed: Parsed | undefined,
): Json | undefined {
  const fn = spec.functionName;
  // 204 No Content: whatever a proxy may have attached is not the server's answer.
  if (status === 204 && spec.accept204) return undefined;
  if (status === 200) {
    if (parsed === undefined) {
      if (spec.bodyOptional) return undefined;
      throw badResponse(fn, url, status, 'the body is empty');
    }
    if (!parsed.ok) throw badResponse(fn, url, status, 'the body is not JSON');
    if (!isRecord(parsed.value))
      throw badResponse(fn, url, status, 'the body is not a JSON object');
    // A body-less function may answer with an empty JSON object or with a header.
    if (spec.bodyOptional && parsed.value.header === undefined) return parsed.value;
    checkExecutionStatus(fn, url, status, parsed.value);
    return parsed.value;
  }
  // Some servers report a refusal with an error status; the codes are more useful than the status.
  if (parsed?.ok && isRecord(parsed.value) && isRecord(parsed.value.header)) {
    checkExecutionStatus(fn, url, status, parsed.value);
  }
  let detail = '';
  let relayCode: string | undefined;
  if (parsed?.ok && isRecord(parsed.value) && typeof parsed.value.error === 'string') {
    // The ES9+ relay answers its own refusals as {error, code}; a refused TLS certificate's
    // message names its issuer and key id, so it gets more room.
    detail = `: ${parsed.value.error.slice(0, 400)}`;
    const code = parsed.value.code;
    if (typeof code === 'string' && /^[A-Za-z]{1,40}$/.test(code)) relayCode = code;
  } else if (parsed === undefined || !parsed.ok) {
    const snippet = text.trim().slice(0, 80);
    if (snippet !== '') detail = `: ${snippet}`;
  }
  const expected = spec.accept204 && spec.bodyOptional ? '204 or 200' : '200';
  throw new Es9pTransportError(
    'http',
    fn,
    `${fn}: the server answered HTTP ${status} (expected ${expected})${detail}.`,
    { url, httpStatus: status, ...(relayCode !== undefined ? { relayCode } : {}) },
  );
}

/** The JSON answer of a function that always has one (undefined: the body was empty). */
export function requireJson(fn: string, json: Json | undefined): Json {
  if (json === undefined)
    throw new Es9pTransportError(
      'badResponse',
      fn,
      `${fn}: unexpected answer from the server: the body is empty.`,
    );
  return json;
}
