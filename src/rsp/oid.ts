/**
 * DER OBJECT IDENTIFIER contents (X.690 §8.19) and the OIDs SGP.22 / RFC 5280 certificates use.
 */
import { CertificateError } from './errors.ts';

/** Encodes a dotted OID ("1.2.840.10045.2.1") as DER contents (no tag or length). */
export function encodeOid(dotted: string): Uint8Array {
  if (!/^\d+(\.\d+)+$/.test(dotted)) throw new CertificateError('malformed', `bad OID ${dotted}`);
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const first = arcs[0]!;
  const second = arcs[1]!;
  if (first > 2n || (first < 2n && second > 39n))
    throw new CertificateError('malformed', `bad OID ${dotted}`);
  const out: number[] = [];
  const push = (v: bigint): void => {
    const bytes: number[] = [Number(v & 0x7fn)];
    let x = v >> 7n;
    while (x > 0n) {
      bytes.unshift(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    out.push(...bytes);
  };
  push(first * 40n + second);
  for (const a of arcs.slice(2)) push(a);
  return Uint8Array.from(out);
}

/** Decodes DER OID contents to dotted form; rejects empty, truncated and non-minimal arcs. */
export function decodeOid(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new CertificateError('malformed', 'empty OID');
  const arcs: bigint[] = [];
  let v = 0n;
  let start = true;
  for (const b of bytes) {
    if (start && b === 0x80) throw new CertificateError('malformed', 'non-minimal OID arc');
    v = (v << 7n) | BigInt(b & 0x7f);
    start = (b & 0x80) === 0;
    if (start) {
      arcs.push(v);
      v = 0n;
    }
  }
  if (!start) throw new CertificateError('malformed', 'truncated OID');
  const head = arcs[0]!;
  const parts = head < 80n ? [head / 40n, head % 40n] : [2n, head - 80n];
  return [...parts, ...arcs.slice(1)].map((a) => a.toString()).join('.');
}

/** SGP.22 certificate policies (SGP.22 §4.5.2.1 / docs/protocol.md §7.1), under id-rsp-cert-objects. */
export const OID_POLICY = {
  ci: '2.23.146.1.2.1.0',
  euicc: '2.23.146.1.2.1.1',
  eum: '2.23.146.1.2.1.2',
  dpTls: '2.23.146.1.2.1.3',
  dpAuth: '2.23.146.1.2.1.4',
  dpPb: '2.23.146.1.2.1.5',
  dsTls: '2.23.146.1.2.1.6',
  dsAuth: '2.23.146.1.2.1.7',
} as const;

/** GSMA extension listing the EID ranges an EUM may issue (SGP.22 §4.5.2.1.0.2). */
export const OID_EXT_PERMITTED_EINS = '2.23.146.1.2.2.0';

export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

/** X.520 attribute types used in SGP.22 names. */
export const OID_ATTR = {
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
} as const;

/** RFC 5280 §4.2.1 certificate extensions. */
export const OID_EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
} as const;

/** RFC 5280 §4.2.1.12 extended key usages. */
export const OID_EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** RFC 5280 §4.2.1.3 KeyUsage bit names, in bit order. */
export const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
