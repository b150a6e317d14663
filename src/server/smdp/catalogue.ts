/**
 * Download orders of the test SM-DP+ and their JSON catalogue format (catalogue/demo.json).
 *
 * {
 *   "orders": [{
 *     "label": "Plain profile",                  // shown next to the activation code
 *     "matchingId": "WEBLPA-PLAIN",              // AC token; "" = default SM-DP+ (EID-bound)
 *     "confirmationCode": "1234",                // optional
 *     "reusable": false,                         // one-time by default
 *     "releaseOnCancel": false,                  // see "Cancel after delivery" below
 *     "eid": "8904...",                          // optional EID binding
 *     "expiresAt": "2020-01-01T00:00:00Z",       // optional
 *     "smdsEvent": true,                         // register an SM-DS event (needs eid)
 *     "replaceSessionKeys": false,               // BPP with A2 ReplaceSessionKeys
 *     "metadata": { "serviceProviderName": "...", "profileName": "...",
 *                   "profileClass": "operational", "iconType": "png",
 *                   "iconFile": "icon.png" | "iconBase64": "...", "ppr": ["ppr1"] },
 *     "profile": { "iccid": "8900...", "sizeBytes": 10240 } | { "file": "p.der" }
 *   }]
 * }
 * Files are resolved by the injected reader (relative to the catalogue's folder on Node).
 *
 * Generated profiles: `iccid` is 18-20 digits (19 digits get their Luhn check digit appended);
 * a reusable generated order counts the last digits up per download, as an eUICC refuses a
 * second profile with an ICCID it already holds.
 *
 * `file` profiles (a SAIP profile package, e.g. a GSMA TS.48 test profile) are served as they
 * are: the package is checked when the catalogue loads (packages.ts: DER ProfileElements,
 * ProfileHeader first, End last) and a bad file refuses the whole catalogue. The ICCID is the
 * package's own: the 10 bytes of its ProfileHeader go unchanged into the StoreMetadata, in
 * whichever encoding the package uses (swapped BCD, or plain digits as TS.48 packages have), so
 * the eUICC finds the ICCID it compares with the header. `iccid` is not needed; when given it
 * must name the header's ICCID or the catalogue is refused. A reusable `file` order serves the
 * same package, with the same ICCID, every time: an eUICC that already holds it refuses the
 * second download (ErrorReason iccidAlreadyExistsOnEuicc), so delete the profile first or use
 * another eUICC.
 *
 * Cancel after delivery: once its Bound Profile Package was delivered, a one-time order stays
 * used when the LPA cancels the session (ES9+.CancelSession) - the default, as a delivered
 * package may be installed anyway. `"releaseOnCancel": true` returns it to the pool instead
 * (unless a profile of it was installed). Either way the LPA can fetch the same package again
 * in the same session (a retried getBoundProfilePackage), and a signed failed installation
 * result returns a one-time order that was never installed.
 *
 * Confirmation codes: wrong codes count per order over all sessions; after the server's
 * maximum (default 5, with a doubling back-off between attempts) the order is locked until the
 * server's admin call resets it (POST /admin/orders/reset-cc-lock {"matchingId"}) or the
 * catalogue is loaded again.
 */
import {
  CodecError,
  fromBase64,
  luhnCheckDigit,
  normaliseEid,
  normaliseIccid,
} from '../../codec/index.ts';
import { PROFILE_CLASSES } from '../../es10/encode.ts';
import type { IconType, PprName, ProfileClass } from '../../es10/types.ts';
import { PackageError, checkProfilePackage, iccidMatches, type HeaderIccid } from './packages.ts';

export interface OrderMetadata {
  serviceProviderName: string;
  profileName: string;
  profileClass?: ProfileClass;
  icon?: { type: IconType; data: Uint8Array };
  ppr?: PprName[];
}

export type OrderProfile =
  | { kind: 'generated'; sizeBytes: number }
  | {
      kind: 'bytes';
      data: Uint8Array;
      /**
       * The ProfileHeader's ICCID: its 10 bytes are the StoreMetadata ICCID as they are. Read
       * from the package by SmdpCore.addOrder when an order built in code leaves it out.
       */
      iccid?: HeaderIccid;
      /** Where the package came from (file name), for messages and the start-up listing. */
      source?: string;
    };

