/**
 * The persistent state of the software eUICC: what survives a power cycle, as plain JSON.
 * Volatile state (open channels, the RSP session, a Bound Profile Package being loaded) is
 * deliberately not part of it, exactly as on a real card where a reset drops them.
 */
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

/** A RAT entry (GetRAT, sgp22.md §3): which PPRs an operator may set. */
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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks the shape of a state read back from JSON (fields whose absence would make the card
 * misbehave). Throws EuiccStateError naming the first bad field.
 */
export function validateState(value: unknown): EuiccState {
  if (!isObject(value)) throw new EuiccStateError('state', 'not an object');
  if (value.version !== STATE_VERSION)
    throw new EuiccStateError('version', `expected ${STATE_VERSION}`);
  const id = value.identity;
  if (!isObject(id)) throw new EuiccStateError('identity', 'missing');
  for (const f of ['eid', 'euiccCert', 'eumCert'] as const)
    if (typeof id[f] !== 'string') throw new EuiccStateError(`identity.${f}`, 'not a string');
  if (!isObject(id.euiccKey)) throw new EuiccStateError('identity.euiccKey', 'missing');
  if (!Array.isArray(id.trustedCis)) throw new EuiccStateError('identity.trustedCis', 'missing');
  if (!isObject(value.config)) throw new EuiccStateError('config', 'missing');
  if (!Array.isArray(value.profiles)) throw new EuiccStateError('profiles', 'not an array');
  if (!Array.isArray(value.notifications))
    throw new EuiccStateError('notifications', 'not an array');
  for (const f of ['nextSeqNumber', 'nextIsdp'] as const)
    if (typeof value[f] !== 'number' || !Number.isSafeInteger(value[f]) || value[f] < 0)
      throw new EuiccStateError(f, 'not a non-negative integer');
  if (typeof value.rootDsAddress !== 'string')
    throw new EuiccStateError('rootDsAddress', 'not a string');
  for (const [i, p] of value.profiles.entries()) {
    if (!isObject(p) || typeof p.iccid !== 'string' || typeof p.isdpAid !== 'string')
      throw new EuiccStateError(`profiles[${i}]`, 'bad profile');
    if (p.state !== 'enabled' && p.state !== 'disabled')
      throw new EuiccStateError(`profiles[${i}].state`, 'bad state');
  }
  for (const [i, n] of value.notifications.entries()) {
    if (!isObject(n) || typeof n.seqNumber !== 'number' || typeof n.pending !== 'string')
      throw new EuiccStateError(`notifications[${i}]`, 'bad notification');
  }
  return structuredClone({
    ...value,
    config: { ...DEFAULT_CONFIG, ...value.config },
  }) as EuiccState;
}
