/**
 * Decoders of ES10 responses into the plain objects of types.ts. Malformed input raises
 * Es10FormatError (via `decoding`); a result/error code from the card raises Es10Error.
 * Every structure keeps its exact bytes where they are forwarded or signed (`raw`).
 */
import {
  children,
  decodeAll,
  decodeBitString,
  decodeEid,
  decodeIccid,
  decodeOne,
  decodeUnsigned,
  find,
  findAll,
  required,
  toHex,
} from '../codec/index.ts';
import type { Tlv } from '../codec/index.ts';
import { ciKeyId } from './ci-keys.ts';
import type { CiKeyId, CiNames } from './ci-keys.ts';
import { PPR_NAMES, PROFILE_CLASSES } from './encode.ts';
import { Es10Error } from './errors.ts';
import { decodeOid, decodeUtf8, decodeVersion, decoding, enumName } from './primitives.ts';
import {
  AUTHENTICATE_ERROR_CODES,
  DOWNLOAD_ERROR_CODES,
  bppCommandName,
  errorReasonName,
} from './results.ts';
import type { Es10Function } from './results.ts';
import { Es10Tag, EuiccInfo2Tag, NotificationEvent, ProfileInfoTag, Tag } from './tags.ts';
import type { NotificationEventName } from './tags.ts';
import type {
  AuthenticateServerResponse,
  CancelSessionResponse,
  EuiccCategory,
  EuiccConfiguredAddresses,
  EuiccInfo1,
  EuiccInfo2,
  ExtCardResource,
  IconType,
  NotificationConfigurationInformation,
  NotificationMetadata,
  OperatorId,
  PendingNotification,
  PprName,
  PrepareDownloadResponse,
  ProfileInfo,
  ProfileInstallationResult,
  RatEntry,
} from './types.ts';

const EVENT_NAMES = Object.keys(NotificationEvent) as NotificationEventName[];

function int(t: Tlv): number {
  return decodeUnsigned(t.value, t.offset);
}

function top(fn: Es10Function, bytes: Uint8Array, tag: number): Tlv[] {
  return children(decodeOne(bytes, tag));
}

function ciList(t: Tlv | undefined, names?: CiNames): CiKeyId[] {
  if (!t) return [];
  return findAll(children(t), Tag.OctetString).map((k) => ciKeyId(k.value, names));
}

function events(t: Tlv): NotificationEventName[] {
  return decodeBitString(t.value, t.offset).map((bit) => {
    const name = EVENT_NAMES[bit];
    if (name === undefined) throw new TypeError(`unknown NotificationEvent bit ${bit}`);
    return name;
  });
}

function pprs(t: Tlv): PprName[] {
  return decodeBitString(t.value, t.offset).map((bit) => enumName(PPR_NAMES, bit, 'PPR bit'));
}

/** Names for a named-bit BIT STRING; unknown bits are reported as `bit<N>`. */
function bitNames(t: Tlv, names: readonly (string | undefined)[]): string[] {
  return decodeBitString(t.value, t.offset).map((bit) => names[bit] ?? `bit${bit}`);
}

/** `<tag> { 80 result }`: returns the code (0 = ok) without judging it. */
export function decodeResultCode(fn: Es10Function, bytes: Uint8Array, tag: number): number {
  return decoding(fn, () => int(required(top(fn, bytes, tag), 0x80)));
}

/** Like decodeResultCode but throws Es10Error for anything other than ok (0). */
export function expectOk(fn: Es10Function, bytes: Uint8Array, tag: number): void {
  const code = decodeResultCode(fn, bytes, tag);
  if (code !== 0) throw new Es10Error(fn, code);
}

// ---- ES10a -------------------------------------------------------------------------------

export function decodeEuiccConfiguredAddresses(bytes: Uint8Array): EuiccConfiguredAddresses {
  return decoding('getEuiccConfiguredAddresses', () => {
    const kids = top('getEuiccConfiguredAddresses', bytes, Es10Tag.GetEuiccConfiguredAddresses);
    const out: EuiccConfiguredAddresses = {};
    const dp = find(kids, 0x80);
    const ds = find(kids, 0x81);
    if (dp && dp.value.length > 0) out.defaultDpAddress = decodeUtf8(dp.value);
    if (ds && ds.value.length > 0) out.rootDsAddress = decodeUtf8(ds.value);
    return out;
  });
}

// ---- ES10b: identity and capabilities ---------------------------------------------------

