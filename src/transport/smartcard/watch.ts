/**
 * Watches one reader for the card going away, with SmartCardContext.getStatusChange() (PC/SC
 * SCardGetStatusChange: resolves when the reader's state differs from the state passed in).
 * Run it on a context of its own: a pending getStatusChange() keeps its context busy (WICG Web
 * Smart Card API, SmartCardContext [[operationInProgress]]), which would block transmit().
 */
import { pause } from '../../base/async.ts';
import type {
  SmartCardContextLike,
  SmartCardReaderStateFlagsIn,
  SmartCardReaderStateFlagsOut,
  SmartCardReaderStateOut,
} from './api.ts';
import { responseCodeOf } from './api.ts';
import { CARD_GONE_CODES } from './errors.ts';

export interface RemovalWatch {
  /** Stops watching (cancels the pending getStatusChange); `onGone` is not called after this. */
  stop(): void;
}

/** The state flags both directions of getStatusChange() carry (WICG web-smart-card). */
export const STATE_FLAGS = [
  'unavailable',
  'empty',
  'present',
  'exclusive',
  'inuse',
  'mute',
  'unpowered',
] as const;

/** The flags of an observed state that getStatusChange() takes back as "what I believe". */
export function flagsIn(out: SmartCardReaderStateFlagsOut): SmartCardReaderStateFlagsIn {
  const flags: SmartCardReaderStateFlagsIn = {};
  for (const k of STATE_FLAGS) if (out[k] === true) flags[k] = true;
  return flags;
}

function sameFlags(a: SmartCardReaderStateFlagsIn, b: SmartCardReaderStateFlagsIn): boolean {
  return STATE_FLAGS.every((k) => (a[k] === true) === (b[k] === true));
}

/**
 * Whether the card we connected to is gone: no card, reader unavailable or unknown, or the
 * insertion/removal count moved (the card was swapped between two looks; stacks that do not
 * count always report 0).
 */
export function cardGone(state: SmartCardReaderStateOut, knownCount: number): boolean {
  const s = state.eventState;
  if (s.unknown === true || s.unavailable === true || s.empty === true) return true;
  if (s.present !== true) return true;
  return state.eventCount !== knownCount;
}

/**
 * Calls `onGone` once when the card in `readerName` (last seen as `known`) is removed or the
 * reader goes away. A failure that says nothing about the card ends the watch quietly: a removal
 * then still shows as TransportClosedError on the next command.
 */
export function watchCardRemoval(
  context: SmartCardContextLike,
  known: SmartCardReaderStateOut,
  onGone: () => void,
  options: { idleMs?: number } = {},
): RemovalWatch {
  const controller = new AbortController();
  const signal = controller.signal;
  const readerName = known.readerName;
  const idleMs = options.idleMs ?? 1000;
  let current = flagsIn(known.eventState);
  const count = known.eventCount;

  const loop = async (): Promise<void> => {
    while (!signal.aborted) {
      let states: SmartCardReaderStateOut[];
      try {
        states = await context.getStatusChange(
          [{ readerName, currentState: current, currentCount: count }],
          { signal },
        );
      } catch (err) {
        if (signal.aborted) return;
        const code = responseCodeOf(err);
        if (code !== undefined && (CARD_GONE_CODES.has(code) || code === 'no-service')) onGone();
        return;
      }
      if (signal.aborted) return;
      const state = states.find((s) => s.readerName === readerName) ?? states[0];
      if (!state) return;
      if (cardGone(state, count)) {
        onGone();
        return;
      }
      const next = flagsIn(state.eventState);
      // A stack that answers at once without a change would otherwise spin this loop.
      if (sameFlags(next, current)) await pause(idleMs, signal);
      current = next;
    }
  };
  void loop().catch(() => undefined);
  return {
    stop: () => {
      controller.abort();
    },
  };
}
