/**
 * Download sessions that could not be cancelled when they failed, and their clean-up later.
 *
 * A download that fails after AuthenticateServer is cancelled on the eUICC and then at the
 * SM-DP+ with the eUICC's signed answer (download.ts). When the card is gone at that moment (a
 * reader unplugged, a modem lost) or the SM-DP+ cannot be reached, the session is written to a
 * journal instead, and finished the next time the LPA has a card:
 *
 * - the eUICC still holds the session (the link dropped but the card kept power): CancelSession
 *   there, then ES9+ CancelSession with its signed answer;
 * - the eUICC lost it (reset or power loss): a package that was being loaded left a signed
 *   ProfileInstallationResult (ErrorReason interruption) among the pending notifications;
 *   delivering it tells the SM-DP+ the download failed and closes its session there. With
 *   nothing left on the card there is nothing signed to show the SM-DP+, whose session then
 *   ends at its own expiry;
 * - the eUICC was cancelled but the SM-DP+ was not told: the stored signed answer is sent again.
 *
 * A download also journals itself BEFORE ES9+ GetBoundProfilePackage (stage `bppRequested`,
 * with the eUICC's PrepareDownloadResponse), because from that call on a one-time order is spent
 * at the SM-DP+. The entry is removed once the package was loaded and its result is known. An
 * entry left behind (the LPA was killed) is finished by completing the download: the eUICC's
 * result found among its notifications is delivered; otherwise GetBoundProfilePackage is asked
 * again with the same PrepareDownloadResponse (SGP.22 v2.2.2 §5.6.2: the SM-DP+ answers a retry
 * in the same session with the same package) and the package is loaded on the eUICC, which
 * kept the session and its one-time key (§5.7.5). When the SM-DP+ or the eUICC no longer has
 * the session, the cancel paths above apply.
 *
 * Entries name the eUICC (EID) they belong to, so another card never consumes them.
 */
import type { Es10Link } from '../apdu/es10-link.ts';
import { fromHex, toHex } from '../codec/index.ts';
import {
  cancelSession,
  decodeProfileInstallationResult,
  getEid,
  loadBoundProfilePackage,
  retrieveNotificationsList,
} from '../es10/index.ts';
import type { CancelSessionReasonName, NotificationMetadata } from '../es10/index.ts';
import type { LpaContext } from './context.ts';
import { LpaError, toLpaError } from './errors.ts';
import { deliver, sentAtOnce } from './notifications.ts';
import type { NotificationSendResult } from './notifications.ts';

/** A download session left open on the eUICC and/or at the SM-DP+. */
export interface InterruptedSession {
  /** Hex, as sent to the SM-DP+. */
  transactionId: string;
  smdpAddress: string;
  reason: CancelSessionReasonName;
  /** The eUICC's EID (from its certificate), when known. */
  eid?: string;
  /** ISO 8601 time of the failure. */
  interruptedAt: string;
  /** The eUICC's signed CancelSession answer (hex), when only the SM-DP+ is left to tell. */
  cancelSessionResponse?: string;
  /**
   * `bppRequested`: written just before ES9+ GetBoundProfilePackage; recovery finishes the
   * download instead of cancelling it. Absent for the cancel entries.
   */
  stage?: 'bppRequested';
  /** With `bppRequested`: the eUICC's PrepareDownloadResponse (hex), sent again to the SM-DP+. */
  prepareDownloadResponse?: string;
}

/** Where interrupted sessions are kept between connections (the app: IndexedDB). */
export interface SessionJournal {
  load(): Promise<readonly InterruptedSession[]>;
  save(sessions: readonly InterruptedSession[]): Promise<void>;
}

/** A journal that lives as long as the object (the default). */
export function memoryJournal(initial: readonly InterruptedSession[] = []): SessionJournal {
  let entries = [...initial];
  return {
    load: () => Promise.resolve([...entries]),
    save: (sessions) => {
      entries = [...sessions];
      return Promise.resolve();
    },
  };
}

const REASONS: readonly CancelSessionReasonName[] = [
  'endUserRejection',
  'postponed',
  'timeout',
  'pprNotAllowed',
  'metadataMismatch',
  'loadBppExecutionError',
  'undefinedReason',
];

