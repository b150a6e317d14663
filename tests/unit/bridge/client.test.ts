// The app's bridge transport (src/transport/bridge) against the real bridge over loopback, with
// `ws` standing in for the browser's WebSocket: pairing, the ES10 exchange through it, and each
// failure as its typed error (not running, origin refused, wrong code, reader busy, card removed,
// bridge stopped).
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Card, openIsdR } from '../../../src/apdu/index.ts';
import { getEid } from '../../../src/es10/es10c.ts';
import {
  BridgeClient,
  BridgeError,
  bridgeAddress,
  openBridgeTransport,
  type WebSocketLike,
} from '../../../src/transport/bridge/index.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { describeError } from '../../../src/ui/state/errors.ts';
import { APP_ORIGIN, PAIRING_CODE, READER, testBridge, type TestBridge } from './helpers.ts';

const SELECT_ISDR = Uint8Array.from(
  Buffer.from('00A4040010A0000005591010FFFFFFFF890000010000', 'hex'),
);

let current: TestBridge | undefined;
afterEach(async () => {
  await current?.bridge.close();
  current = undefined;
});

function socket(origin = APP_ORIGIN): (url: string) => WebSocketLike {
  return (url) => new WebSocket(url, { origin });
}

/** Node's fetch stands in for the page's no-cors probe (the mode does not matter here). */
const probe = async (url: string): Promise<unknown> => {
  const r = await fetch(url);
  await r.arrayBuffer();
  return r;
};

async function reasonOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (e instanceof BridgeError) return e.reason;
  if (e instanceof TransportClosedError) return 'TransportClosedError';
  throw new Error(`expected a typed error, got ${String(e)}`);
}

async function pairedToken(url: string): Promise<string> {
  const client = await BridgeClient.open({ url, webSocket: socket() });
  const token = await client.pair(PAIRING_CODE);
  client.close();
  return token;
}

describe('bridge transport', () => {
  it('pairs, lists readers and runs ES10 through the bridge', async () => {
    current = await testBridge();
    const client = await BridgeClient.open({ url: current.url, webSocket: socket() });
    expect(client.paired).toBe(false);
    expect(await reasonOf(client.listReaders())).toBe('pairingRequired');
    expect(await reasonOf(client.pair('11111111'))).toBe('badPairingCode');
    client.close();

    const again = await BridgeClient.open({ url: current.url, webSocket: socket() });
    // Still within the wait after the wrong code.
    expect(await reasonOf(again.pair(PAIRING_CODE))).toBe('pairingLocked');
    again.close();
    await current.bridge.close();

    current = await testBridge();
    const token = await pairedToken(current.url);
    const lister = await BridgeClient.open({ url: current.url, webSocket: socket(), token });
    expect(lister.paired).toBe(true);
    expect(await lister.listReaders()).toContainEqual({ name: READER, card: true, busy: false });
    lister.close();

    const transport = await openBridgeTransport({
      url: current.url,
      webSocket: socket(),
      token,
      reader: READER,
    });
    expect(transport.label).toBe(`${READER} (card bridge)`);
    const isdr = await openIsdR(new Card(transport));
    expect(await getEid(isdr)).toBe('89049032123451234512345678901235');
    await transport.close();
    await transport.close();
  });

  it('says "not running" with the command to start it when nothing listens', async () => {
    current = await testBridge();
    const url = current.url;
    await current.bridge.close();
    current = undefined;
    const e = await BridgeClient.open({ url, webSocket: socket(), fetch: probe }).catch(
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(BridgeError);
    expect((e as BridgeError).reason).toBe('notRunning');
    expect(describeError(e).advice).toContain('npm run lpa -- bridge');
  });

  it('says the bridge refused this page when its origin is not allowed', async () => {
    current = await testBridge();
    const e = await BridgeClient.open({
      url: current.url,
      webSocket: socket('https://other.example'),
      fetch: probe,
      origin: 'https://other.example',
    }).catch((err: unknown) => err);
    expect((e as BridgeError).reason).toBe('originRefused');
    expect((e as BridgeError).origin).toBe('https://other.example');
    expect(describeError(e).advice).toContain('--origin https://other.example');
  });

  it('asks for pairing when the kept token is unknown, and reports a busy reader', async () => {
    current = await testBridge();
    const { url } = current;
    expect(
      await reasonOf(
        openBridgeTransport({ url, webSocket: socket(), token: 'forgotten', reader: READER }),
      ),
    ).toBe('pairingRequired');
    const token = await pairedToken(url);
    const first = await openBridgeTransport({ url, webSocket: socket(), token, reader: READER });
    expect(
      await reasonOf(openBridgeTransport({ url, webSocket: socket(), token, reader: READER })),
    ).toBe('readerBusy');
    expect(
      await reasonOf(openBridgeTransport({ url, webSocket: socket(), token, reader: 'Nope' })),
    ).toBe('unknownReader');
    await first.close();
  });

  it('turns a card taken out, and a bridge that stops, into TransportClosedError', async () => {
    current = await testBridge();
    const { url, provider } = current;
    const token = await pairedToken(url);
    const t = await openBridgeTransport({ url, webSocket: socket(), token, reader: READER });
    expect((await t.transmit(SELECT_ISDR)).length).toBeGreaterThanOrEqual(2);
    provider.removeCard(READER);
    expect(await reasonOf(t.transmit(SELECT_ISDR))).toBe('TransportClosedError');
    await t.close();

    current = await testBridge();
    const token2 = await pairedToken(current.url);
    let lost = 0;
    const t2 = await openBridgeTransport({
      url: current.url,
      webSocket: socket(),
      token: token2,
      reader: READER,
      onDisconnect: () => {
        lost++;
      },
    });
    current.provider.setDelay(READER, 300);
    const inFlight = reasonOf(t2.transmit(SELECT_ISDR));
    await current.bridge.close();
    current = undefined;
    expect(await inFlight).toBe('TransportClosedError');
    expect(lost).toBe(1);
    expect(await reasonOf(t2.transmit(SELECT_ISDR))).toBe('TransportClosedError');
  });

  it('accepts only ws:// or wss:// addresses on this computer', () => {
    expect(bridgeAddress(' ws://127.0.0.1:35980/ ')).toBe('ws://127.0.0.1:35980');
    expect(bridgeAddress('ws://localhost:1234')).toBe('ws://localhost:1234');
    expect(bridgeAddress('ws://[::1]:35980')).toBe('ws://[::1]:35980');
    for (const bad of ['http://127.0.0.1:35980', 'ws://example.org:35980', 'ws://10.0.0.1', 'x'])
      expect(() => bridgeAddress(bad)).toThrow(BridgeError);
  });
});
