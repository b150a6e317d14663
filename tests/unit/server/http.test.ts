// The node:http adapter of the local services: hand-written request bytes over raw sockets to a
// server on 127.0.0.1. Whatever a client sends, the answer is a 4xx (never 500), the handler only
// ever sees a well-formed Request, and a client that goes away mid-body leaves nothing unhandled.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import {
  checkHostHeader,
  checkRequestHead,
  RequestRejectedError,
  type RequestHead,
  closeServer,
  listen,
  toNodeListener,
  type FetchHandler,
} from '../../../src/server/common/http.ts';
import { startLocalServices } from '../../../src/server/local-services.ts';

interface Seen {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

let server: Server;
let port = 0;
/** The same listener behind Node's lenient parser, so the guard itself is what refuses. */
let lenient: Server;
let lenientPort = 0;
const seen: Seen[] = [];
const errors: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown): void => {
  unhandled.push(e);
};

/** Echoes what it was given, so tests can check what the adapter passed on. */
const echo: FetchHandler = async (request) => {
  const s: Seen = {
    method: request.method,
    url: request.url,
    headers: [...request.headers.entries()],
    body: await request.text(),
  };
  seen.push(s);
  return new Response(JSON.stringify(s), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
};

beforeAll(async () => {
  process.on('uncaughtException', onUnhandled);
  process.on('unhandledRejection', onUnhandled);
  server = createServer(
    toNodeListener(echo, {
      maxBodyBytes: 1024,
      onError: (m) => errors.push(m),
    }),
  );
  port = await listen(server, 0, '127.0.0.1');
  lenient = createServer(
    { insecureHTTPParser: true },
    toNodeListener(echo, { maxBodyBytes: 1024, onError: (m) => errors.push(m) }),
  );
  lenientPort = await listen(lenient, 0, '127.0.0.1');
});

afterAll(async () => {
  await closeServer(server);
  await closeServer(lenient);
  process.off('uncaughtException', onUnhandled);
  process.off('unhandledRejection', onUnhandled);
});

beforeEach(() => {
  seen.length = 0;
  errors.length = 0;
});

afterEach(() => {
  expect(errors, 'no failure reached the error log').toEqual([]);
  expect(unhandled, 'no unhandled exception or rejection').toEqual([]);
});

interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/**
 * Sends `bytes` on a fresh connection and reads until the server closes it (every test request
 * says Connection: close, and every refusal closes). Bounded by a timeout.
 */
function raw(bytes: string | Buffer, to = port, timeoutMs = 5_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(to, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(text);
      if (!m) {
        reject(new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 80))}`));
        return;
      }
      const end = text.indexOf('\r\n\r\n');
      const headers = new Map<string, string>();
      for (const line of text.slice(m[0].length, end).split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
      }
      resolve({ status: Number(m[1]), headers, body: text.slice(end + 4) });
    });
    socket.write(bytes);
  });
}

const req = (head: string, body = ''): string =>
  `${head}\r\nConnection: close\r\n${body ? `Content-Length: ${body.length}\r\n` : ''}\r\n${body}`;

describe('request guard: methods', () => {
  it('passes the ordinary methods on', async () => {
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const body = method === 'GET' || method === 'HEAD' ? '' : 'x';
      const r = await raw(req(`${method} /a HTTP/1.1\r\nHost: 127.0.0.1`, body));
      expect(r.status, method).toBe(200);
    }
    expect(seen.map((s) => s.method)).toEqual([
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'DELETE',
      'PATCH',
      'OPTIONS',
    ]);
  });

  it.each(['TRACE', 'CONNECT', 'TRACK', 'PROPFIND', 'PURGE', 'M-SEARCH', 'FOO'])(
    '%s gets 400 or 405, never 500, and never reaches the handler',
    async (method) => {
      const target = method === 'CONNECT' ? '127.0.0.1:443' : '/a';
      const r = await raw(req(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1`));
      expect([400, 405]).toContain(r.status);
      if (r.status === 405) expect(r.headers.get('allow')).toMatch(/GET.*POST.*OPTIONS/);
      // Methods Node's parser knows are refused by the guard with 405.
      if (method !== 'TRACK' && method !== 'FOO') expect(r.status).toBe(405);
      expect(seen).toEqual([]);
    },
  );

  it('CONNECT with a large body is answered 405 and its connection does not outlive the client', async () => {
    const own = createServer(toNodeListener(echo, { maxBodyBytes: 1024 }));
    const ownPort = await listen(own, 0, '127.0.0.1');
    const head = 'CONNECT /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 70000\r\n\r\n';
    const r = await raw(Buffer.concat([Buffer.from(head), Buffer.alloc(70_000, 0x41)]), ownPort);
    expect(r.status).toBe(405);
    // The server must be able to close: no socket of the refused CONNECT is left behind.
    const closed = await Promise.race([
      closeServer(own).then(() => true),
      new Promise<boolean>((resolve) => {
        setTimeout(() => {
          resolve(false);
        }, 4_000);
      }),
    ]);
    expect(closed, 'close() finished').toBe(true);
  });

  it('TRACE is refused with 405 and an Allow header', async () => {
    const r = await raw(req('TRACE / HTTP/1.1\r\nHost: 127.0.0.1'));
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS');
  });
});