export interface Order {
  matchingId: string;
  label: string;
  confirmationCode?: string;
  reusable: boolean;
  eid?: string;
  expiresAt?: Date;
  smdsEvent?: boolean;
  replaceSessionKeys?: boolean;
  /** One-time orders: a cancel after delivery returns the order (default: it stays used). */
  releaseOnCancel?: boolean;
  /**
   * ICCID digits. Generated profiles: with Luhn check digit, varied per download by reusable
   * orders. `file` profiles: the package header's digits, for display (profile.iccid is sent).
   */
  iccid: string;
  metadata: OrderMetadata;
  profile: OrderProfile;
}

/** A catalogue that cannot be used; `path` names the offending field. */
export class CatalogueError extends Error {
  override readonly name = 'CatalogueError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

export interface CatalogueSource {
  /** Reads a file named in the catalogue (icons, .der profiles). */
  readFile?: (name: string) => Uint8Array;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Json, key: string, path: string, optional: true): string | undefined;
function str(o: Json, key: string, path: string, optional?: false): string;
function str(o: Json, key: string, path: string, optional = false): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw new CatalogueError(`${path}.${key}`, 'must be a string');
  return v;
}

function bool(o: Json, key: string, path: string): boolean {
  const v = o[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new CatalogueError(`${path}.${key}`, 'must be true or false');
  return v;
}

/** The PPRs of SGP.22 v2.2 (ppr3 was dropped after v2.1). */
const PPRS: readonly PprName[] = ['pprUpdateControl', 'ppr1', 'ppr2'];
/** SGP.22 limits the icon to 1024 bytes (ProfileInfo `94`). */
const MAX_ICON = 1024;
/** Matching IDs follow the AC token character set (SGP.22 v2.2.2 §4.1). */
const MATCHING_ID = /^[A-Za-z0-9-]{0,64}$/;

/** 19 digits get their Luhn check digit appended; 18-20 digits must already be valid. */
export function iccidWithCheckDigit(text: string): string {
  const digits = text.replace(/\s+/g, '');
  if (/^\d{19}$/.test(digits)) return digits + luhnCheckDigit(digits);
  return normaliseIccid(digits);
}

function readFileOrThrow(source: CatalogueSource, name: string, path: string): Uint8Array {
  if (!source.readFile) throw new CatalogueError(path, 'files are not available here');
  try {
    return source.readFile(name);
  } catch (e) {
    throw new CatalogueError(path, `cannot read ${name}: ${e instanceof Error ? e.message : ''}`);
  }
}

/** The ICCID as shown: the digits, the encoding the header uses and its bytes. */
export function describeIccid(iccid: HeaderIccid): string {
  const hex = [...iccid.bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${iccid.digits} (${iccid.encoding === 'plain' ? 'plain digits' : 'swapped BCD'} ${hex.toUpperCase()})`;
}

/** Checks a profile package file (packages.ts); `named` names the order in the message. */
export function packageProfile(
  data: Uint8Array,
  file: string,
  path: string,
  named: string,
): Extract<OrderProfile, { kind: 'bytes' }> & { iccid: HeaderIccid } {
  try {
    const info = checkProfilePackage(data);
    return { kind: 'bytes', data, iccid: info.iccid, source: file };
  } catch (e) {
    if (e instanceof PackageError)
      throw new CatalogueError(
        path,
        `${named}: ${file} is not a usable profile package: ${e.message}`,
      );
    throw e;
  }
}

function parseOrder(o: unknown, path: string, source: CatalogueSource): Order {
  if (!isObject(o)) throw new CatalogueError(path, 'must be an object');
  const matchingId = str(o, 'matchingId', path);
  if (!MATCHING_ID.test(matchingId))
    throw new CatalogueError(`${path}.matchingId`, 'use letters, digits and - (at most 64)');
  const m = o.metadata;
  if (!isObject(m)) throw new CatalogueError(`${path}.metadata`, 'must be an object');
  const mp = `${path}.metadata`;
  const metadata: OrderMetadata = {
    serviceProviderName: str(m, 'serviceProviderName', mp),
    profileName: str(m, 'profileName', mp),
  };
  const cls = str(m, 'profileClass', mp, true);
  if (cls !== undefined) {
    if (!PROFILE_CLASSES.includes(cls as ProfileClass))
      throw new CatalogueError(`${mp}.profileClass`, `one of ${PROFILE_CLASSES.join(', ')}`);
    metadata.profileClass = cls as ProfileClass;
  }
  const iconFile = str(m, 'iconFile', mp, true);
  const iconB64 = str(m, 'iconBase64', mp, true);
  if (iconFile !== undefined || iconB64 !== undefined) {
    const iconType = str(m, 'iconType', mp, true) ?? 'png';
    if (iconType !== 'png' && iconType !== 'jpg')
      throw new CatalogueError(`${mp}.iconType`, 'png or jpg');
    let data: Uint8Array;
    if (iconFile !== undefined) data = readFileOrThrow(source, iconFile, `${mp}.iconFile`);
    else {
      try {
        data = fromBase64(iconB64 ?? '');
      } catch {
        throw new CatalogueError(`${mp}.iconBase64`, 'invalid base64');
      }
    }
    if (data.length === 0 || data.length > MAX_ICON)
      throw new CatalogueError(`${mp}.icon`, `icon must be 1..${MAX_ICON} bytes`);
    metadata.icon = { type: iconType, data };
  }
  const ppr = m.ppr;
  if (ppr !== undefined) {
    if (!Array.isArray(ppr) || !ppr.every((p) => PPRS.includes(p as PprName)))
      throw new CatalogueError(`${mp}.ppr`, `a list of ${PPRS.join(', ')}`);
    metadata.ppr = ppr as PprName[];
  }

  const p = o.profile;
  if (!isObject(p)) throw new CatalogueError(`${path}.profile`, 'must be an object');
  const pp = `${path}.profile`;
  const named = matchingId === '' ? 'the default order' : `order ${matchingId}`;
  let iccid: string;
  let profile: OrderProfile;
  const file = str(p, 'file', pp, true);
  if (file !== undefined) {
    if (p.sizeBytes !== undefined)
      throw new CatalogueError(`${pp}.sizeBytes`, 'a file profile has the size of its file');
    const data = readFileOrThrow(source, file, `${pp}.file`);
    const checked = packageProfile(data, file, `${pp}.file`, named);
    profile = checked;
    iccid = checked.iccid.digits;
    const given = str(p, 'iccid', pp, true);
    if (given !== undefined && !iccidMatches(given, checked.iccid))
      throw new CatalogueError(
        `${pp}.iccid`,
        `${named}: iccid ${given} does not match the ICCID ${describeIccid(checked.iccid)} ` +
          `in the ProfileHeader of ${file} (leave iccid out to use the package's own)`,
      );
  } else {
    try {
      iccid = iccidWithCheckDigit(str(p, 'iccid', pp));
    } catch (e) {
      if (e instanceof CodecError) throw new CatalogueError(`${pp}.iccid`, e.message);
      throw e;
    }
    const size = p.sizeBytes ?? 0;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > 2_000_000)
      throw new CatalogueError(`${pp}.sizeBytes`, 'an integer 0..2000000');
    profile = { kind: 'generated', sizeBytes: size };
  }

  const order: Order = {
    matchingId,
    label: str(o, 'label', path, true) ?? matchingId,
    reusable: bool(o, 'reusable', path),
    iccid,
    metadata,
    profile,
  };
  const cc = str(o, 'confirmationCode', path, true);
  if (cc !== undefined) {
    if (cc.length === 0) throw new CatalogueError(`${path}.confirmationCode`, 'must not be empty');
    order.confirmationCode = cc;
  }
  const eid = str(o, 'eid', path, true);
  if (eid !== undefined) {
    try {
      order.eid = normaliseEid(eid);
    } catch (e) {
      throw new CatalogueError(`${path}.eid`, e instanceof Error ? e.message : 'invalid EID');
    }
  }
  const expires = str(o, 'expiresAt', path, true);
  if (expires !== undefined) {
    const d = new Date(expires);
    if (Number.isNaN(d.getTime())) throw new CatalogueError(`${path}.expiresAt`, 'not a date');
    order.expiresAt = d;
  }
  if (bool(o, 'smdsEvent', path)) {
    if (order.eid === undefined)
      throw new CatalogueError(`${path}.smdsEvent`, 'an SM-DS event needs an eid binding');
    order.smdsEvent = true;
  }
  if (bool(o, 'replaceSessionKeys', path)) order.replaceSessionKeys = true;
  if (bool(o, 'releaseOnCancel', path)) order.releaseOnCancel = true;
  return order;
}

