/**
 * The ES9+ (LPA -> SM-DP+) and ES11 (LPA -> SM-DS) client: HTTPS POST of JSON, binary values as
 * base64 of exact DER bytes (docs/protocol.md §4).
 *
 * - `fetch` is injected (the browser's, Node's, or a test fake); nothing here touches globals.
 * - Requests carry `Content-Type: application/json;charset=UTF-8` and `X-Admin-Protocol`; the
 *   `User-Agent: gsma-rsp-lpad` header only when asked for (browsers refuse to set it).
 * - Every function answers HTTP 200 with `header.functionExecutionStatus`; `Executed-Success`
 *   and `Executed-WithWarning` are success, `Failed`/`Expired` become `Es9pError` with the
 *   subject/reason codes. handleNotification answers 204 without a body.
 * - Binary fields of answers are returned as the exact decoded bytes, never re-encoded: they
 *   carry signatures the eUICC verifies. Each must decode to a single TLV with the expected tag.
 * - Transaction IDs are hex strings; the answer's must equal the request's, ignoring case.
 * - A timeout per call (default 30 s; the bound profile package 120 s) combines with the
 *   caller's AbortSignal; a fetch that ignores the signal is still abandoned on time.
 */
import { CodecError, TlvError, fromBase64, readTlv, tagHex, toBase64 } from '../codec/index.ts';
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

export interface Es9pClientOptions {
  fetch: Es9pFetch;
  route: Es9pRoute;
  /** Per-call timeout in ms. Default 30 000. */
  timeoutMs?: number;
  /** Timeout for getBoundProfilePackage, whose answer can be large. Default 120 000. */
  bppTimeoutMs?: number;
  /** X-Admin-Protocol value. Default 'gsma/rsp/v2.2.0'. */
  adminProtocol?: string;
  /** Send `User-Agent: gsma-rsp-lpad` (Node and other non-browser callers only). */
  sendUserAgent?: boolean;
  /** Path interface used for ES11 calls. Default 'es9plus' (common practice, docs/protocol.md §4.2). */
  es11Interface?: Es9pInterface;
  /** Trace hook, called once per HTTP exchange; its errors are ignored. */
  onExchange?: (exchange: Es9pExchange) => void;
  /** Clock for durations (ms). Default Date.now. */
  now?: () => number;
}

export interface InitiateAuthenticationResponse {
  transactionId: string;
  serverSigned1: Uint8Array;
  serverSignature1: Uint8Array;
  euiccCiPKIdToBeUsed: Uint8Array;
  serverCertificate: Uint8Array;
}

export interface AuthenticateClientResponse {
  transactionId: string;
  profileMetadata: Uint8Array;
  smdpSigned2: Uint8Array;
  smdpSignature2: Uint8Array;
  smdpCertificate: Uint8Array;
}

export interface GetBoundProfilePackageResponse {
  transactionId: string;
  boundProfilePackage: Uint8Array;
}

export interface EventEntry {
  eventId: string;
  rspServerAddress: string;
}

export interface Es11AuthenticateClientResponse {
  transactionId: string;
  eventEntries: EventEntry[];
}

export const DEFAULT_ADMIN_PROTOCOL = 'gsma/rsp/v2.2.0';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_BPP_TIMEOUT_MS = 120_000;
export const LPAD_USER_AGENT = 'gsma-rsp-lpad';

/** Tags the answer fields must carry (docs/protocol.md §4.2). */
const Tag = {
  sequence: 0x30,
  signature: 0x5f37,
  octetString: 0x04,
  storeMetadataRequest: 0xbf25,
  boundProfilePackage: 0xbf36,
} as const;

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

interface CallSpec {
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
class JsonChannel {
  readonly #fetch: Es9pFetch;
  readonly #route: Es9pRoute;
  readonly #adminProtocol: string;
  readonly #sendUserAgent: boolean;
  readonly #onExchange: ((exchange: Es9pExchange) => void) | undefined;
  readonly #now: () => number;

