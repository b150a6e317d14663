import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeTlv, fromHex, toHex, utf8 } from '../../../src/codec/index.ts';
import {
  decodeAuthenticateServerResponse,
  decodeCancelSessionResponse,
  decodeEidResponse,
  decodeEuiccConfiguredAddresses,
  decodeEuiccInfo1,
  decodeEuiccInfo2,
  decodeListNotificationResponse,
  decodePrepareDownloadResponse,
  decodeProfileInfoListResponse,
  decodeProfileInstallationResult,
  decodeRatResponse,
  decodeRetrieveNotificationsListResponse,
  encodeProfileInfo,
  Es10Error,
  Es10FormatError,
  expectOk,
  Es10Tag,
} from '../../../src/es10/index.ts';
import type { ProfileInfo } from '../../../src/es10/index.ts';
import { tlv } from './scripted-link.ts';

const NIST_TEST_CI = 'F54172BDF98A95D65CBEB88A38A1C11D800A85C3';
const GSMA_CI1 = '81370F5125D0B1D408D4C3B232E6D25E795BEBFB';
const ICCID_BCD = '98001032547698103214'; // 89000123456789012341, docs/protocol.md §1
const text = (s: string): string => toHex(utf8.encode(s));

/** GetProfilesInfo's answer `BF2D { A0 { E3* } }`, as a card would build it. */
function encodeProfileInfoListResponse(profiles: readonly ProfileInfo[]): Uint8Array {
  return encodeTlv(Es10Tag.GetProfilesInfo, encodeTlv(0xa0, ...profiles.map(encodeProfileInfo)));
}

describe('EUICCInfo1 / EUICCInfo2 (docs/protocol.md §3.2)', () => {
  it('decodes EUICCInfo1 shaped like the lpac trace, naming known CIs and keeping raw', () => {
    const hex = tlv(
      'BF20',
      '8203020300',
      tlv('A9', tlv('04', GSMA_CI1)),
      tlv('AA', tlv('04', GSMA_CI1), tlv('04', 'AABBCC')),
    );
    const info = decodeEuiccInfo1(fromHex(hex), { aabbcc: 'Project test CI' });
    expect(info.svn).toBe('2.3.0');
    expect(info.euiccCiPKIdListForVerification).toEqual([
      { keyId: GSMA_CI1, name: 'GSMA RSP2 Root CI1' },
    ]);
    expect(info.euiccCiPKIdListForSigning).toEqual([
      { keyId: GSMA_CI1, name: 'GSMA RSP2 Root CI1' },
      { keyId: 'AABBCC', name: 'Project test CI' },
    ]);
    expect(toHex(info.raw)).toBe(hex);
  });

  it('decodes EUICCInfo2 with the sysmoEUICC1-C2T values from pySim fixtures', () => {
    const hex = tlv(
      'BF22',
      '8103020301', // profileVersion 2.3.1
      '8203020200', // svn 2.2.0
      '8303040100', // firmware 4.1.0
      tlv('84', '810108', '820400045BF8', '83022419'),
      '8505067F36F3C0',
      '8603090200',
      '8703020300',
      '88020398',
      tlv('A9', tlv('04', NIST_TEST_CI)),
      tlv('AA', tlv('04', NIST_TEST_CI)),
      '8B0102',
      '99020640',
      '0403000001',
      tlv('0C', text('SAS-TEST-01')),
      tlv('AC', tlv('80', text('Platform X')), tlv('81', text('https://disc.example'))),
    );
    const i = decodeEuiccInfo2(fromHex(hex));
    expect(i.profileVersion).toBe('2.3.1');
    expect(i.svn).toBe('2.2.0');
    expect(i.euiccFirmwareVer).toBe('4.1.0');
    expect(i.extCardResource).toEqual({
      installedApplications: 8,
      freeNonVolatileMemory: 0x45bf8,
      freeVolatileMemory: 0x2419,
    });
    expect(i.uiccCapability).toEqual([
      'usimSupport',
      'isimSupport',
      'csimSupport',
      'akaMilenage',
      'akaCave',
      'akaTuak128',
      'akaTuak256',
      'gbaAuthenUsim',
      'gbaAuthenISim',
      'eapClient',
      'javacard',
      'multipleUsimSupport',
      'multipleIsimSupport',
      'multipleCsimSupport',
      'berTlvFileSupport',
      'getIdentity',
      'profile-a-x25519',
      'profile-b-p256',
      'suciCalculatorApi',
    ]);
    expect(i.rspCapability).toEqual([
      'additionalProfile',
      'testProfileSupport',
      'deviceInfoExtensibilitySupport',
    ]);
    expect(i.ts102241Version).toBe('9.2.0');
    expect(i.globalplatformVersion).toBe('2.3.0');
    expect(i.euiccCiPKIdListForSigning[0]?.name).toBe('GSMA SGP.26 Test CI (NIST P-256)');
    expect(i.euiccCategory).toBe('mediumEuicc');
    expect(i.forbiddenProfilePolicyRules).toEqual(['ppr1']);
    expect(i.ppVersion).toBe('0.0.1');
    expect(i.sasAcreditationNumber).toBe('SAS-TEST-01');
    expect(i.certificationDataObject).toEqual({
      platformLabel: 'Platform X',
      discoveryBaseURL: 'https://disc.example',
    });
  });

  it('reports a missing mandatory field as Es10FormatError', () => {
    expect(() => decodeEuiccInfo2(fromHex('BF22058103020301'))).toThrow(Es10FormatError);
    expect(() => decodeEuiccInfo1(fromHex('BF2003'))).toThrow(Es10FormatError);
    expect(() => decodeEuiccInfo1(fromHex('BF2E00'))).toThrow(Es10FormatError);
  });
});

