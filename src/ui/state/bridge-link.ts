/**
 * The app's side of "Reader through local bridge": which bridge and reader were chosen and the
 * pairing token, kept in the app's store (IndexedDB), and opening the link from them. The bridge
 * transport's code is loaded on first use.
 */
import type { Transport } from '../../transport/transport.ts';
import type { BridgeClient, WebSocketLike } from '../../transport/bridge/index.ts';
import type { KeyValueStore } from './idb-store.ts';
import { messages } from './i18n.svelte.ts';

/** The bridge address and reader last connected through the bridge. */
export interface BridgeChoice {
  url: string;
  reader: string;
}

export const BRIDGE_CHOICE_KEY = 'bridge-choice';

/** The pairing token for the bridge at `url` (kept per address). */
export function bridgeTokenKey(url: string): string {
  return `bridge-token ${url}`;
}

export async function loadBridgeChoice(store: KeyValueStore): Promise<BridgeChoice | undefined> {
  const text = await store.get(BRIDGE_CHOICE_KEY);
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as { url?: unknown; reader?: unknown };
    if (typeof v.url === 'string' && typeof v.reader === 'string')
      return { url: v.url, reader: v.reader };
  } catch {
    // A damaged entry is no choice.
  }
  return undefined;
}

export function saveBridgeChoice(store: KeyValueStore, choice: BridgeChoice): Promise<void> {
  return store.put(BRIDGE_CHOICE_KEY, JSON.stringify(choice));
}

/** What the bridge needs from the page: its WebSocket, fetch (for the probe) and origin. */
export interface BridgePageEnv {
  webSocket?: (url: string) => WebSocketLike;
  fetch: typeof fetch;
  origin?: string;
}

function pageOptions(env: BridgePageEnv): {
  webSocket: (url: string) => WebSocketLike;
  fetch: (url: string, init: RequestInit) => Promise<unknown>;
  origin?: string;
} {
  const origin = env.origin ?? globalThis.location?.origin;
  return {
    webSocket: env.webSocket ?? ((url) => new WebSocket(url)),
    fetch: (url, init) => env.fetch(url, init),
    ...(origin !== undefined ? { origin } : {}),
  };
}

/** Connects to the bridge at `url` with the token kept for it (for listing and pairing). */
export async function openBridgeClient(
  url: string,
  store: KeyValueStore,
  env: BridgePageEnv,
): Promise<BridgeClient> {
  const { BridgeClient, bridgeAddress } = await import('../../transport/bridge/index.ts');
  const address = bridgeAddress(url);
  const token = await store.get(bridgeTokenKey(address));
  return BridgeClient.open({
    url: address,
    ...pageOptions(env),
    ...(token !== undefined ? { token } : {}),
  });
}

/** Opens the chosen reader through the bridge. Rejects with BridgeError (e.g. pairingRequired). */
export async function openBridgeLink(
  store: KeyValueStore,
  env: BridgePageEnv,
  onDisconnect: () => void,
): Promise<Transport> {
  const { BridgeError, openBridgeTransport, bridgeAddress } =
    await import('../../transport/bridge/index.ts');
  const choice = await loadBridgeChoice(store);
  if (!choice) {
    const m = messages().bridge;
    throw new BridgeError('noChoice', m.noChoice);
  }
  const url = bridgeAddress(choice.url);
  const token = await store.get(bridgeTokenKey(url));
  return openBridgeTransport({
    url,
    reader: choice.reader,
    ...pageOptions(env),
    ...(token !== undefined ? { token } : {}),
    onDisconnect,
  });
}
