/**
 * The persistent state of the software eUICC, as plain JSON. Open channels and a Bound Profile
 * Package being loaded are never part of it. A download session that reached PrepareDownload is
 * (`session`): the state file models a card that stays powered between uses, and SGP.22 v2.2.2
 * §5.7.5 (ES10b.PrepareDownload) keeps otPK/otSK.EUICC.ECKA for a retried download.
 *
 * `validateState` checks every field and every cross-field invariant the card relies on, and
 * names the offending field by its JSON path (e.g. `profiles[1].iccid`).
 */
import {
  children,
  decodeBitString,
  decodeOne,
  decodeUnsigned,
  eidValid,
  fromHex,
  required,
  utf8,
} from '../codec/index.ts';
import { Es10Tag } from '../es10/tags.ts';
import { EuiccStateError } from './errors.ts';

export const STATE_VERSION = 1;

export type CurveName = 'P-256' | 'brainpoolP256r1';

/** Identity in JSON form: DER and keys as upper-case hex. */
export interface IdentityJson {
  eid: string;
  euiccCert: string;
  eumCert: string;
  euiccKey: { curve: CurveName; privateKey: string };
  trustedCis: string[];
}

export interface NotificationConfigJson {
  /** NotificationEvent bit numbers (0 install, 1 enable, 2 disable, 3 delete). */
  events: number[];
  address: string;
}

export interface ProfileRecord {
  iccid: string;
  /** ISD-P AID, hex. */
  isdpAid: string;
  state: 'enabled' | 'disabled';
  nickname?: string;
  serviceProviderName?: string;
  profileName?: string;
  iconType?: number;
  /** Icon bytes, hex. */
  icon?: string;
  /** 0 test, 1 provisioning, 2 operational. */
  profileClass: number;
  notificationConfig: NotificationConfigJson[];
  /** PprIds bit numbers (1 ppr1: no disable, 2 ppr2: no delete). */
  ppr: number[];
  /** Raw `B7` profileOwner TLV, hex. */
  profileOwner?: string;
  /** Raw `B8` dpProprietaryData TLV, hex. */
  dpProprietaryData?: string;
  /** Header profileType of the installed package. */
  profileType?: string;
  /** Bytes of NVM the profile occupies. */
  size: number;
}

export interface NotificationRecord {
  seqNumber: number;
  /** NotificationEvent bit number. */
  event: number;
  address: string;
  iccid?: string;
  /** The PendingNotification TLV (`BF37...` or `30...`), hex. */
  pending: string;
}

/** A RAT entry (GetRAT, docs/protocol.md §3): which PPRs an operator may set. */
export interface RatEntryJson {
  pprIds: number[];
  /** Allowed operators: mccMnc as 6 hex digits of the 3-byte BCD value ('E' is a wildcard). */
  operators: { mccMnc: string; gid1?: string; gid2?: string }[];
  consentRequired: boolean;
}

export interface EuiccConfig {
  svn: string;
  profileVersion: string;
  firmwareVersion: string;
  globalPlatformVersion: string;
  ts102241Version: string;
  ppVersion: string;
  sasAccreditationNumber: string;
  /** euiccCategory: 0 other, 1 basic, 2 medium, 3 contactless. */
  euiccCategory: number;
  /** Total NVM available for profiles, bytes. */
  nvmBytes: number;
  /** Free volatile memory reported in extCardResource. */
  freeRamBytes: number;
  /** Fixed per-profile overhead on top of the package size (ISD-P, file system). */
  profileOverheadBytes: number;
  rat: RatEntryJson[];
  /**
   * AuthenticateServer with a DPauth certificate and no matchingId (the default SM-DP+ case)
   * is only accepted from the configured default SM-DP+ address (undefinedError otherwise).
   */
  checkServerAddress: boolean;
  /** Answer 9110 (proactive command pending) instead of 9000 when refreshFlag is set. */
  proactiveRefresh: boolean;
}

