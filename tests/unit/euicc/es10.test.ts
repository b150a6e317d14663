/**
 * ES10a/b/c functions of the software eUICC over raw APDUs (docs/protocol.md §3, §8). Request
 * encodings come from docs/protocol.md §3.3 where listed there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  children,
  decodeAll,
  decodeOne,
  encodeTlv,
  fromHex,
  required,
  toHex,
  utf8,
} from '../../../src/codec/index.ts';
import { parseCertificate, verifyChain, verifyTr03111 } from '../../../src/rsp/index.ts';
import { fromState } from '../../../src/euicc/index.ts';
import type { EuiccState, SoftwareEuicc } from '../../../src/euicc/index.ts';
import { download, Driver, fields, MiniSmdp, newCard, resultCode, world } from './helpers.ts';

const ICCID_A = '89000123456789012341';
const ICCID_B = '89000123456789012358';
const AID_A = 'A0000005591010FFFFFFFF8900001000';
const AID_B = 'A0000005591010FFFFFFFF8900001100';

/** ICCID 89000123456789012341 as carried in 5A (docs/protocol.md §1 vector). */
const ICCID_A_5A = '5A0A98001032547698103214';

let baseState: EuiccState;

/** A card holding two disabled profiles (A: notifications for all events, PPR-free; B: none). */
function cardWithProfiles(): { card: SoftwareEuicc; d: Driver } {
  const card = fromState(structuredClone(baseState));
  const d = new Driver(card);
  d.open();
  return { card, d };
}

beforeAll(() => {
  const card = newCard();
  const d = new Driver(card);
  d.open();
  const w = world('P-256');
  // Profile A carries a 600-byte PNG-typed icon (iconType 1).
  const icon = new Uint8Array(600).map((_, i) => i & 0xff);
  download(
    d,
    new MiniSmdp(w, {
      iccid: ICCID_A,
      metadataExtra: [encodeTlv(0x93, Uint8Array.of(1)), encodeTlv(0x94, icon)],
    }),
  );
  download(d, new MiniSmdp(w, { iccid: ICCID_B, notificationConfig: [] }, 'b'));
  baseState = card.exportState();
  expect(baseState.profiles).toHaveLength(2);
});

describe('ES10a', () => {
  it('GetEuiccConfiguredAddresses / SetDefaultDpAddress', () => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    expect(toHex(d.es10('BF3C00'))).toBe(
      toHex(encodeTlv(0xbf3c, encodeTlv(0x81, utf8.encode('lpa.ds.gsma.com')))),
    );
    const set = d.es10(encodeTlv(0xbf3f, encodeTlv(0x80, utf8.encode('smdp.example.com'))));
    expect(toHex(set)).toBe('BF3F03800100');
    const f = fields(d.es10('BF3C00'), 0xbf3c);
    expect(utf8.decode(required(f, 0x80).value)).toBe('smdp.example.com');
    // Control characters are refused with undefinedError.
    expect(toHex(d.es10(encodeTlv(0xbf3f, encodeTlv(0x80, fromHex('610A62')))))).toBe(
      'BF3F0380017F',
    );
    // Empty clears it.
    d.es10('BF3F028000');
    expect(required(fields(d.es10('BF3C00'), 0xbf3c), 0x81)).toBeDefined();
    expect(fields(d.es10('BF3C00'), 0xbf3c).find((t) => t.tag === 0x80)).toBeUndefined();
  });
});

