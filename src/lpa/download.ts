/**
 * Profile download (docs/protocol.md §5.1), one linear function with named steps. After the eUICC has
 * authenticated the server, any failure or refusal cancels the session on the eUICC and at the
 * SM-DP+ (with the eUICC's signed answer) before the original error is rethrown.
 */
import type { Es10Link } from '../apdu/es10-link.ts';
import { bytesEqual, fromHex, toHex } from '../codec/index.ts';
import {
  authenticateServer,
  cancelSession,
  computeHashCc,
  decodeServerSigned1,
  decodeSmdpSigned2,
  decodeStoreMetadata,
  Es10Error,
  getEuiccChallenge,
  getEuiccConfiguredAddresses,
  getEuiccInfo1,
  loadBoundProfilePackage,
  prepareDownload,
  ProfileInstallationError,
} from '../es10/index.ts';
import type { CancelSessionReasonName, ProfileInfo, ServerSigned1 } from '../es10/index.ts';
import type { InitiateAuthenticationResult } from './es9p-api.ts';
import { parseActivationCode } from './activation-code.ts';
import type { DownloadStep, LpaContext, LpaProgress } from './context.ts';
import { LpaError, toLpaError } from './errors.ts';
import {
  bppRequestedEntry,
  forgetBppRequested,
  journalEntry,
  sendCancelSession,
} from './interrupted.ts';
import { subjectSerialNumber } from './cert-serial.ts';
import { deliver, keptResult, sentAtOnce } from './notifications.ts';
import type { NotificationSendResult } from './notifications.ts';

/** What the user sees before consenting (docs/protocol.md §5.1 step 9). */
export interface ProfilePreview {
  smdpAddress: string;
  /** The StoreMetadata: ICCID, names, icon, class, PPRs, notification configuration. */
  metadata: ProfileInfo;
  confirmationCodeRequired: boolean;
}

export interface DownloadOptions {
  /** An activation code (`LPA:1$...`); or give smdpAddress (+ matchingId); or neither (default SM-DP+). */
  activationCode?: string;
  smdpAddress?: string;
  matchingId?: string;
  /** Asked only when the SM-DP+ sets ccRequiredFlag; null/undefined/'' = the user has none. */
  confirmationCode?: () => Promise<string | null | undefined>;
  /** Consent before anything is installed; false refuses the profile. */
  confirm: (preview: ProfilePreview) => Promise<boolean>;
  signal?: AbortSignal;
  onProgress?: (p: LpaProgress) => void;
}

export interface DownloadResult {
  smdpAddress: string;
  iccid?: string;
  isdpAid: Uint8Array;
  metadata: ProfileInfo;
  /** Delivery of the install notification (a failure here does not undo the install). */
  notification: NotificationSendResult;
}

interface Session {
  transactionId: Uint8Array;
  transactionIdHex: string;
  smdpAddress: string;
  eid: string | undefined;
}

function resolveTarget(opts: DownloadOptions): { smdpAddress?: string; matchingId?: string } {
  if (opts.activationCode !== undefined) {
    const ac = parseActivationCode(opts.activationCode);
    return { smdpAddress: ac.smdpAddress, matchingId: ac.matchingId };
  }
  return {
    ...(opts.smdpAddress !== undefined ? { smdpAddress: opts.smdpAddress } : {}),
    ...(opts.matchingId !== undefined ? { matchingId: opts.matchingId } : {}),
  };
}

function sameHex(a: string, b: Uint8Array): boolean {
  try {
    return bytesEqual(fromHex(a), b);
  } catch {
    return false;
  }
}

/** CancelSessionReason for a failure (docs/protocol.md §9). */
function cancelReason(err: LpaError, step: DownloadStep): CancelSessionReasonName {
  if (err.reason === 'consentRefused') return 'endUserRejection';
  if (err.reason === 'confirmationCodeRequired') return 'postponed';
  if (step === 'loadBoundProfilePackage') return 'loadBppExecutionError';
  if (err.reason === 'cancelled') return 'endUserRejection';
  if (err.reason === 'network' && err.details['reason'] === 'timeout') return 'timeout';
  return 'undefinedReason';
}

/**
 * Cancels on the eUICC, then at the SM-DP+; failures are recorded on `err`, never thrown. What
 * could not be done because the card or the server did not answer goes to the journal, to be
 * finished once they are back (interrupted.ts).
 */
async function cancelBoth(
  ctx: LpaContext,
  link: Es10Link,
  session: Session,
  reason: CancelSessionReasonName,
  err: LpaError,
): Promise<void> {
  // The caller's signal may be the reason we are here: clean up under a fresh deadline.
  const signal = AbortSignal.timeout(ctx.cleanupTimeoutMs);
  const remember = async (failure: Parameters<typeof journalEntry>[2]): Promise<void> => {
    const entry = journalEntry(session, reason, failure, ctx.now());
    if (!entry) return;
    try {
      await ctx.journal.save([...(await ctx.journal.load()), entry]);
    } catch (e) {
      err.cleanupErrors.push(e);
    }
  };
  let signed: Uint8Array;
  try {
    signed = (await cancelSession(link, session.transactionId, reason, signal)).raw;
  } catch (e) {
    err.cleanupErrors.push(e);
    await remember({ onCard: true, error: e });
    return;
  }
  try {
    await sendCancelSession(
      ctx,
      { smdpAddress: session.smdpAddress, transactionId: session.transactionIdHex },
      signed,
      signal,
    );
  } catch (e) {
    err.cleanupErrors.push(e);
    await remember({ onCard: false, error: e, signed });
  }
}

