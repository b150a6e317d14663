import { describe, it, expect } from 'vitest';
import { Buffer } from 'node:buffer';
import { Es9pClient, Es11Client, type Es9pClientOptions } from '../../../src/es9p/client.ts';
import type { Es9pExchange, Es9pFetchInit, Es9pFetchResponse } from '../../../src/es9p/channel.ts';
import { Es9pError, Es9pTransportError } from '../../../src/es9p/errors.ts';
import { STATUS_CODES } from '../../../src/es9p/status-codes.ts';
import { encodeTlv, fromHex } from '../../../src/codec/index.ts';
import type { Es9pApi, Es11Api } from '../../../src/lpa/es9p-api.ts';

// JSON field names, paths and status handling: docs docs/protocol.md §4.1-4.3. Base64 expectations are
// computed independently with Node's Buffer.

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

const TX = '0123456789ABCDEF0123456789ABCDEF';
const challenge = fromHex('000102030405060708090A0B0C0D0E0F');
const euiccInfo1 = fromHex('BF2009820302030 0A900AA00'.replace(/ /g, ''));
const serverSigned1 = encodeTlv(0x30, encodeTlv(0x80, fromHex(TX)), encodeTlv(0x81, challenge));
const signature = encodeTlv(0x5f37, new Uint8Array(64).fill(0xab));
const ciPkId = encodeTlv(0x04, new Uint8Array(20).fill(0x11));
const certificate = encodeTlv(0x30, encodeTlv(0x30, new Uint8Array(200).fill(0x22)));
const metadata = encodeTlv(0xbf25, encodeTlv(0x5a, fromHex('98001032547698103214')));
const smdpSigned2 = encodeTlv(
  0x30,
  encodeTlv(0x80, fromHex(TX)),
  encodeTlv(0x01, Uint8Array.of(0)),
);
const bpp = encodeTlv(0xbf36, encodeTlv(0xbf23, new Uint8Array(300).fill(0x33)));
const authServerResponse = encodeTlv(0xbf38, encodeTlv(0xa0, new Uint8Array(10)));
const prepareDownloadResponse = encodeTlv(0xbf21, encodeTlv(0xa0, new Uint8Array(10)));
const cancelResponse = encodeTlv(0xbf41, encodeTlv(0xa0, new Uint8Array(10)));
const notification = encodeTlv(0xbf37, encodeTlv(0xbf27, new Uint8Array(10)));

const OK = { header: { functionExecutionStatus: { status: 'Executed-Success' } } };

interface Call {
  url: string;
  init: Es9pFetchInit;
  json: unknown;
}

type Reply = Es9pFetchResponse | (() => Promise<Es9pFetchResponse>);

function reply(status: number, body: unknown): Es9pFetchResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, text: () => Promise.resolve(text) };
}

function setup(replies: Reply[], options: Partial<Es9pClientOptions> = {}) {
  const calls: Call[] = [];
  const exchanges: Es9pExchange[] = [];
  let t = 1000;
  const client = new Es9pClient({
    route: { kind: 'direct' },
    fetch: (url, init) => {
      calls.push({ url, init, json: JSON.parse(init.body) as unknown });
      const r = replies.shift();
      if (r === undefined) throw new Error('unexpected request');
      return typeof r === 'function' ? r() : Promise.resolve(r);
    },
    onExchange: (e) => exchanges.push(e),
    now: () => (t += 7),
    ...options,
  });
  return { client, calls, exchanges };
}

const initiateOk = {
  ...OK,
  transactionId: TX,
  serverSigned1: b64(serverSigned1),
  serverSignature1: b64(signature),
  euiccCiPKIdToBeUsed: b64(ciPkId),
  serverCertificate: b64(certificate),
};
const authClientOk = {
  ...OK,
  transactionId: TX.toLowerCase(),
  profileMetadata: b64(metadata),
  smdpSigned2: b64(smdpSigned2),
  smdpSignature2: b64(signature),
  smdpCertificate: b64(certificate),
};

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

async function transportError(p: Promise<unknown>, kind: string): Promise<Es9pTransportError> {
  const e = await failure(p);
  expect(e).toBeInstanceOf(Es9pTransportError);
  expect((e as Es9pTransportError).reason).toBe(kind);
  return e as Es9pTransportError;
}