export function decodeEuiccInfo1(bytes: Uint8Array, ciNames?: CiNames): EuiccInfo1 {
  return decoding('getEuiccInfo1', () => {
    const kids = top('getEuiccInfo1', bytes, Es10Tag.GetEuiccInfo1);
    return {
      raw: bytes,
      svn: decodeVersion(required(kids, 0x82).value),
      euiccCiPKIdListForVerification: ciList(find(kids, 0xa9), ciNames),
      euiccCiPKIdListForSigning: ciList(find(kids, 0xaa), ciNames),
    };
  });
}

/** UICCCapability bit names (TCA eUICC Profile Package module, bits 0-25). */
export const UICC_CAPABILITY_NAMES: readonly string[] = [
  'contactlessSupport',
  'usimSupport',
  'isimSupport',
  'csimSupport',
  'akaMilenage',
  'akaCave',
  'akaTuak128',
  'akaTuak256',
  'rfu1',
  'rfu2',
  'gbaAuthenUsim',
  'gbaAuthenISim',
  'mbmsAuthenUsim',
  'eapClient',
  'javacard',
  'multos',
  'multipleUsimSupport',
  'multipleIsimSupport',
  'multipleCsimSupport',
  'berTlvFileSupport',
  'dfLinkSupport',
  'catTp',
  'getIdentity',
  'profile-a-x25519',
  'profile-b-p256',
  'suciCalculatorApi',
];

/** RspCapability bit names (v2.x; bit 19 osUpdateSupport is sparse). */
export const RSP_CAPABILITY_NAMES: readonly (string | undefined)[] = (() => {
  const names: (string | undefined)[] = [
    'additionalProfile',
    'crlSupport',
    'rpmSupport',
    'testProfileSupport',
    'deviceInfoExtensibilitySupport',
    'serviceSpecificDataSupport',
  ];
  names[19] = 'osUpdateSupport';
  return names;
})();

const EUICC_CATEGORIES: readonly EuiccCategory[] = [
  'other',
  'basicEuicc',
  'mediumEuicc',
  'contactlessEuicc',
];

/** ETSI TS 102 226 extended card resource TLVs: 81 installed apps, 82 free NVM, 83 free RAM. */
function extCardResource(value: Uint8Array, offset: number): ExtCardResource {
  const out: ExtCardResource = {};
  for (const t of decodeAll(value, offset)) {
    const n = t.value.reduce((acc, b) => acc * 256 + b, 0);
    if (t.tag === 0x81) out.installedApplications = n;
    else if (t.tag === 0x82) out.freeNonVolatileMemory = n;
    else if (t.tag === 0x83) out.freeVolatileMemory = n;
  }
  return out;
}

export function decodeEuiccInfo2(bytes: Uint8Array, ciNames?: CiNames): EuiccInfo2 {
  return decoding('getEuiccInfo2', () => {
    const kids = top('getEuiccInfo2', bytes, Es10Tag.GetEuiccInfo2);
    const T = EuiccInfo2Tag;
    const ecr = required(kids, T.extCardResource);
    const info: EuiccInfo2 = {
      raw: bytes,
      profileVersion: decodeVersion(required(kids, T.profileVersion).value),
      svn: decodeVersion(required(kids, T.svn).value),
      euiccFirmwareVer: decodeVersion(required(kids, T.euiccFirmwareVer).value),
      extCardResource: extCardResource(ecr.value, ecr.offset + ecr.raw.length - ecr.value.length),
      uiccCapability: bitNames(required(kids, T.uiccCapability), UICC_CAPABILITY_NAMES),
      rspCapability: bitNames(required(kids, T.rspCapability), RSP_CAPABILITY_NAMES),
      euiccCiPKIdListForVerification: ciList(find(kids, T.euiccCiPKIdListForVerification), ciNames),
      euiccCiPKIdListForSigning: ciList(find(kids, T.euiccCiPKIdListForSigning), ciNames),
      ppVersion: decodeVersion(required(kids, T.ppVersion).value),
      sasAcreditationNumber: decodeUtf8(required(kids, T.sasAcreditationNumber).value),
    };
    const ts = find(kids, T.ts102241Version);
    if (ts) info.ts102241Version = decodeVersion(ts.value);
    const gp = find(kids, T.globalplatformVersion);
    if (gp) info.globalplatformVersion = decodeVersion(gp.value);
    const cat = find(kids, T.euiccCategory);
    if (cat) info.euiccCategory = enumName(EUICC_CATEGORIES, int(cat), 'euiccCategory');
    const fppr = find(kids, T.forbiddenProfilePolicyRules);
    if (fppr) info.forbiddenProfilePolicyRules = pprs(fppr);
    const cdo = find(kids, T.certificationDataObject);
    if (cdo) {
      const c = children(cdo);
      info.certificationDataObject = {
        platformLabel: decodeUtf8(required(c, 0x80, cdo).value),
        discoveryBaseURL: decodeUtf8(required(c, 0x81, cdo).value),
      };
    }
    return info;
  });
}

