// The local card bridge (src/server/bridge) over real loopback WebSockets, with software eUICCs
// as the readers' cards: who may connect (Host, Origin), pairing and its throttling, one page
// per reader, the size/rate/idle bounds, garbage frames and a client that vanishes mid-APDU.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { MAX_FAILURES_PER_CODE } from '../../../src/server/bridge/pairing.ts';
import {
  BridgeStartError,
  DEFAULT_BRIDGE_HOSTS,
  startBridge,
} from '../../../src/server/bridge/server.ts';
import { VirtualReaderProvider } from '../../../src/server/bridge/virtual-provider.ts';
import {
  APP_ORIGIN,
  EMPTY_READER,
  PAIRING_CODE,
  READER,
  connectClient,
  pairedClient,
  refusedStatus,
  testBridge,
  testEuicc,
  type TestBridge,
} from './helpers.ts';

// SELECT ISD-R by AID (SGP.22 v2.2.2 §2.2.3) and ES10c GetEID (docs/protocol.md §3.3).
const SELECT_ISDR = '00A4040010A0000005591010FFFFFFFF890000010000';
const GET_EID = '80E2910006BF3E035C015A00';

let current: TestBridge | undefined;
afterEach(async () => {
  await current?.bridge.close();
  current = undefined;
});

async function bridge(options: Parameters<typeof testBridge>[0] = {}): Promise<TestBridge> {
  current = await testBridge(options);
  return current;
}

