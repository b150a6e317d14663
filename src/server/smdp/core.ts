/**
 * The test SM-DP+ and SM-DS as a pure, in-process core: ES9+ (initiateAuthentication,
 * authenticateClient, getBoundProfilePackage, handleNotification, cancelSession) and ES11
 * (initiateAuthentication, authenticateClient -> event entries), following the server side of
 * the download flow of SGP.22 v2.2.2 §3.1.3. No HTTP here: `handle(iface, fn, body)` takes the
 * parsed JSON request and returns the JSON response (or 204), so tests and benchmarks can drive
 * it directly and server.ts only adds transport concerns.
 *
 * Beside it: orders.ts (order state, confirmation-code attempts, cancel policy), sessions.ts
 * (the capped session table), replay.ts (notification replays), request.ts (reading request
 * fields), euicc-check.ts (eUICC certificate chains), records.ts (what /state shows).
 *
 * Every refusal is an SmdpError carrying SGP.22 subject/reason codes (status.ts documents the
 * choices). A failed call never leaves a session half-changed: state is only written after
 * every check of that call has passed.
 */
import {
  bytesEqual,
  concat,
  decodeIccid,
  encodeEid,
  encodeIccid,
  encodeTlv,
  fromHex,
  luhnCheckDigit,
  normaliseIccid,
  toBase64,
  toHex,
} from '../../codec/index.ts';
import { Tag } from '../../es10/tags.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  RspCryptoError,
  encodeOid,
  parseCertificate,
  signTr03111,
  systemRng,
  validatePublicKey,
  verifyTr03111,
  type Certificate,
  type Rng,
} from '../../rsp/index.ts';
import { encodeMinimalProfile } from '../../rsp/saip.ts';
import {
  encodeServerSigned1,
  encodeSmdpSigned2,
  encodeStoreMetadata,
  parseAuthenticateServerResponse,
  parseCancelSessionResponse,
  parseEuiccInfo1,
  parsePendingNotification,
  parsePrepareDownloadResponse,
  type AuthenticateServerOk,
  type EventName,
} from './asn1.ts';
import { buildBoundProfilePackage } from './bpp.ts';
import { checkProfilePackage } from './packages.ts';
import type { Order } from './catalogue.ts';
import type { CiCredentials } from './credentials.ts';
import {
  DEFAULT_CC_POLICY,
  ccGate,
  isAvailable,
  newOrderState,
  recordRightCode,
  recordWrongCode,
  releaseAfterCancel,
  resetCcLock,
  type CcPolicy,
  type OrderState,
} from './orders.ts';
import { ReplayGuard, eventKey, installKey } from './replay.ts';
import type { CoreState, EventRecord, NotificationRecord, SessionState } from './records.ts';
import { b64Field, decodeField, fail, field, sameAddress } from './request.ts';
import { verifyEuiccCertificates, type EuiccIdentityInfo } from './euicc-check.ts';
import { BoundedMap, DEFAULT_MAX_SESSIONS, SessionTable } from './sessions.ts';
import { SmdpError, Status, executionHeader } from './status.ts';

export type { CoreState, EventRecord, NotificationRecord } from './records.ts';

export type Interface = 'es9plus' | 'es11';

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

interface Session {
  iface: 'smdp' | 'smds';
  transactionId: Uint8Array;
  txHex: string;
  state: SessionState;
  expiresAtMs: number;
  euiccChallenge: Uint8Array;
  serverChallenge: Uint8Array;
  pki: CiCredentials;
  euicc?: EuiccIdentityInfo;
  order?: OrderState;
  iccid?: string;
  metadata?: Uint8Array;
  smdpSignature2Tlv?: Uint8Array;
  ccRequired?: boolean;
  bppCache?: { request: Uint8Array; bpp: Uint8Array };
}

/** Finished sessions kept to verify late install notifications (oldest dropped first). */
const MAX_COMPLETED = 1000;
/** Notifications and cancellations kept for /state (oldest dropped first). */
const MAX_RECORDS = 1000;
/** SM-DS events kept (oldest dropped first). */
const MAX_EVENTS = 10_000;

