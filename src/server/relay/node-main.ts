/**
 * The Node relay as a service configured by environment variables (see config.ts): what
 * deploy/node/Dockerfile runs, bundled by `npm run build:relay`. DNS through the system
 * resolver and the upstream client of node.ts (extra CA certificates, connection pinned to the
 * checked address); the rate limit is keyed by the socket's peer address.
 */
import { createServer, type Server } from 'node:http';
import { closeServer, listen, toNodeListener, urlHost } from '../common/http.ts';
import { formatLogEntry, relayConfigFromEnv, type RelayEnv } from './config.ts';
import { createNodeUpstreamFetch, nodeResolver } from './node.ts';
import { createRelayHandler } from './relay.ts';

export interface RunningEnvRelay {
  /** Base URL of the service, e.g. http://127.0.0.1:8001 (the LPA's relay URL adds /es9p). */
  origin: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Starts the Node relay from an environment; rejects with RelayConfigError on bad settings. */
export async function startRelayFromEnv(
  env: RelayEnv,
  log: (line: string) => void = () => undefined,
): Promise<RunningEnvRelay> {
  const config = relayConfigFromEnv(env, 'node');
  const handler = createRelayHandler({
    ...config.options,
    resolve: config.testResolver ?? nodeResolver,
    upstreamFetch: createNodeUpstreamFetch({ extraCa: config.extraCa }),
    onLog: (entry) => {
      log(formatLogEntry(entry));
    },
  });
  const server = createServer(
    toNodeListener(
      (request, context) => handler(request, { clientAddress: context.remoteAddress }),
      // One byte over the relay's own limit, so the handler answers oversize bodies (with CORS).
      { maxBodyBytes: (config.options.maxRequestBytes ?? 64 * 1024) + 1 },
    ),
  );
  const port = await listen(server, config.port, config.host);
  return {
    origin: `http://${urlHost(config.host)}:${port}`,
    port,
    server,
    close: () => closeServer(server),
  };
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1]);
if (isMain) {
  startRelayFromEnv(process.env, (line) => {
    process.stdout.write(`${line}\n`);
  }).then(
    (relay) => {
      process.stdout.write(`relay listening on ${relay.origin}/es9p\n`);
      const stop = (): void => {
        relay.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (e: unknown) => {
      process.stderr.write(`relay: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