export interface EuiccState {
  version: typeof STATE_VERSION;
  identity: IdentityJson;
  config: EuiccConfig;
  defaultDpAddress?: string;
  rootDsAddress: string;
  profiles: ProfileRecord[];
  notifications: NotificationRecord[];
  nextSeqNumber: number;
  /** Next ISD-P index: AIDs ...89 00 00 10 00, ...11 00, ... */
  nextIsdp: number;
  /** The download session after PrepareDownload, while the card keeps it (see the file header). */
  session?: PendingSessionJson;
}

/**
 * An RSP session that passed PrepareDownload (SGP.22 v2.2.2 §5.7.5): what the eUICC needs to
 * load the Bound Profile Package, to cancel the session, or to answer a retried PrepareDownload
 * with the same one-time key. Bytes as upper-case hex.
 */
export interface PendingSessionJson {
  transactionId: string;
  serverAddress: string;
  serverChallenge: string;
  /** The SM-DP+ OID (dotted) from its certificates. */
  smdpOid: string;
  /** Subject key identifier of the CI the session was authenticated under. */
  ciPkId: string;
  /** The `5F37` euiccSignature1 TLV (PrepareDownload's smdpSignature2 covers it). */
  euiccSignature1: string;
  /** CERT.DPpb.ECDSA, DER. */
  dpPb: string;
  /** otPK/otSK.EUICC.ECKA. */
  otKey: { curve: CurveName; privateKey: string };
}

export const DEFAULT_CONFIG: EuiccConfig = {
  svn: '2.2.2',
  profileVersion: '2.3.1',
  firmwareVersion: '1.4.0',
  globalPlatformVersion: '2.3.0',
  ts102241Version: '9.2.0',
  ppVersion: '0.1.0',
  sasAccreditationNumber: 'WL-SIM-0001',
  euiccCategory: 2,
  nvmBytes: 1_500_000,
  freeRamBytes: 9_241,
  profileOverheadBytes: 2_048,
  rat: [
    {
      pprIds: [1, 2],
      operators: [{ mccMnc: 'EEEEEE' }],
      consentRequired: true,
    },
  ],
  checkServerAddress: true,
  proactiveRefresh: false,
};

export const DEFAULT_ROOT_DS = 'lpa.ds.gsma.com';

/** SGP.22 versions a v2 eUICC may report in EUICCInfo1/2 (svn). */
export const KNOWN_SVNS: readonly string[] = [
  '2.0.0',
  '2.1.0',
  '2.2.0',
  '2.2.1',
  '2.2.2',
  '2.3.0',
  '2.3.1',
  '2.4.0',
  '2.5.0',
];

/** Longest service provider or profile name the card keeps (it refuses longer metadata). */
export const MAX_NAME_BYTES = 1024;

/** ISD-P AIDs this card allocates: prefix, one byte (0x10 + index), 00. */
const ISDP_AID_PREFIX = 'A0000005591010FFFFFFFF890000';
/** ISD-R and ECASD: never a profile's ISD-P. */
const RESERVED_AIDS = ['A0000005591010FFFFFFFF8900000100', 'A0000005591010FFFFFFFF8900000200'];
/** The last index whose AID byte (0x10 + index) still fits. */
export const MAX_ISDP_INDEX = 0xff - 0x10;

type Obj = Record<string, unknown>;

function fail(path: string, message: string): never {
  throw new EuiccStateError(path, message);
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, path: string): Obj {
  if (!isObject(v)) fail(path, 'not an object');
  return v;
}

function onlyKeys(o: Obj, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k)) fail(path === '' ? k : `${path}.${k}`, 'unknown field');
}

function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function str(v: unknown, path: string, maxLength = 4096): string {
  if (typeof v !== 'string') fail(path, 'not a string');
  if (v.length > maxLength) fail(path, `longer than ${maxLength} characters`);
  return v;
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(path, 'not an integer');
  if (v < min || v > max) fail(path, `not in ${min}..${max}`);
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'not a boolean');
  return v;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, 'not an array');
  return v;
}

