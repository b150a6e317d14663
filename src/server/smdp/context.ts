/**
 * What every ES9+/ES11 function of the test SM-DP+/SM-DS shares: its configuration and its
 * state (session table, finished sessions, orders, SM-DS events, the records /state shows).
 * The functions themselves live one per module (initiate-authentication.ts,
 * authenticate-client.ts, bound-profile-package.ts, cancel-session.ts, notification.ts);
 * core.ts builds the context and dispatches to them.
 *
 * An RSP session runs from ES9+.InitiateAuthentication to the delivery of the Bound Profile
 * Package (SGP.22 v2.2.2 §3.1.3, §5.6); an SM-DS session ends with ES11.AuthenticateClient
 * (§5.8.2). A session's state only moves forward: initiated -> authenticated -> bppDelivered.
 */
import { toHex } from '../../codec/index.ts';
import type { Certificate, Rng } from '../../rsp/index.ts';
import type { CiCredentials } from './credentials.ts';
import type { EuiccIdentityInfo } from './euicc-check.ts';
import type { CcPolicy, OrderState } from './orders.ts';
import type { CoreState, EventRecord, NotificationRecord, SessionState } from './records.ts';
import { ReplayGuard } from './replay.ts';
import { field, fail } from './request.ts';
import { BoundedMap, SessionTable } from './sessions.ts';
import { Status } from './status.ts';

/** The URL family a call arrived on (docs/protocol.md §4.2). */
export type Interface = 'es9plus' | 'es11';

/** One RSP session (SM-DP+) or SM-DS session, keyed by its transaction ID. */
export interface Session {
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

/** A finished session: what verifies its late install notification (SGP.22 v2.2.2 §5.6.4). */
export interface CompletedSession {
  euicc: EuiccIdentityInfo;
  order?: OrderState;
}

/** The fixed configuration of a core. */
export interface SmdpConfig {
  /** The SM-DP+ FQDN: serverSigned1 serverAddress, activation codes, notification address. */
  readonly smdpAddress: string;
  /** The SM-DS FQDN served by the same core (ES11). */
  readonly smdsAddress: string;
  /** The SM-DP+ OID (DPauth SAN registeredID), checked in signed cancel/install results. */
  readonly smdpOid: string;
  /** Credentials per CI. */
  readonly pki: readonly CiCredentials[];
  /** Trust anchors for eUICC certificate chains (the CIs of `pki` and any extra ones). */
  readonly trusted: readonly Certificate[];
  readonly rng: Rng;
  readonly now: () => Date;
  readonly sessionTimeoutMs: number;
  readonly ccPolicy: CcPolicy;
  readonly maxSessions: number;
}

/** Finished sessions kept to verify late install notifications (oldest dropped first). */
const MAX_COMPLETED = 1000;
/** Notifications and cancellations kept for /state (oldest dropped first). */
const MAX_RECORDS = 1000;
/** SM-DS events kept (oldest dropped first). */
const MAX_EVENTS = 10_000;
/** Generated profile packages kept (oldest dropped first). */
const MAX_PROFILE_CACHE = 64;

/** The configuration and mutable state one core's functions work on. */
export class SmdpContext {
  readonly sessions: SessionTable<Session>;
  /** Finished sessions: the eUICC key that verifies a late install notification. */
  readonly completed = new BoundedMap<string, CompletedSession>(MAX_COMPLETED);
  readonly replays = new ReplayGuard();
  /** Orders by upper-case matching ID. */
  readonly orders = new Map<string, OrderState>();
  /** Generated profile packages by `<iccid>/<size>` (bound to no session, so shared). */
  readonly profileCache = new BoundedMap<string, Uint8Array>(MAX_PROFILE_CACHE);
  private readonly notifications: NotificationRecord[] = [];
  private readonly cancellations: CoreState['cancellations'] = [];
  private readonly events: EventRecord[] = [];

  constructor(readonly config: SmdpConfig) {
    this.sessions = new SessionTable<Session>(config.maxSessions, (s) => {
      this.retire(s);
    });
  }

  nowMs(): number {
    return this.config.now().getTime();
  }

  /** Drops the sessions that have expired. */
  sweep(): void {
    this.sessions.sweep(this.nowMs());
  }

  /** The live session named by the request's transactionId, in whatever state. */
  liveSession(req: Record<string, unknown>): Session | undefined {
    return this.sessions.get(field(req, 'transactionId').toUpperCase());
  }

  /** The live session named by the request's transactionId, in the expected state (else 8.10.1/3.9). */
  session(req: Record<string, unknown>, expected: SessionState): Session {
    const txHex = field(req, 'transactionId').toUpperCase();
    const s = /^[0-9A-F]{2,32}$/.test(txHex) ? this.sessions.get(txHex) : undefined;
    if (!s || s.state !== expected) fail(Status.unknownTransaction, 'unknown transaction');
    return s;
  }

  endSession(s: Session): void {
    this.sessions.delete(s);
    this.retire(s);
  }

  /** A session that ended: keep what verifies its late install notification. */
  private retire(s: Session): void {
    // SM-DS sessions never lead to an install notification: they must not push SM-DP+ ones out.
    if (s.euicc && s.iface === 'smdp')
      this.completed.set(s.txHex, { euicc: s.euicc, ...(s.order ? { order: s.order } : {}) });
  }

  recordNotification(r: NotificationRecord): void {
    this.notifications.push(r);
    if (this.notifications.length > MAX_RECORDS) this.notifications.shift();
  }

  recordCancellation(c: CoreState['cancellations'][number]): void {
    this.cancellations.push(c);
    if (this.cancellations.length > MAX_RECORDS) this.cancellations.shift();
  }

  /** ES12-style event registration at the SM-DS; returns the event ID. */
  registerEvent(e: { eid: string; eventId?: string; rspServerAddress?: string }): string {
    const eventId = e.eventId ?? toHex(this.config.rng(8));
    const rspServerAddress = e.rspServerAddress ?? this.config.smdpAddress;
    const existing = this.events.findIndex((x) => x.eid === e.eid && x.eventId === eventId);
    if (existing >= 0) this.events.splice(existing, 1);
    this.events.push({ eid: e.eid, eventId, rspServerAddress });
    if (this.events.length > MAX_EVENTS) this.events.shift();
    return eventId;
  }

  deleteEvent(eid: string, eventId: string): boolean {
    const i = this.events.findIndex((x) => x.eid === eid && x.eventId === eventId);
    if (i < 0) return false;
    this.events.splice(i, 1);
    return true;
  }

  /** The events registered for an EID (ES11.AuthenticateClient, SGP.22 v2.2.2 §5.8.2). */
  eventsFor(eid: string): { eventId: string; rspServerAddress: string }[] {
    return this.events
      .filter((e) => e.eid === eid)
      .map((e) => ({ eventId: e.eventId, rspServerAddress: e.rspServerAddress }));
  }

  /** A read-only snapshot for GET /state, tests and demos. */
  snapshot(): CoreState {
    return {
      smdpAddress: this.config.smdpAddress,
      smdsAddress: this.config.smdsAddress,
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
