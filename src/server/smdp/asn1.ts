/**
 * The SGP.22 structures the SM-DP+/SM-DS builds and reads (docs/protocol.md §3, §5, §8). Decoders keep
 * the exact received bytes (`raw`) of every signed part: signatures are verified over those
 * slices, never over a re-encoding. Malformed input raises TlvError from the codec.
 */
import {
  TlvError,
  children,
  decodeBitString,
  decodeOne,
  decodeUnsigned,
  encodeBitString,
  encodeTlv,
  find,
  required,
  utf8,
  type Tlv,
} from '../../codec/index.ts';
import { Es10Tag, Tag } from '../../es10/tags.ts';

const SIGNATURE_LENGTH = 64;

function signatureOf(t: Tlv): Uint8Array {
  if (t.value.length !== SIGNATURE_LENGTH)
    throw new TlvError(`signature of ${t.value.length} bytes, expected 64`, t.offset);
  return t.value;
}

function text(t: Tlv): string {
  try {
    return utf8.decode(t.value);
  } catch {
    throw new TlvError('invalid UTF-8', t.offset);
  }
}

// ---------------------------------------------------------------------------------------------
// Encoders (SM-DP+ -> LPA)

/** ServerSigned1 `30 {80 txId, 81 euiccChallenge, 83 serverAddress, 84 serverChallenge}` (§5.1 step 3). */
export function encodeServerSigned1(p: {
  transactionId: Uint8Array;
  euiccChallenge: Uint8Array;
  serverAddress: string;
  serverChallenge: Uint8Array;
}): Uint8Array {
  return encodeTlv(
    Tag.Sequence,
    encodeTlv(0x80, p.transactionId),
    encodeTlv(0x81, p.euiccChallenge),
    encodeTlv(0x83, utf8.encode(p.serverAddress)),
    encodeTlv(0x84, p.serverChallenge),
  );
}

/**
 * SmdpSigned2 `30 {80 txId, 01 ccRequiredFlag, [5F49 bppEuiccOtpk]}` (§5.1 step 8); the flag
 * is a universal BOOLEAN because its siblings are tagged (docs/protocol.md §1, DER tagging trap).
 */
export function encodeSmdpSigned2(p: {
  transactionId: Uint8Array;
  ccRequired: boolean;
  bppEuiccOtpk?: Uint8Array;
}): Uint8Array {
  return encodeTlv(
    Tag.Sequence,
    encodeTlv(0x80, p.transactionId),
    encodeTlv(Tag.Boolean, Uint8Array.of(p.ccRequired ? 0xff : 0x00)),
    ...(p.bppEuiccOtpk ? [encodeTlv(Tag.EuiccOtpk, p.bppEuiccOtpk)] : []),
  );
}

export type ProfileClass = 'test' | 'provisioning' | 'operational';
export const PROFILE_CLASS: Record<ProfileClass, number> = {
  test: 0,
  provisioning: 1,
  operational: 2,
};
export type IconType = 'jpg' | 'png';
export const ICON_TYPE: Record<IconType, number> = { jpg: 0, png: 1 };
export type PprName = 'pprUpdateControl' | 'ppr1' | 'ppr2';
/** PprIds bit numbers (docs/protocol.md §3.1 `99`). */
export const PPR_BIT: Record<PprName, number> = { pprUpdateControl: 0, ppr1: 1, ppr2: 2 };
/** NotificationEvent bit numbers (docs/protocol.md §8). */
export const EVENT_BIT = { install: 0, enable: 1, disable: 2, delete: 3 } as const;
export type EventName = keyof typeof EVENT_BIT;

export interface StoreMetadata {
  iccid: Uint8Array;
  serviceProviderName: string;
  profileName: string;
  icon?: { type: IconType; data: Uint8Array };
  profileClass?: ProfileClass;
  notifications?: readonly { events: readonly EventName[]; address: string }[];
  ppr?: readonly PprName[];
}

/**
 * StoreMetadataRequest `BF25` (docs/protocol.md §3.1 ProfileInfo tags): 5A iccid, 91 SPN, 92 name,
 * 93 iconType, 94 icon, 95 class, B6 {30 {80 events, 81 address}}*, 99 PPR ids.
 */
