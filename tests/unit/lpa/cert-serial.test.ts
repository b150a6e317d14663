import { describe, expect, it } from 'vitest';
import { encodeTlv } from '../../../src/codec/index.ts';
import { subjectSerialNumber } from '../../../src/lpa/cert-serial.ts';
import {
  issueEum,
  issueEuicc,
  issueSmdpCredentials,
  parseCertificate,
  projectTestCi,
  seededRng,
} from '../../../src/rsp/index.ts';

const EID = '89049032123451234512345678901235';

describe('subjectSerialNumber: the EID from the eUICC certificate without the crypto module', () => {
  const ci = projectTestCi('P-256');
  const eum = issueEum(ci, { eidPrefix: '89049032', rng: seededRng('cert-serial/eum') });

  it.each(['P-256', 'brainpoolP256r1'] as const)(
    'reads the same serialNumber as the full X.509 parser (%s)',
    (curve) => {
      const euicc = issueEuicc(eum, { eid: EID, curve, rng: seededRng(`cert-serial/${curve}`) });
      expect(subjectSerialNumber(euicc.certificate)).toBe(EID);
      expect(subjectSerialNumber(euicc.certificate)).toBe(
        parseCertificate(euicc.certificate).subject.serialNumber,
      );
    },
  );

  it('is undefined for a certificate whose subject has no serialNumber (an EUM, an SM-DP+)', () => {
    expect(subjectSerialNumber(eum.certificate)).toBeUndefined();
    const dp = issueSmdpCredentials(ci, {
      host: 'smdp.example',
      oid: '2.999.10',
      rng: seededRng('cert-serial/dp'),
    });
    expect(subjectSerialNumber(dp.dpAuth.certificate)).toBeUndefined();
  });

  it('throws on bytes that are not DER, and is undefined for a SEQUENCE that is no certificate', () => {
    expect(() => subjectSerialNumber(Uint8Array.of(0x30, 0x05, 0x01))).toThrow();
    expect(subjectSerialNumber(encodeTlv(0x30, encodeTlv(0x02, Uint8Array.of(1))))).toBeUndefined();
  });
});