export function decodeEidResponse(bytes: Uint8Array): string {
  return decoding('getEid', () =>
    decodeEid(required(top('getEid', bytes, Es10Tag.GetEid), Tag.Eid).value),
  );
}

export function decodeEuiccChallenge(bytes: Uint8Array): Uint8Array {
  return decoding('getEuiccChallenge', () => {
    const c = required(top('getEuiccChallenge', bytes, Es10Tag.GetEuiccChallenge), 0x80).value;
    if (c.length !== 16) throw new TypeError(`euiccChallenge has ${c.length} bytes, not 16`);
    return c;
  });
}

// ---- ES10b: the download session --------------------------------------------------------

/** The error alternative of AuthenticateServer/PrepareDownload: `A1 { [80 txId], 02 code }`. */
function sessionError(
  choice: Tlv,
  raw: Uint8Array,
  names: Readonly<Record<number, string>>,
): { ok: false; raw: Uint8Array; transactionId: Uint8Array; errorCode: number; errorName: string } {
  const e = children(choice);
  const code = int(required(e, Tag.Integer, choice));
  return {
    ok: false,
    raw,
    transactionId: find(e, 0x80)?.value ?? new Uint8Array(0),
    errorCode: code,
    errorName: names[code] ?? `unknown(${code})`,
  };
}

/** The parts of AuthenticateResponseOk `A0 {30 euiccSigned1, 5F37 euiccSignature1, 30 euiccCert, 30 eumCert}`. */
interface AuthenticateOkParts {
  signed1: Tlv;
  signature1: Tlv;
  euiccCertificate: Uint8Array;
  eumCertificate: Uint8Array;
}

/**
 * AuthenticateServerResponse `BF38 {A0 AuthenticateResponseOk | A1 {[80 txId], 02 code}}`
 * (docs/protocol.md §3, §5.1 step 6): the CHOICE, shared by the LPA's
 * and the verifier's decoders. Call inside `decoding`.
 */
function authenticateServerChoice(
  bytes: Uint8Array,
  exact: boolean,
): { ok: true; parts: AuthenticateOkParts } | AuthenticateServerError {
  const choice = sessionChoice('authenticateServer', bytes, Es10Tag.AuthenticateServer, exact);
  if (choice?.tag === 0xa0) {
    const parts = children(choice);
    const signed1 = parts[0];
    if (signed1?.tag !== Tag.Sequence) throw new TypeError('euiccSigned1 missing');
    const signature1 = parts[1];
    if (signature1?.tag !== Tag.Signature) throw new TypeError('euiccSignature1 missing');
    const certs = parts.slice(2).filter((p) => p.tag === Tag.Sequence);
    if (certs.length < 2) throw new TypeError('eUICC and EUM certificates missing');
    return {
      ok: true,
      parts: {
        signed1,
        signature1,
        euiccCertificate: certs[0]!.raw,
        eumCertificate: certs[1]!.raw,
      },
    };
  }
  if (choice?.tag === 0xa1) return sessionError(choice, bytes, AUTHENTICATE_ERROR_CODES);
  throw new TypeError('neither authenticateResponseOk nor authenticateResponseError');
}

/** The first element of a session response's CHOICE; `exact`: it must be the only one. */
function sessionChoice(
  fn: Es10Function,
  bytes: Uint8Array,
  tag: number,
  exact: boolean,
): Tlv | undefined {
  const kids = top(fn, bytes, tag);
  if (exact && kids.length !== 1)
    throw new TypeError(`expected one CHOICE element, not ${kids.length}`);
  return kids[0];
}

type AuthenticateServerError = Extract<AuthenticateServerResponse, { ok: false }>;

export function decodeAuthenticateServerResponse(bytes: Uint8Array): AuthenticateServerResponse {
  return decoding('authenticateServer', () => {
    const r = authenticateServerChoice(bytes, false);
    if (!r.ok) return r;
    return {
      ok: true as const,
      raw: bytes,
      transactionId: required(children(r.parts.signed1), 0x80, r.parts.signed1).value,
      euiccCertificate: r.parts.euiccCertificate,
      eumCertificate: r.parts.eumCertificate,
    };
  });
}

