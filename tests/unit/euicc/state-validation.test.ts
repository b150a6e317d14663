/**
 * validateState / fromState: each corruption of a valid saved state is refused with
 * EuiccStateError naming the offending field by its JSON path; valid edge cases load.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeTlv, toHex } from '../../../src/codec/index.ts';
import { EuiccStateError, SoftwareEuicc } from '../../../src/euicc/index.ts';
import type { EuiccState } from '../../../src/euicc/index.ts';
import { MAX_ISDP_INDEX, validateState } from '../../../src/euicc/state.ts';
import { download, Driver, iccidBytes, MiniSmdp, newCard, world } from './helpers.ts';

type Json = Record<string, unknown>;
// The tests mutate plain JSON freely: typed as loose records.
type Loose = Json & {
  identity: Json & { euiccKey: Json; trustedCis: unknown[] };
  config: Json & { rat: (Json & { operators: Json[] })[] };
  profiles: (Json & { notificationConfig: Json[] })[];
  notifications: Json[];
  session: Json & { otKey: Json };
};

const ICCID_A = '89000123456789012341';
const ICCID_B = '89000123456789012358';
const ICCID_C = '89000123456789012366';

let base: EuiccState;

/**
 * A card with two profiles (the second enabled), an install result (BF37) and an enable
 * notification (30) pending, a default SM-DP+ address, and a download session that passed
 * PrepareDownload.
 */
beforeAll(() => {
  const card = newCard('P-256', { defaultDpAddress: 'smdp.example.com' });
  const d = new Driver(card);
  d.open();
  const w = world('P-256');
  download(d, new MiniSmdp(w, { iccid: ICCID_A }, 'a'));
  download(d, new MiniSmdp(w, { iccid: ICCID_B }, 'b'));
  card.state.notifications.splice(0, 1); // keep B's install result only
  const enable = encodeTlv(
    0xbf31,
    encodeTlv(0xa0, encodeTlv(0x5a, iccidBytes(ICCID_B))),
    encodeTlv(0x81, Uint8Array.of(0)),
  );
  d.es10(enable);
  const smdp = new MiniSmdp(w, { iccid: ICCID_C }, 'c');
  const challenge = d.es10('BF2E00').subarray(5, 21);
  smdp.authenticateClient(d.es10(smdp.authenticateServerRequest(challenge)));
  d.es10(smdp.prepare());
  base = card.exportState();
});

function copy(): Loose {
  return structuredClone(base) as unknown as Loose;
}

function refusedAt(state: unknown): string {
  try {
    SoftwareEuicc.fromState(state);
  } catch (e) {
    if (e instanceof EuiccStateError) return e.field;
    throw e;
  }
  return '(accepted)';
}

const NOT_HEX = 'XYZ0';
const AID = (n: number): string =>
  `A0000005591010FFFFFFFF890000${n.toString(16).toUpperCase().padStart(2, '0')}00`;

