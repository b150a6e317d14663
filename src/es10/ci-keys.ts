/**
 * Names for Certificate Issuer public key identifiers (the CI certificate's Subject Key
 * Identifier) found in EUICCInfo1/2 `euiccCiPKIdListForVerification` / `ForSigning` and in
 * `euiccCiPKIdToBeUsed` (ES10b.GetEUICCInfo and ES10b.AuthenticateServer in SGP.22).
 *
 * Key ids are public facts: the GSMA RSP2 Root CI1 from its certificate (checked by a test), the
 * SGP.26 test CIs from the GSMA test certificates, the others as eUICCs report them in public
 * chip dumps (lpac, OpenEUICC and EasyLPAC reports).
 */
import { toHex } from '../codec/index.ts';

/** What a known CI is for: the production GSMA root, or a test CI no production server uses. */
export type CiKind = 'gsma' | 'gsmaTest' | 'projectTest';

export interface KnownCi {
  name: string;
  kind: CiKind;
}

/** Known CIs, keyed by the upper-case hex SKI. */
export const KNOWN_CIS: Readonly<Record<string, KnownCi>> = {
  // The production root of the consumer eSIM PKI (its certificate: src/server/relay/gsma-ci.ts).
  '81370F5125D0B1D408D4C3B232E6D25E795BEBFB': { name: 'GSMA RSP2 Root CI1', kind: 'gsma' },
  // The second production CI of the GSMA's consumer PKI, operated by OISTE/WISeKey.
  '4C27967AD20C14B391E9601E41E604AD57C0222F': { name: 'OISTE GSMA CI G1', kind: 'gsma' },
  // GSMA SGP.26 test certificates (not trusted by production SM-DP+s).
  F54172BDF98A95D65CBEB88A38A1C11D800A85C3: {
    name: 'GSMA SGP.26 Test CI (NIST P-256)',
    kind: 'gsmaTest',
  },
  C0BC70BA36929D43B467FF57570530E57AB8FCD8: {
    name: 'GSMA SGP.26 Test CI (brainpoolP256r1)',
    kind: 'gsmaTest',
  },
  // The test CIs of SGP.26 v3 (the SGP.22 v3 test certificates).
  '34EECF13156518D48D30BDF06853404D115F955D': {
    name: 'GSMA SGP.26 v3 Test CI (NIST P-256)',
    kind: 'gsmaTest',
  },
  '2209F61CD9EC5C9C854E787341FF83ECF9776A5B': {
    name: 'GSMA SGP.26 v3 Test CI (brainpoolP256r1)',
    kind: 'gsmaTest',
  },
  // A test CI found on test and engineering eUICCs (DigiCert, formerly Symantec).
  '665A1433D67C1A2C5DB8B52C967F10A057BA5CB2': {
    name: 'GSMA Test CI (DigiCert, formerly Symantec)',
    kind: 'gsmaTest',
  },
  // The project's own test CIs (src/rsp/pki.ts projectTestCi, derived from a public seed; the
  // key ids are checked against it by tests/unit/es10/ci-names.test.ts).
  F53D798D74AC1FFD958DB9A827370C8E666E9FD0: { name: 'WebLPA Test CI P-256', kind: 'projectTest' },
  E779AF95485B4B7428778EDBDB229EE7C84A939E: {
    name: 'WebLPA Test CI brainpoolP256r1',
    kind: 'projectTest',
  },
};

/** Known CI names, hex SKI -> name. */
export const KNOWN_CI_KEY_IDS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(KNOWN_CIS).map(([k, v]) => [k, v.name]),
);

/** What a key id nobody here knows is called. */
export const UNKNOWN_CI_NAME = 'unknown CI';

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

/** The known CI of a hex key id (any case), if any. */
export function knownCi(keyId: string): KnownCi | undefined {
  return KNOWN_CIS[keyId.toUpperCase()];
}

/** A key id's name, or `unknown CI`. */
export function ciName(keyId: string, extra?: CiNames): string {
  return lookup(keyId.toUpperCase(), extra) ?? UNKNOWN_CI_NAME;
}

function lookup(keyId: string, extra?: CiNames): string | undefined {
  if (extra) {
    for (const [k, v] of Object.entries(extra)) if (k.toUpperCase() === keyId) return v;
  }
  return KNOWN_CIS[keyId]?.name;
}
