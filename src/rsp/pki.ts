/**
 * The project's own test PKI (docs/protocol.md §7.1), on either curve: a self-signed CI, an EUM and an
 * eUICC under it, and SM-DP+ / SM-DS credentials. Pass a seeded Rng for reproducible fixtures.
 * These keys are for tests and local demos only.
 */
import { generateKeyPair, type CurveName, type EcKeyPair } from './ec.ts';
import { CertificateError } from './errors.ts';
import { OID_EKU, OID_POLICY } from './oid.ts';
import { seededRng, systemRng, type Rng } from './random.ts';
import {
  buildCertificate,
  parseCertificate,
  type Certificate,
  type CertificateSpec,
} from './x509.ts';

export interface Credential {
  certificate: Uint8Array;
  key: EcKeyPair;
  parsed: Certificate;
}

/** GSMA test certificates are long-lived; so are ours. */
export const TEST_NOT_BEFORE = new Date(Date.UTC(2020, 0, 1, 0, 0, 0));
export const TEST_NOT_AFTER = new Date(Date.UTC(2099, 11, 31, 23, 59, 59));
/** SGP.26 test CI registeredID. */
export const TEST_CI_OID = '2.999.1';
export const DEFAULT_TEST_EID = '89049032123451234512345678901235';

function serial(rng: Rng): Uint8Array {
  // 8 random bytes, positive and non-zero (RFC 5280 §4.1.2.2).
  const s = rng(8);
  s[0] = (s[0]! & 0x7f) | 0x01;
  return s;
}

type Body = Omit<
  CertificateSpec,
  'serialNumber' | 'publicKey' | 'curve' | 'notBefore' | 'notAfter'
>;

function issue(issuer: Credential | undefined, curve: CurveName, rng: Rng, body: Body): Credential {
  const key = generateKeyPair(curve, rng);
  const spec: CertificateSpec = {
    ...body,
    serialNumber: serial(rng),
    publicKey: key.publicKey,
    curve,
    notBefore: TEST_NOT_BEFORE,
    notAfter: TEST_NOT_AFTER,
  };
  const certificate = issuer
    ? buildCertificate(spec, {
        key: issuer.key,
        subjectRaw: issuer.parsed.subjectRaw,
        ...(issuer.parsed.subjectKeyId ? { subjectKeyId: issuer.parsed.subjectKeyId } : {}),
      })
    : buildCertificate(spec, { key });
  return { certificate, key, parsed: parseCertificate(certificate) };
}

/** A self-signed test CI: policy CI, SAN registeredID 2.999.1, keyCertSign|cRLSign, CA. */
export function createTestCi(curve: CurveName, rng: Rng = systemRng, name?: string): Credential {
  return issue(undefined, curve, rng, {
    subject: {
      country: 'XX',
      organization: 'WebLPA Test',
      commonName: name ?? `WebLPA Test CI ${curve}`,
    },
    isCa: true,
    keyUsage: ['keyCertSign', 'cRLSign'],
    policies: [OID_POLICY.ci],
    sanRegisteredIds: [TEST_CI_OID],
  });
}

/**
 * The seed of the project's own public test PKI. Every tool derives the same test CI from it
 * (the local SM-DP+, the CLI and the app's virtual eUICC), so they trust each other out of the
 * box. Its private keys are public by design: never use it outside tests and demos.
 */
export const PROJECT_TEST_PKI_SEED = 'weblpa-local-services';

/** The project's test CI on `curve`, derived from `seed` (default PROJECT_TEST_PKI_SEED). */
export function projectTestCi(curve: CurveName, seed: string = PROJECT_TEST_PKI_SEED): Credential {
  return createTestCi(curve, seededRng(`${seed}/ci/${curve}`), `WebLPA Test CI ${curve}`);
}

/** An EUM certificate under `ci`, limited to EIDs starting with `eidPrefix` (nameConstraints). */
export function issueEum(
  ci: Credential,
  options: { curve?: CurveName; eidPrefix: string; rng?: Rng },
): Credential {
  if (!/^\d{1,32}$/.test(options.eidPrefix))
    throw new CertificateError('malformed', `EID prefix "${options.eidPrefix}" is not digits`);
  return issue(ci, options.curve ?? ci.key.curve, options.rng ?? systemRng, {
    subject: {
      country: 'XX',
      organization: 'WebLPA Test EUM',
      commonName: `WebLPA Test EUM ${options.eidPrefix}`,
    },
    isCa: true,
    pathLen: 0,
    keyUsage: ['keyCertSign'],
    policies: [OID_POLICY.eum],
    permittedEidPrefixes: [options.eidPrefix],
  });
}

/** An eUICC certificate under `eum`: subject serialNumber = EID, policy eUICC, digitalSignature. */
export function issueEuicc(
  eum: Credential,
  options: { eid: string; curve?: CurveName; rng?: Rng },
): Credential {
  if (!/^\d{32}$/.test(options.eid))
    throw new CertificateError('malformed', `EID "${options.eid}" is not 32 digits`);
  const subject: CertificateSpec['subject'] = {
    country: 'XX',
    serialNumber: options.eid,
    commonName: 'WebLPA Test eUICC',
  };
  if (eum.parsed.subject.organization !== undefined)
    subject.organization = eum.parsed.subject.organization;
  return issue(eum, options.curve ?? eum.key.curve, options.rng ?? systemRng, {
    subject,
    isCa: false,
    keyUsage: ['digitalSignature'],
    policies: [OID_POLICY.euicc],
  });
}

