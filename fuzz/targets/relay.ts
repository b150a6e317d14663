/**
 * relay: the ES9+ relay's fetch handler in-process, with an injected resolver (loopback
 * answers, private mixes, garbage, empty, failures: never real DNS) and an injected upstream
 * fetch answering odd statuses, headers and bodies (redirects, 204/304 with bodies, lying
 * Content-Length, oversize, erroring or stalled streams, thrown non-Errors); plus raw HTTP/1.1
 * to the relay's node listener on 127.0.0.1 (request line, Host, targets, Content-Length).
 * Failure: a 5xx other than the upstream's own status or the relay's 502/504 upstream errors
 * (a 502 "relay failure" is the relay hiding an internal exception: a crash), a thrown handler,
 * a hang, or an upstream call to a blocked address when private targets are refused.
 */
import { isLoopbackOrigin } from '../../src/server/common/cors.ts';
import { startRelay, type RunningRelay } from '../../src/server/relay/node.ts';
import {
  createRelayHandler,
  type Resolver,
  type UpstreamFetch,
} from '../../src/server/relay/relay.ts';
import { describeError, type Failure, type FuzzTarget, type TargetInstance } from '../harness.ts';
import { concatBytes, mutateBytes, mutateJsonText } from '../mutate.ts';
import type { Prng } from '../prng.ts';
import { openConnections, rawConnectionFailure, rawRequest, sendRaw } from '../raw-http.ts';

const RESOLVER_ANSWERS: readonly (readonly string[] | 'throw' | 'throwString')[] = [
  ['127.0.0.1'],
  ['::1'],
  ['127.0.0.1', '::1'],
  [],
  'throw',
  'throwString',
  ['127.0.0.1', '10.0.0.1'],
  ['not-an-ip'],
  ['::ffff:127.0.0.1'],
  ['0.0.0.0'],
  ['::'],
  ['127.1'],
  [''],
  ['fe80::1%eth0'],
];

const HOSTS = [
  'smdp.fuzz.invalid',
  'SMDP.FUZZ.INVALID',
  'smdp.fuzz.invalid:8443',
  'smdp.fuzz.invalid:443',
  '127.0.0.1',
  '127.0.0.1:8443',
  '[::1]',
  '[::1]:8443',
  '[::ffff:7f00:1]',
  '[::ffff:127.0.0.1]:443',
  '0x7f.1',
  '2130706433',
  '%31%32%37.0.0.1',
  'a..b',
  '-a.example',
  'host:0',
  'host:65536',
  'host:443:1',
  'host:0443',
  '[1:2:3:4:5:6:7:8:9]',
  '[]',
  'xn--bcher-kva.example',
  'a'.repeat(300),
  'user@host',
];

const FUNCTIONS = [
  'es9plus/initiateAuthentication',
  'es9plus/authenticateClient',
  'es9plus/getBoundProfilePackage',
  'es9plus/handleNotification',
  'es9plus/cancelSession',
  'es11/initiateAuthentication',
  'es11/authenticateClient',
  'es11/cancelSession',
  'es9plus/x',
];

const UPSTREAM_STATUSES = [
  200, 200, 200, 201, 204, 299, 301, 302, 304, 307, 400, 404, 429, 500, 502, 503, 599,
];

type BodyKind = 'json' | 'empty' | 'oversize' | 'error' | 'stall' | 'lying';
type UpstreamMode = 'answer' | 'throw' | 'throwString' | 'abortable';

interface HandlerCase {
  kind: 'handler';
  config: 0 | 1;
  method: string;
  path: string;
  headers: [string, string][];
  body: Uint8Array;
  resolver: number;
  upstream: {
    mode: UpstreamMode;
    status: number;
    contentLength: string | undefined;
    contentType: string | undefined;
    body: BodyKind;
  };
}

interface RawCase {
  kind: 'raw';
  bytes: Uint8Array;
}

type RelayInput = HandlerCase | RawCase;

const REQUEST_BODY = {
  euiccChallenge: 'ESIzRFVmd4iZqrvM3e7/AA==',
  euiccInfo1: 'vyAXggMCAgCpCAQG8f/DtMaTqggEBvH/w7TGkw==',
  smdpAddress: 'smdp.fuzz.invalid',
};

function relayPath(rng: Prng): string {
  const host = rng.chance(0.6) ? 'smdp.fuzz.invalid' : rng.pick(HOSTS);
  const fn = rng.chance(0.7) ? FUNCTIONS[0]! : rng.pick(FUNCTIONS);
  let path = `/es9p/${host}/gsma/rsp2/${fn}`;
  switch (rng.int(10)) {
    case 0:
      path = path.replace('/es9p/', rng.pick(['/es9p//', '/ES9P/', '/es9p/%2F', '/relay/es9p/']));
      break;
    case 1:
      path += rng.pick(['/', '/extra', '?q=1', '%00', '/..']);
      break;
    case 2:
      path = new TextDecoder().decode(mutateBytes(rng, new TextEncoder().encode(path), [], 2, 6));
      break;
    default:
      break;
  }
  return path;
}