/** Validates a parsed catalogue JSON document. Throws CatalogueError naming the bad field. */
export function parseCatalogue(json: unknown, source: CatalogueSource = {}): Order[] {
  if (!isObject(json) || !Array.isArray(json.orders))
    throw new CatalogueError('orders', 'the catalogue needs an "orders" array');
  const orders = json.orders.map((o, i) => parseOrder(o, `orders[${i}]`, source));
  const seen = new Set<string>();
  for (const o of orders) {
    const key = o.matchingId.toUpperCase();
    if (o.matchingId !== '' && seen.has(key))
      throw new CatalogueError('orders', `duplicate matchingId ${o.matchingId}`);
    seen.add(key);
  }
  return orders;
}

/** A profile package file of a profiles folder (`--profiles <dir>`). */
export interface PackageFile {
  /** The file name, e.g. "TS48V1-A-UNIQUE.der". */
  name: string;
  data: Uint8Array;
}

/**
 * The matching ID of a profiles-folder file: the name without its `.der` extension, in upper
 * case, every run of characters other than letters, digits and `-` replaced by one `-`, leading
 * and trailing `-` dropped, at most 64 characters (SGP.22 v2.2.2 §4.1 AC token characters).
 * "TS48V1-A-UNIQUE.der" -> "TS48V1-A-UNIQUE", "my profile_2.der" -> "MY-PROFILE-2".
 */
