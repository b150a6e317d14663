/**
 * Activation codes (SGP.22 §4.1; digest in docs docs/protocol.md §6):
 *
 *   LPA:1$<SM-DP+ address>$<AC_Token>[$<SM-DP+ OID>[$<CC required flag>]]
 *
 * Parsing is lenient about the packaging and strict about the fields. Accepted packaging: an
 * upper- or lower-case `LPA:` prefix or none, surrounding whitespace and line breaks, the whole
 * code URL-encoded (`LPA%3A1%24...`), a link carrying the code in a query parameter
 * (`https://example.com/esim?carddata=LPA:1$...`), the legacy `LPA$host$token` form without the
 * format field, and extra `$` fields after the flag (ignored, for forward compatibility).
 * Field rules: format must be `1`; the address is a host name or IPv4 address with an optional
 * port; the token (matching ID) may be empty and of any case but holds no whitespace, control
 * characters or `$`; the OID is dotted decimal; the flag is `1` or absent.
 *
 * Every refusal is an `ActivationCodeError` whose `reason` names the field that is wrong.
 */

export interface ActivationCode {
  /** AC_Format: 1 is the only value SGP.22 defines. */
  format: 1;
  /** SM-DP+ address: host name (or IPv4 address) with an optional `:port`, as written. */
  smdpAddress: string;
  /** AC_Token, sent as ctxParams1 matchingId; may be empty (the SM-DP+ then uses the EID). */
  matchingId: string;
  /** SM-DP+ OID (dotted decimal), when the code names one. */
  smdpOid?: string;
  /** True when the code says a confirmation code will be asked for. */
  confirmationCodeRequired: boolean;
}

export type ActivationCodeErrorReason =
  'empty' | 'format' | 'address' | 'matchingId' | 'oid' | 'confirmationFlag' | 'tooLong';

export class ActivationCodeError extends Error {
  override readonly name = 'ActivationCodeError';
  constructor(
    readonly reason: ActivationCodeErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Longest activation code accepted, counted on the code itself (`LPA:1$...`). The v2 ASN.1 sets
 * no limit; later modules cap the related activationCodeForProfileRedownload at 255 characters,
 * and real codes are far shorter (docs/protocol.md §6).
 */
export const MAX_ACTIVATION_CODE_LENGTH = 255;

/** Longest raw input looked at (a link wrapping a code is longer than the code). */
const MAX_INPUT_LENGTH = 4096;

const HOST_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** Dotted decimal, at least two arcs, no leading zeros, first arc 0..2 (X.660). */
const OID = /^[0-2](\.(0|[1-9][0-9]*))+$/;

function fail(code: ActivationCodeErrorReason, message: string): never {
  throw new ActivationCodeError(code, message);
}

/** Describes a character for an error message, e.g. `"%" (U+0025)`. */
function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp === 0x20) return `a space (${hex})`;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `a control character (${hex})`;
  if (cp >= 0xd800 && cp <= 0xdfff) return `an unpaired surrogate (${hex})`;
  if (/\s/u.test(ch)) return `a white-space character (${hex})`;
  return `"${ch}" (${hex})`;
}

/** Throws unless `address` is `host[:port]` with a DNS host name or IPv4 address. */
export function validateSmdpAddress(address: string): void {
  if (address === '') fail('address', 'The activation code has no SM-DP+ address.');
  const bad = /[^A-Za-z0-9.:-]/u.exec(address);
  if (bad) {
    fail(
      'address',
      `The SM-DP+ address contains ${describeChar(bad[0])} at position ${bad.index + 1}; ` +
        'it must be a host name such as smdp.example.com, optionally with :port.',
    );
  }
  const colon = address.indexOf(':');
  const host = colon < 0 ? address : address.slice(0, colon);
  if (colon >= 0) {
    const port = address.slice(colon + 1);
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
      fail('address', `The SM-DP+ address has an invalid port "${port}" (1 to 65535 expected).`);
  }
  if (host.length > 253) fail('address', 'The SM-DP+ host name is longer than 253 characters.');
  const labels = host.split('.');
  for (const label of labels) {
    if (!HOST_LABEL.test(label)) {
      fail(
        'address',
        label === ''
          ? `The SM-DP+ address "${address}" has an empty part between dots.`
          : `The SM-DP+ address "${address}" has an invalid part "${label}" ` +
              '(letters, digits and inner hyphens, at most 63 characters).',
      );
    }
  }
}

/** Throws unless `token` is an acceptable AC_Token (matching ID). */
export function validateMatchingId(token: string): void {
  // The spec draws the token from upper-case letters, digits and '-'; codes in the wild also
  // use lower case and other printable characters, so only what cannot survive transport
  // (control characters, white space) and the field separator are refused.
  for (let i = 0; i < token.length;) {
    const cp = token.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const unpaired = cp >= 0xd800 && cp <= 0xdfff;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || unpaired || /\s/u.test(ch) || ch === '$') {
      fail(
        'matchingId',
        `The matching ID (AC_Token) contains ${describeChar(ch)} at position ${i + 1}.`,
      );
    }
    i += ch.length;
  }
}

/** Throws unless `oid` is a dotted-decimal object identifier. */
export function validateOid(oid: string): void {
  if (!OID.test(oid) || oid.length > 128)
    fail(
      'oid',
      `The SM-DP+ OID "${oid}" is not a dotted-decimal object identifier (e.g. 1.3.6.1.4.1.31746).`,
    );
}