/** The parts of PrepareDownloadResponseOk `A0 {30 euiccSigned2, 5F37 euiccSignature2}`. */
function prepareDownloadChoice(
  bytes: Uint8Array,
  exact: boolean,
): { ok: true; signed2: Tlv; signature2: Tlv } | PrepareDownloadError {
  const choice = sessionChoice('prepareDownload', bytes, Es10Tag.PrepareDownload, exact);
  if (choice?.tag === 0xa0) {
    const parts = children(choice);
    const signed2 = parts[0];
    if (signed2?.tag !== Tag.Sequence) throw new TypeError('euiccSigned2 missing');
    const signature2 = parts[1];
    if (signature2?.tag !== Tag.Signature) throw new TypeError('euiccSignature2 missing');
    return { ok: true, signed2, signature2 };
  }
  if (choice?.tag === 0xa1) return sessionError(choice, bytes, DOWNLOAD_ERROR_CODES);
  throw new TypeError('neither downloadResponseOk nor downloadResponseError');
}

type PrepareDownloadError = Extract<PrepareDownloadResponse, { ok: false }>;

/**
 * PrepareDownloadResponse `BF21 {A0 {30 {80 txId, 5F49 otpk, [04 hashCc]}, 5F37 sig} |
 * A1 {[80 txId], 02 code}}` (docs/protocol.md §3, §5.1 step 11).
 */
export function decodePrepareDownloadResponse(bytes: Uint8Array): PrepareDownloadResponse {
  return decoding('prepareDownload', () => {
    const r = prepareDownloadChoice(bytes, false);
    if (!r.ok) return r;
    const s = children(r.signed2);
    return {
      ok: true as const,
      raw: bytes,
      transactionId: required(s, 0x80, r.signed2).value,
      euiccOtpk: required(s, Tag.EuiccOtpk, r.signed2).value,
    };
  });
}

/** `BF41 { A0 { 30 {80 txId, 81 smdpOid, 82 reason}, 5F37 } | 81 error }` (docs/protocol.md §3). */
function cancelSessionSigned(choice: Tlv): { signed: Tlv; parts: Tlv[] } {
  if (choice.tag !== 0xa0) throw new TypeError('unexpected CancelSession response choice');
  const parts = children(choice);
  const signed = parts[0];
  if (signed?.tag !== Tag.Sequence) throw new TypeError('euiccCancelSessionSigned missing');
  return { signed, parts };
}

function cancelSessionFields(bytes: Uint8Array, signed: Tlv): CancelSessionResponse {
  const s = children(signed);
  return {
    raw: bytes,
    transactionId: required(s, 0x80, signed).value,
    smdpOid: decodeOid(required(s, 0x81, signed).value),
    reason: int(required(s, 0x82, signed)),
  };
}

/** `BF41 { A0 { 30 {80 txId, 81 smdpOid, 82 reason}, 5F37 } | 81 error }`; error -> Es10Error. */
export function decodeCancelSessionResponse(bytes: Uint8Array): CancelSessionResponse {
  const choice = decoding('cancelSession', () => {
    const c = top('cancelSession', bytes, Es10Tag.CancelSession)[0];
    if (!c) throw new TypeError('empty CancelSession response');
    return c;
  });
  if (choice.tag === 0x81)
    throw new Es10Error(
      'cancelSession',
      decoding('cancelSession', () => int(choice)),
    );
  return decoding('cancelSession', () =>
    cancelSessionFields(bytes, cancelSessionSigned(choice).signed),
  );
}

// ---- ES10b: notifications ----------------------------------------------------------------

/** NotificationMetadata `BF2F {80 seq, 81 event, 0C address, [5A iccid]}` (docs/protocol.md §8). */
export function decodeNotificationMetadataTlv(t: Tlv): NotificationMetadata {
  const kids = children(t);
  const ev = events(required(kids, 0x81, t));
  if (ev.length !== 1) throw new TypeError(`a notification names ${ev.length} events, not 1`);
  const out: NotificationMetadata = {
    seqNumber: int(required(kids, 0x80, t)),
    profileManagementOperation: ev[0]!,
    notificationAddress: decodeUtf8(required(kids, Tag.Utf8String, t).value),
    raw: t.raw,
  };
  const iccid = find(kids, Tag.Iccid);
  if (iccid) out.iccid = decodeIccid(iccid.value);
  return out;
}

