import { describe, expect, it } from 'vitest';
import { ciUse, trustedCis } from '../../../src/ui/lib/trusted-cis.ts';

const GSMA = '81370F5125D0B1D408D4C3B232E6D25E795BEBFB';
const SGP26_NIST = 'F54172BDF98A95D65CBEB88A38A1C11D800A85C3';
const PROJECT_P256 = 'F53D798D74AC1FFD958DB9A827370C8E666E9FD0';
const OTHER = '00112233445566778899AABBCCDDEEFF00112233';

describe('the Chip view model of trusted CIs', () => {
  it('names every CI of both lists once, marking what the eUICC uses it for', () => {
    const rows = trustedCis({
      ciKeysForVerification: [{ keyId: GSMA }, { keyId: SGP26_NIST }, { keyId: OTHER }],
      ciKeysForSigning: [{ keyId: SGP26_NIST.toLowerCase() }, { keyId: PROJECT_P256 }],
    });
    expect(rows).toEqual([
      {
        keyId: GSMA,
        name: 'GSMA RSP2 Root CI1',
        kind: 'gsma',
        verification: true,
        signing: false,
      },
      {
        keyId: SGP26_NIST,
        name: 'GSMA SGP.26 Test CI (NIST P-256)',
        kind: 'gsmaTest',
        verification: true,
        signing: true,
      },
      { keyId: OTHER, name: 'unknown CI', kind: 'unknown', verification: true, signing: false },
      {
        keyId: PROJECT_P256,
        name: 'WebLPA Test CI P-256',
        kind: 'projectTest',
        verification: false,
        signing: true,
      },
    ]);
    expect(rows.map(ciUse)).toEqual(['verification', 'both', 'verification', 'signing']);
  });

  it('keeps a name the link gave for a key id the app does not know', () => {
    const rows = trustedCis({
      ciKeysForVerification: [{ keyId: OTHER, name: 'Lab CI' }],
      ciKeysForSigning: [],
    });
    expect(rows).toEqual([
      { keyId: OTHER, name: 'Lab CI', kind: 'unknown', verification: true, signing: false },
    ]);
  });

  it('is empty when the eUICC reports no CI', () => {
    expect(trustedCis({ ciKeysForVerification: [], ciKeysForSigning: [] })).toEqual([]);
  });
});