/** Checks journal entries read back from storage; drops what is not well formed. */
export function parseJournal(value: unknown): InterruptedSession[] {
  if (!Array.isArray(value)) return [];
  const out: InterruptedSession[] = [];
  for (const v of value as unknown[]) {
    if (typeof v !== 'object' || v === null) continue;
    const r = v as Record<string, unknown>;
    const { transactionId, smdpAddress, reason, eid, interruptedAt, cancelSessionResponse } = r;
    const { stage, prepareDownloadResponse } = r;
    if (typeof transactionId !== 'string' || !/^(?:[0-9A-Fa-f]{2}){1,16}$/.test(transactionId))
      continue;
    if (typeof smdpAddress !== 'string' || smdpAddress === '') continue;
    if (typeof reason !== 'string' || !REASONS.includes(reason as CancelSessionReasonName))
      continue;
    if (typeof interruptedAt !== 'string') continue;
    const entry: InterruptedSession = {
      transactionId,
      smdpAddress,
      reason: reason as CancelSessionReasonName,
      interruptedAt,
    };
    if (typeof eid === 'string' && /^[0-9]{32}$/.test(eid)) entry.eid = eid;
    if (
      typeof cancelSessionResponse === 'string' &&
      /^(?:[0-9A-Fa-f]{2})+$/.test(cancelSessionResponse)
    )
      entry.cancelSessionResponse = cancelSessionResponse;
    if (stage !== undefined || prepareDownloadResponse !== undefined) {
      // Unknown stages (a newer writer) and incomplete entries are not guessed at.
      if (stage !== 'bppRequested') continue;
      if (
        typeof prepareDownloadResponse !== 'string' ||
        !/^(?:[0-9A-Fa-f]{2})+$/.test(prepareDownloadResponse) ||
        entry.cancelSessionResponse !== undefined
      )
        continue;
      entry.stage = stage;
      entry.prepareDownloadResponse = prepareDownloadResponse;
    }
    out.push(entry);
  }
  return out;
}

/**
 * A journal kept as JSON text by `io` (`write(undefined)` removes it once nothing is left). Text
 * that is missing, damaged or not a list of well-formed entries reads as empty, so a bad store
 * never blocks the card.
 */
export function textJournal(
  io: {
    read(): Promise<string | undefined>;
    write(text: string | undefined): Promise<void>;
  },
  indent?: number,
): SessionJournal {
  return {
    load: async () => {
      const text = await io.read();
      if (text === undefined) return [];
      try {
        return parseJournal(JSON.parse(text));
      } catch {
        return [];
      }
    },
    save: (sessions) =>
      io.write(
        sessions.length === 0
          ? undefined
          : JSON.stringify(sessions, null, indent) + (indent === undefined ? '' : '\n'),
      ),
  };
}

/** How one interrupted session ended. */
export type RecoveryOutcome =
  /** The interrupted download was finished: the profile is installed (see `notification`). */
  | 'installed'
  /** Cancelled on the eUICC and at the SM-DP+. */
  | 'cancelled'
  /** The eUICC's interruption result was delivered: the SM-DP+ knows the download failed. */
  | 'reported'
  /** The eUICC's interruption result is pending (notifications are sent by hand). */
  | 'notificationPending'
  /** The eUICC no longer had the session and left nothing signed: the SM-DP+ session expires. */
  | 'expires'
  /** The SM-DP+ refused the cancellation (e.g. it had already closed the session). */
  | 'refused'
  /** Could not be finished now (SM-DP+ unreachable): kept for the next time. */
  | 'kept';

export interface RecoveryResult {
  transactionId: string;
  smdpAddress: string;
  outcome: RecoveryOutcome;
  notification?: NotificationSendResult;
  error?: LpaError;
}

/** Failures that mean "not answered" rather than "answered no": worth trying again later. */
function unanswered(err: LpaError): boolean {
  return err.reason !== 'es10' && err.reason !== 'apdu' && err.reason !== 'es9p';
}

/**
 * Decides what to journal after a failed clean-up (download.ts): the eUICC could not be asked,
 * or it answered but the SM-DP+ could not be reached. Undefined when there is nothing to retry.
 */
export function journalEntry(
  session: { transactionIdHex: string; smdpAddress: string; eid?: string | undefined },
  reason: CancelSessionReasonName,
  failure: { onCard: true; error: unknown } | { onCard: false; error: unknown; signed: Uint8Array },
  now: Date,
): InterruptedSession | undefined {
  if (!unanswered(toLpaError(failure.error))) return undefined;
  const entry: InterruptedSession = {
    transactionId: session.transactionIdHex,
    smdpAddress: session.smdpAddress,
    reason,
    interruptedAt: now.toISOString(),
  };
  if (session.eid !== undefined) entry.eid = session.eid;
  if (!failure.onCard) entry.cancelSessionResponse = toHex(failure.signed);
  return entry;
}

/** The entry a download writes before ES9+ GetBoundProfilePackage (see the module comment). */
export function bppRequestedEntry(
  session: { transactionIdHex: string; smdpAddress: string; eid?: string | undefined },
  prepareDownloadResponse: Uint8Array,
  now: Date,
): InterruptedSession {
  const entry: InterruptedSession = {
    transactionId: session.transactionIdHex,
    smdpAddress: session.smdpAddress,
    // Used only if the download cannot be finished and has to be cancelled.
    reason: 'undefinedReason',
    interruptedAt: now.toISOString(),
    stage: 'bppRequested',
    prepareDownloadResponse: toHex(prepareDownloadResponse),
  };
  if (session.eid !== undefined) entry.eid = session.eid;
  return entry;
}