/** Upper- or lower-case hex, an even number of digits, minBytes..maxBytes bytes. */
function hex(v: unknown, path: string, minBytes: number, maxBytes: number): string {
  const s = str(v, path, maxBytes * 2);
  if (!/^(?:[0-9A-Fa-f]{2})*$/.test(s)) fail(path, 'not hex');
  const n = s.length / 2;
  if (n < minBytes || n > maxBytes)
    fail(
      path,
      minBytes === maxBytes ? `not ${minBytes} bytes` : `not ${minBytes}-${maxBytes} bytes`,
    );
  return s;
}

/** A DER TLV in hex whose tag is one of `tags`. */
function tlvHex(v: unknown, path: string, tags: readonly number[], maxBytes = 65_536): string {
  const s = hex(v, path, 2, maxBytes);
  let tag: number;
  try {
    tag = decodeOne(fromHex(s)).tag;
  } catch {
    fail(path, 'not one well-formed TLV');
  }
  if (!tags.includes(tag)) fail(path, `unexpected tag ${tag.toString(16).toUpperCase()}`);
  return s;
}

/** A set of small bit numbers (BIT STRING members): integers in 0..max, no repeats. */
function bits(v: unknown, path: string, max: number): number[] {
  const list = arr(v, path).map((x, i) => int(x, `${path}[${i}]`, 0, max));
  if (new Set(list).size !== list.length) fail(path, 'repeated value');
  return list;
}

/** An FQDN as the card keeps it: 1-255 printable characters, no space, no `$`. */
function address(v: unknown, path: string): string {
  const s = str(v, path, 255);
  if (s === '') fail(path, 'empty');
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x24) fail(path, 'not a server address');
  }
  return s;
}

/**
 * A server address the card took from an SM-DP+ (notification addresses, the session's
 * serverAddress): 1-255 characters without control characters. The card refuses anything else
 * when it receives it (bpp-loader.ts), so what it saved always loads again.
 */
export function serverAddressProblem(s: string): string | undefined {
  if (s === '') return 'empty';
  if (s.length > 255) return 'longer than 255 characters';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return 'has control characters';
  }
  return undefined;
}

function serverAddress(v: unknown, path: string): string {
  const s = str(v, path, 255);
  const problem = serverAddressProblem(s);
  if (problem !== undefined) fail(path, problem);
  return s;
}

function iccid(v: unknown, path: string): string {
  const s = str(v, path, 20);
  if (!/^[0-9]{18,20}$/.test(s)) fail(path, 'an ICCID has 18 to 20 digits');
  return s;
}

function versionText(v: unknown, path: string): string {
  const s = str(v, path, 11);
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m || m.slice(1).some((p) => Number(p) > 255)) fail(path, 'not a version x.y.z (0-255)');
  return s;
}

function utf8Bytes(s: string): number {
  return utf8.encode(s).length;
}

function validateIdentity(v: unknown, path: string): void {
  const id = obj(v, path);
  onlyKeys(id, path, ['eid', 'euiccCert', 'eumCert', 'euiccKey', 'trustedCis']);
  const eid = str(id.eid, at(path, 'eid'), 32);
  if (!eidValid(eid)) fail(at(path, 'eid'), 'not a valid EID (32 digits, mod 97 = 1)');
  tlvHex(id.euiccCert, at(path, 'euiccCert'), [0x30], 4096);
  tlvHex(id.eumCert, at(path, 'eumCert'), [0x30], 4096);
  const key = obj(id.euiccKey, at(path, 'euiccKey'));
  onlyKeys(key, at(path, 'euiccKey'), ['curve', 'privateKey']);
  curve(key.curve, at(path, 'euiccKey.curve'));
  hex(key.privateKey, at(path, 'euiccKey.privateKey'), 32, 32);
  const cis = arr(id.trustedCis, at(path, 'trustedCis'));
  if (cis.length === 0) fail(at(path, 'trustedCis'), 'empty');
  cis.forEach((c, i) => tlvHex(c, `${path}.trustedCis[${i}]`, [0x30], 4096));
}

function curve(v: unknown, path: string): CurveName {
  if (v !== 'P-256' && v !== 'brainpoolP256r1') fail(path, 'not P-256 or brainpoolP256r1');
  return v;
}

