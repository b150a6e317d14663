/**
 * Finding and talking to the ISD-R, the eUICC's root security domain that answers ES10
 * (SGP.22 §2.2, §5.7; docs/protocol.md §1, §2).
 *
 * The standard AID is tried first, then the AIDs of removable eUICCs that do not use it, in
 * order; a caller-given list replaces the whole list. Over links that manage channels
 * themselves (AT+CCHO) the link opens and selects; otherwise a logical channel is opened with
 * MANAGE CHANNEL and each AID is SELECTed on it.
 */
import { fromHex, toHex } from '../codec/index.ts';
import { TransportClosedError } from '../transport/transport.ts';
import type { Transport } from '../transport/transport.ts';
import type { Card } from './card.ts';
import { BasicChannel, LogicalChannel, NativeChannel } from './channel.ts';
import type { ApduChannel } from './channel.ts';
import type { CommandApdu } from './command.ts';
import type { Es10Link } from './es10-link.ts';
import { ApduError, IsdRNotFoundError, StoreDataBlockRefusedError } from './errors.ts';
import { MAX_STORE_DATA_BLOCK, storeDataCommands } from './store-data.ts';

export interface IsdRAid {
  readonly name: string;
  /** Upper-case hex. */
  readonly aid: string;
}

/** ISD-R AIDs probed by default, in order (docs/protocol.md §1). */
export const ISD_R_AIDS: readonly IsdRAid[] = Object.freeze([
  { name: 'GSMA standard', aid: 'A0000005591010FFFFFFFF8900000100' },
  { name: 'eSIM.me', aid: 'A0000005591010000000008900000300' },
  { name: '5ber', aid: 'A0000005591010FFFFFFFF8900050500' },
  { name: 'Xesim', aid: 'A0000005591010FFFFFFFF8900000177' },
  { name: 'LinksField', aid: 'A000000559104C696E6B736669656C64' },
]);

/**
 * TERMINAL CAPABILITY (ETSI TS 102 221 §11.1.19) as LPAs send it: template A9 with
 * 81 00 (no extended logical channels), 82 01 01 (UICC-CLF), 83 01 07 (eUICC: LUId, LPDd, LDSd).
 */
export const TERMINAL_CAPABILITY: CommandApdu = Object.freeze({
  cla: 0x80,
  ins: 0xaa,
  p1: 0x00,
  p2: 0x00,
  data: fromHex('A9088100820101830107'),
});

export interface OpenIsdROptions {
  /** AIDs to try instead of ISD_R_AIDS, in order. */
  aids?: readonly Uint8Array[];
  /** STORE DATA block size the user wants (1..255); the link's limit still applies. */
  storeDataBlock?: number;
  signal?: AbortSignal;
  /** Told when the eUICC or the link refused a block and smaller blocks are used from now on. */
  onStoreDataBlockFallback?: (blockSize: number) => void;
  /**
   * Send TERMINAL CAPABILITY on the basic channel first (default off). `true` sends the
   * template above; bytes send that command data instead. A refusal is ignored.
   */
  terminalCapability?: boolean | Uint8Array;
}

/** The block size for a link: min(user override, link's limit, 255), at least 1. */
export function storeDataBlockSize(linkMax: number, override?: number): number {
  if (
    override !== undefined &&
    (!Number.isInteger(override) || override < 1 || override > MAX_STORE_DATA_BLOCK)
  )
    throw new RangeError(`STORE DATA block size ${override} is outside 1..${MAX_STORE_DATA_BLOCK}`);
  const link = Number.isInteger(linkMax) && linkMax >= 1 ? linkMax : MAX_STORE_DATA_BLOCK;
  return Math.min(override ?? MAX_STORE_DATA_BLOCK, link, MAX_STORE_DATA_BLOCK);
}

/**
 * The block size that every eUICC and AT link carries, used after a larger block was refused:
 * SW 6700 (wrong length) or 6601 from the eUICC, or an AT modem that refused the long line.
 */