/** Removes the `bppRequested` entry of a transaction (its package was loaded, or it failed). */
export async function forgetBppRequested(
  journal: SessionJournal,
  transactionId: string,
): Promise<void> {
  const entries = await journal.load();
  const tx = transactionId.toUpperCase();
  const kept = entries.filter(
    (e) => !(e.stage === 'bppRequested' && e.transactionId.toUpperCase() === tx),
  );
  if (kept.length !== entries.length) await journal.save(kept);
}

/** ES9+ CancelSession with the eUICC's signed answer (forwarded byte for byte). */
export function sendCancelSession(
  ctx: LpaContext,
  session: { smdpAddress: string; transactionId: string },
  signed: Uint8Array,
  signal: AbortSignal,
): Promise<void> {
  return ctx.es9p.cancelSession(
    {
      smdpAddress: session.smdpAddress,
      transactionId: session.transactionId,
      cancelSessionResponse: signed,
    },
    signal,
  );
}

/** Tells the SM-DP+ with the eUICC's signed answer. */
async function tellServer(
  ctx: LpaContext,
  entry: InterruptedSession,
  signed: Uint8Array,
  signal: AbortSignal,
): Promise<RecoveryResult> {
  const base = { transactionId: entry.transactionId, smdpAddress: entry.smdpAddress };
  try {
    await sendCancelSession(ctx, entry, signed, signal);
    return { ...base, outcome: 'cancelled' };
  } catch (e) {
    const error = toLpaError(e, 'cancelSession');
    return { ...base, outcome: unanswered(error) ? 'kept' : 'refused', error };
  }
}

/** The eUICC's signed ProfileInstallationResult for `transactionId`, if still pending on it. */
async function findInstallResult(
  link: Es10Link,
  transactionId: string,
  signal: AbortSignal,
): Promise<{ metadata: NotificationMetadata; raw: Uint8Array; ok: boolean } | undefined> {
  const installs = await retrieveNotificationsList(
    link,
    { profileManagementOperation: ['install'] },
    signal,
  );
  const txId = transactionId.toUpperCase();
  for (const n of installs) {
    if (n.kind !== 'profileInstallationResult') continue;
    let pir;
    try {
      pir = decodeProfileInstallationResult(n.raw);
    } catch {
      continue;
    }
    if (toHex(pir.transactionId).toUpperCase() !== txId) continue;
    return { metadata: n.metadata, raw: n.raw, ok: pir.finalResult.ok };
  }
  return undefined;
}

/** Delivers the eUICC's installation result (if notifications are sent automatically). */
async function deliverResult(
  ctx: LpaContext,
  link: Es10Link,
  entry: InterruptedSession,
  found: { metadata: NotificationMetadata; raw: Uint8Array; ok: boolean },
  signal: AbortSignal,
): Promise<RecoveryResult> {
  const base = { transactionId: entry.transactionId, smdpAddress: entry.smdpAddress };
  if (!sentAtOnce(ctx, found.metadata))
    return { ...base, outcome: found.ok ? 'installed' : 'notificationPending' };
  const notification = await deliver(ctx, link, found.metadata, found.raw, signal);
  if (found.ok) return { ...base, outcome: 'installed', notification };
  if (notification.sent) return { ...base, outcome: 'reported', notification };
  // Still pending on the card, where the user can send it later: nothing more to journal.
  return {
    ...base,
    outcome: 'notificationPending',
    notification,
    ...(notification.error ? { error: notification.error } : {}),
  };
}

/** The eUICC no longer has the session: look for its interruption result among the notifications. */
async function reportInterruption(
  ctx: LpaContext,
  link: Es10Link,
  entry: InterruptedSession,
  signal: AbortSignal,
): Promise<RecoveryResult> {
  const found = await findInstallResult(link, entry.transactionId, signal);
  if (found) return deliverResult(ctx, link, entry, found, signal);
  return { transactionId: entry.transactionId, smdpAddress: entry.smdpAddress, outcome: 'expires' };
}

/**
 * A download cut off after it asked for its Bound Profile Package: finish it (see the module
 * comment), or fall back to cancelling it.
 */