const CONFIG_KEYS = Object.keys(DEFAULT_CONFIG);

function validateConfig(v: unknown, path: string): EuiccConfig {
  const given = obj(v, path);
  onlyKeys(given, path, CONFIG_KEYS);
  // Fields added after a state was written take their defaults.
  const c: Obj = { ...DEFAULT_CONFIG, ...given };
  const svn = versionText(c.svn, at(path, 'svn'));
  if (!KNOWN_SVNS.includes(svn)) fail(at(path, 'svn'), `unknown SGP.22 version ${svn}`);
  for (const k of [
    'profileVersion',
    'firmwareVersion',
    'globalPlatformVersion',
    'ts102241Version',
    'ppVersion',
  ] as const)
    versionText(c[k], at(path, k));
  str(c.sasAccreditationNumber, at(path, 'sasAccreditationNumber'), 64);
  int(c.euiccCategory, at(path, 'euiccCategory'), 0, 3);
  int(c.nvmBytes, at(path, 'nvmBytes'), 0, 0xffff_ffff);
  int(c.freeRamBytes, at(path, 'freeRamBytes'), 0, 0xffff);
  int(c.profileOverheadBytes, at(path, 'profileOverheadBytes'), 0, 0xffff_ffff);
  arr(c.rat, at(path, 'rat')).forEach((r, i) => {
    const p = `${path}.rat[${i}]`;
    const e = obj(r, p);
    onlyKeys(e, p, ['pprIds', 'operators', 'consentRequired']);
    bits(e.pprIds, `${p}.pprIds`, 2);
    arr(e.operators, `${p}.operators`).forEach((o, j) => {
      const q = `${p}.operators[${j}]`;
      const op = obj(o, q);
      onlyKeys(op, q, ['mccMnc', 'gid1', 'gid2']);
      hex(op.mccMnc, `${q}.mccMnc`, 3, 3);
      if (op.gid1 !== undefined) hex(op.gid1, `${q}.gid1`, 1, 16);
      if (op.gid2 !== undefined) hex(op.gid2, `${q}.gid2`, 1, 16);
    });
    bool(e.consentRequired, `${p}.consentRequired`);
  });
  bool(c.checkServerAddress, at(path, 'checkServerAddress'));
  bool(c.proactiveRefresh, at(path, 'proactiveRefresh'));
  return c as unknown as EuiccConfig;
}

const PROFILE_KEYS = [
  'iccid',
  'isdpAid',
  'state',
  'nickname',
  'serviceProviderName',
  'profileName',
  'iconType',
  'icon',
  'profileClass',
  'notificationConfig',
  'ppr',
  'profileOwner',
  'dpProprietaryData',
  'profileType',
  'size',
];

function validateProfile(v: unknown, path: string): ProfileRecord {
  const p = obj(v, path);
  onlyKeys(p, path, PROFILE_KEYS);
  iccid(p.iccid, at(path, 'iccid'));
  const aid = hex(p.isdpAid, at(path, 'isdpAid'), 5, 16);
  if (RESERVED_AIDS.includes(aid.toUpperCase()))
    fail(at(path, 'isdpAid'), 'the ISD-R or ECASD AID');
  if (p.state !== 'enabled' && p.state !== 'disabled')
    fail(at(path, 'state'), 'not "enabled" or "disabled"');
  if (p.nickname !== undefined && utf8Bytes(str(p.nickname, at(path, 'nickname'), 64)) > 64)
    fail(at(path, 'nickname'), 'longer than 64 bytes');
  for (const k of ['serviceProviderName', 'profileName'] as const)
    if (p[k] !== undefined && utf8Bytes(str(p[k], at(path, k), MAX_NAME_BYTES)) > MAX_NAME_BYTES)
      fail(at(path, k), `longer than ${MAX_NAME_BYTES} bytes`);
  if (p.iconType !== undefined) int(p.iconType, at(path, 'iconType'), 0, 1);
  if (p.icon !== undefined) hex(p.icon, at(path, 'icon'), 1, 1024);
  int(p.profileClass, at(path, 'profileClass'), 0, 2);
  arr(p.notificationConfig, at(path, 'notificationConfig')).forEach((c, i) => {
    const q = `${path}.notificationConfig[${i}]`;
    const n = obj(c, q);
    onlyKeys(n, q, ['events', 'address']);
    bits(n.events, `${q}.events`, 3);
    serverAddress(n.address, `${q}.address`);
  });
  bits(p.ppr, at(path, 'ppr'), 2);
  if (p.profileOwner !== undefined) tlvHex(p.profileOwner, at(path, 'profileOwner'), [0xb7], 1024);
  if (p.dpProprietaryData !== undefined)
    tlvHex(p.dpProprietaryData, at(path, 'dpProprietaryData'), [0xb8], 1024);
  if (p.profileType !== undefined) str(p.profileType, at(path, 'profileType'), 4096);
  int(p.size, at(path, 'size'), 0, Number.MAX_SAFE_INTEGER);
  return p as unknown as ProfileRecord;
}

