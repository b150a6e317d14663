/**
 * Masks secrets in the exchange log: on screen, in Copy, Export (text) and Export JSON.
 *
 * What is secret in this app, and why:
 * - The matching ID (the activation code's token, or an SM-DS event ID used as one): with the
 *   SM-DP+ address it is all anyone needs to download the profile to another eUICC (SGP.22
 *   v2.2.2 §4.1). It travels in ctxParams1 of ES10b.AuthenticateServer (§5.7.13), again inside
 *   euiccSigned1 of the AuthenticateServerResponse that ES9+.AuthenticateClient carries in base64
 *   (§5.6.3), and as `eventId` in ES11.AuthenticateClient answers (§5.8.2).
 * - The activation code: it holds the matching ID; masking the matching ID masks its secret part.
 * - The confirmation code: the second factor of a download. The LPA never sends it; the user
 *   types it, and it is masked wherever it might show up as text.
 * - hashCc = SHA-256(SHA-256(confirmation code) | transactionId) (§5.7.5): the transaction ID is
 *   in the log and confirmation codes are short (often 4 to 8 digits), so the hash gives the code
 *   away to a brute-force search. It sits in the PrepareDownloadRequest and in euiccSigned2 of the
 *   PrepareDownloadResponse that ES9+.GetBoundProfilePackage carries (§5.6.2).
 * - The IMEI (the optional deviceInfo field a user may set in Settings): a permanent identifier of
 *   the user's own device. Support needs the TAC (the device model), which stays visible.
 *
 * Not secret: the EID (printed on the device, carried in the eUICC certificate the SM-DP+ gets,
 * and what support needs to find an order; blanking it would break the signed certificates), ICCIDs,
 * transaction IDs, challenges, public keys, signatures, certificates, and the Bound Profile Package
 * (encrypted under session keys that never appear in the log).
 *
 * How: structurally first. ES10 data (STORE DATA payloads, reassembled across blocks, and the
 * responses, reassembled across GET RESPONSE) and the base64 DER fields of ES9+/ES11 JSON bodies are
 * decoded with the TLV codec; the value bytes of secret elements, found by tag path, are replaced
 * by a same-length filler ('*'), so lengths stay right and the rest still decodes. Bodies that
 * cannot be decoded are not shown at all while masking is on: a placeholder gives their length.
 * Then, as a second line of defence, the known secret values (matching IDs and codes the user
 * typed) are searched for literally: as text, as the hex of their UTF-8 bytes (any case) and as
 * the base64 characters they produce at each of the three byte alignments.
 */
import {
  CodecError,
  TlvError,
  children,
  concat,
  decodeAll,
  fromBase64,
  toBase64,
  toHex,
  utf8,
  type Tlv,
} from '../../codec/index.ts';
import type { ViewNode } from './tlv-view.ts';

/** What replaces a secret in text (its length is not kept). */
export const MASK = '•••';

/** The byte that replaces each byte of a secret value inside DER ('*': UTF8Strings stay text). */
export const FILLER = 0x2a;

export type SecretKind = 'matchingId' | 'hashCc' | 'imei';

/** Where secret values sit in ES10 data, as tag paths from the outermost element. */
export const SECRET_TLV_PATHS: readonly { readonly path: readonly number[]; kind: SecretKind }[] = [
  // AuthenticateServerRequest (BF38): ctxParams1 = ctxParamsForCommonAuthentication (A0)
  // { matchingId 80, deviceInfo A1 { tac 80, deviceCapabilities A1, imei 82 } } (§5.7.13).
  { path: [0xbf38, 0xa0, 0x80], kind: 'matchingId' },
  { path: [0xbf38, 0xa0, 0xa1, 0x82], kind: 'imei' },
  // AuthenticateServerResponse (BF38): authenticateResponseOk (A0) { euiccSigned1 (30)
  // { ..., ctxParams1 (A0) } ... } (§5.7.13).
  { path: [0xbf38, 0xa0, 0x30, 0xa0, 0x80], kind: 'matchingId' },
  { path: [0xbf38, 0xa0, 0x30, 0xa0, 0xa1, 0x82], kind: 'imei' },
  // PrepareDownloadRequest (BF21) { smdpSigned2, smdpSignature2, hashCc 04, smdpCertificate }
  // and PrepareDownloadResponse (BF21): downloadResponseOk (A0) { euiccSigned2 (30)
  // { transactionId 80, euiccOtpk 5F49, hashCc 04 } ... } (§5.7.5).
  { path: [0xbf21, 0x04], kind: 'hashCc' },
  { path: [0xbf21, 0xa0, 0x30, 0x04], kind: 'hashCc' },
];

