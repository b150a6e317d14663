/**
 * What the UI needs from the LPA core, in plain view objects. `lpa-backend.ts` implements it
 * over the `Lpa` class; components and rune state talk only to this interface, so the wiring
 * to the layers below lives in one place.
 */

export type ProfileState = 'enabled' | 'disabled';
export type ProfileClass = 'test' | 'provisioning' | 'operational';
export type NotificationOperation = 'install' | 'enable' | 'disable' | 'delete';

export interface CiKeyView {
  keyId: string;
  name?: string;
}

export interface ChipView {
  eid: string;
  svn?: string;
  profileVersion?: string;
  firmware?: string;
  freeNvm?: number;
  freeRam?: number;
  installedApplications?: number;
  euiccCategory?: string;
  ppVersion?: string;
  sasAccreditationNumber?: string;
  platformLabel?: string;
  ciKeysForVerification: CiKeyView[];
  ciKeysForSigning: CiKeyView[];
  rspCapability: string[];
  defaultDpAddress?: string;
  rootDsAddress?: string;
}

export interface ProfileView {
  iccid: string;
  isdpAid?: string;
  state: ProfileState;
  nickname?: string;
  serviceProviderName?: string;
  profileName?: string;
  profileClass: ProfileClass;
  /** A data: URL for the profile icon, when the profile carries one. */
  iconUrl?: string;
  policyRules: string[];
}

export interface NotificationView {
  seqNumber: number;
  operation: NotificationOperation;
  address: string;
  iccid?: string;
  /** For an install notification that reports a failure: the SGP.22 error reason name. */
  installFailed?: string;
}

/** What the SM-DP+ announced about the profile, shown for consent before install. */
export interface MetadataView {
  iccid?: string;
  serviceProviderName?: string;
  profileName?: string;
  profileClass?: ProfileClass;
  iconUrl?: string;
  policyRules: string[];
}

export interface DownloadProgress {
  step: string;
  bytesSent?: number;
  bytesTotal?: number;
}

export type DownloadSource =
  | { kind: 'activationCode'; activationCode: string }
  | { kind: 'address'; smdpAddress: string; matchingId: string }
  | { kind: 'default' };

export interface DownloadRequest {
  source: DownloadSource;
  /** Asked only when the SM-DP+ requires a confirmation code; null means the user gave up. */
  confirmationCode: () => Promise<string | null>;
  /** Consent before anything is installed; false refuses the profile. */
  confirm: (metadata: MetadataView) => Promise<boolean>;
  onProgress: (progress: DownloadProgress) => void;
  signal: AbortSignal;
}

export interface DownloadResult {
  iccid?: string;
  profileName?: string;
  serviceProviderName?: string;
}

export interface DiscoveryEvent {
  eventId: string;
  rspServerAddress: string;
}

export interface SendReport {
  sent: number;
  failed: { seqNumber: number; error: unknown }[];
}

export interface MemoryResetOptions {
  deleteOperationalProfiles: boolean;
  deleteFieldLoadedTestProfiles: boolean;
  resetDefaultSmdpAddress: boolean;
}

export interface LpaBackend {
  readonly label: string;
  chipInfo(signal?: AbortSignal): Promise<ChipView>;
  setDefaultDpAddress(address: string): Promise<void>;
  memoryReset(options: MemoryResetOptions): Promise<void>;
  listProfiles(): Promise<ProfileView[]>;
  /** Resolves with what the user must do before the device uses the profile, if anything. */
  enableProfile(iccid: string): Promise<string | undefined>;
  disableProfile(iccid: string): Promise<void>;
  deleteProfile(iccid: string): Promise<void>;
  setNickname(iccid: string, nickname: string): Promise<void>;
  listNotifications(): Promise<NotificationView[]>;
  sendNotification(seqNumber: number): Promise<void>;
  sendAllNotifications(): Promise<SendReport>;
  removeNotification(seqNumber: number): Promise<void>;
  download(request: DownloadRequest): Promise<DownloadResult>;
  discover(smdsAddress: string | undefined, signal: AbortSignal): Promise<DiscoveryEvent[]>;
  close(): Promise<void>;
}
