/**
 * The "Reader through local bridge" panel's state: the bridge address, pairing with the code the
 * bridge printed (the token is kept per address), the reader list with card presence, and
 * connecting to the chosen reader through AppState.connect('bridge').
 */
import type { BridgeClient, ReaderEntry } from '../../transport/bridge/index.ts';
import { DEFAULT_BRIDGE_URL } from '../../transport/bridge/protocol.ts';
import type { AppState } from './app.svelte.ts';
import {
  bridgeTokenKey,
  loadBridgeChoice,
  openBridgeClient,
  saveBridgeChoice,
} from './bridge-link.ts';
import { describeError, type ErrorView } from './errors.ts';

export type BridgePhase = 'start' | 'code' | 'readers';

function isPairingRequired(e: unknown): boolean {
  return (
    e instanceof Error &&
    e.name === 'BridgeError' &&
    (e as Error & { reason?: unknown }).reason === 'pairingRequired'
  );
}

export class BridgeSetup {
  address = $state(DEFAULT_BRIDGE_URL);
  phase: BridgePhase = $state('start');
  busy = $state(false);
  readers: ReaderEntry[] = $state([]);
  /** The reader last connected through the bridge. */
  chosen: string | undefined = $state();
  code = $state('');
  error: ErrorView | undefined = $state();

  constructor(private readonly app: AppState) {}

  /** Shows the address and reader chosen last time. */
  async restore(): Promise<void> {
    const choice = await loadBridgeChoice(this.app.store);
    if (choice) {
      this.address = choice.url;
      this.chosen = choice.reader;
    }
  }

  /** Lists the readers; asks for the pairing code when this page is not paired yet. */
  findReaders(): Promise<void> {
    return this.#withClient(async (client) => {
      if (!client.paired) {
        this.phase = 'code';
        return;
      }
      this.readers = await client.listReaders();
      this.phase = 'readers';
    });
  }

  /** Sends the pairing code; keeps the token the bridge gives for this address. */
  pair(): Promise<void> {
    return this.#withClient(async (client) => {
      const token = await client.pair(this.code);
      await this.app.store.put(bridgeTokenKey(client.url), token);
      this.code = '';
      this.readers = await client.listReaders();
      this.phase = 'readers';
    });
  }

  /** Connects the app to `reader` through the bridge (and remembers the choice). */
  async use(reader: string): Promise<void> {
    const { bridgeAddress } = await import('../../transport/bridge/index.ts');
    this.error = undefined;
    let url: string;
    try {
      url = bridgeAddress(this.address);
    } catch (e) {
      this.error = describeError(e);
      return;
    }
    await saveBridgeChoice(this.app.store, { url, reader });
    this.chosen = reader;
    await this.app.connect('bridge');
  }

  async #withClient(work: (client: BridgeClient) => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = undefined;
    let client: BridgeClient | undefined;
    try {
      client = await openBridgeClient(this.address, this.app.store, { fetch: this.app.env.fetch });
      await work(client);
    } catch (e) {
      if (isPairingRequired(e)) this.phase = 'code';
      this.error = describeError(e);
    } finally {
      client?.close();
      this.busy = false;
    }
  }
}