export function decodeListNotificationResponse(bytes: Uint8Array): NotificationMetadata[] {
  const choice = decoding('listNotification', () => {
    const c = top('listNotification', bytes, Es10Tag.ListNotification)[0];
    if (!c) throw new TypeError('empty ListNotification response');
    return c;
  });
  if (choice.tag === 0x81)
    throw new Es10Error(
      'listNotification',
      decoding('listNotification', () => int(choice)),
    );
  return decoding('listNotification', () => {
    if (choice.tag !== 0xa0) throw new TypeError('unexpected ListNotification response choice');
    return findAll(children(choice), Es10Tag.NotificationMetadata).map(
      decodeNotificationMetadataTlv,
    );
  });
}

function decodeFinalResult(t: Tlv): ProfileInstallationResult['finalResult'] {
  const choice = children(t)[0];
  if (choice?.tag === 0xa0) {
    const s = children(choice);
    return {
      ok: true,
      isdpAid: required(s, Tag.Aid, choice).value,
      simaResponse: required(s, Tag.OctetString, choice).value,
    };
  }
  if (choice?.tag === 0xa1) {
    const e = children(choice);
    const cmd = int(required(e, 0x80, choice));
    const reason = int(required(e, 0x81, choice));
    const sima = find(e, 0x82);
    return {
      ok: false,
      bppCommandId: cmd,
      bppCommandName: bppCommandName(cmd),
      errorReason: reason,
      errorReasonName: errorReasonName(reason),
      ...(sima ? { simaResponse: sima.value } : {}),
    };
  }
  throw new TypeError('finalResult is neither successResult nor errorResult');
}

/** `BF37 { BF27 { 80 txId, BF2F metadata, [06 smdpOid], A2 finalResult }, 5F37 }` (docs/protocol.md §5.3). */
export function decodeProfileInstallationResultTlv(t: Tlv): ProfileInstallationResult {
  if (t.tag !== Es10Tag.ProfileInstallationResult) throw new TypeError('not a BF37');
  const data = required(children(t), Es10Tag.ProfileInstallationResultData, t);
  const d = children(data);
  const oid = find(d, Tag.Oid);
  return {
    raw: t.raw,
    transactionId: required(d, 0x80, data).value,
    notificationMetadata: decodeNotificationMetadataTlv(
      required(d, Es10Tag.NotificationMetadata, data),
    ),
    ...(oid ? { smdpOid: decodeOid(oid.value) } : {}),
    finalResult: decodeFinalResult(required(d, 0xa2, data)),
  };
}

export function decodeProfileInstallationResult(bytes: Uint8Array): ProfileInstallationResult {
  return decoding('loadBoundProfilePackage', () =>
    decodeProfileInstallationResultTlv(decodeOne(bytes, Es10Tag.ProfileInstallationResult)),
  );
}

/** One PendingNotification: BF37 (install) or 30 OtherSignedNotification {BF2F, 5F37, certs}. */
export function decodePendingNotificationTlv(t: Tlv): PendingNotification {
  if (t.tag === Es10Tag.ProfileInstallationResult) {
    return {
      kind: 'profileInstallationResult',
      metadata: decodeProfileInstallationResultTlv(t).notificationMetadata,
      raw: t.raw,
    };
  }
  if (t.tag === Tag.Sequence) {
    return {
      kind: 'otherSignedNotification',
      metadata: decodeNotificationMetadataTlv(
        required(children(t), Es10Tag.NotificationMetadata, t),
      ),
      raw: t.raw,
    };
  }
  throw new TypeError(`unexpected PendingNotification tag ${t.tag.toString(16)}`);
}

export function decodeRetrieveNotificationsListResponse(bytes: Uint8Array): PendingNotification[] {
  const fn = 'retrieveNotificationsList';
  const choice = decoding(fn, () => {
    const c = top(fn, bytes, Es10Tag.RetrieveNotificationsList)[0];
    if (!c) throw new TypeError('empty RetrieveNotificationsList response');
    return c;
  });
  if (choice.tag === 0x81)
    throw new Es10Error(
      fn,
      decoding(fn, () => int(choice)),
    );
  return decoding(fn, () => {
    if (choice.tag !== 0xa0) throw new TypeError('unexpected response choice');
    return children(choice).map(decodePendingNotificationTlv);
  });
}

// ---- The eUICC's signed answers, as their verifier (the SM-DP+) reads them --------------
//
// The LPA only forwards these answers; the SM-DP+ verifies their signatures over the exact
// bytes received (`raw`/`signed`), never over a re-encoding (docs/protocol.md §7.2). These
// decoders share the CHOICE and field parsing above with the LPA's and are stricter where a
// verifier must be: one CHOICE element, signatures of 64 bytes (TR-03111 r || s).

const SIGNATURE_LENGTH = 64;