describe('Es9pClient requests', () => {
  it('initiateAuthentication: URL, headers, body, decoded answer', async () => {
    const { client, calls } = setup([reply(200, initiateOk)]);
    const r = await client.initiateAuthentication({
      smdpAddress: 'smdp.example.com',
      euiccChallenge: challenge,
      euiccInfo1,
    });
    expect(calls).toHaveLength(1);
    const c = calls[0]!;
    expect(c.url).toBe('https://smdp.example.com/gsma/rsp2/es9plus/initiateAuthentication');
    expect(c.init.method).toBe('POST');
    expect(c.init.headers).toEqual({
      'Content-Type': 'application/json;charset=UTF-8',
      'X-Admin-Protocol': 'gsma/rsp/v2.2.0',
    });
    expect(c.json).toEqual({
      euiccChallenge: 'AAECAwQFBgcICQoLDA0ODw==',
      euiccInfo1: b64(euiccInfo1),
      smdpAddress: 'smdp.example.com',
    });
    expect(r).toEqual({
      transactionId: TX,
      serverSigned1,
      serverSignature1: signature,
      euiccCiPKIdToBeUsed: ciPkId,
      serverCertificate: certificate,
    });
  });

  it('sends User-Agent and a custom X-Admin-Protocol when asked', async () => {
    const { client, calls } = setup([reply(200, initiateOk)], {
      sendUserAgent: true,
      adminProtocol: 'gsma/rsp/v2.5.0',
    });
    await client.initiateAuthentication({
      smdpAddress: 'smdp.example.com',
      euiccChallenge: challenge,
      euiccInfo1,
    });
    expect(calls[0]!.init.headers).toEqual({
      'Content-Type': 'application/json;charset=UTF-8',
      'X-Admin-Protocol': 'gsma/rsp/v2.5.0',
      'User-Agent': 'gsma-rsp-lpad',
    });
  });

  it('authenticateClient: forwards BF38 and compares the transaction ID ignoring case', async () => {
    const { client, calls } = setup([reply(200, authClientOk)]);
    const r = await client.authenticateClient({
      smdpAddress: 'smdp.example.com',
      transactionId: TX,
      authenticateServerResponse: authServerResponse,
    });
    expect(calls[0]!.url).toBe('https://smdp.example.com/gsma/rsp2/es9plus/authenticateClient');
    expect(calls[0]!.json).toEqual({
      transactionId: TX,
      authenticateServerResponse: b64(authServerResponse),
    });
    expect(r).toEqual({
      transactionId: TX.toLowerCase(),
      profileMetadata: metadata,
      smdpSigned2,
      smdpSignature2: signature,
      smdpCertificate: certificate,
    });
  });

  it('getBoundProfilePackage returns the exact BPP bytes, even from wrapped base64', async () => {
    const wrapped = b64(bpp).replace(/(.{76})/g, '$1\r\n');
    const { client, calls } = setup([
      reply(200, { ...OK, transactionId: TX, boundProfilePackage: wrapped }),
    ]);
    const r = await client.getBoundProfilePackage({
      smdpAddress: 'smdp.example.com',
      transactionId: TX,
      prepareDownloadResponse,
    });
    expect(calls[0]!.url).toBe('https://smdp.example.com/gsma/rsp2/es9plus/getBoundProfilePackage');
    expect(calls[0]!.json).toEqual({
      transactionId: TX,
      prepareDownloadResponse: b64(prepareDownloadResponse),
    });
    expect(r.transactionId).toBe(TX);
    expect(r.boundProfilePackage).toEqual(bpp);
  });

  it('handleNotification: 204 without body', async () => {
    const { client, calls } = setup([reply(204, '')]);
    await expect(
      client.handleNotification({
        address: 'notify.example.com',
        pendingNotification: notification,
      }),
    ).resolves.toBeUndefined();
    expect(calls[0]!.url).toBe('https://notify.example.com/gsma/rsp2/es9plus/handleNotification');
    expect(calls[0]!.json).toEqual({ pendingNotification: b64(notification) });
  });

  it('handleNotification also accepts 200 with a success header, refuses a Failed one', async () => {
    const { client } = setup([
      reply(200, OK),
      reply(200, {
        header: {
          functionExecutionStatus: {
            status: 'Failed',
            statusCodeData: { subjectCode: '8.1', reasonCode: '6.1' },
          },
        },
      }),
    ]);
    await client.handleNotification({ address: 'a.example', pendingNotification: notification });
    const e = await failure(
      client.handleNotification({ address: 'a.example', pendingNotification: notification }),
    );
    expect(e).toBeInstanceOf(Es9pError);
  });

  it('cancelSession: header-only answer', async () => {
    const { client, calls } = setup([reply(200, OK)]);
    await expect(
      client.cancelSession({
        smdpAddress: 'smdp.example.com',
        transactionId: TX,
        cancelSessionResponse: cancelResponse,
      }),
    ).resolves.toBeUndefined();
    expect(calls[0]!.url).toBe('https://smdp.example.com/gsma/rsp2/es9plus/cancelSession');
    expect(calls[0]!.json).toEqual({
      transactionId: TX,
      cancelSessionResponse: b64(cancelResponse),
    });
  });

  it('accepts Executed-WithWarning as success', async () => {
    const warn = {
      ...initiateOk,
      header: {
        functionExecutionStatus: {
          status: 'Executed-WithWarning',
          statusCodeData: { subjectCode: '8.1', reasonCode: '4.8' },
        },
      },
    };
    const { client } = setup([reply(200, warn)]);
    const r = await client.initiateAuthentication({
      smdpAddress: 'smdp.example.com',
      euiccChallenge: challenge,
      euiccInfo1,
    });
    expect(r.transactionId).toBe(TX);
  });

  it('goes through the relay and overrides', async () => {
    const { client, calls } = setup([reply(204, ''), reply(204, '')], {
      route: {
        kind: 'relay',
        relayUrl: 'http://127.0.0.1:8081',
        overrides: { 'testsmdpplus1.example.com': 'http://127.0.0.1:8000' },
      },
    });
    await client.handleNotification({
      address: 'smdp.example.com',
      pendingNotification: notification,
    });
    await client.handleNotification({
      address: 'TESTSMDPPLUS1.example.com',
      pendingNotification: notification,
    });
    expect(calls.map((c) => c.url)).toEqual([
      'http://127.0.0.1:8081/es9p/smdp.example.com/gsma/rsp2/es9plus/handleNotification',
      'http://127.0.0.1:8000/gsma/rsp2/es9plus/handleNotification',
    ]);
  });

  it('automatic route without a relay: fails before any request, and says a relay is needed', async () => {
    const { client, calls, exchanges } = setup([], {
      route: {
        kind: 'auto',
        overrides: { 'testsmdpplus1.example.com': 'http://127.0.0.1:8000' },
      },
    });
    await expect(
      client.handleNotification({
        address: 'smdp.example.com',
        pendingNotification: notification,
      }),
    ).rejects.toMatchObject({
      name: 'Es9pTransportError',
      reason: 'noRelay',
      functionName: 'handleNotification',
    });
    expect(calls).toEqual([]);
    expect(exchanges).toEqual([]);
  });

  it('works with a real Response object', async () => {
    const { client } = setup([
      new Response(JSON.stringify(initiateOk), {
        status: 200,
        headers: { 'content-type': 'application/json;charset=UTF-8' },
      }),
    ]);
    const r = await client.initiateAuthentication({
      smdpAddress: 'smdp.example.com',
      euiccChallenge: challenge,
      euiccInfo1,
    });
    expect(r.serverSigned1).toEqual(serverSigned1);
  });
});