export function encodeStoreMetadata(m: StoreMetadata): Uint8Array {
  const parts: Uint8Array[] = [
    encodeTlv(0x5a, m.iccid),
    encodeTlv(0x91, utf8.encode(m.serviceProviderName)),
    encodeTlv(0x92, utf8.encode(m.profileName)),
  ];
  if (m.icon) {
    parts.push(encodeTlv(0x93, Uint8Array.of(ICON_TYPE[m.icon.type])));
    parts.push(encodeTlv(0x94, m.icon.data));
  }
  if (m.profileClass !== undefined)
    parts.push(encodeTlv(0x95, Uint8Array.of(PROFILE_CLASS[m.profileClass])));
  if (m.notifications && m.notifications.length > 0) {
    parts.push(
      encodeTlv(
        0xb6,
        ...m.notifications.map((n) =>
          encodeTlv(
            Tag.Sequence,
            encodeTlv(0x80, encodeBitString(n.events.map((e) => EVENT_BIT[e]))),
            encodeTlv(0x81, utf8.encode(n.address)),
          ),
        ),
      ),
    );
  }
  if (m.ppr && m.ppr.length > 0)
    parts.push(encodeTlv(0x99, encodeBitString(m.ppr.map((p) => PPR_BIT[p]))));
  return encodeTlv(Es10Tag.StoreMetadata, ...parts);
}

// ---------------------------------------------------------------------------------------------
// Decoders (LPA -> SM-DP+)

export interface EuiccInfo1 {
  /** SGP.22 version supported by the eUICC, e.g. [2, 2, 0]. */
  svn: [number, number, number];
  ciForVerification: Uint8Array[];
  ciForSigning: Uint8Array[];
}

function keyIdList(t: Tlv | undefined): Uint8Array[] {
  if (!t) return [];
  return children(t).map((k) => {
    if (k.tag !== Tag.OctetString) throw new TlvError('expected an OCTET STRING key id', k.offset);
    return k.value;
  });
}

/** EUICCInfo1 `BF20 {82 svn, A9 {04 ski}*, AA {04 ski}*}` (docs/protocol.md §3.2). */
export function parseEuiccInfo1(der: Uint8Array): EuiccInfo1 {
  const root = decodeOne(der, Es10Tag.GetEuiccInfo1);
  const items = children(root);
  const svn = required(items, 0x82, root);
  if (svn.value.length !== 3) throw new TlvError('svn must be 3 bytes', svn.offset);
  return {
    svn: [svn.value[0]!, svn.value[1]!, svn.value[2]!],
    ciForVerification: keyIdList(find(items, 0xa9)),
    ciForSigning: keyIdList(find(items, 0xaa)),
  };
}

export interface AuthenticateServerOk {
  kind: 'ok';
  euiccSigned1: {
    raw: Uint8Array;
    transactionId: Uint8Array;
    serverAddress: string;
    serverChallenge: Uint8Array;
    euiccInfo2: Uint8Array;
    /** undefined when ctxParams1 carries no matchingId (ES11, or default SM-DP+). */
    matchingId: string | undefined;
  };
  euiccSignature1: Uint8Array;
  /** The whole `5F37` TLV: smdpSignature2 covers smdpSigned2 || this. */
  euiccSignature1Tlv: Uint8Array;
  euiccCertificate: Uint8Array;
  eumCertificate: Uint8Array;
}

export interface EuiccErrorResponse {
  kind: 'error';
  transactionId: Uint8Array | undefined;
  code: number;
}

/** The eUICC's error CHOICE `A1 {[80 txId], 02 code}` (docs/protocol.md §1: INTEGER stays universal). */
function parseErrorChoice(t: Tlv): EuiccErrorResponse {
  const items = children(t);
  const code = required(items, Tag.Integer, t);
  return {
    kind: 'error',
    transactionId: find(items, 0x80)?.value,
    code: decodeUnsigned(code.value, code.offset),
  };
}

/**
 * AuthenticateServerResponse `BF38 {A0 {30 euiccSigned1, 5F37 sig, 30 euiccCert, 30 eumCert}
 * | A1 {80 txId, 02 code}}` (docs/protocol.md §3, §5.1 step 6).
 */