export const FALLBACK_STORE_DATA_BLOCK = 120;

/** Links whose eUICC refused larger blocks: the next openIsdR on them starts at the fallback. */
const refusedBlocks = new WeakMap<Transport, number>();

/** A refusal of a block that smaller blocks avoid (see FALLBACK_STORE_DATA_BLOCK). */
function isBlockRefusal(e: unknown): boolean {
  if (e instanceof ApduError) return e.sw === 0x6700 || e.sw === 0x6601;
  // AT transports mark a long STORE DATA line the modem refused (webserial-at/at-transport.ts).
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { storeDataBlockRefused?: unknown }).storeDataBlockRefused === true
  );
}

/**
 * A Bound Profile Package segment (SGP.22 v2.2.2 §5.7.6: BF36 header, then A0-A3 sequences and
 * their 86/88 elements): a refused block there ends the download (cancel), never a retry.
 */
function isBppSegment(request: Uint8Array): boolean {
  const t = request[0];
  if (t === 0xbf) return request[1] === 0x36;
  return t !== undefined && [0xa0, 0xa1, 0xa2, 0xa3, 0x86, 0x88].includes(t);
}

/** The selected ISD-R on its channel: implements Es10Link with STORE DATA. */
export class IsdR implements Es10Link {
  private tail: Promise<void> = Promise.resolve();
  #blockSize: number;
  #onFallback: ((blockSize: number) => void) | undefined;
  #transport: Transport | undefined;

  constructor(
    /** The channel the ISD-R is selected on. */
    readonly channel: ApduChannel,
    /** The AID that answered. */
    readonly aid: Uint8Array,
    /** The SELECT response (FCI `6F...`); undefined when the link selected it (native). */
    readonly selectResponse: Uint8Array | undefined,
    /** Bytes per STORE DATA block. */
    blockSize: number,
    /** Automatic fallback to FALLBACK_STORE_DATA_BLOCK on a refused block (no user override). */
    fallback?: { transport: Transport; onFallback?: (blockSize: number) => void },
  ) {
    this.#blockSize = blockSize;
    this.#transport = fallback?.transport;
    this.#onFallback = fallback?.onFallback;
  }

  /** Bytes per STORE DATA block (lowered once when the eUICC or the link refused a block). */
  get blockSize(): number {
    return this.#blockSize;
  }

  /** The logical channel number (0 = basic), or undefined on a link-managed channel. */
  get channelNumber(): number | undefined {
    return this.channel.number;
  }