export interface SecretRange {
  /** Offset of the first value byte. */
  start: number;
  /** Offset after the last value byte. */
  end: number;
  kind: SecretKind;
}

type PathRule = (typeof SECRET_TLV_PATHS)[number];

function walk(list: readonly Tlv[], depth: number, rules: readonly PathRule[], out: SecretRange[]) {
  for (const t of list) {
    const here = rules.filter((r) => r.path[depth] === t.tag);
    if (here.length === 0) continue;
    const start = t.offset + t.raw.length - t.value.length;
    for (const r of here)
      if (r.path.length === depth + 1)
        out.push({ start, end: start + t.value.length, kind: r.kind });
    const deeper = here.filter((r) => r.path.length > depth + 1);
    if (deeper.length === 0) continue;
    // An element on a secret's path that is not constructed is not the structure SGP.22
    // defines: the caller then treats the whole buffer as undecodable.
    walk(children(t), depth + 1, deeper, out);
  }
}

/**
 * The byte ranges of secret values in a buffer of complete TLVs. Throws TlvError when the
 * buffer is not TLV, or when an element on a secret's tag path does not decode.
 */
export function secretRanges(bytes: Uint8Array): SecretRange[] {
  const out: SecretRange[] = [];
  walk(decodeAll(bytes), 0, SECRET_TLV_PATHS, out);
  return out;
}

/**
 * Length of an open header at the start of an ES10b.LoadBoundProfilePackage payload: the LPA
 * sends the Bound Profile Package one unit per call (SGP.22 v2.2.2 §2.5.5), so a payload may
 * start with the tag and length of BF36, A1 or A3 whose value comes in the following calls.
 * Returns 0 when `bytes` does not start so.
 */
function bppOpenHeader(bytes: Uint8Array): number {
  let i: number;
  if (bytes[0] === 0xbf && bytes[1] === 0x36) i = 2;
  else if (bytes[0] === 0xa1 || bytes[0] === 0xa3) i = 1;
  else return 0;
  const l0 = bytes[i++];
  if (l0 === undefined || l0 === 0x80) return 0;
  let length = l0;
  if (l0 > 0x80) {
    const n = l0 & 0x7f;
    if (n > 4 || i + n > bytes.length) return 0;
    length = 0;
    for (let k = 0; k < n; k++) length = length * 256 + bytes[i++]!;
  }
  // Only a header whose value runs past the payload is open; a complete element decodes anyway.
  return length > bytes.length - i ? i : 0;
}

/**
 * A copy of `bytes` with every secret value replaced by FILLER bytes (same length, so the rest
 * decodes as before), or undefined when the bytes are not complete TLV (the caller must then
 * not show them).
 */
export function maskTlv(bytes: Uint8Array): Uint8Array | undefined {
  let ranges: SecretRange[];
  const skip = bppOpenHeader(bytes);
  try {
    ranges = secretRanges(bytes.subarray(skip));
  } catch (e) {
    if (e instanceof TlvError) return undefined;
    throw e;
  }
  const out = bytes.slice();
  for (const r of ranges) out.fill(FILLER, skip + r.start, skip + r.end);
  return out;
}

/** What is shown instead of bytes that cannot be decoded while masking is on. */
export function hiddenBytes(length: number): string {
  return `[${length} bytes hidden]`;
}

/** What is shown instead of text that cannot be decoded (`why`) while masking is on. */
export function hiddenText(length: number, why: string): string {
  return `[${length} characters hidden: ${why}]`;
}

/** ES9+/ES11 JSON fields holding base64 DER (the HTTPS/JSON binding, SGP.22 v2.2.2 §6). */
const DER_FIELDS = new Set([
  'euiccInfo1',
  'serverSigned1',
  'serverSignature1',
  'euiccCiPKIdToBeUsed',
  'serverCertificate',
  'authenticateServerResponse',
  'profileMetadata',
  'smdpSigned2',
  'smdpSignature2',
  'smdpCertificate',
  'prepareDownloadResponse',
  'boundProfilePackage',
  'pendingNotification',
  'cancelSessionResponse',
]);

/** JSON fields whose whole value is secret. */
const SECRET_FIELDS = new Set([
  'matchingId',
  'eventId',
  'activationCode',
  'confirmationCode',
  'hashCc',
  'imei',
]);

/** JSON fields that are plain values (not binary bodies), kept as they are. */
const PLAIN_FIELDS = new Set([
  'transactionId',
  'euiccChallenge',
  'smdpAddress',
  'rspServerAddress',
  'functionRequesterIdentifier',
  'functionCallIdentifier',
  'status',
  'subjectCode',
  'reasonCode',
  'subjectIdentifier',
  'message',
]);

