/**
 * What the test SM-DP+/SM-DS records and shows in its read-only snapshot (GET /state when the
 * admin endpoints are on, LocalServices.state() in tests).
 */
import type { NotificationEventName } from '../../es10/tags.ts';

export type SessionState = 'initiated' | 'authenticated' | 'bppDelivered';

export interface NotificationRecord {
  receivedAt: string;
  kind: NotificationEventName | 'unknown';
  verified: boolean;
  /** Why the notification could not be verified or parsed. */
  problem?: string;
  eid?: string;
  iccid?: string;
  seqNumber?: number;
  transactionId?: string;
  result?: { success: boolean; bppCommandId?: number; errorReason?: number };
  /** A replay of a notification already handled: recorded, counted nowhere. */
  duplicate?: true;
}

export interface EventRecord {
  eid: string;
  eventId: string;
  rspServerAddress: string;
}

/** What GET /state returns (read-only snapshot). */
export interface CoreState {
  smdpAddress: string;
  smdsAddress: string;
  sessions: {
    transactionId: string;
    iface: 'smdp' | 'smds';
    state: SessionState;
    eid?: string;
    matchingId?: string;
    iccid?: string;
    expiresAt: string;
  }[];
  orders: {
    matchingId: string;
    label: string;
    reusable: boolean;
    used: boolean;
    downloads: number;
    installs: number;
    confirmationCodeRequired: boolean;
    /** Wrong confirmation codes since the last right one (all sessions). */
    wrongConfirmationCodes: number;
    confirmationCodeLocked: boolean;
    releaseOnCancel: boolean;
    eid?: string;
    expiresAt?: string;
  }[];
  notifications: NotificationRecord[];
  cancellations: { transactionId: string; reason: number; verified: boolean; at: string }[];
  events: EventRecord[];
}
