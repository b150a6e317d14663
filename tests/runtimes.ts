// Starting the relay's edge runtimes in tests: the binaries the npm packages ship, a free loopback
// port for workerd's config, Cap'n Proto text literals and the relay's workerd config.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';

const require = createRequire(import.meta.url);

/** The platform binary an npm package ships (the package's launcher would be a second process). */
export function platformBinary(runtime: 'deno' | 'workerd'): string {
  const key = `${process.platform}-${process.arch}`;
  const packages: Record<string, Record<string, string>> = {
    deno: {
      'linux-x64': '@deno/linux-x64-glibc/deno',
      'linux-arm64': '@deno/linux-arm64-glibc/deno',
      'darwin-x64': '@deno/darwin-x64/deno',
      'darwin-arm64': '@deno/darwin-arm64/deno',
      'win32-x64': '@deno/win32-x64/deno.exe',
    },
    workerd: {
      'linux-x64': '@cloudflare/workerd-linux-64/bin/workerd',
      'linux-arm64': '@cloudflare/workerd-linux-arm64/bin/workerd',
      'darwin-x64': '@cloudflare/workerd-darwin-64/bin/workerd',
      'darwin-arm64': '@cloudflare/workerd-darwin-arm64/bin/workerd',
      'win32-x64': '@cloudflare/workerd-windows-64/bin/workerd.exe',
    },
  };
  const file = packages[runtime]?.[key];
  if (file === undefined) throw new Error(`${runtime}: no npm binary package for ${key}`);
  const pkg = file.split('/').slice(0, 2).join('/');
  let path: string;
  try {
    path = join(dirname(require.resolve(`${pkg}/package.json`)), file.slice(pkg.length + 1));
  } catch {
    throw new Error(`${runtime}: npm package ${pkg} is not installed (run npm ci)`);
  }
  if (!existsSync(path)) throw new Error(`${runtime}: ${path} is missing (run npm ci)`);
  return path;
}

/** A free loopback port (workerd takes its listening address from its config). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => {
        resolve(port);
      });
    });
  });
}

/** A Cap'n Proto text literal (its escapes are JSON's for the characters used here). */
export const capnpText = (s: string): string => JSON.stringify(s);

export interface WorkerdRelayConfig {
  /** The loopback port workerd serves the relay on. */
  port: number;
  /** The folder the config is written to; the Worker's path is embedded relative to it. */
  workDir: string;
  /** The relay's Worker bundle (src/server/relay/build.ts). */
  worker: string;
  /** The relay's environment, as text bindings. */
  env: Record<string, string>;
  /** Where every subrequest of the Worker goes: a loopback server, TLS checked for `host`. */
  upstream: { port: number; host: string; caPem: string };
}

/**
 * The workerd config that runs the relay's Worker with every subrequest sent to one loopback
 * server, its TLS checked for `upstream.host` against `upstream.caPem` only: no DNS lookup
 * happens and nothing leaves the machine.
 */
export function workerdRelayConfig(c: WorkerdRelayConfig): string {
  const bindings = Object.entries(c.env)
    .map(([name, value]) => `(name = ${capnpText(name)}, text = ${capnpText(value)})`)
    .join(',\n    ');
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "relay", worker = .relayWorker),
    (name = "upstream", external = (
      address = "127.0.0.1:${String(c.upstream.port)}",
      https = (
        certificateHost = ${capnpText(c.upstream.host)},
        tlsOptions = (trustedCertificates = [${capnpText(c.upstream.caPem)}]),
      ),
    )),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${String(c.port)}", http = (), service = "relay")],
);

const relayWorker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed ${capnpText(relative(c.workDir, c.worker))})],
  compatibilityDate = "2025-06-01",
  globalOutbound = "upstream",
  bindings = [
    ${bindings}
  ],
);
`;
}
