/**
 * Raw HTTP/1.1 over a node:net socket to a loopback listener, for fuzzing request parsing:
 * structure-aware request generation (method, request target, Host, Content-Length,
 * Transfer-Encoding, body) plus byte-level damage, and a reader that collects the status codes
 * answered until the server closes or the budget ends.
 */
import { connect, type Server } from 'node:net';
import type { Failure } from './harness.ts';
import type { Prng } from './prng.ts';
import { concatBytes, mutateBytes } from './mutate.ts';

export interface RawRequestSeed {
  method: string;
  target: string;
  contentType: string;
  body: Uint8Array;
}

const METHODS = [
  'POST',
  'GET',
  'OPTIONS',
  'HEAD',
  'PUT',
  'DELETE',
  'PATCH',
  'CONNECT',
  'TRACE',
  'post',
  'P0ST',
  'X'.repeat(300),
  '',
];

const HOSTS = [
  '127.0.0.1',
  'localhost:8000',
  '[::1]:80',
  '',
  'a b',
  '[::1',
  'exa mple.com',
  'host:99999',
  'host:-1',
  'h\u00e9st',
  '%00',
  'user@host',
  'x'.repeat(5000),
  '[fe80::1%25eth0]',
  ':',
  '@',
  '/',
  '?',
  '#',
];

