import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../../../src/codec/index.ts';
import {
  computeHashCc,
  decodeOid,
  decodeVersion,
  encodeAuthenticateServerRequest,
  encodeCancelSessionRequest,
  encodeCtxParams1,
  encodeDeleteProfileRequest,
  encodeDeviceInfo,
  encodeDisableProfileRequest,
  encodeEmptyRequest,
  encodeEnableProfileRequest,
  encodeEuiccMemoryResetRequest,
  encodeGetEidRequest,
  encodeGetProfilesInfoRequest,
  encodeListNotificationRequest,
  encodeOid,
  encodePrepareDownloadRequest,
  encodeRemoveNotificationFromListRequest,
  encodeRetrieveNotificationsListRequest,
  encodeSetDefaultDpAddressRequest,
  encodeSetNicknameRequest,
  encodeVersion,
  Es10Tag,
} from '../../../src/es10/index.ts';
import { tlv } from './scripted-link.ts';

const ICCID = '89000123456789012341';
const ICCID_BCD = '98001032547698103214'; // docs/protocol.md §1
const AID_1000 = 'A0000005591010FFFFFFFF8900001000';

describe('ES10 request encodings (docs/protocol.md §3.3 reference hex)', () => {
  const cases: [string, () => Uint8Array, string][] = [
    ['GetEID', encodeGetEidRequest, 'BF3E035C015A'],
    ['GetEUICCChallenge', () => encodeEmptyRequest(Es10Tag.GetEuiccChallenge), 'BF2E00'],
    ['GetEUICCInfo1', () => encodeEmptyRequest(Es10Tag.GetEuiccInfo1), 'BF2000'],
    ['GetEUICCInfo2', () => encodeEmptyRequest(Es10Tag.GetEuiccInfo2), 'BF2200'],
    ['GetProfilesInfo (all)', () => encodeGetProfilesInfoRequest(), 'BF2D00'],
    [
      'EnableProfile(ICCID, refresh)',
      () => encodeEnableProfileRequest({ iccid: ICCID }, true),
      'BF3111A00C5A0A980010325476981032148101FF',
    ],
    [
      'DisableProfile(AID, no refresh)',
      () => encodeDisableProfileRequest({ isdpAid: fromHex(AID_1000) }, false),
      'BF3217A0124F10A0000005591010FFFFFFFF8900001000810100',
    ],
    [
      'DeleteProfile(ICCID)',
      () => encodeDeleteProfileRequest({ iccid: ICCID }),
      'BF330C5A0A98001032547698103214',
    ],
    [
      'eUICCMemoryReset(all)',
      () =>
        encodeEuiccMemoryResetRequest({
          deleteOperationalProfiles: true,
          deleteFieldLoadedTestProfiles: true,
          resetDefaultSmdpAddress: true,
        }),
      'BF3404820205E0',
    ],
    ['ListNotification (all)', () => encodeListNotificationRequest(), 'BF2800'],
    [
      'ListNotification (install)',
      () => encodeListNotificationRequest(['install']),
      'BF280481020780',
    ],
    [
      'RetrieveNotificationsList(seq 5)',
      () => encodeRetrieveNotificationsListRequest({ seqNumber: 5 }),
      'BF2B05A003800105',
    ],
    [
      'RemoveNotificationFromList(seq 5)',
      () => encodeRemoveNotificationFromListRequest(5),
      'BF3003800105',
    ],
    [
      'CancelSession(txId 01..10, endUserRejection)',
      () =>
        encodeCancelSessionRequest(fromHex('0102030405060708090A0B0C0D0E0F10'), 'endUserRejection'),
      'BF411580100102030405060708090A0B0C0D0E0F10810100',
    ],
  ];
  it.each(cases)('%s', (_name, make, hex) => {
    expect(toHex(make())).toBe(hex);
  });
});