function generate(rng: Prng): RelayInput {
  if (rng.chance(0.3)) {
    return {
      kind: 'raw',
      bytes: rawRequest(rng, {
        method: 'POST',
        target: relayPath(rng),
        contentType: 'application/json',
        body: mutateJsonText(rng, REQUEST_BODY),
      }),
    };
  }
  const headers: [string, string][] = [];
  if (rng.chance(0.85))
    headers.push(['content-type', rng.chance(0.9) ? 'application/json' : 'text/plain']);
  if (rng.chance(0.3))
    headers.push([
      'origin',
      rng.pick([
        'http://127.0.0.1:4173',
        'http://localhost:5173',
        'https://evil.example',
        'null',
        'http://[::1]:4173',
        'http://127.0.0.1.evil.example',
      ]),
    ]);
  if (rng.chance(0.15))
    headers.push(['content-length', rng.pick(['-1', '1e9', 'abc', '0', '99999999999999999999'])]);
  if (rng.chance(0.1))
    headers.push(['x-admin-protocol', rng.pick(['gsma/rsp/v2.2.0', '', 'x'.repeat(500)])]);
  const bodyChoice = rng.int(10);
  const body =
    bodyChoice === 0
      ? new Uint8Array(rng.pick([0, 64 * 1024, 64 * 1024 + 1, 200_000]))
      : mutateJsonText(rng, REQUEST_BODY);
  return {
    kind: 'handler',
    config: rng.chance(0.6) ? 0 : 1,
    method: rng.chance(0.85) ? 'POST' : rng.pick(['GET', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']),
    path: relayPath(rng),
    headers,
    body,
    resolver: rng.int(RESOLVER_ANSWERS.length),
    upstream: {
      mode: rng.chance(0.85) ? 'answer' : rng.pick(['throw', 'throwString', 'abortable'] as const),
      status: rng.pick(UPSTREAM_STATUSES),
      contentLength: rng.chance(0.7)
        ? undefined
        : rng.pick(['0', '5', '-1', 'abc', '99999999999', '1e3']),
      contentType: rng.chance(0.8)
        ? 'application/json'
        : rng.pick([undefined, '', 'text/html', 'x'.repeat(1000)]),
      body: rng.pick([
        'json',
        'json',
        'json',
        'empty',
        'oversize',
        'error',
        'stall',
        'lying',
      ] as const),
    },
  };
}

function encode(input: RelayInput): Uint8Array {
  if (input.kind === 'raw') return concatBytes(Uint8Array.of(0x52), input.bytes);
  const { body, ...rest } = input;
  return concatBytes(new TextEncoder().encode(JSON.stringify(rest) + '\n'), body);
}

const MAX_RESPONSE = 64 * 1024;

function upstreamBody(kind: BodyKind, signal: AbortSignal): ReadableStream<Uint8Array> | null {
  const json = new TextEncoder().encode(
    '{"header":{"functionExecutionStatus":{"status":"Executed-Success"}}}',
  );
  switch (kind) {
    case 'empty':
      return null;
    case 'oversize':
      return new ReadableStream({
        pull(c) {
          c.enqueue(new Uint8Array(16 * 1024));
        },
      });
    case 'error':
      return new ReadableStream({
        start(c) {
          c.enqueue(json.subarray(0, 10));
          c.error(new TypeError('terminated'));
        },
      });
    case 'stall':
      // A server that sends headers and then nothing: the stream ends with the signal, as
      // Node's fetch does.
      return new ReadableStream({
        start(c) {
          c.enqueue(json.subarray(0, 5));
          signal.addEventListener('abort', () => {
            c.error(signal.reason);
          });
        },
      });
    default:
      return new ReadableStream({
        start(c) {
          c.enqueue(json);
          c.close();
        },
      });
  }
}

/** Relay errors that may be 5xx: the upstream failed, not the relay. */
const UPSTREAM_CODES = new Set([
  'dnsFailure',
  'responseTooLarge',
  'upstreamRedirect',
  'badUpstreamStatus',
  'upstreamUnreachable',
  'timeout',
]);

function relayStatusFailure(
  status: number,
  text: string,
  upstreamStatus: number | undefined,
  where: string,
): Failure | undefined {
  if (status < 500) return undefined;
  let code: unknown;
  let error: unknown;
  try {
    ({ code, error } = JSON.parse(text) as { code?: unknown; error?: unknown });
  } catch {
    code = undefined;
  }
  if (status === 502 && error === 'relay failure')
    return {
      kind: 'crash',
      detail: `${where}: 502 "relay failure" (an internal exception was caught)`,
    };
  // The upstream's own 5xx, relayed as is.
  if (upstreamStatus !== undefined && status === upstreamStatus) return undefined;
  if ((status === 502 || status === 504) && typeof code === 'string' && UPSTREAM_CODES.has(code))
    return undefined;
  return { kind: '5xx', detail: `${where}: answered ${status} ${text.slice(0, 120)}` };
}

export const relayTarget: FuzzTarget = {
  name: 'relay',
  description: 'ES9+ relay handler with odd upstreams and resolvers, and raw HTTP to its listener',
  budgetMs: 5000,
  async setup(): Promise<TargetInstance<unknown>> {
    let current: HandlerCase | undefined;
    let upstreamStatus: number | undefined;
    const seen: { blocked: string | undefined } = { blocked: undefined };
    const blockedCall = (): string | undefined => seen.blocked;
    const resolve: Resolver = (host) => {
      const answer = RESOLVER_ANSWERS[current?.resolver ?? 0]!;
      if (answer === 'throw') return Promise.reject(new Error(`ENOTFOUND ${host}`));
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      if (answer === 'throwString') return Promise.reject('ENOTFOUND');
      return Promise.resolve([...answer]);
    };
    const upstreamFetch: UpstreamFetch = (_url, init, target) => {
      const c = current;
      if (
        c?.config === 1 &&
        target.addresses.some((a) => /^(127\.|::1$|::ffff:127\.|10\.|0\.0\.0\.0$|::$)/.test(a))
      )
        seen.blocked = target.addresses.join(',');
      const up = c?.upstream ?? {
        mode: 'answer',
        status: 200,
        contentLength: undefined,
        contentType: 'application/json',
        body: 'json',
      };
      if (up.mode === 'throw') return Promise.reject(new TypeError('fetch failed'));
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      if (up.mode === 'throwString') return Promise.reject('socket hang up');
      if (up.mode === 'abortable')
        return new Promise((_, reject) => {
          init.signal.addEventListener('abort', () => {
            reject(init.signal.reason as Error);
          });
        });
      const headers = new Headers();
      if (up.contentType !== undefined) headers.set('content-type', up.contentType);
      if (up.contentLength !== undefined) headers.set('content-length', up.contentLength);
      if (up.body === 'lying') headers.set('content-length', String(MAX_RESPONSE * 4));
      if (up.status >= 300 && up.status < 400)
        headers.set('location', 'http://127.0.0.1/elsewhere');
      const noBody = up.status === 204 || up.status === 304;
      upstreamStatus = up.status;
      return Promise.resolve(
        new Response(noBody ? null : upstreamBody(up.body, init.signal), {
          status: up.status,
          headers,
        }),
      );
    };
    const common = { resolve, upstreamFetch, maxResponseBytes: MAX_RESPONSE, timeoutMs: 300 };
    const handlers = [
      createRelayHandler({
        ...common,
        allowedOrigins: isLoopbackOrigin,
        allowPrivateTargets: true,
        allowedPorts: [443, 8443],
      }),
      createRelayHandler({
        ...common,
        allowedOrigins: ['http://127.0.0.1:4173'],
        allowWithoutOrigin: false,
      }),
    ];
    let relay: RunningRelay | undefined = await startRelay({
      ...common,
      allowedOrigins: isLoopbackOrigin,
      allowPrivateTargets: true,
      port: 0,
    });
    const instance: TargetInstance<RelayInput> = {
      generate,
      encode,
      async execute(input) {
        current = undefined;
        upstreamStatus = undefined;
        seen.blocked = undefined;
        if (input.kind === 'raw') {
          const before = await openConnections(relay!.server);
          const out = await sendRaw(relay!.port, input.bytes, 3000);
          for (const [i, s] of out.statuses.entries()) {
            const body = out.text.split('\r\n\r\n')[i + 1] ?? '';
            const f = relayStatusFailure(s, body, 200, 'raw request');
            if (f) return f;
          }
          return rawConnectionFailure(relay!.server, out, before);
        }
        let request: Request;
        try {
          const hasBody = input.method !== 'GET' && input.method !== 'HEAD';
          request = new Request(`http://127.0.0.1:8001${input.path}`, {
            method: input.method,
            headers: input.headers,
            ...(hasBody ? { body: input.body as Uint8Array<ArrayBuffer> } : {}),
          });
        } catch {
          return undefined; // not a request a client could send
        }
        current = input;
        let response: Response;
        let text: string;
        try {
          response = await handlers[input.config]!(request);
          text = await response.text();
        } catch (e) {
          return { kind: 'crash', detail: `handler threw ${describeError(e)}` };
        }
        const blocked = blockedCall();
        if (blocked !== undefined)
          return {
            kind: 'invariant',
            detail: `upstream called for blocked addresses ${blocked}`,
          };
        return relayStatusFailure(
          response.status,
          text,
          upstreamStatus,
          `${input.method} ${input.path.slice(0, 80)}`,
        );
      },
      async close() {
        await relay?.close();
        relay = undefined;
      },
    };
    return instance;
  },
};
