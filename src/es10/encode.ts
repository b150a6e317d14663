/**
 * Encoders of ES10 requests (docs/protocol.md §3, §3.3 has reference encodings) and of a few response
 * structures a card implementation needs (ProfileInfo, NotificationMetadata, result wrappers).
 * Signed blobs received from the SM-DP+ are embedded byte for byte, never re-encoded.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import {
  concat,
  decodeOne,
  encodeBitString,
  encodeEid,
  encodeIccid,
  encodeTlv,
  encodeUnsigned,
  utf8,
} from '../codec/index.ts';
import { CancelSessionReason } from './results.ts';
import type { CancelSessionReasonName } from './results.ts';
import { Es10Tag, NotificationEvent, ProfileInfoTag, Tag } from './tags.ts';
import type { NotificationEventName } from './tags.ts';
import { encodeOid, encodeVersion } from './primitives.ts';
import type { ServerSigned1, SmdpSigned2 } from './decode.ts';
import type {
  CtxParams1,
  DeviceCapabilities,
  DeviceInfo,
  EuiccMemoryResetOptions,
  NotificationConfigurationInformation,
  OperatorId,
  PprName,
  ProfileClass,
  ProfileInfo,
  ProfileRef,
  ProfileSearch,
} from './types.ts';

const EMPTY = new Uint8Array(0);

/** A request whose outer tag carries no content (GetEUICCInfo1, GetEUICCChallenge, ...). */
export function encodeEmptyRequest(tag: number): Uint8Array {
  return encodeTlv(tag, EMPTY);
}

export const PROFILE_CLASSES: readonly ProfileClass[] = ['test', 'provisioning', 'operational'];
export const PPR_NAMES: readonly PprName[] = ['pprUpdateControl', 'ppr1', 'ppr2', 'ppr3'];

function encodeInteger(tag: number, value: number): Uint8Array {
  return encodeTlv(tag, encodeUnsigned(value));
}

function encodeBoolean(tag: number, value: boolean): Uint8Array {
  // DER BOOLEAN TRUE is FF (X.690 §11.1); cards accept any non-zero.
  return encodeTlv(tag, Uint8Array.of(value ? 0xff : 0x00));
}

function encodeEvents(events: readonly NotificationEventName[]): Uint8Array {
  return encodeBitString(events.map((e) => NotificationEvent[e]));
}

// ---- ES10a -------------------------------------------------------------------------------

export function encodeGetEuiccConfiguredAddressesRequest(): Uint8Array {
  return encodeEmptyRequest(Es10Tag.GetEuiccConfiguredAddresses);
}

export function encodeSetDefaultDpAddressRequest(defaultDpAddress: string): Uint8Array {
  return encodeTlv(Es10Tag.SetDefaultDpAddress, encodeTlv(0x80, utf8.encode(defaultDpAddress)));
}

// ---- ES10b -------------------------------------------------------------------------------

/** DeviceCapabilities (automatic tags 80..8A, each a VersionType). */
export function encodeDeviceCapabilities(caps: DeviceCapabilities): Uint8Array {
  const order: (keyof DeviceCapabilities)[] = [
    'gsmSupportedRelease',
    'utranSupportedRelease',
    'cdma2000onexSupportedRelease',
    'cdma2000hrpdSupportedRelease',
    'cdma2000ehrpdSupportedRelease',
    'eutranEpcSupportedRelease',
    'contactlessSupportedRelease',
    'rspCrlSupportedVersion',
    'nrEpcSupportedRelease',
    'nr5gcSupportedRelease',
    'eutran5gcSupportedRelease',
  ];
  const parts: Uint8Array[] = [];
  order.forEach((key, i) => {
    const v = caps[key];
    if (v !== undefined) parts.push(encodeTlv(0x80 + i, encodeVersion(v)));
  });
  return encodeTlv(0xa1, ...parts);
}

