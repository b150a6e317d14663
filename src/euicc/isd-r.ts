/**
 * The ISD-R application of the software eUICC: every ES10a/b/c function of docs/protocol.md §3 on top
 * of the persistent `EuiccState` and one volatile RSP session.
 *
 * State changes follow one rule: compute everything (signatures, notifications, new records)
 * first, then commit with plain assignments, so a failure never leaves half an operation.
 */
import {
  bytesEqual,
  children,
  concat,
  decodeBitString,
  decodeIccid,
  decodeOne,
  decodeUnsigned,
  encodeBitString,
  encodeIccid,
  encodeTlv,
  find,
  fromHex,
  required,
  toHex,
  utf8,
} from '../codec/index.ts';
import type { Tlv } from '../codec/index.ts';
import { Es10Tag, ProfileInfoTag, Tag } from '../es10/tags.ts';
import {
  CertificateError,
  generateKeyPair,
  keyPairFromPrivate,
  parseCertificate,
  signTr03111,
  verifyChain,
  verifyTr03111,
} from '../rsp/index.ts';
import type { Certificate, EcKeyPair, Rng } from '../rsp/index.ts';
import { encodeOid } from '../rsp/oid.ts';
import { BppLoader } from './bpp-loader.ts';
import type { BppOutcome } from './bpp-loader.ts';
import { intTlv, requestFields, strict, text, utf8Tlv, version } from './der.ts';
import { EuiccStateError, StatusWordError } from './errors.ts';
import type { ParsedIdentity } from './identity.ts';
import { SW } from './iso7816.ts';
import {
  encodeNotificationMetadata,
  encodeOtherSignedNotification,
  metadataOf,
} from './notifications.ts';
import { requestTag } from './personality.ts';
import type { EuiccPersonality } from './personality.ts';
import { MAX_ISDP_INDEX } from './state.ts';
import type { EuiccState, NotificationRecord, PendingSessionJson, ProfileRecord } from './state.ts';

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

const UNDEFINED_ERROR = 127;

/** The volatile RSP session (docs/protocol.md §5.1): lost on GetEUICCChallenge, reset or power loss. */
interface RspSession {
  challenge: Uint8Array;
  auth?:
    | {
        txId: Uint8Array;
        serverAddress: string;
        serverChallenge: Uint8Array;
        ci: Certificate;
        smdpOid: string;
        euiccSignature1: Uint8Array;
      }
    | undefined;
  prepared?: { dpPb: Certificate; dpPbDer: Uint8Array; otKey: EcKeyPair } | undefined;
  bpp?: BppLoader | undefined;
}

export interface Es10Result {
  data: Uint8Array;
  /** Status word to finish with (9000, or 91xx when a proactive REFRESH is pending). */
  sw: number;
}

/** ISD-P AIDs: A0000005591010FFFFFFFF89 00 00 1n 00 (docs/protocol.md §1). */
function isdpAid(index: number): string {
  return `A0000005591010FFFFFFFF890000${(0x10 + index).toString(16).toUpperCase().padStart(2, '0')}00`;
}

/** The Tags GetProfilesInfo returns without a tag list (real cards include the icon). */
const DEFAULT_PROFILE_TAGS = [
  ProfileInfoTag.iccid,
  ProfileInfoTag.isdpAid,
  ProfileInfoTag.profileState,
  ProfileInfoTag.profileNickname,
  ProfileInfoTag.serviceProviderName,
  ProfileInfoTag.profileName,
  ProfileInfoTag.iconType,
  ProfileInfoTag.icon,
  ProfileInfoTag.profileClass,
  ProfileInfoTag.notificationConfigurationInfo,
  ProfileInfoTag.profileOwner,
  ProfileInfoTag.dpProprietaryData,
  ProfileInfoTag.profilePolicyRules,
];

export class IsdR {
  private session: RspSession | undefined;
  /** Set when the last Enable/Disable asked for a REFRESH (tests observe it). */
  lastRefreshRequested = false;
  /** The card family whose answers this ISD-R imitates (src/euicc/personality.ts). */
  personality: EuiccPersonality | undefined;

  constructor(
    readonly state: EuiccState,
    private readonly id: ParsedIdentity,
    private readonly rng: Rng,
    private readonly now: () => Date,
  ) {}

  /**
   * Card reset or power loss: the RSP session is volatile and is lost. A Bound Profile Package
   * that was being loaded is discarded, and the eUICC records a signed ProfileInstallationResult
   * with ErrorReason interruption (11) as a pending notification, so the SM-DP+ still learns
   * that the installation failed and can close its session when the LPA delivers it.
   */
  resetSession(): void {
    const outcome = this.session?.bpp?.interrupt();
    if (outcome) this.finishInstall(outcome);
    this.session = undefined;
  }