/** Decodes percent-escapes; a malformed escape is a format error, not a crash. */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail('format', 'The activation code has a malformed URL escape (%).');
  }
}

/**
 * Finds an activation code inside a link's query string or fragment: the first parameter whose
 * decoded value starts with `LPA:`.
 */
function fromLink(text: string): string | undefined {
  const start = text.search(/[?#]/);
  if (start < 0) return undefined;
  for (const part of text.slice(start + 1).split(/[&#?;]/)) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' ')).trim();
    } catch {
      continue;
    }
    if (/^lpa:/i.test(value)) return value;
  }
  return undefined;
}

/** Unwraps link, URL-encoding and whitespace; returns the bare code (with or without prefix). */
function unwrap(input: string): string {
  let text = input.trim();
  if (text === '') fail('empty', 'The activation code is empty.');
  if (!/^lpa[:$%]/i.test(text)) {
    // A link (any scheme://..., or a bare ?carddata=... query) that carries the code.
    const isLink = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
    // A '$' before any '?' or '#' means a code without prefix whose token holds those.
    const query = text.search(/[?#]/);
    const dollar = text.indexOf('$');
    const bareQuery = query >= 0 && (dollar < 0 || dollar > query);
    const inner = isLink || bareQuery ? fromLink(text) : undefined;
    if (inner !== undefined) text = inner;
    else if (isLink)
      fail(
        'format',
        'The link does not carry an activation code (no parameter starting with LPA:).',
      );
  }
  // A URL-encoded code has no literal '$' but '%24' separators (or an encoded 'LPA%3A' prefix).
  if (/^lpa%3a/i.test(text) || (!text.includes('$') && /%24/i.test(text))) {
    text = percentDecode(text).trim();
  }
  return text;
}

/**
 * Parses an activation code as scanned or typed.
 *
 * @example
 * parseActivationCode('LPA:1$smdp.example.com$04386-AGYFT-A74Y8-3F815$$1')
 * // { format: 1, smdpAddress: 'smdp.example.com', matchingId: '04386-AGYFT-A74Y8-3F815',
 * //   confirmationCodeRequired: true }
 */
export function parseActivationCode(input: string): ActivationCode {
  if (input.length > MAX_INPUT_LENGTH)
    fail(
      'tooLong',
      `The input is ${input.length} characters long; an activation code is far shorter.`,
    );
  const text = unwrap(input);
  if (text.length > MAX_ACTIVATION_CODE_LENGTH)
    fail(
      'tooLong',
      `The activation code is ${text.length} characters long (at most ${MAX_ACTIVATION_CODE_LENGTH}).`,
    );

  let body: string;
  let fields: string[];
  if (/^lpa\$/i.test(text)) {
    // Legacy form LPA$host$token...: no AC_Format field; read as format 1.
    body = text.slice(4);
    fields = ['1', ...body.split('$')];
  } else {
    body = /^lpa:/i.test(text) ? text.slice(4) : text;
    fields = body.split('$');
  }
  if (body.trim() === '') fail('empty', 'The activation code has nothing after "LPA:".');

  const format = fields[0] ?? '';
  if (format !== '1') {
    fail(
      'format',
      format === ''
        ? 'The activation code has no format field (expected "LPA:1$...").'
        : `Unknown activation code format "${format.slice(0, 16)}" (only format 1 is defined).`,
    );
  }
  const smdpAddress = fields[1] ?? '';
  validateSmdpAddress(smdpAddress);
  // "LPA:1$host" without a token field is read as an empty token.
  const matchingId = fields[2] ?? '';
  validateMatchingId(matchingId);
  const oid = fields[3] ?? '';
  if (oid !== '') validateOid(oid);
  const flag = fields[4] ?? '';
  if (flag !== '' && flag !== '1')
    fail(
      'confirmationFlag',
      `The confirmation-code flag is "${flag.slice(0, 16)}"; only "1" (required) or nothing is allowed.`,
    );
  // fields[5...] are ignored: later versions may append fields.

  const ac: ActivationCode = {
    format: 1,
    smdpAddress,
    matchingId,
    confirmationCodeRequired: flag === '1',
  };
  if (oid !== '') ac.smdpOid = oid;
  return ac;
}

/**
 * The canonical text of an activation code: `LPA:1$address$token`, then `$oid` if present, then
 * `$1` if a confirmation code is required (with an empty OID field when only the flag follows).
 * Throws ActivationCodeError if a field would not parse back.
 */
export function formatActivationCode(ac: ActivationCode): string {
  if ((ac.format as number) !== 1)
    fail('format', `Unknown activation code format "${String(ac.format)}" (only 1 is defined).`);
  validateSmdpAddress(ac.smdpAddress);
  validateMatchingId(ac.matchingId);
  if (ac.smdpOid !== undefined && ac.smdpOid !== '') validateOid(ac.smdpOid);
  let text = `LPA:1$${ac.smdpAddress}$${ac.matchingId}`;
  const oid = ac.smdpOid ?? '';
  if (ac.confirmationCodeRequired) text += `$${oid}$1`;
  else if (oid !== '') text += `$${oid}`;
  if (text.length > MAX_ACTIVATION_CODE_LENGTH)
    fail(
      'tooLong',
      `The activation code would be ${text.length} characters long (at most ${MAX_ACTIVATION_CODE_LENGTH}).`,
    );
  return text;
}
