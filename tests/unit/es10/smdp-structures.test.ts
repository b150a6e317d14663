/**
 * The ES10 codec as the test SM-DP+ uses it: the structures it builds (serverSigned1,
 * smdpSigned2, StoreMetadataRequest; docs/protocol.md §5.1 steps 3 and 8) and the eUICC
 * answers it verifies, read with their exact signed bytes (docs/protocol.md §7.2). Expected
 * bytes are written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../../../src/codec/index.ts';
import {
  Es10FormatError,
  decodeAuthenticateServerResponse,
  decodeServerSigned1,
  decodeSignedAuthenticateServerResponse,
  decodeSignedCancelSessionResponse,
  decodeSignedPendingNotification,
  decodeSignedPrepareDownloadResponse,
  decodeSmdpSigned2,
  decodeStoreMetadata,
  encodeServerSigned1,
  encodeSmdpSigned2,
  encodeStoreMetadata,
} from '../../../src/es10/index.ts';
import { tlv } from './scripted-link.ts';

const text = (s: string): string => toHex(utf8.encode(s));
const TX = '00112233445566778899AABBCCDDEEFF';
const CHALLENGE = '0F0E0D0C0B0A09080706050403020100';
const SIG = 'AB'.repeat(64);
const euiccCert = tlv('30', tlv('30', '01'));
const eumCert = tlv('30', tlv('30', '02'));

describe('what the SM-DP+ builds', () => {
  it('serverSigned1: 80 txId, 81 euiccChallenge, 83 serverAddress, 84 serverChallenge', () => {
    const fields = {
      transactionId: fromHex(TX),
      euiccChallenge: fromHex(CHALLENGE),
      serverAddress: 'dp.example',
      serverChallenge: fromHex(CHALLENGE),
    };
    const der = encodeServerSigned1(fields);
    expect(toHex(der)).toBe(
      tlv(
        '30',
        tlv('80', TX),
        tlv('81', CHALLENGE),
        tlv('83', text('dp.example')),
        tlv('84', CHALLENGE),
      ),
    );
    expect(decodeServerSigned1(der)).toEqual(fields);
  });

  it('smdpSigned2: the flag is a universal BOOLEAN (FF / 00), bppEuiccOtpk only when given', () => {
    const on = encodeSmdpSigned2({ transactionId: fromHex(TX), ccRequiredFlag: true });
    expect(toHex(on)).toBe(tlv('30', tlv('80', TX), '0101FF'));
    const otpk = '04' + '22'.repeat(64);
    const off = encodeSmdpSigned2({
      transactionId: fromHex(TX),
      ccRequiredFlag: false,
      bppEuiccOtpk: fromHex(otpk),
    });
    expect(toHex(off)).toBe(tlv('30', tlv('80', TX), '010100', tlv('5F49', otpk)));
    expect(decodeSmdpSigned2(off)).toMatchObject({ ccRequiredFlag: false });
    expect(decodeSmdpSigned2(on)).toMatchObject({ ccRequiredFlag: true });
  });

  it('StoreMetadataRequest: the ProfileInfo tags in module order; the ICCID bytes go unchanged', () => {
    // Plain-digit ICCID bytes (as a package header may carry them) are not re-encoded.
    const iccid = fromHex('89490000000000000010');
    const der = encodeStoreMetadata({
      iccid,
      serviceProviderName: 'SP',
      profileName: 'P',
      iconType: 'png',
      icon: fromHex('0102'),
      profileClass: 'operational',
      notificationConfigurationInfo: [
        { profileManagementOperation: ['install'], notificationAddress: 'dp.example' },
      ],
      profilePolicyRules: ['ppr2'],
    });
    expect(toHex(der)).toBe(
      tlv(
        'BF25',
        tlv('5A', '89490000000000000010'),
        tlv('91', text('SP')),
        tlv('92', text('P')),
        '930101',
        tlv('94', '0102'),
        '950102',
        tlv('B6', tlv('30', '8002 0780'.replace(' ', ''), tlv('81', text('dp.example')))),
        '99020520',
      ),
    );
    const back = decodeStoreMetadata(
      encodeStoreMetadata({
        iccid: fromHex('98001032547698103214'),
        serviceProviderName: 'SP',
        profileName: 'P',
      }),
    );
    expect(back).toEqual({
      iccid: '89000123456789012341',
      serviceProviderName: 'SP',
      profileName: 'P',
    });
  });
});

describe("the eUICC's signed answers, as the SM-DP+ reads them", () => {
  const euiccSigned1 = tlv(
    '30',
    tlv('80', TX),
    tlv('83', text('dp.example')),
    tlv('84', CHALLENGE),
    tlv('BF22', tlv('81', '020300')),
    tlv('A0', tlv('80', text('MATCH-1')), tlv('A1', tlv('80', '35290611'), 'A100')),
  );

  it('AuthenticateServerResponse: euiccSigned1 fields, its exact bytes and the signature TLV', () => {
    const hex = tlv('BF38', tlv('A0', euiccSigned1, tlv('5F37', SIG), euiccCert, eumCert));
    const r = decodeSignedAuthenticateServerResponse(fromHex(hex));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(toHex(r.euiccSigned1.raw)).toBe(euiccSigned1);
    expect(toHex(r.euiccSigned1.transactionId)).toBe(TX);
    expect(r.euiccSigned1.serverAddress).toBe('dp.example');
    expect(toHex(r.euiccSigned1.serverChallenge)).toBe(CHALLENGE);
    expect(toHex(r.euiccSigned1.euiccInfo2)).toBe(tlv('BF22', tlv('81', '020300')));
    expect(r.euiccSigned1.matchingId).toBe('MATCH-1');
    expect(toHex(r.euiccSignature1)).toBe(SIG);
    expect(toHex(r.euiccSignature1Tlv)).toBe(tlv('5F37', SIG));
    expect(toHex(r.euiccCertificate)).toBe(euiccCert);
    expect(toHex(r.eumCertificate)).toBe(eumCert);
  });

  it('AuthenticateServerResponse: the error choice; no matchingId without one in ctxParams1', () => {
    const err = decodeSignedAuthenticateServerResponse(fromHex(tlv('BF38', tlv('A1', '020102'))));
    expect(err).toMatchObject({ ok: false, errorCode: 2 });
    const noMid = tlv(
      '30',
      tlv('80', TX),
      tlv('83', text('ds.example')),
      tlv('84', CHALLENGE),
      tlv('BF22', ''),
      tlv('A0', tlv('A1', tlv('80', '35290611'), 'A100')),
    );
    const r = decodeSignedAuthenticateServerResponse(
      fromHex(tlv('BF38', tlv('A0', noMid, tlv('5F37', SIG), euiccCert, eumCert))),
    );
    expect(r.ok && r.euiccSigned1.matchingId).toBeUndefined();
  });

  it('is stricter than the LPA: a short signature or a second CHOICE element is malformed', () => {
    const short = fromHex(
      tlv('BF38', tlv('A0', euiccSigned1, tlv('5F37', 'AB'.repeat(63)), euiccCert, eumCert)),
    );
    expect(() => decodeSignedAuthenticateServerResponse(short)).toThrow(Es10FormatError);
    // The LPA only forwards the answer and still reads its transaction ID.
    expect(decodeAuthenticateServerResponse(short).ok).toBe(true);
    const two = fromHex(tlv('BF38', tlv('A1', '020102'), tlv('A1', '020102')));
    expect(() => decodeSignedAuthenticateServerResponse(two)).toThrow(Es10FormatError);
    const partial = fromHex(
      tlv('BF38', tlv('A0', tlv('30', tlv('80', TX)), tlv('5F37', SIG), euiccCert, eumCert)),
    );
    expect(() => decodeSignedAuthenticateServerResponse(partial)).toThrow(/malformed/);
  });

  it('PrepareDownloadResponse: euiccSigned2 with and without hashCc, the error choice', () => {
    const otpk = '04' + '11'.repeat(64);
    const hashCc = 'CC'.repeat(32);
    const signed2 = tlv('30', tlv('80', TX), tlv('5F49', otpk), tlv('04', hashCc));
    const r = decodeSignedPrepareDownloadResponse(
      fromHex(tlv('BF21', tlv('A0', signed2, tlv('5F37', SIG)))),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(toHex(r.euiccSigned2.raw)).toBe(signed2);
    expect(toHex(r.euiccSigned2.euiccOtpk)).toBe(otpk);
    expect(r.euiccSigned2.hashCc && toHex(r.euiccSigned2.hashCc)).toBe(hashCc);
    expect(toHex(r.euiccSignature2)).toBe(SIG);
    const plain = decodeSignedPrepareDownloadResponse(
      fromHex(
        tlv('BF21', tlv('A0', tlv('30', tlv('80', TX), tlv('5F49', otpk)), tlv('5F37', SIG))),
      ),
    );
    expect(plain.ok && plain.euiccSigned2.hashCc).toBeUndefined();
    const err = decodeSignedPrepareDownloadResponse(fromHex(tlv('BF21', tlv('A1', '020105'))));
    expect(err).toMatchObject({ ok: false, errorCode: 5 });
  });

  it('CancelSessionResponse: the signed part and signature; an error is an answer, not a throw', () => {
    // smdpOid 2.999.10 = 88 37 0A
    const signed = tlv('30', tlv('80', TX), tlv('81', '88370A'), '820105');
    const hex = tlv('BF41', tlv('A0', signed, tlv('5F37', SIG)));
    const r = decodeSignedCancelSessionResponse(fromHex(hex));
    expect(r).toMatchObject({ ok: true, smdpOid: '2.999.10', reason: 5 });
    if (!r.ok) return;
    expect(toHex(r.signed)).toBe(signed);
    expect(toHex(r.signature)).toBe(SIG);
    expect(decodeSignedCancelSessionResponse(fromHex('BF4103810105'))).toEqual({
      ok: false,
      errorCode: 5,
    });
    const unsigned = fromHex(tlv('BF41', tlv('A0', signed)));
    expect(() => decodeSignedCancelSessionResponse(unsigned)).toThrow(Es10FormatError);
  });

  const metadata = (event: string): string =>
    tlv(
      'BF2F',
      '800107',
      tlv('81', event),
      tlv('0C', text('dp.example')),
      tlv('5A', '98001032547698103214'),
    );

  it('ProfileInstallationResult: BF27 is the signed part', () => {
    const data = tlv(
      'BF27',
      tlv('80', TX),
      metadata('0780'),
      tlv('06', '88370A'),
      tlv('A2', tlv('A0', tlv('4F', 'A0000005591010FFFFFFFF8900001000'), tlv('04', '3000'))),
    );
    const n = decodeSignedPendingNotification(fromHex(tlv('BF37', data, tlv('5F37', SIG))));
    expect(n.kind).toBe('profileInstallationResult');
    if (n.kind !== 'profileInstallationResult') return;
    expect(toHex(n.signed)).toBe(data);
    expect(toHex(n.signature)).toBe(SIG);
    expect(n.result).toMatchObject({
      smdpOid: '2.999.10',
      finalResult: { ok: true },
      notificationMetadata: { seqNumber: 7, iccid: '89000123456789012341' },
    });
  });

  it('OtherSignedNotification: BF2F is the signed part, with both certificates', () => {
    const tbs = metadata('0640');
    const n = decodeSignedPendingNotification(
      fromHex(tlv('30', tbs, tlv('5F37', SIG), euiccCert, eumCert)),
    );
    expect(n.kind).toBe('otherSignedNotification');
    if (n.kind !== 'otherSignedNotification') return;
    expect(toHex(n.signed)).toBe(tbs);
    expect(n.metadata.profileManagementOperation).toBe('enable');
    expect(toHex(n.euiccCertificate)).toBe(euiccCert);
    expect(toHex(n.eumCertificate)).toBe(eumCert);
    expect(() =>
      decodeSignedPendingNotification(fromHex(tlv('30', tbs, tlv('5F37', SIG), euiccCert))),
    ).toThrow(Es10FormatError);
  });
});