describe('request guard: Host', () => {
  it.each(['a b', '[', '127.0.0.1:99999', '%', '@', '', 'a@b', 'a/b', '[::1', 'x:y', 'a\\b'])(
    'Host %j gets 400',
    async (host) => {
      const r = await raw(req(`GET / HTTP/1.1\r\nHost: ${host}`));
      expect(r.status).toBe(400);
      expect(seen).toEqual([]);
    },
  );

  it('a missing Host (HTTP/1.1) or two Host fields get 400', async () => {
    expect((await raw(req('GET / HTTP/1.1'))).status).toBe(400);
    expect((await raw(req('GET / HTTP/1.1\r\nHost: a\r\nHost: b'))).status).toBe(400);
    expect(seen).toEqual([]);
  });

  it.each([
    ['127.0.0.1:8000', 'http://127.0.0.1:8000/p'],
    ['localhost', 'http://localhost/p'],
    ['[::1]:8001', 'http://[::1]:8001/p'],
    ['Example.COM.', 'http://example.com./p'],
    ['a-b.example:', 'http://a-b.example/p'],
  ])('Host %j is accepted', async (host, url) => {
    const r = await raw(req(`GET /p HTTP/1.1\r\nHost: ${host}`));
    expect(r.status).toBe(200);
    expect(seen[0]?.url).toBe(url);
  });

  it('checkHostHeader follows RFC 3986 host[:port]', () => {
    expect(checkHostHeader('127.0.0.1:8000')).toBe('127.0.0.1:8000');
    expect(checkHostHeader('[::1]')).toBe('[::1]');
    expect(checkHostHeader('[fe80::1%25eth0]')).toBeUndefined();
    expect(checkHostHeader('[v1.x]')).toBeUndefined();
    expect(checkHostHeader('a:65535')).toBe('a:65535');
    expect(checkHostHeader('a:65536')).toBeUndefined();
    expect(checkHostHeader('a:1:2')).toBeUndefined();
    expect(checkHostHeader(' a')).toBeUndefined();
  });
});