  /**
   * The session after PrepareDownload, for the persistent state (state.ts): undefined before
   * PrepareDownload and once the session ended. A package being loaded is not part of it.
   */
  exportSession(): PendingSessionJson | undefined {
    const auth = this.session?.auth;
    const prepared = this.session?.prepared;
    if (!auth || !prepared) return undefined;
    const ciIndex = this.id.cis.indexOf(auth.ci);
    return {
      transactionId: toHex(auth.txId),
      serverAddress: auth.serverAddress,
      serverChallenge: toHex(auth.serverChallenge),
      smdpOid: auth.smdpOid,
      ciPkId: toHex(this.id.ciKeyIds[ciIndex]!),
      euiccSignature1: toHex(auth.euiccSignature1),
      dpPb: toHex(prepared.dpPbDer),
      otKey: { curve: prepared.otKey.curve, privateKey: toHex(prepared.otKey.privateKey) },
    };
  }

  /**
   * Restores a session from `exportSession()` output (already shape-checked by validateState).
   * Throws EuiccStateError when it does not fit this card.
   */
  restoreSession(json: PendingSessionJson): void {
    const ciPkId = fromHex(json.ciPkId);
    const ciIndex = this.id.ciKeyIds.findIndex((k) => bytesEqual(k, ciPkId));
    if (ciIndex < 0) throw new EuiccStateError('session.ciPkId', 'not one of the trusted CIs');
    let dpPb: Certificate;
    try {
      dpPb = parseCertificate(fromHex(json.dpPb));
    } catch (e) {
      throw new EuiccStateError(
        'session.dpPb',
        `not a usable certificate: ${(e as Error).message}`,
      );
    }
    if (!dpPb.sanRegisteredIds.includes(json.smdpOid))
      throw new EuiccStateError('session.dpPb', 'not issued to session.smdpOid');
    let otKey: EcKeyPair;
    try {
      otKey = keyPairFromPrivate(json.otKey.curve, fromHex(json.otKey.privateKey));
    } catch (e) {
      throw new EuiccStateError('session.otKey.privateKey', (e as Error).message);
    }
    if (otKey.curve !== dpPb.curve)
      throw new EuiccStateError('session.otKey.curve', 'not the curve of session.dpPb');
    this.session = {
      // The challenge was used up by AuthenticateServer; a new one starts a new session.
      challenge: new Uint8Array(0),
      auth: {
        txId: fromHex(json.transactionId),
        serverAddress: json.serverAddress,
        serverChallenge: fromHex(json.serverChallenge),
        ci: this.id.cis[ciIndex]!,
        smdpOid: json.smdpOid,
        euiccSignature1: fromHex(json.euiccSignature1),
      },
      prepared: { dpPb, dpPbDer: fromHex(json.dpPb), otKey },
    };
  }

  /** True while a Bound Profile Package is being loaded (for tests and fault checks). */
  get loading(): boolean {
    return this.session?.bpp !== undefined && !this.session.bpp.done;
  }

  /** One complete ES10 request (the STORE DATA payload). */
  handle(request: Uint8Array): Es10Result {
    const missing = this.personality?.missingFunctions?.find((m) => m.tag === requestTag(request));
    if (missing) throw new StatusWordError(missing.sw, 'function not offered by this card');
    const first = request[0];
    const bppTags = [0xa0, 0xa1, 0xa2, 0xa3, 0x86, 0x88];
    if (request.length >= 2 && first === 0xbf && request[1] === 0x36)
      return this.loadBpp(request, true);
    if (this.loading && first !== undefined && bppTags.includes(first))
      return this.loadBpp(request, false);
    // Any other command interrupts a BPP being loaded: the partial profile is discarded and the
    // session can only be cancelled.
    if (this.session?.bpp && !this.session.bpp.done) {
      this.session.bpp = undefined;
      this.session.prepared = undefined;
    }
    const tlv = strict(() => decodeOne(request));
    const ok = (data: Uint8Array): Es10Result => ({ data, sw: SW.OK });
    switch (tlv.tag) {
      case Es10Tag.GetEuiccConfiguredAddresses:
        return ok(this.getConfiguredAddresses());
      case Es10Tag.SetDefaultDpAddress:
        return ok(this.setDefaultDpAddress(request));
      case Es10Tag.GetEuiccInfo1:
        return ok(this.euiccInfo1());
      case Es10Tag.GetEuiccInfo2:
        return ok(this.euiccInfo2());
      case Es10Tag.GetEid:
        return ok(this.getEid(request));
      case Es10Tag.GetEuiccChallenge:
        return ok(this.getChallenge());
      case Es10Tag.AuthenticateServer:
        return ok(this.authenticateServer(request));
      case Es10Tag.PrepareDownload:
        return ok(this.prepareDownload(request));
      case Es10Tag.CancelSession:
        return ok(this.cancelSession(request));
      case Es10Tag.ListNotification:
        return ok(this.listNotification(request));
      case Es10Tag.RetrieveNotificationsList:
        return ok(this.retrieveNotifications(request));
      case Es10Tag.RemoveNotificationFromList:
        return ok(this.removeNotification(request));
      case Es10Tag.GetProfilesInfo:
        return ok(this.getProfilesInfo(request));
      case Es10Tag.EnableProfile:
        return this.enableProfile(request);
      case Es10Tag.DisableProfile:
        return this.disableProfile(request);
      case Es10Tag.DeleteProfile:
        return ok(this.deleteProfile(request));
      case Es10Tag.SetNickname:
        return ok(this.setNickname(request));
      case Es10Tag.EuiccMemoryReset:
        return ok(this.memoryReset(request));
      case Es10Tag.GetRat:
        return ok(this.getRat());
      case Es10Tag.LoadCrl:
        // CRL loading is optional in v2 and not offered (rspCapability bit 1 clear).
        return ok(encodeTlv(Es10Tag.LoadCrl, intTlv(0x81, UNDEFINED_ERROR)));
      default:
        throw new StatusWordError(SW.REFERENCED_DATA_NOT_FOUND, 'unknown ES10 function');
    }
  }

