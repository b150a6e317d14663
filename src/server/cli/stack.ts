/**
 * Wiring for the CLI and the benchmark: software eUICC state file -> VirtualTransport ->
 * (TracingTransport) -> Card -> ISD-R -> Lpa, or a PC/SC reader -> Card -> ISD-R -> Lpa, and
 * the ES9+/ES11 client with its routes.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { Card, openIsdR } from '../../apdu/index.ts';
import type { IsdR } from '../../apdu/index.ts';
import { Es9pClient } from '../../es9p/index.ts';
import type { Es9pExchange, Es9pFetch, Es9pRoute } from '../../es9p/index.ts';
import { SoftwareEuicc } from '../../euicc/index.ts';
import type { EuiccRuntimeOptions } from '../../euicc/index.ts';
import { Lpa, textJournal } from '../../lpa/index.ts';
import type { LpaOptions, Es9pApi, Es11Api, SessionJournal } from '../../lpa/index.ts';
import type { Es10Link } from '../../apdu/es10-link.ts';
import type { Transport } from '../../transport/transport.ts';
import { VirtualTransport } from '../../transport/virtual/virtual-transport.ts';
import { CliInputError } from './json.ts';

/** Reads the state file as bytes: invalid UTF-8 is refused, never replaced and saved back. */
export function readStateText(path: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CliInputError(
      `cannot read the eUICC state file ${path} (create one with "euicc create --state ${path}"): ${(e as Error).message}`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliInputError(
      `${path} is not a valid eUICC state file: it is not UTF-8 text (left unchanged)`,
    );
  }
}

/**
 * The eUICC a state file's text describes (`path` names the file in the errors); `options` as
 * SoftwareEuicc.fromState takes them (e.g. T=0).
 */
export function parseEuiccState(
  text: string,
  path: string,
  options: EuiccRuntimeOptions = {},
): SoftwareEuicc {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliInputError(`${path} is not a valid eUICC state file: ${(e as Error).message}`);
  }
  try {
    return SoftwareEuicc.fromState(json, options);
  } catch (e) {
    throw new CliInputError(`${path} is not a valid eUICC state file: ${(e as Error).message}`);
  }
}

export function loadEuicc(path: string): SoftwareEuicc {
  return parseEuiccState(readStateText(path), path);
}

/**
 * Replaces `path` with `text` so that a crash at any moment leaves either the old or the new
 * file, complete: temp file, fsync, rename over the old one, fsync the directory.
 */
export function writeFileDurably(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    const bytes = new TextEncoder().encode(text);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDirectory(dirname(path));
}

/** Removes `path` and makes the removal durable. */
export function removeFileDurably(path: string): void {
  rmSync(path, { force: true });
  syncDirectory(dirname(path));
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems do not sync directories; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function stateText(euicc: SoftwareEuicc): string {
  return JSON.stringify(euicc.exportState(), null, 2) + '\n';
}

/** Writes the state atomically and durably (see writeFileDurably). */
export function saveEuicc(path: string, euicc: SoftwareEuicc): void {
  writeFileDurably(path, stateText(euicc));
}

/**
 * Keeps the state file in step with the card: after every APDU, if the card's state changed
 * (only a complete ES10 function changes it: PrepareDownload, the last segment of a Bound
 * Profile Package, enable/disable/delete, notification removal, nickname, memory reset, default
 * SM-DP+ address), it is saved before the response reaches the LPA. So every answer the LPA
 * acts on (e.g. by calling the SM-DP+) is already on disk.
 */
export class StatePersistence {
  private saved: string;

  constructor(
    private readonly path: string,
    private readonly euicc: SoftwareEuicc,
  ) {
    this.saved = stateText(euicc);
  }

  /** Saves when the state differs from what was saved last. */
  sync(): void {
    const text = stateText(this.euicc);
    if (text === this.saved) return;
    writeFileDurably(this.path, text);
    this.saved = text;
  }

  /** A transport over the card that syncs after every exchange. */
  transport(latencyMs = 0): Transport {
    return new VirtualTransport(this.euicc, {
      latencyMs,
      onExchange: () => {
        this.sync();
      },
    });
  }
}

/**
 * Interrupted download sessions (src/lpa/interrupted.ts) kept in a JSON file beside the eUICC
 * state, so a session whose SM-DP+ could not be told is finished by a later command. Written
 * durably: an entry saved before getBoundProfilePackage must survive a crash.
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
        if (text === undefined) removeFileDurably(path);
        else writeFileDurably(path, text);
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

/**
 * Builds an Lpa over a Card whose ISD-R is already open (`first`, e.g. the one the EID was read
 * through): the Lpa uses it first and, after a transport failure, reopens the ISD-R on the same
 * card (a reset card gets its channel back this way).
 */
export function lpaOverCard(card: Card, first: IsdR, options: Omit<LpaOptions, 'es10'>): CardStack {
  let isdR: IsdR | undefined = first;
  let unused: IsdR | undefined = first;
  const lpa = new Lpa({
    ...options,
    es10: async () => {
      if (unused !== undefined) {
        const link = unused;
        unused = undefined;
        return link;
      }
      await isdR?.close().catch(() => undefined);
      isdR = await openIsdR(card);
      return isdR;
    },
  });
  return {
    lpa,
    close: async () => {
      await isdR?.close().catch(() => undefined);
      await card.transport.close();
    },
  };
}

/**
 * Where the CLI keeps interrupted-download journals of eUICCs in readers (one file per EID):
 * `--journal-dir`, else `$XDG_STATE_HOME/weblpa`, else `~/.local/state/weblpa` (XDG Base
 * Directory Specification's default for XDG_STATE_HOME).
 */
export function journalDirectory(
  given: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: () => string = homedir,
): string {
  if (given !== undefined && given !== '') return given;
  const xdg = env['XDG_STATE_HOME'];
  // The specification says a relative XDG_STATE_HOME is invalid and to be ignored.
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(home(), '.local', 'state');
  return join(base, 'weblpa');
}

/** The journal file of the eUICC `eid` in `dir`. */
export function readerJournalPath(dir: string, eid: string): string {
  if (!/^[0-9A-Fa-f]{1,64}$/.test(eid)) throw new CliInputError(`the card reported EID "${eid}"`);
  return join(dir, `journal-${eid.toUpperCase()}.json`);
}