describe('ES10b information', () => {
  it('GetEUICCInfo1 lists the CI key id in both lists', () => {
    const { d } = cardWithProfiles();
    const ski = toHex(parseCertificate(world('P-256').identity.ci.certificate).subjectKeyId!);
    expect(toHex(d.es10('BF2000'))).toBe(`BF20358203020202A9160414${ski}AA160414${ski}`);
  });

  it('GetEUICCInfo2 is realistic (SVN 2.2.2, ext card resource, category, ppVersion, SAS)', () => {
    const { d } = cardWithProfiles();
    const f = fields(d.es10('BF2200'), 0xbf22);
    expect(toHex(required(f, 0x82).value)).toBe('020202');
    expect(f.map((t) => t.tag)).toEqual([
      0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0xa9, 0xaa, 0x8b, 0x04, 0x0c,
    ]);
    const ext = decodeAll(required(f, 0x84).value);
    expect(toHex(required(ext, 0x81).value)).toBe('02'); // two profiles installed
    expect(toHex(required(f, 0x88).value)).toBe('0398'); // bits 0, 3, 4
    expect(toHex(required(f, 0x8b).value)).toBe('02'); // mediumEuicc
    expect(utf8.decode(required(f, 0x0c).value)).toBe('WL-SIM-0001');
  });

  it('GetEID returns the EID from the certificate', () => {
    const { d } = cardWithProfiles();
    expect(toHex(d.es10('BF3E035C015A'))).toBe('BF3E125A1089049032123451234512345678901235');
  });

  it('GetEUICCChallenge returns 16 fresh bytes', () => {
    const { d } = cardWithProfiles();
    const a = required(fields(d.es10('BF2E00'), 0xbf2e), 0x80).value;
    const b = required(fields(d.es10('BF2E00'), 0xbf2e), 0x80).value;
    expect(a.length).toBe(16);
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('GetRAT lists PPR1/PPR2 for all operators with consent required', () => {
    const { d } = cardWithProfiles();
    // A0 { 30 { 80 pprIds (ppr1, ppr2), A1 { 30 { 80 EEEEEE } }, 82 consentRequired } }.
    expect(toHex(d.es10('BF4300'))).toBe('BF4315A0133011800205' + '60A10730058003EEEEEE82020780');
  });

  it('LoadCRL is answered with undefinedError', () => {
    const { d } = cardWithProfiles();
    expect(toHex(d.es10('BF3502A000'))).toBe('BF350381017F');
  });
});

describe('ES10c profile management', () => {
  it('GetProfilesInfo: all, by ICCID, by AID, by class, with a tag list', () => {
    const { d } = cardWithProfiles();
    const all = children(required(fields(d.es10('BF2D00'), 0xbf2d), 0xa0));
    expect(all).toHaveLength(2);
    expect(toHex(all[0]!.raw)).toContain(ICCID_A_5A);
    expect(toHex(all[0]!.raw)).toContain(`4F10${AID_A}9F700100`);
    const byIccid = children(required(fields(d.es10(`BF2D0EA00C${ICCID_A_5A}`), 0xbf2d), 0xa0));
    expect(byIccid).toHaveLength(1);
    const byAid = children(required(fields(d.es10(`BF2D14A0124F10${AID_B}`), 0xbf2d), 0xa0));
    expect(toHex(byAid[0]!.raw)).toContain(AID_B);
    expect(children(required(fields(d.es10('BF2D05A003950102'), 0xbf2d), 0xa0))).toHaveLength(2);
    expect(children(required(fields(d.es10('BF2D05A003950100'), 0xbf2d), 0xa0))).toHaveLength(0);
    // Tag list 5A 9F70: only those fields, in ASN.1 order.
    const tl = children(
      required(fields(d.es10(`BF2D13A00C${ICCID_A_5A}5C035A9F70`), 0xbf2d), 0xa0),
    );
    expect(toHex(tl[0]!.raw)).toBe(`E310${ICCID_A_5A}9F700100`);
    // Bad search criteria: incorrectInputValues (1).
    expect(toHex(d.es10('BF2D05A003800101'))).toBe('BF2D03810101');
  });

  it('returns icons by default; a long list comes through 61xx / GET RESPONSE', () => {
    const { card, d } = cardWithProfiles();
    const raw = card.transmit(fromHex(`8${d.channel}E2910003BF2D0000`));
    // More than 256 bytes: no data, 6100 (256 bytes available), then GET RESPONSE rounds.
    expect(toHex(raw)).toBe('6100');
    const list = children(required(fields(d.es10('BF2D00'), 0xbf2d), 0xa0));
    const a = children(list[0]!);
    expect(toHex(required(a, 0x93).value)).toBe('01');
    expect(required(a, 0x94).value.length).toBe(600);
    expect(card.state.profiles[0]!.icon).toHaveLength(1200);
  });

  it('Enable/Disable follow the result table and emit configured notifications', () => {
    const { card, d } = cardWithProfiles();
    const enable = (iccid5a: string): number =>
      resultCode(d.es10(`BF3111A00C${iccid5a}8101FF`), 0xbf31)!;
    const before = card.state.notifications.length;
    expect(enable(ICCID_A_5A)).toBe(0);
    expect(card.lastRefreshRequested).toBe(true);
    expect(enable(ICCID_A_5A)).toBe(2); // already enabled
    expect(resultCode(d.es10('BF3111A00C5A0A98001032547698103299810100'), 0xbf31)).toBe(1);
    // Enabling B disables A: A's config lists disable -> one notification; B lists none.
    const bIccid = '5A0A98001032547698103285';
    expect(enable(bIccid)).toBe(0);
    const states = card.state.profiles.map((p) => p.state);
    expect(states).toEqual(['disabled', 'enabled']);
    const added = card.state.notifications.slice(before);
    expect(added.map((n) => n.event)).toEqual([1, 2]); // enable A, then disable A
    // Disable: not enabled -> 2; by AID.
    expect(resultCode(d.es10(`BF3217A0124F10${AID_A}810100`), 0xbf32)).toBe(2);
    expect(resultCode(d.es10(`BF3217A0124F10${AID_B}810100`), 0xbf32)).toBe(0);
    expect(resultCode(d.es10(`BF3217A0124F10${AID_B.replace('1100', '1900')}810100`), 0xbf32)).toBe(
      1,
    );
  });

  it('the enable notification is an OtherSignedNotification with a valid chain and signature', () => {
    const { card, d } = cardWithProfiles();
    d.es10(`BF3111A00C${ICCID_A_5A}8101FF`);
    const n = card.state.notifications.at(-1)!;
    const pending = decodeOne(fromHex(n.pending), 0x30);
    const f = children(pending);
    const tbs = required(f, 0xbf2f);
    const certs = f.filter((t) => t.tag === 0x30);
    const euicc = parseCertificate(certs[0]!.raw);
    const eum = parseCertificate(certs[1]!.raw);
    const ci = parseCertificate(world('P-256').identity.ci.certificate);
    expect(
      verifyChain({ leaf: euicc, intermediates: [eum], trusted: [ci], role: 'euicc' }).ok,
    ).toBe(true);
    expect(verifyTr03111(euicc.curve, euicc.publicKey, tbs.raw, required(f, 0x5f37).value)).toBe(
      true,
    );
    const meta = children(tbs);
    expect(toHex(required(meta, 0x81).value)).toBe('0640'); // enable
    expect(toHex(required(meta, 0x5a).raw)).toBe(ICCID_A_5A);
  });

  it('PPR1 forbids disable (and enabling another profile); PPR2 forbids delete', () => {
    const state = structuredClone(baseState);
    state.profiles[0]!.ppr = [1, 2];
    state.profiles[0]!.state = 'enabled';
    const card = fromState(state);
    const d = new Driver(card);
    d.open();
    expect(resultCode(d.es10(`BF3217A0124F10${AID_A}810100`), 0xbf32)).toBe(3);
    expect(resultCode(d.es10(`BF3217A0124F10${AID_B}810100`.replace('BF32', 'BF31')), 0xbf31)).toBe(
      3,
    );
    state.profiles[0]!.state = 'disabled';
    const card2 = fromState(state);
    const d2 = new Driver(card2);
    d2.open();
    expect(resultCode(d2.es10(`BF3312${'4F10' + AID_A}`), 0xbf33)).toBe(3);
  });

  it('Delete: only disabled profiles; frees memory; notification if configured', () => {
    const { card, d } = cardWithProfiles();
    d.es10(`BF3111A00C${ICCID_A_5A}810100`);
    expect(resultCode(d.es10(`BF330C${ICCID_A_5A}`), 0xbf33)).toBe(2);
    d.es10(`BF3217A0124F10${AID_A}810100`);
    const n0 = card.state.notifications.length;
    expect(resultCode(d.es10(`BF330C${ICCID_A_5A}`), 0xbf33)).toBe(0);
    expect(card.state.profiles.map((p) => p.iccid)).toEqual([ICCID_B]);
    expect(card.state.notifications.slice(n0).map((n) => n.event)).toEqual([3]);
    expect(resultCode(d.es10(`BF330C${ICCID_A_5A}`), 0xbf33)).toBe(1);
    // B has no notification configuration: deleting it adds nothing.
    const n1 = card.state.notifications.length;
    expect(resultCode(d.es10(`BF3312${'4F10' + AID_B}`), 0xbf33)).toBe(0);
    expect(card.state.notifications.length).toBe(n1);
  });

  it('SetNickname: ok, iccidNotFound, too long', () => {
    const { card, d } = cardWithProfiles();
    const nick = (iccid5a: string, name: Uint8Array): number =>
      resultCode(d.es10(encodeTlv(0xbf29, fromHex(iccid5a), encodeTlv(0x90, name))), 0xbf29)!;
    expect(nick(ICCID_A_5A, utf8.encode('Travel'))).toBe(0);
    expect(card.state.profiles[0]!.nickname).toBe('Travel');
    expect(toHex(d.es10(`BF2D0EA00C${ICCID_A_5A}`))).toContain(toHex(utf8.encode('Travel')));
    expect(nick('5A0A98001032547698103299', utf8.encode('x'))).toBe(1);
    expect(nick(ICCID_A_5A, new Uint8Array(65).fill(0x41))).toBe(127);
  });

  it('eUICCMemoryReset: each option bit', () => {
    const state = structuredClone(baseState);
    state.profiles[1]!.profileClass = 0; // B is a test profile
    state.defaultDpAddress = 'smdp.example.com';
    const card = fromState(state);
    const d = new Driver(card);
    d.open();
    // Bit 1 only: field-loaded test profiles.
    expect(resultCode(d.es10('BF340482020640'), 0xbf34)).toBe(0);
    expect(card.state.profiles.map((p) => p.iccid)).toEqual([ICCID_A]);
    expect(resultCode(d.es10('BF340482020640'), 0xbf34)).toBe(1); // nothing left to delete
    // Bit 2: reset the default SM-DP+ address.
    expect(resultCode(d.es10('BF340482020520'), 0xbf34)).toBe(0);
    expect(card.state.defaultDpAddress).toBeUndefined();
    // Bit 0: operational profiles (all three bits: 82 02 05 E0, docs/protocol.md §3).
    expect(resultCode(d.es10('BF3404820205E0'), 0xbf34)).toBe(0);
    expect(card.state.profiles).toHaveLength(0);
    expect(resultCode(d.es10('BF3404820205E0'), 0xbf34)).toBe(1);
    // Notifications are kept.
    expect(card.state.notifications.length).toBe(baseState.notifications.length);
  });
});

describe('ES10b notifications', () => {
  it('ListNotification with and without a filter', () => {
    const { d } = cardWithProfiles();
    d.es10(`BF3111A00C${ICCID_A_5A}810100`); // adds an enable notification
    const all = children(required(fields(d.es10('BF2800'), 0xbf28), 0xa0));
    expect(all.map((t) => t.tag)).toEqual([0xbf2f, 0xbf2f, 0xbf2f]);
    const installs = children(required(fields(d.es10('BF280481020780'), 0xbf28), 0xa0));
    expect(installs).toHaveLength(2);
    const enables = children(required(fields(d.es10('BF280481020640'), 0xbf28), 0xa0));
    expect(enables).toHaveLength(1);
    expect(toHex(children(enables[0]!)[0]!.raw)).toBe('800103');
  });

  it('RetrieveNotificationsList by seq and by pmo filter; unknown seq -> noResultAvailable', () => {
    const { card, d } = cardWithProfiles();
    const one = children(required(fields(d.es10('BF2B05A003800101'), 0xbf2b), 0xa0));
    expect(one).toHaveLength(1);
    expect(toHex(one[0]!.raw)).toBe(card.state.notifications[0]!.pending);
    expect(toHex(d.es10('BF2B05A003800163'))).toBe('BF2B03810101');
    const byPmo = children(required(fields(d.es10('BF2B06A00481020780'), 0xbf2b), 0xa0));
    expect(byPmo).toHaveLength(2);
    expect(children(required(fields(d.es10('BF2B00'), 0xbf2b), 0xa0))).toHaveLength(2);
  });

  it('RemoveNotificationFromList: ok then nothingToDelete', () => {
    const { card, d } = cardWithProfiles();
    expect(toHex(d.es10('BF3003800101'))).toBe('BF3003800100');
    expect(toHex(d.es10('BF3003800101'))).toBe('BF3003800101');
    expect(card.state.notifications.map((n) => n.seqNumber)).toEqual([2]);
  });
});

describe('state', () => {
  it('exports to JSON and back, byte-identical answers', () => {
    const { card, d } = cardWithProfiles();
    const json = JSON.stringify(card.exportState());
    const copy = fromState(JSON.parse(json));
    const d2 = new Driver(copy);
    d2.open();
    for (const req of ['BF2D00', 'BF2800', 'BF2B00', 'BF2000', 'BF3E035C015A', 'BF3C00'])
      expect(toHex(d2.es10(req))).toBe(toHex(d.es10(req)));
  });

  it('rejects a malformed state with EuiccStateError naming the field', () => {
    const bad = { ...structuredClone(baseState), nextSeqNumber: -1 };
    expect(() => fromState(bad)).toThrow(/nextSeqNumber/);
    expect(() => fromState({ version: 9 })).toThrow(/version/);
    expect(() => fromState(null)).toThrow(/state/);
  });

  it('reset() drops the session: AuthenticateServer then answers noSessionContext', () => {
    const { card, d } = cardWithProfiles();
    const smdp = new MiniSmdp(world('P-256'));
    const ch = required(fields(d.es10('BF2E00'), 0xbf2e), 0x80).value;
    card.reset();
    d.open();
    const res = d.es10(smdp.authenticateServerRequest(ch));
    expect(required(children(required(fields(res, 0xbf38), 0xa1)), 0x02).value[0]).toBe(4);
  });
});
