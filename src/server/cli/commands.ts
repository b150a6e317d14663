/**
 * CLI commands: each returns a JSON-serialisable result or throws (LpaError, UsageError,
 * CliInputError, StateLockedError, PcscError). Every command holds `<state>.lock` from start to
 * end, so two processes never work on one state file at once. The eUICC state is saved after
 * every ES10 function that changed it (StatePersistence), before the LPA sees the answer, so a
 * process killed at any moment leaves a state file that matches what the servers were told.
 *
 * With `--reader` the same commands run on the card in a PC/SC reader: the Card, ISD-R and Lpa
 * are the same; the interrupted-download journal is kept per EID in a per-user directory and
 * locked like a state file, so two commands on one eUICC never overlap.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { Card, openIsdR } from '../../apdu/index.ts';
import type { IsdR } from '../../apdu/index.ts';
import { fromHex } from '../../codec/index.ts';
import { ciName, getEid, type CiKeyId, type ProfileRef } from '../../es10/index.ts';
import {
  createTestIdentity,
  EuiccStateError,
  importIdentity,
  SoftwareEuicc,
} from '../../euicc/index.ts';
import type { Lpa, LpaOptions, ProfilePreview, SessionJournal } from '../../lpa/index.ts';
import { LpaError, toLpaError } from '../../lpa/index.ts';
import { projectTestCi } from '../../rsp/index.ts';
import { CliInputError, UsageError } from './json.ts';
import { acquireStateLock, DEFAULT_LOCK_TIMEOUT_MS } from './lock.ts';
import type { StateLock } from './lock.ts';
import { listPcscReaders, openPcscTransport } from '../../transport/pcsc/index.ts';
import {
  fileJournal,
  journalDirectory,
  lpaOver,
  lpaOverCard,
  loadEuicc,
  makeEs9p,
  readerJournalPath,
  saveEuicc,
  StatePersistence,
} from './stack.ts';

export type CliValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

function str(v: CliValues, key: string): string | undefined {
  const x = v[key];
  return typeof x === 'string' ? x : undefined;
}

function list(v: CliValues, key: string): string[] {
  const x = v[key];
  return Array.isArray(x) ? x : [];
}

function flag(v: CliValues, key: string): boolean {
  return v[key] === true;
}

function arg(pos: readonly string[], i: number, name: string): string {
  const a = pos[i];
  if (a === undefined) throw new UsageError(`missing <${name}>`);
  return a;
}

function parseMap(entries: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const e of entries) {
    const i = e.indexOf('=');
    if (i <= 0) throw new UsageError(`--map wants address=url, got "${e}"`);
    map[e.slice(0, i)] = e.slice(i + 1);
  }
  return map;
}

/** An ICCID (18-20 digits) or an ISD-P AID (hex, 10-32 digits with letters or A0 prefix). */
export function profileRef(text: string): ProfileRef {
  if (/^\d{18,20}$/.test(text)) return { iccid: text };
  if (/^[0-9A-Fa-f]{10,32}$/.test(text) && text.length % 2 === 0) return { isdpAid: fromHex(text) };
  throw new UsageError(`"${text}" is neither an ICCID nor an ISD-P AID`);
}

/** The CI key id lists of EUICCInfo1/2 with a name on every entry (`unknown CI` if unknown). */
function namedCiLists(info: {
  euiccCiPKIdListForVerification: readonly CiKeyId[];
  euiccCiPKIdListForSigning: readonly CiKeyId[];
}): Record<'euiccCiPKIdListForVerification' | 'euiccCiPKIdListForSigning', Required<CiKeyId>[]> {
  const named = (list: readonly CiKeyId[]): Required<CiKeyId>[] =>
    list.map((k) => ({ keyId: k.keyId, name: k.name ?? ciName(k.keyId) }));
  return {
    euiccCiPKIdListForVerification: named(info.euiccCiPKIdListForVerification),
    euiccCiPKIdListForSigning: named(info.euiccCiPKIdListForSigning),
  };
}