  /**
   * One ES10 call: the request goes out as STORE DATA blocks and the response data of the last
   * block (with any 61xx chain already followed by the Card) comes back. Calls on one IsdR
   * run one at a time so their blocks never interleave. An eUICC that answers with data before
   * the last block has refused the request early: that answer is returned and no more blocks
   * are sent.
   */
  es10(request: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    try {
      storeDataCommands(request, this.#blockSize);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    const run = this.tail.then(async () => {
      try {
        return await this.#send(request, signal);
      } catch (e) {
        if (!this.#fallBack(e)) throw e;
        // SGP.22 §5.7.6: a refused segment is not sent again; the download is cancelled.
        if (isBppSegment(request)) throw new StoreDataBlockRefusedError(this.#blockSize, e);
        return this.#send(request, signal);
      }
    });
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #send(request: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const commands = storeDataCommands(request, this.#blockSize);
    for (const [i, cmd] of commands.entries()) {
      const { data } = await this.channel.transmit(cmd, signal);
      if (i === commands.length - 1 || data.length > 0) return data;
    }
    return new Uint8Array(0);
  }

  /** Lowers the block size after a refusal of a larger block; false when that does not apply. */
  #fallBack(e: unknown): boolean {
    if (!this.#transport || this.#blockSize <= FALLBACK_STORE_DATA_BLOCK || !isBlockRefusal(e))
      return false;
    this.#blockSize = FALLBACK_STORE_DATA_BLOCK;
    refusedBlocks.set(this.#transport, FALLBACK_STORE_DATA_BLOCK);
    this.#onFallback?.(FALLBACK_STORE_DATA_BLOCK);
    return true;
  }

  /** Closes the channel (MANAGE CHANNEL close, or the link's own close). */
  close(signal?: AbortSignal): Promise<void> {
    return this.channel.close(signal);
  }
}

/** Errors that end the probing at once: the caller gave up, or the link is gone. */
function isFatal(e: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted === true || e instanceof TransportClosedError;
}

/**
 * Finds the ISD-R and returns it selected on a channel of its own: a native channel where the
 * link has them, else a logical channel from MANAGE CHANNEL, else (the card refuses MANAGE
 * CHANNEL) the basic channel. Every AID is tried in order; any refusal moves to the next one.
 * On failure nothing stays open.
 */
export async function openIsdR(card: Card, options: OpenIsdROptions = {}): Promise<IsdR> {
  const { signal } = options;
  const aids = options.aids ?? ISD_R_AIDS.map((a) => fromHex(a.aid));
  if (aids.length === 0) throw new RangeError('no ISD-R AID to try');
  // The user's block size is kept as given; otherwise a size refused before on this link is not
  // tried again.
  const override = options.storeDataBlock;
  const remembered = override === undefined ? refusedBlocks.get(card.transport) : undefined;
  const blockSize = storeDataBlockSize(
    Math.min(card.transport.maxStoreDataBlock, remembered ?? MAX_STORE_DATA_BLOCK),
    override,
  );
  const fallback =
    override === undefined
      ? {
          transport: card.transport,
          ...(options.onStoreDataBlockFallback
            ? { onFallback: options.onStoreDataBlockFallback }
            : {}),
        }
      : undefined;
  const tried: string[] = [];
  let lastSw: number | undefined;
  let lastError: unknown;

  if (options.terminalCapability !== undefined && options.terminalCapability !== false) {
    const data =
      options.terminalCapability === true ? TERMINAL_CAPABILITY.data : options.terminalCapability;
    try {
      await card.transmit({ ...TERMINAL_CAPABILITY, ...(data ? { data } : {}) }, signal);
    } catch (e) {
      // Optional information for the card: a card that does not know it still works.
      if (!(e instanceof ApduError)) throw e;
    }
  }

  if (card.hasNativeChannels) {
    for (const aid of aids) {
      tried.push(toHex(aid));
      try {
        const channel = await NativeChannel.open(card, aid, signal);
        return new IsdR(channel, aid, undefined, blockSize, fallback);
      } catch (e) {
        if (isFatal(e, signal)) throw e;
        lastError = e;
        if (e instanceof ApduError) lastSw = e.sw;
      }
    }
    throw new IsdRNotFoundError(tried, lastSw, { cause: lastError });
  }

  let channel: LogicalChannel | BasicChannel;
  try {
    channel = await LogicalChannel.open(card, signal);
  } catch (e) {
    // 6881 (no logical channels), 6D00/6E00 (no MANAGE CHANNEL): use the basic channel.
    if (!(e instanceof ApduError)) throw e;
    channel = new BasicChannel(card);
  }
  try {
    for (const aid of aids) {
      tried.push(toHex(aid));
      try {
        const fci = await channel.select(aid, signal);
        return new IsdR(channel, aid, fci, blockSize, fallback);
      } catch (e) {
        if (!(e instanceof ApduError)) throw e;
        lastError = e;
        lastSw = e.sw;
      }
    }
  } catch (e) {
    await channel.close().catch(() => undefined);
    throw e;
  }
  await channel.close(signal).catch(() => undefined);
  throw new IsdRNotFoundError(tried, lastSw, { cause: lastError });
}