export function parseAuthenticateServerResponse(
  der: Uint8Array,
): AuthenticateServerOk | EuiccErrorResponse {
  const root = decodeOne(der, Es10Tag.AuthenticateServer);
  const [choice, ...extra] = children(root);
  if (!choice || extra.length > 0) throw new TlvError('expected one CHOICE element', root.offset);
  if (choice.tag === Tag.Cons1) return parseErrorChoice(choice);
  if (choice.tag !== Tag.Cons0)
    throw new TlvError('unknown AuthenticateServerResponse', choice.offset);
  const items = children(choice);
  const sequences = items.filter((t) => t.tag === Tag.Sequence);
  const [signed, euiccCert, eumCert] = sequences;
  if (!signed || !euiccCert || !eumCert)
    throw new TlvError(
      'AuthenticateResponseOk needs euiccSigned1 and two certificates',
      choice.offset,
    );
  const signature = required(items, Tag.Signature, choice);
  const s = children(signed);
  const ctx = required(s, Tag.Cons0, signed);
  const matchingId = find(children(ctx), 0x80);
  return {
    kind: 'ok',
    euiccSigned1: {
      raw: signed.raw,
      transactionId: required(s, 0x80, signed).value,
      serverAddress: text(required(s, 0x83, signed)),
      serverChallenge: required(s, 0x84, signed).value,
      euiccInfo2: required(s, Es10Tag.GetEuiccInfo2, signed).raw,
      matchingId: matchingId ? text(matchingId) : undefined,
    },
    euiccSignature1: signatureOf(signature),
    euiccSignature1Tlv: signature.raw,
    euiccCertificate: euiccCert.raw,
    eumCertificate: eumCert.raw,
  };
}

export interface PrepareDownloadOk {
  kind: 'ok';
  euiccSigned2: {
    raw: Uint8Array;
    transactionId: Uint8Array;
    euiccOtpk: Uint8Array;
    hashCc: Uint8Array | undefined;
  };
  euiccSignature2: Uint8Array;
}

/**
 * PrepareDownloadResponse `BF21 {A0 {30 {80 txId, 5F49 otpk, [04 hashCc]}, 5F37 sig} |
 * A1 {80 txId, 02 code}}` (docs/protocol.md §3, §5.1 step 11).
 */
export function parsePrepareDownloadResponse(
  der: Uint8Array,
): PrepareDownloadOk | EuiccErrorResponse {
  const root = decodeOne(der, Es10Tag.PrepareDownload);
  const [choice, ...extra] = children(root);
  if (!choice || extra.length > 0) throw new TlvError('expected one CHOICE element', root.offset);
  if (choice.tag === Tag.Cons1) return parseErrorChoice(choice);
  if (choice.tag !== Tag.Cons0)
    throw new TlvError('unknown PrepareDownloadResponse', choice.offset);
  const items = children(choice);
  const signed = required(items, Tag.Sequence, choice);
  const s = children(signed);
  return {
    kind: 'ok',
    euiccSigned2: {
      raw: signed.raw,
      transactionId: required(s, 0x80, signed).value,
      euiccOtpk: required(s, Tag.EuiccOtpk, signed).value,
      hashCc: find(s, Tag.OctetString)?.value,
    },
    euiccSignature2: signatureOf(required(items, Tag.Signature, choice)),
  };
}

export interface NotificationMetadata {
  seqNumber: number;
  events: number[];
  address: string;
  iccid: Uint8Array | undefined;
}

function parseNotificationMetadata(t: Tlv): NotificationMetadata {
  const items = children(t);
  const seq = required(items, 0x80, t);
  const ev = required(items, 0x81, t);
  return {
    seqNumber: decodeUnsigned(seq.value, seq.offset),
    events: decodeBitString(ev.value, ev.offset),
    address: text(required(items, Tag.Utf8String, t)),
    iccid: find(items, 0x5a)?.value,
  };
}

export interface ProfileInstallationResult {
  kind: 'install';
  /** The `BF27` TLV: euiccSignPIR covers exactly these bytes. */
  dataRaw: Uint8Array;
  transactionId: Uint8Array;
  metadata: NotificationMetadata;
  smdpOid: Uint8Array;
  result:
    | { success: true; isdpAid: Uint8Array | undefined }
    | { success: false; bppCommandId: number; errorReason: number };
  signature: Uint8Array;
}

export interface OtherSignedNotification {
  kind: 'other';
  /** The `BF2F` TLV: the signature covers exactly these bytes. */
  tbsRaw: Uint8Array;
  metadata: NotificationMetadata;
  signature: Uint8Array;
  euiccCertificate: Uint8Array;
  eumCertificate: Uint8Array;
}

/**
 * PendingNotification: `BF37 {BF27 {80 txId, BF2F metadata, 06 smdpOid, A2 {A0 ok | A1 err}},
 * 5F37 sig}` (docs/protocol.md §5.3) or `30 {BF2F, 5F37, 30 euiccCert, 30 eumCert}` (§8).
 */
