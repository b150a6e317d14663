/**
 * The app's side of the local card bridge (docs/bridge.md): one WebSocket to the bridge on this
 * machine, hello (with the kept token), pairing, reader list, and APDUs to one reader. Requests
 * carry ids; answers are matched to them. The WebSocket and fetch are passed in.
 */
import { fromHex, toHex } from '../../codec/index.ts';
import { TransportClosedError } from '../transport.ts';
import { BridgeError, notRunning, originRefused } from './errors.ts';
import {
  BRIDGE_PROTOCOL_VERSION,
  MAX_COMMAND_APDU,
  parseServerMessage,
  type BridgeErrorCode,
  type ClientMessage,
  type ReaderEntry,
  type ServerMessage,
} from './protocol.ts';

/** The part of the WebSocket API the client uses (the browser's, or `ws` in Node tests). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(
    type: 'close',
    listener: (event: { code: number; reason: string }) => void,
  ): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface BridgeClientOptions {
  /** ws://127.0.0.1:35980 or another loopback address of the bridge. */
  url: string;
  /** The token from an earlier pairing with this bridge. */
  token?: string;
  webSocket: WebSocketFactory;
  /**
   * Used only after a failed connection, to tell "not running" from "refused this page": a
   * no-cors GET to the bridge's address succeeds when something listens there.
   */
  fetch?: (url: string, init: RequestInit) => Promise<unknown>;
  /** The page's origin, named in the advice when the bridge refuses it. */
  origin?: string;
  /** How long one request may take. Default 60 s (a card may think for a while). */
  timeoutMs?: number;
  /** The connection closed (or the card went away) while nobody was waiting on it. */
  onClose?: (error: Error) => void;
}

const OPEN = 1;

/** Checks the address: ws:// or wss:// to a loopback name only. Returns the normalised URL. */
export function bridgeAddress(text: string): string {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    throw badAddress(text);
  }
  const host = u.hostname.toLowerCase();
  const loopback =
    host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if ((u.protocol !== 'ws:' && u.protocol !== 'wss:') || !loopback || u.username !== '')
    throw badAddress(text);
  return `${u.protocol}//${u.host}`;
}

function badAddress(text: string): BridgeError {
  return new BridgeError('badAddress', `${text} is not a card bridge address on this computer.`);
}

/** A typed error for a bridge error message. */
function fromCode(code: BridgeErrorCode, message: string, retryAfterMs?: number): Error {
  const retry = retryAfterMs !== undefined ? { retryAfterMs } : {};
  switch (code) {
    case 'cardRemoved':
    case 'idle':
      return new TransportClosedError(`card bridge: ${message}`);
    case 'notConnected':
      return new TransportClosedError('card bridge: the reader is no longer connected');
    case 'notPaired':
      return new BridgeError('pairingRequired', 'This page is not paired with the card bridge.');
    case 'badPairingCode':
      return new BridgeError('badPairingCode', 'Wrong pairing code.', retry);
    case 'pairingLocked':
      return new BridgeError('pairingLocked', 'Too many wrong pairing codes.', retry);
    case 'readerBusy':
      return new BridgeError(
        'readerBusy',
        `The reader is in use by another page or browser (${message}).`,
      );
    case 'noCard':
      return new BridgeError('noCard', 'There is no card in the reader.');
    case 'unknownReader':
      return new BridgeError(
        'unknownReader',
        'The reader is not connected to this computer any more.',
      );
    case 'tooLarge':
      return new BridgeError('tooLarge', `card bridge: ${message}`);
    case 'rateLimited':
      return new BridgeError('rateLimited', `card bridge: ${message}`);
    case 'badMessage':
      return new BridgeError('protocol', `The card bridge did not understand the app: ${message}`);
    case 'readerError':
      return new BridgeError('readerError', `The reader reported an error: ${message}`);
  }
}

interface Pending {
  resolve: (m: ServerMessage) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class BridgeClient {
  #ws: WebSocketLike;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  /** hello and pair have no id: their answers come in order. */
  #unnumbered: Pending | undefined;
  #closed = false;
  /** The error the bridge sent before closing, if any. */
  #fatal: Error | undefined;
  #paired = false;
  #opened = false;

  private constructor(
    ws: WebSocketLike,
    private readonly options: BridgeClientOptions,
  ) {
    this.#ws = ws;
  }

  get paired(): boolean {
    return this.#paired;
  }

  get url(): string {
    return this.options.url;
  }

  /** Connects and says hello. Rejects with BridgeError notRunning / originRefused / protocol. */
  static async open(options: BridgeClientOptions): Promise<BridgeClient> {
    const url = bridgeAddress(options.url);
    const opts = { ...options, url };
    let ws: WebSocketLike;
    try {
      ws = options.webSocket(url);
    } catch (e) {
      throw badAddress(`${options.url} (${e instanceof Error ? e.message : String(e)})`);
    }
    const client = new BridgeClient(ws, opts);
    await client.#waitOpen();
    const welcome = await client.#request(
      {
        type: 'hello',
        version: BRIDGE_PROTOCOL_VERSION,
        ...(options.token ? { token: options.token } : {}),
      },
      undefined,
    );
    if (welcome.type !== 'welcome') throw client.#unexpected(welcome);
    client.#paired = welcome.paired;
    return client;
  }