describe('small responses', () => {
  it('EID, addresses, results', () => {
    expect(
      decodeEidResponse(fromHex(tlv('BF3E', tlv('5A', '89049032123451234512345678901235')))),
    ).toBe('89049032123451234512345678901235');
    expect(
      decodeEuiccConfiguredAddresses(
        fromHex(tlv('BF3C', tlv('80', text('dp.example')), tlv('81', text('lpa.ds.gsma.com')))),
      ),
    ).toEqual({
      defaultDpAddress: 'dp.example',
      rootDsAddress: 'lpa.ds.gsma.com',
    });
    expect(decodeEuiccConfiguredAddresses(fromHex(tlv('BF3C', tlv('81', text('ds')))))).toEqual({
      rootDsAddress: 'ds',
    });
    expect(() => {
      expectOk('enableProfile', fromHex('BF3103800100'), Es10Tag.EnableProfile);
    }).not.toThrow();
  });

  it.each([
    ['enableProfile', Es10Tag.EnableProfile, 2, 'profileNotInDisabledState'],
    ['enableProfile', Es10Tag.EnableProfile, 4, 'wrongProfileReenabling'],
    ['disableProfile', Es10Tag.DisableProfile, 2, 'profileNotInEnabledState'],
    ['disableProfile', Es10Tag.DisableProfile, 5, 'catBusy'],
    ['deleteProfile', Es10Tag.DeleteProfile, 3, 'disallowedByPolicy'],
    ['setNickname', Es10Tag.SetNickname, 1, 'iccidNotFound'],
    ['euiccMemoryReset', Es10Tag.EuiccMemoryReset, 1, 'nothingToDelete'],
    ['setDefaultDpAddress', Es10Tag.SetDefaultDpAddress, 127, 'undefinedError'],
    ['enableProfile', Es10Tag.EnableProfile, 9, 'unknown(9)'],
  ] as const)('%s result %i -> Es10Error %s', (fn, tag, code, name) => {
    const bytes = fromHex(tlv(tag.toString(16), tlv('80', code.toString(16).padStart(2, '0'))));
    try {
      expectOk(fn, bytes, tag);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Es10Error);
      expect(e).toMatchObject({ fn, resultCode: code, resultName: name });
    }
  });
});

