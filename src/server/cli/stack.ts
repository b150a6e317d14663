/**
 * Wiring for the CLI and the benchmark: software eUICC state file -> VirtualTransport ->
 * (TracingTransport) -> Card -> ISD-R -> Lpa, and the ES9+/ES11 client with its routes.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Card, openIsdR } from '../../apdu/index.ts';
import type { IsdR } from '../../apdu/index.ts';
import { Es9pClient } from '../../es9p/index.ts';
import type { Es9pExchange, Es9pFetch, Es9pRoute } from '../../es9p/index.ts';
import { SoftwareEuicc } from '../../euicc/index.ts';
import { Lpa, textJournal } from '../../lpa/index.ts';
import type { LpaOptions, Es9pApi, Es11Api, SessionJournal } from '../../lpa/index.ts';
import type { Es10Link } from '../../apdu/es10-link.ts';
import type { Transport } from '../../transport/transport.ts';
import { VirtualTransport } from '../../transport/virtual/virtual-transport.ts';
import { CliInputError } from './json.ts';

export function loadEuicc(path: string): SoftwareEuicc {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliInputError(
      `cannot read the eUICC state file ${path} (create one with "euicc create --state ${path}"): ${(e as Error).message}`,
    );
  }
  try {
    return SoftwareEuicc.fromState(JSON.parse(text) as unknown);
  } catch (e) {
    throw new CliInputError(`${path} is not a valid eUICC state file: ${(e as Error).message}`);
  }
}

/** Writes the state atomically (temp file + rename) so a crash never leaves half a file. */
export function saveEuicc(path: string, euicc: SoftwareEuicc): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(euicc.exportState(), null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Interrupted download sessions (src/lpa/interrupted.ts) kept in a JSON file beside the eUICC
 * state, so a session whose SM-DP+ could not be told is finished by a later command.
 */
export function fileJournal(path: string): SessionJournal {
  return textJournal(
    {
      read: () => {
        try {
          return Promise.resolve(readFileSync(path, 'utf8'));
        } catch {
          return Promise.resolve(undefined);
        }
      },
      write: (text) => {
        if (text === undefined) rmSync(path, { force: true });
        else {
          const tmp = `${path}.${process.pid}.tmp`;
          writeFileSync(tmp, text, { mode: 0o600 });
          renameSync(tmp, path);
        }
        return Promise.resolve();
      },
    },
    2,
  );
}

export interface EndpointOptions {
  /** Relay base URL: ES9+ goes through `<relay>/es9p/<host>/...`. */
  relay?: string;
  /** address -> base URL overrides, e.g. testsmdpplus1.example.com -> http://127.0.0.1:8000. */
  map?: Record<string, string>;
  fetch?: Es9pFetch;
  timeoutMs?: number;
  /** Trace hook for every HTTP exchange (benchmarks count them). */
  onExchange?: (exchange: Es9pExchange) => void;
}

export function makeRoute(options: EndpointOptions): Es9pRoute {
  const overrides = options.map ?? {};
  return options.relay !== undefined
    ? { kind: 'relay', relayUrl: options.relay, overrides }
    : { kind: 'direct', overrides };
}

export function makeEs9p(options: EndpointOptions): { es9p: Es9pApi; es11: Es11Api } {
  const client = new Es9pClient({
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    route: makeRoute(options),
    sendUserAgent: true,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.onExchange ? { onExchange: options.onExchange } : {}),
  });
  return { es9p: client, es11: client.es11 };
}

export interface CardStack {
  lpa: Lpa;
  close(): Promise<void>;
}

/** Opens the ISD-R over `transport` lazily and builds an Lpa on it. */
export function lpaOver(
  transport: Transport,
  options: Omit<LpaOptions, 'es10'>,
  wrapLink: (link: Es10Link) => Es10Link = (l) => l,
): CardStack {
  let isdR: IsdR | undefined;
  const card = new Card(transport);
  const lpa = new Lpa({
    ...options,
    es10: async () => {
      isdR = await openIsdR(card);
      return wrapLink(isdR);
    },
  });
  return {
    lpa,
    close: async () => {
      await isdR?.close().catch(() => undefined);
      await transport.close();
    },
  };
}

export function virtualTransport(euicc: SoftwareEuicc, latencyMs = 0): Transport {
  return new VirtualTransport(euicc, { latencyMs });
}