function httpGet(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('who may connect', () => {
  it('refuses at the upgrade (403) an Origin that is not configured, a missing one and "null"', async () => {
    const { url } = await bridge();
    expect(await refusedStatus(url, { origin: 'https://evil.example' })).toBe(403);
    expect(await refusedStatus(url, { origin: 'http://127.0.0.1:4174' })).toBe(403);
    expect(await refusedStatus(url, { origin: 'null' })).toBe(403);
    expect(await refusedStatus(url, {})).toBe(403);
  });

  it('refuses a Host that is not a loopback name (DNS rebinding), even from an allowed Origin', async () => {
    const { url, bridge: b } = await bridge();
    const headers = { host: `rebind.example:${b.port}` };
    expect(await refusedStatus(url, { origin: APP_ORIGIN, headers })).toBe(403);
    expect(await refusedStatus(url, { origin: APP_ORIGIN, headers: { host: '10.0.0.1' } })).toBe(
      403,
    );
    expect(await httpGet(b.port, `rebind.example:${b.port}`)).toBe(403);
    // The loopback names pass.
    expect(await httpGet(b.port, `localhost:${b.port}`)).toBe(426);
    expect(await httpGet(b.port, `[::1]:${b.port}`)).toBe(426);
    const c = await connectClient(url);
    c.ws.close();
  });

  it('listens on loopback addresses only', async () => {
    const provider = new VirtualReaderProvider({});
    await expect(startBridge({ provider, port: 0, hosts: ['0.0.0.0'] })).rejects.toBeInstanceOf(
      BridgeStartError,
    );
    await expect(startBridge({ provider, port: 0, hosts: ['192.168.1.2'] })).rejects.toBeInstanceOf(
      BridgeStartError,
    );
    await expect(
      startBridge({ provider, port: 0, hosts: ['127.0.0.1'], origins: ['not an origin'] }),
    ).rejects.toBeInstanceOf(BridgeStartError);
  });

  it('listens on 127.0.0.1 and ::1 by default, on one port', async () => {
    const { bridge: b } = await bridge({ hosts: DEFAULT_BRIDGE_HOSTS });
    expect(b.urls[0]).toBe(`ws://127.0.0.1:${b.port}`);
    // Where the machine has IPv6 loopback, the same port answers there too.
    if (b.urls.length > 1) {
      expect(b.urls[1]).toBe(`ws://[::1]:${b.port}`);
      const c = await connectClient(b.urls[1]!);
      c.send({ type: 'hello', version: 1 });
      expect(await c.next()).toMatchObject({ type: 'welcome' });
      c.ws.close();
    }
  });

  it('names a port in use', async () => {
    const { bridge: b } = await bridge();
    const err = await startBridge({
      provider: new VirtualReaderProvider({}),
      port: b.port,
      hosts: ['127.0.0.1'],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeStartError);
    expect((err as Error).message).toContain(`Port ${b.port}`);
  });
});

describe('pairing', () => {
  it('asks an unpaired page for the code, then gives a token that later needs no code', async () => {
    const { url, codes } = await bridge();
    expect(codes).toEqual([PAIRING_CODE]);
    const c = await connectClient(url);
    c.send({ type: 'hello', version: 1 });
    expect(await c.next()).toEqual({ type: 'welcome', version: 1, paired: false });
    c.send({ type: 'list', id: 1 });
    expect(await c.next()).toMatchObject({ type: 'error', id: 1, code: 'notPaired' });
    c.send({ type: 'pair', code: PAIRING_CODE });
    const paired = await c.next();
    expect(paired['type']).toBe('paired');
    const token = paired['token'] as string;
    expect(token.length).toBeGreaterThanOrEqual(40);
    c.send({ type: 'list', id: 2 });
    expect(await c.next()).toMatchObject({ type: 'readers', id: 2 });
    c.ws.close();
    // The code is used up: a new one is printed.
    expect(codes).toHaveLength(2);
    expect(codes[1]).not.toBe(PAIRING_CODE);

    const again = await connectClient(url);
    again.send({ type: 'hello', version: 1, token });
    expect(await again.next()).toEqual({ type: 'welcome', version: 1, paired: true });
    again.ws.close();
  });

  it('does not accept a token from another origin or a made-up one', async () => {
    const other = 'http://localhost:4173';
    const { url } = await bridge({ origins: [APP_ORIGIN, other] });
    const { client, token } = await pairedClient(url);
    client.ws.close();
    for (const [origin, t] of [
      [other, token!],
      [APP_ORIGIN, 'x'.repeat(43)],
    ] as const) {
      const c = await connectClient(url, origin);
      c.send({ type: 'hello', version: 1, token: t });
      expect(await c.next()).toMatchObject({ paired: false });
      c.ws.close();
    }
  });

  it('throttles wrong codes (a wait that doubles) and replaces the code after too many', async () => {
    let clock = 1_000_000;
    const { url, codes, bridge: b } = await bridge({ now: () => clock });
    const c = await connectClient(url);
    c.send({ type: 'hello', version: 1 });
    await c.next();
    c.send({ type: 'pair', code: '00000000' });
    expect(await c.next()).toMatchObject({
      code: 'badPairingCode',
      retryAfterMs: 1000,
    });
    // While locked, even the right code is refused.
    c.send({ type: 'pair', code: PAIRING_CODE });
    expect(await c.next()).toMatchObject({ code: 'pairingLocked' });
    const waits: unknown[] = [];
    for (let i = 1; i < MAX_FAILURES_PER_CODE; i++) {
      clock += 120_000;
      c.send({ type: 'pair', code: '00000000' });
      waits.push((await c.next())['retryAfterMs']);
    }
    expect(waits).toEqual([2000, 4000, 8000, 16000]);
    // Too many wrong codes: the printed code was replaced; the old one no longer pairs.
    expect(codes).toHaveLength(2);
    expect(b.pairingCode).toBe(codes[1]);
    clock += 120_000;
    c.send({ type: 'pair', code: PAIRING_CODE });
    expect(await c.next()).toMatchObject({ code: 'badPairingCode' });
    clock += 120_000;
    c.send({ type: 'pair', code: b.pairingCode });
    expect(await c.next()).toMatchObject({ type: 'paired' });
    c.ws.close();
  });
});

describe('readers and APDUs', () => {
  it('lists readers with card presence and carries APDUs to the card', async () => {
    const { url } = await bridge();
    const { client: c } = await pairedClient(url);
    c.send({ type: 'list', id: 1 });
    expect(await c.next()).toEqual({
      type: 'readers',
      id: 1,
      readers: [
        { name: READER, card: true, busy: false },
        { name: EMPTY_READER, card: false, busy: false },
      ],
    });
    c.send({ type: 'transmit', id: 2, apdu: SELECT_ISDR });
    expect(await c.next()).toMatchObject({ type: 'error', id: 2, code: 'notConnected' });
    c.send({ type: 'connect', id: 3, reader: EMPTY_READER });
    expect(await c.next()).toMatchObject({ type: 'error', id: 3, code: 'noCard' });
    c.send({ type: 'connect', id: 4, reader: 'No Such Reader' });
    expect(await c.next()).toMatchObject({ type: 'error', id: 4, code: 'unknownReader' });
    c.send({ type: 'connect', id: 5, reader: READER });
    expect(await c.next()).toMatchObject({ type: 'connected', id: 5, reader: READER });
    c.send({ type: 'transmit', id: 6, apdu: SELECT_ISDR });
    const select = await c.next();
    expect(select).toMatchObject({ type: 'response', id: 6 });
    expect(String(select['apdu']).slice(-4)).toMatch(/^(9000|61..)$/);
    c.send({ type: 'transmit', id: 7, apdu: GET_EID });
    const eid = await c.next();
    expect(String(eid['apdu'])).toMatch(/^bf3e125a1089049032123451234512345678901235.*9000$/i);
    c.send({ type: 'disconnect', id: 8 });
    expect(await c.next()).toEqual({ type: 'disconnected', id: 8 });
    c.ws.close();
  });

  it('gives a reader to one page at a time: the second gets "reader busy" until the first lets go', async () => {
    const { url } = await bridge();
    const { client: a, token } = await pairedClient(url);
    const { client: b } = await pairedClient(url, { token: token! });
    a.send({ type: 'connect', id: 1, reader: READER });
    expect(await a.next()).toMatchObject({ type: 'connected' });
    b.send({ type: 'connect', id: 1, reader: READER });
    expect(await b.next()).toMatchObject({ type: 'error', id: 1, code: 'readerBusy' });
    b.send({ type: 'list', id: 2 });
    expect(await b.next()).toMatchObject({
      readers: [{ name: READER, card: true, busy: true }, { busy: false }],
    });
    a.send({ type: 'disconnect', id: 2 });
    await a.next();
    b.send({ type: 'connect', id: 3, reader: READER });
    expect(await b.next()).toMatchObject({ type: 'connected', id: 3 });
    a.ws.close();
    b.ws.close();
  });

  it('reports a card taken out as cardRemoved and frees the reader', async () => {
    const { url, provider } = await bridge();
    const { client: c } = await pairedClient(url);
    c.send({ type: 'connect', id: 1, reader: READER });
    await c.next();
    provider.removeCard(READER);
    c.send({ type: 'transmit', id: 2, apdu: SELECT_ISDR });
    expect(await c.next()).toMatchObject({ type: 'error', id: 2, code: 'cardRemoved' });
    c.send({ type: 'list', id: 3 });
    expect(await c.next()).toMatchObject({
      readers: [{ name: READER, card: false, busy: false }, { card: false }],
    });
    provider.insertCard(READER, testEuicc());
    c.send({ type: 'connect', id: 4, reader: READER });
    expect(await c.next()).toMatchObject({ type: 'connected', id: 4 });
    c.ws.close();
  });

  it('frees the reader when its page vanishes in the middle of an APDU', async () => {
    const { url, provider, lines } = await bridge();
    const { client: a, token } = await pairedClient(url);
    a.send({ type: 'connect', id: 1, reader: READER });
    await a.next();
    provider.setDelay(READER, 200);
    a.send({ type: 'transmit', id: 2, apdu: SELECT_ISDR });
    a.ws.terminate();
    provider.setDelay(READER, 0);
    const { client: b } = await pairedClient(url, { token: token! });
    let answer: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      b.send({ type: 'connect', id: i, reader: READER });
      answer = await b.next();
      if (answer['type'] === 'connected') break;
      expect(answer).toMatchObject({ code: 'readerBusy' });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(answer).toMatchObject({ type: 'connected' });
    b.send({ type: 'transmit', id: 99, apdu: GET_EID });
    expect(await b.next()).toMatchObject({ type: 'response', id: 99 });
    expect(lines.some((l) => l.includes('released'))).toBe(true);
    b.ws.close();
  });
});

describe('bounds and bad frames', () => {
  it('refuses a command APDU above 261 bytes with tooLarge and closes (1009)', async () => {
    const { url } = await bridge();
    const { client: c } = await pairedClient(url);
    c.send({ type: 'connect', id: 1, reader: READER });
    await c.next();
    c.send({ type: 'transmit', id: 2, apdu: '00'.repeat(262) });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'tooLarge' });
    expect((await c.closed).code).toBe(1009);
  });

  it('closes (1009) on a frame above the frame limit, and keeps serving others', async () => {
    const { url } = await bridge();
    const { client: c, token } = await pairedClient(url);
    c.sendRaw(JSON.stringify({ type: 'list', id: 1, pad: 'x'.repeat(2000) }));
    expect((await c.closed).code).toBe(1009);
    const { client: d } = await pairedClient(url, { token: token! });
    d.send({ type: 'list', id: 1 });
    expect(await d.next()).toMatchObject({ type: 'readers' });
    d.ws.close();
  });

  it.each([
    ['not JSON', '{"type":'],
    ['a JSON array', '[1,2]'],
    ['an unknown type', '{"type":"escape","id":1,"data":"00"}'],
    ['a request without id', '{"type":"list"}'],
    ['odd hex', '{"type":"transmit","id":1,"apdu":"ABC"}'],
    ['non-hex', '{"type":"transmit","id":1,"apdu":"zz"}'],
    ['a second hello', '{"type":"hello","version":1}'],
  ])('answers %s with badMessage and closes (1008)', async (_what, frame) => {
    const { url } = await bridge();
    const { client: c } = await pairedClient(url);
    c.sendRaw(frame);
    expect(await c.next()).toMatchObject({ type: 'error', code: 'badMessage' });
    expect((await c.closed).code).toBe(1008);
  });

  it('refuses binary frames, a first message that is not hello and an unknown version', async () => {
    const { url } = await bridge();
    const bin = await connectClient(url);
    bin.sendRaw(Buffer.from([0x00, 0xa4]), true);
    expect(await bin.next()).toMatchObject({ code: 'badMessage' });
    expect((await bin.closed).code).toBe(1008);
    const early = await connectClient(url);
    early.send({ type: 'list', id: 1 });
    expect(await early.next()).toMatchObject({ code: 'badMessage' });
    const v2 = await connectClient(url);
    v2.send({ type: 'hello', version: 2 });
    expect(await v2.next()).toMatchObject({ code: 'badMessage' });
    expect((await v2.closed).code).toBe(1008);
  });

  it('closes a connection that sends faster than the rate limit', async () => {
    const { url } = await bridge({ limits: { messagesPerSecond: 0.001, burst: 3 } });
    const { client: c } = await pairedClient(url);
    c.send({ type: 'list', id: 1 });
    expect(await c.next()).toMatchObject({ type: 'readers' });
    c.send({ type: 'list', id: 2 });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'rateLimited' });
    expect((await c.closed).code).toBe(1008);
  });

  it('closes a connection that stays silent past the idle time', async () => {
    const { url } = await bridge({ limits: { idleMs: 100 } });
    const { client: c } = await pairedClient(url);
    expect(await c.next()).toMatchObject({ type: 'error', code: 'idle' });
    expect((await c.closed).code).toBe(1000);
  });

  it('gives a connection holding a reader its own (longer) idle time', async () => {
    const { url } = await bridge({ limits: { idleMs: 60_000, heldIdleMs: 100 } });
    const { client: c, token } = await pairedClient(url);
    c.send({ type: 'connect', id: 1, reader: READER });
    expect(await c.next()).toMatchObject({ type: 'connected' });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'idle' });
    await c.closed;
    // The reader is free again.
    const { client: d } = await pairedClient(url, { token: token! });
    d.send({ type: 'connect', id: 1, reader: READER });
    expect(await d.next()).toMatchObject({ type: 'connected' });
    d.ws.close();
  });

  it('closes a connection that never says hello', async () => {
    const { url } = await bridge({ limits: { helloMs: 100 } });
    const c = await connectClient(url);
    expect(await c.next()).toMatchObject({ type: 'error', code: 'idle' });
    await c.closed;
  });
});
