/**
 * The eUICC's identity: EID, eUICC and EUM certificates, the eUICC private key and the CI
 * certificates it trusts. Created for tests from the project's own PKI, or imported from
 * PEM/DER (for instance the SGP.26 test eUICC).
 */
import {
  bytesEqual,
  eidValid,
  eidWithCheckDigits,
  encodeEid,
  fromHex,
  toHex,
} from '../codec/index.ts';
import {
  CertificateError,
  ciKeyId,
  createTestCi,
  issueEuicc,
  issueEum,
  keyPairFromPrivate,
  parseCertificate,
  parsePrivateKey,
  pemDecode,
  seededRng,
  systemRng,
  verifyChain,
} from '../rsp/index.ts';
import type { Certificate, Credential, CurveName, EcKeyPair, Rng } from '../rsp/index.ts';
import { EuiccIdentityError } from './errors.ts';
import type { IdentityJson } from './state.ts';

export interface EuiccIdentity {
  /** 32 digits. */
  eid: string;
  euiccCert: Uint8Array;
  eumCert: Uint8Array;
  euiccKey: EcKeyPair;
  /** DER certificates of the CIs whose key ids go into both EUICCInfo1 lists. */
  trustedCis: Uint8Array[];
}

/** A test identity also exposes the CI and EUM so a test SM-DP+ can be issued under it. */
export interface TestIdentity extends EuiccIdentity {
  ci: Credential;
  eum: Credential;
}

export interface TestIdentityOptions {
  curve: CurveName;
  /** Deterministic keys and serial numbers. */
  seed?: string | Uint8Array;
  /** 32-digit EID (mod 97 valid); default: a random one under prefix 89049032. */
  eid?: string;
  /** Issue the EUM under this CI instead of a fresh one. */
  ci?: Credential;
}

export function createTestIdentity(options: TestIdentityOptions): TestIdentity {
  const rng: Rng = options.seed === undefined ? systemRng : seededRng(options.seed);
  const eid = options.eid ?? randomEid(rng);
  if (!eidValid(eid)) throw new EuiccIdentityError('badEid', `not a valid EID: ${eid}`);
  const ci = options.ci ?? createTestCi(options.curve, rng);
  const eum = issueEum(ci, { curve: options.curve, eidPrefix: eid.slice(0, 8), rng });
  const euicc = issueEuicc(eum, { eid, curve: options.curve, rng });
  return {
    eid,
    euiccCert: euicc.certificate,
    eumCert: eum.certificate,
    euiccKey: euicc.key,
    trustedCis: [ci.certificate],
    ci,
    eum,
  };
}

function randomEid(rng: Rng): string {
  const bytes = rng(22);
  let digits = '89049032';
  for (const b of bytes) digits += String(b % 10);
  return eidWithCheckDigits(digits);
}

export type CertInput = Uint8Array | string;

export interface IdentityInput {
  euiccCert: CertInput;
  eumCert: CertInput;
  /** SEC1 or PKCS#8, PEM or DER. */
  euiccKey: CertInput;
  trustedCis: CertInput[];
}

function looksLikePem(bytes: Uint8Array): boolean {
  return bytes.length > 10 && String.fromCharCode(...bytes.subarray(0, 10)) === '-----BEGIN';
}

function certDer(input: CertInput, what: string): Uint8Array {
  const text =
    typeof input === 'string'
      ? input
      : looksLikePem(input)
        ? new TextDecoder().decode(input)
        : undefined;
  if (text === undefined) return input as Uint8Array;
  const blocks = pemDecode(text).filter((b) => b.label === 'CERTIFICATE');
  const first = blocks[0];
  if (!first) throw new EuiccIdentityError('missingCertificate', `${what}: no CERTIFICATE block`);
  return first.der;
}

/**
 * Imports an identity and checks it is usable: the key matches the eUICC certificate, the EID
 * is the certificate subject's serialNumber and is valid, and eUICC -> EUM -> one of the CIs
 * verifies (dates are not checked: test certificates may be old).
 */