/** [what, corruption, expected field path]. */
const CORRUPTIONS: [string, (s: Loose) => unknown, string][] = [
  ['not an object', () => [], 'state'],
  ['null', () => null, 'state'],
  ['wrong version', (s) => ({ ...s, version: 2 }), 'version'],
  ['unknown top-level field', (s) => ({ ...s, extra: 1 }), 'extra'],
  ['identity missing', (s) => ({ ...s, identity: undefined }), 'identity'],
  ['EID not a string', (s) => void (s.identity.eid = 89049032), 'identity.eid'],
  [
    'EID check digits',
    (s) => void (s.identity.eid = '89049032123451234512345678901234'),
    'identity.eid',
  ],
  ['EID too short', (s) => void (s.identity.eid = '8904903212345'), 'identity.eid'],
  [
    'EID of another card',
    (s) => void (s.identity.eid = '89049032123451234512345678901332'),
    'identity',
  ],
  ['eUICC certificate not hex', (s) => void (s.identity.euiccCert = NOT_HEX), 'identity.euiccCert'],
  [
    'eUICC certificate truncated',
    (s) => void (s.identity.euiccCert = (s.identity.euiccCert as string).slice(0, 40)),
    'identity.euiccCert',
  ],
  [
    'EUM certificate not a SEQUENCE',
    (s) => void (s.identity.eumCert = '0401FF'),
    'identity.eumCert',
  ],
  [
    'key curve unknown',
    (s) => void (s.identity.euiccKey.curve = 'P-384'),
    'identity.euiccKey.curve',
  ],
  [
    'key too short',
    (s) => void (s.identity.euiccKey.privateKey = 'AABB'),
    'identity.euiccKey.privateKey',
  ],
  [
    'key of another card',
    (s) => void (s.identity.euiccKey.privateKey = '11'.repeat(32)),
    'identity',
  ],
  ['no trusted CI', (s) => void (s.identity.trustedCis = []), 'identity.trustedCis'],
  [
    'trusted CI not hex',
    (s) => void (s.identity.trustedCis[0] = NOT_HEX),
    'identity.trustedCis[0]',
  ],
  ['config not an object', (s) => void (s.config = 'x' as unknown as Loose['config']), 'config'],
  ['unknown SVN', (s) => void (s.config.svn = '9.9.9'), 'config.svn'],
  ['SVN not a version', (s) => void (s.config.svn = '2.2'), 'config.svn'],
  [
    'firmware version out of range',
    (s) => void (s.config.firmwareVersion = '1.256.0'),
    'config.firmwareVersion',
  ],
  ['euiccCategory 7', (s) => void (s.config.euiccCategory = 7), 'config.euiccCategory'],
  ['nvmBytes negative', (s) => void (s.config.nvmBytes = -1), 'config.nvmBytes'],
  ['nvmBytes fractional', (s) => void (s.config.nvmBytes = 1.5), 'config.nvmBytes'],
  [
    'freeRamBytes above 2 bytes',
    (s) => void (s.config.freeRamBytes = 70_000),
    'config.freeRamBytes',
  ],
  [
    'checkServerAddress a string',
    (s) => void (s.config.checkServerAddress = 'yes'),
    'config.checkServerAddress',
  ],
  ['unknown config field', (s) => void (s.config.turbo = true), 'config.turbo'],
  ['RAT PPR 5', (s) => void (s.config.rat[0]!.pprIds = [5]), 'config.rat[0].pprIds[0]'],
  [
    'RAT mccMnc not hex',
    (s) => void (s.config.rat[0]!.operators[0]!.mccMnc = 'ZZZZZZ'),
    'config.rat[0].operators[0].mccMnc',
  ],
  [
    'RAT consent missing',
    (s) => {
      delete s.config.rat[0]!.consentRequired;
    },
    'config.rat[0].consentRequired',
  ],
  [
    'default SM-DP+ with a space',
    (s) => void (s.defaultDpAddress = 'smdp .example'),
    'defaultDpAddress',
  ],
  ['default SM-DP+ empty', (s) => void (s.defaultDpAddress = ''), 'defaultDpAddress'],
  [
    'root SM-DS missing',
    (s) => {
      delete s.rootDsAddress;
    },
    'rootDsAddress',
  ],
  ['root SM-DS with $', (s) => void (s.rootDsAddress = 'ds$x'), 'rootDsAddress'],
  ['profiles not an array', (s) => void (s.profiles = {} as Loose['profiles']), 'profiles'],
  ['profile not an object', (s) => void ((s.profiles as unknown[])[0] = 'p'), 'profiles[0]'],
  [
    'ICCID with letters',
    (s) => void (s.profiles[1]!.iccid = '8900012345678901234A'),
    'profiles[1].iccid',
  ],
  ['ICCID too short', (s) => void (s.profiles[0]!.iccid = '8900012345'), 'profiles[0].iccid'],
  ['ICCID a number', (s) => void (s.profiles[0]!.iccid = 89000123456789), 'profiles[0].iccid'],
  [
    'ISD-P AID not hex',
    (s) => void (s.profiles[1]!.isdpAid = 'A000000559XX'),
    'profiles[1].isdpAid',
  ],
  [
    'ISD-P AID odd length',
    (s) => void (s.profiles[1]!.isdpAid = 'A00000055'),
    'profiles[1].isdpAid',
  ],
  [
    'ISD-P AID too long',
    (s) => void (s.profiles[1]!.isdpAid = 'A0'.repeat(17)),
    'profiles[1].isdpAid',
  ],
  [
    'ISD-P AID is the ISD-R',
    (s) => void (s.profiles[1]!.isdpAid = 'A0000005591010FFFFFFFF8900000100'),
    'profiles[1].isdpAid',
  ],
  ['state unknown', (s) => void (s.profiles[0]!.state = 'on'), 'profiles[0].state'],
  ['two enabled profiles', (s) => void (s.profiles[0]!.state = 'enabled'), 'profiles[1].state'],
  ['duplicate ICCID', (s) => void (s.profiles[1]!.iccid = ICCID_A), 'profiles[1].iccid'],
  [
    'duplicate ISD-P AID',
    (s) => void (s.profiles[1]!.isdpAid = s.profiles[0]!.isdpAid),
    'profiles[1].isdpAid',
  ],
  [
    'duplicate ISD-P AID, other case',
    (s) => void (s.profiles[1]!.isdpAid = (s.profiles[0]!.isdpAid as string).toLowerCase()),
    'profiles[1].isdpAid',
  ],
  [
    'nickname too long',
    (s) => void (s.profiles[0]!.nickname = 'é'.repeat(33)),
    'profiles[0].nickname',
  ],
  ['nickname a number', (s) => void (s.profiles[0]!.nickname = 5), 'profiles[0].nickname'],
  [
    'profile name not a string',
    (s) => void (s.profiles[0]!.profileName = ['x']),
    'profiles[0].profileName',
  ],
  ['icon type 3', (s) => void (s.profiles[0]!.iconType = 3), 'profiles[0].iconType'],
  ['icon not hex', (s) => void (s.profiles[0]!.icon = 'iVBORw0KGgo='), 'profiles[0].icon'],
  [
    'icon above 1024 bytes',
    (s) => void (s.profiles[0]!.icon = '00'.repeat(1025)),
    'profiles[0].icon',
  ],
  ['profile class 3', (s) => void (s.profiles[0]!.profileClass = 3), 'profiles[0].profileClass'],
  [
    'notification event 4',
    (s) => void (s.profiles[0]!.notificationConfig[0]!.events = [0, 4]),
    'profiles[0].notificationConfig[0].events[1]',
  ],
  [
    'notification events repeated',
    (s) => void (s.profiles[0]!.notificationConfig[0]!.events = [1, 1]),
    'profiles[0].notificationConfig[0].events',
  ],
  [
    'notification address empty',
    (s) => void (s.profiles[0]!.notificationConfig[0]!.address = ''),
    'profiles[0].notificationConfig[0].address',
  ],
  ['PPR 3', (s) => void (s.profiles[0]!.ppr = [3]), 'profiles[0].ppr[0]'],
  [
    'profile owner not B7',
    (s) => void (s.profiles[0]!.profileOwner = '800100'),
    'profiles[0].profileOwner',
  ],
  [
    'profile owner malformed TLV',
    (s) => void (s.profiles[0]!.profileOwner = 'B705800100'),
    'profiles[0].profileOwner',
  ],
  ['size negative', (s) => void (s.profiles[0]!.size = -5), 'profiles[0].size'],
  [
    'size missing',
    (s) => {
      delete s.profiles[0]!.size;
    },
    'profiles[0].size',
  ],
  ['unknown profile field', (s) => void (s.profiles[0]!.secret = 'x'), 'profiles[0].secret'],
  [
    'notifications not an array',
    (s) => void (s.notifications = 'n' as unknown as Json[]),
    'notifications',
  ],
  [
    'seqNumber a string',
    (s) => void (s.notifications[0]!.seqNumber = '2'),
    'notifications[0].seqNumber',
  ],
  [
    'seqNumber negative',
    (s) => void (s.notifications[0]!.seqNumber = -1),
    'notifications[0].seqNumber',
  ],
  [
    'duplicate seqNumber',
    (s) => void s.notifications.push(structuredClone(s.notifications[0]!)),
    'notifications[2].seqNumber',
  ],
  ['event 9', (s) => void (s.notifications[0]!.event = 9), 'notifications[0].event'],
  [
    'event not what was signed',
    (s) => void (s.notifications[1]!.event = 2),
    'notifications[1].pending',
  ],
  [
    'notification ICCID not digits',
    (s) => void (s.notifications[0]!.iccid = 'ICCID'),
    'notifications[0].iccid',
  ],
  [
    'pending not hex',
    (s) => void (s.notifications[0]!.pending = NOT_HEX),
    'notifications[0].pending',
  ],
  [
    'pending truncated',
    (s) =>
      void (s.notifications[0]!.pending = (s.notifications[0]!.pending as string).slice(0, -2)),
    'notifications[0].pending',
  ],
  [
    'pending of another tag',
    (s) => void (s.notifications[0]!.pending = '0401FF'),
    'notifications[0].pending',
  ],
  [
    'pending signed for another seqNumber',
    (s) => void (s.notifications[0]!.seqNumber = 77),
    'notifications[0].pending',
  ],
  ['nextSeqNumber 0', (s) => void (s.nextSeqNumber = 0), 'nextSeqNumber'],
  [
    'nextSeqNumber not above pending',
    (s) => void (s.nextSeqNumber = s.notifications[1]!.seqNumber),
    'nextSeqNumber',
  ],
  ['nextSeqNumber fractional', (s) => void (s.nextSeqNumber = 4.5), 'nextSeqNumber'],
  ['nextIsdp reuses an ISD-P AID', (s) => void (s.nextIsdp = 1), 'nextIsdp'],
  ['nextIsdp 0 with profiles', (s) => void (s.nextIsdp = 0), 'nextIsdp'],
  ['nextIsdp not above a high AID', (s) => void (s.profiles[0]!.isdpAid = AID(0x40)), 'nextIsdp'],
  ['nextIsdp beyond the AID byte', (s) => void (s.nextIsdp = 0x100), 'nextIsdp'],
  ['nextIsdp negative', (s) => void (s.nextIsdp = -1), 'nextIsdp'],
  ['session not an object', (s) => void (s.session = 1 as unknown as Loose['session']), 'session'],
  [
    'session transaction id not hex',
    (s) => void (s.session.transactionId = 'tx'),
    'session.transactionId',
  ],
  [
    'session server challenge short',
    (s) => void (s.session.serverChallenge = 'AABB'),
    'session.serverChallenge',
  ],
  ['session OID malformed', (s) => void (s.session.smdpOid = '2.999.'), 'session.smdpOid'],
  ['session CI unknown', (s) => void (s.session.ciPkId = 'AA'.repeat(20)), 'session.ciPkId'],
  ['session DPpb not a certificate', (s) => void (s.session.dpPb = '300100'), 'session.dpPb'],
  [
    'session DPpb of the eUICC',
    (s) => void (s.session.dpPb = s.identity.euiccCert),
    'session.dpPb',
  ],
  [
    'session one-time key zero',
    (s) => void (s.session.otKey.privateKey = '00'.repeat(32)),
    'session.otKey.privateKey',
  ],
  [
    'session one-time key curve',
    (s) => void (s.session.otKey.curve = 'brainpoolP256r1'),
    'session.otKey.curve',
  ],
  [
    'session signature not 5F37',
    (s) => void (s.session.euiccSignature1 = '0400'),
    'session.euiccSignature1',
  ],
];