/** A certificate or key file as bytes: importIdentity reads PEM and DER alike. */
function readInput(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CliInputError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/**
 * A new eUICC is issued under the project's test CI by default, so it works with `npm start`
 * and startLocalServices() out of the box.
 */
const localServicesCi = (curve: 'P-256' | 'brainpoolP256r1') => projectTestCi(curve);

/** A new card; settings it could not keep in its state file are a bad command-line value. */
function createCard(
  identity: Parameters<typeof SoftwareEuicc.create>[0]['identity'],
  addresses: { defaultDpAddress?: string },
): SoftwareEuicc {
  try {
    return SoftwareEuicc.create({ identity, ...addresses });
  } catch (e) {
    if (e instanceof EuiccStateError)
      throw new CliInputError(`cannot create the eUICC: ${e.message}`);
    throw e;
  }
}

function euiccCommand(pos: readonly string[], v: CliValues, statePath: string): unknown {
  const sub = arg(pos, 1, 'create|import');
  if (existsSync(statePath)) throw new CliInputError(`${statePath} exists; remove it first`);
  let euicc: SoftwareEuicc;
  const defaultDp = str(v, 'default-dp-address');
  const addresses = defaultDp !== undefined ? { defaultDpAddress: defaultDp } : {};
  if (sub === 'create') {
    const curve = str(v, 'curve') ?? 'P-256';
    if (curve !== 'P-256' && curve !== 'brainpoolP256r1')
      throw new UsageError('--curve is P-256 or brainpoolP256r1');
    const seed = str(v, 'seed');
    const eid = str(v, 'eid');
    const identity = createTestIdentity({
      curve,
      ...(seed !== undefined ? { seed } : {}),
      ...(eid !== undefined ? { eid } : {}),
      ...(flag(v, 'own-ci') ? {} : { ci: localServicesCi(curve) }),
    });
    euicc = createCard(identity, addresses);
  } else if (sub === 'import') {
    const need = (k: string): Uint8Array => {
      const p = str(v, k);
      if (p === undefined) throw new UsageError(`--${k} <file> is required`);
      return readInput(p);
    };
    const cis = list(v, 'ci');
    if (cis.length === 0) throw new UsageError('--ci <file> is required (repeatable)');
    const identity = importIdentity({
      euiccCert: need('euicc-cert'),
      eumCert: need('eum-cert'),
      euiccKey: need('euicc-key'),
      trustedCis: cis.map(readInput),
    });
    euicc = createCard(identity, addresses);
  } else {
    throw new UsageError(`unknown euicc command "${sub}"`);
  }
  saveEuicc(statePath, euicc);
  return { state: statePath, eid: euicc.eid };
}

function previewJson(p: ProfilePreview): unknown {
  return {
    smdpAddress: p.smdpAddress,
    confirmationCodeRequired: p.confirmationCodeRequired,
    ...p.metadata,
  };
}

async function lpaCommand(
  pos: readonly string[],
  v: CliValues,
  lpa: Lpa,
  log: (line: string) => void,
): Promise<unknown> {
  const [group, sub] = pos;
  const key = `${group ?? ''} ${sub ?? ''}`.trim();
  switch (key) {
    case 'chip info': {
      const info = await lpa.getChipInfo();
      const info1 = await lpa.getEuiccInfo1();
      // Every CI key id with a name: a known CI's, or "unknown CI".
      return {
        ...info,
        euiccInfo2: { ...info.euiccInfo2, ...namedCiLists(info.euiccInfo2) },
        euiccInfo1: { ...info1, ...namedCiLists(info1) },
      };
    }
    case 'chip set-default-dp':
      await lpa.setDefaultDpAddress(arg(pos, 2, 'fqdn'));
      return { defaultDpAddress: (await lpa.getConfiguredAddresses()).defaultDpAddress ?? null };
    case 'chip reset': {
      const options = {
        deleteOperationalProfiles: flag(v, 'profiles'),
        deleteFieldLoadedTestProfiles: flag(v, 'test-profiles'),
        resetDefaultSmdpAddress: flag(v, 'default-dp'),
      };
      if (!Object.values(options).some(Boolean))
        throw new UsageError('chip reset needs --profiles, --test-profiles and/or --default-dp');
      await lpa.memoryReset(options);
      return { reset: options };
    }
    case 'profile list':
      return { profiles: await lpa.listProfiles() };
    case 'profile enable':
      return lpa.enableProfile(profileRef(arg(pos, 2, 'iccid|aid')), {
        refreshFlag: flag(v, 'refresh'),
      });
    case 'profile disable':
      return lpa.disableProfile(profileRef(arg(pos, 2, 'iccid|aid')), {
        refreshFlag: flag(v, 'refresh'),
      });
    case 'profile delete':
      return lpa.deleteProfile(profileRef(arg(pos, 2, 'iccid|aid')));
    case 'profile nickname': {
      const iccid = arg(pos, 2, 'iccid');
      await lpa.setNickname(iccid, arg(pos, 3, 'nickname'));
      return { iccid, nickname: pos[3] };
    }
    case 'profile download':
      return download(v, lpa, log);
    case 'notification list':
      return { notifications: await lpa.listNotifications() };
    case 'notification process': {
      const seqs = list(v, 'seq').map(Number);
      if (seqs.some((n) => !Number.isSafeInteger(n) || n < 0))
        throw new UsageError('--seq wants a notification sequence number');
      const results =
        seqs.length === 0
          ? await lpa.sendAllNotifications()
          : await Promise.all(seqs.map((s) => lpa.sendNotification(s)));
      return { notifications: results };
    }
    case 'notification remove': {
      const seq = Number(arg(pos, 2, 'seq'));
      if (!Number.isSafeInteger(seq)) throw new UsageError('<seq> is a number');
      return { seqNumber: seq, result: await lpa.removeNotification(seq) };
    }
    default:
      if (group === 'discovery') {
        const smds = str(v, 'smds');
        const found = await lpa.discovery(smds !== undefined ? { smdsAddress: smds } : {});
        if (!flag(v, 'download') || found.events.length === 0) return found;
        const event = found.events[0]!;
        const result = await lpa.downloadFromEvent(event, {
          confirm: consent(v, log),
          ...codeOption(v),
        });
        return { ...found, downloaded: result };
      }
      throw new UsageError(`unknown command "${pos.join(' ')}"`);
  }
}

function codeOption(v: CliValues): { confirmationCode?: () => Promise<string | null> } {
  const code = str(v, 'confirmation-code');
  return code !== undefined ? { confirmationCode: () => Promise.resolve(code) } : {};
}

/** Consent: --yes accepts; otherwise the metadata is printed (stderr) and the profile refused. */
function consent(v: CliValues, log: (line: string) => void) {
  return (p: ProfilePreview): Promise<boolean> => {
    if (flag(v, 'yes')) return Promise.resolve(true);
    log(`Profile offered by ${p.smdpAddress}: ${JSON.stringify(previewJson(p))}`);
    log('Not installed: run again with --yes to accept it.');
    return Promise.resolve(false);
  };
}

async function download(v: CliValues, lpa: Lpa, log: (line: string) => void): Promise<unknown> {
  const ac = str(v, 'ac');
  const smdp = str(v, 'smdp');
  const matchingId = str(v, 'matching-id');
  if (ac !== undefined && (smdp !== undefined || matchingId !== undefined))
    throw new UsageError('give either --ac or --smdp/--matching-id, not both');
  if (matchingId !== undefined && smdp === undefined)
    throw new UsageError('--matching-id needs --smdp');
  let preview: ProfilePreview | undefined;
  const ask = consent(v, log);
  try {
    const r = await lpa.download({
      ...(ac !== undefined ? { activationCode: ac } : {}),
      ...(smdp !== undefined ? { smdpAddress: smdp } : {}),
      ...(matchingId !== undefined ? { matchingId } : {}),
      ...codeOption(v),
      confirm: (p) => {
        preview = p;
        return ask(p);
      },
      onProgress: (p) => {
        // The package load reports every segment: only its start is a step.
        if (p.step !== 'loadBoundProfilePackage' || p.bytesSent === 0) log(`download: ${p.step}`);
      },
    });
    return { installed: r };
  } catch (e) {
    if (e instanceof LpaError && e.reason === 'consentRefused' && preview)
      (e as { preview?: unknown }).preview = previewJson(preview);
    throw e;
  }
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

/**
 * Runs `body` holding the state file's lock; the lock goes in `finally`, and on SIGINT/SIGTERM
 * (the state is saved after every ES10 function, so stopping between them loses nothing).
 */
async function withStateLock<T>(
  statePath: string,
  v: CliValues,
  body: () => Promise<T>,
): Promise<T> {
  const timeoutText = str(v, 'lock-timeout');
  const timeoutMs = timeoutText === undefined ? DEFAULT_LOCK_TIMEOUT_MS : Number(timeoutText);
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0)
    throw new UsageError('--lock-timeout wants milliseconds');
  const lock: StateLock = await acquireStateLock(statePath, { timeoutMs });
  const handlers = Object.entries(SIGNALS).map(([name, n]) => {
    const handler = (): void => {
      lock.release();
      process.exit(128 + n);
    };
    process.once(name, handler);
    return { name, handler };
  });
  try {
    return await body();
  } finally {
    for (const h of handlers) process.removeListener(h.name, h.handler);
    lock.release();
  }
}

/** Runs one command line (already parsed). */
export async function run(
  pos: readonly string[],
  v: CliValues,
  log: (line: string) => void,
): Promise<unknown> {
  const [group, sub] = pos;
  if (group === 'reader') {
    if (sub !== 'list') throw new UsageError(`unknown reader command "${pos.join(' ')}"`);
    return { readers: await listPcscReaders() };
  }
  if (group === 'euicc' && sub === 'serve') return serveCommand(v, log);
  if (group === 'bridge') return bridgeCommand(v, log);
  const reader = str(v, 'reader');
  const statePath = str(v, 'state');
  if (reader !== undefined) {
    if (group === 'euicc')
      throw new UsageError(`euicc ${sub ?? ''} works on a state file: give --state, not --reader`);
    if (statePath !== undefined) throw new UsageError('give either --state or --reader, not both');
    return readerCommand(pos, v, reader, log);
  }
  if (flag(v, 'exclusive')) throw new UsageError('--exclusive goes with --reader');
  if (statePath === undefined)
    throw new UsageError('--state <file> or --reader <name|index> is required');
  return withStateLock(statePath, v, () =>
    group === 'euicc'
      ? Promise.resolve(euiccCommand(pos, v, statePath))
      : cardCommand(pos, v, statePath, log),
  );
}

/** What every card command's Lpa gets from the command line, with the journal to use (batch too). */
export function lpaOptions(
  v: CliValues,
  journal: SessionJournal,
  log: (line: string) => void,
): Omit<LpaOptions, 'es10'> {
  const timeout = str(v, 'timeout');
  const relay = str(v, 'relay');
  const { es9p, es11 } = makeEs9p({
    ...(relay !== undefined ? { relay } : {}),
    map: parseMap(list(v, 'map')),
    ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
  });
  const imei = str(v, 'imei');
  const tac = str(v, 'tac') ?? imei?.slice(0, 8);
  return {
    es9p,
    es11,
    deviceInfo: {
      ...(tac !== undefined ? { tac } : {}),
      ...(imei !== undefined ? { imei } : {}),
    },
    autoSendNotifications: !flag(v, 'no-notify'),
    journal,
    onRecovery: (results) => {
      for (const r of results)
        log(`interrupted download ${r.transactionId} (${r.smdpAddress}): ${r.outcome}`);
    },
  };
}

async function cardCommand(
  pos: readonly string[],
  v: CliValues,
  statePath: string,
  log: (line: string) => void,
): Promise<unknown> {
  const euicc = loadEuicc(statePath);
  const persistence = new StatePersistence(statePath, euicc);
  const stack = lpaOver(
    persistence.transport(),
    lpaOptions(v, fileJournal(`${statePath}.sessions.json`), log),
  );
  try {
    return await lpaCommand(pos, v, stack.lpa, log);
  } finally {
    await stack.close();
    persistence.sync();
  }
}

/**
 * A card command on the eUICC in a PC/SC reader: connect, open the ISD-R and read the EID
 * (which names the journal and its lock), then run the command as on a state file.
 */
async function readerCommand(
  pos: readonly string[],
  v: CliValues,
  reader: string,
  log: (line: string) => void,
): Promise<unknown> {
  if (pos.length === 0) throw new UsageError('missing <command>');
  const transport = await openPcscTransport({ reader, exclusive: flag(v, 'exclusive') });
  let closed = false;
  let isdR: IsdR | undefined;
  try {
    log(
      `reader: ${transport.readerName}${transport.protocol !== undefined ? ` (${transport.protocol})` : ''}`,
    );
    const card = new Card(transport);
    let first: IsdR;
    let eid: string;
    try {
      first = isdR = await openIsdR(card);
      eid = await getEid(first);
    } catch (e) {
      throw toLpaError(e, 'getEid');
    }
    const dir = journalDirectory(str(v, 'journal-dir'));
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new CliInputError(
        `cannot create the journal directory ${dir}: ${(e as Error).message}`,
      );
    }
    const journalPath = readerJournalPath(dir, eid);
    return await withStateLock(journalPath, v, async () => {
      const stack = lpaOverCard(card, first, lpaOptions(v, fileJournal(journalPath), log));
      closed = true;
      try {
        return await lpaCommand(pos, v, stack.lpa, log);
      } finally {
        await stack.close();
      }
    });
  } finally {
    if (!closed) {
      await isdR?.close().catch(() => undefined);
      await transport.close();
    }
  }
}