describe('AuthenticateServer / PrepareDownload / CancelSession responses', () => {
  const euiccSigned1 = tlv('30', tlv('80', '0102030405060708'), tlv('83', text('dp.example')));
  const euiccCert = tlv('30', tlv('30', '01'));
  const eumCert = tlv('30', tlv('30', '02'));
  it('AuthenticateServer ok keeps raw and exposes txId and certificates', () => {
    const hex = tlv(
      'BF38',
      tlv('A0', euiccSigned1, tlv('5F37', '00'.repeat(64)), euiccCert, eumCert),
    );
    const r = decodeAuthenticateServerResponse(fromHex(hex));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(toHex(r.raw)).toBe(hex);
    expect(toHex(r.transactionId)).toBe('0102030405060708');
    expect(toHex(r.euiccCertificate)).toBe(euiccCert);
    expect(toHex(r.eumCertificate)).toBe(eumCert);
  });
  it('AuthenticateServer error (80 txId then a plain INTEGER, docs/protocol.md §1)', () => {
    const r = decodeAuthenticateServerResponse(fromHex(tlv('BF38', tlv('A1', '800101', '020106'))));
    expect(r).toMatchObject({ ok: false, errorCode: 6, errorName: 'euiccChallengeMismatch' });
  });
  it('PrepareDownload ok / error', () => {
    const otpk = '04' + '11'.repeat(64);
    const ok = decodePrepareDownloadResponse(
      fromHex(
        tlv(
          'BF21',
          tlv('A0', tlv('30', '800101', tlv('5F49', otpk)), tlv('5F37', '00'.repeat(64))),
        ),
      ),
    );
    expect(ok.ok && toHex(ok.euiccOtpk)).toBe(otpk);
    const err = decodePrepareDownloadResponse(fromHex(tlv('BF21', tlv('A1', '800101', '020105'))));
    expect(err).toMatchObject({ ok: false, errorCode: 5, errorName: 'invalidTransactionId' });
  });
  it('CancelSession ok / error', () => {
    // smdpOid 2.999.10 = 06 03 88 37 0A
    const hex = tlv(
      'BF41',
      tlv(
        'A0',
        tlv('30', '800101', '8103883 70A'.replace(' ', ''), '820105'),
        tlv('5F37', '00'.repeat(64)),
      ),
    );
    const r = decodeCancelSessionResponse(fromHex(hex));
    expect(r).toMatchObject({ smdpOid: '2.999.10', reason: 5 });
    expect(toHex(r.raw)).toBe(hex);
    expect(() => decodeCancelSessionResponse(fromHex('BF4103810105'))).toThrow(
      expect.objectContaining({ name: 'Es10Error', resultName: 'invalidTransactionId' }),
    );
  });
});

describe('notifications (docs/protocol.md §8)', () => {
  const meta = (seq: string, ev: string, iccid?: string): string =>
    tlv(
      'BF2F',
      tlv('80', seq),
      tlv('81', ev),
      tlv('0C', text('dp.example')),
      iccid ? tlv('5A', iccid) : '',
    );
  it('ListNotification', () => {
    const list = decodeListNotificationResponse(
      fromHex(tlv('BF28', tlv('A0', meta('00', '0780', ICCID_BCD), meta('07', '0640')))),
    );
    expect(list.map(({ raw: _r, ...m }) => m)).toEqual([
      {
        seqNumber: 0,
        profileManagementOperation: 'install',
        notificationAddress: 'dp.example',
        iccid: '89000123456789012341',
      },
      { seqNumber: 7, profileManagementOperation: 'enable', notificationAddress: 'dp.example' },
    ]);
    expect(decodeListNotificationResponse(fromHex('BF2802A000'))).toEqual([]);
    expect(() => decodeListNotificationResponse(fromHex('BF280381017F'))).toThrow(Es10Error);
  });
  it('RetrieveNotificationsList with an install (BF37) and an other-signed (30) notification', () => {
    const pir = tlv(
      'BF37',
      tlv(
        'BF27',
        '800101',
        meta('01', '0780', ICCID_BCD),
        '0603883701',
        tlv(
          'A2',
          tlv(
            'A0',
            tlv('4F', 'A0000005591010FFFFFFFF8900001000'),
            tlv('04', '3007A00530038001 00'.replace(' ', '')),
          ),
        ),
      ),
      tlv('5F37', '00'.repeat(64)),
    );
    const other = tlv(
      '30',
      meta('02', '0520', ICCID_BCD),
      tlv('5F37', '00'.repeat(64)),
      tlv('30', '00'),
      tlv('30', '00'),
    );
    const list = decodeRetrieveNotificationsListResponse(
      fromHex(tlv('BF2B', tlv('A0', pir, other))),
    );
    expect(
      list.map((n) => [n.kind, n.metadata.seqNumber, n.metadata.profileManagementOperation]),
    ).toEqual([
      ['profileInstallationResult', 1, 'install'],
      ['otherSignedNotification', 2, 'disable'],
    ]);
    expect(toHex(list[0]!.raw)).toBe(pir);
    expect(toHex(list[1]!.raw)).toBe(other);
    expect(() => decodeRetrieveNotificationsListResponse(fromHex('BF2B03810101'))).toThrow(
      expect.objectContaining({ resultName: 'noResultAvailable' }),
    );
  });
  it('ProfileInstallationResult success and error with names (docs/protocol.md §5.3, §9)', () => {
    const data = (final: string): string =>
      tlv(
        'BF37',
        tlv('BF27', '800101', meta('03', '0780', ICCID_BCD), '0603883701', tlv('A2', final)),
        tlv('5F37', '00'.repeat(64)),
      );
    const ok = decodeProfileInstallationResult(
      fromHex(
        data(
          tlv(
            'A0',
            tlv('4F', 'A0000005591010FFFFFFFF8900001000'),
            tlv('04', '3007A005300380 0100'.replace(' ', '')),
          ),
        ),
      ),
    );
    expect(ok.smdpOid).toBe('2.999.1');
    expect(ok.finalResult.ok).toBe(true);
    expect(ok.notificationMetadata.seqNumber).toBe(3);
    const err = decodeProfileInstallationResult(fromHex(data(tlv('A1', '800105', '81010D'))));
    expect(err.finalResult).toEqual({
      ok: false,
      bppCommandId: 5,
      bppCommandName: 'loadProfileElements',
      errorReason: 13,
      errorReasonName: 'installFailedDueToDataMismatch',
    });
  });
});

