/**
 * A Transport to a reader behind the local card bridge: APDUs go over the bridge's WebSocket to
 * the reader's card. A card taken out, or the bridge stopping, is a TransportClosedError.
 */
import { TransportClosedError, type Transport } from '../transport.ts';
import { BridgeClient, type BridgeClientOptions } from './client.ts';
import { BridgeError } from './errors.ts';

export class BridgeTransport implements Transport {
  readonly label: string;
  readonly maxStoreDataBlock = 255;
  #closed = false;

  constructor(
    private readonly client: BridgeClient,
    readonly reader: string,
  ) {
    this.label = `${reader} (card bridge)`;
  }

  async transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    if (this.#closed) throw new TransportClosedError('the card bridge link is closed');
    return this.client.transmit(apdu, signal);
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.client.close();
    }
    return Promise.resolve();
  }
}

export interface OpenBridgeOptions extends Omit<BridgeClientOptions, 'onClose'> {
  reader: string;
  /** The link went away while open (card removed, bridge stopped). Fires at most once. */
  onDisconnect?: () => void;
}

/**
 * Connects to the bridge with the kept token and takes `reader`. Rejects with BridgeError
 * (pairingRequired when the bridge does not know the token; notRunning, originRefused,
 * readerBusy, noCard, unknownReader).
 */
export async function openBridgeTransport(options: OpenBridgeOptions): Promise<BridgeTransport> {
  const link = { open: false, fired: false };
  const client = await BridgeClient.open({
    ...options,
    onClose: () => {
      if (link.fired || !link.open) return;
      link.fired = true;
      options.onDisconnect?.();
    },
  });
  try {
    if (!client.paired)
      throw new BridgeError('pairingRequired', 'This page is not paired with the card bridge.');
    await client.connect(options.reader);
  } catch (e) {
    client.close();
    throw e;
  }
  link.open = true;
  return new BridgeTransport(client, options.reader);
}