describe('other ES10 requests (hand-built per the ASN.1 tagging in docs/protocol.md §1, §3)', () => {
  it('SetDefaultDpAddress', () => {
    expect(toHex(encodeSetDefaultDpAddressRequest('smdp.example.com'))).toBe(
      tlv('BF3F', tlv('80', toHex(utf8.encode('smdp.example.com')))),
    );
  });
  it('SetNickname', () => {
    expect(toHex(encodeSetNicknameRequest(ICCID, 'Work'))).toBe(
      tlv('BF29', tlv('5A', ICCID_BCD), tlv('90', '576F726B')),
    );
    expect(() => encodeSetNicknameRequest(ICCID, 'x'.repeat(65))).toThrow(RangeError);
  });
  it('GetProfilesInfo with a search criterion and a tag list', () => {
    expect(
      toHex(
        encodeGetProfilesInfoRequest({
          search: { iccid: ICCID },
          tags: [0x5a, 0x9f70, 0x90, 0x91, 0x92],
        }),
      ),
    ).toBe(tlv('BF2D', tlv('A0', tlv('5A', ICCID_BCD)), '5C06 5A 9F70 90 91 92'));
    expect(toHex(encodeGetProfilesInfoRequest({ search: { profileClass: 'operational' } }))).toBe(
      tlv('BF2D', tlv('A0', '950102')),
    );
    expect(toHex(encodeGetProfilesInfoRequest({ search: { isdpAid: fromHex(AID_1000) } }))).toBe(
      tlv('BF2D', tlv('A0', tlv('4F', AID_1000))),
    );
  });
  it('eUICCMemoryReset with one option', () => {
    expect(toHex(encodeEuiccMemoryResetRequest({ resetDefaultSmdpAddress: true }))).toBe(
      'BF3404820205' + '20',
    );
    expect(toHex(encodeEuiccMemoryResetRequest({ deleteOperationalProfiles: true }))).toBe(
      'BF3404820207' + '80',
    );
  });
  it('RetrieveNotificationsList by event and all', () => {
    expect(
      toHex(encodeRetrieveNotificationsListRequest({ profileManagementOperation: ['enable'] })),
    ).toBe('BF2B06A00481020640');
    expect(toHex(encodeRetrieveNotificationsListRequest())).toBe('BF2B00');
  });
  it('DeviceInfo: TAC plain BCD (docs/protocol.md §5.1 step 5), IMEI F-padded, capabilities', () => {
    expect(
      toHex(
        encodeDeviceInfo({
          tac: '35290611',
          imei: '352906110000017',
          capabilities: { gsmSupportedRelease: '9.0.0', eutranEpcSupportedRelease: '15.0.0' },
        }),
      ),
    ).toBe(
      tlv('A1', '800435290611', tlv('A1', '8003090000', '85030F0000'), '8208352906110000017F'),
    );
    expect(toHex(encodeDeviceInfo({ tac: '35550607', capabilities: {} }))).toBe(
      'A108800435550607A100',
    );
    expect(() => encodeDeviceInfo({ tac: '3555060', capabilities: {} })).toThrow(RangeError);
    expect(() => encodeDeviceInfo({ tac: '35550607', imei: '12', capabilities: {} })).toThrow(
      RangeError,
    );
  });
  it('AuthenticateServer embeds the ES9+ blobs verbatim and wraps a bare CI key id', () => {
    const serverSigned1 = fromHex(tlv('30', tlv('80', '00112233')));
    const sig = fromHex(tlv('5F37', '11'.repeat(64)));
    const ski = 'F54172BDF98A95D65CBEB88A38A1C11D800A85C3';
    const cert = fromHex(tlv('30', tlv('30', '0102')));
    const ctx = { matchingId: 'ABC-123', deviceInfo: { tac: '35290611', capabilities: {} } };
    const ctxHex = tlv('A0', tlv('80', toHex(utf8.encode('ABC-123'))), 'A108800435290611A100');
    expect(toHex(encodeCtxParams1(ctx))).toBe(ctxHex);
    const expected = tlv(
      'BF38',
      toHex(serverSigned1),
      toHex(sig),
      tlv('04', ski),
      toHex(cert),
      ctxHex,
    );
    for (const id of [fromHex(tlv('04', ski)), fromHex(ski)]) {
      const req = encodeAuthenticateServerRequest({
        serverSigned1,
        serverSignature1: sig,
        euiccCiPKIdToBeUsed: id,
        serverCertificate: cert,
        ctxParams1: ctx,
      });
      expect(toHex(req)).toBe(expected);
    }
    // Without a matching ID (SM-DS discovery, default SM-DP+).
    expect(toHex(encodeCtxParams1({ deviceInfo: ctx.deviceInfo }))).toBe(
      'A00AA108800435290611A100',
    );
  });
  it('PrepareDownload with and without hashCc', () => {
    const s2 = tlv('30', tlv('80', '01'), '0101FF');
    const sig = tlv('5F37', '22'.repeat(64));
    const cert = tlv('30', '0500');
    const base = {
      smdpSigned2: fromHex(s2),
      smdpSignature2: fromHex(sig),
      smdpCertificate: fromHex(cert),
    };
    expect(toHex(encodePrepareDownloadRequest(base))).toBe(tlv('BF21', s2, sig, cert));
    const h = new Uint8Array(32).fill(0xab);
    expect(toHex(encodePrepareDownloadRequest({ ...base, hashCc: h }))).toBe(
      tlv('BF21', s2, sig, tlv('04', 'AB'.repeat(32)), cert),
    );
  });
});

describe('hashCc (docs/protocol.md §5.1 step 10)', () => {
  it('equals SHA-256(SHA-256(code) || txId) computed with node:crypto', () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array({ minLength: 1, maxLength: 16 }), (code, txId) => {
        const inner = createHash('sha256').update(Buffer.from(code, 'utf8')).digest();
        const want = createHash('sha256')
          .update(Buffer.concat([inner, txId]))
          .digest();
        expect(toHex(computeHashCc(code, txId))).toBe(toHex(new Uint8Array(want)));
      }),
      { seed: 6, numRuns: 50 },
    );
  });
});

describe('primitive round trips', () => {
  it('OID', () => {
    // 2.999.10 is the SGP.26-style test SM-DP+ OID (docs/protocol.md §7.1); 1.2.840.10045.3.1.7 = P-256.
    expect(toHex(encodeOid('1.2.840.10045.3.1.7'))).toBe('2A8648CE3D030107');
    expect(decodeOid(fromHex('883701'))).toBe('2.999.1');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (a, b, rest) => {
          const oid = [a, b, ...rest].join('.');
          expect(decodeOid(encodeOid(oid))).toBe(oid);
        },
      ),
      { seed: 7 },
    );
  });
  it('VersionType', () => {
    expect(toHex(encodeVersion('2.2.0'))).toBe('020200');
    expect(decodeVersion(fromHex('020301'))).toBe('2.3.1');
    expect(() => encodeVersion('2.2')).toThrow(RangeError);
    expect(() => encodeVersion('2.2.256')).toThrow(RangeError);
  });
});