/** hashCc = SHA-256(SHA-256(code) || transactionId) (SGP.22 v2.2.2 §3.1.3). */
export function hashConfirmationCode(code: string, transactionId: Uint8Array): Uint8Array {
  return sha256(concat(sha256(new TextEncoder().encode(code)), transactionId));
}

export class SmdpCore {
  readonly smdpAddress: string;
  readonly smdsAddress: string;
  readonly smdpOid: string;
  private readonly pki: readonly CiCredentials[];
  private readonly trusted: Certificate[];
  private readonly rng: Rng;
  private readonly now: () => Date;
  private readonly sessionTimeoutMs: number;
  private readonly ccPolicy: CcPolicy;
  private readonly sessions: SessionTable<Session>;
  /** Finished sessions: the eUICC key that verifies a late install notification. */
  private readonly completed = new BoundedMap<
    string,
    { euicc: EuiccIdentityInfo; order?: OrderState }
  >(MAX_COMPLETED);
  private readonly replays = new ReplayGuard();
  private readonly orders = new Map<string, OrderState>();
  private readonly notifications: NotificationRecord[] = [];
  private readonly cancellations: CoreState['cancellations'] = [];
  private readonly events: EventRecord[] = [];
  private readonly profileCache = new Map<string, Uint8Array>();

