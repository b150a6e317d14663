/**
 * Shared plumbing of the LPA flows: the card link, the ES9+ client, device info, progress,
 * and the clean-up helper that cancels a download session on both sides.
 */
import type { Es10Link } from '../apdu/es10-link.ts';
import type { CiNames, DeviceInfo } from '../es10/index.ts';
import type { Es9pApi, Es11Api } from './es9p-api.ts';
import type { SessionJournal } from './interrupted.ts';
import type { NotificationPolicy } from './notification-policy.ts';

export type LpaOperation =
  | 'download'
  | 'discovery'
  | 'profiles'
  | 'notifications'
  | 'chip'
  /** Finishing download sessions an earlier failure left open (interrupted.ts). */
  | 'recovery';

/** Named after the SGP.22 functions being called (docs/protocol.md §5.1). */
export type DownloadStep =
  | 'resolveAddress'
  | 'getEuiccChallenge'
  | 'initiateAuthentication'
  | 'authenticateServer'
  | 'authenticateClient'
  | 'consent'
  | 'confirmationCode'
  | 'prepareDownload'
  | 'getBoundProfilePackage'
  | 'loadBoundProfilePackage'
  | 'handleNotification'
  | 'cancelSession'
  | 'done';

export interface LpaProgress {
  operation: LpaOperation;
  step: string;
  bytesSent?: number;
  bytesTotal?: number;
}

/**
 * Default DeviceInfo: a TAC is mandatory in ctxParams1. 35290611 is a commonly used
 * placeholder TAC; the release versions claim a current LTE device.
 */
export const DEFAULT_DEVICE_INFO: DeviceInfo = {
  tac: '35290611',
  capabilities: {
    gsmSupportedRelease: '15.0.0',
    utranSupportedRelease: '15.0.0',
    eutranEpcSupportedRelease: '15.0.0',
  },
};

export interface LpaContext {
  link(): Promise<Es10Link>;
  /** Forget a cached link after a transport failure so the next call reopens it. */
  linkFailed(e: unknown): void;
  es9p: Es9pApi;
  es11: Es11Api | undefined;
  deviceInfo: DeviceInfo;
  ciNames: CiNames | undefined;
  /** Which kinds of notification are sent right after the operation that created them. */
  notificationPolicy: NotificationPolicy;
  cleanupTimeoutMs: number;
  /** Sessions whose clean-up could not be finished, for the next connection. */
  journal: SessionJournal;
  now(): Date;
  emit(p: LpaProgress, local?: (p: LpaProgress) => void): void;
}
