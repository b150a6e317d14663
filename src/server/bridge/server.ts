/**
 * The local card bridge: a WebSocket service on this machine's loopback addresses that lets the
 * web app, in any browser, send APDUs to the machine's readers (docs/bridge.md).
 *
 * - Listens on 127.0.0.1 and ::1 only. At the HTTP upgrade it refuses (403) a Host that is not a
 *   loopback name (DNS rebinding) and an Origin that is not configured.
 * - A page pairs once with the code the bridge prints and then keeps a token (pairing.ts).
 * - One page per reader at a time; APDUs only, short APDUs only; bounded frames, message rate,
 *   queued requests, and idle time. A bad frame ends that connection with a typed error, never
 *   the process.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { fromHex, toHex } from '../../codec/index.ts';
import {
  BRIDGE_PROTOCOL_VERSION,
  BridgeApduSizeError,
  BridgeProtocolError,
  DEFAULT_BRIDGE_PORT,
  MAX_FRAME_BYTES,
  MAX_RESPONSE_APDU,
  parseClientMessage,
  type BridgeErrorCode,
  type ClientMessage,
  type ServerMessage,
} from '../../transport/bridge/protocol.ts';
import { MemoryTokenStore, Pairing, type PairingOptions, type TokenStore } from './pairing.ts';
import { ReaderProviderError, type CardConnection, type ReaderProvider } from './provider.ts';

/** The app's own origins in local use: `vite dev` (5173) and `vite preview` / `npm start` (4173). */
export const DEFAULT_BRIDGE_ORIGINS: readonly string[] = [
  'http://localhost:5173',
  'http://127.0.0.1:5173',
  'http://localhost:4173',
  'http://127.0.0.1:4173',
];

export const DEFAULT_BRIDGE_HOSTS: readonly string[] = ['127.0.0.1', '::1'];

export interface BridgeLimits {
  /** Largest WebSocket message accepted; a bigger one closes the connection (1009). */
  maxFrameBytes: number;
  /** Sustained messages per second per connection, and the burst above it. */
  messagesPerSecond: number;
  burst: number;
  /** Requests waiting behind the one being served. */
  maxQueued: number;
  /** A connection holding no reader is closed after this long without a message. */
  idleMs: number;
  /** A connection holding a reader (a page left open on it) is closed after this long. */
  heldIdleMs: number;
  /** A connection must say hello within this time. */
  helloMs: number;
}

export const DEFAULT_BRIDGE_LIMITS: BridgeLimits = {
  maxFrameBytes: MAX_FRAME_BYTES,
  messagesPerSecond: 1000,
  burst: 2000,
  maxQueued: 16,
  idleMs: 10 * 60_000,
  heldIdleMs: 60 * 60_000,
  helloMs: 10_000,
};

export interface BridgeOptions {
  provider: ReaderProvider;
  /** Default 35980; 0 picks a free port (the same on every address). */
  port?: number;
  /** Loopback addresses to listen on. Default 127.0.0.1 and ::1 (skipped when IPv6 is off). */
  hosts?: readonly string[];
  /** Origins whose pages may connect. Default DEFAULT_BRIDGE_ORIGINS. */
  origins?: readonly string[];
  tokens?: TokenStore;
  newPairingCode?: PairingOptions['newCode'];
  /** Called with the pairing code at start and with every new one. */
  onPairingCode?: PairingOptions['onCode'];
  log?: (line: string) => void;
  limits?: Partial<BridgeLimits>;
  now?: () => number;
}

export interface BridgeServer {
  readonly port: number;
  /** ws:// URLs the bridge answers on. */
  readonly urls: readonly string[];
  readonly pairingCode: string;
  readonly origins: readonly string[];
  close(): Promise<void>;
}

/** The bridge could not start: a non-loopback address, a bad origin, or a port in use. */
export class BridgeStartError extends Error {
  override readonly name = 'BridgeStartError';
}

/** Close codes the bridge uses besides 1000: 1008 (policy) and 1009 (message too big). */
const CLOSE_POLICY = 1008;
const CLOSE_TOO_BIG = 1009;

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The host name in a Host header ("127.0.0.1:35980", "[::1]:35980"), or undefined if malformed. */
function hostOfHeader(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return undefined;
    const rest = value.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    return value.slice(1, end);
  }
  const m = /^([^:]+)(?::\d{1,5})?$/.exec(value);
  return m ? m[1] : undefined;
}

