/** ES10b (LPA -> ISD-R, download session and notifications), docs/protocol.md §3, §5, §8. */
import type { Es10Link } from '../apdu/es10-link.ts';
import { decodeOne, TlvError } from '../codec/index.ts';
import { segmentBoundProfilePackage } from './bpp.ts';
import type { CiNames } from './ci-keys.ts';
import {
  decodeAuthenticateServerResponse,
  decodeCancelSessionResponse,
  decodeEuiccChallenge,
  decodeEuiccInfo1,
  decodeEuiccInfo2,
  decodeListNotificationResponse,
  decodePrepareDownloadResponse,
  decodeProfileInstallationResult,
  decodeRatResponse,
  decodeResultCode,
  decodeRetrieveNotificationsListResponse,
} from './decode.ts';
import {
  encodeAuthenticateServerRequest,
  encodeCancelSessionRequest,
  encodeEmptyRequest,
  encodeGetRatRequest,
  encodeListNotificationRequest,
  encodePrepareDownloadRequest,
  encodeRemoveNotificationFromListRequest,
  encodeRetrieveNotificationsListRequest,
} from './encode.ts';
import type {
  AuthenticateServerRequest,
  PrepareDownloadRequest,
  RetrieveNotificationsSearch,
} from './encode.ts';
import { Es10Error, Es10FormatError } from './errors.ts';
import type { CancelSessionReasonName } from './results.ts';
import { Es10Tag } from './tags.ts';
import type { NotificationEventName } from './tags.ts';
import type {
  AuthenticateServerResponse,
  CancelSessionResponse,
  EuiccInfo1,
  EuiccInfo2,
  NotificationMetadata,
  PendingNotification,
  PrepareDownloadResponse,
  ProfileInstallationResult,
  RatEntry,
} from './types.ts';

/** GetEUICCInfo1 (`BF20`). `raw` is what initiateAuthentication sends verbatim. */
export async function getEuiccInfo1(
  link: Es10Link,
  options: { ciNames?: CiNames | undefined; signal?: AbortSignal | undefined } = {},
): Promise<EuiccInfo1> {
  const res = await link.es10(encodeEmptyRequest(Es10Tag.GetEuiccInfo1), options.signal);
  return decodeEuiccInfo1(res, options.ciNames);
}

/** GetEUICCInfo2 (`BF22`). */
export async function getEuiccInfo2(
  link: Es10Link,
  options: { ciNames?: CiNames | undefined; signal?: AbortSignal | undefined } = {},
): Promise<EuiccInfo2> {
  const res = await link.es10(encodeEmptyRequest(Es10Tag.GetEuiccInfo2), options.signal);
  return decodeEuiccInfo2(res, options.ciNames);
}

/** GetEUICCChallenge (`BF2E`): 16 random bytes; starts a fresh RSP session on the eUICC. */
export async function getEuiccChallenge(link: Es10Link, signal?: AbortSignal): Promise<Uint8Array> {
  return decodeEuiccChallenge(
    await link.es10(encodeEmptyRequest(Es10Tag.GetEuiccChallenge), signal),
  );
}

/**
 * AuthenticateServer (`BF38`). The SM-DP+ blobs go in byte for byte; the result keeps the
 * exact response (`raw`) for ES9+ authenticateClient. An error choice is returned, not thrown.
 */
export async function authenticateServer(
  link: Es10Link,
  request: AuthenticateServerRequest,
  signal?: AbortSignal,
): Promise<AuthenticateServerResponse> {
  return decodeAuthenticateServerResponse(
    await link.es10(encodeAuthenticateServerRequest(request), signal),
  );
}

/** PrepareDownload (`BF21`); compute hashCc with computeHashCc(code, txId). */
export async function prepareDownload(
  link: Es10Link,
  request: PrepareDownloadRequest,
  signal?: AbortSignal,
): Promise<PrepareDownloadResponse> {
  return decodePrepareDownloadResponse(
    await link.es10(encodePrepareDownloadRequest(request), signal),
  );
}

export interface LoadProgress {
  /** BPP bytes handed to the eUICC so far. */
  bytesSent: number;
  bytesTotal: number;
  callsSent: number;
  callsTotal: number;
}

export interface LoadBoundProfilePackageResult {
  result: ProfileInstallationResult;
  /** The exact BF37 bytes (also kept by the eUICC as the install notification). */
  raw: Uint8Array;
  /** ES10 calls made; fewer than `callsTotal` when the eUICC stopped early with an error. */
  callsSent: number;
  callsTotal: number;
}