export function parsePendingNotification(
  der: Uint8Array,
): ProfileInstallationResult | OtherSignedNotification {
  const root = decodeOne(der);
  const items = children(root);
  if (root.tag === Es10Tag.ProfileInstallationResult) {
    const data = required(items, Es10Tag.ProfileInstallationResultData, root);
    const d = children(data);
    const finalResult = required(d, Tag.Cons2, data);
    const [choice] = children(finalResult);
    if (!choice) throw new TlvError('empty finalResult', finalResult.offset);
    let result: ProfileInstallationResult['result'];
    if (choice.tag === Tag.Cons0) {
      result = { success: true, isdpAid: find(children(choice), Tag.Aid)?.value };
    } else if (choice.tag === Tag.Cons1) {
      const e = children(choice);
      const cmd = required(e, 0x80, choice);
      const reason = required(e, 0x81, choice);
      result = {
        success: false,
        bppCommandId: decodeUnsigned(cmd.value, cmd.offset),
        errorReason: decodeUnsigned(reason.value, reason.offset),
      };
    } else {
      throw new TlvError('unknown finalResult', choice.offset);
    }
    return {
      kind: 'install',
      dataRaw: data.raw,
      transactionId: required(d, 0x80, data).value,
      metadata: parseNotificationMetadata(required(d, Es10Tag.NotificationMetadata, data)),
      smdpOid: required(d, Tag.Oid, data).value,
      result,
      signature: signatureOf(required(items, Tag.Signature, root)),
    };
  }
  if (root.tag === Tag.Sequence) {
    const tbs = required(items, Es10Tag.NotificationMetadata, root);
    const certs = items.filter((t) => t.tag === Tag.Sequence);
    const [euiccCert, eumCert] = certs;
    if (!euiccCert || !eumCert) throw new TlvError('missing certificates', root.offset);
    return {
      kind: 'other',
      tbsRaw: tbs.raw,
      metadata: parseNotificationMetadata(tbs),
      signature: signatureOf(required(items, Tag.Signature, root)),
      euiccCertificate: euiccCert.raw,
      eumCertificate: eumCert.raw,
    };
  }
  throw new TlvError('not a PendingNotification', 0);
}

export interface CancelSessionOk {
  kind: 'ok';
  signedRaw: Uint8Array;
  transactionId: Uint8Array;
  smdpOid: Uint8Array;
  reason: number;
  signature: Uint8Array;
}

/**
 * CancelSessionResponse `BF41 {A0 {30 {80 txId, 81 smdpOid, 82 reason}, 5F37 sig} | 81 error}`
 * (docs/protocol.md §3).
 */
export function parseCancelSessionResponse(
  der: Uint8Array,
): CancelSessionOk | { kind: 'error'; code: number } {
  const root = decodeOne(der, Es10Tag.CancelSession);
  const [choice, ...extra] = children(root);
  if (!choice || extra.length > 0) throw new TlvError('expected one CHOICE element', root.offset);
  if (choice.tag === 0x81)
    return { kind: 'error', code: decodeUnsigned(choice.value, choice.offset) };
  if (choice.tag !== Tag.Cons0) throw new TlvError('unknown CancelSessionResponse', choice.offset);
  const items = children(choice);
  const signed = required(items, Tag.Sequence, choice);
  const s = children(signed);
  const reason = required(s, 0x82, signed);
  return {
    kind: 'ok',
    signedRaw: signed.raw,
    transactionId: required(s, 0x80, signed).value,
    smdpOid: required(s, 0x81, signed).value,
    reason: decodeUnsigned(reason.value, reason.offset),
    signature: signatureOf(required(items, Tag.Signature, choice)),
  };
}

/**
 * ES11 event list as the ASN.1 binding carries it (docs/protocol.md §4.2):
 * `BF40 {A0 {80 txId, A1 {30 {80 eventId, 81 rspServerAddress}*}}}`. The JSON binding sends
 * the entries as plain JSON; this encoding is exposed for completeness and tests.
 */
export function encodeEventEntries(
  transactionId: Uint8Array,
  entries: readonly { eventId: string; rspServerAddress: string }[],
): Uint8Array {
  return encodeTlv(
    Es10Tag.EventEntries,
    encodeTlv(
      Tag.Cons0,
      encodeTlv(0x80, transactionId),
      encodeTlv(
        Tag.Cons1,
        ...entries.map((e) =>
          encodeTlv(
            Tag.Sequence,
            encodeTlv(0x80, utf8.encode(e.eventId)),
            encodeTlv(0x81, utf8.encode(e.rspServerAddress)),
          ),
        ),
      ),
    ),
  );
}
