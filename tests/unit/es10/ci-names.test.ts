import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import {
  ciKeyId,
  ciName,
  KNOWN_CI_KEY_IDS,
  knownCi,
  UNKNOWN_CI_NAME,
} from '../../../src/es10/index.ts';
import { parseCertificate, projectTestCi, pemDecode } from '../../../src/rsp/index.ts';
import { GSMA_RSP2_ROOT_CI1_PEM } from '../../../src/server/relay/gsma-ci.ts';

describe('CI key id names', () => {
  it('names the GSMA RSP2 Root CI1 by the key id of the certificate the relay carries', () => {
    const ski = parseCertificate(pemDecode(GSMA_RSP2_ROOT_CI1_PEM)[0]!.der).subjectKeyId!;
    expect(ciKeyId(ski)).toEqual({ keyId: toHex(ski), name: 'GSMA RSP2 Root CI1' });
    expect(knownCi(toHex(ski))?.kind).toBe('gsma');
  });

  it('names the GSMA SGP.26 test CIs', () => {
    expect(ciName('F54172BDF98A95D65CBEB88A38A1C11D800A85C3')).toBe(
      'GSMA SGP.26 Test CI (NIST P-256)',
    );
    expect(ciName('c0bc70ba36929d43b467ff57570530e57ab8fcd8')).toBe(
      'GSMA SGP.26 Test CI (brainpoolP256r1)',
    );
    expect(knownCi('F54172BDF98A95D65CBEB88A38A1C11D800A85C3')?.kind).toBe('gsmaTest');
  });

  it("names the project's own test CIs by the key ids projectTestCi derives", () => {
    for (const curve of ['P-256', 'brainpoolP256r1'] as const) {
      const ski = parseCertificate(projectTestCi(curve).certificate).subjectKeyId!;
      expect(ciKeyId(ski).name).toBe(`WebLPA Test CI ${curve}`);
      expect(knownCi(toHex(ski))?.kind).toBe('projectTest');
    }
  });

  it('calls any other key id an unknown CI, unless the caller names it', () => {
    const ski = fromHex('0102030405060708090A0B0C0D0E0F1011121314');
    expect(ciKeyId(ski)).toEqual({ keyId: '0102030405060708090A0B0C0D0E0F1011121314' });
    expect(ciName(toHex(ski))).toBe(UNKNOWN_CI_NAME);
    expect(UNKNOWN_CI_NAME).toBe('unknown CI');
    expect(ciName(toHex(ski), { '0102030405060708090a0b0c0d0e0f1011121314': 'Mine' })).toBe('Mine');
  });

  it('keys every known CI by 20 bytes of upper-case hex', () => {
    for (const k of Object.keys(KNOWN_CI_KEY_IDS)) expect(k).toMatch(/^[0-9A-F]{40}$/);
  });
});