/** The DNS name part of "host[:port]" (a SAN dNSName carries no port). */
function hostName(host: string): string {
  const m = /^(.*?)(?::\d+)?$/.exec(host);
  const name = m?.[1] ?? host;
  if (name.length === 0) throw new CertificateError('malformed', `bad host "${host}"`);
  return name;
}

function serverTriple(
  ci: Credential,
  options: { host: string; oid: string; rng?: Rng; tlsPoliciesCritical?: boolean },
  kind: 'SM-DP+' | 'SM-DS',
  policies: { auth: string; tls: string; pb?: string },
): { auth: Credential; tls: Credential; pb?: Credential } {
  const rng = options.rng ?? systemRng;
  const curve = ci.key.curve;
  const name = hostName(options.host);
  const leaf = (role: string, policy: string): Credential =>
    issue(ci, curve, rng, {
      subject: {
        country: 'XX',
        organization: 'WebLPA Test',
        commonName: `${kind} ${role} ${name}`,
      },
      isCa: false,
      keyUsage: ['digitalSignature'],
      policies: [policy],
      sanRegisteredIds: [options.oid],
    });
  const auth = leaf('auth', policies.auth);
  const pb = policies.pb ? leaf('pb', policies.pb) : undefined;
  // TLS: SAN dNSName + registeredID, serverAuth and clientAuth (SGP.22 §4.5.2.1.0.3).
  const tls = issue(ci, curve, rng, {
    subject: { country: 'XX', organization: 'WebLPA Test', commonName: name },
    isCa: false,
    keyUsage: ['digitalSignature'],
    extKeyUsage: [OID_EKU.serverAuth, OID_EKU.clientAuth],
    policies: [policies.tls],
    ...(options.tlsPoliciesCritical === false ? { policiesCritical: false } : {}),
    sanDnsNames: [name],
    sanRegisteredIds: [options.oid],
  });
  return pb ? { auth, tls, pb } : { auth, tls };
}

/**
 * DPauth, DPpb and DPtls under `ci`, all on the CI's curve. Node's TLS stack is only used with
 * a P-256 CI; a brainpool DPtls is valid X.509 but browsers will not negotiate it.
 * `tlsPoliciesCritical: false` (tests only) marks DPtls's certificatePolicies non-critical,
 * for TLS clients (rustls, as in workerd and Deno) that refuse the critical extension SGP.22
 * v2.2.2 §4.5.2 prescribes; default: critical.
 */
export function issueSmdpCredentials(
  ci: Credential,
  options: { host: string; oid: string; rng?: Rng; tlsPoliciesCritical?: boolean },
): { dpAuth: Credential; dpPb: Credential; dpTls: Credential } {
  const t = serverTriple(ci, options, 'SM-DP+', {
    auth: OID_POLICY.dpAuth,
    tls: OID_POLICY.dpTls,
    pb: OID_POLICY.dpPb,
  });
  return { dpAuth: t.auth, dpPb: t.pb!, dpTls: t.tls };
}

/** DSauth and DStls under `ci`. */
export function issueSmdsCredentials(
  ci: Credential,
  options: { host: string; oid: string; rng?: Rng },
): { dsAuth: Credential; dsTls: Credential } {
  const t = serverTriple(ci, options, 'SM-DS', { auth: OID_POLICY.dsAuth, tls: OID_POLICY.dsTls });
  return { dsAuth: t.auth, dsTls: t.tls };
}

export interface TestPkiSet {
  curve: CurveName;
  ci: Credential;
  eum: Credential;
  euicc: Credential;
  dpAuth: Credential;
  dpPb: Credential;
  dpTls: Credential;
  dsAuth: Credential;
  dsTls: Credential;
}

export interface TestPkiOptions {
  curves?: readonly CurveName[];
  /** 32-digit EID for the eUICC certificate; the EUM is constrained to its first 8 digits. */
  eid?: string;
  /** Deterministic keys and serials when given. */
  seed?: string;
  smdpHost?: string;
  smdpOid?: string;
  smdsHost?: string;
  smdsOid?: string;
}

/** A whole test PKI per curve (default: both curves, P-256 first). */
export function generateTestPki(options: TestPkiOptions = {}): TestPkiSet[] {
  const eid = options.eid ?? DEFAULT_TEST_EID;
  const curves = options.curves ?? (['P-256', 'brainpoolP256r1'] as const);
  return curves.map((curve) => {
    const rngFor = (label: string): Rng =>
      options.seed !== undefined ? seededRng(`${options.seed}/${curve}/${label}`) : systemRng;
    const ci = createTestCi(curve, rngFor('ci'));
    const eum = issueEum(ci, { eidPrefix: eid.slice(0, 8), rng: rngFor('eum') });
    const euicc = issueEuicc(eum, { eid, rng: rngFor('euicc') });
    const dp = issueSmdpCredentials(ci, {
      host: options.smdpHost ?? 'localhost',
      oid: options.smdpOid ?? '2.999.10',
      rng: rngFor('dp'),
    });
    const ds = issueSmdsCredentials(ci, {
      host: options.smdsHost ?? 'localhost',
      oid: options.smdsOid ?? '2.999.15',
      rng: rngFor('ds'),
    });
    return { curve, ci, eum, euicc, ...dp, ...ds };
  });
}