/** An origin as browsers serialise it, or undefined when `text` is not an http(s) origin. */
export function normaliseOrigin(text: string): string | undefined {
  try {
    const u = new URL(text);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    if (u.pathname !== '/' || u.search !== '' || u.hash !== '' || u.username !== '')
      return undefined;
    if (text.endsWith('/')) return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const a = server.address();
      resolve(a !== null && typeof a === 'object' ? a.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

export async function startBridge(options: BridgeOptions): Promise<BridgeServer> {
  const log = options.log ?? (() => undefined);
  const limits: BridgeLimits = { ...DEFAULT_BRIDGE_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  const hosts = options.hosts ?? DEFAULT_BRIDGE_HOSTS;
  for (const h of hosts)
    if (!isLoopbackHost(h))
      throw new BridgeStartError(
        `The bridge listens on loopback addresses only (127.0.0.1, ::1, localhost), not ${h}.`,
      );
  const origins: string[] = [];
  for (const o of options.origins ?? DEFAULT_BRIDGE_ORIGINS) {
    const n = normaliseOrigin(o);
    if (n === undefined)
      throw new BridgeStartError(
        `${o} is not an origin: give scheme, host and port only, e.g. https://app.example.org`,
      );
    if (!origins.includes(n)) origins.push(n);
  }
  const pairing = new Pairing({
    tokens: options.tokens ?? new MemoryTokenStore(),
    now,
    ...(options.newPairingCode ? { newCode: options.newPairingCode } : {}),
    ...(options.onPairingCode ? { onCode: options.onPairingCode } : {}),
  });
  const provider = options.provider;
  /** Which connection holds each reader. */
  const holders = new Map<string, Session>();
  const sessions = new Set<Session>();

  // Loaded here, not at the top: the CLI bundle keeps `ws` outside and resolves it only when
  // the bridge starts.
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });
  wss.on('error', (e) => {
    log(`bridge: WebSocket server error: ${errorText(e)}`);
  });

  class Session {
    private paired = false;
    private greeted = false;
    private closed = false;
    private reader: string | undefined;
    private card: CardConnection | undefined;
    private queue: Promise<void> = Promise.resolve();
    private queued = 0;
    private tokens = limits.burst;
    private lastRefill = now();
    private idleTimer: NodeJS.Timeout | undefined;
    private helloTimer: NodeJS.Timeout | undefined;

    constructor(
      private readonly ws: WebSocket,
      private readonly origin: string,
    ) {
      sessions.add(this);
      this.helloTimer = setTimeout(() => {
        if (!this.greeted) this.fail('idle', 'no hello in time', 1000);
      }, limits.helloMs);
      this.touch();
      ws.on('message', (data, isBinary) => {
        this.onMessage(data, isBinary);
      });
      ws.on('error', (e) => {
        // ws closes the socket itself (e.g. 1009 for a frame above maxPayload).
        log(`bridge: connection from ${origin}: ${errorText(e)}`);
      });
      ws.on('close', () => {
        this.onClose();
      });
    }

    private touch(): void {
      clearTimeout(this.idleTimer);
      if (this.closed) return;
      const ms = this.card ? limits.heldIdleMs : limits.idleMs;
      this.idleTimer = setTimeout(() => {
        this.fail('idle', `no message for ${Math.round(ms / 1000)} s`, 1000);
      }, ms);
    }

    private send(m: ServerMessage): void {
      if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(m));
    }

    /** Sends a typed error and closes the connection. */
    fail(code: BridgeErrorCode, message: string, closeCode: number): void {
      if (this.closed) return;
      this.send({ type: 'error', code, message });
      this.closed = true;
      this.ws.close(closeCode, code);
      this.onClose();
    }

    private takeToken(): boolean {
      const t = now();
      const elapsed = Math.max(0, t - this.lastRefill);
      this.lastRefill = t;
      this.tokens = Math.min(
        limits.burst,
        this.tokens + (elapsed * limits.messagesPerSecond) / 1000,
      );
      if (this.tokens < 1) return false;
      this.tokens -= 1;
      return true;
    }

    private onMessage(data: RawData, isBinary: boolean): void {
      if (this.closed) return;
      this.touch();
      if (!this.takeToken()) {
        this.fail('rateLimited', 'too many messages', CLOSE_POLICY);
        return;
      }
      if (isBinary) {
        this.fail('badMessage', 'binary frames are not part of the protocol', CLOSE_POLICY);
        return;
      }
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8');
      let message: ClientMessage;
      try {
        message = parseClientMessage(text);
      } catch (e) {
        if (e instanceof BridgeApduSizeError) this.fail('tooLarge', e.message, CLOSE_TOO_BIG);
        else if (e instanceof BridgeProtocolError) this.fail('badMessage', e.message, CLOSE_POLICY);
        else this.fail('badMessage', 'unreadable message', CLOSE_POLICY);
        return;
      }
      if (this.queued >= limits.maxQueued) {
        this.fail('rateLimited', 'too many requests waiting', CLOSE_POLICY);
        return;
      }
      this.queued++;
      this.queue = this.queue
        .then(() => this.handle(message))
        .catch((e: unknown) => {
          log(`bridge: request failed: ${errorText(e)}`);
        })
        .finally(() => {
          this.queued--;
        });
    }

    private async handle(m: ClientMessage): Promise<void> {
      if (this.closed) return;
      if (m.type === 'hello') {
        if (this.greeted) {
          this.fail('badMessage', 'hello was sent twice', CLOSE_POLICY);
          return;
        }
        if (m.version !== BRIDGE_PROTOCOL_VERSION) {
          this.fail('badMessage', `protocol version ${m.version} is not supported`, CLOSE_POLICY);
          return;
        }
        this.greeted = true;
        clearTimeout(this.helloTimer);
        this.paired = pairing.isPaired(m.token, this.origin);
        this.send({ type: 'welcome', version: BRIDGE_PROTOCOL_VERSION, paired: this.paired });
        return;
      }
      if (!this.greeted) {
        this.fail('badMessage', 'the first message must be hello', CLOSE_POLICY);
        return;
      }
      if (m.type === 'pair') {
        const r = pairing.pair(m.code, this.origin);
        if (r.ok) {
          this.paired = true;
          log(`bridge: paired a page of ${this.origin}`);
          this.send({ type: 'paired', token: r.token });
        } else {
          log(`bridge: wrong pairing code from a page of ${this.origin}`);
          const message =
            r.reason === 'pairingLocked'
              ? 'too many wrong codes: wait before trying again'
              : 'wrong pairing code';
          this.send({ type: 'error', code: r.reason, message, retryAfterMs: r.retryAfterMs });
        }
        return;
      }
      if (!this.paired) {
        this.send({ type: 'error', id: m.id, code: 'notPaired', message: 'pair first' });
        return;
      }
      switch (m.type) {
        case 'list':
          await this.list(m.id);
          return;
        case 'connect':
          await this.connect(m.id, m.reader);
          return;
        case 'transmit':
          await this.transmit(m.id, m.apdu);
          return;
        case 'disconnect':
          await this.release();
          this.send({ type: 'disconnected', id: m.id });
          return;
      }
    }

    private async list(id: number): Promise<void> {
      try {
        const readers = await provider.listReaders();
        this.send({
          type: 'readers',
          id,
          readers: readers.map((r) => {
            const holder = holders.get(r.name);
            return {
              name: r.name,
              card: r.cardPresent,
              busy: holder !== undefined && holder !== this,
            };
          }),
        });
      } catch (e) {
        this.send({ type: 'error', id, code: 'readerError', message: errorText(e) });
      }
    }

    private async connect(id: number, reader: string): Promise<void> {
      if (this.reader === reader && this.card) {
        this.send({ type: 'connected', id, reader });
        return;
      }
      await this.release();
      const holder = holders.get(reader);
      if (holder !== undefined) {
        this.send({
          type: 'error',
          id,
          code: 'readerBusy',
          message: `${reader} is in use by another page`,
        });
        return;
      }
      holders.set(reader, this);
      this.reader = reader;
      try {
        const card = await provider.connect(reader);
        if (this.closed) {
          await card.close().catch(() => undefined);
          this.drop();
          return;
        }
        this.card = card;
        this.touch();
        log(`bridge: ${this.origin} connected to ${reader}`);
        this.send({
          type: 'connected',
          id,
          reader,
          ...(card.atr ? { atr: toHex(card.atr) } : {}),
        });
      } catch (e) {
        this.drop();
        const code: BridgeErrorCode =
          e instanceof ReaderProviderError && e.reason !== 'cardRemoved' ? e.reason : 'readerError';
        this.send({ type: 'error', id, code, message: errorText(e) });
      }
    }

    private async transmit(id: number, apduHex: string): Promise<void> {
      const card = this.card;
      if (!card) {
        this.send({
          type: 'error',
          id,
          code: 'notConnected',
          message: 'connect to a reader first',
        });
        return;
      }
      let response: Uint8Array;
      try {
        response = await card.transmit(fromHex(apduHex));
      } catch (e) {
        const removed = e instanceof ReaderProviderError && e.reason === 'cardRemoved';
        if (removed) await this.release();
        this.send({
          type: 'error',
          id,
          code: removed ? 'cardRemoved' : 'readerError',
          message: errorText(e),
        });
        return;
      }
      if (response.length < 2 || response.length > MAX_RESPONSE_APDU) {
        this.send({
          type: 'error',
          id,
          code: 'readerError',
          message: `the card answered ${response.length} bytes (2 to ${MAX_RESPONSE_APDU} expected)`,
        });
        return;
      }
      this.send({ type: 'response', id, apdu: toHex(response) });
    }

    /** Forgets the reader without closing the card (connect failed). */
    private drop(): void {
      if (this.reader !== undefined && holders.get(this.reader) === this)
        holders.delete(this.reader);
      this.reader = undefined;
      this.card = undefined;
    }

    /** Closes the card and frees the reader for other pages. */
    private async release(): Promise<void> {
      const card = this.card;
      const reader = this.reader;
      this.drop();
      if (card) {
        this.touch();
        await card.close().catch((e: unknown) => {
          log(`bridge: closing ${reader ?? 'the reader'}: ${errorText(e)}`);
        });
        log(`bridge: ${this.origin} released ${reader ?? 'the reader'}`);
      }
    }

    private onClose(): void {
      this.closed = true;
      clearTimeout(this.idleTimer);
      clearTimeout(this.helloTimer);
      if (!sessions.delete(this)) return;
      // After the request in progress (an APDU the card is still working on), free the reader.
      this.queue = this.queue.then(() => this.release()).catch(() => undefined);
    }

    /** The bridge is stopping. */
    async shutdown(): Promise<void> {
      this.fail('idle', 'the bridge is stopping', 1001);
      this.ws.terminate();
      await this.queue;
    }
  }

  const refuse = (socket: Duplex, status: string, text: string): void => {
    const body = `${text}\n`;
    socket.end(
      `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  };

  /** Why an upgrade (or a plain request) is refused, or undefined when it may go on. */
  const refusal = (req: IncomingMessage): string | undefined => {
    const host = hostOfHeader(req.headers.host);
    if (host === undefined || !isLoopbackHost(host))
      return 'The card bridge answers only requests addressed to 127.0.0.1, [::1] or localhost.';
    return undefined;
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => undefined);
    const hostProblem = refusal(req);
    if (hostProblem !== undefined) {
      log(`bridge: refused a connection for Host ${req.headers.host ?? '(none)'}`);
      refuse(socket, '403 Forbidden', hostProblem);
      return;
    }
    const originHeader = req.headers.origin;
    const origin = originHeader === undefined ? undefined : normaliseOrigin(originHeader);
    if (origin === undefined || !origins.includes(origin)) {
      log(
        `bridge: refused a page of ${originHeader ?? '(no origin)'}; allowed: ${origins.join(', ')}` +
          ' (add one with --origin)',
      );
      refuse(socket, '403 Forbidden', 'This page’s origin may not use the card bridge.');
      return;
    }
    try {
      wss.handleUpgrade(req, socket, head, (ws) => {
        new Session(ws, origin);
      });
    } catch (e) {
      log(`bridge: upgrade failed: ${errorText(e)}`);
      socket.destroy();
    }
  };

  const servers: Server[] = [];
  let port = options.port ?? DEFAULT_BRIDGE_PORT;
  const urls: string[] = [];
  for (const host of hosts) {
    const server = createServer((req, res) => {
      // A plain request: a page can learn (without reading it) that the bridge runs.
      const problem = refusal(req);
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      if (problem !== undefined) {
        res.statusCode = 403;
        res.end(`${problem}\n`);
      } else if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.statusCode = 405;
        res.end('GET only\n');
      } else {
        res.statusCode = 426;
        res.setHeader('upgrade', 'websocket');
        res.end('WebLPA card bridge: connect with a WebSocket from the WebLPA app.\n');
      }
    });
    server.on('upgrade', onUpgrade);
    server.on('clientError', (_e, socket) => {
      socket.destroy();
    });
    server.on('error', (e) => {
      log(`bridge: server error: ${errorText(e)}`);
    });
    try {
      port = await listen(server, host, port);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (host.includes(':') && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) {
        log(`bridge: IPv6 loopback (${host}) is not available; listening on IPv4 only`);
        continue;
      }
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      throw new BridgeStartError(
        code === 'EADDRINUSE'
          ? `Port ${port} on ${host} is in use (another bridge?). Choose another with --port.`
          : `Cannot listen on ${host}:${port}: ${errorText(e)}`,
        { cause: e },
      );
    }
    servers.push(server);
    urls.push(`ws://${host.includes(':') ? `[${host}]` : host}:${port}`);
  }
  if (servers.length === 0) throw new BridgeStartError('The bridge could not listen anywhere.');

  return {
    port,
    urls,
    origins,
    get pairingCode() {
      return pairing.currentCode;
    },
    async close() {
      await Promise.all([...sessions].map((s) => s.shutdown()));
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => {
                resolve();
              });
              s.closeAllConnections();
            }),
        ),
      );
      wss.close();
    },
  };
}