function signatureValue(t: Tlv, what: string): Uint8Array {
  if (t.value.length !== SIGNATURE_LENGTH)
    throw new TypeError(`${what} has ${t.value.length} bytes, not ${SIGNATURE_LENGTH}`);
  return t.value;
}

export interface EuiccSigned1 {
  /** The exact `30` TLV euiccSignature1 covers. */
  raw: Uint8Array;
  transactionId: Uint8Array;
  serverAddress: string;
  serverChallenge: Uint8Array;
  /** The exact `BF22` EUICCInfo2 TLV. */
  euiccInfo2: Uint8Array;
  /** ctxParams1's matchingId; undefined when it carries none (ES11, or the default SM-DP+). */
  matchingId: string | undefined;
}

/** euiccSigned1 `30 {80 txId, 83 serverAddress, 84 serverChallenge, BF22 euiccInfo2, A0 ctxParams1}` (docs/protocol.md §5.1 step 6). */
function euiccSigned1(t: Tlv): EuiccSigned1 {
  const s = children(t);
  const ctx = required(s, Tag.Cons0, t);
  const matchingId = find(children(ctx), 0x80);
  return {
    raw: t.raw,
    transactionId: required(s, 0x80, t).value,
    serverAddress: decodeUtf8(required(s, 0x83, t).value),
    serverChallenge: required(s, 0x84, t).value,
    euiccInfo2: required(s, Es10Tag.GetEuiccInfo2, t).raw,
    matchingId: matchingId ? decodeUtf8(matchingId.value) : undefined,
  };
}

export type SignedAuthenticateServerResponse =
  | {
      ok: true;
      euiccSigned1: EuiccSigned1;
      euiccSignature1: Uint8Array;
      /** The whole `5F37` TLV: smdpSignature2 covers smdpSigned2 || this. */
      euiccSignature1Tlv: Uint8Array;
      euiccCertificate: Uint8Array;
      eumCertificate: Uint8Array;
    }
  | AuthenticateServerError;

/** AuthenticateServerResponse `BF38` with everything the SM-DP+ verifies (ES9+.AuthenticateClient). */
export function decodeSignedAuthenticateServerResponse(
  bytes: Uint8Array,
): SignedAuthenticateServerResponse {
  return decoding('authenticateServer', () => {
    const r = authenticateServerChoice(bytes, true);
    if (!r.ok) return r;
    return {
      ok: true as const,
      euiccSigned1: euiccSigned1(r.parts.signed1),
      euiccSignature1: signatureValue(r.parts.signature1, 'euiccSignature1'),
      euiccSignature1Tlv: r.parts.signature1.raw,
      euiccCertificate: r.parts.euiccCertificate,
      eumCertificate: r.parts.eumCertificate,
    };
  });
}

export type SignedPrepareDownloadResponse =
  | {
      ok: true;
      euiccSigned2: {
        /** The exact `30` TLV euiccSignature2 covers (with smdpSignature2 after it). */
        raw: Uint8Array;
        transactionId: Uint8Array;
        euiccOtpk: Uint8Array;
        hashCc: Uint8Array | undefined;
      };
      euiccSignature2: Uint8Array;
    }
  | PrepareDownloadError;

/** PrepareDownloadResponse `BF21` with everything the SM-DP+ verifies (ES9+.GetBoundProfilePackage). */
export function decodeSignedPrepareDownloadResponse(
  bytes: Uint8Array,
): SignedPrepareDownloadResponse {
  return decoding('prepareDownload', () => {
    const r = prepareDownloadChoice(bytes, true);
    if (!r.ok) return r;
    const s = children(r.signed2);
    return {
      ok: true as const,
      euiccSigned2: {
        raw: r.signed2.raw,
        transactionId: required(s, 0x80, r.signed2).value,
        euiccOtpk: required(s, Tag.EuiccOtpk, r.signed2).value,
        hashCc: find(s, Tag.OctetString)?.value,
      },
      euiccSignature2: signatureValue(r.signature2, 'euiccSignature2'),
    };
  });
}

export type SignedCancelSessionResponse =
  | (CancelSessionResponse & {
      ok: true;
      /** The exact `30` euiccCancelSessionSigned TLV the signature covers. */
      signed: Uint8Array;
      signature: Uint8Array;
    })
  | { ok: false; errorCode: number };