/** The EID in the eUICC certificate's subject serialNumber (SGP.22 §4.5.2.1), if readable. */
function eidOf(euiccCertificate: Uint8Array): string | undefined {
  try {
    const serial = subjectSerialNumber(euiccCertificate);
    return serial !== undefined && /^[0-9]{32}$/.test(serial) ? serial : undefined;
  } catch {
    return undefined;
  }
}

/**
 * docs/protocol.md §5.1 steps 1-4, shared with SM-DS discovery: eUICC challenge and EUICCInfo1, then
 * initiateAuthentication, whose signed answer must echo this session (its transaction id, the
 * eUICC challenge and the server's own address) before the eUICC is asked to check it.
 */
export async function initiateWithServer(
  link: Es10Link,
  server: 'SM-DP+' | 'SM-DS',
  address: string,
  progress: (step: 'getEuiccChallenge' | 'initiateAuthentication') => void,
  signal: AbortSignal | undefined,
  initiate: (req: {
    address: string;
    euiccChallenge: Uint8Array;
    euiccInfo1: Uint8Array;
  }) => Promise<InitiateAuthenticationResult>,
): Promise<{ init: InitiateAuthenticationResult; s1: ServerSigned1 }> {
  progress('getEuiccChallenge');
  const euiccChallenge = await getEuiccChallenge(link, signal);
  const info1 = await getEuiccInfo1(link, { signal });
  progress('initiateAuthentication');
  const init = await initiate({ address, euiccChallenge, euiccInfo1: info1.raw });
  const s1 = decodeServerSigned1(init.serverSigned1);
  if (!sameHex(init.transactionId, s1.transactionId))
    throw new LpaError('serverMismatch', `The ${server} answered with a different transaction id.`);
  if (!bytesEqual(s1.euiccChallenge, euiccChallenge))
    throw new LpaError('serverMismatch', `The ${server} signed a different eUICC challenge.`);
  if (s1.serverAddress.toLowerCase() !== address.toLowerCase())
    throw new LpaError(
      'serverMismatch',
      `The ${server} calls itself ${s1.serverAddress}, not ${address}.`,
    );
  return { init, s1 };
}