/** The NotificationMetadata (`BF2F`) seqNumber and event of a stored PendingNotification. */
function pendingMetadata(hexText: string): { seqNumber: number; events: number[] } {
  const pending = decodeOne(fromHex(hexText));
  let meta;
  if (pending.tag === Es10Tag.ProfileInstallationResult) {
    const data = required(children(pending), Es10Tag.ProfileInstallationResultData, pending);
    meta = required(children(data), Es10Tag.NotificationMetadata, data);
  } else {
    meta = required(children(pending), Es10Tag.NotificationMetadata, pending);
  }
  const f = children(meta);
  return {
    seqNumber: decodeUnsigned(required(f, 0x80, meta).value),
    events: decodeBitString(required(f, 0x81, meta).value),
  };
}

function validateNotification(v: unknown, path: string): NotificationRecord {
  const n = obj(v, path);
  onlyKeys(n, path, ['seqNumber', 'event', 'address', 'iccid', 'pending']);
  const seq = int(n.seqNumber, at(path, 'seqNumber'), 0, 0x7fff_ffff);
  const event = int(n.event, at(path, 'event'), 0, 3);
  serverAddress(n.address, at(path, 'address'));
  if (n.iccid !== undefined) iccid(n.iccid, at(path, 'iccid'));
  const pending = tlvHex(n.pending, at(path, 'pending'), [Es10Tag.ProfileInstallationResult, 0x30]);
  let meta: { seqNumber: number; events: number[] };
  try {
    meta = pendingMetadata(pending);
  } catch {
    fail(at(path, 'pending'), 'no readable NotificationMetadata');
  }
  if (meta.seqNumber !== seq) fail(at(path, 'pending'), `signed for seqNumber ${meta.seqNumber}`);
  if (meta.events.length !== 1 || meta.events[0] !== event)
    fail(at(path, 'pending'), 'signed for another event');
  if ((event === 0) !== pending.toUpperCase().startsWith('BF37'))
    fail(at(path, 'pending'), 'install results are BF37, other notifications 30');
  return n as unknown as NotificationRecord;
}

function validateSession(v: unknown, path: string): PendingSessionJson {
  const s = obj(v, path);
  onlyKeys(s, path, [
    'transactionId',
    'serverAddress',
    'serverChallenge',
    'smdpOid',
    'ciPkId',
    'euiccSignature1',
    'dpPb',
    'otKey',
  ]);
  hex(s.transactionId, at(path, 'transactionId'), 1, 16);
  serverAddress(s.serverAddress, at(path, 'serverAddress'));
  hex(s.serverChallenge, at(path, 'serverChallenge'), 16, 16);
  const oid = str(s.smdpOid, at(path, 'smdpOid'), 128);
  if (!/^[0-2](?:\.(?:0|[1-9][0-9]{0,8}))+$/.test(oid)) fail(at(path, 'smdpOid'), 'not an OID');
  hex(s.ciPkId, at(path, 'ciPkId'), 1, 32);
  tlvHex(s.euiccSignature1, at(path, 'euiccSignature1'), [0x5f37], 128);
  tlvHex(s.dpPb, at(path, 'dpPb'), [0x30], 4096);
  const key = obj(s.otKey, at(path, 'otKey'));
  onlyKeys(key, at(path, 'otKey'), ['curve', 'privateKey']);
  curve(key.curve, at(path, 'otKey.curve'));
  hex(key.privateKey, at(path, 'otKey.privateKey'), 32, 32);
  return s as unknown as PendingSessionJson;
}

