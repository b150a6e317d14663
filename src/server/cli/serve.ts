/**
 * `lpa euicc serve --vpcd [host:port] --state card.json [--t1]`: the software eUICC in a state
 * file becomes a card in vsmartcard's virtual reader (vpcd), so any PC/SC program (pcscd +
 * pcsc-lite: lpac, pySim, opensc-tool, scriptor) sees it as a real card. The state file stays
 * locked while it is served (src/server/cli/lock.ts), so no CLI command changes it meanwhile.
 *
 * T=0 (default) or T=1: the ATR offers one protocol (src/server/vpcd/atr.ts). vpcd and pcsc-lite
 * pass APDUs through unchanged, so the card itself behaves as its protocol does: on T=0 it never
 * returns data to a case 4 command (SELECT with FCI, STORE DATA) but answers 61xx and the
 * program fetches the data with GET RESPONSE, as with a real T=0 card in a reader whose driver
 * leaves 61xx to the application (PC/SC does); on T=1 the data comes with the response when Le
 * allows it (61xx only when it is longer than Ne or no Le was sent).
 */
import { readFileSync } from 'node:fs';
import { toHex } from '../../codec/index.ts';
import { atrFor } from '../vpcd/atr.ts';
import { ServedCard } from '../vpcd/card.ts';
import { parseVpcdAddress, runVpcdLink, VpcdAddressError } from '../vpcd/link.ts';
import type { VpcdLinkOptions } from '../vpcd/link.ts';
import { UsageError } from './json.ts';
import { acquireStateLock, DEFAULT_LOCK_TIMEOUT_MS } from './lock.ts';
import type { StateLock } from './lock.ts';
import { parseEuiccState, readStateText, writeFileDurably } from './stack.ts';

export interface EuiccServeOptions {
  /** The software eUICC state file. */
  state: string;
  /** vpcd's address, host:port; default 127.0.0.1:35963 (vpcd's first reader). */
  vpcd?: string;
  /** Offer T=1 instead of T=0. */
  t1?: boolean;
  /** How long to wait for another process holding the state file (default 30 s). */
  lockTimeoutMs?: number;
  log: (line: string) => void;
  /** Stops serving; without it SIGINT and SIGTERM stop it. */
  signal?: AbortSignal;
  /** Back-off between connection attempts (default 250 ms doubling to 5 s). */
  backoff?: { initialMs: number; maxMs: number };
  /** false: stop when the first connection to vpcd closes instead of connecting again. */
  reconnect?: boolean;
  /** Called once the card is ready, and with every connection made (tests wait for these). */
  onReady?: (card: ServedCard) => void;
  onConnected?: () => void;
}

/** True when this process already holds `<state>.lock` (the caller locked the file for us). */
function lockedByThisProcess(statePath: string): boolean {
  try {
    const holder = JSON.parse(readFileSync(`${statePath}.lock`, 'utf8')) as { pid?: unknown };
    return holder.pid === process.pid;
  } catch {
    return false;
  }
}

/**
 * Serves the eUICC in `o.state` to vpcd until `o.signal` aborts (without a signal: SIGINT or
 * SIGTERM), reconnecting whenever vpcd is not there or goes away (unless `reconnect: false`).
 * Holds the state file's lock all the while, unless this process holds it already.
 */
export async function euiccServe(o: EuiccServeOptions): Promise<void> {
  let address;
  try {
    address = parseVpcdAddress(o.vpcd);
  } catch (e) {
    if (e instanceof VpcdAddressError) throw new UsageError(`--vpcd: ${e.message}`);
    throw e;
  }
  const t1 = o.t1 ?? false;
  const lock: StateLock | undefined = lockedByThisProcess(o.state)
    ? undefined
    : await acquireStateLock(o.state, { timeoutMs: o.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS });
  const stop = new AbortController();
  const onSignal = (): void => {
    stop.abort();
  };
  const signals = o.signal ? [] : (['SIGINT', 'SIGTERM'] as const);
  for (const s of signals) process.once(s, onSignal);
  const forward = (): void => {
    stop.abort();
  };
  o.signal?.addEventListener('abort', forward, { once: true });
  if (o.signal?.aborted) stop.abort();
  let card: ServedCard | undefined;
  try {
    const text = readStateText(o.state);
    const t0 = !t1;
    const atr = atrFor(t1);
    card = new ServedCard({
      euicc: parseEuiccState(text, o.state, { t0 }),
      atr,
      loadedText: text,
      save: (t) => {
        writeFileDurably(o.state, t);
      },
      reload: (t) => parseEuiccState(t, o.state, { t0 }),
      log: o.log,
    });
    o.log(
      `serving eUICC ${card.euicc.eid} from ${o.state} to vpcd at ${address.host}:${address.port} ` +
        `(T=${t1 ? 1 : 0}, ATR ${toHex(atr)})`,
    );
    o.onReady?.(card);
    const link: VpcdLinkOptions = {
      address,
      card,
      log: o.log,
      signal: stop.signal,
    };
    if (o.backoff) link.backoff = o.backoff;
    if (o.reconnect !== undefined) link.reconnect = o.reconnect;
    if (o.onConnected) link.onConnected = o.onConnected;
    await runVpcdLink(link);
  } finally {
    // Out of the reader: power gone (an interrupted install is recorded and saved).
    card?.removed();
    for (const s of signals) process.removeListener(s, onSignal);
    o.signal?.removeEventListener('abort', forward);
    lock?.release();
    o.log('vpcd: stopped serving');
  }
}
