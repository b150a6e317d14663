/**
 * The exchange log: every APDU (from the TracingTransport) and every ES9+/ES11 HTTP exchange
 * (from the Es9pClient trace hook), with timing. Bounded, so a long session cannot exhaust memory:
 * at most MAX_ENTRIES entries, and at most a byte budget of bodies (APDU bytes, ES9+ JSON). Past
 * the budget the oldest bodies are dropped first; their entries stay (time, function, status,
 * sizes) and `droppedBodies` counts them.
 *
 * With masking on (the default), every rendering of it (the screen, Copy, Export and Export
 * JSON) shows secrets masked as ../lib/mask.ts describes: ES10 data and ES9+ base64 bodies are
 * decoded and their secret values filled in, bodies that do not decode are replaced by a
 * placeholder with their length, and known secret values are masked wherever else they appear.
 *
 * The log holds data, not words: decoded parts carry what they are (a PartLabel) and the view
 * words them in the user's language. Copy and Export write English (the en texts), so a log
 * shared for help reads the same whatever language the app shows.
 */
import { toHex, fromBase64 } from '../../codec/index.ts';
import { decodeForView, treeToText, type ViewNode } from '../lib/tlv-view.ts';
import {
  hiddenBytes,
  hiddenText,
  mapStrings,
  maskJson,
  maskMessage,
  maskText,
  maskTree,
} from '../lib/mask.ts';
import { ApduMasker, parseCommand } from '../lib/apdu-mask.ts';
import { formatBytes, type Messages } from '../../i18n/index.ts';
// Copies and exports stay in English whatever the page's language (see exportText).
import { log as enLog } from '../../i18n/en/log.ts';

export interface ApduEntry {
  id: number;
  kind: 'apdu';
  at: number;
  durationMs: number;
  command: Uint8Array;
  response?: Uint8Array;
  error?: string;
  /** Set when the body was dropped to bound the log: the bytes it held. */
  droppedBytes?: number;
}

export interface HttpEntry {
  id: number;
  kind: 'http';
  at: number;
  durationMs: number;
  fn: string;
  url: string;
  status?: number;
  request?: unknown;
  response?: unknown;
  error?: string;
  /** Set when the bodies were dropped to bound the log: about the bytes they held. */
  droppedBytes?: number;
}

export type LogEntry = ApduEntry | HttpEntry;

/** What a decoded part of an entry is (its heading). */
export type PartLabel =
  | { part: 'body' | 'error' | 'command' | 'response' | 'request' }
  /** The ES10 data of several STORE DATA commands, put together. */
  | { part: 'es10Request'; blocks: number }
  /** The ES10 data of a response and its GET RESPONSE pieces, put together. */
  | { part: 'es10Response'; pieces: number }
  /** A base64 DER field of an ES9+ body, decoded; `field` is its JSON name. */
  | { part: 'requestField' | 'responseField'; field: string };

export interface DecodedPart {
  label: PartLabel;
  hex?: string;
  json?: string;
  tree?: ViewNode[];
  /** In place of the body: the bytes it held, dropped to bound the log. */
  droppedBytes?: number;
}

/** A part's heading in the given language's texts. */
export function partLabel(label: PartLabel, t: Messages['log']): string {
  switch (label.part) {
    case 'es10Request':
      return t.parts.es10Request(label.blocks);
    case 'es10Response':
      return t.parts.es10Response(label.pieces);
    case 'requestField':
      return t.parts.requestField(label.field);
    case 'responseField':
      return t.parts.responseField(label.field);
    default:
      return t.parts[label.part];
  }
}

/** Sizes in the English of Copy and Export. */
const exportBytes = (n: number): string => formatBytes('en', n);

/** An APDU exchange as the transport reports it. */
export type ApduInput = Omit<ApduEntry, 'id' | 'kind'>;

const MAX_ENTRIES = 5000;

/** Default budget of body bytes kept in the log (a 100 KB download brings about 300 KB). */
export const DEFAULT_LOG_BODY_BYTES = 1024 * 1024;

/**
 * Entries inherit from this prototype (itself an ordinary object) rather than being plain
 * objects: Svelte keeps them as they are instead of wrapping each in a deep reactive proxy
 * (about 1 KB of handlers and signals per entry, thousands of entries per download). An entry
 * is never changed in place: the log puts a new one at its index, which the reactive array
 * reports.
 */
const RECORD: object = Object.freeze(Object.create(Object.prototype) as object);

function record<T extends LogEntry>(fields: T): T {
  return Object.assign(Object.create(RECORD) as T, fields);
}

