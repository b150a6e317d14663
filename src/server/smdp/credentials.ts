/**
 * The SM-DP+/SM-DS credentials of the test server, one set per test CI (SGP.22 v2 single-level
 * PKI, docs/protocol.md §7.1): DPauth signs serverSigned1, DPpb signs smdpSigned2 and BF23, DPtls is
 * the HTTPS certificate, DSauth signs the SM-DS's serverSigned1.
 */
import {
  createTestCi,
  projectTestCi,
  issueSmdpCredentials,
  issueSmdsCredentials,
  seededRng,
  systemRng,
  type CurveName,
  type Credential,
  type Rng,
} from '../../rsp/index.ts';

export interface CiCredentials {
  ci: Credential;
  dpAuth: Credential;
  dpPb: Credential;
  dpTls: Credential;
  dsAuth: Credential;
  dsTls: Credential;
}

export interface ServerPkiOptions {
  smdpAddress: string;
  smdpOid: string;
  smdsAddress: string;
  smdsOid: string;
  curves?: readonly CurveName[];
  /** Existing CIs (with their keys) to issue under, e.g. the test CI an eUICC trusts. */
  cis?: readonly Credential[];
  /** Deterministic keys and certificates (tests, reproducible demos). */
  seed?: string;
  /**
   * Tests only: false marks the DPtls certificate's certificatePolicies non-critical, so a TLS
   * client that refuses the critical extension (workerd's rustls) can reach the server. Default
   * true, the SGP.22 v2.2.2 §4.5.2 profile.
   */
  dpTlsPoliciesCritical?: boolean;
}

/** Server credentials under the given CIs, or under fresh test CIs for each curve. */
export function createServerPki(options: ServerPkiOptions): CiCredentials[] {
  const rngFor = (label: string): Rng =>
    options.seed !== undefined ? seededRng(`${options.seed}/${label}`) : systemRng;
  const cis =
    options.cis ??
    (options.curves ?? ['P-256', 'brainpoolP256r1']).map((curve) =>
      options.seed !== undefined
        ? projectTestCi(curve, options.seed)
        : createTestCi(curve, systemRng, `WebLPA Test CI ${curve}`),
    );
  return cis.map((ci) => {
    const dp = issueSmdpCredentials(ci, {
      host: options.smdpAddress,
      oid: options.smdpOid,
      rng: rngFor(`dp/${ci.key.curve}`),
      ...(options.dpTlsPoliciesCritical === false ? { tlsPoliciesCritical: false } : {}),
    });
    const ds = issueSmdsCredentials(ci, {
      host: options.smdsAddress,
      oid: options.smdsOid,
      rng: rngFor(`ds/${ci.key.curve}`),
    });
    return { ci, ...dp, ...ds };
  });
}
