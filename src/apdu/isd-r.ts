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
import type { Card } from './card.ts';
import { BasicChannel, LogicalChannel, NativeChannel } from './channel.ts';
import type { ApduChannel } from './channel.ts';
import type { CommandApdu } from './command.ts';
import type { Es10Link } from './es10-link.ts';
import { ApduError, IsdRNotFoundError } from './errors.ts';
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

/** The selected ISD-R on its channel: implements Es10Link with STORE DATA. */
export class IsdR implements Es10Link {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    /** The channel the ISD-R is selected on. */
    readonly channel: ApduChannel,
    /** The AID that answered. */
    readonly aid: Uint8Array,
    /** The SELECT response (FCI `6F...`); undefined when the link selected it (native). */
    readonly selectResponse: Uint8Array | undefined,
    /** Bytes per STORE DATA block. */
    readonly blockSize: number,
  ) {}

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
    let commands: CommandApdu[];
    try {
      commands = storeDataCommands(request, this.blockSize);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    const run = this.tail.then(async () => {
      for (const [i, cmd] of commands.entries()) {
        const { data } = await this.channel.transmit(cmd, signal);
        if (i === commands.length - 1 || data.length > 0) return data;
      }
      return new Uint8Array(0);
    });
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
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
  const blockSize = storeDataBlockSize(card.transport.maxStoreDataBlock, options.storeDataBlock);
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
        return new IsdR(channel, aid, undefined, blockSize);
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
        return new IsdR(channel, aid, fci, blockSize);
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
