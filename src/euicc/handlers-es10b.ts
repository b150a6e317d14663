/**
 * ES10b (SGP.22 v2.2.2 §5.7): eUICC information, the RSP session (GetEUICCChallenge,
 * AuthenticateServer, PrepareDownload, LoadBoundProfilePackage, CancelSession), LoadCRL and the
 * notification list.
 */
import {
  bytesEqual,
  children,
  concat,
  decodeBitString,
  decodeUnsigned,
  encodeBitString,
  encodeTlv,
  find,
  fromHex,
  required,
  toHex,
  utf8,
} from '../codec/index.ts';
import { encodeNotificationMetadata, encodeResultResponse } from '../es10/encode.ts';
import { Es10Tag, Tag } from '../es10/tags.ts';
import {
  CertificateError,
  generateKeyPair,
  parseCertificate,
  signTr03111,
  verifyChain,
  verifyTr03111,
} from '../rsp/index.ts';
import type { Certificate } from '../rsp/index.ts';
import { encodeOid } from '../rsp/oid.ts';
import { BppLoader } from './bpp-loader.ts';
import type { BppOutcome } from './bpp-loader.ts';
import { intTlv, requestFields, strict, utf8Tlv, version } from './der.ts';
import { StatusWordError } from './errors.ts';
import { SW } from './iso7816.ts';
import { UNDEFINED_ERROR } from './isd-r-context.ts';
import type { Es10Result, IsdRContext } from './isd-r-context.ts';
import { metadataOf } from './notifications.ts';
import { MAX_ISDP_INDEX } from './state.ts';
import type { NotificationRecord, ProfileRecord } from './state.ts';

/** AuthenticateErrorCode (docs/protocol.md §9). */
export const AuthenticateError = {
  invalidCertificate: 1,
  invalidSignature: 2,
  unsupportedCurve: 3,
  noSessionContext: 4,
  invalidOid: 5,
  euiccChallengeMismatch: 6,
  ciPKUnknown: 7,
  undefinedError: 127,
} as const;

/** DownloadErrorCode (docs/protocol.md §9). */
export const DownloadError = {
  invalidCertificate: 1,
  invalidSignature: 2,
  unsupportedCurve: 3,
  noSessionContext: 4,
  invalidTransactionId: 5,
  undefinedError: 127,
} as const;

/** ISD-P AIDs: A0000005591010FFFFFFFF89 00 00 1n 00 (docs/protocol.md §1). */
function isdpAid(index: number): string {
  return `A0000005591010FFFFFFFF890000${(0x10 + index).toString(16).toUpperCase().padStart(2, '0')}00`;
}
function ciLists(ctx: IsdRContext): Uint8Array[] {
  const list = ctx.id.ciKeyIds.map((k) => encodeTlv(Tag.OctetString, k));
  return [encodeTlv(0xa9, ...list), encodeTlv(0xaa, ...list)];
}

export function handleEuiccInfo1(ctx: IsdRContext): Uint8Array {
  return encodeTlv(
    Es10Tag.GetEuiccInfo1,
    encodeTlv(0x82, version(ctx.state.config.svn)),
    ...ciLists(ctx),
  );
}

/** Bytes of NVM still free for profiles. */
export function freeNvm(ctx: IsdRContext): number {
  const used = ctx.state.profiles.reduce((s, p) => s + p.size, 0);
  return Math.max(0, ctx.state.config.nvmBytes - used);
}

