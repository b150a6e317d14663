/**
 * The local card bridge's wire protocol (docs/bridge.md): JSON text frames over a WebSocket to
 * the bridge on this machine, which forwards APDUs to a PC/SC reader. Shared by the bridge
 * (src/server/bridge) and the app's transport; pure code, no DOM and no Node.
 *
 * Client → bridge: hello (first), pair (when the bridge says the page is not paired), then
 * list / connect / transmit / disconnect, each with an `id` the answer repeats.
 * Bridge → client: welcome, paired, readers, connected, response, disconnected, error.
 */

export const BRIDGE_PROTOCOL_VERSION = 1;
/** The bridge's default TCP port on 127.0.0.1 and ::1. */
export const DEFAULT_BRIDGE_PORT = 35980;
export const DEFAULT_BRIDGE_URL = `ws://127.0.0.1:${DEFAULT_BRIDGE_PORT}`;
/** A short command APDU is at most 4 + 1 + 255 + 1 bytes (ISO 7816-4 §5.1). */
export const MAX_COMMAND_APDU = 261;
/** A short response is at most 256 data bytes plus SW1 SW2. */
export const MAX_RESPONSE_APDU = 258;
/** Largest WebSocket message either side sends: a transmit with 261 bytes in hex fits well. */
export const MAX_FRAME_BYTES = 1024;
/** The pairing code's length in decimal digits. */
export const PAIRING_CODE_DIGITS = 8;

/** Why the bridge refused or failed a request; the client turns each into a typed error. */
export type BridgeErrorCode =
  | 'badMessage'
  | 'tooLarge'
  | 'rateLimited'
  | 'idle'
  | 'notPaired'
  | 'badPairingCode'
  | 'pairingLocked'
  | 'unknownReader'
  | 'noCard'
  | 'readerBusy'
  | 'notConnected'
  | 'cardRemoved'
  | 'readerError';

export const BRIDGE_ERROR_CODES: readonly BridgeErrorCode[] = [
  'badMessage',
  'tooLarge',
  'rateLimited',
  'idle',
  'notPaired',
  'badPairingCode',
  'pairingLocked',
  'unknownReader',
  'noCard',
  'readerBusy',
  'notConnected',
  'cardRemoved',
  'readerError',
];

export interface ReaderEntry {
  name: string;
  /** A card is in the reader. */
  card: boolean;
  /** Another page holds the reader. */
  busy: boolean;
}

export type ClientMessage =
  | { type: 'hello'; version: number; token?: string }
  | { type: 'pair'; code: string }
  | { type: 'list'; id: number }
  | { type: 'connect'; id: number; reader: string }
  | { type: 'transmit'; id: number; apdu: string }
  | { type: 'disconnect'; id: number };

export type ServerMessage =
  | { type: 'welcome'; version: number; paired: boolean }
  | { type: 'paired'; token: string }
  | { type: 'readers'; id: number; readers: ReaderEntry[] }
  | { type: 'connected'; id: number; reader: string; atr?: string }
  | { type: 'response'; id: number; apdu: string }
  | { type: 'disconnected'; id: number }
  | {
      type: 'error';
      id?: number;
      code: BridgeErrorCode;
      message: string;
      /** pairingLocked / rateLimited: when to try again. */
      retryAfterMs?: number;
    };