  constructor(options: Es9pClientOptions) {
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

/** Reads the fields of a successful answer; every failure is a badResponse error. */
class Fields {
  constructor(
    readonly fn: string,
    readonly json: Json,
  ) {}

  #bad(detail: string): Es9pTransportError {
    return new Es9pTransportError(
      'badResponse',
      this.fn,
      `${this.fn}: unexpected answer from the server: ${detail}.`,
      { httpStatus: 200 },
    );
  }

  string(name: string): string {
    const v = this.json[name];
    if (typeof v !== 'string') throw this.#bad(`field "${name}" is missing or not a string`);
    return v;
  }

  /** A hex transaction ID (1..16 bytes); equal to `expected` ignoring case when given. */
  transactionId(expected?: string): string {
    const v = this.string('transactionId');
    if (!/^(?:[0-9A-Fa-f]{2}){1,16}$/.test(v))
      throw this.#bad(`transactionId "${v.slice(0, 40)}" is not 1 to 16 bytes of hex`);
    if (expected !== undefined && v.toLowerCase() !== expected.toLowerCase())
      throw this.#bad(`transactionId ${v} differs from the request's ${expected}`);
    return v;
  }

  /** Base64 of exactly one TLV with tag `tag`; returns the decoded bytes as received. */
  tlv(name: string, tag: number): Uint8Array {
    const text = this.string(name);
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(text);
    } catch (e) {
      if (e instanceof CodecError) throw this.#bad(`field "${name}" is not valid base64`);
      throw e;
    }
    let tlvTag: number;
    let next: number;
    try {
      const r = readTlv(bytes);
      tlvTag = r.tlv.tag;
      next = r.next;
    } catch (e) {
      if (e instanceof TlvError)
        throw this.#bad(`field "${name}" is not a valid TLV (${e.message})`);
      throw e;
    }
    if (tlvTag !== tag)
      throw this.#bad(`field "${name}" has tag ${tagHex(tlvTag)} (expected ${tagHex(tag)})`);
    if (next !== bytes.length)
      throw this.#bad(`field "${name}" has ${bytes.length - next} bytes after its TLV`);
    return bytes;
  }

  eventEntries(): EventEntry[] {
    const v = this.json.eventEntries;
    // No events is a normal outcome; servers may then leave the list out.
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.#bad('field "eventEntries" is not an array');
    return v.map((entry: unknown, i) => {
      if (
        !isRecord(entry) ||
        typeof entry.eventId !== 'string' ||
        typeof entry.rspServerAddress !== 'string'
      )
        throw this.#bad(`eventEntries[${i}] lacks a string eventId or rspServerAddress`);
      return { eventId: entry.eventId, rspServerAddress: entry.rspServerAddress };
    });
  }
}

function readInitiateAuthentication(fn: string, json: Json): InitiateAuthenticationResponse {
  const f = new Fields(fn, json);
  return {
    transactionId: f.transactionId(),
    serverSigned1: f.tlv('serverSigned1', Tag.sequence),
    serverSignature1: f.tlv('serverSignature1', Tag.signature),
    euiccCiPKIdToBeUsed: f.tlv('euiccCiPKIdToBeUsed', Tag.octetString),
    serverCertificate: f.tlv('serverCertificate', Tag.sequence),
  };
}

function requireJson(fn: string, json: Json | undefined): Json {
  if (json === undefined)
    throw new Es9pTransportError(
      'badResponse',
      fn,
      `${fn}: unexpected answer from the server: the body is empty.`,
    );
  return json;
}

/** ES9+: the LPA's interface to an SM-DP+. Satisfies the LPA's Es9pApi. */
export class Es9pClient {
  readonly #channel: JsonChannel;
  readonly #timeoutMs: number;
  readonly #bppTimeoutMs: number;
  /** ES11 calls with the same fetch, route and hooks. */
  readonly es11: Es11Client;

  constructor(options: Es9pClientOptions) {
    this.#channel = new JsonChannel(options);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#bppTimeoutMs = options.bppTimeoutMs ?? DEFAULT_BPP_TIMEOUT_MS;
    this.es11 = new Es11Client(options);
  }