  // ---- ES10a ---------------------------------------------------------------------------

  private getConfiguredAddresses(): Uint8Array {
    const parts: Uint8Array[] = [];
    if (this.state.defaultDpAddress !== undefined)
      parts.push(utf8Tlv(0x80, this.state.defaultDpAddress));
    parts.push(utf8Tlv(0x81, this.state.rootDsAddress));
    return encodeTlv(Es10Tag.GetEuiccConfiguredAddresses, ...parts);
  }

  private setDefaultDpAddress(request: Uint8Array): Uint8Array {
    const f = requestFields(request, Es10Tag.SetDefaultDpAddress);
    const address = text(strict(() => required(f, 0x80)).value);
    const reply = (code: number): Uint8Array =>
      encodeTlv(Es10Tag.SetDefaultDpAddress, intTlv(0x80, code));
    // An FQDN: printable, no spaces, at most 255 characters. Empty clears the address.
    let unprintable = false;
    for (let i = 0; i < address.length; i++) {
      const c = address.charCodeAt(i);
      if (c <= 0x20 || c === 0x7f || c === 0x24 /* $ ends an activation code field */)
        unprintable = true;
    }
    if (address.length > 255 || unprintable) return reply(UNDEFINED_ERROR);
    if (address === '') delete this.state.defaultDpAddress;
    else this.state.defaultDpAddress = address;
    return reply(0);
  }

  // ---- ES10b/c: information ------------------------------------------------------------

  private ciLists(): Uint8Array[] {
    const list = this.id.ciKeyIds.map((k) => encodeTlv(Tag.OctetString, k));
    return [encodeTlv(0xa9, ...list), encodeTlv(0xaa, ...list)];
  }

  euiccInfo1(): Uint8Array {
    return encodeTlv(
      Es10Tag.GetEuiccInfo1,
      encodeTlv(0x82, version(this.state.config.svn)),
      ...this.ciLists(),
    );
  }

  /** Bytes of NVM still free for profiles. */
  freeNvm(): number {
    const used = this.state.profiles.reduce((s, p) => s + p.size, 0);
    return Math.max(0, this.state.config.nvmBytes - used);
  }