/** A frame that is not a message of this protocol. */
export class BridgeProtocolError extends Error {
  override readonly name = 'BridgeProtocolError';
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const READER_NAME_MAX = 200;
const TOKEN_MAX = 100;

type Json = Record<string, unknown>;

function parseObject(text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BridgeProtocolError('the message is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BridgeProtocolError('the message is not a JSON object');
  return value as Json;
}

function requestId(m: Json): number {
  const id = m['id'];
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0)
    throw new BridgeProtocolError('the request has no valid id');
  return id;
}

function hexField(m: Json, field: string, max: number): string {
  const v = m[field];
  if (typeof v !== 'string' || !HEX.test(v))
    throw new BridgeProtocolError(`${field} must be an even-length hex string`);
  if (v.length === 0) throw new BridgeProtocolError(`${field} is empty`);
  if (v.length / 2 > max) throw new BridgeApduSizeError(`${field} is longer than ${max} bytes`);
  return v;
}

/** An APDU beyond the short-APDU bounds. */
export class BridgeApduSizeError extends BridgeProtocolError {}

/** Parses and checks one client frame (the bridge's side). Throws BridgeProtocolError. */
export function parseClientMessage(text: string): ClientMessage {
  const m = parseObject(text);
  switch (m['type']) {
    case 'hello': {
      const version = m['version'];
      if (typeof version !== 'number' || !Number.isSafeInteger(version))
        throw new BridgeProtocolError('hello needs a version');
      const token = m['token'];
      if (token === undefined) return { type: 'hello', version };
      if (typeof token !== 'string' || token.length > TOKEN_MAX)
        throw new BridgeProtocolError('the token must be a short string');
      return { type: 'hello', version, token };
    }
    case 'pair': {
      const code = m['code'];
      if (typeof code !== 'string' || code.length > 32)
        throw new BridgeProtocolError('pair needs a code');
      return { type: 'pair', code };
    }
    case 'list':
      return { type: 'list', id: requestId(m) };
    case 'connect': {
      const id = requestId(m);
      const reader = m['reader'];
      if (typeof reader !== 'string' || reader === '' || reader.length > READER_NAME_MAX)
        throw new BridgeProtocolError('connect needs a reader name');
      return { type: 'connect', id, reader };
    }
    case 'transmit': {
      const id = requestId(m);
      return { type: 'transmit', id, apdu: hexField(m, 'apdu', MAX_COMMAND_APDU) };
    }
    case 'disconnect':
      return { type: 'disconnect', id: requestId(m) };
    default:
      throw new BridgeProtocolError('unknown message type');
  }
}

function isErrorCode(v: unknown): v is BridgeErrorCode {
  return (BRIDGE_ERROR_CODES as readonly unknown[]).includes(v);
}

/** Parses one bridge frame (the app's side). Throws BridgeProtocolError. */
export function parseServerMessage(text: string): ServerMessage {
  const m = parseObject(text);
  switch (m['type']) {
    case 'welcome': {
      const version = m['version'];
      if (typeof version !== 'number') throw new BridgeProtocolError('welcome needs a version');
      return { type: 'welcome', version, paired: m['paired'] === true };
    }
    case 'paired': {
      const token = m['token'];
      if (typeof token !== 'string' || token === '' || token.length > TOKEN_MAX)
        throw new BridgeProtocolError('paired needs a token');
      return { type: 'paired', token };
    }
    case 'readers': {
      const id = requestId(m);
      const list = m['readers'];
      if (!Array.isArray(list)) throw new BridgeProtocolError('readers needs a list');
      const readers: ReaderEntry[] = list.map((r: unknown) => {
        if (typeof r !== 'object' || r === null) throw new BridgeProtocolError('bad reader');
        const e = r as Json;
        const name = e['name'];
        if (typeof name !== 'string') throw new BridgeProtocolError('a reader has no name');
        return { name, card: e['card'] === true, busy: e['busy'] === true };
      });
      return { type: 'readers', id, readers };
    }
    case 'connected': {
      const id = requestId(m);
      const reader = m['reader'];
      if (typeof reader !== 'string') throw new BridgeProtocolError('connected needs a reader');
      const atr = m['atr'];
      if (atr === undefined) return { type: 'connected', id, reader };
      return { type: 'connected', id, reader, atr: hexField(m, 'atr', 33) };
    }
    case 'response':
      return {
        type: 'response',
        id: requestId(m),
        apdu: hexField(m, 'apdu', MAX_RESPONSE_APDU),
      };
    case 'disconnected':
      return { type: 'disconnected', id: requestId(m) };
    case 'error': {
      const code = m['code'];
      if (!isErrorCode(code)) throw new BridgeProtocolError('unknown error code');
      const message = typeof m['message'] === 'string' ? m['message'] : code;
      const out: ServerMessage = { type: 'error', code, message };
      if (m['id'] !== undefined) out.id = requestId(m);
      const retry = m['retryAfterMs'];
      if (typeof retry === 'number' && Number.isFinite(retry) && retry >= 0)
        out.retryAfterMs = retry;
      return out;
    }
    default:
      throw new BridgeProtocolError('unknown message type');
  }
}