const BASE64_BODY = /^[A-Za-z0-9+/\r\n]{16,}={0,2}$/;

function maskJsonString(key: string | undefined, value: string): string {
  if (key !== undefined && SECRET_FIELDS.has(key)) return MASK;
  if (key !== undefined && PLAIN_FIELDS.has(key)) return value;
  const known = key !== undefined && DER_FIELDS.has(key);
  // An unknown field that looks like base64 (and not like hex) is treated as a binary body too.
  if (!known && !(BASE64_BODY.test(value) && !/^[0-9A-Fa-f]+$/.test(value))) return value;
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(value);
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    return known ? hiddenText(value.length, 'not base64') : value;
  }
  const masked = maskTlv(bytes);
  return masked ? toBase64(masked) : hiddenBytes(bytes.length);
}

/**
 * A deep copy of an ES9+/ES11 JSON body with secrets masked: secret fields replaced by MASK,
 * base64 DER fields decoded, masked structurally and encoded again (or replaced by a placeholder
 * when they do not decode).
 */
export function maskJson(value: unknown, key?: string): unknown {
  if (typeof value === 'string') return maskJsonString(key, value);
  if (Array.isArray(value)) return value.map((v: unknown) => maskJson(v, key));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskJson(v, k)]),
    );
  return value;
}

/** Applies `f` to every string in a JSON value (a deep copy). */
export function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v: unknown) => mapStrings(v, f));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, mapStrings(v, f)]),
    );
  return value;
}

interface Pattern {
  text: string;
  /** Hex is matched in any case; text and base64 exactly. */
  anyCase: boolean;
}

/**
 * The base64 characters that depend only on `bytes` when they start at byte offset k (mod 3)
 * of the encoded data: whatever surrounds them, these characters appear in the encoding.
 */
function base64Cores(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const enc = toBase64(concat(new Uint8Array(k), bytes));
    // Character j covers bits [6j, 6j + 6); the secret covers bits [8k, 8k + 8n).
    const first = Math.ceil((8 * k) / 6);
    const last = Math.floor((8 * (k + bytes.length)) / 6) - 1;
    if (last - first + 1 >= 4) out.push(enc.slice(first, last + 1));
  }
  return out;
}

function patterns(secrets: readonly string[]): Pattern[] {
  const out = new Map<string, Pattern>();
  for (const s of secrets) {
    // Very short strings would mask unrelated bytes; matching IDs and codes are longer in practice.
    if (s.length < 3) continue;
    const bytes = utf8.encode(s);
    out.set(s, { text: s, anyCase: false });
    const hex = toHex(bytes);
    out.set(hex, { text: hex, anyCase: true });
    for (const b of base64Cores(bytes)) if (!out.has(b)) out.set(b, { text: b, anyCase: false });
  }
  return [...out.values()].sort((a, b) => b.text.length - a.text.length);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The last secrets list compiled: logs render many strings with the same secrets. */
let compiled: { key: string; regexps: RegExp[] } | undefined;

function regexps(secrets: readonly string[]): RegExp[] {
  const key = secrets.join('\u0000');
  if (compiled?.key === key) return compiled.regexps;
  // One alternation, longest first, so a longer form wins over a shorter one inside it; hex
  // matches in any case through character classes.
  const alternatives = patterns(secrets).map((p) =>
    p.anyCase ? p.text.replace(/[A-F]/g, (c) => `[${c}${c.toLowerCase()}]`) : escape(p.text),
  );
  const out = alternatives.length > 0 ? [new RegExp(alternatives.join('|'), 'g')] : [];
  compiled = { key, regexps: out };
  return out;
}

/** Replaces known secret values found literally in `text` (as text, hex or base64) by MASK. */
export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const re of regexps(secrets)) out = out.replace(re, MASK);
  return out;
}

/**
 * Hides long hex runs in free text (error messages of AT modems quote the APDUs they carried)
 * and masks known secrets in what remains.
 */
export function maskMessage(text: string, secrets: readonly string[]): string {
  return maskText(
    text.replace(/[0-9A-Fa-f]{16,}/g, (run) => hiddenBytes(Math.floor(run.length / 2))),
    secrets,
  );
}

export function maskTree(nodes: readonly ViewNode[], secrets: readonly string[]): ViewNode[] {
  return nodes.map((n) => {
    const m: ViewNode = { ...n };
    if (n.text !== undefined) m.text = maskText(n.text, secrets);
    if (n.hex !== undefined) m.hex = maskText(n.hex, secrets);
    if (n.children) m.children = maskTree(n.children, secrets);
    return m;
  });
}
