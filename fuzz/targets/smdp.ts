/**
 * smdp: the test SM-DP+/SM-DS. In-process cases replay a prefix of the recorded ES9+/ES11
 * requests against a fresh core (seeded: the recorded transaction IDs and challenges are valid
 * again), then send a mutated request (JSON value edits, base64 fields with TLV edits,
 * duplicate keys, invalid UTF-8, other paths, methods and content types) and a few recorded ones
 * after it. Raw cases send mutated HTTP/1.1 bytes to the node listener on 127.0.0.1.
 * Failure: a 5xx answer, a thrown handler, or no answer within the budget.
 */
import { createSmdpHandler } from '../../src/server/smdp/server.ts';
import { startSmdpServer, type RunningSmdp } from '../../src/server/smdp/node.ts';
import type { FetchHandler } from '../../src/server/common/http.ts';
import { describeError, type Failure, type FuzzTarget, type TargetInstance } from '../harness.ts';
import { concatBytes, mutateJsonText } from '../mutate.ts';
import type { Prng } from '../prng.ts';
import { openConnections, rawConnectionFailure, rawRequest, sendRaw } from '../raw-http.ts';
import { loadCorpus, makeCore, type Corpus } from '../corpus.ts';

interface HttpCase {
  kind: 'http';
  prefix: number;
  method: string;
  path: string;
  contentType: string;
  body: Uint8Array;
  tail: number;
  remoteAddress: string;
}

interface RawCase {
  kind: 'raw';
  bytes: Uint8Array;
}

type SmdpInput = HttpCase | RawCase;

const FUNCTIONS = [
  'initiateAuthentication',
  'authenticateClient',
  'getBoundProfilePackage',
  'handleNotification',
  'cancelSession',
  'unknownFunction',
];

const JSON_TYPE = 'application/json;charset=UTF-8';

function mutatePath(rng: Prng, path: string): string {
  switch (rng.int(10)) {
    case 0:
      return path.replace(/[^/]+$/, rng.pick(FUNCTIONS));
    case 1:
      return path.replace('es9plus', 'es11');
    case 2:
      return rng.pick([
        '/state',
        '/admin/events',
        '/',
        '/gsma/rsp2/es9plus/',
        '/gsma/rsp2/es9plus/a%2Fb',
      ]);
    default:
      return path;
  }
}

function generate(corpus: Corpus, rng: Prng): SmdpInput {
  const reqs = corpus.requests;
  const bodies = reqs.map((r) => JSON.parse(r.body) as unknown);
  if (rng.chance(0.25)) {
    const r = rng.pick(reqs);
    return {
      kind: 'raw',
      bytes: rawRequest(rng, {
        method: 'POST',
        target: r.path,
        contentType: JSON_TYPE,
        body: rng.chance(0.7)
          ? mutateJsonText(rng, JSON.parse(r.body), bodies)
          : new TextEncoder().encode(r.body),
      }),
    };
  }
  const k = rng.int(reqs.length);
  const original = reqs[k]!;
  const adminEvent = rng.chance(0.05);
  const path = adminEvent ? '/admin/events' : mutatePath(rng, original.path);
  const seedBody = adminEvent
    ? {
        eid: corpus.initialState.identity.eid,
        eventId: 'FUZZ-EVENT',
        rspServerAddress: 'testsmdpplus1.example.com',
      }
    : bodies[k];
  return {
    kind: 'http',
    prefix: k,
    method: rng.chance(0.93) ? 'POST' : rng.pick(['GET', 'PUT', 'OPTIONS', 'DELETE']),
    path,
    contentType: rng.chance(0.9)
      ? JSON_TYPE
      : rng.pick(['application/json', 'text/plain', '', 'APPLICATION/JSON ; x=y']),
    body: rng.chance(0.95) ? mutateJsonText(rng, seedBody, bodies) : rng.bytes(rng.smallInt(2000)),
    tail: rng.int(4),
    remoteAddress: rng.chance(0.9)
      ? '127.0.0.1'
      : rng.pick(['::1', '10.0.0.1', '', '::ffff:127.0.0.1']),
  };
}

function encode(input: SmdpInput): Uint8Array {
  if (input.kind === 'raw') return concatBytes(Uint8Array.of(0x52), input.bytes);
  const head = new TextEncoder().encode(
    `H prefix=${input.prefix} tail=${input.tail} ${input.method} ${input.path} ${input.contentType} from ${input.remoteAddress}\n`,
  );
  return concatBytes(head, input.body);
}

async function call(
  handler: FetchHandler,
  method: string,
  path: string,
  contentType: string,
  body: Uint8Array | string | undefined,
  remoteAddress: string,
): Promise<{ status: number } | Failure> {
  const hasBody = method !== 'GET' && method !== 'HEAD' && body !== undefined;
  let response: Response;
  try {
    response = await handler(
      new Request(`http://127.0.0.1${path}`, {
        method,
        headers: contentType === '' ? {} : { 'content-type': contentType },
        ...(hasBody
          ? { body: typeof body === 'string' ? body : (body as Uint8Array<ArrayBuffer>) }
          : {}),
      }),
      { remoteAddress },
    );
    await response.arrayBuffer();
  } catch (e) {
    return { kind: 'crash', detail: `${method} ${path}: handler threw ${describeError(e)}` };
  }
  if (response.status >= 500)
    return { kind: '5xx', detail: `${method} ${path} answered ${response.status}` };
  return { status: response.status };
}

export const smdpTarget: FuzzTarget = {
  name: 'smdp',
  description: 'test SM-DP+/SM-DS with mutated ES9+/ES11 requests, in-process and raw HTTP',
  budgetMs: 10_000,
  async setup(): Promise<TargetInstance<unknown>> {
    const corpus = await loadCorpus();
    const serverCore = makeCore(corpus);
    let server: RunningSmdp | undefined = await startSmdpServer({ core: serverCore, port: 0 });
    const instance: TargetInstance<SmdpInput> = {
      generate: (rng) => generate(corpus, rng),
      encode,
      async execute(input) {
        if (input.kind === 'raw') {
          const before = await openConnections(server!.server);
          const out = await sendRaw(server!.port, input.bytes, 3000);
          const bad = out.statuses.find((s) => s >= 500);
          if (bad !== undefined)
            return {
              kind: '5xx',
              detail: `raw request answered ${bad}: ${out.text.split('\r\n')[0] ?? ''}`,
            };
          return rawConnectionFailure(server!.server, out, before);
        }
        const handler = createSmdpHandler({ core: makeCore(corpus) });
        const reqs = corpus.requests;
        for (let i = 0; i < input.prefix; i++) {
          const r = await call(
            handler,
            'POST',
            reqs[i]!.path,
            JSON_TYPE,
            reqs[i]!.body,
            '127.0.0.1',
          );
          if ('kind' in r) return { ...r, detail: `replaying request ${i}: ${r.detail}` };
        }
        const m = await call(
          handler,
          input.method,
          input.path,
          input.contentType,
          input.body,
          input.remoteAddress,
        );
        if ('kind' in m) return m;
        for (let i = input.prefix + 1; i <= input.prefix + input.tail && i < reqs.length; i++) {
          const r = await call(
            handler,
            'POST',
            reqs[i]!.path,
            JSON_TYPE,
            reqs[i]!.body,
            '127.0.0.1',
          );
          if ('kind' in r)
            return { ...r, detail: `recorded request ${i} after the mutated one: ${r.detail}` };
        }
        return undefined;
      },
      async close() {
        await server?.close();
        server = undefined;
      },
    };
    return instance;
  },
};
