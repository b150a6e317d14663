// Shared by the card bridge's tests: a bridge over software eUICCs on an ephemeral loopback
// port, and a raw WebSocket client that queues what the bridge says.
import WebSocket from 'ws';
import { createEuicc, createTestIdentity } from '../../../src/euicc/index.ts';
import type { SoftwareEuicc } from '../../../src/euicc/software-euicc.ts';
import { MemoryTokenStore } from '../../../src/server/bridge/pairing.ts';
import {
  startBridge,
  type BridgeOptions,
  type BridgeServer,
} from '../../../src/server/bridge/server.ts';
import { VirtualReaderProvider } from '../../../src/server/bridge/virtual-provider.ts';

export const APP_ORIGIN = 'http://127.0.0.1:4173';
export const READER = 'Virtual Reader 0';
export const EMPTY_READER = 'Virtual Reader 1';
export const PAIRING_CODE = '12345678';

const identity = createTestIdentity({
  curve: 'P-256',
  seed: 'bridge-tests',
  eid: '89049032123451234512345678901235',
});

export function testEuicc(): SoftwareEuicc {
  return createEuicc({ identity });
}

export interface TestBridge {
  bridge: BridgeServer;
  provider: VirtualReaderProvider;
  url: string;
  codes: string[];
  lines: string[];
}

/** A bridge on 127.0.0.1 (ephemeral port) with one card in READER and none in EMPTY_READER. */
export async function testBridge(options: Partial<BridgeOptions> = {}): Promise<TestBridge> {
  const provider = new VirtualReaderProvider({ [READER]: testEuicc(), [EMPTY_READER]: undefined });
  const codes: string[] = [];
  const lines: string[] = [];
  let next = 0;
  const bridge = await startBridge({
    provider,
    port: 0,
    hosts: ['127.0.0.1'],
    origins: [APP_ORIGIN],
    tokens: new MemoryTokenStore(),
    newPairingCode: () => (next++ === 0 ? PAIRING_CODE : String(87654321 - next)),
    onPairingCode: (code) => codes.push(code),
    log: (line) => lines.push(line),
    ...options,
  });
  return { bridge, provider, url: `ws://127.0.0.1:${bridge.port}`, codes, lines };
}

export interface Client {
  ws: WebSocket;
  send(message: unknown): void;
  sendRaw(data: string | Buffer, binary?: boolean): void;
  /** The next message from the bridge (parsed JSON); fails after 5 s. */
  next(): Promise<Record<string, unknown>>;
  /** Resolves with the close code and reason once the connection closes. */
  closed: Promise<{ code: number; reason: string }>;
}

export function refusedStatus(
  url: string,
  options: WebSocket.ClientOptions & { origin?: string },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      ws.close();
      reject(new Error('the bridge accepted the connection'));
    });
    ws.on('error', () => undefined);
  });
}

export async function connectClient(url: string, origin = APP_ORIGIN): Promise<Client> {
  const ws = new WebSocket(url, { origin });
  const queue: Record<string, unknown>[] = [];
  const waiting: ((m: Record<string, unknown>) => void)[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>;
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
    });
  });
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve();
    });
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`refused: ${res.statusCode}`));
    });
  });
  return {
    ws,
    send: (m) => {
      ws.send(JSON.stringify(m));
    },
    sendRaw: (data, binary = false) => {
      ws.send(data, { binary });
    },
    next: () => {
      const m = queue.shift();
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error('no message from the bridge within 5 s'));
        }, 5000);
        waiting.push((msg) => {
          clearTimeout(timer);
          resolve(msg);
        });
      });
    },
    closed,
  };
}

/** Connects, says hello with `token`, pairs with `code` when not paired; returns the client. */
export async function pairedClient(
  url: string,
  options: { code?: string; token?: string; origin?: string } = {},
): Promise<{ client: Client; token: string | undefined }> {
  const client = await connectClient(url, options.origin);
  client.send({ type: 'hello', version: 1, ...(options.token ? { token: options.token } : {}) });
  const welcome = await client.next();
  if (welcome['paired'] === true) return { client, token: options.token };
  client.send({ type: 'pair', code: options.code ?? PAIRING_CODE });
  const paired = await client.next();
  if (paired['type'] !== 'paired') throw new Error(`pairing failed: ${JSON.stringify(paired)}`);
  return { client, token: paired['token'] as string };
}