export function handleEuiccInfo2(ctx: IsdRContext): Uint8Array {
  const c = ctx.state.config;
  const uint = (n: number, len: number): Uint8Array => {
    const out = new Uint8Array(len);
    for (let i = len - 1, v = n; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
    return out;
  };
  // extCardResource (ETSI TS 102 226 §8.2.1.7.2): 81 installed applications, 82 free NVM,
  // 83 free volatile memory.
  const ext = concat(
    encodeTlv(0x81, Uint8Array.of(ctx.state.profiles.length & 0xff)),
    encodeTlv(0x82, uint(freeNvm(ctx), 4)),
    encodeTlv(0x83, uint(c.freeRamBytes, 2)),
  );
  // UICCCapability bits: contactlessSupport 0 off; usim 1, isim 2, csim 3, akaMilenage 4,
  // akaCave 5, akaTuak128 6, akaTuak256 7, rfu 8-9, gbaAuthenUsim 10, gbaAuthenISim 11,
  // mbmsAuthenUsim 12, eapClient 13, javacard 14, multos 15, multipleUsimSupport 16,
  // multipleIsimSupport 17, multipleCsimSupport 18.
  const uiccCapability = encodeBitString([1, 2, 3, 4, 6, 7, 10, 11, 12, 13, 14, 16, 17]);
  // RspCapability: additionalProfile 0, testProfileSupport 3, deviceInfoExtensibility 4.
  const rspCapability = encodeBitString([0, 3, 4]);
  const [a9, aa] = ciLists(ctx);
  return encodeTlv(
    Es10Tag.GetEuiccInfo2,
    encodeTlv(0x81, version(c.profileVersion)),
    encodeTlv(0x82, version(c.svn)),
    encodeTlv(0x83, version(c.firmwareVersion)),
    encodeTlv(0x84, ext),
    encodeTlv(0x85, uiccCapability),
    encodeTlv(0x86, version(c.ts102241Version)),
    encodeTlv(0x87, version(c.globalPlatformVersion)),
    encodeTlv(0x88, rspCapability),
    a9!,
    aa!,
    intTlv(0x8b, c.euiccCategory),
    encodeTlv(Tag.OctetString, version(c.ppVersion)),
    utf8Tlv(Tag.Utf8String, c.sasAccreditationNumber),
  );
}
// ---- ES10b: RSP session --------------------------------------------------------------

export function handleGetChallenge(ctx: IsdRContext): Uint8Array {
  const challenge = ctx.rng(16);
  ctx.session = { challenge };
  return encodeTlv(Es10Tag.GetEuiccChallenge, encodeTlv(0x80, challenge));
}

export function handleAuthenticateServer(ctx: IsdRContext, request: Uint8Array): Uint8Array {
  const f = requestFields(request, Es10Tag.AuthenticateServer);
  const seqs = f.filter((t) => t.tag === Tag.Sequence);
  const serverSigned1 = seqs[0];
  const serverCert = seqs[1];
  const sig = find(f, Tag.Signature);
  const ciPkId = find(f, Tag.OctetString);
  const ctxParams1 = find(f, 0xa0);
  if (!serverSigned1 || !serverCert || !sig || !ciPkId || !ctxParams1)
    throw new StatusWordError(SW.WRONG_DATA, 'AuthenticateServerRequest field missing');
  const s1 = strict(() => {
    const c = children(serverSigned1);
    return {
      txId: required(c, 0x80).value,
      euiccChallenge: required(c, 0x81).value,
      serverAddress: utf8.decode(required(c, 0x83).value),
      serverChallenge: required(c, 0x84).value,
    };
  });
  const matchingId = strict(() => find(children(ctxParams1), 0x80));
  const fail = (code: number): Uint8Array =>
    encodeTlv(
      Es10Tag.AuthenticateServer,
      encodeTlv(0xa1, encodeTlv(0x80, s1.txId), intTlv(Tag.Integer, code)),
    );
  const session = ctx.session;
  if (!session) return fail(AuthenticateError.noSessionContext);
  // A new AuthenticateServer restarts the session's later steps.
  session.auth = undefined;
  session.prepared = undefined;
  session.bpp = undefined;

  const ci = ctx.id.cis.find((c, i) => bytesEqual(ctx.id.ciKeyIds[i]!, ciPkId.value));
  if (!ci) return fail(AuthenticateError.ciPKUnknown);
  let cert: Certificate;
  try {
    cert = parseCertificate(serverCert.raw);
  } catch (e) {
    if (e instanceof CertificateError && e.reason === 'unsupportedCurve')
      return fail(AuthenticateError.unsupportedCurve);
    return fail(AuthenticateError.invalidCertificate);
  }
  // DPauth for a download, DSauth when the server is an SM-DS (ES11).
  let chain = verifyChain({ leaf: cert, trusted: [ci], role: 'dpAuth', now: ctx.now() });
  let smds = false;
  if (!chain.ok && chain.reason === 'wrongPolicy') {
    chain = verifyChain({ leaf: cert, trusted: [ci], role: 'dsAuth', now: ctx.now() });
    smds = true;
  }
  if (!chain.ok) return fail(AuthenticateError.invalidCertificate);
  const smdpOid = cert.sanRegisteredIds[0];
  if (smdpOid === undefined) return fail(AuthenticateError.invalidOid);
  if (
    sig.value.length !== 64 ||
    !verifyTr03111(cert.curve, cert.publicKey, serverSigned1.raw, sig.value)
  )
    return fail(AuthenticateError.invalidSignature);
  if (!bytesEqual(s1.euiccChallenge, session.challenge))
    return fail(AuthenticateError.euiccChallengeMismatch);
  if (matchingId === undefined && !smds && ctx.state.config.checkServerAddress) {
    // A download without a matchingId is the default SM-DP+ case (docs/protocol.md §5.1 step 0): the
    // server must be the SM-DP+ whose address the card holds. SM-DS event retrieval (DSauth)
    // never carries a matchingId and may target any SM-DS, so it is not restricted here.
    // A present but EMPTY matchingId (`80 00`) comes from an activation code whose token is
    // empty (SGP.22 §4.1) and is not the default SM-DP+ case (SGP.22 §5.7.13): any server.
    // The LPA sends it so (src/lpa/download.ts).
    const addr = s1.serverAddress.toLowerCase();
    if (ctx.state.defaultDpAddress?.toLowerCase() !== addr)
      return fail(AuthenticateError.undefinedError);
  }

  const euiccSigned1 = encodeTlv(
    Tag.Sequence,
    encodeTlv(0x80, s1.txId),
    encodeTlv(0x83, utf8.encode(s1.serverAddress)),
    encodeTlv(0x84, s1.serverChallenge),
    handleEuiccInfo2(ctx),
    ctxParams1.raw,
  );
  const euiccSignature1 = encodeTlv(Tag.Signature, signTr03111(ctx.id.key, euiccSigned1));
  session.auth = {
    txId: s1.txId.slice(),
    serverAddress: s1.serverAddress,
    serverChallenge: s1.serverChallenge.slice(),
    ci,
    smdpOid,
    euiccSignature1,
  };
  return encodeTlv(
    Es10Tag.AuthenticateServer,
    encodeTlv(0xa0, euiccSigned1, euiccSignature1, ctx.id.euiccCert, ctx.id.eumCert),
  );
}

export function handlePrepareDownload(ctx: IsdRContext, request: Uint8Array): Uint8Array {
  const f = requestFields(request, Es10Tag.PrepareDownload);
  const seqs = f.filter((t) => t.tag === Tag.Sequence);
  const smdpSigned2 = seqs[0];
  const smdpCert = seqs[1];
  const sig = find(f, Tag.Signature);
  const hashCc = find(f, Tag.OctetString);
  if (!smdpSigned2 || !smdpCert || !sig)
    throw new StatusWordError(SW.WRONG_DATA, 'PrepareDownloadRequest field missing');
  const s2 = strict(() => {
    const c = children(smdpSigned2);
    const flag = required(c, Tag.Boolean).value;
    if (flag.length !== 1) throw new TypeError('BOOLEAN of one byte');
    return {
      txId: required(c, 0x80).value,
      ccRequired: flag[0] !== 0,
      bppEuiccOtpk: find(c, Tag.EuiccOtpk)?.value,
    };
  });
  const fail = (code: number): Uint8Array =>
    encodeTlv(
      Es10Tag.PrepareDownload,
      encodeTlv(0xa1, encodeTlv(0x80, s2.txId), intTlv(Tag.Integer, code)),
    );
  const auth = ctx.session?.auth;
  if (!ctx.session || !auth) return fail(DownloadError.noSessionContext);
  let cert: Certificate;
  try {
    cert = parseCertificate(smdpCert.raw);
  } catch (e) {
    if (e instanceof CertificateError && e.reason === 'unsupportedCurve')
      return fail(DownloadError.unsupportedCurve);
    return fail(DownloadError.invalidCertificate);
  }
  const chain = verifyChain({ leaf: cert, trusted: [auth.ci], role: 'dpPb', now: ctx.now() });
  if (!chain.ok) return fail(DownloadError.invalidCertificate);
  // DPpb must belong to the SM-DP+ that authenticated (same OID as its DPauth).
  if (!cert.sanRegisteredIds.includes(auth.smdpOid)) return fail(DownloadError.invalidCertificate);
  if (
    sig.value.length !== 64 ||
    !verifyTr03111(
      cert.curve,
      cert.publicKey,
      concat(smdpSigned2.raw, auth.euiccSignature1),
      sig.value,
    )
  )
    return fail(DownloadError.invalidSignature);
  if (!bytesEqual(s2.txId, auth.txId)) return fail(DownloadError.invalidTransactionId);
  // The confirmation code hash is present exactly when the SM-DP+ asked for one.
  if (s2.ccRequired !== (hashCc !== undefined)) return fail(DownloadError.undefinedError);

  const previous = ctx.session.prepared?.otKey;
  const otKey =
    previous &&
    s2.bppEuiccOtpk &&
    bytesEqual(previous.publicKey, s2.bppEuiccOtpk) &&
    previous.curve === cert.curve
      ? previous
      : generateKeyPair(cert.curve, ctx.rng);
  const signedParts = [encodeTlv(0x80, auth.txId), encodeTlv(Tag.EuiccOtpk, otKey.publicKey)];
  if (hashCc) signedParts.push(hashCc.raw);
  const euiccSigned2 = encodeTlv(Tag.Sequence, ...signedParts);
  const euiccSignature2 = signTr03111(ctx.id.key, concat(euiccSigned2, sig.raw));
  ctx.session.prepared = { dpPb: cert, dpPbDer: smdpCert.raw.slice(), otKey };
  ctx.session.bpp = undefined;
  return encodeTlv(
    Es10Tag.PrepareDownload,
    encodeTlv(0xa0, euiccSigned2, encodeTlv(Tag.Signature, euiccSignature2)),
  );
}

export function handleCancelSession(ctx: IsdRContext, request: Uint8Array): Uint8Array {
  const f = requestFields(request, Es10Tag.CancelSession);
  const { txId, reason } = strict(() => ({
    txId: required(f, 0x80).value,
    reason: decodeUnsigned(required(f, 0x81).value),
  }));
  const error = (code: number): Uint8Array => encodeTlv(Es10Tag.CancelSession, intTlv(0x81, code));
  const auth = ctx.session?.auth;
  if (!auth || !bytesEqual(auth.txId, txId)) return error(5);
  if (![0, 1, 2, 3, 4, 5, 127].includes(reason)) return error(UNDEFINED_ERROR);
  const signed = encodeTlv(
    Tag.Sequence,
    encodeTlv(0x80, auth.txId),
    encodeTlv(0x81, encodeOid(auth.smdpOid)),
    intTlv(0x82, reason),
  );
  const signature = signTr03111(ctx.id.key, signed);
  ctx.session = undefined;
  return encodeTlv(
    Es10Tag.CancelSession,
    encodeTlv(0xa0, signed, encodeTlv(Tag.Signature, signature)),
  );
}

export function handleLoadBpp(ctx: IsdRContext, request: Uint8Array, first: boolean): Es10Result {
  const session = ctx.session;
  const auth = session?.auth;
  const prepared = session?.prepared;
  if (!session || !auth || !prepared)
    throw new StatusWordError(SW.CONDITIONS_NOT_SATISFIED, 'no prepared download');
  if (first) {
    session.bpp = new BppLoader({
      txId: auth.txId,
      dpPb: prepared.dpPb,
      otKey: prepared.otKey,
      eidBytes: ctx.id.eidBytes,
      // No ISD-P AID left to allocate (state.ts, MAX_ISDP_INDEX): no room for a profile.
      freeNvm:
        ctx.state.nextIsdp > MAX_ISDP_INDEX
          ? 0
          : Math.max(0, freeNvm(ctx) - ctx.state.config.profileOverheadBytes),
      existingIccids: new Set(ctx.state.profiles.map((p) => p.iccid)),
      rat: ctx.state.config.rat,
    });
  }
  const loader = session.bpp;
  if (!loader || loader.done)
    throw new StatusWordError(SW.CONDITIONS_NOT_SATISFIED, 'no BPP being loaded');
  const outcome = loader.feed(request);
  if (outcome.kind === 'continue') return { data: new Uint8Array(0), sw: SW.OK };
  return { data: finishInstall(ctx, outcome), sw: SW.OK };
}

/** Builds the signed ProfileInstallationResult, commits the profile (on success) and the notification. */
export function finishInstall(
  ctx: IsdRContext,
  outcome: Exclude<BppOutcome, { kind: 'continue' }>,
): Uint8Array {
  const auth = ctx.session!.auth!;
  const seq = ctx.state.nextSeqNumber;
  const iccid = outcome.kind === 'installed' ? outcome.result.metadata.iccid : outcome.iccid;
  const metadata = encodeNotificationMetadata({
    seqNumber: seq,
    profileManagementOperation: 'install',
    notificationAddress: auth.serverAddress,
    ...(iccid !== undefined ? { iccid } : {}),
  });
  // Allocated only for an installed profile (a failed one may come with no AID left).
  const aid = outcome.kind === 'installed' ? isdpAid(ctx.state.nextIsdp) : '';
  // EUICCResponse with one PEStatus "ok" (SAIP): the minimal simaResponse (docs/protocol.md §5.3).
  const simaResponse = fromHex('3007A0053003800100');
  const finalResult =
    outcome.kind === 'installed'
      ? encodeTlv(0xa0, encodeTlv(Tag.Aid, fromHex(aid)), encodeTlv(Tag.OctetString, simaResponse))
      : encodeTlv(0xa1, intTlv(0x80, outcome.bppCommandId), intTlv(0x81, outcome.errorReason));
  const data = encodeTlv(
    Es10Tag.ProfileInstallationResultData,
    encodeTlv(0x80, auth.txId),
    metadata,
    encodeTlv(Tag.Oid, encodeOid(auth.smdpOid)),
    encodeTlv(0xa2, finalResult),
  );
  const pir = encodeTlv(
    Es10Tag.ProfileInstallationResult,
    data,
    encodeTlv(Tag.Signature, signTr03111(ctx.id.key, data)),
  );
  const record: NotificationRecord = {
    seqNumber: seq,
    event: 0,
    address: auth.serverAddress,
    pending: toHex(pir),
  };
  if (iccid !== undefined) record.iccid = iccid;
  let profile: ProfileRecord | undefined;
  if (outcome.kind === 'installed') {
    const m = outcome.result.metadata;
    profile = {
      iccid: m.iccid,
      isdpAid: aid,
      state: 'disabled',
      serviceProviderName: m.serviceProviderName,
      profileName: m.profileName,
      profileClass: m.profileClass,
      notificationConfig: m.notificationConfig,
      ppr: m.ppr,
      size: outcome.result.packageSize + ctx.state.config.profileOverheadBytes,
    };
    if (m.iconType !== undefined) profile.iconType = m.iconType;
    if (m.icon) profile.icon = toHex(m.icon);
    if (m.profileOwner) profile.profileOwner = toHex(m.profileOwner);
    if (m.dpProprietaryData) profile.dpProprietaryData = toHex(m.dpProprietaryData);
    if (outcome.result.profileType !== undefined) profile.profileType = outcome.result.profileType;
  }
  // Commit.
  ctx.state.notifications = [...ctx.state.notifications, record];
  ctx.state.nextSeqNumber = seq + 1;
  if (profile) {
    ctx.state.profiles = [...ctx.state.profiles, profile];
    ctx.state.nextIsdp += 1;
  }
  ctx.session = undefined;
  return pir;
}

// ---- ES10b: notifications ------------------------------------------------------------

export function handleListNotification(ctx: IsdRContext, request: Uint8Array): Uint8Array {
  const f = requestFields(request, Es10Tag.ListNotification);
  const filter = find(f, 0x81);
  const events = filter ? strict(() => decodeBitString(filter.value)) : undefined;
  const list = ctx.state.notifications
    .filter((n) => !events || events.includes(n.event))
    .map((n) => metadataOf(n));
  return encodeTlv(Es10Tag.ListNotification, encodeTlv(0xa0, ...list));
}

export function handleRetrieveNotifications(ctx: IsdRContext, request: Uint8Array): Uint8Array {
  const f = requestFields(request, Es10Tag.RetrieveNotificationsList);
  const criteria = find(f, 0xa0);
  let list = ctx.state.notifications;
  if (criteria) {
    const c = strict(() => children(criteria));
    const seq = find(c, 0x80);
    const pmo = find(c, 0x81);
    if (seq) {
      const n = strict(() => decodeUnsigned(seq.value));
      list = list.filter((x) => x.seqNumber === n);
      // noResultAvailable (1): the v2.2 module's answer for an unknown sequence number.
      if (list.length === 0) return encodeTlv(Es10Tag.RetrieveNotificationsList, intTlv(0x81, 1));
    } else if (pmo) {
      const events = strict(() => decodeBitString(pmo.value));
      list = list.filter((x) => events.includes(x.event));
    } else {
      throw new StatusWordError(SW.WRONG_DATA, 'empty search criteria');
    }
  }
  return encodeTlv(
    Es10Tag.RetrieveNotificationsList,
    encodeTlv(0xa0, ...list.map((n) => fromHex(n.pending))),
  );
}

export function handleRemoveNotification(ctx: IsdRContext, request: Uint8Array): Uint8Array {
  const f = requestFields(request, Es10Tag.RemoveNotificationFromList);
  const seq = strict(() => decodeUnsigned(required(f, 0x80).value));
  const remaining = ctx.state.notifications.filter((n) => n.seqNumber !== seq);
  const found = remaining.length !== ctx.state.notifications.length;
  ctx.state.notifications = remaining;
  return encodeResultResponse(Es10Tag.RemoveNotificationFromList, found ? 0 : 1);
}

/** LoadCRL: optional in v2 and not offered (rspCapability bit 1 clear). */
export function handleLoadCrl(): Uint8Array {
  return encodeTlv(Es10Tag.LoadCrl, intTlv(0x81, UNDEFINED_ERROR));
}
