/**
 * Node's way to a card in a PC/SC reader: list the readers pcscd knows, pick one by name or
 * index, connect (shared by default, exclusive on request; T=0 or T=1, whichever the card's ATR
 * offers first) and hand back the same SmartCardTransport the browser's Web Smart Card API uses,
 * watching the reader on a second context so a removal is seen between commands too.
 */
import { toHex } from '../../codec/index.ts';
import type { SmartCardReaderStateOut } from '../smartcard/api.ts';
import { SmartCardTransport, transportOptions } from '../smartcard/smartcard-transport.ts';
import type { SmartCardTransportOptions } from '../smartcard/smartcard-transport.ts';
import { watchCardRemoval, type RemovalWatch } from '../smartcard/watch.ts';
import { parseAtr } from '../webusb-ccid/atr.ts';
import { loadPcscBinding, type PcscBinding } from './binding.ts';
import { PcscContext } from './adapter.ts';
import type { PcscConnection } from './adapter.ts';
import { PcscError } from './errors.ts';

/** One reader as `reader list` shows it. */
export interface PcscReaderInfo {
  index: number;
  name: string;
  cardPresent: boolean;
  /** The card's ATR as upper-case hex, when a card is in. */
  atr?: string;
  /** Protocols the ATR offers, in order ("T=0", "T=1"); the first is the one PC/SC picks. */
  protocols?: string[];
  /** Another program has the card (shared), or holds it exclusively. */
  inUse: boolean;
  exclusive: boolean;
  /** The card does not answer (SCARD_STATE_MUTE). */
  mute: boolean;
}

export interface PcscOptions {
  /** The binding; default: the `smartcard` package, loaded now. */
  binding?: PcscBinding;
}

function bindingOf(options: PcscOptions): Promise<PcscBinding> {
  return options.binding !== undefined ? Promise.resolve(options.binding) : loadPcscBinding();
}

/** The protocols an ATR offers ("T=0", "T=1"), or undefined when it does not parse. */
export function atrProtocols(atr: Uint8Array): string[] | undefined {
  try {
    return parseAtr(atr).protocols.map((t) => `T=${t}`);
  } catch {
    return undefined;
  }
}

async function readerStates(context: PcscContext): Promise<SmartCardReaderStateOut[]> {
  const names = await context.listReaders();
  if (names.length === 0) return [];
  // 'unaware' makes PC/SC answer at once with each reader's present state.
  return context.getStatusChange(
    names.map((readerName) => ({ readerName, currentState: { unaware: true } })),
    { timeout: 0 },
  );
}

function info(state: SmartCardReaderStateOut, index: number): PcscReaderInfo {
  const s = state.eventState;
  const present = s.present === true;
  const atr =
    present && state.answerToReset !== undefined ? new Uint8Array(state.answerToReset) : undefined;
  const protocols = atr !== undefined ? atrProtocols(atr) : undefined;
  return {
    index,
    name: state.readerName,
    cardPresent: present,
    ...(atr !== undefined ? { atr: toHex(atr) } : {}),
    ...(protocols !== undefined ? { protocols } : {}),
    inUse: s.inuse === true,
    exclusive: s.exclusive === true,
    mute: s.mute === true,
  };
}

/** The readers PC/SC knows, in its order, with card presence and ATR. */
export async function listPcscReaders(options: PcscOptions = {}): Promise<PcscReaderInfo[]> {
  const context = new PcscContext(await bindingOf(options));
  try {
    return (await readerStates(context)).map(info);
  } finally {
    await context.release();
  }
}

/**
 * The reader `wanted` names: its exact name, its index in the list, or a part of its name that
 * no other reader shares. Undefined picks the first reader with a card in it.
 */