describe('Es9pClient trace hook', () => {
  it('reports every exchange, successful or not, and survives a throwing hook', async () => {
    const { client, exchanges } = setup([reply(200, initiateOk), reply(500, 'oops')]);
    await client.initiateAuthentication({
      smdpAddress: 'smdp.example.com',
      euiccChallenge: challenge,
      euiccInfo1,
    });
    await failure(
      client.cancelSession({
        smdpAddress: 'smdp.example.com',
        transactionId: TX,
        cancelSessionResponse: cancelResponse,
      }),
    );
    expect(exchanges).toHaveLength(2);
    expect(exchanges[0]).toEqual({
      functionName: 'initiateAuthentication',
      iface: 'es9plus',
      url: 'https://smdp.example.com/gsma/rsp2/es9plus/initiateAuthentication',
      request: {
        euiccChallenge: b64(challenge),
        euiccInfo1: b64(euiccInfo1),
        smdpAddress: 'smdp.example.com',
      },
      status: 200,
      response: initiateOk,
      durationMs: 7,
    });
    expect(exchanges[1]).toMatchObject({
      functionName: 'cancelSession',
      status: 500,
      response: 'oops',
    });
    expect(exchanges[1]!.error).toMatch(/HTTP 500/);

    const throwing = setup([reply(204, '')], {
      onExchange: () => {
        throw new Error('hook');
      },
    });
    await expect(
      throwing.client.handleNotification({
        address: 'a.example',
        pendingNotification: notification,
      }),
    ).resolves.toBeUndefined();
  });
});

