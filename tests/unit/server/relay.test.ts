import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRelayHandler,
  parseRelayPath,
  RelayError,
  type RelayOptions,
  type UpstreamFetch,
  UpstreamStatusError,
} from '../../../src/server/relay/relay.ts';
import { startRelay, type RunningRelay } from '../../../src/server/relay/node.ts';

const ORIGIN = 'https://lpa.example.org';

interface Call {
  url: string;
  headers: Headers;
  body: Uint8Array;
  addresses: readonly string[];
}

function setup(over: Partial<RelayOptions> = {}, reply?: () => Response) {
  const calls: Call[] = [];
  const upstreamFetch: UpstreamFetch = (url, init, target) => {
    calls.push({ url, headers: init.headers, body: init.body, addresses: target.addresses });
    return Promise.resolve(
      reply
        ? reply()
        : new Response('{"header":{"functionExecutionStatus":{"status":"Executed-Success"}}}', {
            status: 200,
            headers: { 'content-type': 'application/json', 'x-admin-protocol': 'gsma/rsp/v2.2.0' },
          }),
    );
  };
  const handler = createRelayHandler({
    allowedOrigins: [ORIGIN],
    upstreamFetch,
    resolve: (host) =>
      Promise.resolve(
        host === 'private.example.com'
          ? ['93.184.216.34', '10.0.0.5']
          : host === 'v6private.example.com'
            ? ['fd00::1']
            : host === 'nxdomain.example.com'
              ? []
              : ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
      ),
    ...over,
  });
  return { handler, calls };
}

function post(path: string, init: RequestInit = {}): Request {
  return new Request(`http://relay.local${path}`, {
    method: 'POST',
    body: '{"transactionId":"01"}',
    ...init,
    headers: {
      origin: ORIGIN,
      'content-type': 'application/json',
      'x-admin-protocol': 'gsma/rsp/v2.2.0',
      ...(init.headers as Record<string, string> | undefined),
    },
  });
}

const FN = '/es9p/smdp.example.com/gsma/rsp2/es9plus/authenticateClient';

describe('relay path scheme', () => {
  it('maps /es9p/<host[:port]>/gsma/rsp2/<iface>/<fn> to https', () => {
    expect(parseRelayPath(FN).url).toBe(
      'https://smdp.example.com/gsma/rsp2/es9plus/authenticateClient',
    );
    expect(
      parseRelayPath('/es9p/SMDP.example.com:8443/gsma/rsp2/es11/initiateAuthentication'),
    ).toMatchObject({
      hostname: 'smdp.example.com',
      port: 8443,
      url: 'https://smdp.example.com:8443/gsma/rsp2/es11/initiateAuthentication',
    });
    expect(parseRelayPath('/es9p/[2001:db8::1]/gsma/rsp2/es9plus/cancelSession').hostname).toBe(
      '2001:db8::1',
    );
  });
  it.each([
    '/es9p/smdp.example.com/gsma/rsp2/es9plus/unknownFunction',
    '/es9p/smdp.example.com/gsma/rsp2/es11/getBoundProfilePackage',
    '/es9p/smdp.example.com/other/path',
    '/es9p/smdp.example.com/gsma/rsp2/es9plus/initiateAuthentication/extra',
    '/proxy/smdp.example.com/gsma/rsp2/es9plus/initiateAuthentication',
    '/es9p/user@host/gsma/rsp2/es9plus/initiateAuthentication',
    '/es9p/ho_st/gsma/rsp2/es9plus/initiateAuthentication',
    '/es9p/host:99999/gsma/rsp2/es9plus/initiateAuthentication',
    '/es9p/[::ffff:0127.0.0.1]/gsma/rsp2/es9plus/initiateAuthentication',
  ])('refuses %s', (path) => {
    expect(() => parseRelayPath(path)).toThrow(RelayError);
  });
  // The system resolver reads these as IPv4 numbers: refused before any lookup.
  it.each(['0127.0.0.1', '0x7f.1', '0x7f.0.0.1', '127.1', '2130706433', '127.0.0.01', '1.2.3.4.5'])(
    'refuses the numeric-looking host %s',
    (host) => {
      expect(() =>
        parseRelayPath(`/es9p/${host}/gsma/rsp2/es9plus/initiateAuthentication`),
      ).toThrow(expect.objectContaining({ status: 400, reason: 'badTarget' }) as Error);
    },
  );
});

