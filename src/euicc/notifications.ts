/**
 * Notification encoding (docs/protocol.md §8): the signed OtherSignedNotification `30` for
 * enable/disable/delete, and metadata extraction from a stored PendingNotification. The
 * NotificationMetadata `BF2F` itself is the LPA's encoder (src/es10/encode.ts): one codec for
 * both sides.
 */
import { children, decodeOne, encodeTlv, fromHex, required } from '../codec/index.ts';
import { encodeNotificationMetadata } from '../es10/encode.ts';
import { Es10Tag, NotificationEvent, Tag } from '../es10/tags.ts';
import type { NotificationEventName } from '../es10/tags.ts';
import { signTr03111 } from '../rsp/index.ts';
import type { ParsedIdentity } from './identity.ts';
import type { NotificationRecord } from './state.ts';

const EVENT_NAMES = Object.keys(NotificationEvent) as NotificationEventName[];

/** The NotificationEvent name of a stored event number (0 install, 1 enable, 2 disable, 3 delete). */
export function notificationEventName(event: number): NotificationEventName {
  const name = EVENT_NAMES.find((n) => NotificationEvent[n] === event);
  if (name === undefined) throw new RangeError(`not a NotificationEvent: ${event}`);
  return name;
}

/**
 * OtherSignedNotification: `30 { BF2F tbs, 5F37 sig(tbs), 30 euiccCert, 30 eumCert }`
 * (docs/protocol.md §7.2: the signature covers the whole BF2F TLV).
 */
export function encodeOtherSignedNotification(
  id: ParsedIdentity,
  seqNumber: number,
  event: number,
  address: string,
  iccid: string,
): Uint8Array {
  const tbs = encodeNotificationMetadata({
    seqNumber,
    profileManagementOperation: notificationEventName(event),
    notificationAddress: address,
    iccid,
  });
  const signature = signTr03111(id.key, tbs);
  return encodeTlv(
    Tag.Sequence,
    tbs,
    encodeTlv(Tag.Signature, signature),
    id.euiccCert,
    id.eumCert,
  );
}

/** The exact `BF2F` metadata TLV inside a stored PendingNotification. */
export function metadataOf(record: NotificationRecord): Uint8Array {
  const pending = decodeOne(fromHex(record.pending));
  if (pending.tag === Es10Tag.ProfileInstallationResult) {
    const data = required(children(pending), Es10Tag.ProfileInstallationResultData, pending);
    return required(children(data), Es10Tag.NotificationMetadata, data).raw;
  }
  return required(children(pending), Es10Tag.NotificationMetadata, pending).raw;
}
