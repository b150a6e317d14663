/**
 * Plain words for an upstream TLS certificate the relay refused: which issuer it did not trust
 * (common name, organisation and key identifier), so the person at the other end of the relay
 * can tell a GSMA CI from a test CI or a misconfigured server.
 */
import type { DetailedPeerCertificate } from 'node:tls';
import { bytesEqual, children, decodeOne, fromHex, toHex, type Tlv } from '../../codec/index.ts';

/** Node / OpenSSL verification codes meaning "no trusted issuer for this chain". */
const UNTRUSTED_ISSUER_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

/** Other certificate verification failures, with what they mean. */
const OTHER_CERTIFICATE_CODES: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is not issued for this host name',
  HOSTNAME_MISMATCH: 'it is not issued for this host name',
  CERT_SIGNATURE_FAILURE: 'a signature in its chain does not verify',
  CERT_REJECTED: 'its issuer is marked as rejected',
  CERT_REVOKED: 'it has been revoked',
  INVALID_CA: 'a certificate in its chain is not a CA certificate',
  INVALID_PURPOSE: 'it is not a TLS server certificate',
  PATH_LENGTH_EXCEEDED: 'its chain is longer than its issuers allow',
  CERT_CHAIN_TOO_LONG: 'its chain is too long',
  ERROR_IN_CERT_NOT_BEFORE_FIELD: 'its validity dates are malformed',
  ERROR_IN_CERT_NOT_AFTER_FIELD: 'its validity dates are malformed',
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'its issuer key cannot be read',
};

/** True for the error code of a certificate the TLS layer refused (not a network failure). */
export function isCertificateErrorCode(code: string | undefined): code is string {
  return (
    code !== undefined && (UNTRUSTED_ISSUER_CODES.has(code) || code in OTHER_CERTIFICATE_CODES)
  );
}

const OID_SUBJECT_KEY_ID = fromHex('551D0E'); // 2.5.29.14
const OID_AUTHORITY_KEY_ID = fromHex('551D23'); // 2.5.29.35

export interface CertificateKeyIds {
  /** Upper-case hex of the Subject Key Identifier extension, when present. */
  subjectKeyId?: string;
  /** Upper-case hex of the Authority Key Identifier's keyIdentifier, when present. */
  authorityKeyId?: string;
}

/**
 * The key identifiers of a DER X.509 certificate of any key type (RFC 5280 §4.2.1.1 and
 * §4.2.1.2). Best effort: a certificate it cannot read gives no identifiers, never an error.
 */
export function certificateKeyIds(der: Uint8Array): CertificateKeyIds {
  const out: CertificateKeyIds = {};
  try {
    const tbs = children(decodeOne(der, 0x30))[0];
    if (tbs?.tag !== 0x30) return out;
    const extensions = children(tbs).find((t) => t.tag === 0xa3);
    const list = extensions ? children(extensions)[0] : undefined;
    if (list?.tag !== 0x30) return out;
    for (const ext of children(list)) {
      const parts = children(ext);
      const oid = parts[0];
      const value = parts[parts.length - 1];
      if (oid?.tag !== 0x06 || value?.tag !== 0x04) continue;
      if (bytesEqual(oid.value, OID_SUBJECT_KEY_ID)) {
        const ski = decodeOne(value.value, 0x04);
        out.subjectKeyId = toHex(ski.value);
      } else if (bytesEqual(oid.value, OID_AUTHORITY_KEY_ID)) {
        const keyId = children(decodeOne(value.value, 0x30)).find((t: Tlv) => t.tag === 0x80);
        if (keyId) out.authorityKeyId = toHex(keyId.value);
      }
    }
  } catch {
    // Not a certificate this reader understands: describe it by its names only.
  }
  return out;
}

/** A distinguished name's CN and O as `CN=…, O=…` (only the parts present). */
function nameText(name: DetailedPeerCertificate['issuer'] | undefined): string {
  const parts: string[] = [];
  const one = (v: string | string[] | undefined): string | undefined =>
    Array.isArray(v) ? v.join(' + ') : v;
  const cn = one(name?.CN);
  const o = one(name?.O);
  if (cn !== undefined && cn !== '') parts.push(`CN=${cn}`);
  if (o !== undefined && o !== '') parts.push(`O=${o}`);
  return parts.length > 0 ? parts.join(', ') : 'an unnamed issuer';
}

/** The last certificate of the chain the server sent (the one nearest its root). */
function chainTop(leaf: DetailedPeerCertificate): DetailedPeerCertificate {
  let cert = leaf;
  // Node links each certificate to its issuer; a self-signed one links to itself.
  for (let i = 0; i < 16; i++) {
    const next = cert.issuerCertificate as DetailedPeerCertificate | undefined;
    if (next === undefined || next === cert || next.raw === undefined) break;
    if (cert.raw !== undefined && next.raw.equals(cert.raw)) break;
    cert = next;
  }
  return cert;
}

/** What a refused certificate's issuer is: names and key identifier. */
export interface RefusedIssuer {
  /** `CN=…, O=…` of the issuer the chain ends at. */
  name: string;
  /** Its key identifier (the top certificate's AKI, or its SKI when self-signed), hex. */
  keyId?: string;
}

export function refusedIssuer(
  peer: DetailedPeerCertificate | undefined,
): RefusedIssuer | undefined {
  if (peer === undefined || peer.raw === undefined || Object.keys(peer).length === 0)
    return undefined;
  const top = chainTop(peer);
  const ids = certificateKeyIds(new Uint8Array(top.raw));
  // Node links a self-signed certificate to itself as its own issuer.
  const selfSigned = top.issuerCertificate === top;
  const keyId = selfSigned ? (ids.subjectKeyId ?? ids.authorityKeyId) : ids.authorityKeyId;
  const issuer: RefusedIssuer = { name: nameText(top.issuer) };
  if (keyId !== undefined) issuer.keyId = keyId;
  return issuer;
}

/**
 * The message of a refused upstream certificate, e.g.
 * `the relay does not trust the issuer of smdp.example.com's TLS certificate: CN=Some CI,
 * O=Some Org (key id 0123…) [UNABLE_TO_VERIFY_LEAF_SIGNATURE]`.
 */
export function describeCertificateFailure(
  hostname: string,
  code: string,
  peer: DetailedPeerCertificate | undefined,
): string {
  const issuer = refusedIssuer(peer);
  const who =
    issuer === undefined
      ? 'an issuer it could not read'
      : `${issuer.name}${issuer.keyId !== undefined ? ` (key id ${issuer.keyId})` : ''}`;
  if (UNTRUSTED_ISSUER_CODES.has(code))
    return `the relay does not trust the issuer of ${hostname}'s TLS certificate: ${who} [${code}]`;
  const reason = OTHER_CERTIFICATE_CODES[code] ?? 'it did not verify';
  return `the relay refused ${hostname}'s TLS certificate: ${reason} (issued under ${who}) [${code}]`;
}
