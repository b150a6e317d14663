/**
 * A stand-in for vsmartcard's vpcd on 127.0.0.1 (ephemeral port): it accepts the virtual card's
 * connection and speaks vpcd's framing to it, so the served eUICC is tested without pcscd. Also
 * a Transport over it, so the LPA can drive the served card as it would through PC/SC.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { encodeFrame, VPCD_CONTROL, VpcdFrameDecoder } from '../../../src/server/vpcd/framing.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import type { Transport } from '../../../src/transport/transport.ts';

export class FakeVpcd {
  private socket: Socket | undefined;
  private readonly decoder = new VpcdFrameDecoder();
  private readonly received: Uint8Array[] = [];
  private waiters: (() => void)[] = [];
  private connectionWaiters: ((s: Socket) => void)[] = [];
  /** Connections accepted so far. */
  connections = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {
    server.on('connection', (s) => {
      this.socket?.destroy();
      this.socket = s;
      this.decoder.clear();
      this.received.length = 0;
      this.connections++;
      s.on('data', (chunk: Buffer) => {
        this.received.push(...this.decoder.push(chunk));
        const w = this.waiters;
        this.waiters = [];
        for (const f of w) f();
      });
      s.on('error', () => undefined);
      s.on('close', () => {
        if (this.socket === s) this.socket = undefined;
        const w = this.waiters;
        this.waiters = [];
        for (const f of w) f();
      });
      const cw = this.connectionWaiters;
      this.connectionWaiters = [];
      for (const f of cw) f(s);
    });
  }

  static listen(port = 0): Promise<FakeVpcd> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const a = server.address();
        resolve(new FakeVpcd(server, typeof a === 'object' && a !== null ? a.port : port));
      });
    });
  }

  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  /** Resolves when a card is connected (now or later). */
  waitForCard(timeoutMs = 5_000): Promise<void> {
    if (this.connected) return Promise.resolve();
    return this.nextConnection(timeoutMs);
  }

  /** Resolves with the next connection accepted from now on. */
  nextConnection(timeoutMs = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no card connected within ${timeoutMs} ms`));
      }, timeoutMs);
      this.connectionWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sends bytes as they are (tests of the card's framing). */
  sendRaw(bytes: Uint8Array): void {
    if (!this.socket) throw new Error('no card connected');
    this.socket.write(bytes);
  }

  send(payload: Uint8Array): void {
    this.sendRaw(encodeFrame(payload));
  }

  control(byte: number): void {
    this.send(Uint8Array.of(byte));
  }

  /** The next message from the card. */
  async next(timeoutMs = 5_000): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.received.shift();
      if (m) return m;
      if (!this.connected) throw new TransportClosedError('the card is not connected');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message from the card within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Messages received and not yet read. */
  get unread(): number {
    return this.received.length;
  }

  async atr(): Promise<Uint8Array> {
    this.control(VPCD_CONTROL.GET_ATR);
    return this.next();
  }

  async apdu(command: Uint8Array): Promise<Uint8Array> {
    this.send(command);
    return this.next();
  }

  /** Closes the card's connection, as vpcd does when pcscd stops. */
  dropCard(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  /**
   * A Transport over this reader. `before(apdu)` may throw to fail an exchange (a reader
   * reset seen by the application).
   */
  transport(before?: (apdu: Uint8Array) => void): Transport {
    return {
      label: 'fake vpcd',
      maxStoreDataBlock: 255,
      transmit: (apdu) => {
        try {
          before?.(apdu);
        } catch (e) {
          return Promise.reject(e instanceof Error ? e : new Error(String(e)));
        }
        return this.apdu(apdu);
      },
      close: () => Promise.resolve(),
    };
  }

  close(): Promise<void> {
    this.dropCard();
    return new Promise((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}
