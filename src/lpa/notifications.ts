/**
 * Notification delivery (docs/protocol.md §8): list -> retrieve the signed notification -> ES9+
 * handleNotification -> only on success RemoveNotificationFromList. A failed send keeps the
 * notification on the eUICC and is reported, never thrown, so one bad server does not block others.
 */
import type { Es10Link } from '../apdu/es10-link.ts';
import {
  listNotification,
  removeNotificationFromList,
  retrieveNotificationsList,
} from '../es10/index.ts';
import type { NotificationEventName, NotificationMetadata } from '../es10/index.ts';
import type { LpaContext } from './context.ts';
import { LpaError, toLpaError } from './errors.ts';

export * from './notification-policy.ts';

export interface NotificationSendResult {
  seqNumber: number;
  profileManagementOperation: NotificationEventName;
  notificationAddress: string;
  iccid?: string;
  /** The server acknowledged it (HTTP 204). */
  sent: boolean;
  /** It was removed from the eUICC (only ever after `sent`). */
  removed: boolean;
  /** Not sent because the policy keeps this kind on the eUICC until the user sends it. */
  kept?: true;
  error?: LpaError;
}

function resultOf(
  m: NotificationMetadata,
  sent: boolean,
  removed: boolean,
  error?: LpaError,
): NotificationSendResult {
  return {
    seqNumber: m.seqNumber,
    profileManagementOperation: m.profileManagementOperation,
    notificationAddress: m.notificationAddress,
    ...(m.iccid !== undefined ? { iccid: m.iccid } : {}),
    sent,
    removed,
    ...(error ? { error } : {}),
  };
}

/**
 * Sends one signed notification (exact bytes) to its address and removes it on success.
 * Card errors while removing are reported in the result (the server has it already).
 */
export async function deliver(
  ctx: LpaContext,
  link: Es10Link,
  metadata: NotificationMetadata,
  pendingNotification: Uint8Array,
  signal?: AbortSignal,
): Promise<NotificationSendResult> {
  try {
    await ctx.es9p.handleNotification(
      { address: metadata.notificationAddress, pendingNotification },
      signal,
    );
  } catch (e) {
    return resultOf(metadata, false, false, toLpaError(e, 'handleNotification', signal));
  }
  try {
    await removeNotificationFromList(link, metadata.seqNumber, signal);
    return resultOf(metadata, true, true);
  } catch (e) {
    return resultOf(metadata, true, false, toLpaError(e, 'removeNotificationFromList', signal));
  }
}

/** The result for a notification the policy keeps on the eUICC: nothing sent, nothing removed. */
export function keptResult(metadata: NotificationMetadata): NotificationSendResult {
  return { ...resultOf(metadata, false, false), kept: true };
}

/** Whether the policy sends notifications of `metadata`'s kind right after their operation. */
export function sentAtOnce(ctx: LpaContext, metadata: NotificationMetadata): boolean {
  return ctx.notificationPolicy[metadata.profileManagementOperation] === 'send';
}

/** Retrieves and delivers the notification `seqNumber`. Throws only if it cannot be read. */
export async function sendOne(
  ctx: LpaContext,
  link: Es10Link,
  seqNumber: number,
  signal?: AbortSignal,
): Promise<NotificationSendResult> {
  const found = await retrieveNotificationsList(link, { seqNumber }, signal);
  const n = found.find((x) => x.metadata.seqNumber === seqNumber);
  if (!n)
    throw new LpaError('badRequest', `There is no pending notification number ${seqNumber}.`, {
      details: { seqNumber },
    });
  return deliver(ctx, link, n.metadata, n.raw, signal);
}

/** Delivers every pending notification (or those with the given sequence numbers), in order. */
export async function sendMany(
  ctx: LpaContext,
  link: Es10Link,
  only?: readonly number[],
  signal?: AbortSignal,
): Promise<NotificationSendResult[]> {
  const list = await listNotification(link, undefined, signal);
  const wanted = only ? list.filter((m) => only.includes(m.seqNumber)) : list;
  const out: NotificationSendResult[] = [];
  for (const m of wanted.sort((a, b) => a.seqNumber - b.seqNumber)) {
    signal?.throwIfAborted();
    out.push(await sendOne(ctx, link, m.seqNumber, signal));
  }
  return out;
}

/**
 * Runs a profile operation, then sends the notifications it created (those whose sequence numbers
 * were not pending before the operation) whose kind the policy sends; the others stay on the
 * eUICC and are reported as kept.
 */
export async function withNotifications(
  ctx: LpaContext,
  link: Es10Link,
  op: () => Promise<void>,
  signal?: AbortSignal,
): Promise<NotificationSendResult[]> {
  if (!Object.values(ctx.notificationPolicy).includes('send')) {
    await op();
    return [];
  }
  const before = new Set((await listNotification(link, undefined, signal)).map((m) => m.seqNumber));
  await op();
  const after = await listNotification(link, undefined, signal);
  const fresh = after.filter((m) => !before.has(m.seqNumber));
  const toSend = fresh.filter(
    (m) => ctx.notificationPolicy[m.profileManagementOperation] === 'send',
  );
  const kept = fresh
    .filter((m) => ctx.notificationPolicy[m.profileManagementOperation] !== 'send')
    .map(keptResult);
  if (toSend.length === 0) return kept;
  const sent = await sendMany(
    ctx,
    link,
    toSend.map((m) => m.seqNumber),
    signal,
  );
  return [...sent, ...kept].sort((a, b) => a.seqNumber - b.seqNumber);
}