  #waitOpen(): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        this.#ws.close();
        reject(notRunning(this.options.url));
      }, this.options.timeoutMs ?? 10_000);
      this.#ws.addEventListener('open', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#opened = true;
        resolve();
      });
      this.#ws.addEventListener('message', (event) => {
        this.#onMessage(event.data);
      });
      this.#ws.addEventListener('close', (event) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          void this.#whyRefused().then(reject);
          return;
        }
        this.#onClose(event.code);
      });
      this.#ws.addEventListener('error', () => undefined);
    });
  }

  /** A connection that never opened: the bridge refused it (403) or nothing listens there. */
  async #whyRefused(): Promise<BridgeError> {
    this.#closed = true;
    const probe = this.options.fetch;
    if (!probe) return notRunning(this.options.url);
    const http = this.options.url.replace(/^ws/, 'http') + '/';
    try {
      await probe(http, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' });
      return originRefused(this.options.url, this.options.origin);
    } catch {
      return notRunning(this.options.url);
    }
  }

  #onMessage(data: unknown): void {
    let m: ServerMessage;
    try {
      if (typeof data !== 'string') throw new Error('binary frame');
      m = parseServerMessage(data);
    } catch (e) {
      this.#fatal = new BridgeError(
        'protocol',
        `The card bridge sent something unreadable (${e instanceof Error ? e.message : String(e)}).`,
      );
      this.#ws.close(1002);
      return;
    }
    const id = 'id' in m ? m.id : undefined;
    if (m.type === 'error' && id === undefined && this.#unnumbered === undefined) {
      // Sent just before the bridge closes the connection (idle, too large, rate).
      this.#fatal = fromCode(m.code, m.message, m.retryAfterMs);
      return;
    }
    const pending = id === undefined ? this.#unnumbered : this.#pending.get(id);
    if (!pending) return; // an answer to a request given up on (aborted)
    if (id === undefined) this.#unnumbered = undefined;
    else this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (m.type === 'error') pending.reject(fromCode(m.code, m.message, m.retryAfterMs));
    else pending.resolve(m);
  }

  #onClose(code: number): void {
    if (this.#closed) return;
    this.#closed = true;
    const error =
      this.#fatal ??
      (code === 1009
        ? fromCode('tooLarge', 'a message was too large')
        : new TransportClosedError('the connection to the card bridge closed'));
    const waiting = [...this.#pending.values()];
    if (this.#unnumbered) waiting.push(this.#unnumbered);
    this.#pending.clear();
    this.#unnumbered = undefined;
    for (const p of waiting) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    if (this.#opened) this.options.onClose?.(error);
  }

  #unexpected(m: ServerMessage): BridgeError {
    return new BridgeError('protocol', `The card bridge answered ${m.type} unexpectedly.`);
  }

  #request(
    message: ClientMessage,
    id: number | undefined,
    signal?: AbortSignal,
  ): Promise<ServerMessage> {
    if (this.#closed || this.#ws.readyState !== OPEN)
      return Promise.reject(
        this.#fatal ?? new TransportClosedError('the connection to the card bridge is closed'),
      );
    return new Promise((resolve, reject) => {
      const forget = (): void => {
        if (id === undefined) this.#unnumbered = undefined;
        else this.#pending.delete(id);
      };
      const timer = setTimeout(() => {
        forget();
        reject(new BridgeError('timeout', 'The card bridge did not answer in time.'));
      }, this.options.timeoutMs ?? 60_000);
      const pending: Pending = { resolve, reject, timer };
      if (signal) {
        const onAbort = (): void => {
          clearTimeout(timer);
          forget();
          reject(
            signal.reason instanceof Error
              ? signal.reason
              : new DOMException('Aborted', 'AbortError'),
          );
        };
        signal.addEventListener('abort', onAbort, { once: true });
        const done = (): void => {
          signal.removeEventListener('abort', onAbort);
        };
        pending.resolve = (m) => {
          done();
          resolve(m);
        };
        pending.reject = (e) => {
          done();
          reject(e);
        };
      }
      if (id === undefined) this.#unnumbered = pending;
      else this.#pending.set(id, pending);
      this.#ws.send(JSON.stringify(message));
    });
  }

  /** Pairs with the code the bridge printed; resolves with the token to keep. */
  async pair(code: string): Promise<string> {
    const m = await this.#request({ type: 'pair', code: code.replace(/\s+/g, '') }, undefined);
    if (m.type !== 'paired') throw this.#unexpected(m);
    this.#paired = true;
    return m.token;
  }

  async listReaders(): Promise<ReaderEntry[]> {
    const id = this.#nextId++;
    const m = await this.#request({ type: 'list', id }, id);
    if (m.type !== 'readers') throw this.#unexpected(m);
    return m.readers;
  }

  /** Takes the reader for this page; rejects with readerBusy, noCard or unknownReader. */
  async connect(reader: string): Promise<{ atr?: Uint8Array }> {
    const id = this.#nextId++;
    const m = await this.#request({ type: 'connect', id, reader }, id);
    if (m.type !== 'connected') throw this.#unexpected(m);
    return m.atr !== undefined ? { atr: fromHex(m.atr) } : {};
  }

  async transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    signal?.throwIfAborted();
    if (apdu.length > MAX_COMMAND_APDU)
      throw new RangeError(
        `a command APDU is at most ${MAX_COMMAND_APDU} bytes (got ${apdu.length})`,
      );
    const id = this.#nextId++;
    const m = await this.#request({ type: 'transmit', id, apdu: toHex(apdu) }, id, signal);
    if (m.type !== 'response') throw this.#unexpected(m);
    return fromHex(m.apdu);
  }

  async disconnect(): Promise<void> {
    const id = this.#nextId++;
    await this.#request({ type: 'disconnect', id }, id);
  }

  /** Closes the connection (the bridge frees the reader). Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ws.close(1000);
    const error = new TransportClosedError('the connection to the card bridge was closed');
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.#pending.clear();
    if (this.#unnumbered) {
      clearTimeout(this.#unnumbered.timer);
      this.#unnumbered.reject(error);
      this.#unnumbered = undefined;
    }
  }
}
