/**
 * The app's side of interrupted download sessions (src/lpa/interrupted.ts): the journal kept in
 * the browser's store, so a session cut off by an unplugged reader is still finished after the
 * page was reloaded, and one plain sentence per outcome (area `errors`, `recovery`), in the
 * language shown when the notice is made.
 */
import { textJournal } from '../../lpa/interrupted.ts';
import type { RecoveryResult, SessionJournal } from '../../lpa/interrupted.ts';
import type { KeyValueStore } from './idb-store.ts';
import { messages } from './i18n.svelte.ts';

export const JOURNAL_KEY = 'interrupted-sessions';

export function storeJournal(store: KeyValueStore): SessionJournal {
  return textJournal({
    read: () => store.get(JOURNAL_KEY),
    write: (text) =>
      text === undefined ? store.delete(JOURNAL_KEY) : store.put(JOURNAL_KEY, text),
  });
}

/** What to tell the user after interrupted sessions were dealt with; undefined for none. */
export function recoveryNotice(results: readonly RecoveryResult[]): string | undefined {
  if (results.length === 0) return undefined;
  const sentences = messages().errors.recovery;
  return results.map((r) => sentences[r.outcome](r.smdpAddress)).join(' ');
}
