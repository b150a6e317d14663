/**
 * Plain typed objects for ES10 requests and responses, field names as in the SGP.22 ASN.1
 * module (v2.x). Decoders fill them; encoders read them.
 */
import type { CiKeyId } from './ci-keys.ts';
import type { NotificationEventName } from './tags.ts';

/** "major.minor.revision" from a 3-byte VersionType (e.g. 02 02 00 -> "2.2.0"). */
export type Version = string;

export interface EuiccConfiguredAddresses {
  defaultDpAddress?: string;
  rootDsAddress?: string;
}

export interface EuiccInfo1 {
  /** The exact BF20 bytes: sent verbatim to the SM-DP+ in initiateAuthentication. */
  raw: Uint8Array;
  svn: Version;
  euiccCiPKIdListForVerification: CiKeyId[];
  euiccCiPKIdListForSigning: CiKeyId[];
}

export interface ExtCardResource {
  installedApplications?: number;
  freeNonVolatileMemory?: number;
  freeVolatileMemory?: number;
}

export type EuiccCategory = 'other' | 'basicEuicc' | 'mediumEuicc' | 'contactlessEuicc';

export interface CertificationDataObject {
  platformLabel: string;
  discoveryBaseURL: string;
}

export interface EuiccInfo2 {
  raw: Uint8Array;
  profileVersion: Version;
  svn: Version;
  euiccFirmwareVer: Version;
  extCardResource: ExtCardResource;
  /** Names of the set UICCCapability bits (TCA eUICC Profile Package module). */
  uiccCapability: string[];
  ts102241Version?: Version;
  globalplatformVersion?: Version;
  /** Names of the set RspCapability bits. */
  rspCapability: string[];
  euiccCiPKIdListForVerification: CiKeyId[];
  euiccCiPKIdListForSigning: CiKeyId[];
  euiccCategory?: EuiccCategory;
  forbiddenProfilePolicyRules?: PprName[];
  /** Protection Profile version. */
  ppVersion: Version;
  sasAcreditationNumber: string;
  certificationDataObject?: CertificationDataObject;
}

export type ProfileState = 'disabled' | 'enabled';
export type ProfileClass = 'test' | 'provisioning' | 'operational';
export type IconType = 'jpg' | 'png';
/** PprIds bit names (bit 0 pprUpdateControl, 1 ppr1 no-disable, 2 ppr2 no-delete, 3 ppr3 <=v2.1). */
export type PprName = 'pprUpdateControl' | 'ppr1' | 'ppr2' | 'ppr3';

export interface NotificationConfigurationInformation {
  profileManagementOperation: NotificationEventName[];
  notificationAddress: string;
}

export interface OperatorId {
  mccMnc: Uint8Array;
  gid1?: Uint8Array;
  gid2?: Uint8Array;
}

export interface ProfileInfo {
  iccid?: string;
  isdpAid?: Uint8Array;
  profileState?: ProfileState;
  profileNickname?: string;
  serviceProviderName?: string;
  profileName?: string;
  iconType?: IconType;
  icon?: Uint8Array;
  profileClass?: ProfileClass;
  notificationConfigurationInfo?: NotificationConfigurationInformation[];
  profileOwner?: OperatorId;
  /** dpProprietaryData: the first child is the SM-DP+ OID. */
  dpOid?: string;
  profilePolicyRules?: PprName[];
}

/** Search criterion for GetProfilesInfo (at most one). */
export type ProfileSearch =
  { isdpAid: Uint8Array } | { iccid: string } | { profileClass: ProfileClass };

/** A profile named by ICCID or by ISD-P AID (Enable/Disable/Delete). */
export type ProfileRef = { iccid: string } | { isdpAid: Uint8Array };

export interface NotificationMetadata {
  seqNumber: number;
  profileManagementOperation: NotificationEventName;
  notificationAddress: string;
  iccid?: string;
  raw: Uint8Array;
}

/** A signed notification ready for ES9+ handleNotification (BF37 or 30, exact bytes). */
export interface PendingNotification {
  kind: 'profileInstallationResult' | 'otherSignedNotification';
  metadata: NotificationMetadata;
  raw: Uint8Array;
}

export interface DeviceCapabilities {
  gsmSupportedRelease?: Version;
  utranSupportedRelease?: Version;
  cdma2000onexSupportedRelease?: Version;
  cdma2000hrpdSupportedRelease?: Version;
  cdma2000ehrpdSupportedRelease?: Version;
  eutranEpcSupportedRelease?: Version;
  contactlessSupportedRelease?: Version;
  rspCrlSupportedVersion?: Version;
  nrEpcSupportedRelease?: Version;
  nr5gcSupportedRelease?: Version;
  eutran5gcSupportedRelease?: Version;
}

export interface DeviceInfo {
  /** Type Allocation Code: 8 digits (the first 8 IMEI digits). */
  tac: string;
  /** 15 (or 16 for IMEISV) digits. */
  imei?: string;
  capabilities: DeviceCapabilities;
}

export interface CtxParams1 {
  matchingId?: string;
  deviceInfo: DeviceInfo;
}

export type AuthenticateServerResponse =
  | {
      ok: true;
      raw: Uint8Array;
      transactionId: Uint8Array;
      /** The eUICC certificate DER (its subject serialNumber is the EID). */
      euiccCertificate: Uint8Array;
      eumCertificate: Uint8Array;
    }
  | { ok: false; raw: Uint8Array; transactionId: Uint8Array; errorCode: number; errorName: string };

export type PrepareDownloadResponse =
  | { ok: true; raw: Uint8Array; transactionId: Uint8Array; euiccOtpk: Uint8Array }
  | { ok: false; raw: Uint8Array; transactionId: Uint8Array; errorCode: number; errorName: string };

export interface CancelSessionResponse {
  /** The exact BF41 bytes, forwarded to the SM-DP+ cancelSession. */
  raw: Uint8Array;
  transactionId: Uint8Array;
  smdpOid: string;
  reason: number;
}

export type ProfileInstallationFinalResult =
  | { ok: true; isdpAid: Uint8Array; simaResponse: Uint8Array }
  | {
      ok: false;
      bppCommandId: number;
      bppCommandName: string;
      errorReason: number;
      errorReasonName: string;
      simaResponse?: Uint8Array;
    };

export interface ProfileInstallationResult {
  /** The exact BF37 bytes (the install notification). */
  raw: Uint8Array;
  transactionId: Uint8Array;
  notificationMetadata: NotificationMetadata;
  smdpOid?: string;
  finalResult: ProfileInstallationFinalResult;
}

export interface RatEntry {
  pprIds: PprName[];
  allowedOperators: OperatorId[];
  consentRequired: boolean;
}

export interface EuiccMemoryResetOptions {
  deleteOperationalProfiles?: boolean;
  deleteFieldLoadedTestProfiles?: boolean;
  resetDefaultSmdpAddress?: boolean;
}

/** An SM-DS event (ES11): download with matchingId = eventId from rspServerAddress. */
export interface EventEntry {
  eventId: string;
  rspServerAddress: string;
}
