/**
 * The part of the Web Smart Card API (WICG "Web Smart Card API" draft, wicg.github.io/web-smart-card)
 * this transport uses, typed structurally: the DOM library has no types for it, and tests hand in
 * fakes. Names follow the spec's WebIDL: SmartCardResourceManager.establishContext(),
 * SmartCardContext.listReaders()/getStatusChange()/connect(), SmartCardConnection.transmit()/
 * status()/disconnect(), SmartCardError.responseCode.
 */
import { hasMethod } from '../browser-glue.ts';

/** SmartCardProtocol (spec §"SmartCardProtocol enum"). */
export type SmartCardProtocol = 'raw' | 't0' | 't1';

/** SmartCardAccessMode (spec §"SmartCardAccessMode enum"). */
export type SmartCardAccessMode = 'shared' | 'exclusive' | 'direct';

/** SmartCardDisposition (spec §"SmartCardDisposition enum"); 'leave' keeps the card as it is. */
export type SmartCardDisposition = 'leave' | 'reset' | 'unpower' | 'eject';

/**
 * SmartCardResponseCode (spec §"SmartCardResponseCode enum"), one per PC/SC SCARD_E_* / SCARD_W_*
 * code. The spec has no "no readers" code: listReaders() resolves with an empty list instead.
 */
export type SmartCardResponseCode =
  | 'no-service'
  | 'no-smartcard'
  | 'not-ready'
  | 'not-transacted'
  | 'proto-mismatch'
  | 'reader-unavailable'
  | 'removed-card'
  | 'reset-card'
  | 'server-too-busy'
  | 'sharing-violation'
  | 'system-cancelled'
  | 'unknown-reader'
  | 'unpowered-card'
  | 'unresponsive-card'
  | 'unsupported-card'
  | 'unsupported-feature';

/** SmartCardReaderStateFlagsIn: what the caller believes the reader's state is. */
export interface SmartCardReaderStateFlagsIn {
  unaware?: boolean;
  ignore?: boolean;
  unavailable?: boolean;
  empty?: boolean;
  present?: boolean;
  exclusive?: boolean;
  inuse?: boolean;
  mute?: boolean;
  unpowered?: boolean;
}

/** SmartCardReaderStateFlagsOut: the reader's actual state. */
export interface SmartCardReaderStateFlagsOut {
  ignore?: boolean;
  changed?: boolean;
  unavailable?: boolean;
  unknown?: boolean;
  empty?: boolean;
  present?: boolean;
  exclusive?: boolean;
  inuse?: boolean;
  mute?: boolean;
  unpowered?: boolean;
}

export interface SmartCardReaderStateIn {
  readerName: string;
  currentState: SmartCardReaderStateFlagsIn;
  /** Card insertion/removal events seen so far (the high word of PC/SC's dwCurrentState). */
  currentCount?: number;
}

export interface SmartCardReaderStateOut {
  readerName: string;
  eventState: SmartCardReaderStateFlagsOut;
  /** Card insertion/removal events so far; 0 where the PC/SC stack does not count them. */
  eventCount: number;
  answerToReset?: ArrayBuffer;
}

export interface SmartCardGetStatusChangeOptions {
  /** Milliseconds; absent means PC/SC INFINITE. */
  timeout?: number;
  /** Aborting calls PC/SC Cancel(); the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** SmartCardConnectionState: what status() reports about the card. */
export type SmartCardConnectionState =
  'absent' | 'present' | 'swallowed' | 'powered' | 'negotiable' | 't0' | 't1' | 'raw';

export interface SmartCardConnectionStatus {
  readerName: string;
  state: SmartCardConnectionState;
  answerToReset?: ArrayBuffer;
}

/** SmartCardConnection: one connection to the card in one reader. */
export interface SmartCardConnectionLike {
  /** Sends a command APDU; resolves with the response data plus SW1 SW2 (PC/SC Transmit). */
  transmit(
    sendBuffer: Uint8Array,
    options?: { protocol?: SmartCardProtocol },
  ): Promise<ArrayBuffer>;
  status(): Promise<SmartCardConnectionStatus>;
  disconnect(disposition?: SmartCardDisposition): Promise<void>;
}

export interface SmartCardConnectResult {
  connection: SmartCardConnectionLike;
  activeProtocol?: SmartCardProtocol;
}

/**
 * SmartCardContext. The spec lets one context run one PC/SC operation at a time (a second call
 * rejects with InvalidStateError), so a pending getStatusChange() would block transmit() on a
 * connection made from the same context: the transport watches for removal on a context of its own.
 */
export interface SmartCardContextLike {
  listReaders(): Promise<string[]>;
  getStatusChange(
    readerStates: SmartCardReaderStateIn[],
    options?: SmartCardGetStatusChangeOptions,
  ): Promise<SmartCardReaderStateOut[]>;
  connect(
    readerName: string,
    accessMode: SmartCardAccessMode,
    options?: { preferredProtocols?: SmartCardProtocol[] },
  ): Promise<SmartCardConnectResult>;
}

/** navigator.smartCard (SmartCardResourceManager). */
export interface SmartCardResourceManagerLike {
  establishContext(): Promise<SmartCardContextLike>;
}

/** Whether `api` looks like navigator.smartCard. */
export function isSmartCardApi(api: unknown): api is SmartCardResourceManagerLike {
  return hasMethod(api, 'establishContext');
}

/** The responseCode of a SmartCardError (a DOMException named "SmartCardError"), if `err` is one. */
export function responseCodeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === 'string' ? code : undefined;
}
