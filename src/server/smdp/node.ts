/**
 * Node entry of the test SM-DP+/SM-DS: serves createSmdpHandler over node:http, or node:https
 * with the DPtls certificate (P-256) when asked, and loads catalogue files from disk.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { certificateToPem, privateKeyToPem } from '../../rsp/index.ts';
import { closeServer, listen, toNodeListener, urlHost } from '../common/http.ts';
import type { OriginPolicy } from '../common/cors.ts';
import { CatalogueError, ordersFromPackages, parseCatalogue, type Order } from './catalogue.ts';
import type { CiCredentials } from './credentials.ts';
import type { SmdpCore } from './core.ts';
import { createSmdpHandler } from './server.ts';

/** Reads and validates a catalogue JSON file; files it names are relative to its folder. */
export function loadCatalogueFile(path: string): Order[] {
  const base = dirname(path);
  const json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  return parseCatalogue(json, {
    readFile: (name) => new Uint8Array(readFileSync(isAbsolute(name) ? name : resolve(base, name))),
  });
}

/**
 * Orders for every `.der` file directly in `dir` (sorted by name), served as they are:
 * see ordersFromPackages for the matching IDs. One-time unless `reusable`.
 */
export function loadProfilesDir(dir: string, options: { reusable?: boolean } = {}): Order[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.der$/i.test(n) && statSync(join(dir, n)).isFile())
      .sort();
  } catch (e) {
    throw new CatalogueError(
      dir,
      `cannot read the profiles folder: ${e instanceof Error ? e.message : ''}`,
    );
  }
  const files = names.map((name) => {
    try {
      return { name, data: new Uint8Array(readFileSync(join(dir, name))) };
    } catch (e) {
      throw new CatalogueError(
        `${dir}/${name}`,
        `cannot read: ${e instanceof Error ? e.message : ''}`,
      );
    }
  });
  return ordersFromPackages(files, {
    folder: dir,
    ...(options.reusable ? { reusable: true } : {}),
  });
}

export interface StartSmdpOptions {
  core: SmdpCore;
  host?: string;
  /** 0 for an ephemeral port. */
  port?: number;
  /** Serve HTTPS with this credential set's DPtls certificate (use a P-256 CI). */
  tls?: CiCredentials;
  allowedOrigins?: OriginPolicy;
  maxBodyBytes?: number;
  onLog?: (line: string) => void;
  /** Serve the admin endpoints (/state, /admin/...): see admin.ts. Default false. */
  admin?: boolean;
}

export interface RunningSmdp {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function startSmdpServer(options: StartSmdpOptions): Promise<RunningSmdp> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const handler = createSmdpHandler({
    core: options.core,
    maxBodyBytes,
    admin: options.admin === true,
    ...(options.allowedOrigins !== undefined ? { allowedOrigins: options.allowedOrigins } : {}),
    ...(options.onLog ? { onLog: options.onLog } : {}),
  });
  // One byte over the handler's limit so the handler itself answers 413 with CORS headers.
  const listener = toNodeListener(handler, {
    maxBodyBytes: maxBodyBytes + 1,
    ...(options.onLog ? { onError: options.onLog } : {}),
  });
  const server: Server = options.tls
    ? createHttpsServer(
        {
          cert: certificateToPem(options.tls.dpTls.certificate),
          key: privateKeyToPem(options.tls.dpTls.key),
        },
        listener,
      )
    : createServer(listener);
  const port = await listen(server, options.port ?? 0, host);
  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost(host)}:${port}`,
    port,
    server,
    close: () => closeServer(server),
  };
}