/** Resolves when the process gets SIGINT or SIGTERM (and stops listening for them then). */
function untilSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const names = ['SIGINT', 'SIGTERM'] as const;
  const handlers = names.map((name) => {
    const handler = (): void => {
      controller.abort(new DOMException(`stopped by ${name}`, 'AbortError'));
    };
    process.on(name, handler);
    return { name, handler };
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const h of handlers) process.removeListener(h.name, h.handler);
    },
  };
}

function lockTimeout(v: CliValues): number | undefined {
  const text = str(v, 'lock-timeout');
  if (text === undefined) return undefined;
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new UsageError('--lock-timeout wants milliseconds');
  return ms;
}

/** `euicc serve --vpcd [host:port] --state f [--t1]`: runs until SIGINT/SIGTERM. */
async function serveCommand(v: CliValues, log: (line: string) => void): Promise<unknown> {
  const state = str(v, 'state');
  if (state === undefined) throw new UsageError('euicc serve needs --state <file>');
  if (str(v, 'reader') !== undefined)
    throw new UsageError('euicc serve takes --state, not --reader');
  const vpcd = v['vpcd'];
  if (vpcd === undefined) throw new UsageError('euicc serve needs --vpcd [host:port]');
  // Imported here: serving is the only command that needs vpcd's link and the served card.
  const { euiccServe } = await import('./serve.ts');
  const timeoutMs = lockTimeout(v);
  const { signal, dispose } = untilSignal();
  try {
    await euiccServe({
      state,
      ...(typeof vpcd === 'string' && vpcd !== '' ? { vpcd } : {}),
      ...(flag(v, 't1') ? { t1: true } : {}),
      ...(timeoutMs !== undefined ? { lockTimeoutMs: timeoutMs } : {}),
      log,
      signal,
    });
  } finally {
    dispose();
  }
  return { stopped: true };
}

/** `bridge [--port p] [--host h] [--origin o ...]`: runs until SIGINT/SIGTERM. */
async function bridgeCommand(v: CliValues, log: (line: string) => void): Promise<unknown> {
  const portText = str(v, 'port');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isSafeInteger(port) || port < 0 || port > 65535))
    throw new UsageError('--port wants a TCP port number');
  const host = str(v, 'host');
  const origins = list(v, 'origin');
  // Imported here: the bridge loads `ws` (kept outside the CLI bundle) only when it starts.
  const { runBridge } = await import('./bridge.ts');
  const { signal, dispose } = untilSignal();
  try {
    await runBridge({
      ...(port !== undefined ? { port } : {}),
      ...(host !== undefined ? { host } : {}),
      ...(origins.length > 0 ? { origins } : {}),
      log,
      signal,
    });
  } finally {
    dispose();
  }
  return { stopped: true };
}