/** Digits as plain (not nibble-swapped) BCD, F-padded to `bytes`. */
function plainBcd(digits: string, bytes: number, what: string): Uint8Array {
  if (!/^\d+$/.test(digits) || digits.length > bytes * 2)
    throw new RangeError(`${what}: at most ${bytes * 2} digits`);
  const padded = digits.padEnd(bytes * 2, 'F');
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * DeviceInfo `A1 { 80 tac, A1 deviceCapabilities, [82 imei] }`. The TAC is 8 digits in plain
 * BCD (a Comprion trace shows `80 04 35 55 06 07`; docs/protocol.md §5.1 step 5). The IMEI is
 * coded the same way, F-padded, so its first four bytes equal the TAC (its byte order is not
 * settled by any trace this project has).
 */
export function encodeDeviceInfo(info: DeviceInfo): Uint8Array {
  if (!/^\d{8}$/.test(info.tac)) throw new RangeError('TAC: exactly 8 digits');
  const parts = [
    encodeTlv(0x80, plainBcd(info.tac, 4, 'TAC')),
    encodeDeviceCapabilities(info.capabilities),
  ];
  if (info.imei !== undefined) {
    if (!/^\d{15,16}$/.test(info.imei)) throw new RangeError('IMEI: 15 or 16 digits');
    parts.push(encodeTlv(0x82, plainBcd(info.imei, 8, 'IMEI')));
  }
  return encodeTlv(0xa1, ...parts);
}

/**
 * CtxParams1 as the implicitly tagged CHOICE alternative ctxParamsForCommonAuthentication:
 * `A0 { [80 matchingId], A1 deviceInfo }`.
 */
export function encodeCtxParams1(ctx: CtxParams1): Uint8Array {
  const parts: Uint8Array[] = [];
  if (ctx.matchingId !== undefined) parts.push(encodeTlv(0x80, utf8.encode(ctx.matchingId)));
  parts.push(encodeDeviceInfo(ctx.deviceInfo));
  return encodeTlv(0xa0, ...parts);
}

export interface AuthenticateServerRequest {
  /** Exact bytes from ES9+ (`30...`). */
  serverSigned1: Uint8Array;
  /** Exact bytes from ES9+ (`5F37 40 ...`). */
  serverSignature1: Uint8Array;
  /** `04 14 <SKI>` from ES9+, or the bare SKI (then wrapped in 04). */
  euiccCiPKIdToBeUsed: Uint8Array;
  /** DPauth certificate DER. */
  serverCertificate: Uint8Array;
  ctxParams1: CtxParams1;
}

/** Wraps a bare value in `tag` unless it already is exactly one `tag` TLV. */
function asTlv(tag: number, bytes: Uint8Array): Uint8Array {
  try {
    decodeOne(bytes, tag);
    return bytes;
  } catch {
    return encodeTlv(tag, bytes);
  }
}

export function encodeAuthenticateServerRequest(req: AuthenticateServerRequest): Uint8Array {
  return encodeTlv(
    Es10Tag.AuthenticateServer,
    req.serverSigned1,
    req.serverSignature1,
    asTlv(Tag.OctetString, req.euiccCiPKIdToBeUsed),
    req.serverCertificate,
    encodeCtxParams1(req.ctxParams1),
  );
}

/** hashCc = SHA-256(SHA-256(confirmation code) || transactionId), txId as raw bytes (§5.1 step 10). */
export function computeHashCc(confirmationCode: string, transactionId: Uint8Array): Uint8Array {
  return sha256(concat(sha256(utf8.encode(confirmationCode)), transactionId));
}

export interface PrepareDownloadRequest {
  smdpSigned2: Uint8Array;
  smdpSignature2: Uint8Array;
  hashCc?: Uint8Array;
  smdpCertificate: Uint8Array;
}

export function encodePrepareDownloadRequest(req: PrepareDownloadRequest): Uint8Array {
  const parts = [req.smdpSigned2, req.smdpSignature2];
  if (req.hashCc !== undefined) parts.push(encodeTlv(Tag.OctetString, req.hashCc));
  parts.push(req.smdpCertificate);
  return encodeTlv(Es10Tag.PrepareDownload, ...parts);
}

export function encodeCancelSessionRequest(
  transactionId: Uint8Array,
  reason: CancelSessionReasonName | number,
): Uint8Array {
  const code = typeof reason === 'number' ? reason : CancelSessionReason[reason];
  return encodeTlv(
    Es10Tag.CancelSession,
    encodeTlv(0x80, transactionId),
    encodeInteger(0x81, code),
  );
}

export function encodeListNotificationRequest(
  filter?: readonly NotificationEventName[],
): Uint8Array {
  if (filter === undefined) return encodeEmptyRequest(Es10Tag.ListNotification);
  return encodeTlv(Es10Tag.ListNotification, encodeTlv(0x81, encodeEvents(filter)));
}

export type RetrieveNotificationsSearch =
  { seqNumber: number } | { profileManagementOperation: readonly NotificationEventName[] };

export function encodeRetrieveNotificationsListRequest(
  search?: RetrieveNotificationsSearch,
): Uint8Array {
  if (search === undefined) return encodeEmptyRequest(Es10Tag.RetrieveNotificationsList);
  const criterion =
    'seqNumber' in search
      ? encodeInteger(0x80, search.seqNumber)
      : encodeTlv(0x81, encodeEvents(search.profileManagementOperation));
  return encodeTlv(Es10Tag.RetrieveNotificationsList, encodeTlv(0xa0, criterion));
}

export function encodeRemoveNotificationFromListRequest(seqNumber: number): Uint8Array {
  return encodeTlv(Es10Tag.RemoveNotificationFromList, encodeInteger(0x80, seqNumber));
}

export function encodeGetRatRequest(): Uint8Array {
  return encodeEmptyRequest(Es10Tag.GetRat);
}

// ---- ES10c -------------------------------------------------------------------------------

function encodeProfileRef(ref: ProfileRef): Uint8Array {
  return 'iccid' in ref
    ? encodeTlv(Tag.Iccid, encodeIccid(ref.iccid, { checkLuhn: false }))
    : encodeTlv(Tag.Aid, ref.isdpAid);
}

export interface GetProfilesInfoRequest {
  search?: ProfileSearch;
  /** Tags to return (`5C`), e.g. [0x5A, 0x9F70, 0x90]; absent = the card's default set. */
  tags?: readonly number[];
}

export function encodeGetProfilesInfoRequest(req: GetProfilesInfoRequest = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  if (req.search !== undefined) {
    const s = req.search;
    const inner =
      'profileClass' in s
        ? encodeInteger(ProfileInfoTag.profileClass, PROFILE_CLASSES.indexOf(s.profileClass))
        : encodeProfileRef(s);
    // searchCriteria [0] CHOICE: explicit (docs/protocol.md §1 tagging trap).
    parts.push(encodeTlv(0xa0, inner));
  }
  if (req.tags !== undefined) {
    const bytes: number[] = [];
    for (const t of req.tags) {
      const tagBytes: number[] = [];
      let v = t;
      do {
        tagBytes.unshift(v & 0xff);
        v = Math.floor(v / 256);
      } while (v > 0);
      bytes.push(...tagBytes);
    }
    parts.push(encodeTlv(Tag.TagList, Uint8Array.from(bytes)));
  }
  return encodeTlv(Es10Tag.GetProfilesInfo, ...parts);
}

/** EnableProfile / DisableProfile: `{ A0 { 4F | 5A }, 81 refreshFlag }` (profileIdentifier is an explicit CHOICE). */
export function encodeEnableProfileRequest(ref: ProfileRef, refreshFlag: boolean): Uint8Array {
  return encodeTlv(
    Es10Tag.EnableProfile,
    encodeTlv(0xa0, encodeProfileRef(ref)),
    encodeBoolean(0x81, refreshFlag),
  );
}

export function encodeDisableProfileRequest(ref: ProfileRef, refreshFlag: boolean): Uint8Array {
  return encodeTlv(
    Es10Tag.DisableProfile,
    encodeTlv(0xa0, encodeProfileRef(ref)),
    encodeBoolean(0x81, refreshFlag),
  );
}

/** DeleteProfile: the CHOICE carries the [APPLICATION 19] tag itself: `BF33 { 4F | 5A }`. */
export function encodeDeleteProfileRequest(ref: ProfileRef): Uint8Array {
  return encodeTlv(Es10Tag.DeleteProfile, encodeProfileRef(ref));
}

export function encodeEuiccMemoryResetRequest(options: EuiccMemoryResetOptions): Uint8Array {
  const bits: number[] = [];
  if (options.deleteOperationalProfiles) bits.push(0);
  if (options.deleteFieldLoadedTestProfiles) bits.push(1);
  if (options.resetDefaultSmdpAddress) bits.push(2);
  return encodeTlv(Es10Tag.EuiccMemoryReset, encodeTlv(0x82, encodeBitString(bits)));
}

export function encodeGetEidRequest(): Uint8Array {
  // tagList 5C containing the EID tag 5A.
  return encodeTlv(Es10Tag.GetEid, encodeTlv(Tag.TagList, Uint8Array.of(Tag.Eid)));
}

export function encodeSetNicknameRequest(iccid: string, nickname: string): Uint8Array {
  const nick = utf8.encode(nickname);
  if (nick.length > 64) throw new RangeError('a profile nickname has at most 64 bytes (UTF-8)');
  return encodeTlv(
    Es10Tag.SetNickname,
    encodeTlv(Tag.Iccid, encodeIccid(iccid, { checkLuhn: false })),
    encodeTlv(0x90, nick),
  );
}

// ---- Response-side structures: the eUICC's answers (a card implementation can build them) --

/** `<tag> { 80 result }`, the shape of most ES10c responses. */
export function encodeResultResponse(tag: number, result: number): Uint8Array {
  return encodeTlv(tag, encodeInteger(0x80, result));
}

export function encodeOperatorId(tag: number, op: OperatorId): Uint8Array {
  const parts = [encodeTlv(0x80, op.mccMnc)];
  if (op.gid1 !== undefined) parts.push(encodeTlv(0x81, op.gid1));
  if (op.gid2 !== undefined) parts.push(encodeTlv(0x82, op.gid2));
  return encodeTlv(tag, ...parts);
}

export function encodeNotificationConfigurationInfo(
  list: readonly NotificationConfigurationInformation[],
): Uint8Array {
  return encodeTlv(
    ProfileInfoTag.notificationConfigurationInfo,
    ...list.map((n) =>
      encodeTlv(
        Tag.Sequence,
        encodeTlv(0x80, encodeEvents(n.profileManagementOperation)),
        encodeTlv(0x81, utf8.encode(n.notificationAddress)),
      ),
    ),
  );
}

export function encodePprIds(pprs: readonly PprName[]): Uint8Array {
  return encodeBitString(pprs.map((p) => PPR_NAMES.indexOf(p)));
}

/**
 * The ProfileInfo fields present, in the order of the ASN.1 module (docs/protocol.md §3.1).
 * StoreMetadataRequest uses the same tags for its subset, in the same order.
 */
function profileInfoFields(p: ProfileInfo, iccid: Uint8Array | undefined): Uint8Array[] {
  const T = ProfileInfoTag;
  const parts: Uint8Array[] = [];
  if (iccid !== undefined) parts.push(encodeTlv(T.iccid, iccid));
  if (p.isdpAid !== undefined) parts.push(encodeTlv(T.isdpAid, p.isdpAid));
  if (p.profileState !== undefined)
    parts.push(encodeInteger(T.profileState, p.profileState === 'enabled' ? 1 : 0));
  if (p.profileNickname !== undefined)
    parts.push(encodeTlv(T.profileNickname, utf8.encode(p.profileNickname)));
  if (p.serviceProviderName !== undefined)
    parts.push(encodeTlv(T.serviceProviderName, utf8.encode(p.serviceProviderName)));
  if (p.profileName !== undefined) parts.push(encodeTlv(T.profileName, utf8.encode(p.profileName)));
  if (p.iconType !== undefined) parts.push(encodeInteger(T.iconType, p.iconType === 'png' ? 1 : 0));
  if (p.icon !== undefined) parts.push(encodeTlv(T.icon, p.icon));
  if (p.profileClass !== undefined)
    parts.push(encodeInteger(T.profileClass, PROFILE_CLASSES.indexOf(p.profileClass)));
  if (p.notificationConfigurationInfo !== undefined)
    parts.push(encodeNotificationConfigurationInfo(p.notificationConfigurationInfo));
  if (p.profileOwner !== undefined) parts.push(encodeOperatorId(T.profileOwner, p.profileOwner));
  if (p.dpOid !== undefined)
    parts.push(encodeTlv(T.dpProprietaryData, encodeTlv(0x80, encodeOid(p.dpOid))));
  if (p.profilePolicyRules !== undefined)
    parts.push(encodeTlv(T.profilePolicyRules, encodePprIds(p.profilePolicyRules)));
  return parts;
}

/** ProfileInfo `E3 {...}` with the fields present, in the order of the ASN.1 module. */
export function encodeProfileInfo(p: ProfileInfo): Uint8Array {
  const iccid = p.iccid === undefined ? undefined : encodeIccid(p.iccid, { checkLuhn: false });
  return encodeTlv(Tag.ProfileInfo, ...profileInfoFields(p, iccid));
}

export interface NotificationMetadataFields {
  seqNumber: number;
  profileManagementOperation: NotificationEventName;
  notificationAddress: string;
  iccid?: string;
}

/** `BF2F { 80 seq, 81 event, 0C address, [5A iccid] }` (docs/protocol.md §8). */
export function encodeNotificationMetadata(m: NotificationMetadataFields): Uint8Array {
  const parts = [
    encodeInteger(0x80, m.seqNumber),
    encodeTlv(0x81, encodeEvents([m.profileManagementOperation])),
    encodeTlv(Tag.Utf8String, utf8.encode(m.notificationAddress)),
  ];
  if (m.iccid !== undefined)
    parts.push(encodeTlv(Tag.Iccid, encodeIccid(m.iccid, { checkLuhn: false })));
  return encodeTlv(Es10Tag.NotificationMetadata, ...parts);
}

export function encodeEidResponse(eid: string): Uint8Array {
  return encodeTlv(Es10Tag.GetEid, encodeTlv(Tag.Eid, encodeEid(eid)));
}

// ---- What the SM-DP+ signs and sends (decoded by decode.ts for the LPA) ----------------

/** serverSigned1 `30 {80 txId, 81 euiccChallenge, 83 serverAddress, 84 serverChallenge}` (docs/protocol.md §5.1 step 3). */
export function encodeServerSigned1(s: ServerSigned1): Uint8Array {
  return encodeTlv(
    Tag.Sequence,
    encodeTlv(0x80, s.transactionId),
    encodeTlv(0x81, s.euiccChallenge),
    encodeTlv(0x83, utf8.encode(s.serverAddress)),
    encodeTlv(0x84, s.serverChallenge),
  );
}

/**
 * smdpSigned2 `30 {80 txId, 01 ccRequiredFlag, [5F49 bppEuiccOtpk]}` (docs/protocol.md §5.1
 * step 8); the flag is a universal BOOLEAN because its siblings are tagged (docs/protocol.md §1,
 * DER tagging trap).
 */
export function encodeSmdpSigned2(s: SmdpSigned2): Uint8Array {
  return encodeTlv(
    Tag.Sequence,
    encodeTlv(0x80, s.transactionId),
    encodeBoolean(Tag.Boolean, s.ccRequiredFlag),
    ...(s.bppEuiccOtpk ? [encodeTlv(Tag.EuiccOtpk, s.bppEuiccOtpk)] : []),
  );
}

/** The fields of a StoreMetadataRequest (SGP.22 v2.2.2 §5.5.3; docs/protocol.md §3.1). */
export interface StoreMetadataFields extends Pick<
  ProfileInfo,
  | 'iconType'
  | 'icon'
  | 'profileClass'
  | 'notificationConfigurationInfo'
  | 'profileOwner'
  | 'profilePolicyRules'
> {
  /**
   * The ICCID bytes as the eUICC compares them with the package's ProfileHeader: swapped BCD,
   * or a package file's own header bytes.
   */
  iccid: Uint8Array;
  serviceProviderName: string;
  profileName: string;
}

/**
 * StoreMetadataRequest `BF25 {5A iccid, 91 SPN, 92 name, [93 iconType, 94 icon], [95 class],
 * [B6 {30 {80 events, 81 address}}*], [B7 owner], [99 PPR ids]}`: the ProfileInfo tags
 * (docs/protocol.md §3.1), decoded by decodeStoreMetadata.
 */
export function encodeStoreMetadata(m: StoreMetadataFields): Uint8Array {
  const { iccid, ...fields } = m;
  return encodeTlv(Es10Tag.StoreMetadata, ...profileInfoFields(fields, iccid));
}
