/**
 * Names for Certificate Issuer public key identifiers (the CI certificate's Subject Key
 * Identifier) found in EUICCInfo1/2 `euiccCiPKIdList*` and in `euiccCiPKIdToBeUsed`.
 */
import { toHex } from '../codec/index.ts';

/** Known CIs, keyed by the upper-case hex SKI (sgp22.md §3.2). */
export const KNOWN_CI_KEY_IDS: Readonly<Record<string, string>> = {
  // The production GSMA root of the consumer RSP ecosystem.
  '81370F5125D0B1D408D4C3B232E6D25E795BEBFB': 'GSMA Root CI1',
  // SGP.26 test certificates (not trusted by production SM-DP+s).
  F54172BDF98A95D65CBEB88A38A1C11D800A85C3: 'GSMA Test CI (SGP.26, NIST P-256)',
  C0BC70BA36929D43B467FF57570530E57AB8FCD8: 'GSMA Test CI (SGP.26, brainpoolP256r1)',
};

/** Extra CI names supplied by the caller (e.g. the project's own test CI), hex SKI -> name. */
export type CiNames = Readonly<Record<string, string>>;

export interface CiKeyId {
  /** Upper-case hex of the Subject Key Identifier. */
  keyId: string;
  /** A human name when the key is known. */
  name?: string;
}

export function ciKeyId(ski: Uint8Array, extra?: CiNames): CiKeyId {
  const keyId = toHex(ski);
  const name = lookup(keyId, extra);
  return name === undefined ? { keyId } : { keyId, name };
}

function lookup(keyId: string, extra?: CiNames): string | undefined {
  if (extra) {
    for (const [k, v] of Object.entries(extra)) if (k.toUpperCase() === keyId) return v;
  }
  return KNOWN_CI_KEY_IDS[keyId];
}
