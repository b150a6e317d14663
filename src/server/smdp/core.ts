/**
 * The test SM-DP+ and SM-DS as a pure, in-process core: ES9+ (initiateAuthentication,
 * authenticateClient, getBoundProfilePackage, handleNotification, cancelSession; SGP.22 v2.2.2
 * §5.6) and ES11 (initiateAuthentication, authenticateClient -> event entries; §5.8), following
 * the server side of the download flow of SGP.22 v2.2.2 §3.1.3. No HTTP here:
 * `handle(iface, fn, body)` takes the parsed JSON request and returns the JSON response (or
 * 204), so tests and benchmarks can drive it directly and server.ts only adds transport
 * concerns.
 *
 * This module builds the shared context (context.ts) and dispatches; each function lives in its
 * own module: initiate-authentication.ts (§5.6.1, §5.8.1), authenticate-client.ts (§5.6.3,
 * §5.8.2), bound-profile-package.ts (§5.6.2), notification.ts (§5.6.4), cancel-session.ts
 * (§5.6.5). Beside them: orders.ts (order state, confirmation-code attempts, cancel policy),
 * sessions.ts (the capped session table), replay.ts (notification replays), request.ts (reading
 * request fields), euicc-check.ts (eUICC certificate chains), records.ts (what /state shows).
 *
 * Every refusal is an SmdpError carrying SGP.22 subject/reason codes (status.ts documents the
 * choices). A failed call never leaves a session half-changed: state is only written after
 * every check of that call has passed.
 */
import { fromHex, normaliseIccid, toHex } from '../../codec/index.ts';
import { parseCertificate, systemRng, type Rng } from '../../rsp/index.ts';
import { authenticateClient } from './authenticate-client.ts';
import { getBoundProfilePackage } from './bound-profile-package.ts';
import { cancelSession } from './cancel-session.ts';
import type { Order } from './catalogue.ts';
import { SmdpContext, type Interface } from './context.ts';
import type { CiCredentials } from './credentials.ts';
import { initiateAuthentication } from './initiate-authentication.ts';
import { handleNotification } from './notification.ts';
import { DEFAULT_CC_POLICY, newOrderState, resetCcLock } from './orders.ts';
import { checkProfilePackage } from './packages.ts';
import type { CoreState } from './records.ts';
import { fail } from './request.ts';
import { DEFAULT_MAX_SESSIONS } from './sessions.ts';
import { SmdpError, Status, executionHeader } from './status.ts';

export type { CoreState, EventRecord, NotificationRecord } from './records.ts';
export type { Interface } from './context.ts';
export { hashConfirmationCode } from './bound-profile-package.ts';

export type EsResult = { status: 200; body: Record<string, unknown> } | { status: 204 };

export interface SmdpCoreOptions {
  /** The SM-DP+ FQDN: serverSigned1 serverAddress, activation codes, notification address. */
  smdpAddress: string;
  /** The SM-DP+ OID (DPauth SAN registeredID), checked in signed cancel/install results. */
  smdpOid: string;
  /** The SM-DS FQDN served by the same core (ES11). */
  smdsAddress: string;
  /** Credentials per CI; the CIs are also the trust anchors for eUICC certificates. */
  pki: readonly CiCredentials[];
  /** Further CI certificates (DER) trusted for eUICC chains only. */
  extraTrustedCis?: readonly Uint8Array[];
  orders?: readonly Order[];
  rng?: Rng;
  now?: () => Date;
  /** Default 10 minutes between initiateAuthentication and the end of the download. */
  sessionTimeoutMs?: number;
  /**
   * Live sessions at most (default 1000). When full, the oldest session that has not
   * authenticated yet is dropped; when all have authenticated, new ones get 8.8/3.7.
   */
  maxSessions?: number;
  /** Wrong confirmation codes per order (over all sessions) before it is locked. Default 5. */
  maxConfirmationCodeAttempts?: number;
  /** Wait after the first wrong confirmation code of an order, doubling after each. Default 1 s. */
  confirmationCodeBackoffMs?: number;
}

export class SmdpCore {
  readonly smdpAddress: string;
  readonly smdsAddress: string;
  readonly smdpOid: string;
  private readonly ctx: SmdpContext;