async function resumeDownload(
  ctx: LpaContext,
  link: Es10Link,
  entry: InterruptedSession,
  prepareDownloadResponse: string,
  signal: AbortSignal,
): Promise<RecoveryResult> {
  const base = { transactionId: entry.transactionId, smdpAddress: entry.smdpAddress };
  // The package may have been loaded already: its signed result is then on the card.
  const found = await findInstallResult(link, entry.transactionId, signal);
  if (found) return deliverResult(ctx, link, entry, found, signal);
  const cancelInstead = (): Promise<RecoveryResult> => {
    // From here on this is a plain cancel entry (also if it has to be kept for later).
    delete entry.stage;
    delete entry.prepareDownloadResponse;
    return cancelBothSides(ctx, link, entry, signal);
  };
  ctx.emit({ operation: 'recovery', step: 'getBoundProfilePackage' });
  let bpp: Uint8Array;
  try {
    bpp = (
      await ctx.es9p.getBoundProfilePackage(
        {
          smdpAddress: entry.smdpAddress,
          transactionId: entry.transactionId,
          prepareDownloadResponse: fromHex(prepareDownloadResponse),
        },
        signal,
      )
    ).boundProfilePackage;
  } catch (e) {
    const error = toLpaError(e, 'getBoundProfilePackage');
    if (unanswered(error)) return { ...base, outcome: 'kept', error };
    // The SM-DP+ no longer knows the session (or refuses it).
    return cancelInstead();
  }
  ctx.emit({ operation: 'recovery', step: 'loadBoundProfilePackage' });
  let loaded;
  try {
    loaded = await loadBoundProfilePackage(link, bpp, { signal });
  } catch (e) {
    const error = toLpaError(e, 'loadBoundProfilePackage');
    if (error.reason === 'transport' || error.reason === 'cancelled') throw e;
    // The eUICC refused the package outright: it no longer holds the session.
    return cancelInstead();
  }
  return deliverResult(
    ctx,
    link,
    entry,
    {
      metadata: loaded.result.notificationMetadata,
      raw: loaded.raw,
      ok: loaded.result.finalResult.ok,
    },
    signal,
  );
}

async function recoverOne(
  ctx: LpaContext,
  link: Es10Link,
  entry: InterruptedSession,
  signal: AbortSignal,
): Promise<RecoveryResult> {
  if (entry.stage === 'bppRequested' && entry.prepareDownloadResponse !== undefined)
    return resumeDownload(ctx, link, entry, entry.prepareDownloadResponse, signal);
  return cancelBothSides(ctx, link, entry, signal);
}

/** CancelSession on the eUICC (unless already done), then at the SM-DP+. */
async function cancelBothSides(
  ctx: LpaContext,
  link: Es10Link,
  entry: InterruptedSession,
  signal: AbortSignal,
): Promise<RecoveryResult> {
  if (entry.cancelSessionResponse !== undefined)
    return tellServer(ctx, entry, fromHex(entry.cancelSessionResponse), signal);
  let signed: Uint8Array;
  try {
    signed = (await cancelSession(link, fromHex(entry.transactionId), entry.reason, signal)).raw;
  } catch (e) {
    const err = toLpaError(e, 'cancelSession');
    // invalidTransactionId (5): the session did not survive on the eUICC.
    if (err.reason === 'es10') return reportInterruption(ctx, link, entry, signal);
    throw err;
  }
  const told = await tellServer(ctx, entry, signed, signal);
  if (told.outcome === 'kept') entry.cancelSessionResponse = toHex(signed);
  return told;
}

/**
 * Finishes the journal's sessions that belong to the eUICC behind `link`. Entries that could
 * not be finished stay; a transport failure stops the pass (the card is gone again) and is
 * thrown after the journal is saved.
 */
export async function recoverInterruptedSessions(
  ctx: LpaContext,
  link: Es10Link,
  journal: SessionJournal,
  signal?: AbortSignal,
): Promise<RecoveryResult[]> {
  const entries = [...(await journal.load())];
  if (entries.length === 0) return [];
  const deadline = AbortSignal.timeout(ctx.cleanupTimeoutMs);
  const sig = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const eid = entries.some((e) => e.eid !== undefined) ? await getEid(link, sig) : undefined;
  const results: RecoveryResult[] = [];
  const remaining: InterruptedSession[] = [];
  let failure: { error: unknown } | undefined;
  for (const entry of entries) {
    if (failure !== undefined || (entry.eid !== undefined && entry.eid !== eid)) {
      remaining.push(entry);
      continue;
    }
    ctx.emit({ operation: 'recovery', step: 'cancelSession' });
    try {
      const r = await recoverOne(ctx, link, entry, sig);
      results.push(r);
      if (r.outcome === 'kept') remaining.push(entry);
    } catch (e) {
      failure = { error: e };
      remaining.push(entry);
    }
  }
  await journal.save(remaining);
  if (failure !== undefined) throw toLpaError(failure.error, 'cancelSession', signal);
  return results;
}