/** CancelSessionResponse `BF41` with everything the SM-DP+ verifies (ES9+.CancelSession). */
export function decodeSignedCancelSessionResponse(bytes: Uint8Array): SignedCancelSessionResponse {
  return decoding('cancelSession', () => {
    const choice = sessionChoice('cancelSession', bytes, Es10Tag.CancelSession, true)!;
    if (choice.tag === 0x81) return { ok: false as const, errorCode: int(choice) };
    const { signed, parts } = cancelSessionSigned(choice);
    const signature = parts[1];
    if (signature?.tag !== Tag.Signature)
      throw new TypeError('euiccCancelSessionSignature missing');
    return {
      ok: true as const,
      ...cancelSessionFields(bytes, signed),
      signed: signed.raw,
      signature: signatureValue(signature, 'euiccCancelSessionSignature'),
    };
  });
}

export type SignedPendingNotification =
  | {
      kind: 'profileInstallationResult';
      result: ProfileInstallationResult;
      /** The exact `BF27` ProfileInstallationResultData TLV euiccSignPIR covers. */
      signed: Uint8Array;
      signature: Uint8Array;
    }
  | {
      kind: 'otherSignedNotification';
      metadata: NotificationMetadata;
      /** The exact `BF2F` NotificationMetadata TLV the signature covers. */
      signed: Uint8Array;
      signature: Uint8Array;
      euiccCertificate: Uint8Array;
      eumCertificate: Uint8Array;
    };

/**
 * A PendingNotification as ES9+.HandleNotification delivers it, with its signed part:
 * `BF37 {BF27 {...}, 5F37}` (docs/protocol.md §5.3) or
 * `30 {BF2F, 5F37, 30 euiccCert, 30 eumCert}` (docs/protocol.md §8).
 */
export function decodeSignedPendingNotification(bytes: Uint8Array): SignedPendingNotification {
  return decoding('retrieveNotificationsList', () => {
    const t = decodeOne(bytes);
    const items = children(t);
    const signature = signatureValue(required(items, Tag.Signature, t), 'the signature');
    if (t.tag === Es10Tag.ProfileInstallationResult) {
      return {
        kind: 'profileInstallationResult' as const,
        result: decodeProfileInstallationResultTlv(t),
        signed: required(items, Es10Tag.ProfileInstallationResultData, t).raw,
        signature,
      };
    }
    if (t.tag === Tag.Sequence) {
      const tbs = required(items, Es10Tag.NotificationMetadata, t);
      const [euiccCert, eumCert] = items.filter((x) => x.tag === Tag.Sequence);
      if (!euiccCert || !eumCert) throw new TypeError('eUICC and EUM certificates missing');
      return {
        kind: 'otherSignedNotification' as const,
        metadata: decodeNotificationMetadataTlv(tbs),
        signed: tbs.raw,
        signature,
        euiccCertificate: euiccCert.raw,
        eumCertificate: eumCert.raw,
      };
    }
    throw new TypeError(`unexpected PendingNotification tag ${t.tag.toString(16)}`);
  });
}

// ---- ES10c: profiles ---------------------------------------------------------------------

function operatorId(t: Tlv): OperatorId {
  const kids = children(t);
  const out: OperatorId = { mccMnc: required(kids, 0x80, t).value };
  const g1 = find(kids, 0x81);
  const g2 = find(kids, 0x82);
  if (g1) out.gid1 = g1.value;
  if (g2) out.gid2 = g2.value;
  return out;
}

const ICON_TYPES: readonly IconType[] = ['jpg', 'png'];

export function decodeProfileInfoTlv(t: Tlv): ProfileInfo {
  const T = ProfileInfoTag;
  const p: ProfileInfo = {};
  for (const f of children(t)) {
    switch (f.tag) {
      case T.iccid:
        p.iccid = decodeIccid(f.value);
        break;
      case T.isdpAid:
        p.isdpAid = f.value;
        break;
      case T.profileState:
        p.profileState = int(f) === 1 ? 'enabled' : 'disabled';
        break;
      case T.profileNickname:
        p.profileNickname = decodeUtf8(f.value);
        break;
      case T.serviceProviderName:
        p.serviceProviderName = decodeUtf8(f.value);
        break;
      case T.profileName:
        p.profileName = decodeUtf8(f.value);
        break;
      case T.iconType:
        p.iconType = enumName(ICON_TYPES, int(f), 'iconType');
        break;
      case T.icon:
        p.icon = f.value;
        break;
      case T.profileClass:
        p.profileClass = enumName(PROFILE_CLASSES, int(f), 'profileClass');
        break;
      case T.notificationConfigurationInfo:
        p.notificationConfigurationInfo = findAll(children(f), Tag.Sequence).map(
          (s): NotificationConfigurationInformation => {
            const k = children(s);
            return {
              profileManagementOperation: events(required(k, 0x80, s)),
              notificationAddress: decodeUtf8(required(k, 0x81, s).value),
            };
          },
        );
        break;
      case T.profileOwner:
        p.profileOwner = operatorId(f);
        break;
      case T.dpProprietaryData: {
        const oid = find(children(f), 0x80);
        if (oid) p.dpOid = decodeOid(oid.value);
        break;
      }
      case T.profilePolicyRules:
        p.profilePolicyRules = pprs(f);
        break;
      default:
        // Later versions add fields (docs/protocol.md §10); ignore what this client does not know.
        break;
    }
  }
  return p;
}