export function importIdentity(input: IdentityInput): EuiccIdentity {
  const euiccCert = certDer(input.euiccCert, 'euiccCert');
  const eumCert = certDer(input.eumCert, 'eumCert');
  const trustedCis = input.trustedCis.map((c, i) => certDer(c, `trustedCis[${i}]`));
  let key: EcKeyPair;
  try {
    key =
      typeof input.euiccKey === 'string' || !looksLikePem(input.euiccKey)
        ? parsePrivateKey(input.euiccKey)
        : parsePrivateKey(new TextDecoder().decode(input.euiccKey));
  } catch (e) {
    throw new EuiccIdentityError('malformed', `euiccKey: ${(e as Error).message}`);
  }
  const identity = parseIdentity({ euiccCert, eumCert, trustedCis, euiccKey: key, eid: '' }, true);
  return {
    eid: identity.eid,
    euiccCert,
    eumCert,
    euiccKey: key,
    trustedCis,
  };
}

/** The identity with its certificates parsed, as the card uses it. */
export interface ParsedIdentity {
  eid: string;
  eidBytes: Uint8Array;
  euiccCert: Uint8Array;
  eumCert: Uint8Array;
  euicc: Certificate;
  eum: Certificate;
  key: EcKeyPair;
  cis: Certificate[];
  /** Subject key ids of the trusted CIs, in order. */
  ciKeyIds: Uint8Array[];
}

/**
 * Parses and validates an identity. `deriveEid` takes the EID from the certificate; otherwise
 * the given EID must equal it.
 */
export function parseIdentity(identity: EuiccIdentity, deriveEid = false): ParsedIdentity {
  const parse = (der: Uint8Array, what: string): Certificate => {
    try {
      return parseCertificate(der);
    } catch (e) {
      if (e instanceof CertificateError)
        throw new EuiccIdentityError('malformed', `${what}: ${e.message}`);
      throw e;
    }
  };
  const euicc = parse(identity.euiccCert, 'euiccCert');
  const eum = parse(identity.eumCert, 'eumCert');
  const cis = identity.trustedCis.map((c, i) => parse(c, `trustedCis[${i}]`));
  if (cis.length === 0) throw new EuiccIdentityError('missingCertificate', 'no trusted CI');
  const key = identity.euiccKey;
  if (key.curve !== euicc.curve)
    throw new EuiccIdentityError('keyMismatch', 'the key is not on the certificate curve');
  let derived: EcKeyPair;
  try {
    derived = keyPairFromPrivate(key.curve, key.privateKey);
  } catch (e) {
    throw new EuiccIdentityError('malformed', `euiccKey: ${(e as Error).message}`);
  }
  if (!bytesEqual(derived.publicKey, euicc.publicKey))
    throw new EuiccIdentityError(
      'keyMismatch',
      'the private key does not match the eUICC certificate',
    );
  const certEid = euicc.subject.serialNumber ?? '';
  if (!eidValid(certEid))
    throw new EuiccIdentityError(
      'badEid',
      `the certificate serialNumber is not a valid EID: "${certEid}"`,
    );
  if (!deriveEid && identity.eid !== certEid)
    throw new EuiccIdentityError(
      'badEid',
      `EID ${identity.eid} differs from the certificate's ${certEid}`,
    );
  const chain = verifyChain({ leaf: euicc, intermediates: [eum], trusted: cis, role: 'euicc' });
  if (!chain.ok)
    throw new EuiccIdentityError('chain', `eUICC chain: ${chain.reason} (${chain.detail})`);
  const ciKeyIds = cis.map((c) => ciKeyId(c));
  return {
    eid: certEid,
    eidBytes: encodeEid(certEid),
    euiccCert: identity.euiccCert,
    eumCert: identity.eumCert,
    euicc,
    eum,
    key: { curve: key.curve, privateKey: key.privateKey, publicKey: derived.publicKey },
    cis,
    ciKeyIds,
  };
}

export function identityToJson(identity: EuiccIdentity): IdentityJson {
  return {
    eid: identity.eid,
    euiccCert: toHex(identity.euiccCert),
    eumCert: toHex(identity.eumCert),
    euiccKey: { curve: identity.euiccKey.curve, privateKey: toHex(identity.euiccKey.privateKey) },
    trustedCis: identity.trustedCis.map(toHex),
  };
}

export function identityFromJson(json: IdentityJson): EuiccIdentity {
  const key = keyPairFromPrivate(json.euiccKey.curve, fromHex(json.euiccKey.privateKey));
  return {
    eid: json.eid,
    euiccCert: fromHex(json.euiccCert),
    eumCert: fromHex(json.eumCert),
    euiccKey: key,
    trustedCis: json.trustedCis.map(fromHex),
  };
}