  euiccInfo2(): Uint8Array {
    const c = this.state.config;
    const uint = (n: number, len: number): Uint8Array => {
      const out = new Uint8Array(len);
      for (let i = len - 1, v = n; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
      return out;
    };
    // extCardResource (ETSI TS 102 226 §8.2.1.7.2): 81 installed applications, 82 free NVM,
    // 83 free volatile memory.
    const ext = concat(
      encodeTlv(0x81, Uint8Array.of(this.state.profiles.length & 0xff)),
      encodeTlv(0x82, uint(this.freeNvm(), 4)),
      encodeTlv(0x83, uint(c.freeRamBytes, 2)),
    );
    // UICCCapability bits: contactlessSupport 0 off; usim 1, isim 2, csim 3, akaMilenage 4,
    // akaCave 5, akaTuak128 6, akaTuak256 7, rfu 8-9, gbaAuthenUsim 10, gbaAuthenISim 11,
    // mbmsAuthenUsim 12, eapClient 13, javacard 14, multos 15, multipleUsimSupport 16,
    // multipleIsimSupport 17, multipleCsimSupport 18.
    const uiccCapability = encodeBitString([1, 2, 3, 4, 6, 7, 10, 11, 12, 13, 14, 16, 17]);
    // RspCapability: additionalProfile 0, testProfileSupport 3, deviceInfoExtensibility 4.
    const rspCapability = encodeBitString([0, 3, 4]);
    const [a9, aa] = this.ciLists();
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

  private getEid(request: Uint8Array): Uint8Array {
    const f = requestFields(request, Es10Tag.GetEid);
    const tagList = find(f, Tag.TagList);
    if (tagList && !parseTagList(tagList.value).includes(Tag.Eid)) return encodeTlv(Es10Tag.GetEid);
    return encodeTlv(Es10Tag.GetEid, encodeTlv(Tag.Eid, this.id.eidBytes));
  }

  private getRat(): Uint8Array {
    const rules = this.state.config.rat.map((r) => {
      const ops = r.operators.map((op) => {
        const f = [encodeTlv(0x80, fromHex(op.mccMnc))];
        if (op.gid1 !== undefined) f.push(encodeTlv(0x81, fromHex(op.gid1)));
        if (op.gid2 !== undefined) f.push(encodeTlv(0x82, fromHex(op.gid2)));
        return encodeTlv(Tag.Sequence, ...f);
      });
      return encodeTlv(
        Tag.Sequence,
        encodeTlv(0x80, encodeBitString(r.pprIds)),
        encodeTlv(0xa1, ...ops),
        encodeTlv(0x82, encodeBitString(r.consentRequired ? [0] : [])),
      );
    });
    return encodeTlv(Es10Tag.GetRat, encodeTlv(0xa0, ...rules));
  }

  // ---- ES10b: RSP session --------------------------------------------------------------

  private getChallenge(): Uint8Array {
    const challenge = this.rng(16);
    this.session = { challenge };
    return encodeTlv(Es10Tag.GetEuiccChallenge, encodeTlv(0x80, challenge));
  }

  private authenticateServer(request: Uint8Array): Uint8Array {
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
    const session = this.session;
    if (!session) return fail(AuthenticateError.noSessionContext);
    // A new AuthenticateServer restarts the session's later steps.
    session.auth = undefined;
    session.prepared = undefined;
    session.bpp = undefined;

    const ci = this.id.cis.find((c, i) => bytesEqual(this.id.ciKeyIds[i]!, ciPkId.value));
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
    let chain = verifyChain({ leaf: cert, trusted: [ci], role: 'dpAuth', now: this.now() });
    let smds = false;
    if (!chain.ok && chain.reason === 'wrongPolicy') {
      chain = verifyChain({ leaf: cert, trusted: [ci], role: 'dsAuth', now: this.now() });
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
    if (matchingId === undefined && !smds && this.state.config.checkServerAddress) {
      // A download without a matchingId is the default SM-DP+ case (docs/protocol.md §5.1 step 0): the
      // server must be the SM-DP+ whose address the card holds. SM-DS event retrieval (DSauth)
      // never carries a matchingId and may target any SM-DS, so it is not restricted here.
      // A present but EMPTY matchingId (`80 00`) comes from an activation code whose token is
      // empty (SGP.22 §4.1) and is not the default SM-DP+ case (SGP.22 §5.7.13): any server.
      // The LPA sends it so (src/lpa/download.ts).
      const addr = s1.serverAddress.toLowerCase();
      if (this.state.defaultDpAddress?.toLowerCase() !== addr)
        return fail(AuthenticateError.undefinedError);
    }

    const euiccSigned1 = encodeTlv(
      Tag.Sequence,
      encodeTlv(0x80, s1.txId),
      encodeTlv(0x83, utf8.encode(s1.serverAddress)),
      encodeTlv(0x84, s1.serverChallenge),
      this.euiccInfo2(),
      ctxParams1.raw,
    );
    const euiccSignature1 = encodeTlv(Tag.Signature, signTr03111(this.id.key, euiccSigned1));
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
      encodeTlv(0xa0, euiccSigned1, euiccSignature1, this.id.euiccCert, this.id.eumCert),
    );
  }

  private prepareDownload(request: Uint8Array): Uint8Array {
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
    const auth = this.session?.auth;
    if (!this.session || !auth) return fail(DownloadError.noSessionContext);
    let cert: Certificate;
    try {
      cert = parseCertificate(smdpCert.raw);
    } catch (e) {
      if (e instanceof CertificateError && e.reason === 'unsupportedCurve')
        return fail(DownloadError.unsupportedCurve);
      return fail(DownloadError.invalidCertificate);
    }
    const chain = verifyChain({ leaf: cert, trusted: [auth.ci], role: 'dpPb', now: this.now() });
    if (!chain.ok) return fail(DownloadError.invalidCertificate);
    // DPpb must belong to the SM-DP+ that authenticated (same OID as its DPauth).
    if (!cert.sanRegisteredIds.includes(auth.smdpOid))
      return fail(DownloadError.invalidCertificate);
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

    const previous = this.session.prepared?.otKey;
    const otKey =
      previous &&
      s2.bppEuiccOtpk &&
      bytesEqual(previous.publicKey, s2.bppEuiccOtpk) &&
      previous.curve === cert.curve
        ? previous
        : generateKeyPair(cert.curve, this.rng);
    const signedParts = [encodeTlv(0x80, auth.txId), encodeTlv(Tag.EuiccOtpk, otKey.publicKey)];
    if (hashCc) signedParts.push(hashCc.raw);
    const euiccSigned2 = encodeTlv(Tag.Sequence, ...signedParts);
    const euiccSignature2 = signTr03111(this.id.key, concat(euiccSigned2, sig.raw));
    this.session.prepared = { dpPb: cert, dpPbDer: smdpCert.raw.slice(), otKey };
    this.session.bpp = undefined;
    return encodeTlv(
      Es10Tag.PrepareDownload,
      encodeTlv(0xa0, euiccSigned2, encodeTlv(Tag.Signature, euiccSignature2)),
    );
  }

  private cancelSession(request: Uint8Array): Uint8Array {
    const f = requestFields(request, Es10Tag.CancelSession);
    const { txId, reason } = strict(() => ({
      txId: required(f, 0x80).value,
      reason: decodeUnsigned(required(f, 0x81).value),
    }));
    const error = (code: number): Uint8Array =>
      encodeTlv(Es10Tag.CancelSession, intTlv(0x81, code));
    const auth = this.session?.auth;
    if (!auth || !bytesEqual(auth.txId, txId)) return error(5);
    if (![0, 1, 2, 3, 4, 5, 127].includes(reason)) return error(UNDEFINED_ERROR);
    const signed = encodeTlv(
      Tag.Sequence,
      encodeTlv(0x80, auth.txId),
      encodeTlv(0x81, encodeOid(auth.smdpOid)),
      intTlv(0x82, reason),
    );
    const signature = signTr03111(this.id.key, signed);
    this.session = undefined;
    return encodeTlv(
      Es10Tag.CancelSession,
      encodeTlv(0xa0, signed, encodeTlv(Tag.Signature, signature)),
    );
  }

  private loadBpp(request: Uint8Array, first: boolean): Es10Result {
    const session = this.session;
    const auth = session?.auth;
    const prepared = session?.prepared;
    if (!session || !auth || !prepared)
      throw new StatusWordError(SW.CONDITIONS_NOT_SATISFIED, 'no prepared download');
    if (first) {
      session.bpp = new BppLoader({
        txId: auth.txId,
        dpPb: prepared.dpPb,
        otKey: prepared.otKey,
        eidBytes: this.id.eidBytes,
        // No ISD-P AID left to allocate (state.ts, MAX_ISDP_INDEX): no room for a profile.
        freeNvm:
          this.state.nextIsdp > MAX_ISDP_INDEX
            ? 0
            : Math.max(0, this.freeNvm() - this.state.config.profileOverheadBytes),
        existingIccids: new Set(this.state.profiles.map((p) => p.iccid)),
        rat: this.state.config.rat,
      });
    }
    const loader = session.bpp;
    if (!loader || loader.done)
      throw new StatusWordError(SW.CONDITIONS_NOT_SATISFIED, 'no BPP being loaded');
    const outcome = loader.feed(request);
    if (outcome.kind === 'continue') return { data: new Uint8Array(0), sw: SW.OK };
    return { data: this.finishInstall(outcome), sw: SW.OK };
  }

  /** Builds the signed ProfileInstallationResult, commits the profile (on success) and the notification. */
  private finishInstall(outcome: Exclude<BppOutcome, { kind: 'continue' }>): Uint8Array {
    const auth = this.session!.auth!;
    const seq = this.state.nextSeqNumber;
    const iccid = outcome.kind === 'installed' ? outcome.result.metadata.iccid : outcome.iccid;
    const metadata = encodeNotificationMetadata(seq, 0, auth.serverAddress, iccid);
    // Allocated only for an installed profile (a failed one may come with no AID left).
    const aid = outcome.kind === 'installed' ? isdpAid(this.state.nextIsdp) : '';
    // EUICCResponse with one PEStatus "ok" (SAIP): the minimal simaResponse (docs/protocol.md §5.3).
    const simaResponse = fromHex('3007A0053003800100');
    const finalResult =
      outcome.kind === 'installed'
        ? encodeTlv(
            0xa0,
            encodeTlv(Tag.Aid, fromHex(aid)),
            encodeTlv(Tag.OctetString, simaResponse),
          )
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
      encodeTlv(Tag.Signature, signTr03111(this.id.key, data)),
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
        size: outcome.result.packageSize + this.state.config.profileOverheadBytes,
      };
      if (m.iconType !== undefined) profile.iconType = m.iconType;
      if (m.icon) profile.icon = toHex(m.icon);
      if (m.profileOwner) profile.profileOwner = toHex(m.profileOwner);
      if (m.dpProprietaryData) profile.dpProprietaryData = toHex(m.dpProprietaryData);
      if (outcome.result.profileType !== undefined)
        profile.profileType = outcome.result.profileType;
    }
    // Commit.
    this.state.notifications = [...this.state.notifications, record];
    this.state.nextSeqNumber = seq + 1;
    if (profile) {
      this.state.profiles = [...this.state.profiles, profile];
      this.state.nextIsdp += 1;
    }
    this.session = undefined;
    return pir;
  }