export async function download(ctx: LpaContext, opts: DownloadOptions): Promise<DownloadResult> {
  const { signal } = opts;
  let step: DownloadStep = 'resolveAddress';
  const progress = (s: DownloadStep, extra: Partial<LpaProgress> = {}): void => {
    step = s;
    ctx.emit({ operation: 'download', step: s, ...extra }, opts.onProgress);
  };
  let link: Es10Link | undefined;
  let session: Session | undefined;
  /** Set while the journal holds this download's `bppRequested` entry. */
  let journaled = false;
  try {
    progress('resolveAddress');
    link = await ctx.link();
    const target = resolveTarget(opts);
    let smdpAddress = target.smdpAddress;
    if (smdpAddress === undefined || smdpAddress === '') {
      smdpAddress = (await getEuiccConfiguredAddresses(link, signal)).defaultDpAddress;
      if (smdpAddress === undefined)
        throw new LpaError(
          'noAddress',
          'No SM-DP+ address: give an activation code or set a default SM-DP+ on the eUICC.',
        );
    }

    const { init, s1 } = await initiateWithServer(
      link,
      'SM-DP+',
      smdpAddress,
      progress,
      signal,
      (r) =>
        ctx.es9p.initiateAuthentication(
          { smdpAddress: r.address, euiccChallenge: r.euiccChallenge, euiccInfo1: r.euiccInfo1 },
          signal,
        ),
    );

    progress('authenticateServer');
    const auth = await authenticateServer(
      link,
      {
        serverSigned1: init.serverSigned1,
        serverSignature1: init.serverSignature1,
        euiccCiPKIdToBeUsed: init.euiccCiPKIdToBeUsed,
        serverCertificate: init.serverCertificate,
        // An activation code always yields a matchingId, possibly empty (SGP.22 §4.1: the
        // AC_Token may be empty, the SM-DP+ then selects the order by EID), and it is sent
        // even when empty (`80 00`). Only the default SM-DP+ case (SGP.22 §3.1.3.1, no
        // activation code) omits it, and only then does the eUICC require serverAddress to be
        // its default SM-DP+ address (SGP.22 §5.7.13, ES10b.AuthenticateServer). The software
        // eUICC applies the same rule (src/euicc/handlers-es10b.ts).
        ctxParams1: {
          ...(target.matchingId !== undefined ? { matchingId: target.matchingId } : {}),
          deviceInfo: ctx.deviceInfo,
        },
      },
      signal,
    );
    if (!auth.ok) throw new Es10Error('authenticateServer', auth.errorCode);
    // From here the eUICC holds a session: every failure cancels it.
    session = {
      transactionId: s1.transactionId,
      transactionIdHex: toHex(s1.transactionId),
      smdpAddress,
      eid: eidOf(auth.euiccCertificate),
    };

    progress('authenticateClient');
    const client = await ctx.es9p.authenticateClient(
      {
        smdpAddress,
        transactionId: session.transactionIdHex,
        authenticateServerResponse: auth.raw,
      },
      signal,
    );
    const s2 = decodeSmdpSigned2(client.smdpSigned2);
    if (
      !sameHex(client.transactionId, session.transactionId) ||
      !bytesEqual(s2.transactionId, session.transactionId)
    )
      throw new LpaError('serverMismatch', 'The SM-DP+ switched transaction ids.');
    const metadata = decodeStoreMetadata(client.profileMetadata);

    progress('consent');
    const preview: ProfilePreview = {
      smdpAddress,
      metadata,
      confirmationCodeRequired: s2.ccRequiredFlag,
    };
    const consent = await opts.confirm(preview);
    signal?.throwIfAborted();
    if (!consent) throw new LpaError('consentRefused', 'The profile was declined.');

    let hashCc: Uint8Array | undefined;
    if (s2.ccRequiredFlag) {
      progress('confirmationCode');
      const code = opts.confirmationCode ? await opts.confirmationCode() : undefined;
      signal?.throwIfAborted();
      if (code === undefined || code === null || code === '')
        throw new LpaError(
          'confirmationCodeRequired',
          'This profile needs the confirmation code from the operator.',
        );
      hashCc = computeHashCc(code, session.transactionId);
    }

    progress('prepareDownload');
    const prep = await prepareDownload(
      link,
      {
        smdpSigned2: client.smdpSigned2,
        smdpSignature2: client.smdpSignature2,
        ...(hashCc ? { hashCc } : {}),
        smdpCertificate: client.smdpCertificate,
      },
      signal,
    );
    if (!prep.ok) throw new Es10Error('prepareDownload', prep.errorCode);

    // From GetBoundProfilePackage on, a one-time order is spent at the SM-DP+: journal the
    // session first, so a process killed from here on still finishes it (interrupted.ts).
    await ctx.journal.save([
      ...(await ctx.journal.load()),
      bppRequestedEntry(session, prep.raw, ctx.now()),
    ]);
    journaled = true;

    progress('getBoundProfilePackage');
    const bpp = await ctx.es9p.getBoundProfilePackage(
      {
        smdpAddress,
        transactionId: session.transactionIdHex,
        prepareDownloadResponse: prep.raw,
      },
      signal,
    );

    progress('loadBoundProfilePackage', {
      bytesSent: 0,
      bytesTotal: bpp.boundProfilePackage.length,
    });
    const loaded = await loadBoundProfilePackage(link, bpp.boundProfilePackage, {
      ...(signal ? { signal } : {}),
      onProgress: (p) => {
        ctx.emit(
          {
            operation: 'download',
            step: 'loadBoundProfilePackage',
            bytesSent: p.bytesSent,
            bytesTotal: p.bytesTotal,
          },
          opts.onProgress,
        );
      },
    });
    // The eUICC has closed its session with a result (success or not): nothing to cancel, and
    // nothing to finish later (the result is a pending notification until delivered).
    const closedSession = session;
    session = undefined;
    journaled = false;
    await forgetBppRequested(ctx.journal, closedSession.transactionIdHex).catch(() => undefined);

    progress('handleNotification');
    const pir = loaded.result;
    const notification = sentAtOnce(ctx, pir.notificationMetadata)
      ? await deliver(ctx, link, pir.notificationMetadata, loaded.raw, signal)
      : keptResult(pir.notificationMetadata);
    if (!pir.finalResult.ok) {
      const f = pir.finalResult;
      throw toLpaError(
        new ProfileInstallationError(f.bppCommandId, f.errorReason),
        'loadBoundProfilePackage',
      );
    }
    progress('done');
    return {
      smdpAddress: closedSession.smdpAddress,
      ...(metadata.iccid !== undefined ? { iccid: metadata.iccid } : {}),
      isdpAid: pir.finalResult.isdpAid,
      metadata,
      notification,
    };
  } catch (e) {
    const err = toLpaError(e, step, signal);
    if (err.reason === 'transport') ctx.linkFailed(e);
    if (journaled && session) {
      // Replaced by what cancelBoth journals, if anything.
      try {
        await forgetBppRequested(ctx.journal, session.transactionIdHex);
      } catch (f) {
        err.cleanupErrors.push(f);
      }
    }
    if (session && link) {
      ctx.emit({ operation: 'download', step: 'cancelSession' }, opts.onProgress);
      await cancelBoth(ctx, link, session, cancelReason(err, step), err);
    }
    throw err;
  }
}