function targets(rng: Prng, target: string): string {
  switch (rng.int(12)) {
    case 0:
      return `http://127.0.0.1${target}`;
    case 1:
      return '*';
    case 2:
      return '127.0.0.1:443';
    case 3:
      return `${target}?a=1&b=%zz`;
    case 4:
      return `${target}#frag`;
    case 5:
      return target.replace(/\//g, '//');
    case 6:
      return target.replace(/\//g, '%2F');
    case 7:
      return `/../..${target}`;
    case 8:
      return `${target}/${'a'.repeat(rng.pick([10, 1000, 9000]))}`;
    case 9:
      return target.toUpperCase();
    case 10:
      return `http://[::1${target}`;
    default:
      return target;
  }
}

/** A request line, headers and body built from a seed with structural edits, maybe byte-damaged. */
export function rawRequest(rng: Prng, seed: RawRequestSeed): Uint8Array {
  const method = rng.chance(0.6) ? seed.method : rng.pick(METHODS);
  const target = rng.chance(0.5) ? seed.target : targets(rng, seed.target);
  const version = rng.chance(0.9)
    ? 'HTTP/1.1'
    : rng.pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 x', 'HTTP/9', '']);
  let body = seed.body;
  if (rng.chance(0.3)) body = mutateBytes(rng, body, [], 3);
  const headers: string[] = [];
  const hostChoice = rng.int(10);
  if (hostChoice < 5) headers.push('Host: 127.0.0.1');
  else if (hostChoice < 8) headers.push(`Host: ${rng.pick(HOSTS)}`);
  else if (hostChoice === 8) headers.push('Host: 127.0.0.1', `Host: ${rng.pick(HOSTS)}`);
  if (rng.chance(0.8))
    headers.push(
      `Content-Type: ${rng.chance(0.8) ? seed.contentType : rng.pick(['text/plain', '', 'application/json; charset=latin1', 'application/jsonx'])}`,
    );
  if (rng.chance(0.3))
    headers.push(
      `Origin: ${rng.pick(['http://127.0.0.1:4173', 'null', 'https://evil.example', 'http://[::1]', ''])}`,
    );
  if (rng.chance(0.1))
    headers.push(`X-Admin-Protocol: ${rng.pick(['gsma/rsp/v2.2.0', '', 'x'.repeat(2000)])}`);
  let payload = body;
  const lengthChoice = rng.int(12);
  if (lengthChoice < 6) headers.push(`Content-Length: ${body.length}`);
  else if (lengthChoice === 6)
    headers.push(
      `Content-Length: ${rng.pick(['-1', '1e3', '0x10', '99999999999999999999', ' 5', '5, 6', 'abc', String(body.length + 10), String(Math.max(0, body.length - 3))])}`,
    );
  else if (lengthChoice === 7)
    headers.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 1}`);
  else if (lengthChoice === 8) {
    headers.push('Transfer-Encoding: chunked');
    const hex = body.length.toString(16);
    payload = concatBytes(
      new TextEncoder().encode(
        `${rng.chance(0.8) ? hex : rng.pick(['zz', '-1', 'ffffffffffffffff', ''])}\r\n`,
      ),
      body,
      new TextEncoder().encode(rng.chance(0.8) ? '\r\n0\r\n\r\n' : '\r\n'),
    );
  } else if (lengthChoice === 9)
    headers.push('Transfer-Encoding: chunked', `Content-Length: ${body.length}`);
  else if (lengthChoice === 10)
    headers.push('Expect: 100-continue', `Content-Length: ${body.length}`);
  if (rng.chance(0.1)) headers.push(`X-Long: ${'h'.repeat(rng.pick([100, 20_000, 70_000]))}`);
  if (rng.chance(0.1))
    headers.push(
      rng.pick([
        'Bad Header: x',
        'NoColon',
        ': empty',
        'X-Nul: a\u0000b',
        'Connection: close',
        'Connection: keep-alive, upgrade',
        'Upgrade: websocket',
      ]),
    );
  const eol = rng.chance(0.95) ? '\r\n' : rng.pick(['\n', '\r']);
  const head = `${method} ${target} ${version}${eol}${headers.join(eol)}${eol}${eol}`;
  let bytes = concatBytes(new TextEncoder().encode(head), payload);
  if (rng.chance(0.15)) bytes = mutateBytes(rng, bytes, [], 2);
  if (rng.chance(0.05)) bytes = concatBytes(bytes, bytes); // a pipelined second request
  return bytes;
}

export interface RawOutcome {
  /** Status codes of the responses received, in order. */
  statuses: number[];
  /** The response bytes (as latin1 text). */
  text: string;
  /** The server closed the connection (or reset it). */
  closed: boolean;
}

/**
 * Sends `bytes`, half-closes, and collects responses until the server closes the connection,
 * or `quietMs` passes after a response, or `budgetMs` passes.
 */
export function sendRaw(
  port: number,
  bytes: Uint8Array,
  budgetMs: number,
  quietMs = 150,
): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let done = false;
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(overall);
      clearTimeout(quiet);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses = [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
      resolve({ statuses, text, closed });
    };
    const overall = setTimeout(() => {
      finish(false);
    }, budgetMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      clearTimeout(quiet);
      quiet = setTimeout(() => {
        finish(false);
      }, quietMs);
    });
    socket.on('error', () => {
      finish(true);
    });
    socket.on('close', () => {
      finish(true);
    });
    socket.on('connect', () => {
      socket.end(Buffer.from(bytes));
    });
  });
}

/** How many connections `server` holds now. */
export function openConnections(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.getConnections((err, count) => {
      resolve(err ? 0 : count);
    });
  });
}

/**
 * Waits until `server` holds no more than `baseline` connections (connections leaked by earlier
 * cases do not count against this one); false when more are still open after `ms`: the server
 * keeps a socket its peer closed.
 */
export async function connectionsDrained(
  server: Server,
  ms: number,
  baseline = 0,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if ((await openConnections(server)) <= baseline) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * What a raw exchange says about the connection's life: a hang when the server still holds it
 * 1 s after the client closed it (beyond `baseline`, the connections earlier cases leaked), or
 * when it neither answered nor closed.
 */
export async function rawConnectionFailure(
  server: Server,
  out: RawOutcome,
  baseline: number,
): Promise<Failure | undefined> {
  if (!(await connectionsDrained(server, 1000, baseline)))
    return {
      kind: 'hang',
      detail: 'raw request: the server still holds the connection 1 s after the client closed it',
    };
  if (!out.closed && out.statuses.length === 0)
    return { kind: 'hang', detail: 'raw request: no answer and the connection stayed open' };
  return undefined;
}