  // ---- ES10b: notifications ------------------------------------------------------------

  private listNotification(request: Uint8Array): Uint8Array {
    const f = requestFields(request, Es10Tag.ListNotification);
    const filter = find(f, 0x81);
    const events = filter ? strict(() => decodeBitString(filter.value)) : undefined;
    const list = this.state.notifications
      .filter((n) => !events || events.includes(n.event))
      .map((n) => metadataOf(n));
    return encodeTlv(Es10Tag.ListNotification, encodeTlv(0xa0, ...list));
  }

  private retrieveNotifications(request: Uint8Array): Uint8Array {
    const f = requestFields(request, Es10Tag.RetrieveNotificationsList);
    const criteria = find(f, 0xa0);
    let list = this.state.notifications;
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

  private removeNotification(request: Uint8Array): Uint8Array {
    const f = requestFields(request, Es10Tag.RemoveNotificationFromList);
    const seq = strict(() => decodeUnsigned(required(f, 0x80).value));
    const remaining = this.state.notifications.filter((n) => n.seqNumber !== seq);
    const found = remaining.length !== this.state.notifications.length;
    this.state.notifications = remaining;
    return encodeTlv(Es10Tag.RemoveNotificationFromList, intTlv(0x80, found ? 0 : 1));
  }

  /** A signed notification for `event` if the profile's configuration lists it (docs/protocol.md §8). */
  private notificationFor(
    profile: ProfileRecord,
    event: number,
    seq: number,
  ): NotificationRecord | undefined {
    const entry = profile.notificationConfig.find((c) => c.events.includes(event));
    if (!entry) return undefined;
    const pending = encodeOtherSignedNotification(
      this.id,
      seq,
      event,
      entry.address,
      profile.iccid,
    );
    return {
      seqNumber: seq,
      event,
      address: entry.address,
      iccid: profile.iccid,
      pending: toHex(pending),
    };
  }

  // ---- ES10c: local profile management -------------------------------------------------

  private findProfile(choice: Pick<Tlv, 'tag' | 'value'>): ProfileRecord | undefined {
    if (choice.tag === Tag.Aid) {
      const aid = toHex(choice.value);
      return this.state.profiles.find((p) => p.isdpAid === aid);
    }
    if (choice.tag === Tag.Iccid) {
      let iccid: string;
      try {
        iccid = decodeIccid(choice.value);
      } catch {
        return undefined;
      }
      return this.state.profiles.find((p) => p.iccid === iccid);
    }
    throw new StatusWordError(SW.WRONG_DATA, 'profile identifier must be 4F or 5A');
  }

  private profileChoice(request: Uint8Array, tag: number): { choice: Tlv; refresh: boolean } {
    const f = requestFields(request, tag);
    return strict(() => {
      const wrapper = required(f, 0xa0);
      const inner = children(wrapper);
      if (inner.length !== 1) throw new TypeError('one profile identifier expected');
      const refresh = find(f, 0x81);
      return { choice: inner[0]!, refresh: refresh ? refresh.value[0] !== 0 : false };
    });
  }

  private enableProfile(request: Uint8Array): Es10Result {
    const { choice, refresh } = this.profileChoice(request, Es10Tag.EnableProfile);
    const reply = (code: number, sw: number = SW.OK): Es10Result => ({
      data: encodeTlv(Es10Tag.EnableProfile, intTlv(0x80, code)),
      sw,
    });
    // Removable cards that cannot ask the terminal for a refresh (lpac issues #13/#14).
    if (refresh && this.personality?.refreshAfterEnable) return reply(UNDEFINED_ERROR);
    const target = this.findProfile(choice);
    if (!target) return reply(1);
    if (target.state === 'enabled') return reply(2);
    const current = this.state.profiles.find((p) => p.state === 'enabled');
    // Enabling B disables A, which PPR1 on A forbids.
    if (current?.ppr.includes(1)) return reply(3);
    let seq = this.state.nextSeqNumber;
    const added: NotificationRecord[] = [];
    if (current) {
      const n = this.notificationFor(current, 2, seq);
      if (n) {
        added.push(n);
        seq++;
      }
    }
    const n = this.notificationFor(target, 1, seq);
    if (n) {
      added.push(n);
      seq++;
    }
    this.state.profiles = this.state.profiles.map((p) =>
      p === target ? { ...p, state: 'enabled' } : p === current ? { ...p, state: 'disabled' } : p,
    );
    this.state.notifications = [...this.state.notifications, ...added];
    this.state.nextSeqNumber = seq;
    this.lastRefreshRequested = refresh;
    return reply(0, refresh && this.state.config.proactiveRefresh ? 0x9110 : SW.OK);
  }

  private disableProfile(request: Uint8Array): Es10Result {
    const { choice, refresh } = this.profileChoice(request, Es10Tag.DisableProfile);
    const reply = (code: number, sw: number = SW.OK): Es10Result => ({
      data: encodeTlv(Es10Tag.DisableProfile, intTlv(0x80, code)),
      sw,
    });
    const target = this.findProfile(choice);
    if (!target) return reply(1);
    if (target.state !== 'enabled') return reply(2);
    if (target.ppr.includes(1)) return reply(3);
    const seq = this.state.nextSeqNumber;
    const n = this.notificationFor(target, 2, seq);
    this.state.profiles = this.state.profiles.map((p) =>
      p === target ? { ...p, state: 'disabled' } : p,
    );
    if (n) {
      this.state.notifications = [...this.state.notifications, n];
      this.state.nextSeqNumber = seq + 1;
    }
    this.lastRefreshRequested = refresh;
    return reply(0, refresh && this.state.config.proactiveRefresh ? 0x9110 : SW.OK);
  }

  private deleteProfile(request: Uint8Array): Uint8Array {
    const f = requestFields(request, Es10Tag.DeleteProfile);
    if (f.length !== 1) throw new StatusWordError(SW.WRONG_DATA, 'one profile identifier expected');
    const reply = (code: number): Uint8Array =>
      encodeTlv(Es10Tag.DeleteProfile, intTlv(0x80, code));
    const target = this.findProfile(f[0]!);
    if (!target) return reply(1);
    if (target.state !== 'disabled') return reply(2);
    if (target.ppr.includes(2)) return reply(3);
    const seq = this.state.nextSeqNumber;
    const n = this.notificationFor(target, 3, seq);
    this.state.profiles = this.state.profiles.filter((p) => p !== target);
    if (n) {
      this.state.notifications = [...this.state.notifications, n];
      this.state.nextSeqNumber = seq + 1;
    }
    return reply(0);
  }

  private setNickname(request: Uint8Array): Uint8Array {
    const f = requestFields(request, Es10Tag.SetNickname);
    const { iccidValue, nickname } = strict(() => ({
      iccidValue: required(f, Tag.Iccid).value,
      nickname: required(f, 0x90).value,
    }));
    const reply = (code: number): Uint8Array => encodeTlv(Es10Tag.SetNickname, intTlv(0x80, code));
    const target = this.findProfile({ tag: Tag.Iccid, value: iccidValue });
    if (!target) return reply(1);
    if (nickname.length > 64) return reply(UNDEFINED_ERROR);
    const name = text(nickname);
    this.state.profiles = this.state.profiles.map((p) => {
      if (p !== target) return p;
      const { nickname: _old, ...rest } = p;
      return name === '' ? rest : { ...rest, nickname: name };
    });
    return reply(0);
  }

  private memoryReset(request: Uint8Array): Uint8Array {
    const f = requestFields(request, Es10Tag.EuiccMemoryReset);
    const options = strict(() => decodeBitString(required(f, 0x82).value));
    // Bits: 0 deleteOperationalProfiles, 1 deleteFieldLoadedTestProfiles,
    // 2 resetDefaultSmdpAddress. Policy rules do not apply to a memory reset.
    const removeClass = (cls: number): boolean =>
      (cls === 2 && options.includes(0)) || (cls === 0 && options.includes(1));
    const kept = this.state.profiles.filter((p) => !removeClass(p.profileClass));
    let changed = kept.length !== this.state.profiles.length;
    const clearAddress = options.includes(2) && this.state.defaultDpAddress !== undefined;
    changed ||= clearAddress;
    this.state.profiles = kept;
    if (clearAddress) delete this.state.defaultDpAddress;
    return encodeTlv(Es10Tag.EuiccMemoryReset, intTlv(0x80, changed ? 0 : 1));
  }

  private getProfilesInfo(request: Uint8Array): Uint8Array {
    const f = requestFields(request, Es10Tag.GetProfilesInfo);
    const error = (): Uint8Array => encodeTlv(Es10Tag.GetProfilesInfo, intTlv(0x81, 1));
    let profiles = this.state.profiles;
    const criteria = find(f, 0xa0);
    if (criteria) {
      let c: Tlv[];
      try {
        c = children(criteria);
      } catch {
        return error();
      }
      const one = c[0];
      if (c.length !== 1 || !one) return error();
      if (one.tag === Tag.Aid) {
        const aid = toHex(one.value);
        profiles = profiles.filter((p) => p.isdpAid === aid);
      } else if (one.tag === Tag.Iccid) {
        const iccid = safeIccid(one.value);
        if (iccid === undefined) return error();
        profiles = profiles.filter((p) => p.iccid === iccid);
      } else if (one.tag === ProfileInfoTag.profileClass) {
        let cls: number;
        try {
          cls = decodeUnsigned(one.value);
        } catch {
          return error();
        }
        profiles = profiles.filter((p) => p.profileClass === cls);
      } else {
        return error();
      }
    }
    const tagListTlv = find(f, Tag.TagList);
    let tags: number[] = DEFAULT_PROFILE_TAGS;
    if (tagListTlv) {
      try {
        tags = parseTagList(tagListTlv.value);
      } catch {
        return error();
      }
    }
    return encodeTlv(
      Es10Tag.GetProfilesInfo,
      encodeTlv(
        0xa0,
        ...profiles.map((p) => encodeTlv(Tag.ProfileInfo, ...profileFields(p, tags))),
      ),
    );
  }
}

function safeIccid(value: Uint8Array): string | undefined {
  try {
    return decodeIccid(value);
  } catch {
    return undefined;
  }
}

/** ProfileInfo fields in ASN.1 order, restricted to `tags`. */
function profileFields(p: ProfileRecord, tags: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const want = (t: number): boolean => tags.includes(t);
  if (want(ProfileInfoTag.iccid))
    out.push(encodeTlv(Tag.Iccid, encodeIccid(p.iccid, { checkLuhn: false })));
  if (want(ProfileInfoTag.isdpAid)) out.push(encodeTlv(Tag.Aid, fromHex(p.isdpAid)));
  if (want(ProfileInfoTag.profileState))
    out.push(intTlv(ProfileInfoTag.profileState, p.state === 'enabled' ? 1 : 0));
  if (want(ProfileInfoTag.profileNickname) && p.nickname !== undefined)
    out.push(utf8Tlv(0x90, p.nickname));
  if (want(ProfileInfoTag.serviceProviderName) && p.serviceProviderName !== undefined)
    out.push(utf8Tlv(0x91, p.serviceProviderName));
  if (want(ProfileInfoTag.profileName) && p.profileName !== undefined)
    out.push(utf8Tlv(0x92, p.profileName));
  if (want(ProfileInfoTag.iconType) && p.iconType !== undefined) out.push(intTlv(0x93, p.iconType));
  if (want(ProfileInfoTag.icon) && p.icon !== undefined) out.push(encodeTlv(0x94, fromHex(p.icon)));
  if (want(ProfileInfoTag.profileClass)) out.push(intTlv(0x95, p.profileClass));
  if (want(ProfileInfoTag.notificationConfigurationInfo) && p.notificationConfig.length > 0)
    out.push(
      encodeTlv(
        0xb6,
        ...p.notificationConfig.map((c) =>
          encodeTlv(
            Tag.Sequence,
            encodeTlv(0x80, encodeBitString(c.events)),
            utf8Tlv(0x81, c.address),
          ),
        ),
      ),
    );
  if (want(ProfileInfoTag.profileOwner) && p.profileOwner !== undefined)
    out.push(fromHex(p.profileOwner));
  if (want(ProfileInfoTag.dpProprietaryData) && p.dpProprietaryData !== undefined)
    out.push(fromHex(p.dpProprietaryData));
  if (want(ProfileInfoTag.profilePolicyRules) && p.ppr.length > 0)
    out.push(encodeTlv(0x99, encodeBitString(p.ppr)));
  return out;
}

/** A `5C` tag list: the concatenated encodings of the wanted tags (docs/protocol.md §3.1). */
export function parseTagList(value: Uint8Array): number[] {
  const tags: number[] = [];
  let i = 0;
  while (i < value.length) {
    const first = value[i++]!;
    let tag = first;
    if ((first & 0x1f) === 0x1f) {
      for (let n = 0; ; n++) {
        if (i >= value.length || n > 2) throw new TypeError('truncated tag in tag list');
        const b = value[i++]!;
        tag = tag * 256 + b;
        if ((b & 0x80) === 0) break;
      }
    }
    tags.push(tag);
  }
  return tags;
}
