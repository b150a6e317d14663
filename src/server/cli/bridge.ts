/**
 * `npm run lpa -- bridge [--port p] [--host h] [--origin o ...]`: the local card bridge
 * (docs/bridge.md). Serves this machine's PC/SC readers to the WebLPA app over a loopback
 * WebSocket until the signal aborts; prints the address, the origins allowed and the pairing code.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PcscReaderProvider } from '../bridge/pcsc-provider.ts';
import { FileTokenStore, type TokenStore } from '../bridge/pairing.ts';
import type { ReaderProvider } from '../bridge/provider.ts';
import {
  BridgeStartError,
  DEFAULT_BRIDGE_HOSTS,
  DEFAULT_BRIDGE_ORIGINS,
  startBridge,
} from '../bridge/server.ts';
import { UsageError } from './json.ts';

export interface RunBridgeOptions {
  /** Default 35980. */
  port?: number;
  /** One loopback address to listen on; default 127.0.0.1 and ::1. */
  host?: string;
  /** Origins allowed besides the app's local ones (http://localhost:5173, :4173 and 127.0.0.1). */
  origins?: string[];
  log: (line: string) => void;
  /** Stops the bridge; without it, SIGINT or SIGTERM do. */
  signal?: AbortSignal;
  /** The readers; default the machine's PC/SC readers. */
  provider?: ReaderProvider;
  /** Where paired tokens are kept; default ~/.config/weblpa/bridge-tokens.json. */
  tokens?: TokenStore;
}

/** $XDG_CONFIG_HOME/weblpa/bridge-tokens.json, or ~/.config/weblpa/bridge-tokens.json. */
export function defaultTokenFile(): string {
  const base = process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config');
  return join(base, 'weblpa', 'bridge-tokens.json');
}

function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) resolve();
      else
        signal.addEventListener(
          'abort',
          () => {
            resolve();
          },
          { once: true },
        );
      return;
    }
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function runBridge(o: RunBridgeOptions): Promise<void> {
  const provider: ReaderProvider = o.provider ?? new PcscReaderProvider();
  const tokenFile = o.tokens ? undefined : defaultTokenFile();
  const tokens = o.tokens ?? new FileTokenStore(tokenFile!);
  let bridge;
  try {
    bridge = await startBridge({
      provider,
      ...(o.port !== undefined ? { port: o.port } : {}),
      hosts: o.host !== undefined ? [o.host] : DEFAULT_BRIDGE_HOSTS,
      origins: [...DEFAULT_BRIDGE_ORIGINS, ...(o.origins ?? [])],
      tokens,
      log: o.log,
      onPairingCode: (code, why) => {
        if (why === 'start') return;
        o.log(
          why === 'used'
            ? `Paired. Pairing code for another browser: ${code}`
            : `Too many wrong pairing codes; the new code is: ${code}`,
        );
      },
    });
  } catch (e) {
    if (e instanceof BridgeStartError) throw new UsageError(e.message);
    throw e;
  }
  o.log(`WebLPA card bridge on ${bridge.urls.join(' and ')}`);
  o.log(`Pages allowed: ${bridge.origins.join(', ')} (add one with --origin <origin>)`);
  if (tokenFile !== undefined) o.log(`Paired pages are remembered in ${tokenFile}`);
  try {
    const readers = await provider.listReaders();
    o.log(
      readers.length === 0
        ? 'No reader is connected yet.'
        : `Readers: ${readers.map((r) => `${r.name}${r.cardPresent ? ' (card)' : ''}`).join('; ')}`,
    );
  } catch (e) {
    o.log(`Readers cannot be listed yet: ${e instanceof Error ? e.message : String(e)}`);
  }
  o.log('');
  o.log(`Pairing code: ${bridge.pairingCode}`);
  o.log('');
  o.log(
    'In the app: Connect > Reader through local bridge, then enter this code once. Ctrl+C stops.',
  );
  await waitForStop(o.signal);
  await bridge.close();
  await provider.close?.();
  o.log('card bridge stopped');
}
