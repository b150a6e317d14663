/**
 * The ISD-R application of the software eUICC: the dispatcher of every ES10a/b/c function of
 * docs/protocol.md §3 (STORE DATA payload -> handler by tag), the volatile RSP session and its
 * persistence. The handlers live by interface (SGP.22 v2.2.2 §5.7): handlers-es10a.ts,
 * handlers-es10b.ts and handlers-es10c.ts, each a function over the shared `IsdRContext`
 * (isd-r-context.ts).
 */
import { bytesEqual, decodeOne, fromHex, toHex } from '../codec/index.ts';
import { Es10Tag } from '../es10/tags.ts';
import { keyPairFromPrivate, parseCertificate } from '../rsp/index.ts';
import type { Certificate, EcKeyPair, Rng } from '../rsp/index.ts';
import { strict } from './der.ts';
import { EuiccStateError, StatusWordError } from './errors.ts';
import { handleGetConfiguredAddresses, handleSetDefaultDpAddress } from './handlers-es10a.ts';
import {
  handleAuthenticateServer,
  handleCancelSession,
  handleEuiccInfo1,
  handleEuiccInfo2,
  finishInstall,
  handleGetChallenge,
  handleListNotification,
  handleLoadBpp,
  handleLoadCrl,
  handlePrepareDownload,
  handleRemoveNotification,
  handleRetrieveNotifications,
} from './handlers-es10b.ts';
import {
  handleDeleteProfile,
  handleDisableProfile,
  handleEnableProfile,
  handleGetEid,
  handleGetProfilesInfo,
  handleGetRat,
  handleMemoryReset,
  handleSetNickname,
} from './handlers-es10c.ts';
import type { Es10Result, IsdRContext, RspSession } from './isd-r-context.ts';
import type { ParsedIdentity } from './identity.ts';
import { SW } from './iso7816.ts';
import { requestTag } from './personality.ts';
import type { EuiccPersonality } from './personality.ts';
import type { EuiccState, PendingSessionJson } from './state.ts';

export { AuthenticateError, DownloadError } from './handlers-es10b.ts';
export { parseTagList } from './handlers-es10c.ts';
export type { Es10Result } from './isd-r-context.ts';

export class IsdR implements IsdRContext {
  session: RspSession | undefined;
  /** Set when the last Enable/Disable asked for a REFRESH (tests observe it). */
  lastRefreshRequested = false;
  /** The card family whose answers this ISD-R imitates (src/euicc/personality.ts). */
  personality: EuiccPersonality | undefined;

  constructor(
    readonly state: EuiccState,
    readonly id: ParsedIdentity,
    readonly rng: Rng,
    readonly now: () => Date,
  ) {}

  /**
   * Card reset or power loss: the RSP session is volatile and is lost. A Bound Profile Package
   * that was being loaded is discarded, and the eUICC records a signed ProfileInstallationResult
   * with ErrorReason interruption (11) as a pending notification, so the SM-DP+ still learns
   * that the installation failed and can close its session when the LPA delivers it.
   */
  resetSession(): void {
    const outcome = this.session?.bpp?.interrupt();
    if (outcome) finishInstall(this, outcome);
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
      return handleLoadBpp(this, request, true);
    if (this.loading && first !== undefined && bppTags.includes(first))
      return handleLoadBpp(this, request, false);
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
        return ok(handleGetConfiguredAddresses(this));
      case Es10Tag.SetDefaultDpAddress:
        return ok(handleSetDefaultDpAddress(this, request));
      case Es10Tag.GetEuiccInfo1:
        return ok(handleEuiccInfo1(this));
      case Es10Tag.GetEuiccInfo2:
        return ok(handleEuiccInfo2(this));
      case Es10Tag.GetEid:
        return ok(handleGetEid(this, request));
      case Es10Tag.GetEuiccChallenge:
        return ok(handleGetChallenge(this));
      case Es10Tag.AuthenticateServer:
        return ok(handleAuthenticateServer(this, request));
      case Es10Tag.PrepareDownload:
        return ok(handlePrepareDownload(this, request));
      case Es10Tag.CancelSession:
        return ok(handleCancelSession(this, request));
      case Es10Tag.ListNotification:
        return ok(handleListNotification(this, request));
      case Es10Tag.RetrieveNotificationsList:
        return ok(handleRetrieveNotifications(this, request));
      case Es10Tag.RemoveNotificationFromList:
        return ok(handleRemoveNotification(this, request));
      case Es10Tag.GetProfilesInfo:
        return ok(handleGetProfilesInfo(this, request));
      case Es10Tag.EnableProfile:
        return handleEnableProfile(this, request);
      case Es10Tag.DisableProfile:
        return handleDisableProfile(this, request);
      case Es10Tag.DeleteProfile:
        return ok(handleDeleteProfile(this, request));
      case Es10Tag.SetNickname:
        return ok(handleSetNickname(this, request));
      case Es10Tag.EuiccMemoryReset:
        return ok(handleMemoryReset(this, request));
      case Es10Tag.GetRat:
        return ok(handleGetRat(this));
      case Es10Tag.LoadCrl:
        return ok(handleLoadCrl());
      default:
        throw new StatusWordError(SW.REFERENCED_DATA_NOT_FOUND, 'unknown ES10 function');
    }
  }
}