  constructor(options: SmdpCoreOptions) {
    if (options.pki.length === 0) throw new Error('SmdpCore needs at least one CI credential set');
    this.smdpAddress = options.smdpAddress;
    this.smdsAddress = options.smdsAddress;
    this.smdpOid = options.smdpOid;
    const ccPolicy = {
      maxAttempts: options.maxConfirmationCodeAttempts ?? DEFAULT_CC_POLICY.maxAttempts,
      backoffMs: options.confirmationCodeBackoffMs ?? DEFAULT_CC_POLICY.backoffMs,
    };
    if (!Number.isInteger(ccPolicy.maxAttempts) || ccPolicy.maxAttempts < 1)
      throw new RangeError('maxConfirmationCodeAttempts must be a positive integer');
    if (!(ccPolicy.backoffMs >= 0))
      throw new RangeError('confirmationCodeBackoffMs must not be negative');
    this.ctx = new SmdpContext({
      smdpAddress: options.smdpAddress,
      smdsAddress: options.smdsAddress,
      smdpOid: options.smdpOid,
      pki: options.pki,
      trusted: [
        ...options.pki.map((p) => p.ci.parsed),
        ...(options.extraTrustedCis ?? []).map((der) => parseCertificate(der)),
      ],
      rng: options.rng ?? systemRng,
      now: options.now ?? (() => new Date()),
      sessionTimeoutMs: options.sessionTimeoutMs ?? 10 * 60_000,
      ccPolicy,
      maxSessions: options.maxSessions ?? DEFAULT_MAX_SESSIONS,
    });
    for (const o of options.orders ?? []) this.addOrder(o);
  }

  /**
   * Adds (or replaces) a download order; registers its SM-DS event when asked.
   * Throws CodecError when a generated order's ICCID is not valid, PackageError when a package
   * order's package is not (checked now, not mid-download). A package order built in code
   * without its header ICCID gets it from the package.
   */
  addOrder(order: Order): void {
    // A package file's ICCID is the header's own, served as it is (catalogue.ts, packages.ts).
    if (order.profile.kind === 'generated') normaliseIccid(order.iccid);
    else if (order.profile.iccid === undefined)
      order = {
        ...order,
        profile: { ...order.profile, iccid: checkProfilePackage(order.profile.data).iccid },
      };
    this.ctx.orders.set(order.matchingId.toUpperCase(), newOrderState(order));
    if (order.smdsEvent && order.eid !== undefined)
      this.registerEvent({ eid: order.eid, eventId: order.matchingId });
  }

  /** ES12-style event registration at the SM-DS; returns the event ID. */
  registerEvent(e: { eid: string; eventId?: string; rspServerAddress?: string }): string {
    return this.ctx.registerEvent(e);
  }

  /**
   * Unlocks an order locked by wrong confirmation codes and forgets its wrong attempts.
   * Returns false when no order has this matching ID.
   */
  resetConfirmationCodeLock(matchingId: string): boolean {
    const state = this.ctx.orders.get(matchingId.toUpperCase());
    if (!state) return false;
    resetCcLock(state);
    return true;
  }

  deleteEvent(eid: string, eventId: string): boolean {
    return this.ctx.deleteEvent(eid, eventId);
  }

  /** The CI certificates the server's credentials chain to (DER), e.g. for an eUICC's trust list. */
  ciCertificates(): Uint8Array[] {
    return this.ctx.config.pki.map((p) => p.ci.certificate);
  }

  /**
   * Dispatches one function call. `iface` is the URL family; ES11 calls may also arrive on
   * es9plus paths (common practice): initiateAuthentication is routed by the
   * address in the request, later calls by the transaction.
   */
  handle(iface: Interface, fn: string, body: unknown): EsResult {
    const ctx = this.ctx;
    try {
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        fail(Status.invalidRequest, 'the request body must be a JSON object');
      const req = body as Record<string, unknown>;
      ctx.sweep();
      switch (fn) {
        case 'initiateAuthentication':
          return ok(initiateAuthentication(ctx, iface, req));
        case 'authenticateClient':
          return ok(authenticateClient(ctx, iface, req));
        case 'getBoundProfilePackage':
          if (iface === 'es11') break;
          return ok(getBoundProfilePackage(ctx, req));
        case 'cancelSession':
          if (iface === 'es11') break;
          return ok(cancelSession(ctx, req));
        case 'handleNotification':
          if (iface === 'es11') break;
          handleNotification(ctx, req);
          return { status: 204 };
      }
      fail(Status.invalidRequest, `unknown function ${fn}`);
    } catch (e) {
      if (fn === 'handleNotification' && iface === 'es9plus') {
        // Notifications are always acknowledged (SGP.22 v2.2.2 §5.6.4); a broken one is recorded.
        ctx.recordNotification({
          receivedAt: ctx.config.now().toISOString(),
          kind: 'unknown',
          verified: false,
          problem: e instanceof Error ? e.message : 'invalid request',
        });
        return { status: 204 };
      }
      if (e instanceof SmdpError) return { status: 200, body: { header: executionHeader(e) } };
      throw e;
    }
  }

  /** A read-only snapshot for GET /state, tests and demos. */
  state(): CoreState {
    this.ctx.sweep();
    return this.ctx.snapshot();
  }
}

function ok(fields: Record<string, unknown>): EsResult {
  return { status: 200, body: { header: executionHeader(), ...fields } };
}

/** Exposed for tests: the same transaction-id text form the server emits. */
export function transactionIdHex(bytes: Uint8Array): string {
  return toHex(bytes).toUpperCase();
}

/** Parses a transactionId hex string (for tests and clients). */
export function parseTransactionId(text: string): Uint8Array {
  return fromHex(text);
}