  async #call(
    functionName: string,
    address: string,
    body: Json,
    signal: AbortSignal | undefined,
    extra: { timeoutMs?: number; notification?: boolean; headerOnly?: boolean } = {},
  ): Promise<Json | undefined> {
    return this.#channel.call({
      functionName,
      iface: 'es9plus',
      address,
      body,
      timeoutMs: extra.timeoutMs ?? this.#timeoutMs,
      signal,
      accept204: extra.notification === true || extra.headerOnly === true,
      bodyOptional: extra.notification === true || extra.headerOnly === true,
    });
  }

  /** ES9+.InitiateAuthentication: starts an RSP session (docs/protocol.md §5.1 step 2). */
  async initiateAuthentication(
    req: { smdpAddress: string; euiccChallenge: Uint8Array; euiccInfo1: Uint8Array },
    signal?: AbortSignal,
  ): Promise<InitiateAuthenticationResponse> {
    const fn = 'initiateAuthentication';
    const json = await this.#call(
      fn,
      req.smdpAddress,
      {
        euiccChallenge: toBase64(req.euiccChallenge),
        euiccInfo1: toBase64(req.euiccInfo1),
        smdpAddress: req.smdpAddress,
      },
      signal,
    );
    return readInitiateAuthentication(fn, requireJson(fn, json));
  }

  /** ES9+.AuthenticateClient: forwards the eUICC's BF38 answer; returns the profile offer. */
  async authenticateClient(
    req: { smdpAddress: string; transactionId: string; authenticateServerResponse: Uint8Array },
    signal?: AbortSignal,
  ): Promise<AuthenticateClientResponse> {
    const fn = 'authenticateClient';
    const json = await this.#call(
      fn,
      req.smdpAddress,
      {
        transactionId: req.transactionId,
        authenticateServerResponse: toBase64(req.authenticateServerResponse),
      },
      signal,
    );
    const f = new Fields(fn, requireJson(fn, json));
    return {
      transactionId: f.transactionId(req.transactionId),
      profileMetadata: f.tlv('profileMetadata', Tag.storeMetadataRequest),
      smdpSigned2: f.tlv('smdpSigned2', Tag.sequence),
      smdpSignature2: f.tlv('smdpSignature2', Tag.signature),
      smdpCertificate: f.tlv('smdpCertificate', Tag.sequence),
    };
  }

  /** ES9+.GetBoundProfilePackage: forwards the eUICC's BF21 answer; returns the BF36 BPP. */
  async getBoundProfilePackage(
    req: { smdpAddress: string; transactionId: string; prepareDownloadResponse: Uint8Array },
    signal?: AbortSignal,
  ): Promise<GetBoundProfilePackageResponse> {
    const fn = 'getBoundProfilePackage';
    const json = await this.#call(
      fn,
      req.smdpAddress,
      {
        transactionId: req.transactionId,
        prepareDownloadResponse: toBase64(req.prepareDownloadResponse),
      },
      signal,
      { timeoutMs: this.#bppTimeoutMs },
    );
    const f = new Fields(fn, requireJson(fn, json));
    return {
      transactionId: f.transactionId(req.transactionId),
      boundProfilePackage: f.tlv('boundProfilePackage', Tag.boundProfilePackage),
    };
  }

  /** ES9+.HandleNotification: delivers a pending notification (BF37 or 30) to its address. */
  async handleNotification(
    req: { address: string; pendingNotification: Uint8Array },
    signal?: AbortSignal,
  ): Promise<void> {
    await this.#call(
      'handleNotification',
      req.address,
      { pendingNotification: toBase64(req.pendingNotification) },
      signal,
      { notification: true },
    );
  }

  /** ES9+.CancelSession: forwards the eUICC's signed BF41 answer. */
  async cancelSession(
    req: { smdpAddress: string; transactionId: string; cancelSessionResponse: Uint8Array },
    signal?: AbortSignal,
  ): Promise<void> {
    await this.#call(
      'cancelSession',
      req.smdpAddress,
      {
        transactionId: req.transactionId,
        cancelSessionResponse: toBase64(req.cancelSessionResponse),
      },
      signal,
      { headerOnly: true },
    );
  }
}

/**
 * ES11: the LPA's interface to an SM-DS (event discovery). The same two authentication calls
 * as ES9+, with `smdpAddress` in the JSON set to the SM-DS address; the second one returns the
 * event list (docs/protocol.md §4.2). Satisfies the LPA's Es11Api.
 */
export class Es11Client {
  readonly #channel: JsonChannel;
  readonly #timeoutMs: number;
  readonly #iface: Es9pInterface;

  constructor(options: Es9pClientOptions) {
    this.#channel = new JsonChannel(options);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#iface = options.es11Interface ?? 'es9plus';
  }

  async #call(
    functionName: string,
    address: string,
    body: Json,
    signal?: AbortSignal,
  ): Promise<Json> {
    const json = await this.#channel.call({
      functionName,
      iface: this.#iface,
      address,
      body,
      timeoutMs: this.#timeoutMs,
      signal,
      accept204: false,
      bodyOptional: false,
    });
    return requireJson(functionName, json);
  }

  /** ES11.InitiateAuthentication against an SM-DS. */
  async initiateAuthentication(
    req: { smdsAddress: string; euiccChallenge: Uint8Array; euiccInfo1: Uint8Array },
    signal?: AbortSignal,
  ): Promise<InitiateAuthenticationResponse> {
    const fn = 'initiateAuthentication';
    const json = await this.#call(
      fn,
      req.smdsAddress,
      {
        euiccChallenge: toBase64(req.euiccChallenge),
        euiccInfo1: toBase64(req.euiccInfo1),
        smdpAddress: req.smdsAddress,
      },
      signal,
    );
    return readInitiateAuthentication(fn, json);
  }

  /** ES11.AuthenticateClient: returns the events registered for this eUICC (maybe none). */
  async authenticateClient(
    req: { smdsAddress: string; transactionId: string; authenticateServerResponse: Uint8Array },
    signal?: AbortSignal,
  ): Promise<Es11AuthenticateClientResponse> {
    const fn = 'authenticateClient';
    const json = await this.#call(
      fn,
      req.smdsAddress,
      {
        transactionId: req.transactionId,
        authenticateServerResponse: toBase64(req.authenticateServerResponse),
      },
      signal,
    );
    const f = new Fields(fn, json);
    return { transactionId: f.transactionId(req.transactionId), eventEntries: f.eventEntries() };
  }
}
