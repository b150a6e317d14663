/**
 * Replay detection for ES9+.HandleNotification (SGP.22 v2.2.2 §5.6.4). The function always
 * answers 204, so a replayed notification is recognised here and recorded as a duplicate
 * without changing any counter.
 *
 * Key: (EID, seqNumber, transactionId) for a ProfileInstallationResult, (EID, seqNumber,
 * event) for other notifications; the eUICC's seqNumber grows with every notification it
 * creates, so a genuine new notification never repeats a key. Only verified notifications are
 * remembered, so a forged one cannot shadow the genuine one that follows it.
 *
 * Memory bound: the keys of the last MAX_NOTIFICATION_KEYS verified notifications (about
 * 100 bytes each, ~1 MB); older keys are forgotten first.
 */
import { BoundedMap } from './sessions.ts';

export const MAX_NOTIFICATION_KEYS = 10_000;

export function installKey(eid: string, seqNumber: number, transactionIdHex: string): string {
  return `${eid}/${seqNumber}/tx:${transactionIdHex.toUpperCase()}`;
}

export function eventKey(eid: string, seqNumber: number, event: string): string {
  return `${eid}/${seqNumber}/event:${event}`;
}

export class ReplayGuard {
  private readonly seen: BoundedMap<string, true>;
  constructor(max = MAX_NOTIFICATION_KEYS) {
    this.seen = new BoundedMap(max);
  }

  /** True when the key was seen before (a replay); remembers it either way. */
  replayed(key: string): boolean {
    const before = this.seen.has(key);
    this.seen.set(key, true);
    return before;
  }
}