describe('request guard: request-target', () => {
  it('origin-form keeps the host: //other.example/ is a path, not another host', async () => {
    const r = await raw(req('GET //evil.example/x?q=1 HTTP/1.1\r\nHost: 127.0.0.1:8000'));
    expect(r.status).toBe(200);
    expect(seen[0]?.url).toBe('http://127.0.0.1:8000//evil.example/x?q=1');
  });

  it('absolute-form to this host is taken; to another host, or with user info, gets 400', async () => {
    const ok = await raw(req('GET http://127.0.0.1:8000/x HTTP/1.1\r\nHost: 127.0.0.1:8000'));
    expect(ok.status).toBe(200);
    expect(seen[0]?.url).toBe('http://127.0.0.1:8000/x');
    for (const target of [
      'http://evil.example/x',
      'http://127.0.0.1:8001/x',
      'http://u@127.0.0.1:8000/x',
      'ftp://127.0.0.1:8000/x',
    ]) {
      const r = await raw(req(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:8000`));
      expect(r.status, target).toBe(400);
    }
    expect(seen).toHaveLength(1);
  });

  it('"*" only with OPTIONS (answered here with Allow); otherwise 400', async () => {
    const star = await raw(req('OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1'));
    expect(star.status).toBe(204);
    expect(star.headers.get('allow')).toMatch(/OPTIONS/);
    const bad = await raw(req('GET * HTTP/1.1\r\nHost: 127.0.0.1'));
    expect(bad.status).toBe(400);
    expect(seen).toEqual([]);
  });

  it.each(['/a%zz', '/a%', 'a', '/a#frag', '/a"b', '/a<b>', '/a{b}', '/a|b', '/a^b', '/a`b'])(
    'target %j gets 400',
    async (target) => {
      const r = await raw(req(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1`));
      expect(r.status).toBe(400);
      expect(seen).toEqual([]);
    },
  );
});

describe('request guard: header fields and framing', () => {
  it.each([
    ['a NUL in a value', 'X-A: a\x00b'],
    ['a bare CR in a value', 'X-A: a\rb'],
    ['a DEL in a value', 'X-A: a\x7fb'],
    ['a control character in a value', 'X-A: a\x01b'],
    ['a space in a name', 'X A: b'],
    ['a colon-less line', 'X-A'],
  ])('%s gets 400 (strict and lenient parser)', async (_what, line) => {
    const bytes = Buffer.from(req(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n${line}`), 'latin1');
    expect((await raw(bytes)).status).toBe(400);
    expect((await raw(bytes, lenientPort)).status).toBe(400);
    expect(seen).toEqual([]);
  });

  it('a field value Headers() refuses never reaches a handler', () => {
    const head = (value: string): RequestHead => ({
      method: 'GET',
      url: '/',
      httpVersion: '1.1',
      rawHeaders: ['Host', '127.0.0.1', 'X-A', value],
    });
    expect(checkRequestHead(head('ok')).headers.get('x-a')).toBe('ok');
    for (const value of ['a\0b', 'a\nb', 'a\u0100b']) {
      expect(() => checkRequestHead(head(value))).toThrow(RequestRejectedError);
    }
  });

  it('duplicate header fields reach the handler combined', async () => {
    const r = await raw(req('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\r\nX-A: 2'));
    expect(r.status).toBe(200);
    expect(seen[0]?.headers).toContainEqual(['x-a', '1, 2']);
  });

  it.each([
    ['two equal Content-Length fields', 'Content-Length: 1\r\nContent-Length: 1'],
    ['two different Content-Length fields', 'Content-Length: 1\r\nContent-Length: 2'],
    ['a Content-Length list', 'Content-Length: 1, 1'],
    ['a signed Content-Length', 'Content-Length: +1'],
    ['a hexadecimal Content-Length', 'Content-Length: 0x1'],
    ['a negative Content-Length', 'Content-Length: -1'],
    ['a fractional Content-Length', 'Content-Length: 1.0'],
    ['an empty Content-Length', 'Content-Length: '],
    ['Transfer-Encoding with Content-Length', 'Transfer-Encoding: chunked\r\nContent-Length: 1'],
    ['a Transfer-Encoding not ending in chunked', 'Transfer-Encoding: gzip'],
    ['chunked twice', 'Transfer-Encoding: chunked, chunked'],
  ])('%s gets 400 (strict and lenient parser)', async (_what, lines) => {
    const bytes = `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines}\r\nConnection: close\r\n\r\nx`;
    expect((await raw(bytes)).status).toBe(400);
    expect((await raw(bytes, lenientPort)).status).toBe(400);
    expect(seen).toEqual([]);
  });

  it('a chunked body is read and passed on', async () => {
    const r = await raw(
      'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
        '3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n',
    );
    expect(r.status).toBe(200);
    expect(seen[0]?.body).toBe('abcde');
  });

  it('a body over the limit gets 413 without the handler', async () => {
    const declared = await raw(req('POST / HTTP/1.1\r\nHost: 127.0.0.1', 'x'.repeat(1025)));
    expect(declared.status).toBe(413);
    const chunk = 'x'.repeat(600);
    const chunked = await raw(
      'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
        `258\r\n${chunk}\r\n258\r\n${chunk}\r\n0\r\n\r\n`,
    );
    expect(chunked.status).toBe(413);
    expect(seen).toEqual([]);
  });
});

/** Waits (bounded) until the server has no open connection left. */
async function drained(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<number>((resolve) => {
      server.getConnections((_e, n) => {
        resolve(n);
      });
    });
    if (open === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('connections still open');
}

describe('clients that go away', () => {
  it('a client that closes mid-body: no handler call, nothing unhandled, the server still serves', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc', () => {
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        });
      });
      socket.on('error', () => undefined);
    });
    await drained();
    expect(seen).toEqual([]);
    const r = await raw(req('GET / HTTP/1.1\r\nHost: 127.0.0.1'));
    expect(r.status).toBe(200);
  });

  it('a connection reset mid-body: the same', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab',
          () => {
            setTimeout(() => {
              socket.resetAndDestroy();
              resolve();
            }, 50);
          },
        );
      });
      socket.on('error', () => undefined);
    });
    await drained();
    expect(seen).toEqual([]);
    expect((await raw(req('GET / HTTP/1.1\r\nHost: 127.0.0.1'))).status).toBe(200);
  });

  it('a client that goes away while the handler runs: nothing unhandled', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let called = 0;
    const slow = createServer(
      toNodeListener(
        async () => {
          called++;
          await gate;
          return new Response('late');
        },
        { maxBodyBytes: 1024, onError: (m) => errors.push(m) },
      ),
    );
    const slowPort = await listen(slow, 0, '127.0.0.1');
    try {
      await new Promise<void>((resolve) => {
        const socket = connect(slowPort, '127.0.0.1', () => {
          socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\nx');
        });
        socket.on('error', () => undefined);
        // Bounded: the handler is reached at once, then the client leaves.
        const deadline = Date.now() + 5_000;
        const poll = (): void => {
          if (called > 0 || Date.now() > deadline) {
            socket.destroy();
            resolve();
          } else setTimeout(poll, 10);
        };
        poll();
      });
      expect(called).toBe(1);
      await new Promise((r) => setTimeout(r, 50));
      release();
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await closeServer(slow);
    }
  });
});

