/**
 * The T=1 link of a TPDU-level slot: the block engine (tpdu-t1.ts) over one XfrBlock per block,
 * with blocks sized to the reader's message limit and the card's IFSC, WTX passed on as bBWI,
 * and the reader's "no block" / "garbled block" answers turned into T=1 error recovery.
 */
import { abortReason } from '../../base/async.ts';
import type { Atr } from './atr.ts';
import { CCID_HEADER_LENGTH, LevelParameter } from './ccid-messages.ts';
import { CcidError } from './errors.ts';
import type { CcidPipe } from './pipe.ts';
import { T1Engine, T1Error, T1_DEFAULT_IFS, T1_MAX_INF } from './tpdu-t1.ts';

/** bError values that mean the card's block did not arrive intact (CCID §6.2.6). */
const CCID_ICC_MUTE = 0xfe;
const CCID_XFR_PARITY_ERROR = 0xfd;
const CCID_XFR_OVERRUN = 0xfc;

export interface T1Link {
  protocol: 1;
  engine: T1Engine;
  signal: { current: AbortSignal | undefined };
}

/** IFSC from the ATR, or the default when TA for T=1 holds a reserved value (00, FF). */
export function validIfs(ifs: number): number {
  return ifs >= 1 && ifs <= T1_MAX_INF ? ifs : T1_DEFAULT_IFS;
}

/**
 * A reader's failed XfrBlock as the T=1 engine sees it: no block within BWT (ICC_MUTE) or a
 * garbled one (parity error, overrun) start error recovery; everything else passes through.
 */
export function t1ReceiveError(err: unknown): unknown {
  if (err instanceof CcidError && err.reason === 'slotError') {
    if (err.error === CCID_ICC_MUTE) {
      return new T1Error('no T=1 block from the card (ICC_MUTE)', 'timeout', false, { cause: err });
    }
    if (err.error === CCID_XFR_PARITY_ERROR || err.error === CCID_XFR_OVERRUN) {
      return new T1Error(`garbled T=1 block (${err.errorName ?? ''})`, 'parity', false, {
        cause: err,
      });
    }
  }
  return err;
}

/** The T=1 engine of `slot`: one block per XfrBlock, WTX passed on as bBWI. */
export function createT1Link(pipe: CcidPipe, slot: number, atr: Atr): T1Link {
  // A block is NAD PCB LEN + INF + up to 2 EDC bytes and must fit one CCID message.
  const room = pipe.maxMessageLength - CCID_HEADER_LENGTH - 5;
  const readerIfsd = pipe.descriptor.maxIfsd > 0 ? pipe.descriptor.maxIfsd : T1_MAX_INF;
  const limit = Math.max(1, Math.min(T1_MAX_INF, room));
  const signal: { current: AbortSignal | undefined } = { current: undefined };
  const engine = new T1Engine(
    async (block, wtx) => {
      if (signal.current?.aborted) throw abortReason(signal.current);
      try {
        const response = await pipe.xfr(
          slot,
          block,
          LevelParameter.whole,
          Math.min(wtx, 0xff),
          pipe.timeoutMs * Math.max(1, wtx),
        );
        return response.data;
      } catch (err) {
        throw t1ReceiveError(err);
      }
    },
    {
      ifsc: validIfs(atr.t1.ifsc),
      ifsd: Math.min(limit, readerIfsd),
      checksum: atr.t1.checksum,
      maxSendInf: limit,
    },
  );
  return { protocol: 1, engine, signal };
}
