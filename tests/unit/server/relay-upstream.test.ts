/**
 * The relay on node:http against misbehaving HTTPS upstreams: raw TLS servers on 127.0.0.1 that
 * answer statuses the Fetch API cannot represent, switch protocols, stall, or cannot be reached
 * at all. Each must end in a typed JSON answer within the relay's deadline, and the process
 * (which `npm start` shares with the app and the SM-DP+) must survive.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { certificateToPem, privateKeyToPem } from '../../../src/rsp/index.ts';
import { createServerPki, type CiCredentials } from '../../../src/server/smdp/credentials.ts';
import { startRelay, type RunningRelay } from '../../../src/server/relay/node.ts';

const ADDR = 'testsmdpplus1.example.com';
const ORIGIN = 'http://127.0.0.1:4173';
/** Short, so a stalled upstream ends the test quickly; far below the test timeout. */
const DEADLINE_MS = 1500;
const TEST_TIMEOUT_MS = 15_000;

/** What the raw upstream does with one connection, once the request head has arrived. */
type Scenario = (socket: TLSSocket) => void;

let pki: CiCredentials;
let upstream: Server;
let upstreamPort: number;
let scenario: Scenario = () => undefined;
const openSockets = new Set<Socket>();
let relay: RunningRelay;
const resolved: string[] = [];
const uncaught: unknown[] = [];
const onUncaught = (e: unknown): void => {
  uncaught.push(e);
};

/** Host names the relay may use, all mapped to addresses that never leave this machine. */
const NAMES: Record<string, string[]> = {
  [ADDR]: ['127.0.0.1'],
  // Link-local without a zone: connect() fails at once (EINVAL), as for an IPv6-only name on a
  // host without IPv6.
  'v6only.example.com': ['fe80::1'],
  // The limited broadcast address: connect() fails at once (ENETUNREACH/EACCES).
  'broadcast.example.com': ['255.255.255.255'],
};

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  [pki] = createServerPki({
    smdpAddress: ADDR,
    smdpOid: '2.999.10',
    smdsAddress: 'testsmds1.example.com',
    smdsOid: '2.999.11',
    curves: ['P-256'],
    seed: 'relay-upstream',
  }) as [CiCredentials];
  upstream = createServer(
    { cert: certificateToPem(pki.dpTls.certificate), key: privateKeyToPem(pki.dpTls.key) },
    (socket) => {
      openSockets.add(socket);
      socket.on('close', () => {
        openSockets.delete(socket);
      });
      socket.on('error', () => undefined);
      let head = '';
      const onData = (chunk: Buffer): void => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        socket.off('data', onData);
        scenario(socket);
      };
      socket.on('data', onData);
    },
  );
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamPort = (upstream.address() as AddressInfo).port;
  relay = await startRelay({
    allowedOrigins: [ORIGIN],
    extraCa: [certificateToPem(pki.ci.certificate)],
    // Every target here is loopback or fails before any packet leaves the machine.
    allowPrivateTargets: true,
    allowedPorts: [upstreamPort, 443],
    timeoutMs: DEADLINE_MS,
    resolve: (host) => {
      resolved.push(host);
      return Promise.resolve(NAMES[host] ?? []);
    },
  });
});

afterEach(() => {
  for (const s of openSockets) s.destroy();
  scenario = () => undefined;
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  for (const s of openSockets) s.destroy();
  await relay.close();
  await new Promise<void>((resolve) => {
    upstream.close(() => {
      resolve();
    });
  });
});

/** Answers the raw text, then leaves the connection open. */
function answer(raw: string): Scenario {
  return (socket) => {
    socket.write(raw.replace(/\n/g, '\r\n'));
  };
}

/** Writes `raw` (CRLF line ends as given) and settles once the relay closes the socket. */
function writeUntilClosed(socket: TLSSocket, raw: string): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => {
      resolve();
    });
  });
  socket.write(raw);
  return closed;
}

