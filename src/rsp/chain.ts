/**
 * Certificate path validation for SGP.22 v2 (single-level PKI, docs/protocol.md §7.1):
 * eUICC -> EUM -> CI and DP or DS certificates -> CI. Checks issuer linkage (AKI/SKI, else
 * issuer/subject names), ECDSA signatures, validity at `now`, the GSMA policy per role, key
 * usage, and that an eUICC's EID lies within its EUM's permitted prefixes.
 */
import { bytesEqual } from '../codec/index.ts';
import { OID_EKU, OID_POLICY } from './oid.ts';
import { defaultKeyId, verifyCertificateSignature, type Certificate } from './x509.ts';

export type CertificateRole = 'euicc' | 'eum' | 'dpAuth' | 'dpPb' | 'dpTls' | 'dsAuth' | 'dsTls';

export type ChainFailure =
  | 'unknownCi'
  | 'badSignature'
  | 'expired'
  | 'wrongPolicy'
  | 'wrongKeyUsage'
  | 'malformed'
  | 'eidOutsideEum';

export type ChainResult =
  { ok: true; ci: Certificate } | { ok: false; reason: ChainFailure; detail: string };

export interface VerifyChainOptions {
  leaf: Certificate;
  intermediates?: readonly Certificate[];
  trusted: readonly Certificate[];
  role: CertificateRole;
  /** When given, every certificate on the path must be valid at this instant. */
  now?: Date;
}

const LEAF_POLICY: Record<CertificateRole, string> = {
  euicc: OID_POLICY.euicc,
  eum: OID_POLICY.eum,
  dpAuth: OID_POLICY.dpAuth,
  dpPb: OID_POLICY.dpPb,
  dpTls: OID_POLICY.dpTls,
  dsAuth: OID_POLICY.dsAuth,
  dsTls: OID_POLICY.dsTls,
};

/** The CI key identifier used in euiccCiPKIdList / euiccCiPKIdToBeUsed: the subject key id. */
export function ciKeyId(cert: Certificate): Uint8Array {
  return cert.subjectKeyId ?? defaultKeyId(cert.publicKey);
}

/** True when `issuer` is the certificate that issued `child` (AKI = SKI, else names). */
function issuedBy(child: Certificate, issuer: Certificate): boolean {
  if (child.authorityKeyId && issuer.subjectKeyId)
    return bytesEqual(child.authorityKeyId, issuer.subjectKeyId);
  return bytesEqual(child.issuerRaw, issuer.subjectRaw);
}

function label(c: Certificate): string {
  return c.subject.commonName ?? c.subject.serialNumber ?? 'certificate';
}

function fail(reason: ChainFailure, detail: string): ChainResult {
  return { ok: false, reason, detail };
}

/** Validates `leaf` up to one of the `trusted` CI certificates for the given role. */
export function verifyChain(options: VerifyChainOptions): ChainResult {
  const { leaf, role, trusted, now } = options;
  const intermediates = options.intermediates ?? [];

  // Build the path leaf [-> EUM] -> CI.
  const path: Certificate[] = [leaf];
  if (role === 'euicc') {
    const eum = intermediates.find((c) => issuedBy(leaf, c));
    if (!eum) return fail('malformed', `no EUM certificate issued "${label(leaf)}"`);
    path.push(eum);
  }
  const top = path[path.length - 1]!;
  const ci = trusted.find((c) => issuedBy(top, c));
  if (!ci) return fail('unknownCi', `"${label(top)}" was not issued by a trusted CI`);
  path.push(ci);

  // RFC 5280 §4.2: a critical extension the verifier does not understand rejects the certificate.
  const opaque = path.find((c) => c.unknownCriticalExtensions.length > 0);
  if (opaque)
    return fail(
      'malformed',
      `"${label(opaque)}" has unknown critical extensions ${opaque.unknownCriticalExtensions.join(', ')}`,
    );

  for (let i = 0; i + 1 < path.length; i++) {
    const child = path[i]!;
    const parent = path[i + 1]!;
    if (!verifyCertificateSignature(child, parent.publicKey, parent.curve))
      return fail('badSignature', `signature on "${label(child)}" by "${label(parent)}" fails`);
  }

  if (now) {
    for (const c of path) {
      if (now < c.notBefore || now > c.notAfter)
        return fail(
          'expired',
          `"${label(c)}" is valid ${c.notBefore.toISOString()}..${c.notAfter.toISOString()}`,
        );
    }
  }

  if (!leaf.policies.includes(LEAF_POLICY[role]))
    return fail('wrongPolicy', `"${label(leaf)}" lacks policy ${LEAF_POLICY[role]} for ${role}`);
  const eum = role === 'euicc' ? path[1] : undefined;
  if (eum && !eum.policies.includes(OID_POLICY.eum))
    return fail('wrongPolicy', `"${label(eum)}" lacks the EUM policy ${OID_POLICY.eum}`);
  if (!ci.policies.includes(OID_POLICY.ci))
    return fail('wrongPolicy', `"${label(ci)}" lacks the CI policy ${OID_POLICY.ci}`);

  // Every issuer must be a CA allowed to sign certificates (RFC 5280 §4.2.1.3, §4.2.1.9).
  for (const c of path.slice(1)) {
    if (!c.isCa || !c.keyUsage.includes('keyCertSign'))
      return fail('wrongKeyUsage', `"${label(c)}" is not a certificate-signing CA`);
  }
  if (role === 'eum') {
    if (!leaf.isCa || !leaf.keyUsage.includes('keyCertSign'))
      return fail('wrongKeyUsage', `EUM "${label(leaf)}" is not a certificate-signing CA`);
  } else {
    if (!leaf.keyUsage.includes('digitalSignature'))
      return fail('wrongKeyUsage', `"${label(leaf)}" lacks digitalSignature`);
    if ((role === 'dpTls' || role === 'dsTls') && !leaf.extKeyUsage.includes(OID_EKU.serverAuth))
      return fail('wrongKeyUsage', `"${label(leaf)}" lacks the serverAuth extended key usage`);
  }

  if (eum) {
    const eid = leaf.subject.serialNumber;
    if (eid === undefined || !/^\d{32}$/.test(eid))
      return fail('malformed', 'eUICC certificate subject has no 32-digit EID serialNumber');
    // An EUM without declared ranges is not restricted (SGP.22 makes the constraint optional).
    if (
      eum.permittedEidPrefixes.length > 0 &&
      !eum.permittedEidPrefixes.some((p) => eid.startsWith(p))
    )
      return fail(
        'eidOutsideEum',
        `EID ${eid} is outside ${eum.permittedEidPrefixes.join(', ')} of "${label(eum)}"`,
      );
  }

  return { ok: true, ci };
}