describe('relay handler', () => {
  it('forwards a POST with the LPA headers and returns the answer with CORS', async () => {
    const { handler, calls } = setup();
    const res = await handler(post(FN));
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-expose-headers')).toBe('x-admin-protocol, retry-after');
    expect(res.headers.get('x-admin-protocol')).toBe('gsma/rsp/v2.2.0');
    expect(await res.json()).toEqual({
      header: { functionExecutionStatus: { status: 'Executed-Success' } },
    });
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.url).toBe('https://smdp.example.com/gsma/rsp2/es9plus/authenticateClient');
    expect(call.headers.get('user-agent')).toBe('gsma-rsp-lpad');
    expect(call.headers.get('x-admin-protocol')).toBe('gsma/rsp/v2.2.0');
    expect(new TextDecoder().decode(call.body)).toBe('{"transactionId":"01"}');
    expect(call.addresses).toEqual(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']);
  });

  it('passes 204 through without a body', async () => {
    const { handler } = setup({}, () => new Response(null, { status: 204 }));
    const res = await handler(post('/es9p/smdp.example.com/gsma/rsp2/es9plus/handleNotification'));
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('answers the preflight for allowed origins only', async () => {
    const { handler } = setup();
    const ok = await handler(
      new Request(`http://relay.local${FN}`, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
      }),
    );
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-headers')).toBe('content-type, x-admin-protocol');
    const bad = await handler(
      new Request(`http://relay.local${FN}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example' },
      }),
    );
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });

  async function refusal(req: Request, over: Partial<RelayOptions> = {}) {
    const { handler, calls } = setup(over);
    const res = await handler(req);
    const body = (await res.json()) as { error: string; code: string };
    expect(calls).toHaveLength(0);
    return { status: res.status, code: body.code };
  }

  it('refuses a disallowed origin', async () => {
    expect(await refusal(post(FN, { headers: { origin: 'https://evil.example' } }))).toEqual({
      status: 403,
      code: 'forbiddenOrigin',
    });
  });
  it('refuses other paths and methods', async () => {
    expect(await refusal(post('/es9p/smdp.example.com/admin'))).toEqual({
      status: 404,
      code: 'notFound',
    });
    expect(await refusal(post('/anything'))).toEqual({ status: 404, code: 'notFound' });
    expect(
      await refusal(
        new Request(`http://relay.local${FN}`, { method: 'GET', headers: { origin: ORIGIN } }),
      ),
    ).toEqual({ status: 405, code: 'methodNotAllowed' });
  });
  it('refuses ports other than 443 unless allowed', async () => {
    const path = '/es9p/smdp.example.com:8443/gsma/rsp2/es9plus/authenticateClient';
    expect(await refusal(post(path))).toEqual({ status: 403, code: 'forbiddenPort' });
    const { handler, calls } = setup({ allowedPorts: [443, 8443] });
    expect((await handler(post(path))).status).toBe(200);
    expect(calls[0]!.url).toBe(
      'https://smdp.example.com:8443/gsma/rsp2/es9plus/authenticateClient',
    );
  });
  it.each([
    ['/es9p/127.0.0.1/gsma/rsp2/es9plus/initiateAuthentication'],
    ['/es9p/10.0.0.1/gsma/rsp2/es9plus/initiateAuthentication'],
    ['/es9p/[::1]/gsma/rsp2/es9plus/initiateAuthentication'],
    ['/es9p/[::ffff:192.168.1.1]/gsma/rsp2/es9plus/initiateAuthentication'],
    ['/es9p/[::ffff:0:7f00:1]/gsma/rsp2/es9plus/initiateAuthentication'],
    ['/es9p/[::ffff:0:127.0.0.1]/gsma/rsp2/es9plus/initiateAuthentication'],
    ['/es9p/[64:ff9b::10.0.0.1]/gsma/rsp2/es9plus/initiateAuthentication'],
    ['/es9p/[2002:c0a8:101::1]/gsma/rsp2/es9plus/initiateAuthentication'],
    ['/es9p/[3fff::1]/gsma/rsp2/es9plus/initiateAuthentication'],
    ['/es9p/[5f00::1]/gsma/rsp2/es9plus/initiateAuthentication'],
    ['/es9p/private.example.com/gsma/rsp2/es9plus/initiateAuthentication'],
    ['/es9p/v6private.example.com/gsma/rsp2/es9plus/initiateAuthentication'],
  ])('refuses the private target %s', async (path) => {
    expect(await refusal(post(path))).toEqual({ status: 403, code: 'forbiddenAddress' });
  });
  it('allows private targets only when configured', async () => {
    const { handler, calls } = setup({ allowPrivateTargets: true });
    const res = await handler(
      post('/es9p/private.example.com/gsma/rsp2/es9plus/initiateAuthentication'),
    );
    expect(res.status).toBe(200);
    expect(calls[0]!.addresses).toEqual(['93.184.216.34', '10.0.0.5']);
  });
  it('reports a name that does not resolve', async () => {
    expect(
      await refusal(post('/es9p/nxdomain.example.com/gsma/rsp2/es9plus/initiateAuthentication')),
    ).toEqual({
      status: 502,
      code: 'dnsFailure',
    });
  });
  it('refuses an oversize request body', async () => {
    expect(await refusal(post(FN, { body: 'x'.repeat(70 * 1024) }))).toEqual({
      status: 413,
      code: 'requestTooLarge',
    });
  });
  it('refuses an oversize response and redirects', async () => {
    const big = setup(
      { maxResponseBytes: 1000 },
      () => new Response('y'.repeat(5000), { status: 200 }),
    );
    const r1 = await big.handler(post(FN));
    expect(r1.status).toBe(502);
    expect(((await r1.json()) as { code: string }).code).toBe('responseTooLarge');
    const redirect = setup(
      {},
      () => new Response(null, { status: 302, headers: { location: 'http://10.0.0.1/' } }),
    );
    const r2 = await redirect.handler(post(FN));
    expect(r2.status).toBe(502);
    expect(((await r2.json()) as { code: string }).code).toBe('upstreamRedirect');
  });
  it('maps network failures and timeouts', async () => {
    const down = createRelayHandler({
      allowedOrigins: [ORIGIN],
      resolve: () => Promise.resolve(['93.184.216.34']),
      upstreamFetch: () => Promise.reject(new TypeError('connect ECONNREFUSED')),
    });
    const r1 = await down(post(FN));
    expect(r1.status).toBe(502);
    expect(((await r1.json()) as { code: string }).code).toBe('upstreamUnreachable');
    const slow = createRelayHandler({
      allowedOrigins: [ORIGIN],
      timeoutMs: 50,
      resolve: () => Promise.resolve(['93.184.216.34']),
      upstreamFetch: (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal.addEventListener('abort', () => {
            reject(new Error('aborted'));
          });
        }),
    });
    const r2 = await slow(post(FN));
    expect(r2.status).toBe(504);
    expect(((await r2.json()) as { code: string }).code).toBe('timeout');
  });
  it('answers 502 for an answer the upstream fetch cannot represent', async () => {
    const handler = createRelayHandler({
      allowedOrigins: [ORIGIN],
      resolve: () => Promise.resolve(['93.184.216.34']),
      upstreamFetch: () =>
        Promise.reject(new UpstreamStatusError(101, 'the server switched protocols (HTTP 101)')),
    });
    const res = await handler(post(FN));
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({
      code: 'badUpstreamStatus',
      error: 'the server switched protocols (HTTP 101)',
    });
  });
  it('passes 205 on without a body', async () => {
    const { handler } = setup({}, () => new Response(null, { status: 205 }));
    const res = await handler(post(FN));
    expect(res.status).toBe(205);
    expect(await res.text()).toBe('');
  });

  // The deadline holds even for a resolver or an upstream fetch that ignores the signal.
  describe('one deadline over the whole exchange', () => {
    const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
    async function codeOf(res: Response): Promise<[number, string]> {
      return [res.status, ((await res.json()) as { code: string }).code];
    }
    it('covers the lookup', async () => {
      let fetched = false;
      const handler = createRelayHandler({
        allowedOrigins: [ORIGIN],
        timeoutMs: 50,
        resolve: never,
        upstreamFetch: () => {
          fetched = true;
          return never();
        },
      });
      expect(await codeOf(await handler(post(FN)))).toEqual([504, 'timeout']);
      expect(fetched).toBe(false);
    });
    it('covers the headers', async () => {
      const handler = createRelayHandler({
        allowedOrigins: [ORIGIN],
        timeoutMs: 50,
        resolve: () => Promise.resolve(['93.184.216.34']),
        upstreamFetch: never,
      });
      expect(await codeOf(await handler(post(FN)))).toEqual([504, 'timeout']);
    });
    it('covers the body and cancels it', async () => {
      let cancelled: unknown;
      const handler = createRelayHandler({
        allowedOrigins: [ORIGIN],
        timeoutMs: 50,
        resolve: () => Promise.resolve(['93.184.216.34']),
        upstreamFetch: () =>
          Promise.resolve(
            new Response(
              new ReadableStream<Uint8Array>({
                start(controller) {
                  controller.enqueue(new TextEncoder().encode('{"header":'));
                },
                cancel(reason) {
                  cancelled = reason;
                },
              }),
              { status: 200, headers: { 'content-type': 'application/json' } },
            ),
          ),
      });
      expect(await codeOf(await handler(post(FN)))).toEqual([504, 'timeout']);
      expect(cancelled).toMatchObject({ reason: 'timeout' });
    });
  });

  it('never logs bodies or matching IDs', async () => {
    const lines: string[] = [];
    const { handler } = setup({
      onLog: (e) => {
        lines.push(JSON.stringify(e));
      },
    });
    await handler(
      post(FN, { body: '{"matchingId":"SECRET-MATCHING-ID","transactionId":"ABCDEF"}' }),
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/SECRET|ABCDEF/);
  });
});

describe('relay on node:http', () => {
  let relay: RunningRelay;
  beforeAll(async () => {
    relay = await startRelay({
      allowedOrigins: [ORIGIN],
      resolve: () => Promise.resolve(['10.9.9.9']),
    });
  });
  afterAll(async () => {
    await relay.close();
  });
  it('serves refusals as JSON over real HTTP', async () => {
    const res = await fetch(
      `${relay.url}/smdp.example.com/gsma/rsp2/es9plus/initiateAuthentication`,
      {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: '{}',
      },
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbiddenAddress' });
    const big = await fetch(
      `${relay.url}/smdp.example.com/gsma/rsp2/es9plus/initiateAuthentication`,
      {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: 'z'.repeat(200 * 1024),
      },
    );
    expect(big.status).toBe(413);
  });
});
