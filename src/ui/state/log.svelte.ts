/**
 * The exchange log: every APDU (from the TracingTransport) and every ES9+/ES11 HTTP exchange
 * (from the Es9pClient trace hook), with timing. Bounded, so a long session cannot exhaust memory.
 */
import { toHex, fromBase64 } from '../../codec/index.ts';
import { decodeForView, treeToText, type ViewNode } from '../lib/tlv-view.ts';
import { maskText, maskTree } from '../lib/mask.ts';

export interface ApduEntry {
  id: number;
  kind: 'apdu';
  at: number;
  durationMs: number;
  command: Uint8Array;
  response?: Uint8Array;
  error?: string;
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
}

export type LogEntry = ApduEntry | HttpEntry;

export interface DecodedPart {
  label: string;
  hex?: string;
  json?: string;
  tree?: ViewNode[];
}

const MAX_ENTRIES = 5000;

function isoTime(ms: number): string {
  // A plain formatting use, not reactive state.

  return new Date(ms).toISOString();
}

/** ES10 data inside a STORE DATA command: the bytes after the 5-byte header (sgp22.md §2.2). */
function storeDataPayload(command: Uint8Array): Uint8Array | undefined {
  if (command.length > 5 && command[1] === 0xe2 && (command[0]! & 0x80) !== 0)
    return command.subarray(5, 5 + command[4]!);
  return undefined;
}

/** Decodes base64 DER fields of an ES9+ JSON body into trees. */
function jsonBinaryFields(body: unknown): { label: string; tree: ViewNode[] }[] {
  const out: { label: string; tree: ViewNode[] }[] = [];
  if (typeof body !== 'object' || body === null) return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v !== 'string' || v.length < 8 || !/^[A-Za-z0-9+/=\s]+$/.test(v)) continue;
    try {
      const tree = decodeForView(fromBase64(v));
      if (tree) out.push({ label: k, tree });
    } catch {
      // Not base64 after all: shown as JSON only.
    }
  }
  return out;
}

export class ExchangeLog {
  entries: LogEntry[] = $state([]);
  filter = $state('');
  kinds = $state({ apdu: true, http: true });
  /** Matching IDs and confirmation codes seen in this session, masked when masking is on. */
  secrets: string[] = $state([]);
  masked = $state(true);
  #next = 1;

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

  addApdu(e: Omit<ApduEntry, 'id' | 'kind'>): void {
    this.#push({ ...e, id: this.#next++, kind: 'apdu' });
  }

  addHttp(e: Omit<HttpEntry, 'id' | 'kind'>): void {
    this.#push({ ...e, id: this.#next++, kind: 'http' });
  }

  clear(): void {
    this.entries = [];
  }

  #push(e: LogEntry): void {
    this.entries.push(e);
    if (this.entries.length > MAX_ENTRIES)
      this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  #mask(text: string): string {
    return this.masked ? maskText(text, this.secrets) : text;
  }

  summary(e: LogEntry): string {
    if (e.kind === 'apdu') {
      const resp = e.response ? toHex(e.response) : (e.error ?? '');
      return this.#mask(`> ${toHex(e.command)}  < ${resp}`);
    }
    return this.#mask(`${e.fn} ${e.url} ${e.status ?? e.error ?? ''}`);
  }

  decode(e: LogEntry): DecodedPart[] {
    const parts: DecodedPart[] = [];
    const tree = (label: string, nodes: ViewNode[] | undefined, hex?: string): void => {
      const part: DecodedPart = { label };
      if (hex !== undefined) part.hex = this.#mask(hex);
      if (nodes) part.tree = this.masked ? maskTree(nodes, this.secrets) : nodes;
      parts.push(part);
    };
    if (e.kind === 'apdu') {
      const payload = storeDataPayload(e.command);
      tree('Command', payload ? decodeForView(payload) : undefined, toHex(e.command));
      if (e.response) {
        const data = e.response.subarray(0, Math.max(0, e.response.length - 2));
        tree('Response', decodeForView(data), toHex(e.response));
      }
      if (e.error) parts.push({ label: 'Error', json: e.error });
      return parts;
    }
    parts.push({ label: 'Request', json: this.#mask(JSON.stringify(e.request ?? null, null, 2)) });
    for (const f of jsonBinaryFields(e.request)) tree(`Request ${f.label}`, f.tree);
    parts.push({
      label: 'Response',
      json: this.#mask(JSON.stringify(e.response ?? null, null, 2)),
    });
    for (const f of jsonBinaryFields(e.response)) tree(`Response ${f.label}`, f.tree);
    if (e.error) parts.push({ label: 'Error', json: e.error });
    return parts;
  }

  /** Plain-text rendering of entries (copy / export), masked as shown. */
  toText(entries: readonly LogEntry[] = this.visible): string {
    return entries
      .map((e) => {
        const head = `#${e.id} ${isoTime(e.at)} ${e.kind.toUpperCase()} ${e.durationMs.toFixed(1)} ms\n${this.summary(e)}`;
        const body = this.decode(e)
          .map((p) => {
            let s = `  ${p.label}:`;
            if (p.hex !== undefined) s += ` ${p.hex}`;
            if (p.json !== undefined) s += `\n${p.json.replace(/^/gm, '    ')}`;
            if (p.tree) s += `\n${treeToText(p.tree, '    ')}`;
            return s.trimEnd();
          })
          .join('\n');
        return `${head}\n${body}`;
      })
      .join('\n\n');
  }
}
