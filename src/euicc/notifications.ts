/**
 * Notification encoding (docs/protocol.md §8): NotificationMetadata `BF2F`, the signed
 * OtherSignedNotification `30` for enable/disable/delete, and metadata extraction from a
 * stored PendingNotification.
 */
import {
  children,
  decodeOne,
  encodeBitString,
  encodeIccid,
  encodeTlv,
  fromHex,
  required,
} from '../codec/index.ts';
import { Es10Tag, Tag } from '../es10/tags.ts';
import { signTr03111 } from '../rsp/index.ts';
import { intTlv, utf8Tlv } from './der.ts';
import type { ParsedIdentity } from './identity.ts';
import type { NotificationRecord } from './state.ts';

/** NotificationMetadata `BF2F { 80 seq, 81 event, 0C address, [5A iccid] }`. */
export function encodeNotificationMetadata(
  seqNumber: number,
  event: number,
  address: string,
  iccid?: string,
): Uint8Array {
  const parts = [
    intTlv(0x80, seqNumber),
    encodeTlv(0x81, encodeBitString([event])),
    utf8Tlv(Tag.Utf8String, address),
  ];
  if (iccid !== undefined)
    parts.push(encodeTlv(Tag.Iccid, encodeIccid(iccid, { checkLuhn: false })));
  return encodeTlv(Es10Tag.NotificationMetadata, ...parts);
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
  const tbs = encodeNotificationMetadata(seqNumber, event, address, iccid);
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