export function decodeProfileInfoListResponse(bytes: Uint8Array): ProfileInfo[] {
  const fn = 'getProfilesInfo';
  const choice = decoding(fn, () => {
    const c = top(fn, bytes, Es10Tag.GetProfilesInfo)[0];
    return c;
  });
  // An empty BF2D 00 is how some cards say "no profiles".
  if (choice === undefined) return [];
  if (choice.tag === 0x81)
    throw new Es10Error(
      fn,
      decoding(fn, () => int(choice)),
    );
  return decoding(fn, () => {
    if (choice.tag !== 0xa0) throw new TypeError('unexpected ProfileInfoListResponse choice');
    return findAll(children(choice), Tag.ProfileInfo).map(decodeProfileInfoTlv);
  });
}

export function decodeRatResponse(bytes: Uint8Array): RatEntry[] {
  return decoding('getRat', () => {
    const kids = top('getRat', bytes, Es10Tag.GetRat);
    const rat = find(kids, 0xa0);
    if (!rat) return [];
    return findAll(children(rat), Tag.Sequence).map((rule): RatEntry => {
      const r = children(rule);
      const ops = find(r, 0xa1);
      const flags = find(r, 0x82);
      return {
        pprIds: pprs(required(r, 0x80, rule)),
        allowedOperators: ops ? findAll(children(ops), Tag.Sequence).map(operatorId) : [],
        consentRequired: flags ? decodeBitString(flags.value, flags.offset).includes(0) : false,
      };
    });
  });
}

/** Hex of a transaction id (upper case), for logs and ES9+ JSON. */
export function transactionIdHex(txId: Uint8Array): string {
  return toHex(txId);
}

// ---- ES9+ blobs the LPA inspects before passing them to the eUICC -----------------------

export interface ServerSigned1 {
  transactionId: Uint8Array;
  euiccChallenge: Uint8Array;
  serverAddress: string;
  serverChallenge: Uint8Array;
}

/** serverSigned1 `30 {80 txId, 81 euiccChallenge, 83 serverAddress, 84 serverChallenge}` (§5.1 step 3). */
export function decodeServerSigned1(bytes: Uint8Array): ServerSigned1 {
  return decoding('authenticateServer', () => {
    const kids = children(decodeOne(bytes, Tag.Sequence));
    return {
      transactionId: required(kids, 0x80).value,
      euiccChallenge: required(kids, 0x81).value,
      serverAddress: decodeUtf8(required(kids, 0x83).value),
      serverChallenge: required(kids, 0x84).value,
    };
  });
}

export interface SmdpSigned2 {
  transactionId: Uint8Array;
  ccRequiredFlag: boolean;
  bppEuiccOtpk?: Uint8Array;
}

/** smdpSigned2 `30 {80 txId, 01 ccRequiredFlag, [5F49 bppEuiccOtpk]}` (§5.1 step 8). */
export function decodeSmdpSigned2(bytes: Uint8Array): SmdpSigned2 {
  return decoding('prepareDownload', () => {
    const kids = children(decodeOne(bytes, Tag.Sequence));
    const flag = required(kids, Tag.Boolean).value;
    if (flag.length !== 1) throw new TypeError('BOOLEAN of more than one byte');
    const otpk = find(kids, Tag.EuiccOtpk);
    return {
      transactionId: required(kids, 0x80).value,
      // BOOLEAN: any non-zero is TRUE (docs/protocol.md §1).
      ccRequiredFlag: flag[0] !== 0,
      ...(otpk ? { bppEuiccOtpk: otpk.value } : {}),
    };
  });
}

/**
 * StoreMetadataRequest `BF25` (profileMetadata from authenticateClient): the same field tags
 * as ProfileInfo (5A, 91, 92, 93, 94, 95, B6, B7, 99), shown to the user before consent.
 */
export function decodeStoreMetadata(bytes: Uint8Array): ProfileInfo {
  return decoding('prepareDownload', () =>
    decodeProfileInfoTlv(decodeOne(bytes, Es10Tag.StoreMetadata)),
  );
}
