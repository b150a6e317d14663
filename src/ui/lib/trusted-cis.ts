/**
 * The Chip view's list of Certificate Issuers an eUICC trusts, from EUICCInfo2: the CI key ids
 * it verifies SM-DP+ certificates with (euiccCiPKIdListForVerification) and those its own
 * certificate chain is issued under (euiccCiPKIdListForSigning), one row per CI, named.
 */
import { ciName, knownCi, type CiKind } from '../../es10/ci-keys.ts';
import type { CiKeyView } from '../state/backend.ts';

export interface TrustedCiRow {
  /** Upper-case hex of the CI's Subject Key Identifier. */
  keyId: string;
  /** Its name, or `unknown CI`. */
  name: string;
  /** 'unknown' when the key id is not in the app's table (even if the link named it). */
  kind: CiKind | 'unknown';
  /** Listed for verification: the eUICC accepts SM-DP+ certificates issued under this CI. */
  verification: boolean;
  /** Listed for signing: the eUICC's own certificate is issued under this CI. */
  signing: boolean;
}

/** One row per CI key id, in the order the eUICC lists them (verification first). */
export function trustedCis(chip: {
  ciKeysForVerification: readonly CiKeyView[];
  ciKeysForSigning: readonly CiKeyView[];
}): TrustedCiRow[] {
  const rows = new Map<string, TrustedCiRow>();
  const add = (ci: CiKeyView, use: 'verification' | 'signing'): void => {
    const keyId = ci.keyId.toUpperCase();
    let row = rows.get(keyId);
    if (row === undefined) {
      const known = knownCi(keyId);
      row = {
        keyId,
        name: ci.name ?? ciName(keyId),
        kind: known?.kind ?? 'unknown',
        verification: false,
        signing: false,
      };
      rows.set(keyId, row);
    }
    row[use] = true;
  };
  for (const ci of chip.ciKeysForVerification) add(ci, 'verification');
  for (const ci of chip.ciKeysForSigning) add(ci, 'signing');
  return [...rows.values()];
}

/** What the eUICC does with a CI (the view words it, and what the CI is, from `kind`). */
export function ciUse(row: TrustedCiRow): 'both' | 'verification' | 'signing' {
  if (row.verification && row.signing) return 'both';
  return row.verification ? 'verification' : 'signing';
}