const NO_BYTES = new Uint8Array(0);

/** About the memory a JSON body holds: string lengths, 8 per other value, keys included. */
function jsonBytes(v: unknown, depth = 0): number {
  if (typeof v === 'string') return v.length;
  if (typeof v !== 'object' || v === null || depth > 32) return 8;
  let n = 8;
  if (Array.isArray(v)) {
    for (const x of v as unknown[]) n += jsonBytes(x, depth + 1);
    return n;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>))
    n += k.length + jsonBytes(x, depth + 1);
  return n;
}

function bodyBytes(e: LogEntry): number {
  if (e.droppedBytes !== undefined) return 0;
  if (e.kind === 'apdu') return e.command.length + (e.response?.length ?? 0);
  return (
    (e.request !== undefined ? jsonBytes(e.request) : 0) +
    (e.response !== undefined ? jsonBytes(e.response) : 0)
  );
}

function isoTime(ms: number): string {
  // A plain formatting use, not reactive state.

  return new Date(ms).toISOString();
}

/** ES10 data inside a STORE DATA command: its data field (SGP.22 v2.2.2 §5.7). */
function storeDataPayload(command: Uint8Array): Uint8Array | undefined {
  const p = parseCommand(command);
  if (p && p.ins === 0xe2 && (p.cla & 0x80) !== 0 && p.dataLength > 0)
    return command.subarray(p.dataStart, p.dataStart + p.dataLength);
  return undefined;
}

/** Decodes base64 DER fields of an ES9+ JSON body into trees. */
function jsonBinaryFields(body: unknown): { field: string; tree: ViewNode[] }[] {
  const out: { field: string; tree: ViewNode[] }[] = [];
  if (typeof body !== 'object' || body === null) return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v !== 'string' || v.length < 8 || !/^[A-Za-z0-9+/=\s]+$/.test(v)) continue;
    try {
      const tree = decodeForView(fromBase64(v));
      if (tree) out.push({ field: k, tree });
    } catch {
      // Not base64 after all: shown as JSON only.
    }
  }
  return out;
}

/** One entry of Export JSON: the entry with its bytes as hex and its text rendering. */
export type ExportedEntry =
  | (Omit<ApduEntry, 'command' | 'response'> & {
      /** Hex; with masking on, secret values filled or the data replaced by a placeholder. */
      command: string;
      response?: string;
      text: string;
    })
  | (HttpEntry & { text: string });

export class ExchangeLog {
  entries: LogEntry[] = $state([]);
  filter = $state('');
  kinds = $state({ apdu: true, http: true });
  /** Matching IDs and confirmation codes seen in this session, masked when masking is on. */
  secrets: string[] = $state([]);
  masked = $state(true);
  /** Entries whose bodies were dropped to stay within the byte budget (since the last clear). */
  droppedBodies = $state(0);
  #next = 1;
  readonly #bodyLimit: number;
  #bodyBytes = 0;
  /** Entries before this index have no body left to drop. */
  #dropFrom = 0;
  /**
   * ES10 data with secrets masked, per APDU entry (filled in as their pieces complete). The
   * masker is mutable; a fresh wrapper after every change makes renderings that read it update.
   */
  #apdu: { masker: ApduMasker } = $state.raw({ masker: new ApduMasker() });

  constructor(options: { maxBodyBytes?: number } = {}) {
    this.#bodyLimit = options.maxBodyBytes ?? DEFAULT_LOG_BODY_BYTES;
  }

  /** Body bytes held now (at most the budget, plus the newest entry's own bodies). */
  get bodyBytes(): number {
    return this.#bodyBytes;
  }

  readonly visible: LogEntry[] = $derived.by(() => {
    const f = this.filter.trim().toLowerCase();
    return this.entries.filter((e) => {
      if (!this.kinds[e.kind]) return false;
      if (f === '') return true;
      return this.summary(e).toLowerCase().includes(f);
    });
  });

  addSecret(secret: string): void {
    const s = secret.trim();
    if (s.length >= 3 && !this.secrets.includes(s)) this.secrets.push(s);
  }

  addApdu(e: ApduInput): void {
    const id = this.#next++;
    const masker = this.#apdu.masker;
    masker.add(id, e.command, e.response);
    this.#apdu = { masker };
    this.#push({ ...e, id, kind: 'apdu' });
  }

  addHttp(e: Omit<HttpEntry, 'id' | 'kind'>): void {
    this.#push({ ...e, id: this.#next++, kind: 'http' });
  }