describe('validateState refuses corrupted states with the field path', () => {
  it('the base state is valid and round-trips', () => {
    expect(base.profiles).toHaveLength(2);
    expect(base.notifications.map((n) => n.pending.slice(0, 4))).toEqual(['BF37', '3082']);
    expect(base.session).toBeDefined();
    expect(refusedAt(structuredClone(base))).toBe('(accepted)');
    expect(SoftwareEuicc.fromState(structuredClone(base)).exportState()).toEqual(base);
  });

  it(`has ${CORRUPTIONS.length} corruptions`, () => {
    expect(CORRUPTIONS.length).toBeGreaterThanOrEqual(70);
  });

  it.each(CORRUPTIONS)('%s', (_what, corrupt, path) => {
    const s = copy();
    const out = corrupt(s);
    const state = out === undefined ? s : out;
    expect(refusedAt(state)).toBe(path);
  });
});

describe('validateState accepts valid edge cases', () => {
  const VALID: [string, (s: Loose) => void][] = [
    [
      'no profiles, no notifications, counters at their start',
      (s) => {
        s.profiles = [];
        s.notifications = [];
        s.nextSeqNumber = 1;
        s.nextIsdp = 0;
        delete (s as Json).session;
      },
    ],
    [
      'config fields missing take their defaults',
      (s) => {
        s.config = { svn: '2.2.2' } as unknown as Loose['config'];
      },
    ],
    ['no profile enabled', (s) => void (s.profiles[1]!.state = 'disabled')],
    [
      'an ISD-P AID the card did not allocate',
      (s) => void (s.profiles[0]!.isdpAid = 'A0000005591010FFFFFFFF8900ABCD00'),
    ],
    ['nextIsdp far above the allocated ones', (s) => void (s.nextIsdp = 0xef)],
    ['nextSeqNumber far above the pending ones', (s) => void (s.nextSeqNumber = 1_000_000)],
    [
      'lower-case hex',
      (s) => {
        s.profiles[0]!.isdpAid = (s.profiles[0]!.isdpAid as string).toLowerCase();
        s.notifications[0]!.pending = (s.notifications[0]!.pending as string).toLowerCase();
      },
    ],
    ['a 64-byte nickname', (s) => void (s.profiles[0]!.nickname = 'ü'.repeat(32))],
    [
      'no default SM-DP+ address',
      (s) => {
        delete s.defaultDpAddress;
      },
    ],
    ['an 18-digit ICCID', (s) => void (s.profiles[0]!.iccid = '890001234567890123')],
    ['SGP.22 v2.3.0', (s) => void (s.config.svn = '2.3.0')],
  ];
  it.each(VALID)('%s', (_what, change) => {
    const s = copy();
    change(s);
    expect(refusedAt(s)).toBe('(accepted)');
    // What was loaded is exported again as it was (apart from the filled-in defaults).
    const again = SoftwareEuicc.fromState(s).exportState();
    expect(again.profiles).toEqual(s.profiles);
    expect(again.notifications).toEqual(s.notifications);
  });

  it('returns a copy: later changes to the input do not reach the card', () => {
    const s = copy();
    const v = validateState(s);
    s.profiles[0]!.iccid = 'changed';
    expect(v.profiles[0]!.iccid).toBe(ICCID_A);
    expect(toHex(new Uint8Array(0))).toBe('');
  });
});