describe('Es9pClient errors', () => {
  const initiate = (client: Es9pClient, signal?: AbortSignal) =>
    client.initiateAuthentication(
      { smdpAddress: 'smdp.example.com', euiccChallenge: challenge, euiccInfo1 },
      signal,
    );

  it('Failed with codes -> Es9pError with the meaning', async () => {
    const { client } = setup([
      reply(200, {
        header: {
          functionExecutionStatus: {
            status: 'Failed',
            statusCodeData: {
              subjectCode: '8.2.6',
              reasonCode: '3.8',
              subjectIdentifier: 'matchingId',
              message: 'Refused',
            },
          },
        },
      }),
    ]);
    const e = await failure(
      client.authenticateClient({
        smdpAddress: 'smdp.example.com',
        transactionId: TX,
        authenticateServerResponse: authServerResponse,
      }),
    );
    expect(e).toBeInstanceOf(Es9pError);
    const err = e as Es9pError;
    expect(err).toMatchObject({
      functionName: 'authenticateClient',
      status: 'Failed',
      subjectCode: '8.2.6',
      reasonCode: '3.8',
      subjectIdentifier: 'matchingId',
      serverMessage: 'Refused',
      description: STATUS_CODES['8.2.6/3.8'],
    });
    expect(err.message).toMatch(/matching ID.*refused/i);
  });

  it('Expired -> Es9pError with status Expired', async () => {
    const { client } = setup([
      reply(200, {
        header: {
          functionExecutionStatus: {
            status: 'Expired',
            statusCodeData: { subjectCode: '8.8.5', reasonCode: '4.1' },
          },
        },
      }),
    ]);
    const e = await failure(initiate(client));
    expect(e).toBeInstanceOf(Es9pError);
    expect(e).toMatchObject({ status: 'Expired', subjectCode: '8.8.5', reasonCode: '4.1' });
  });

  it('Failed envelope on an error status still yields Es9pError', async () => {
    const { client } = setup([
      reply(400, {
        header: {
          functionExecutionStatus: {
            status: 'Failed',
            statusCodeData: { subjectCode: '1.2.1', reasonCode: '2.1' },
          },
        },
      }),
    ]);
    expect(await failure(initiate(client))).toMatchObject({
      name: 'Es9pError',
      subjectCode: '1.2.1',
    });
  });

  it('HTTP 500 -> http error with the status', async () => {
    const { client } = setup([reply(500, 'Internal Server Error')]);
    const e = await transportError(initiate(client), 'http');
    expect(e.httpStatus).toBe(500);
    expect(e.functionName).toBe('initiateAuthentication');
    expect(e.message).toMatch(/HTTP 500.*Internal Server Error/);
  });

  it('relay refusal -> http error quoting the relay', async () => {
    const { client } = setup([reply(403, { error: 'origin not allowed', code: 'forbidden' })], {
      route: { kind: 'relay', relayUrl: 'https://relay.example.org' },
    });
    const e = await transportError(initiate(client), 'http');
    expect(e.httpStatus).toBe(403);
    expect(e.message).toMatch(/origin not allowed/);
  });

  it('204 where JSON is expected -> http error', async () => {
    const { client } = setup([reply(204, '')]);
    expect((await transportError(initiate(client), 'http')).httpStatus).toBe(204);
  });

  const badBodies: [string, string | object, RegExp][] = [
    ['non-JSON body', '<html>proxy error</html>', /not JSON/],
    ['empty body', '', /empty/],
    ['JSON array', '[1,2]', /not a JSON object/],
    ['no header', { transactionId: TX }, /functionExecutionStatus/],
    [
      'unknown status',
      { header: { functionExecutionStatus: { status: 'Done' } } },
      /unknown functionExecutionStatus/,
    ],
    ['missing field', { ...initiateOk, serverSigned1: undefined }, /"serverSigned1" is missing/],
    ['field not a string', { ...initiateOk, serverCertificate: 42 }, /"serverCertificate"/],
    [
      'bad base64',
      { ...initiateOk, serverSignature1: 'XX*Y' },
      /"serverSignature1" is not valid base64/,
    ],
    ['wrong tag', { ...initiateOk, serverSigned1: b64(signature) }, /tag 5F37 \(expected 30\)/],
    [
      'trailing bytes',
      { ...initiateOk, euiccCiPKIdToBeUsed: b64(Uint8Array.of(...ciPkId, 0)) },
      /1 bytes after/,
    ],
    [
      'truncated TLV',
      { ...initiateOk, serverCertificate: b64(certificate.slice(0, 50)) },
      /not a valid TLV/,
    ],
    ['empty binary', { ...initiateOk, serverCertificate: '' }, /not a valid TLV/],
    ['missing transactionId', { ...initiateOk, transactionId: undefined }, /transactionId/],
    ['non-hex transactionId', { ...initiateOk, transactionId: 'XYZ1' }, /not 1 to 16 bytes of hex/],
    ['odd transactionId', { ...initiateOk, transactionId: 'ABC' }, /not 1 to 16 bytes of hex/],
    ['too long transactionId', { ...initiateOk, transactionId: 'AB'.repeat(17) }, /hex/],
  ];
  for (const [name, body, message] of badBodies) {
    it(`${name} -> badResponse`, async () => {
      const { client } = setup([reply(200, body)]);
      const e = await transportError(initiate(client), 'badResponse');
      expect(e.message).toMatch(message);
    });
  }

  it('transaction ID mismatch -> badResponse', async () => {
    const { client } = setup([reply(200, { ...authClientOk, transactionId: 'AABB' })]);
    const e = await transportError(
      client.authenticateClient({
        smdpAddress: 'smdp.example.com',
        transactionId: TX,
        authenticateServerResponse: authServerResponse,
      }),
      'badResponse',
    );
    expect(e.message).toMatch(/differs from the request/);
  });

  it('network TypeError -> network error mentioning CORS and the relay', async () => {
    const { client } = setup([() => Promise.reject(new TypeError('Failed to fetch'))]);
    const e = await transportError(initiate(client), 'network');
    expect(e.message).toMatch(/Failed to fetch/);
    expect(e.message).toMatch(/CORS/);
    expect(e.message).toMatch(/relay/);
    expect(e.cause).toBeInstanceOf(TypeError);
    expect(e.url).toBe('https://smdp.example.com/gsma/rsp2/es9plus/initiateAuthentication');
  });

  it('a failing body read is a network error too', async () => {
    const { client } = setup([
      { status: 200, text: () => Promise.reject(new TypeError('network error')) },
    ]);
    await transportError(initiate(client), 'network');
  });

  it('timeout, even when fetch ignores its signal', async () => {
    const { client } = setup([() => new Promise<never>(() => undefined)], { timeoutMs: 20 });
    const started = Date.now();
    const e = await transportError(initiate(client), 'timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(e.message).toMatch(/within 20 ms/);
  });

  it('timeout while reading the body', async () => {
    const { client } = setup([{ status: 200, text: () => new Promise<never>(() => undefined) }], {
      timeoutMs: 20,
    });
    await transportError(initiate(client), 'timeout');
  });

  it('the BPP gets its own, longer timeout', async () => {
    const slow = () =>
      new Promise<Es9pFetchResponse>((resolve) =>
        setTimeout(() => {
          resolve(reply(200, { ...OK, transactionId: TX, boundProfilePackage: b64(bpp) }));
        }, 60),
      );
    const { client } = setup([slow], { timeoutMs: 20, bppTimeoutMs: 5000 });
    const r = await client.getBoundProfilePackage({
      smdpAddress: 'smdp.example.com',
      transactionId: TX,
      prepareDownloadResponse,
    });
    expect(r.boundProfilePackage).toEqual(bpp);
  });

  it('abort during the request; the fetch sees its signal aborted', async () => {
    let seen: AbortSignal | undefined;
    const controller = new AbortController();
    const client = new Es9pClient({
      route: { kind: 'direct' },
      fetch: (_url, init) => {
        seen = init.signal;
        setTimeout(() => {
          controller.abort();
        }, 5);
        // Never settles: the client must give up on its own.
        return new Promise<never>(() => undefined);
      },
    });
    const e = await transportError(initiate(client, controller.signal), 'aborted');
    expect(seen?.aborted).toBe(true);
    expect(e.functionName).toBe('initiateAuthentication');
  });

  it('an already aborted signal sends nothing', async () => {
    const { client, calls } = setup([reply(200, initiateOk)]);
    await transportError(initiate(client, AbortSignal.abort()), 'aborted');
    expect(calls).toHaveLength(0);
  });

  it('a bad address fails before any request', async () => {
    const { client, calls } = setup([reply(200, initiateOk)]);
    const e = await transportError(
      client.initiateAuthentication({
        smdpAddress: 'not an address',
        euiccChallenge: challenge,
        euiccInfo1,
      }),
      'badAddress',
    );
    expect(e.functionName).toBe('initiateAuthentication');
    expect(calls).toHaveLength(0);
  });
});

describe('Es11Client', () => {
  it('initiateAuthentication sends the SM-DS address as smdpAddress', async () => {
    const calls: Call[] = [];
    const client = new Es11Client({
      route: { kind: 'direct' },
      fetch: (url, init) => {
        calls.push({ url, init, json: JSON.parse(init.body) as unknown });
        return Promise.resolve(reply(200, initiateOk));
      },
    });
    const r = await client.initiateAuthentication({
      smdsAddress: 'lpa.ds.example.com',
      euiccChallenge: challenge,
      euiccInfo1,
    });
    expect(calls[0]!.url).toBe(
      'https://lpa.ds.example.com/gsma/rsp2/es9plus/initiateAuthentication',
    );
    expect(calls[0]!.json).toEqual({
      euiccChallenge: b64(challenge),
      euiccInfo1: b64(euiccInfo1),
      smdpAddress: 'lpa.ds.example.com',
    });
    expect(r.serverSigned1).toEqual(serverSigned1);
  });

  it('authenticateClient returns the event entries; es11 path when configured', async () => {
    const { client, calls } = setup(
      [
        reply(200, {
          ...OK,
          transactionId: TX,
          eventEntries: [
            { eventId: 'EVT-1', rspServerAddress: 'smdp.example.com' },
            { eventId: 'EVT-2', rspServerAddress: 'other.example.com:8443' },
          ],
        }),
        reply(200, { ...OK, transactionId: TX }),
      ],
      { es11Interface: 'es11' },
    );
    const req = {
      smdsAddress: 'lpa.ds.example.com',
      transactionId: TX,
      authenticateServerResponse: authServerResponse,
    };
    const r = await client.es11.authenticateClient(req);
    expect(calls[0]!.url).toBe('https://lpa.ds.example.com/gsma/rsp2/es11/authenticateClient');
    expect(calls[0]!.json).toEqual({
      transactionId: TX,
      authenticateServerResponse: b64(authServerResponse),
    });
    expect(r).toEqual({
      transactionId: TX,
      eventEntries: [
        { eventId: 'EVT-1', rspServerAddress: 'smdp.example.com' },
        { eventId: 'EVT-2', rspServerAddress: 'other.example.com:8443' },
      ],
    });
    // No events: the list may be left out.
    expect((await client.es11.authenticateClient(req)).eventEntries).toEqual([]);
  });

  it('malformed event entries -> badResponse; Failed -> Es9pError', async () => {
    const { client } = setup([
      reply(200, { ...OK, transactionId: TX, eventEntries: { eventId: 'x' } }),
      reply(200, { ...OK, transactionId: TX, eventEntries: [{ eventId: 'x' }] }),
      reply(200, {
        header: {
          functionExecutionStatus: {
            status: 'Failed',
            statusCodeData: { subjectCode: '8.9.5', reasonCode: '3.9' },
          },
        },
      }),
    ]);
    const req = {
      smdsAddress: 'lpa.ds.example.com',
      transactionId: TX,
      authenticateServerResponse: authServerResponse,
    };
    expect(
      (await transportError(client.es11.authenticateClient(req), 'badResponse')).message,
    ).toMatch(/not an array/);
    expect(
      (await transportError(client.es11.authenticateClient(req), 'badResponse')).message,
    ).toMatch(/eventEntries\[0\]/);
    const e = await failure(client.es11.authenticateClient(req));
    expect(e).toBeInstanceOf(Es9pError);
    expect((e as Es9pError).description).toBe(STATUS_CODES['8.9.5/3.9']);
  });
});

describe('fits the LPA and the platform', () => {
  it('Es9pClient satisfies Es9pApi, es11 satisfies Es11Api, globalThis.fetch fits', () => {
    const client = new Es9pClient({
      route: { kind: 'direct' },
      fetch: globalThis.fetch.bind(globalThis),
    });
    const es9p: Es9pApi = client;
    const es11: Es11Api = client.es11;
    expect(typeof es9p.getBoundProfilePackage).toBe('function');
    expect(typeof es11.authenticateClient).toBe('function');
  });
});