  clear(): void {
    this.entries = [];
    this.#apdu = { masker: new ApduMasker() };
    this.#bodyBytes = 0;
    this.#dropFrom = 0;
    this.droppedBodies = 0;
  }

  #push(e: LogEntry): void {
    this.#bodyBytes += bodyBytes(e);
    this.entries.push(record(e));
    if (this.entries.length > MAX_ENTRIES) {
      const removed = this.entries.splice(0, this.entries.length - MAX_ENTRIES);
      for (const old of removed) {
        this.#bodyBytes -= bodyBytes(old);
        this.#apdu.masker.forget(old.id);
      }
      this.#dropFrom = Math.max(0, this.#dropFrom - removed.length);
    }
    // Oldest bodies first; the newest entry keeps its body whatever its size.
    const last = this.entries.length - 1;
    while (this.#bodyBytes > this.#bodyLimit && this.#dropFrom < last) {
      const at = this.#dropFrom++;
      const old = this.entries[at]!;
      const size = bodyBytes(old);
      if (old.droppedBytes !== undefined || size === 0) continue;
      this.#bodyBytes -= size;
      let kept: LogEntry;
      if (old.kind === 'apdu') {
        const { response: _response, ...rest } = old;
        kept = { ...rest, command: NO_BYTES, droppedBytes: size };
        this.#apdu.masker.forget(old.id);
      } else {
        const { request: _request, response: _response, ...rest } = old;
        kept = { ...rest, droppedBytes: size };
      }
      this.entries[at] = record(kept);
      this.droppedBodies++;
    }
  }

  #mask(text: string): string {
    return this.masked ? maskText(text, this.secrets) : text;
  }

  #message(text: string): string {
    return this.masked ? maskMessage(text, this.secrets) : text;
  }

  /** The command as it may be shown: raw, masked, or with its data replaced by a placeholder. */
  #command(e: ApduEntry): { hex: string; bytes?: Uint8Array } {
    if (!this.masked) return { hex: toHex(e.command), bytes: e.command };
    const shown = this.#apdu.masker.command(e.id);
    if (shown) return { hex: this.#mask(toHex(shown)), bytes: shown };
    const p = parseCommand(e.command);
    if (!p) return { hex: hiddenBytes(e.command.length) };
    const head = toHex(e.command.subarray(0, p.dataStart));
    const tail = toHex(e.command.subarray(p.dataStart + p.dataLength));
    return { hex: `${head} ${hiddenBytes(p.dataLength)}${tail === '' ? '' : ` ${tail}`}` };
  }

  #response(e: ApduEntry): { hex: string; bytes?: Uint8Array } | undefined {
    if (!e.response) return undefined;
    if (!this.masked) return { hex: toHex(e.response), bytes: e.response };
    const shown = this.#apdu.masker.response(e.id);
    if (shown) return { hex: this.#mask(toHex(shown)), bytes: shown };
    if (e.response.length < 2) return { hex: hiddenBytes(e.response.length) };
    const n = e.response.length - 2;
    return { hex: `${hiddenBytes(n)} ${toHex(e.response.subarray(n))}` };
  }

  #body(body: unknown): unknown {
    if (!this.masked) return body;
    if (typeof body === 'string') return hiddenText(body.length, 'not JSON');
    return mapStrings(maskJson(body), (s) => maskText(s, this.secrets));
  }

  /** The entry in one line (English where it has words; the view words a dropped body itself). */
  summary(e: LogEntry): string {
    if (e.kind === 'apdu' && e.droppedBytes !== undefined)
      return enLog.droppedSummary(exportBytes(e.droppedBytes));
    if (e.kind === 'apdu') {
      const resp = this.#response(e)?.hex ?? (e.error !== undefined ? this.#message(e.error) : '');
      return `> ${this.#command(e).hex}  < ${resp}`;
    }
    const end = e.status ?? (e.error !== undefined ? this.#message(e.error) : '');
    return `${e.fn} ${this.#mask(e.url)} ${end}`;
  }

  decode(e: LogEntry): DecodedPart[] {
    const parts: DecodedPart[] = [];
    if (e.droppedBytes !== undefined) {
      parts.push({ label: { part: 'body' }, droppedBytes: e.droppedBytes });
      if (e.error) parts.push({ label: { part: 'error' }, json: this.#message(e.error) });
      return parts;
    }
    const tree = (label: PartLabel, nodes: ViewNode[] | undefined, hex?: string): void => {
      const part: DecodedPart = { label };
      if (hex !== undefined) part.hex = hex;
      if (nodes) part.tree = this.masked ? maskTree(nodes, this.secrets) : nodes;
      parts.push(part);
    };
    if (e.kind === 'apdu') {
      const command = this.#command(e);
      const payload = command.bytes ? storeDataPayload(command.bytes) : undefined;
      tree({ part: 'command' }, payload ? decodeForView(payload) : undefined, command.hex);
      const request = this.#apdu.masker.wholeRequest(e.id);
      if (request)
        tree(
          { part: 'es10Request', blocks: request.pieces },
          decodeForView(this.masked ? request.masked : request.raw),
        );
      const response = this.#response(e);
      if (response) {
        const data = response.bytes?.subarray(0, Math.max(0, response.bytes.length - 2));
        tree({ part: 'response' }, data ? decodeForView(data) : undefined, response.hex);
      }
      const whole = this.#apdu.masker.wholeResponse(e.id);
      if (whole)
        tree(
          { part: 'es10Response', pieces: whole.pieces },
          decodeForView(this.masked ? whole.masked : whole.raw),
        );
      if (e.error) parts.push({ label: { part: 'error' }, json: this.#message(e.error) });
      return parts;
    }
    const request = this.#body(e.request ?? null);
    parts.push({ label: { part: 'request' }, json: JSON.stringify(request, null, 2) });
    for (const f of jsonBinaryFields(request))
      tree({ part: 'requestField', field: f.field }, f.tree);
    const response = this.#body(e.response ?? null);
    parts.push({ label: { part: 'response' }, json: JSON.stringify(response, null, 2) });
    for (const f of jsonBinaryFields(response))
      tree({ part: 'responseField', field: f.field }, f.tree);
    if (e.error) parts.push({ label: { part: 'error' }, json: this.#message(e.error) });
    return parts;
  }

  /** Plain-text rendering of entries (copy / export), masked as shown, in English. */
  toText(entries: readonly LogEntry[] = this.visible): string {
    const dropped = entries.filter((e) => e.droppedBytes !== undefined).length;
    const note = dropped > 0 ? `${enLog.olderBodiesDropped(dropped)}\n\n` : '';
    return note + this.#entriesText(entries);
  }

  #entriesText(entries: readonly LogEntry[]): string {
    return entries
      .map((e) => {
        const head = `#${e.id} ${isoTime(e.at)} ${e.kind.toUpperCase()} ${e.durationMs.toFixed(1)} ms\n${this.summary(e)}`;
        const body = this.decode(e)
          .map((p) => {
            let s = `  ${partLabel(p.label, enLog)}:`;
            if (p.hex !== undefined) s += ` ${p.hex}`;
            if (p.droppedBytes !== undefined)
              s += `\n    ${enLog.droppedBody(exportBytes(p.droppedBytes))}`;
            if (p.json !== undefined) s += `\n${p.json.replace(/^/gm, '    ')}`;
            if (p.tree) s += `\n${treeToText(p.tree, '    ')}`;
            return s.trimEnd();
          })
          .join('\n');
        return `${head}\n${body}`;
      })
      .join('\n\n');
  }

  /** Export JSON: each entry with its bytes as hex and its text rendering, masked as shown. */
  toJson(entries: readonly LogEntry[] = this.visible): string {
    const out: ExportedEntry[] = entries.map((e) => {
      const base = { id: e.id, at: e.at, durationMs: e.durationMs };
      const error = e.error !== undefined ? { error: this.#message(e.error) } : {};
      if (e.kind === 'apdu') {
        const response = this.#response(e);
        return {
          ...base,
          kind: 'apdu',
          command: e.droppedBytes !== undefined ? '' : this.#command(e).hex,
          ...(e.droppedBytes !== undefined ? { droppedBytes: e.droppedBytes } : {}),
          ...(response ? { response: response.hex } : {}),
          ...error,
          text: this.#entriesText([e]),
        };
      }
      return {
        ...base,
        kind: 'http',
        fn: e.fn,
        url: this.#mask(e.url),
        ...(e.status !== undefined ? { status: e.status } : {}),
        ...(e.request !== undefined ? { request: this.#body(e.request) } : {}),
        ...(e.response !== undefined ? { response: this.#body(e.response) } : {}),
        ...(e.droppedBytes !== undefined ? { droppedBytes: e.droppedBytes } : {}),
        ...error,
        text: this.#entriesText([e]),
      };
    });
    return JSON.stringify(out, null, 2);
  }
}