export function matchingIdForFile(name: string): string {
  return name
    .replace(/\.der$/i, '')
    .toUpperCase()
    .replace(/[^A-Z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

/**
 * Orders for a folder of profile packages: one per file, named after it (matchingIdForFile),
 * serving the package as it is with its own ICCID; one-time unless `reusable`. Every file is
 * checked now; a bad one, or two files giving the same matching ID, refuse the folder.
 */
export function ordersFromPackages(
  files: readonly PackageFile[],
  options: { reusable?: boolean; folder?: string } = {},
): Order[] {
  const where = options.folder ?? 'profiles';
  if (files.length === 0) throw new CatalogueError(where, 'no .der profile packages found');
  const byId = new Map<string, string>();
  return files.map((f) => {
    const matchingId = matchingIdForFile(f.name);
    const path = `${where}/${f.name}`;
    if (matchingId === '')
      throw new CatalogueError(path, 'the file name gives no matching ID (letters or digits)');
    const other = byId.get(matchingId);
    if (other !== undefined)
      throw new CatalogueError(path, `${other} and ${f.name} both give matching ID ${matchingId}`);
    byId.set(matchingId, f.name);
    const profile = packageProfile(f.data, f.name, path, `order ${matchingId}`);
    return {
      matchingId,
      label: f.name,
      reusable: options.reusable === true,
      iccid: profile.iccid.digits,
      metadata: {
        serviceProviderName: 'WebLPA profiles folder',
        profileName: f.name.replace(/\.der$/i, ''),
      },
      profile,
    };
  });
}

/** Joins order lists (catalogue and profiles folder); a matching ID may appear only once. */
export function mergeOrders(...lists: readonly (readonly Order[])[]): Order[] {
  const seen = new Set<string>();
  const out: Order[] = [];
  for (const o of lists.flat()) {
    const key = o.matchingId.toUpperCase();
    if (seen.has(key))
      throw new CatalogueError('orders', `duplicate matchingId ${o.matchingId || '(default)'}`);
    seen.add(key);
    out.push(o);
  }
  return out;
}