describe('GetProfilesInfo (docs/protocol.md §3.1)', () => {
  it('decodes a realistic list with icon, class, notification config, owner and PPRs', () => {
    const icon = '89504E470D0A1A0A' + '00'.repeat(200);
    const hex = tlv(
      'BF2D',
      tlv(
        'A0',
        tlv(
          'E3',
          tlv('5A', ICCID_BCD),
          tlv('4F', 'A0000005591010FFFFFFFF8900001000'),
          '9F700101',
          tlv('90', text('Travel')),
          tlv('91', text('Example Mobile')),
          tlv('92', text('Example 5G')),
          '930101',
          tlv('94', icon),
          '950102',
          tlv('B6', tlv('30', '80020470', tlv('81', text('dp.example')))),
          tlv('B7', '800332F410', '8102FFFF'),
          tlv('B8', '8003883701'),
          '99020640',
        ),
        tlv('E3', tlv('5A', '98001032547698103223'), '9F700100', '950100'),
      ),
    );
    const list = decodeProfileInfoListResponse(fromHex(hex));
    expect(list).toHaveLength(2);
    const [a, b] = list;
    expect(a).toMatchObject({
      iccid: '89000123456789012341',
      profileState: 'enabled',
      profileNickname: 'Travel',
      serviceProviderName: 'Example Mobile',
      profileName: 'Example 5G',
      iconType: 'png',
      profileClass: 'operational',
      notificationConfigurationInfo: [
        {
          profileManagementOperation: ['enable', 'disable', 'delete'],
          notificationAddress: 'dp.example',
        },
      ],
      dpOid: '2.999.1',
      profilePolicyRules: ['ppr1'],
    });
    expect(toHex(a!.icon!)).toBe(icon);
    expect(toHex(a!.profileOwner!.mccMnc)).toBe('32F410');
    expect(b).toEqual({
      iccid: '89000123456789012332',
      profileState: 'disabled',
      profileClass: 'test',
    });
    expect(decodeProfileInfoListResponse(fromHex('BF2D02A000'))).toEqual([]);
    expect(decodeProfileInfoListResponse(fromHex('BF2D00'))).toEqual([]);
    expect(() => decodeProfileInfoListResponse(fromHex('BF2D03810101'))).toThrow(
      expect.objectContaining({ resultName: 'incorrectInputValues' }),
    );
  });

  it('round-trips ProfileInfo through its encoder (property)', () => {
    const iccid = fc.stringMatching(/^89\d{16,17}$/).map((s) => s); // Luhn is not checked for stored profiles
    const name = fc.string({ maxLength: 20 });
    const profile = fc.record(
      {
        iccid,
        isdpAid: fc.uint8Array({ minLength: 16, maxLength: 16 }),
        profileState: fc.constantFrom('enabled' as const, 'disabled' as const),
        profileNickname: name,
        serviceProviderName: name,
        profileName: name,
        iconType: fc.constantFrom('jpg' as const, 'png' as const),
        icon: fc.uint8Array({ maxLength: 300 }),
        profileClass: fc.constantFrom(
          'test' as const,
          'provisioning' as const,
          'operational' as const,
        ),
        profilePolicyRules: fc
          .subarray(['pprUpdateControl', 'ppr1', 'ppr2'] as const)
          .map((a) => [...a]),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(profile, { maxLength: 4 }), (profiles: ProfileInfo[]) => {
        const back = decodeProfileInfoListResponse(encodeProfileInfoListResponse(profiles));
        expect(back.map((p) => ({ ...p }))).toEqual(profiles);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe('GetRAT', () => {
  it('decodes rules with allowed operators and consentRequired', () => {
    const hex = tlv(
      'BF43',
      tlv('A0', tlv('30', '80020640', tlv('A1', tlv('30', '800332F410')), '82020780')),
    );
    expect(decodeRatResponse(fromHex(hex))).toMatchObject([
      {
        pprIds: ['ppr1'],
        consentRequired: true,
        allowedOperators: [{ mccMnc: fromHex('32F410') }],
      },
    ]);
  });
});