export function pickReader(
  states: readonly SmartCardReaderStateOut[],
  wanted: string | undefined,
): SmartCardReaderStateOut {
  if (states.length === 0)
    throw new PcscError('noReader', { responseCode: 'no-readers-available' });
  if (wanted === undefined) {
    const withCard = states.find((s) => s.eventState.present === true);
    if (withCard) return withCard;
    throw new PcscError('noCard', { responseCode: 'no-smartcard', detail: 'no reader has a card' });
  }
  const exact = states.find((s) => s.readerName === wanted);
  if (exact) return exact;
  if (/^\d+$/.test(wanted)) {
    const byIndex = states[Number(wanted)];
    if (byIndex) return byIndex;
  }
  const lower = wanted.toLowerCase();
  const partial = states.filter((s) => s.readerName.toLowerCase().includes(lower));
  if (partial.length === 1) return partial[0]!;
  const names = states.map((s, i) => `${i}: ${s.readerName}`).join('; ');
  throw new PcscError('unknownReader', {
    responseCode: 'unknown-reader',
    detail:
      partial.length > 1
        ? `"${wanted}" matches more than one reader: ${names}`
        : `"${wanted}" is none of ${names}`,
  });
}

export interface OpenPcscOptions extends PcscOptions {
  /** Reader name, index (as in `reader list`) or a unique part of its name. */
  reader?: string;
  /** Connect SCARD_SHARE_EXCLUSIVE: no other program may use the card meanwhile. */
  exclusive?: boolean;
  /** Called once when the card or its reader goes away (not when the link is closed). */
  onDisconnect?: () => void;
  /** Watch the reader for removal on a second context (default true). */
  watch?: boolean;
}

/**
 * A SmartCardTransport over a PC/SC reader that also releases its PC/SC contexts on close(),
 * and tells the card's ATR and the protocol in use.
 */
export class PcscTransport extends SmartCardTransport {
  constructor(
    private readonly connection: PcscConnection,
    /** The card's ATR as PC/SC reported it when connecting. */
    readonly atr: Uint8Array | undefined,
    private readonly release: () => Promise<void>,
    options: SmartCardTransportOptions,
  ) {
    super(connection, options);
  }

  /** "T=0" or "T=1": the protocol now in use (a reconnect after a reset may change it). */
  get protocol(): string | undefined {
    const p = this.connection.activeProtocol;
    return p === 't0' ? 'T=0' : p === 't1' ? 'T=1' : p;
  }

  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      await this.release();
    }
  }
}

/**
 * Connects to the card in a PC/SC reader. Every refusal is a PcscError with plain advice:
 * bindingMissing, noService, noReader, unknownReader, noCard, busy, unresponsiveCard, ...
 */
export async function openPcscTransport(options: OpenPcscOptions = {}): Promise<PcscTransport> {
  const binding = await bindingOf(options);
  const context = new PcscContext(binding);
  let watchContext: PcscContext | undefined;
  let watch: RemovalWatch | undefined;
  const release = async (): Promise<void> => {
    watch?.stop();
    watch = undefined;
    await Promise.all([context.release(), watchContext?.release()]);
  };
  try {
    const chosen = pickReader(await readerStates(context), options.reader);
    const s = chosen.eventState;
    if (s.unknown === true || s.unavailable === true)
      throw new PcscError('readerUnplugged', {
        responseCode: 'reader-unavailable',
        detail: chosen.readerName,
      });
    if (s.present !== true)
      throw new PcscError('noCard', { responseCode: 'no-smartcard', detail: chosen.readerName });
    if (s.mute === true)
      throw new PcscError('unresponsiveCard', {
        responseCode: 'unresponsive-card',
        detail: chosen.readerName,
      });
    const { connection } = await context.connect(
      chosen.readerName,
      options.exclusive === true ? 'exclusive' : 'shared',
      { preferredProtocols: ['t0', 't1'] },
    );
    const atr = chosen.answerToReset ? new Uint8Array(chosen.answerToReset) : undefined;
    const activeProtocol = connection.activeProtocol;
    const transport = new PcscTransport(
      connection,
      atr,
      release,
      transportOptions(chosen.readerName, activeProtocol, options.onDisconnect, () => {
        watch?.stop();
        watch = undefined;
      }),
    );
    if (options.watch !== false) {
      try {
        watchContext = new PcscContext(binding);
        watch = watchCardRemoval(watchContext, chosen, () => {
          transport.markLost();
        });
      } catch {
        // No second context: a removal still shows as TransportClosedError on the next command.
      }
    }
    return transport;
  } catch (err) {
    await release();
    throw err;
  }
}