describe('both local services use the guard', () => {
  it('the test SM-DP+ and the relay answer TRACE, CONNECT and a bad Host with 4xx', async () => {
    const services = await startLocalServices({ smdpPort: 0, relayPort: 0, catalogue: [] });
    try {
      for (const base of [services.smdpUrl, services.relayUrl]) {
        const to = Number(new URL(base).port);
        const trace = await raw(req('TRACE / HTTP/1.1\r\nHost: 127.0.0.1'), to);
        expect(trace.status, base).toBe(405);
        const connectMethod = await raw(req('CONNECT a:443 HTTP/1.1\r\nHost: a:443'), to);
        expect(connectMethod.status, base).toBe(405);
        const host = await raw(req('POST /x HTTP/1.1\r\nHost: 127.0.0.1:99999', '{}'), to);
        expect(host.status, base).toBe(400);
      }
    } finally {
      await services.close();
    }
  });
});

describe('keep-alive', () => {
  it('pipelined requests on one connection are all answered, in order', async () => {
    const r = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('no answer'));
      }, 5_000);
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks).toString('latin1'));
      });
      socket.write(
        'POST /1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\na' +
          'GET /2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' +
          'GET /3 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      );
    });
    expect(r.match(/HTTP\/1\.1 200/g)).toHaveLength(3);
    // Handlers may finish in any order (the POST reads a body); the answers keep request order.
    expect(seen.map((s) => new URL(s.url).pathname).sort()).toEqual(['/1', '/2', '/3']);
    const at = (p: string): number => r.indexOf(`"url":"http://127.0.0.1${p}"`);
    expect(at('/1')).toBeGreaterThan(0);
    expect(at('/1')).toBeLessThan(at('/2'));
    expect(at('/2')).toBeLessThan(at('/3'));
  });
});