/** The allocation index of a card-made ISD-P AID, or undefined for any other AID. */
function isdpIndex(aid: string): number | undefined {
  const a = aid.toUpperCase();
  if (a.length !== 32 || !a.startsWith(ISDP_AID_PREFIX) || !a.endsWith('00')) return undefined;
  const b = parseInt(a.slice(28, 30), 16);
  return b >= 0x10 ? b - 0x10 : undefined;
}

/**
 * Checks a state read back from JSON: every field's type and range, and the invariants the card
 * relies on (at most one enabled profile, unique ICCIDs, ISD-P AIDs and sequence numbers,
 * nextIsdp above every allocated ISD-P, nextSeqNumber above every pending notification).
 * Throws EuiccStateError naming the first bad field by its JSON path; returns a deep copy with
 * missing config fields filled in from DEFAULT_CONFIG.
 */
export function validateState(value: unknown): EuiccState {
  const v = obj(value, 'state');
  onlyKeys(v, '', [
    'version',
    'identity',
    'config',
    'defaultDpAddress',
    'rootDsAddress',
    'profiles',
    'notifications',
    'nextSeqNumber',
    'nextIsdp',
    'session',
  ]);
  if (v.version !== STATE_VERSION) fail('version', `expected ${STATE_VERSION}`);
  validateIdentity(v.identity, 'identity');
  const config = validateConfig(v.config, 'config');
  if (v.defaultDpAddress !== undefined) address(v.defaultDpAddress, 'defaultDpAddress');
  address(v.rootDsAddress, 'rootDsAddress');
  const profiles = arr(v.profiles, 'profiles').map((p, i) => validateProfile(p, `profiles[${i}]`));
  const notifications = arr(v.notifications, 'notifications').map((n, i) =>
    validateNotification(n, `notifications[${i}]`),
  );
  const nextSeqNumber = int(v.nextSeqNumber, 'nextSeqNumber', 1, 0x7fff_ffff);
  const nextIsdp = int(v.nextIsdp, 'nextIsdp', 0, MAX_ISDP_INDEX + 1);
  if (v.session !== undefined) validateSession(v.session, 'session');

  const iccids = new Map<string, number>();
  const aids = new Map<string, number>();
  let enabled: number | undefined;
  profiles.forEach((p, i) => {
    const first = iccids.get(p.iccid);
    if (first !== undefined) fail(`profiles[${i}].iccid`, `same ICCID as profiles[${first}]`);
    iccids.set(p.iccid, i);
    const aid = p.isdpAid.toUpperCase();
    const firstAid = aids.get(aid);
    if (firstAid !== undefined)
      fail(`profiles[${i}].isdpAid`, `same ISD-P AID as profiles[${firstAid}]`);
    aids.set(aid, i);
    if (p.state === 'enabled') {
      if (enabled !== undefined)
        fail(`profiles[${i}].state`, `profiles[${enabled}] is enabled already`);
      enabled = i;
    }
    const index = isdpIndex(aid);
    if (index !== undefined && index >= nextIsdp)
      fail('nextIsdp', `not above ISD-P index ${index} of profiles[${i}]`);
  });
  const seqs = new Map<number, number>();
  notifications.forEach((n, i) => {
    const first = seqs.get(n.seqNumber);
    if (first !== undefined)
      fail(`notifications[${i}].seqNumber`, `same seqNumber as notifications[${first}]`);
    seqs.set(n.seqNumber, i);
    if (n.seqNumber >= nextSeqNumber)
      fail('nextSeqNumber', `not above seqNumber ${n.seqNumber} of notifications[${i}]`);
  });
  return structuredClone({ ...v, config }) as unknown as EuiccState;
}