describe('what the card installs, it can load again', () => {
  it.each([
    ['an unknown notification event', [{ events: [0, 5], address: 'smdp.example.com' }]],
    ['an empty notification address', [{ events: [0], address: '' }]],
    ['a control character in the address', [{ events: [0], address: 'smdp\nexample' }]],
  ])('metadata with %s is refused at installation', (_what, notificationConfig) => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    const w = world('P-256');
    const { pir } = download(d, new MiniSmdp(w, { iccid: ICCID_A, notificationConfig }, 'meta'));
    // ProfileInstallationResult with errorResult: storeMetadata (2), incorrectInputValues (1).
    expect(toHex(pir)).toMatch(/A1068001028101/);
    expect(card.state.profiles).toEqual([]);
    expect(refusedAt(card.exportState())).toBe('(accepted)');
  });
});

it('a card that allocated its last ISD-P AID refuses another profile (insufficient memory)', () => {
  const full = SoftwareEuicc.fromState({
    ...copy(),
    session: undefined,
    nextIsdp: MAX_ISDP_INDEX + 1,
  });
  const d = new Driver(full);
  d.open();
  const { pir } = download(d, new MiniSmdp(world('P-256'), { iccid: ICCID_C }, 'full'));
  // errorResult: loadProfileElements (5), insufficientMemoryForProfile (10).
  expect(toHex(pir)).toMatch(/A10680010581010A/);
  expect(full.state.profiles).toHaveLength(2);
  expect(refusedAt(full.exportState())).toBe('(accepted)');
});
