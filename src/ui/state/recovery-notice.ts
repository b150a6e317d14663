/**
 * The app's side of interrupted download sessions (src/lpa/interrupted.ts): the journal kept in
 * the browser's store, so a session cut off by an unplugged reader is still finished after the
 * page was reloaded, and one plain sentence per outcome.
 */
import { textJournal } from '../../lpa/interrupted.ts';
import type { RecoveryResult, SessionJournal } from '../../lpa/interrupted.ts';
import type { KeyValueStore } from './idb-store.ts';

export const JOURNAL_KEY = 'interrupted-sessions';

export function storeJournal(store: KeyValueStore): SessionJournal {
  return textJournal({
    read: () => store.get(JOURNAL_KEY),
    write: (text) =>
      text === undefined ? store.delete(JOURNAL_KEY) : store.put(JOURNAL_KEY, text),
  });
}

function sentence(r: RecoveryResult): string {
  const at = r.smdpAddress;
  switch (r.outcome) {
    case 'installed':
      return `The interrupted download from ${at} was finished: the profile is installed.`;
    case 'cancelled':
      return `The interrupted download from ${at} was cancelled on the eUICC and at the server.`;
    case 'reported':
      return `The interrupted download from ${at} was reported to the server as failed; its session is closed.`;
    case 'notificationPending':
      return `The interrupted download from ${at} left a failure notification: send it from Notifications so the server closes its session.`;
    case 'expires':
      return `The interrupted download from ${at} could not be cancelled: the eUICC had already dropped it. The server ends it when it expires.`;
    case 'refused':
      return `The server ${at} had already closed the interrupted download.`;
    case 'kept':
      return `The interrupted download from ${at} could not be cancelled yet (the server did not answer); this is tried again on the next connection.`;
  }
}

/** What to tell the user after interrupted sessions were dealt with; undefined for none. */
export function recoveryNotice(results: readonly RecoveryResult[]): string | undefined {
  if (results.length === 0) return undefined;
  return results.map(sentence).join(' ');
}
