// The app's "Reader through local bridge" link (src/ui/state/bridge-link.ts): offered in every
// browser, errors in plain words with the command to run, and opening the chosen reader with the
// token kept in the app's store, against the real bridge over loopback.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Card, openIsdR } from '../../../src/apdu/index.ts';
import { getEid } from '../../../src/es10/es10c.ts';
import { BridgeError, type WebSocketLike } from '../../../src/transport/bridge/index.ts';
import {
  bridgeTokenKey,
  loadBridgeChoice,
  openBridgeClient,
  openBridgeLink,
  saveBridgeChoice,
} from '../../../src/ui/state/bridge-link.ts';
import { transportAvailability } from '../../../src/ui/state/environment.ts';
import { describeError } from '../../../src/ui/state/errors.ts';
import { memoryStore } from '../../../src/ui/state/idb-store.ts';
import { APP_ORIGIN, PAIRING_CODE, READER, testBridge, type TestBridge } from './helpers.ts';

let current: TestBridge | undefined;
afterEach(async () => {
  await current?.bridge.close();
  current = undefined;
});

const page = {
  webSocket: (url: string) => new WebSocket(url, { origin: APP_ORIGIN }) as WebSocketLike,
  fetch: (url: string | URL | Request) => fetch(url),
  origin: APP_ORIGIN,
};

describe('Reader through local bridge', () => {
  it('is offered in every browser, even without WebUSB, Web Serial or a secure page', () => {
    const option = transportAvailability({
      isSecureContext: false,
      usb: undefined,
      serial: undefined,
      indexedDB: undefined,
      mediaDevices: undefined,
      clipboard: undefined,
      fetch: () => Promise.reject(new Error('unused')),
      now: () => 0,
    }).find((a) => a.kind === 'bridge');
    expect(option).toEqual({ kind: 'bridge', available: true });
  });

  it('explains a bridge that is not running with the command to start it', () => {
    const v = describeError(new BridgeError('notRunning', 'The card bridge is not running.'));
    expect(v.title).toBe('Card bridge not usable');
    expect(v.advice).toContain('npm run lpa -- bridge');
    expect(v.codes).toContain('BridgeError notRunning');
  });

  it('pairs once, keeps the token per address, and opens the chosen reader with it', async () => {
    current = await testBridge();
    const store = memoryStore();
    await expect(openBridgeLink(store, page, () => undefined)).rejects.toMatchObject({
      reason: 'noChoice',
    });
    const first = await openBridgeClient(`${current.url}/`, store, page);
    expect(first.paired).toBe(false);
    await store.put(bridgeTokenKey(first.url), await first.pair(PAIRING_CODE));
    first.close();
    const again = await openBridgeClient(current.url, store, page);
    expect(again.paired).toBe(true);
    again.close();

    await saveBridgeChoice(store, { url: current.url, reader: READER });
    expect(await loadBridgeChoice(store)).toEqual({ url: current.url, reader: READER });
    const transport = await openBridgeLink(store, page, () => undefined);
    expect(await getEid(await openIsdR(new Card(transport)))).toBe(
      '89049032123451234512345678901235',
    );
    await transport.close();

    // A token the bridge does not know (its file was deleted): pairing is asked for again.
    await store.put(bridgeTokenKey(current.url), 'forgotten');
    await expect(openBridgeLink(store, page, () => undefined)).rejects.toMatchObject({
      reason: 'pairingRequired',
    });
  });
});