async function call(
  host = `${ADDR}:${upstreamPort}`,
  fn = 'initiateAuthentication',
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${relay.url}/${host}/gsma/rsp2/es9plus/${fn}`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: '{"smdpAddress":"testsmdpplus1.example.com"}',
  });
  return { status: res.status, text: await res.text() };
}

async function expectRelayError(
  pending: Promise<{ status: number; text: string }>,
  status: number,
  code: string,
): Promise<void> {
  const res = await pending;
  expect(res.status).toBe(status);
  const body = JSON.parse(res.text) as { error: unknown; code: unknown };
  expect(body.code).toBe(code);
  expect(typeof body.error).toBe('string');
}

const OK = 'HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 2\n\n{}';

describe('relay against misbehaving upstreams', () => {
  it('relays an ordinary answer', async () => {
    scenario = answer(OK);
    expect(await call()).toEqual({ status: 200, text: '{}' });
  });

  it.each([
    ['099', 'HTTP/1.1 099 Odd\nContent-Length: 0\n\n'],
    ['600', 'HTTP/1.1 600 Odd\nContent-Length: 0\n\n'],
    ['999', 'HTTP/1.1 999 Odd\nContent-Length: 0\n\n'],
    ['101 without Upgrade', 'HTTP/1.1 101 Switching Protocols\n\n'],
  ])(
    'answers 502 for status %s',
    async (_name, raw) => {
      scenario = answer(raw);
      await expectRelayError(call(), 502, 'badUpstreamStatus');
      // The process is still up and the relay still works.
      scenario = answer(OK);
      expect((await call()).status).toBe(200);
      expect(uncaught).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'answers 502 at once for a 101 upgrade and closes the upstream socket',
    async () => {
      let closed!: Promise<void>;
      scenario = (socket) => {
        closed = writeUntilClosed(
          socket,
          'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
        );
      };
      await expectRelayError(call(), 502, 'badUpstreamStatus');
      await closed;
      expect(uncaught).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'passes 205 on without a body',
    async () => {
      scenario = answer('HTTP/1.1 205 Reset Content\nContent-Length: 0\n\n');
      expect(await call()).toEqual({ status: 205, text: '' });
      scenario = answer(OK);
      expect((await call()).status).toBe(200);
      expect(uncaught).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'answers 504 when the upstream never sends headers',
    async () => {
      scenario = () => undefined;
      await expectRelayError(call(), 504, 'timeout');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'answers 504 and closes the upstream when the body stalls after the headers',
    async () => {
      let closed!: Promise<void>;
      scenario = (socket) => {
        closed = writeUntilClosed(
          socket,
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
        );
      };
      await expectRelayError(call(), 504, 'timeout');
      await closed;
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'answers 504 when the TLS handshake never completes',
    async () => {
      // A plain TCP listener that accepts and says nothing: the ClientHello goes unanswered.
      const silent = createTcpServer((s) => {
        s.on('error', () => undefined);
        openSockets.add(s);
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as AddressInfo).port;
      const local = await startRelay({
        allowedOrigins: [ORIGIN],
        allowPrivateTargets: true,
        allowedPorts: [port],
        timeoutMs: DEADLINE_MS,
        resolve: () => Promise.resolve(['127.0.0.1']),
      });
      try {
        const res = await fetch(`${local.url}/${ADDR}:${port}/gsma/rsp2/es9plus/cancelSession`, {
          method: 'POST',
          headers: { origin: ORIGIN, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(res.status).toBe(504);
        expect(await res.json()).toMatchObject({ code: 'timeout' });
      } finally {
        await local.close();
        for (const s of openSockets) s.destroy();
        await new Promise<void>((resolve) => {
          silent.close(() => {
            resolve();
          });
        });
      }
    },
    TEST_TIMEOUT_MS,
  );

  it.each(['v6only.example.com', 'broadcast.example.com'])(
    'answers 502 when connecting to %s fails at once',
    async (host) => {
      await expectRelayError(call(host), 502, 'upstreamUnreachable');
      scenario = answer(OK);
      expect((await call()).status).toBe(200);
      expect(uncaught).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it.each(['0127.0.0.1', '0x7f.1', '2130706433', '127.1', '0x7f000001', '127.0.0.01'])(
    'refuses the numeric-looking host %s before any lookup',
    async (host) => {
      resolved.length = 0;
      await expectRelayError(call(host), 400, 'badTarget');
      expect(resolved).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