  constructor(options: SmdpCoreOptions) {
    if (options.pki.length === 0) throw new Error('SmdpCore needs at least one CI credential set');
    this.smdpAddress = options.smdpAddress;
    this.smdsAddress = options.smdsAddress;
    this.smdpOid = options.smdpOid;
    this.pki = options.pki;
    this.trusted = [
      ...options.pki.map((p) => p.ci.parsed),
      ...(options.extraTrustedCis ?? []).map((der) => parseCertificate(der)),
    ];
    this.rng = options.rng ?? systemRng;
    this.now = options.now ?? (() => new Date());
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 10 * 60_000;
    this.ccPolicy = {
      maxAttempts: options.maxConfirmationCodeAttempts ?? DEFAULT_CC_POLICY.maxAttempts,
      backoffMs: options.confirmationCodeBackoffMs ?? DEFAULT_CC_POLICY.backoffMs,
    };
    if (!Number.isInteger(this.ccPolicy.maxAttempts) || this.ccPolicy.maxAttempts < 1)
      throw new RangeError('maxConfirmationCodeAttempts must be a positive integer');
    if (!(this.ccPolicy.backoffMs >= 0))
      throw new RangeError('confirmationCodeBackoffMs must not be negative');
    this.sessions = new SessionTable<Session>(options.maxSessions ?? DEFAULT_MAX_SESSIONS, (s) => {
      this.retire(s);
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
    this.orders.set(order.matchingId.toUpperCase(), newOrderState(order));
    if (order.smdsEvent && order.eid !== undefined)
      this.registerEvent({ eid: order.eid, eventId: order.matchingId });
  }

  /** ES12-style event registration at the SM-DS; returns the event ID. */
  registerEvent(e: { eid: string; eventId?: string; rspServerAddress?: string }): string {
    const eventId = e.eventId ?? toHex(this.rng(8));
    const rspServerAddress = e.rspServerAddress ?? this.smdpAddress;
    const existing = this.events.findIndex((x) => x.eid === e.eid && x.eventId === eventId);
    if (existing >= 0) this.events.splice(existing, 1);
    this.events.push({ eid: e.eid, eventId, rspServerAddress });
    if (this.events.length > MAX_EVENTS) this.events.shift();
    return eventId;
  }

  /**
   * Unlocks an order locked by wrong confirmation codes and forgets its wrong attempts.
   * Returns false when no order has this matching ID.
   */
  resetConfirmationCodeLock(matchingId: string): boolean {
    const state = this.orders.get(matchingId.toUpperCase());
    if (!state) return false;
    resetCcLock(state);
    return true;
  }

  deleteEvent(eid: string, eventId: string): boolean {
    const i = this.events.findIndex((x) => x.eid === eid && x.eventId === eventId);
    if (i < 0) return false;
    this.events.splice(i, 1);
    return true;
  }

  /** The CI certificates the server's credentials chain to (DER), e.g. for an eUICC's trust list. */
  ciCertificates(): Uint8Array[] {
    return this.pki.map((p) => p.ci.certificate);
  }

  /**
   * Dispatches one function call. `iface` is the URL family; ES11 calls may also arrive on
   * es9plus paths (common practice): initiateAuthentication is routed by the
   * address in the request, later calls by the transaction.
   */
  handle(iface: Interface, fn: string, body: unknown): EsResult {
    try {
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        fail(Status.invalidRequest, 'the request body must be a JSON object');
      const req = body as Record<string, unknown>;
      this.sweep();
      switch (fn) {
        case 'initiateAuthentication':
          return this.ok(this.initiateAuthentication(iface, req));
        case 'authenticateClient':
          return this.ok(this.authenticateClient(iface, req));
        case 'getBoundProfilePackage':
          if (iface === 'es11') break;
          return this.ok(this.getBoundProfilePackage(req));
        case 'cancelSession':
          if (iface === 'es11') break;
          return this.ok(this.cancelSession(req));
        case 'handleNotification':
          if (iface === 'es11') break;
          this.handleNotification(req);
          return { status: 204 };
      }
      fail(Status.invalidRequest, `unknown function ${fn}`);
    } catch (e) {
      if (fn === 'handleNotification' && iface === 'es9plus') {
        // Notifications are always acknowledged (SGP.22 v2.2.2 §5.6.4); a broken one is recorded.
        this.record({
          receivedAt: this.now().toISOString(),
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

  private ok(fields: Record<string, unknown>): EsResult {
    return { status: 200, body: { header: executionHeader(), ...fields } };
  }

  private sweep(): void {
    this.sessions.sweep(this.now().getTime());
  }

  private endSession(s: Session): void {
    this.sessions.delete(s);
    this.retire(s);
  }

  /** A session that ended: keep what verifies its late install notification. */
  private retire(s: Session): void {
    // SM-DS sessions never lead to an install notification: they must not push SM-DP+ ones out.
    if (s.euicc && s.iface === 'smdp')
      this.completed.set(s.txHex, { euicc: s.euicc, ...(s.order ? { order: s.order } : {}) });
  }

  private session(req: Record<string, unknown>, expected: SessionState): Session {
    const txText = field(req, 'transactionId');
    const txHex = txText.toUpperCase();
    const s = /^[0-9A-F]{2,32}$/.test(txHex) ? this.sessions.get(txHex) : undefined;
    if (!s || s.state !== expected) fail(Status.unknownTransaction, 'unknown transaction');
    return s;
  }

  // -------------------------------------------------------------------------------------------
  // initiateAuthentication (SGP.22 v2.2.2 §5.6.1)

  private initiateAuthentication(
    iface: Interface,
    req: Record<string, unknown>,
  ): Record<string, unknown> {
    const address = field(req, 'smdpAddress');
    const challenge = b64Field(req, 'euiccChallenge');
    const info1Der = b64Field(req, 'euiccInfo1');
    if (challenge.length !== 16) fail(Status.invalidRequest, 'euiccChallenge must be 16 bytes');
    const info1 = decodeField('euiccInfo1', () => parseEuiccInfo1(info1Der));

    let role: 'smdp' | 'smds';
    if (iface === 'es11') {
      if (!sameAddress(address, this.smdsAddress))
        fail(Status.invalidSmdsAddress, 'this is not the SM-DS address');
      role = 'smds';
    } else if (sameAddress(address, this.smdpAddress)) role = 'smdp';
    else if (sameAddress(address, this.smdsAddress)) role = 'smds';
    else fail(Status.invalidAddress, 'this is not the SM-DP+ address');
    if (info1.svn[0] !== 2)
      fail(Status.svnUnsupported, `SGP.22 v${info1.svn.join('.')} is not supported`);

    // The CI whose chain the eUICC signs with (euiccCiPKIdListForSigning); the verification
    // list is the fallback for eUICCs that fill only one of them.
    const pick = (ids: Uint8Array[]): CiCredentials | undefined =>
      this.pki.find((p) => {
        const ski = p.ci.parsed.subjectKeyId;
        return ski !== undefined && ids.some((id) => bytesEqual(id, ski));
      });
    const pki = pick(info1.ciForSigning) ?? pick(info1.ciForVerification);
    if (!pki) fail(Status.noCommonCi, 'no CI public key in common with the eUICC');

    const transactionId = this.rng(16);
    const serverChallenge = this.rng(16);
    const serverAddress = role === 'smdp' ? this.smdpAddress : this.smdsAddress;
    const serverSigned1 = encodeServerSigned1({
      transactionId,
      euiccChallenge: challenge,
      serverAddress,
      serverChallenge,
    });
    const auth = role === 'smdp' ? pki.dpAuth : pki.dsAuth;
    const signature = signTr03111(auth.key, serverSigned1);
    const session: Session = {
      iface: role,
      transactionId,
      txHex: toHex(transactionId).toUpperCase(),
      state: 'initiated',
      expiresAtMs: this.now().getTime() + this.sessionTimeoutMs,
      euiccChallenge: challenge,
      serverChallenge,
      pki,
    };
    if (!this.sessions.add(session))
      fail(
        role === 'smdp' ? Status.smdpBusy : Status.smdsBusy,
        'too many sessions in progress; try again later',
      );
    return {
      transactionId: session.txHex,
      serverSigned1: toBase64(serverSigned1),
      serverSignature1: toBase64(encodeTlv(Tag.Signature, signature)),
      euiccCiPKIdToBeUsed: toBase64(encodeTlv(Tag.OctetString, pki.ci.parsed.subjectKeyId!)),
      serverCertificate: toBase64(auth.certificate),
    };
  }

  // -------------------------------------------------------------------------------------------
  // authenticateClient (SGP.22 v2.2.2 §5.6.3; the ES11 variant returns event entries)

  private authenticateClient(
    iface: Interface,
    req: Record<string, unknown>,
  ): Record<string, unknown> {
    const s = this.session(req, 'initiated');
    if (iface === 'es11' && s.iface !== 'smds')
      fail(Status.unknownTransaction, 'unknown transaction');
    const der = b64Field(req, 'authenticateServerResponse');
    const resp = decodeField('authenticateServerResponse', () =>
      parseAuthenticateServerResponse(der),
    );
    if (resp.kind === 'error') {
      this.endSession(s);
      fail(Status.euiccSignature, `the eUICC refused authentication (error ${resp.code})`);
    }
    const signed = resp.euiccSigned1;
    if (!bytesEqual(signed.transactionId, s.transactionId))
      fail(Status.unknownTransaction, 'transactionId in euiccSigned1 does not match');
    const euicc = verifyEuiccCertificates(
      this.trusted,
      this.now(),
      resp.euiccCertificate,
      resp.eumCertificate,
    );
    if (!verifyTr03111(euicc.curve, euicc.publicKey, signed.raw, resp.euiccSignature1))
      fail(Status.euiccSignature, 'euiccSignature1 is invalid');
    if (!bytesEqual(signed.serverChallenge, s.serverChallenge))
      fail(Status.euiccSignature, 'serverChallenge does not match');
    const expectedAddress = s.iface === 'smdp' ? this.smdpAddress : this.smdsAddress;
    if (!sameAddress(signed.serverAddress, expectedAddress))
      fail(Status.invalidAddress, 'serverAddress in euiccSigned1 does not match');

    if (s.iface === 'smds') {
      const eventEntries = this.events
        .filter((e) => e.eid === euicc.eid)
        .map((e) => ({ eventId: e.eventId, rspServerAddress: e.rspServerAddress }));
      s.euicc = euicc;
      this.endSession(s);
      return { transactionId: s.txHex, eventEntries };
    }
    return this.releaseOrder(s, resp, euicc);
  }

  /** Order checks, metadata and smdpSigned2 for a verified eUICC. */
  private releaseOrder(
    s: Session,
    resp: AuthenticateServerOk,
    euicc: EuiccIdentityInfo,
  ): Record<string, unknown> {
    const matchingId = resp.euiccSigned1.matchingId ?? '';
    let state: OrderState | undefined;
    if (matchingId === '') {
      for (const o of this.orders.values())
        if (o.order.eid === euicc.eid && isAvailable(o)) {
          state = o;
          break;
        }
      if (!state) fail(Status.noEligibleProfile, 'no pending order for this EID');
    } else {
      state = this.orders.get(matchingId.toUpperCase());
      if (!state) fail(Status.matchingIdRefused, 'unknown matchingId');
    }
    const order = state.order;
    if (order.expiresAt && order.expiresAt.getTime() <= this.now().getTime())
      fail(Status.orderExpired, 'the download order has expired');
    if (!isAvailable(state)) fail(Status.matchingIdRefused, 'the order was already used');
    if (order.eid !== undefined && order.eid !== euicc.eid)
      fail(Status.eidMismatch, 'the order is bound to another EID');
    if (order.confirmationCode !== undefined && state.ccLocked)
      fail(Status.ccRetriesExceeded, 'too many wrong confirmation codes: the order is locked');

    const iccid = this.iccidFor(state);
    const metadata = encodeStoreMetadata({
      iccid: this.iccidBytesFor(state, iccid),
      serviceProviderName: order.metadata.serviceProviderName,
      profileName: order.metadata.profileName,
      ...(order.metadata.icon ? { icon: order.metadata.icon } : {}),
      ...(order.metadata.profileClass ? { profileClass: order.metadata.profileClass } : {}),
      ...(order.metadata.ppr ? { ppr: order.metadata.ppr } : {}),
      notifications: (['install', 'enable', 'disable', 'delete'] as const).map((event) => ({
        events: [event],
        address: this.smdpAddress,
      })),
    });
    const ccRequired = order.confirmationCode !== undefined;
    const smdpSigned2 = encodeSmdpSigned2({ transactionId: s.transactionId, ccRequired });
    const signature2 = signTr03111(s.pki.dpPb.key, concat(smdpSigned2, resp.euiccSignature1Tlv));
    const signature2Tlv = encodeTlv(Tag.Signature, signature2);
    // All checks passed: commit the session's new state in one step.
    state.issued++;
    this.sessions.authenticated(s);
    Object.assign(s, {
      state: 'authenticated',
      euicc,
      order: state,
      iccid,
      metadata,
      ccRequired,
      smdpSignature2Tlv: signature2Tlv,
    } satisfies Partial<Session>);
    return {
      transactionId: s.txHex,
      profileMetadata: toBase64(metadata),
      smdpSigned2: toBase64(smdpSigned2),
      smdpSignature2: toBase64(signature2Tlv),
      smdpCertificate: toBase64(s.pki.dpPb.certificate),
    };
  }

  /**
   * Reusable generated orders get a distinct ICCID per released session (an eUICC refuses a
   * second profile with the same ICCID): the last four payload digits count up from the
   * catalogue's value, and the Luhn digit is recomputed.
   */
  private iccidFor(state: OrderState): string {
    const base = state.order.iccid;
    const n = state.issued;
    if (!state.order.reusable || state.order.profile.kind !== 'generated' || n === 0) return base;
    const payload = base.slice(0, base.length - 1);
    const last4 = (Number(payload.slice(-4)) + n) % 10000;
    const next = payload.slice(0, -4) + String(last4).padStart(4, '0');
    return next + luhnCheckDigit(next);
  }

  /**
   * The StoreMetadata ICCID (SGP.22 v2.2.2 §5.5.3: the eUICC compares it with the package's
   * ProfileHeader). A package file's header bytes go as they are, in the encoding the package
   * uses; only generated profiles are encoded here.
   */
  private iccidBytesFor(state: OrderState, iccid: string): Uint8Array {
    const p = state.order.profile;
    return p.kind === 'bytes' && p.iccid ? p.iccid.bytes : encodeIccid(iccid);
  }

  private profileFor(state: OrderState, iccid: string): Uint8Array {
    const p = state.order.profile;
    if (p.kind === 'bytes') return p.data;
    const key = `${iccid}/${p.sizeBytes}`;
    let bytes = this.profileCache.get(key);
    if (!bytes) {
      bytes = encodeMinimalProfile({
        iccid,
        profileType: 'WebLPA test profile',
        size: p.sizeBytes,
      });
      this.profileCache.set(key, bytes);
      if (this.profileCache.size > 64) {
        const first = this.profileCache.keys().next().value;
        if (first !== undefined) this.profileCache.delete(first);
      }
    }
    return bytes;
  }

  // -------------------------------------------------------------------------------------------
  // getBoundProfilePackage (SGP.22 v2.2.2 §5.6.2)

  private getBoundProfilePackage(req: Record<string, unknown>): Record<string, unknown> {
    const txText = field(req, 'transactionId');
    const cached = this.sessions.get(txText.toUpperCase());
    const der = b64Field(req, 'prepareDownloadResponse');
    // A retried call with the same eUICC answer gets the same package (lost response).
    if (
      cached?.state === 'bppDelivered' &&
      cached.bppCache &&
      bytesEqual(cached.bppCache.request, der)
    )
      return { transactionId: cached.txHex, boundProfilePackage: toBase64(cached.bppCache.bpp) };
    const s = this.session(req, 'authenticated');
    const resp = decodeField('prepareDownloadResponse', () => parsePrepareDownloadResponse(der));
    if (resp.kind === 'error') {
      this.endSession(s);
      fail(Status.euiccSignature, `the eUICC refused the download (error ${resp.code})`);
    }
    const euicc = s.euicc!;
    const state = s.order!;
    const signed = resp.euiccSigned2;
    if (!bytesEqual(signed.transactionId, s.transactionId))
      fail(Status.unknownTransaction, 'transactionId in euiccSigned2 does not match');
    if (
      !verifyTr03111(
        euicc.curve,
        euicc.publicKey,
        concat(signed.raw, s.smdpSignature2Tlv!),
        resp.euiccSignature2,
      )
    )
      fail(Status.euiccSignature, 'euiccSignature2 is invalid');
    const code = state.order.confirmationCode;
    if (code !== undefined) {
      if (!signed.hashCc) fail(Status.ccMissing, 'a confirmation code is required');
      this.checkConfirmationCode(s, state, signed.hashCc, code);
    }
    if (!state.order.reusable && state.used) {
      this.endSession(s);
      fail(Status.matchingIdRefused, 'the order was already used');
    }
    if (state.order.expiresAt && state.order.expiresAt.getTime() <= this.now().getTime()) {
      this.endSession(s);
      fail(Status.orderExpired, 'the download order has expired');
    }
    const dpPb = s.pki.dpPb.key;
    if (!validatePublicKey(dpPb.curve, signed.euiccOtpk))
      fail(Status.euiccSignature, 'the eUICC one-time key is not a point on the curve');
    let bpp: Uint8Array;
    try {
      bpp = buildBoundProfilePackage({
        transactionId: s.transactionId,
        dpPb,
        euiccOtpk: signed.euiccOtpk,
        eid: encodeEid(euicc.eid),
        metadata: s.metadata!,
        profile: this.profileFor(state, s.iccid!),
        replaceSessionKeys: state.order.replaceSessionKeys ?? false,
        rng: this.rng,
      }).bpp;
    } catch (e) {
      if (e instanceof RspCryptoError)
        fail(Status.euiccSignature, 'the eUICC one-time key is not usable');
      throw e;
    }
    state.downloads++;
    state.used = true;
    s.state = 'bppDelivered';
    s.bppCache = { request: der, bpp };
    return { transactionId: s.txHex, boundProfilePackage: toBase64(bpp) };
  }

  /**
   * The confirmation code, limited per order over all sessions (orders.ts): a locked order or
   * an attempt inside the back-off gets 8.2.7/6.4 without the code being checked.
   */
  private checkConfirmationCode(
    s: Session,
    state: OrderState,
    hashCc: Uint8Array,
    code: string,
  ): void {
    const nowMs = this.now().getTime();
    const gate = ccGate(state, nowMs);
    if (gate.kind === 'locked') {
      this.endSession(s);
      fail(Status.ccRetriesExceeded, 'too many wrong confirmation codes: the order is locked');
    }
    if (gate.kind === 'backoff')
      fail(
        Status.ccRetriesExceeded,
        `too many wrong confirmation codes: try again after ${gate.retryAt.toISOString()}`,
      );
    if (bytesEqual(hashCc, hashConfirmationCode(code, s.transactionId))) {
      recordRightCode(state);
      return;
    }
    if (recordWrongCode(state, nowMs, this.ccPolicy)) {
      this.endSession(s);
      fail(Status.ccRetriesExceeded, 'too many wrong confirmation codes: the order is locked');
    }
    fail(Status.ccRefused, 'wrong confirmation code');
  }

  // -------------------------------------------------------------------------------------------
  // cancelSession (SGP.22 v2.2.2 §5.6.5)

  private cancelSession(req: Record<string, unknown>): Record<string, unknown> {
    const txText = field(req, 'transactionId');
    const s = this.sessions.get(txText.toUpperCase());
    if (!s) fail(Status.unknownTransaction, 'unknown transaction');
    const der = b64Field(req, 'cancelSessionResponse');
    const resp = decodeField('cancelSessionResponse', () => parseCancelSessionResponse(der));
    if (resp.kind === 'error') fail(Status.euiccSignature, `the eUICC reported error ${resp.code}`);
    if (!bytesEqual(resp.transactionId, s.transactionId))
      fail(Status.unknownTransaction, 'transactionId in the signed response does not match');
    if (!bytesEqual(resp.smdpOid, encodeOid(this.smdpOid)))
      fail(Status.invalidOid, 'smdpOid in the signed response is not this SM-DP+');
    // Before authenticateClient the server has no eUICC certificate to verify with; such a
    // session holds no order yet, so it is ended without verification.
    const verified = s.euicc
      ? verifyTr03111(s.euicc.curve, s.euicc.publicKey, resp.signedRaw, resp.signature)
      : false;
    if (s.euicc && !verified) fail(Status.euiccSignature, 'euiccCancelSessionSignature is invalid');
    // A delivered one-time order stays used unless the catalogue says otherwise (orders.ts).
    if (s.order && s.state === 'bppDelivered') releaseAfterCancel(s.order);
    this.endSession(s);
    this.cancellations.push({
      transactionId: s.txHex,
      reason: resp.reason,
      verified,
      at: this.now().toISOString(),
    });
    if (this.cancellations.length > MAX_RECORDS) this.cancellations.shift();
    return {};
  }

  // -------------------------------------------------------------------------------------------
  // handleNotification (SGP.22 v2.2.2 §5.6.4): always 204; the record says whether it verified
  // and whether it replays one already handled (replay.ts).

  private handleNotification(req: Record<string, unknown>): void {
    const der = b64Field(req, 'pendingNotification');
    const n = decodeField('pendingNotification', () => parsePendingNotification(der));
    const base = {
      receivedAt: this.now().toISOString(),
      seqNumber: n.metadata.seqNumber,
      ...(n.metadata.iccid ? { iccid: safeIccid(n.metadata.iccid) } : {}),
    };
    const eventName = (bits: number[]): EventName | 'unknown' => {
      if (bits.length !== 1) return 'unknown';
      return (['install', 'enable', 'disable', 'delete'] as const)[bits[0]!] ?? 'unknown';
    };
    if (n.kind === 'install') {
      const txHex = toHex(n.transactionId).toUpperCase();
      const live = this.sessions.get(txHex);
      const known = live?.euicc
        ? { euicc: live.euicc, order: live.order }
        : this.completed.get(txHex);
      const result = n.result.success
        ? { success: true }
        : {
            success: false,
            bppCommandId: n.result.bppCommandId,
            errorReason: n.result.errorReason,
          };
      if (!known) {
        this.record({
          ...base,
          kind: 'install',
          verified: false,
          problem: 'unknown transaction',
          transactionId: txHex,
          result,
        });
        return;
      }
      const sigOk = verifyTr03111(known.euicc.curve, known.euicc.publicKey, n.dataRaw, n.signature);
      const oidOk = bytesEqual(n.smdpOid, encodeOid(this.smdpOid));
      const verified = sigOk && oidOk;
      const duplicate =
        verified && this.replays.replayed(installKey(known.euicc.eid, base.seqNumber, txHex));
      this.record({
        ...base,
        kind: 'install',
        verified,
        ...(verified ? {} : { problem: sigOk ? 'smdpOid mismatch' : 'invalid signature' }),
        eid: known.euicc.eid,
        transactionId: txHex,
        result,
        ...(duplicate ? { duplicate: true as const } : {}),
      });
      if (verified && !duplicate) {
        if (live) this.endSession(live);
        const order = known.order;
        if (order) {
          if (n.result.success) {
            order.installs++;
            this.deleteEvent(known.euicc.eid, order.order.matchingId);
          } else if (order.installs === 0) {
            // A failed installation returns a one-time order to the pool.
            order.used = false;
          }
        }
      }
      return;
    }
    let verified = false;
    let problem: string | undefined;
    let eid: string | undefined;
    try {
      const euicc = verifyEuiccCertificates(
        this.trusted,
        this.now(),
        n.euiccCertificate,
        n.eumCertificate,
      );
      eid = euicc.eid;
      verified = verifyTr03111(euicc.curve, euicc.publicKey, n.tbsRaw, n.signature);
      if (!verified) problem = 'invalid signature';
    } catch (e) {
      if (!(e instanceof SmdpError)) throw e;
      problem = e.message;
    }
    const kind = eventName(n.metadata.events);
    const duplicate =
      verified && eid !== undefined && this.replays.replayed(eventKey(eid, base.seqNumber, kind));
    this.record({
      ...base,
      kind,
      verified,
      ...(problem !== undefined ? { problem } : {}),
      ...(eid !== undefined ? { eid } : {}),
      ...(duplicate ? { duplicate: true as const } : {}),
    });
  }

  private record(r: NotificationRecord): void {
    this.notifications.push(r);
    if (this.notifications.length > MAX_RECORDS) this.notifications.shift();
  }

  /** A read-only snapshot for GET /state, tests and demos. */
  state(): CoreState {
    this.sweep();
    return {
      smdpAddress: this.smdpAddress,
      smdsAddress: this.smdsAddress,
      sessions: [...this.sessions.values()].map((s) => ({
        transactionId: s.txHex,
        iface: s.iface,
        state: s.state,
        ...(s.euicc ? { eid: s.euicc.eid } : {}),
        ...(s.order ? { matchingId: s.order.order.matchingId } : {}),
        ...(s.iccid !== undefined ? { iccid: s.iccid } : {}),
        expiresAt: new Date(s.expiresAtMs).toISOString(),
      })),
      orders: [...this.orders.values()].map((o) => ({
        matchingId: o.order.matchingId,
        label: o.order.label,
        reusable: o.order.reusable,
        used: o.used,
        downloads: o.downloads,
        installs: o.installs,
        confirmationCodeRequired: o.order.confirmationCode !== undefined,
        wrongConfirmationCodes: o.ccFailures,
        confirmationCodeLocked: o.ccLocked,
        releaseOnCancel: o.order.releaseOnCancel === true,
        ...(o.order.eid !== undefined ? { eid: o.order.eid } : {}),
        ...(o.order.expiresAt ? { expiresAt: o.order.expiresAt.toISOString() } : {}),
      })),
      notifications: this.notifications.map((n) => ({ ...n })),
      cancellations: this.cancellations.map((c) => ({ ...c })),
      events: this.events.map((e) => ({ ...e })),
    };
  }
}

function safeIccid(bytes: Uint8Array): string {
  try {
    return decodeIccid(bytes);
  } catch {
    return toHex(bytes);
  }
}

/** Exposed for tests: the same transaction-id text form the server emits. */
export function transactionIdHex(bytes: Uint8Array): string {
  return toHex(bytes).toUpperCase();
}

/** Parses a transactionId hex string (for tests and clients). */
export function parseTransactionId(text: string): Uint8Array {
  return fromHex(text);
}
