/**
 * The TCP link from the served card to vpcd: connects as a client, answers vpcd's messages
 * through the card, and connects again with a growing back-off when vpcd is not listening yet
 * or goes away (pcscd restarted). A lost connection is a card pulled out of the reader.
 */
import { connect } from 'node:net';
import { encodeFrame, VPCD_DEFAULT_PORT, VpcdFrameDecoder } from './framing.ts';

export interface VpcdAddress {
  host: string;
  port: number;
}

export class VpcdAddressError extends Error {
  override readonly name = 'VpcdAddressError';
}

/**
 * `host:port`, `host`, `:port`, `[v6]:port` or `[v6]`; the default is 127.0.0.1:35963 (vpcd's
 * first reader).
 */
export function parseVpcdAddress(text: string | undefined): VpcdAddress {
  const fallback = { host: '127.0.0.1', port: VPCD_DEFAULT_PORT };
  if (text === undefined || text === '') return fallback;
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d*))?$/.exec(text);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
  } else {
    const i = text.lastIndexOf(':');
    if (i >= 0 && text.indexOf(':') !== i)
      throw new VpcdAddressError(`vpcd address ${text}: write an IPv6 address as [addr]:port`);
    host = i >= 0 ? text.slice(0, i) : text;
    portText = i >= 0 ? text.slice(i + 1) : undefined;
  }
  if (host === '') host = fallback.host;
  if (!/^[A-Za-z0-9.:-]+$/.test(host))
    throw new VpcdAddressError(`vpcd address ${text}: "${host}" is not a host name or address`);
  let port = fallback.port;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535)
      throw new VpcdAddressError(`vpcd address ${text}: the port must be 1-65535`);
    port = Number(portText);
  }
  return { host, port };
}

export interface VpcdCardSide {
  /** One message from vpcd; the answer to send, if any. */
  handle(message: Uint8Array): Uint8Array | undefined;
  /** The connection ended: the card is out of the reader. */
  removed(): void;
}

export interface VpcdLinkOptions {
  address: VpcdAddress;
  card: VpcdCardSide;
  log: (line: string) => void;
  signal: AbortSignal;
  /** false: end when the first connection that was made closes. Default true. */
  reconnect?: boolean;
  /** Back-off between connection attempts: from initialMs, doubling up to maxMs. */
  backoff?: { initialMs: number; maxMs: number };
  /** A connection attempt that takes longer fails (default 10 s). */
  connectTimeoutMs?: number;
  /** Called when a connection to vpcd is made (tests wait for it). */
  onConnected?: () => void;
}

const DEFAULT_BACKOFF = { initialMs: 250, maxMs: 5_000 };

type Attempt = { kind: 'served' } | { kind: 'failed'; reason: string };

function serveOneConnection(o: VpcdLinkOptions): Promise<Attempt> {
  const where = `${o.address.host}:${o.address.port}`;
  return new Promise((resolve) => {
    const socket = connect({ host: o.address.host, port: o.address.port });
    const decoder = new VpcdFrameDecoder();
    let connected = false;
    let failure = 'closed';
    const timer = setTimeout(() => {
      socket.destroy(new Error(`no connection within ${o.connectTimeoutMs ?? 10_000} ms`));
    }, o.connectTimeoutMs ?? 10_000);
    const onAbort = (): void => {
      socket.destroy();
    };
    o.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      clearTimeout(timer);
      connected = true;
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      o.log(`vpcd: connected to ${where}`);
      o.onConnected?.();
    });
    socket.on('data', (chunk: Buffer) => {
      for (const message of decoder.push(chunk)) {
        if (socket.destroyed) return;
        let answer: Uint8Array | undefined;
        try {
          answer = o.card.handle(message);
        } catch (e) {
          // The card side already answers its own failures; this is a last guard for the link.
          o.log(`vpcd: the card failed on a message: ${(e as Error).message}`);
          answer = message.length > 1 ? Uint8Array.of(0x6f, 0x00) : undefined;
        }
        if (answer !== undefined) socket.write(encodeFrame(answer));
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      failure = e.code ?? e.message;
    });
    socket.once('close', () => {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      if (connected) {
        if (decoder.buffered > 0)
          o.log(`vpcd: connection ended inside a message (${decoder.buffered} bytes dropped)`);
        o.card.removed();
        if (!o.signal.aborted) o.log(`vpcd: ${where} closed the connection (${failure})`);
        resolve({ kind: 'served' });
      } else resolve({ kind: 'failed', reason: failure });
    });
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Serves the card to vpcd until `signal` aborts (or, with `reconnect: false`, until the first
 * connection closes). Connection failures are retried with back-off and logged once per run of
 * failures.
 */
export async function runVpcdLink(o: VpcdLinkOptions): Promise<void> {
  const backoff = o.backoff ?? DEFAULT_BACKOFF;
  const where = `${o.address.host}:${o.address.port}`;
  let delay = backoff.initialMs;
  let failures = 0;
  while (!o.signal.aborted) {
    const attempt = await serveOneConnection(o);
    if (o.signal.aborted) break;
    if (attempt.kind === 'served') {
      if (o.reconnect === false) return;
      failures = 0;
      delay = backoff.initialMs;
    } else {
      failures++;
      if (failures === 1)
        o.log(
          `vpcd: cannot connect to ${where} (${attempt.reason}); is pcscd running with vpcd? ` +
            `trying again every ${backoff.maxMs} ms at most`,
        );
    }
    await pause(delay, o.signal);
    if (attempt.kind === 'failed') delay = Math.min(delay * 2, backoff.maxMs);
  }
}