/**
 * LoadBoundProfilePackage: sends the BPP cut per docs/protocol.md §5.3 and stops at the first response
 * that carries a ProfileInstallationResult (`BF37`), which is returned decoded, success or not.
 * Throws Es10FormatError for a malformed BPP, an unexpected response, or no BF37 at the end.
 */
export async function loadBoundProfilePackage(
  link: Es10Link,
  bpp: Uint8Array,
  options: {
    signal?: AbortSignal | undefined;
    onProgress?: ((p: LoadProgress) => void) | undefined;
  } = {},
): Promise<LoadBoundProfilePackageResult> {
  const calls = segmentBoundProfilePackage(bpp);
  let bytesSent = 0;
  for (let i = 0; i < calls.length; i++) {
    options.signal?.throwIfAborted();
    const call = calls[i]!;
    const res = await link.es10(call, options.signal);
    bytesSent += call.length;
    options.onProgress?.({
      bytesSent,
      bytesTotal: bpp.length,
      callsSent: i + 1,
      callsTotal: calls.length,
    });
    if (res.length === 0) continue;
    if (!isBf37(res))
      throw new Es10FormatError(
        'loadBoundProfilePackage',
        `unexpected response to segment ${i + 1} of ${calls.length}`,
      );
    return {
      result: decodeProfileInstallationResult(res),
      raw: res,
      callsSent: i + 1,
      callsTotal: calls.length,
    };
  }
  throw new Es10FormatError(
    'loadBoundProfilePackage',
    'the eUICC returned no ProfileInstallationResult after the last segment',
  );
}

function isBf37(bytes: Uint8Array): boolean {
  try {
    return decodeOne(bytes).tag === Es10Tag.ProfileInstallationResult;
  } catch (e) {
    if (e instanceof TlvError) return false;
    throw e;
  }
}

/**
 * CancelSession (`BF41`): returns the signed response (forward `raw` to ES9+ cancelSession).
 * Throws Es10Error (invalidTransactionId 5, undefinedError 127) if the eUICC refuses.
 */
export async function cancelSession(
  link: Es10Link,
  transactionId: Uint8Array,
  reason: CancelSessionReasonName | number,
  signal?: AbortSignal,
): Promise<CancelSessionResponse> {
  return decodeCancelSessionResponse(
    await link.es10(encodeCancelSessionRequest(transactionId, reason), signal),
  );
}

/** ListNotification (`BF28`): metadata of pending notifications, optionally filtered. */
export async function listNotification(
  link: Es10Link,
  filter?: readonly NotificationEventName[],
  signal?: AbortSignal,
): Promise<NotificationMetadata[]> {
  return decodeListNotificationResponse(
    await link.es10(encodeListNotificationRequest(filter), signal),
  );
}

/** RetrieveNotificationsList (`BF2B`): the signed notifications, by seqNumber or event. */
export async function retrieveNotificationsList(
  link: Es10Link,
  search?: RetrieveNotificationsSearch,
  signal?: AbortSignal,
): Promise<PendingNotification[]> {
  return decodeRetrieveNotificationsListResponse(
    await link.es10(encodeRetrieveNotificationsListRequest(search), signal),
  );
}

/**
 * RemoveNotificationFromList (`BF30`). Returns 'ok' or 'nothingToDelete' (already gone: not an
 * error for a caller that is cleaning up); throws Es10Error for anything else.
 */
export async function removeNotificationFromList(
  link: Es10Link,
  seqNumber: number,
  signal?: AbortSignal,
): Promise<'ok' | 'nothingToDelete'> {
  const res = await link.es10(encodeRemoveNotificationFromListRequest(seqNumber), signal);
  const code = decodeResultCode(
    'removeNotificationFromList',
    res,
    Es10Tag.RemoveNotificationFromList,
  );
  if (code === 0) return 'ok';
  if (code === 1) return 'nothingToDelete';
  throw new Es10Error('removeNotificationFromList', code);
}

/** GetRAT (`BF43`): the Rules Authorisation Table. */
export async function getRat(link: Es10Link, signal?: AbortSignal): Promise<RatEntry[]> {
  return decodeRatResponse(await link.es10(encodeGetRatRequest(), signal));
}
