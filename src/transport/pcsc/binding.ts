/**
 * The part of the `smartcard` npm package (an N-API binding to the system's PC/SC library:
 * pcsc-lite's libpcsclite on Linux, winscard on Windows, PCSC.framework on macOS) this transport
 * uses, typed structurally so tests hand in a fake and nothing else in the project needs the
 * package. It is an optional dependency and loaded only when a command asks for a reader.
 *
 * The binding's calls map one to one onto PC/SC: new Context() = SCardEstablishContext,
 * listReaders() = SCardListReaders plus one SCardGetStatusChange, waitForChange() =
 * SCardGetStatusChange (resolves null when cancelled, [] on timeout), cancel() = SCardCancel,
 * Reader.connect() = SCardConnect, Card.transmit() = SCardTransmit, getStatus() = SCardStatus,
 * reconnect() = SCardReconnect, disconnect() = SCardDisconnect. Failures are plain Errors whose
 * message is the binding's text for the PC/SC code ("Card was removed", ...).
 */
import { PcscError } from './errors.ts';

/** A reader as listReaders() returns it. */
export interface PcscNativeReader {
  readonly name: string;
  /** SCARD_STATE_* flags; the high 16 bits count card insertions and removals. */
  readonly state: number;
  readonly atr: Uint8Array | null;
  connect(shareMode?: number, protocol?: number): Promise<PcscNativeCard>;
}

/** One reader's state as waitForChange() reports it. */
export interface PcscNativeReaderState {
  name: string;
  state: number;
  changed: boolean;
  atr: Uint8Array | null;
}

export interface PcscNativeCard {
  /** The active protocol (SCARD_PROTOCOL_T0 / T1 / RAW). */
  readonly protocol: number;
  readonly connected: boolean;
  transmit(command: Buffer, options?: { maxRecvLength?: number }): Promise<Uint8Array>;
  /** SCardStatus: `state` holds SCARD_ABSENT..SCARD_SPECIFIC bits. Throws on failure. */
  getStatus(): { state: number; protocol: number; atr: Uint8Array };
  disconnect(disposition?: number): void;
  reconnect(shareMode?: number, protocol?: number, initialization?: number): Promise<number>;
}

export interface PcscNativeContext {
  readonly isValid: boolean;
  listReaders(): PcscNativeReader[];
  waitForChange(
    readers?: { name: string; state: number }[],
    timeout?: number,
  ): Promise<PcscNativeReaderState[] | null>;
  cancel(): void;
  close(): void;
}

/** The module's exports this transport reads. */
export interface PcscBinding {
  Context: new () => PcscNativeContext;
  SCARD_SHARE_EXCLUSIVE: number;
  SCARD_SHARE_SHARED: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_PROTOCOL_RAW: number;
  SCARD_LEAVE_CARD: number;
  SCARD_RESET_CARD: number;
  SCARD_UNPOWER_CARD: number;
  SCARD_EJECT_CARD: number;
  SCARD_STATE_UNAWARE: number;
  SCARD_STATE_IGNORE: number;
  SCARD_STATE_CHANGED: number;
  SCARD_STATE_UNKNOWN: number;
  SCARD_STATE_UNAVAILABLE: number;
  SCARD_STATE_EMPTY: number;
  SCARD_STATE_PRESENT: number;
  SCARD_STATE_EXCLUSIVE: number;
  SCARD_STATE_INUSE: number;
  SCARD_STATE_MUTE: number;
}

const REQUIRED: readonly (keyof PcscBinding)[] = [
  'Context',
  'SCARD_SHARE_EXCLUSIVE',
  'SCARD_SHARE_SHARED',
  'SCARD_PROTOCOL_T0',
  'SCARD_PROTOCOL_T1',
  'SCARD_LEAVE_CARD',
  'SCARD_STATE_PRESENT',
  'SCARD_STATE_EMPTY',
];

/** Whether `m` has what this transport uses from the binding. */
export function isPcscBinding(m: unknown): m is PcscBinding {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  return (
    typeof r['Context'] === 'function' &&
    REQUIRED.every((k) => k === 'Context' || typeof r[k] === 'number')
  );
}

let cached: PcscBinding | undefined;

/** The module object of a CommonJS package imported as ES module: its exports are `default`. */
function moduleExports(m: unknown): unknown {
  if (isPcscBinding(m)) return m;
  const d = typeof m === 'object' && m !== null ? (m as { default?: unknown }).default : undefined;
  return d ?? m;
}

/**
 * Loads the `smartcard` binding on first use, with a dynamic import resolved from where this
 * code runs (the sources, or the CLI bundle, which keeps the package outside). A package that
 * is missing, or whose native part was not built (no libpcsclite-dev when npm installed it),
 * fails with PcscError 'bindingMissing' (its explanation says how to fix it). `load` replaces the import
 * (tests).
 */
export async function loadPcscBinding(load?: () => unknown): Promise<PcscBinding> {
  if (load === undefined && cached !== undefined) return cached;
  let m: unknown;
  try {
    m = moduleExports(await (load !== undefined ? load() : import('smartcard')));
  } catch (e) {
    throw new PcscError('bindingMissing', { cause: e });
  }
  if (!isPcscBinding(m))
    throw new PcscError('bindingMissing', {
      cause: new Error('the smartcard package does not export a PC/SC Context'),
    });
  if (load === undefined) cached = m;
  return m;
}
