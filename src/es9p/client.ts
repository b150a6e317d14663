/**
 * The typed ES9+ (LPA -> SM-DP+, SGP.22 v2.2.2 §5.6) and ES11 (LPA -> SM-DS, §5.8) client: one
 * method per function, binary values as base64 of exact DER bytes (docs/protocol.md §4).
 *
 * - The HTTP/JSON channel (channel.ts) sends each call: headers, timeouts, JSON parsing and
 *   error mapping. Every function answers HTTP 200 with `header.functionExecutionStatus`;
 *   `Executed-Success` and `Executed-WithWarning` are success, `Failed`/`Expired` become
 *   `Es9pError` with the subject/reason codes. handleNotification answers 204 without a body.
 * - Binary fields of answers are returned as the exact decoded bytes, never re-encoded: they
 *   carry signatures the eUICC verifies. Each must decode to a single TLV with the expected tag
 *   (fields.ts).
 * - Transaction IDs are hex strings; the answer's must equal the request's, ignoring case.
 * - A timeout per call (default 30 s; the bound profile package 120 s) combines with the
 *   caller's AbortSignal.
 */
import { toBase64 } from '../codec/index.ts';
import { JsonChannel, requireJson, type Es9pChannelOptions, type Json } from './channel.ts';
import type { Es9pInterface } from './endpoint.ts';
import { AnswerTag, Fields, type EventEntry } from './fields.ts';

export type { EventEntry } from './fields.ts';

export interface Es9pClientOptions extends Es9pChannelOptions {
  /** Per-call timeout in ms. Default 30 000. */
  timeoutMs?: number;
  /** Timeout for getBoundProfilePackage, whose answer can be large. Default 120 000. */
  bppTimeoutMs?: number;
  /** Path interface used for ES11 calls. Default 'es9plus' (common practice, docs/protocol.md §4.2). */
  es11Interface?: Es9pInterface;
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

export interface Es11AuthenticateClientResponse {
  transactionId: string;
  eventEntries: EventEntry[];
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_BPP_TIMEOUT_MS = 120_000;

/** The body of ES9+/ES11.InitiateAuthentication (SGP.22 v2.2.2 §5.6.1, §5.8.1). */
function initiateAuthenticationBody(
  address: string,
  euiccChallenge: Uint8Array,
  euiccInfo1: Uint8Array,
): Json {
  return {
    euiccChallenge: toBase64(euiccChallenge),
    euiccInfo1: toBase64(euiccInfo1),
    smdpAddress: address,
  };
}

/** ES9+/ES11.InitiateAuthentication's answer (the same fields from an SM-DP+ or an SM-DS). */
function readInitiateAuthentication(fn: string, json: Json): InitiateAuthenticationResponse {
  const f = new Fields(fn, json);
  return {
    transactionId: f.transactionId(),
    serverSigned1: f.tlv('serverSigned1', AnswerTag.sequence),
    serverSignature1: f.tlv('serverSignature1', AnswerTag.signature),
    euiccCiPKIdToBeUsed: f.tlv('euiccCiPKIdToBeUsed', AnswerTag.octetString),
    serverCertificate: f.tlv('serverCertificate', AnswerTag.sequence),
  };
}

/** The body of ES9+/ES11.AuthenticateClient (SGP.22 v2.2.2 §5.6.3, §5.8.2). */
function authenticateClientBody(
  transactionId: string,
  authenticateServerResponse: Uint8Array,
): Json {
  return { transactionId, authenticateServerResponse: toBase64(authenticateServerResponse) };
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

  /** ES9+.InitiateAuthentication (SGP.22 v2.2.2 §5.6.1): starts an RSP session (docs/protocol.md §5.1 step 2). */
  async initiateAuthentication(
    req: { smdpAddress: string; euiccChallenge: Uint8Array; euiccInfo1: Uint8Array },
    signal?: AbortSignal,
  ): Promise<InitiateAuthenticationResponse> {
    const fn = 'initiateAuthentication';
    const json = await this.#call(
      fn,
      req.smdpAddress,
      initiateAuthenticationBody(req.smdpAddress, req.euiccChallenge, req.euiccInfo1),
      signal,
    );
    return readInitiateAuthentication(fn, requireJson(fn, json));
  }

  /** ES9+.AuthenticateClient (SGP.22 v2.2.2 §5.6.3): forwards the eUICC's BF38 answer; returns the profile offer. */
  async authenticateClient(
    req: { smdpAddress: string; transactionId: string; authenticateServerResponse: Uint8Array },
    signal?: AbortSignal,
  ): Promise<AuthenticateClientResponse> {
    const fn = 'authenticateClient';
    const json = await this.#call(
      fn,
      req.smdpAddress,
      authenticateClientBody(req.transactionId, req.authenticateServerResponse),
      signal,
    );
    const f = new Fields(fn, requireJson(fn, json));
    return {
      transactionId: f.transactionId(req.transactionId),
      profileMetadata: f.tlv('profileMetadata', AnswerTag.storeMetadataRequest),
      smdpSigned2: f.tlv('smdpSigned2', AnswerTag.sequence),
      smdpSignature2: f.tlv('smdpSignature2', AnswerTag.signature),
      smdpCertificate: f.tlv('smdpCertificate', AnswerTag.sequence),
    };
  }

  /** ES9+.GetBoundProfilePackage (SGP.22 v2.2.2 §5.6.2): forwards the eUICC's BF21 answer; returns the BF36 BPP. */
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
      boundProfilePackage: f.tlv('boundProfilePackage', AnswerTag.boundProfilePackage),
    };
  }

  /** ES9+.HandleNotification (SGP.22 v2.2.2 §5.6.4): delivers a pending notification (BF37 or 30) to its address. */
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

  /** ES9+.CancelSession (SGP.22 v2.2.2 §5.6.5): forwards the eUICC's signed BF41 answer. */
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

  /** ES11.InitiateAuthentication (SGP.22 v2.2.2 §5.8.1) against an SM-DS. */
  async initiateAuthentication(
    req: { smdsAddress: string; euiccChallenge: Uint8Array; euiccInfo1: Uint8Array },
    signal?: AbortSignal,
  ): Promise<InitiateAuthenticationResponse> {
    const fn = 'initiateAuthentication';
    const json = await this.#call(
      fn,
      req.smdsAddress,
      initiateAuthenticationBody(req.smdsAddress, req.euiccChallenge, req.euiccInfo1),
      signal,
    );
    return readInitiateAuthentication(fn, json);
  }

  /** ES11.AuthenticateClient (SGP.22 v2.2.2 §5.8.2): returns the events registered for this eUICC (maybe none). */
  async authenticateClient(
    req: { smdsAddress: string; transactionId: string; authenticateServerResponse: Uint8Array },
    signal?: AbortSignal,
  ): Promise<Es11AuthenticateClientResponse> {
    const fn = 'authenticateClient';
    const json = await this.#call(
      fn,
      req.smdsAddress,
      authenticateClientBody(req.transactionId, req.authenticateServerResponse),
      signal,
    );
    const f = new Fields(fn, json);
    return { transactionId: f.transactionId(req.transactionId), eventEntries: f.eventEntries() };
  }
}
