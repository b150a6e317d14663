import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codec/index.ts';
import { pemDecode } from '../../../src/rsp/index.ts';
import { createServerPki } from '../../../src/server/smdp/credentials.ts';
import { GSMA_RSP2_ROOT_CI1_PEM } from '../../../src/server/relay/gsma-ci.ts';
import {
  certificateKeyIds,
  describeCertificateFailure,
  isCertificateErrorCode,
} from '../../../src/server/relay/peer-certificate.ts';

describe('certificateKeyIds', () => {
  it('reads the subject key id of a self-signed root without an authority key id', () => {
    const der = pemDecode(GSMA_RSP2_ROOT_CI1_PEM)[0]!.der;
    expect(certificateKeyIds(der)).toEqual({
      subjectKeyId: '81370F5125D0B1D408D4C3B232E6D25E795BEBFB',
    });
  });

  it('reads both key ids of a TLS certificate issued under a CI', () => {
    const [pki] = createServerPki({
      smdpAddress: 'smdp.example.com',
      smdpOid: '2.999.10',
      smdsAddress: 'smds.example.com',
      smdsOid: '2.999.11',
      curves: ['P-256'],
      seed: 'peer-certificate',
    });
    const ids = certificateKeyIds(pki!.dpTls.certificate);
    expect(ids.authorityKeyId).toBe(toHex(pki!.ci.parsed.subjectKeyId!));
    expect(ids.subjectKeyId).toMatch(/^[0-9A-F]{40}$/);
  });

  it('gives nothing for bytes that are not a certificate', () => {
    expect(certificateKeyIds(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00))).toEqual({});
    expect(certificateKeyIds(new Uint8Array(0))).toEqual({});
  });
});

describe('describeCertificateFailure', () => {
  it('says the issuer could not be read when the runtime kept no certificate', () => {
    expect(
      describeCertificateFailure('smdp.example.com', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', undefined),
    ).toBe(
      "the relay does not trust the issuer of smdp.example.com's TLS certificate: an issuer it could not read [UNABLE_TO_VERIFY_LEAF_SIGNATURE]",
    );
  });

  it('names other certificate failures by what they mean', () => {
    expect(describeCertificateFailure('smdp.example.com', 'CERT_HAS_EXPIRED', undefined)).toContain(
      'it has expired',
    );
  });

  it('tells certificate failures from network ones', () => {
    expect(isCertificateErrorCode('SELF_SIGNED_CERT_IN_CHAIN')).toBe(true);
    expect(isCertificateErrorCode('ERR_TLS_CERT_ALTNAME_INVALID')).toBe(true);
    expect(isCertificateErrorCode('ECONNREFUSED')).toBe(false);
    expect(isCertificateErrorCode(undefined)).toBe(false);
  });
});
