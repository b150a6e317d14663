/**
 * X.509 v3 certificates as SGP.22 uses them (RFC 5280 profile of SGP.22 §4.5.2, docs/protocol.md §7.1):
 * ECDSA with SHA-256 on P-256 or brainpoolP256r1, GSMA certificate policies, SAN registeredID,
 * EUM EID ranges. Parsing keeps the exact TBS bytes so signatures are checked on what was
 * signed; building produces DER accepted by OpenSSL.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import {
  children,
  concat,
  decodeBitString,
  decodeOne,
  encodeBitString,
  encodeTlv,
  utf8,
  type Tlv,
} from '../codec/index.ts';
import {
  at,
  bits,
  bool,
  directoryString,
  encodeTime,
  guard,
  int,
  kids,
  octets,
  oid,
  readBitStringBytes,
  readOid,
  readString,
  readTime,
  seq,
  set,
  TAG,
} from './der.ts';
import {
  CURVE_OID,
  curveFromOid,
  signDer,
  validatePublicKey,
  verifyDer,
  type CurveName,
  type EcKeyPair,
} from './ec.ts';
import { CertificateError } from './errors.ts';
import {
  KEY_USAGE_NAMES,
  OID_ATTR,
  OID_EC_PUBLIC_KEY,
  OID_ECDSA_WITH_SHA256,
  OID_EXT,
  OID_EXT_PERMITTED_EINS,
} from './oid.ts';
import type { Rng } from './random.ts';
import { verifyOnce } from './verify-cache.ts';

export interface CertificateName {
  commonName?: string;
  organization?: string;
  organizationalUnit?: string;
  serialNumber?: string;
  country?: string;
}

export interface Certificate {
  /** The whole certificate DER. */
  raw: Uint8Array;
  /** The TBSCertificate DER exactly as signed. */
  tbsRaw: Uint8Array;
  /** INTEGER contents of the serial number (big-endian, may start with 00). */
  serialNumber: Uint8Array;
  issuerRaw: Uint8Array;
  subjectRaw: Uint8Array;
  subject: CertificateName;
  issuer: CertificateName;
  notBefore: Date;
  notAfter: Date;
  curve: CurveName;
  /** 65-byte uncompressed point. */
  publicKey: Uint8Array;
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
  /** certificatePolicies OIDs. */
  policies: string[];
  /** KeyUsage bit names ('digitalSignature', 'keyCertSign', 'cRLSign', ...). */
  keyUsage: string[];
  /** ExtendedKeyUsage OIDs. */
  extKeyUsage: string[];
  isCa: boolean;
  pathLen?: number;
  sanRegisteredIds: string[];
  sanDnsNames: string[];
  /** EID prefixes the (EUM) certificate may issue for (nameConstraints and/or 2.23.146.1.2.2.0). */
  permittedEidPrefixes: string[];
  /** OIDs of critical extensions this parser does not interpret. */
  unknownCriticalExtensions: string[];
  /** Signature algorithm OID (outer). */
  signatureAlgorithm: string;
  /** DER ECDSA-Sig-Value. */
  signatureValue: Uint8Array;
}

export interface CertificateSpec {
  serialNumber: Uint8Array | bigint;
  subject: CertificateName;
  publicKey: Uint8Array;
  curve: CurveName;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  pathLen?: number;
  keyUsage: string[];
  extKeyUsage?: string[];
  policies: string[];
  /**
   * Whether certificatePolicies is marked critical. Default true, as SGP.22 v2.2.2 §4.5.2
   * profiles every RSP certificate; false only for test certificates a TLS stack must accept
   * that refuses a critical certificatePolicies extension.
   */
  policiesCritical?: boolean;
  sanRegisteredIds?: string[];
  sanDnsNames?: string[];
  permittedEidPrefixes?: string[];
  /**
   * How EID prefixes are written: SGP.26 "variant O" nameConstraints (default), or the GSMA
   * permittedEins extension 2.23.146.1.2.2.0 (SEQUENCE OF PrintableString) of later variants.
   */
  eidRangeEncoding?: 'nameConstraints' | 'permittedEins';
  /** Default: SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1). */
  subjectKeyId?: Uint8Array;
}

export interface CertificateIssuer {
  key: EcKeyPair;
  /** The issuer's subject Name DER; omitted = self-signed (issuer = this subject). */
  subjectRaw?: Uint8Array;
  /** The issuer's subject key id, written as the authority key id. */
  subjectKeyId?: Uint8Array;
}

const NAME_FIELDS: readonly (readonly [keyof CertificateName, string])[] = [
  ['country', OID_ATTR.country],
  ['organization', OID_ATTR.organization],
  ['organizationalUnit', OID_ATTR.organizationalUnit],
  ['serialNumber', OID_ATTR.serialNumber],
  ['commonName', OID_ATTR.commonName],
];

// ---------------------------------------------------------------- parsing

function parseName(t: Tlv): CertificateName {
  const out: CertificateName = {};
  for (const rdn of kids(t, TAG.sequence, 'Name')) {
    for (const atv of kids(rdn, TAG.set, 'RDN')) {
      const parts = kids(atv, TAG.sequence, 'AttributeTypeAndValue');
      const type = readOid(at(parts, 0, TAG.oid, 'attribute type'), 'attribute type');
      const valueTlv = parts[1];
      if (!valueTlv || parts.length !== 2)
        throw new CertificateError('malformed', 'AttributeTypeAndValue must have 2 elements');
      const field = NAME_FIELDS.find(([, o]) => o === type)?.[0];
      if (field) out[field] = readString(valueTlv);
    }
  }
  return out;
}

interface Extensions {
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
  policies: string[];
  keyUsage: string[];
  extKeyUsage: string[];
  isCa: boolean;
  pathLen?: number;
  sanRegisteredIds: string[];
  sanDnsNames: string[];
  permittedEidPrefixes: string[];
  unknownCriticalExtensions: string[];
}

function parseGeneralNames(value: Uint8Array, ext: Extensions): void {
  for (const gn of kids(decodeOne(value), TAG.sequence, 'GeneralNames')) {
    // GeneralName [2] dNSName IA5String, [8] registeredID OID (both IMPLICIT), RFC 5280 §4.2.1.6.
    if (gn.tag === 0x82) ext.sanDnsNames.push(String.fromCharCode(...gn.value));
    else if (gn.tag === 0x88) ext.sanRegisteredIds.push(readOid({ ...gn, tag: TAG.oid }, 'SAN'));
  }
}

function parseNameConstraints(value: Uint8Array, ext: Extensions): void {
  for (const subtrees of kids(decodeOne(value), TAG.sequence, 'NameConstraints')) {
    if (subtrees.tag !== 0xa0) continue; // only permittedSubtrees [0]
    for (const subtree of children(subtrees)) {
      const base = kids(subtree, TAG.sequence, 'GeneralSubtree')[0];
      // directoryName [4] is EXPLICIT because Name is a CHOICE (X.680 §31.2.7).
      if (base?.tag !== 0xa4) continue;
      const name = children(base)[0];
      if (!name) throw new CertificateError('malformed', 'empty directoryName');
      const serial = parseName(name).serialNumber;
      if (serial !== undefined) ext.permittedEidPrefixes.push(serial);
    }
  }
}

function parseExtension(t: Tlv, ext: Extensions): void {
  const parts = kids(t, TAG.sequence, 'Extension');
  const id = readOid(at(parts, 0, TAG.oid, 'extnID'), 'extnID');
  let critical = false;
  let i = 1;
  if (parts[1]?.tag === TAG.boolean) {
    critical = parts[1].value[0] !== 0;
    i = 2;
  }
  const value = at(parts, i, TAG.octetString, 'extnValue').value;
  switch (id) {
    case OID_EXT.subjectKeyIdentifier:
      ext.subjectKeyId = Uint8Array.from(decodeOne(value, TAG.octetString).value);
      break;
    case OID_EXT.authorityKeyIdentifier: {
      const kid = children(decodeOne(value, TAG.sequence)).find((c) => c.tag === 0x80);
      if (kid) ext.authorityKeyId = Uint8Array.from(kid.value);
      break;
    }
    case OID_EXT.keyUsage: {
      const bitsSet = decodeBitString(decodeOne(value, TAG.bitString).value);
      ext.keyUsage = bitsSet.map((b) => KEY_USAGE_NAMES[b] ?? `bit${b}`);
      break;
    }
    case OID_EXT.extKeyUsage:
      ext.extKeyUsage = kids(decodeOne(value), TAG.sequence, 'EKU').map((o) => readOid(o, 'EKU'));
      break;
    case OID_EXT.basicConstraints: {
      const bc = kids(decodeOne(value), TAG.sequence, 'BasicConstraints');
      let j = 0;
      if (bc[0]?.tag === TAG.boolean) {
        ext.isCa = bc[0].value[0] !== 0;
        j = 1;
      }
      const pl = bc[j];
      if (pl?.tag === TAG.integer) ext.pathLen = Number.parseInt(toHexStr(pl.value), 16);
      break;
    }
    case OID_EXT.certificatePolicies:
      ext.policies = kids(decodeOne(value), TAG.sequence, 'certificatePolicies').map((pi) =>
        readOid(at(kids(pi, TAG.sequence, 'PolicyInformation'), 0, TAG.oid, 'policy'), 'policy'),
      );
      break;
    case OID_EXT.subjectAltName:
      parseGeneralNames(value, ext);
      break;
    case OID_EXT.nameConstraints:
      parseNameConstraints(value, ext);
      break;
    case OID_EXT_PERMITTED_EINS:
      // SEQUENCE OF PrintableString, each an EID prefix (SGP.22 §4.5.2.1.0.2).
      for (const s of kids(decodeOne(value), TAG.sequence, 'permittedEins'))
        ext.permittedEidPrefixes.push(readString(s));
      break;
    case OID_EXT.crlDistributionPoints:
      break;
    default:
      if (critical) ext.unknownCriticalExtensions.push(id);
  }
}

function toHexStr(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('') || '0';
}

/** Parses a DER X.509 certificate with an EC public key. Throws CertificateError. */
export function parseCertificate(der: Uint8Array): Certificate {
  return guard('certificate', () => {
    const cert = decodeOne(der, TAG.sequence);
    const [tbs, sigAlg, sigValue, ...extra] = children(cert);
    if (!tbs || !sigAlg || !sigValue || extra.length > 0)
      throw new CertificateError('malformed', 'Certificate must have 3 elements');
    const tbsParts = kids(tbs, TAG.sequence, 'TBSCertificate');
    // version [0] EXPLICIT INTEGER; only v3 (value 2) carries the extensions SGP.22 needs.
    const version = tbsParts[0]?.tag === 0xa0 ? children(tbsParts[0])[0] : undefined;
    if (version?.tag !== TAG.integer || version.value.length !== 1 || version.value[0] !== 2)
      throw new CertificateError('malformed', 'only X.509 v3 certificates are supported');
    const i = 1;
    const serial = at(tbsParts, i, TAG.integer, 'serialNumber');
    const innerAlg = at(tbsParts, i + 1, TAG.sequence, 'signature');
    const issuer = at(tbsParts, i + 2, TAG.sequence, 'issuer');
    const validity = kids(at(tbsParts, i + 3, TAG.sequence, 'validity'), TAG.sequence, 'validity');
    const subject = at(tbsParts, i + 4, TAG.sequence, 'subject');
    const spki = kids(at(tbsParts, i + 5, TAG.sequence, 'SPKI'), TAG.sequence, 'SPKI');

    const sigAlgOid = readOid(at(kids(sigAlg, TAG.sequence, 'alg'), 0, TAG.oid, 'alg'), 'alg');
    const innerOid = readOid(at(children(innerAlg), 0, TAG.oid, 'alg'), 'alg');
    if (sigAlgOid !== innerOid)
      throw new CertificateError('malformed', 'inner and outer signature algorithms differ');
    if (sigAlgOid !== OID_ECDSA_WITH_SHA256)
      throw new CertificateError('unsupportedAlgorithm', `signature algorithm ${sigAlgOid}`);

    const keyAlg = kids(at(spki, 0, TAG.sequence, 'algorithm'), TAG.sequence, 'algorithm');
    const keyOid = readOid(at(keyAlg, 0, TAG.oid, 'key algorithm'), 'key algorithm');
    if (keyOid !== OID_EC_PUBLIC_KEY)
      throw new CertificateError('unsupportedAlgorithm', `public key algorithm ${keyOid}`);
    const curveOid = readOid(at(keyAlg, 1, TAG.oid, 'namedCurve'), 'namedCurve');
    const curve = curveFromOid(curveOid);
    if (!curve) throw new CertificateError('unsupportedCurve', `curve ${curveOid}`);
    const publicKey = Uint8Array.from(readBitStringBytes(at(spki, 1, TAG.bitString, 'key'), 'key'));
    if (!validatePublicKey(curve, publicKey))
      throw new CertificateError('badKey', 'public key is not a valid uncompressed point');

    const [nb, na] = validity;
    if (!nb || !na || validity.length !== 2)
      throw new CertificateError('malformed', 'validity must have 2 times');

    const ext: Extensions = {
      policies: [],
      keyUsage: [],
      extKeyUsage: [],
      isCa: false,
      sanRegisteredIds: [],
      sanDnsNames: [],
      permittedEidPrefixes: [],
      unknownCriticalExtensions: [],
    };
    for (const t of tbsParts.slice(i + 6)) {
      if (t.tag === 0xa3) {
        const list = children(t)[0];
        if (!list) throw new CertificateError('malformed', 'empty extensions');
        for (const e of kids(list, TAG.sequence, 'Extensions')) parseExtension(e, ext);
      } else if (t.tag !== 0x81 && t.tag !== 0x82) {
        throw new CertificateError('malformed', `unexpected TBSCertificate element`);
      }
    }

    const result: Certificate = {
      raw: Uint8Array.from(cert.raw),
      tbsRaw: Uint8Array.from(tbs.raw),
      serialNumber: Uint8Array.from(serial.value),
      issuerRaw: Uint8Array.from(issuer.raw),
      subjectRaw: Uint8Array.from(subject.raw),
      subject: parseName(subject),
      issuer: parseName(issuer),
      notBefore: readTime(nb),
      notAfter: readTime(na),
      curve,
      publicKey,
      policies: ext.policies,
      keyUsage: ext.keyUsage,
      extKeyUsage: ext.extKeyUsage,
      isCa: ext.isCa,
      sanRegisteredIds: ext.sanRegisteredIds,
      sanDnsNames: ext.sanDnsNames,
      permittedEidPrefixes: ext.permittedEidPrefixes,
      unknownCriticalExtensions: ext.unknownCriticalExtensions,
      signatureAlgorithm: sigAlgOid,
      signatureValue: Uint8Array.from(readBitStringBytes(sigValue, 'signatureValue')),
    };
    if (ext.subjectKeyId) result.subjectKeyId = ext.subjectKeyId;
    if (ext.authorityKeyId) result.authorityKeyId = ext.authorityKeyId;
    if (ext.pathLen !== undefined) result.pathLen = ext.pathLen;
    return result;
  });
}

/**
 * True when `cert` carries a valid ECDSA-SHA256 signature by `issuerPublicKey`. Never throws.
 * A success is remembered for these exact bytes (see verify-cache.ts), failures never are.
 */
export function verifyCertificateSignature(
  cert: Certificate,
  issuerPublicKey: Uint8Array,
  issuerCurve: CurveName,
): boolean {
  if (cert.signatureAlgorithm !== OID_ECDSA_WITH_SHA256) return false;
  return verifyOnce(issuerCurve, issuerPublicKey, cert.tbsRaw, cert.signatureValue, () =>
    verifyDer(issuerCurve, issuerPublicKey, cert.tbsRaw, cert.signatureValue),
  );
}

// ---------------------------------------------------------------- building

/** DER Name, RDNs in the order C, O, OU, serialNumber, CN (as in the SGP.26 test certificates). */
export function encodeName(name: CertificateName): Uint8Array {
  const rdns: Uint8Array[] = [];
  for (const [field, attr] of NAME_FIELDS) {
    const v = name[field];
    if (v === undefined) continue;
    // X.520 / RFC 5280 Appendix A: countryName and serialNumber are PrintableString.
    const printable = field === 'country' || field === 'serialNumber';
    rdns.push(set(seq(oid(attr), directoryString(v, printable))));
  }
  return seq(...rdns);
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function serialContents(serial: Uint8Array | bigint): Uint8Array {
  if (typeof serial === 'bigint') {
    if (serial <= 0n) throw new CertificateError('malformed', 'serial number must be positive');
    return int(serial);
  }
  let s = serial;
  while (s.length > 1 && s[0] === 0) s = s.subarray(1);
  if (s.length === 0 || (s.length === 1 && s[0] === 0))
    throw new CertificateError('malformed', 'serial number must be positive');
  // Unsigned magnitude: a leading 00 keeps the INTEGER positive (X.690 §8.3).
  return encodeTlv(TAG.integer, (s[0]! & 0x80) !== 0 ? concat(Uint8Array.of(0), s) : s);
}

/** SHA-1 over the subjectPublicKey BIT STRING contents (RFC 5280 §4.2.1.2 method 1). */
export function defaultKeyId(publicKey: Uint8Array): Uint8Array {
  return sha1(publicKey);
}

function keyUsageBits(names: readonly string[]): number[] {
  return names.map((n) => {
    const i = (KEY_USAGE_NAMES as readonly string[]).indexOf(n);
    if (i < 0) throw new CertificateError('malformed', `unknown key usage ${n}`);
    return i;
  });
}

/**
 * Builds and signs a DER certificate. Extensions follow the SGP.22 §4.5.2 profile: SKI, AKI
 * (when the issuer's key id is given), basicConstraints (CA only, critical), certificatePolicies
 * (critical), keyUsage (critical), subjectAltName, extKeyUsage, nameConstraints (critical).
 * ECDSA nonces are deterministic (RFC 6979), so `rng` is not consumed.
 */
export function buildCertificate(
  spec: CertificateSpec,
  issuer: CertificateIssuer,
  _rng?: Rng,
): Uint8Array {
  if (!validatePublicKey(spec.curve, spec.publicKey))
    throw new CertificateError('badKey', `public key is not a valid ${spec.curve} point`);
  const subjectName = encodeName(spec.subject);
  const issuerName = issuer.subjectRaw ?? subjectName;
  const algId = seq(oid(OID_ECDSA_WITH_SHA256));
  const spki = seq(seq(oid(OID_EC_PUBLIC_KEY), oid(CURVE_OID[spec.curve])), bits(spec.publicKey));

  const exts: Uint8Array[] = [];
  const ski = spec.subjectKeyId ?? defaultKeyId(spec.publicKey);
  exts.push(extension(OID_EXT.subjectKeyIdentifier, false, octets(ski)));
  if (issuer.subjectKeyId)
    exts.push(
      extension(OID_EXT.authorityKeyIdentifier, false, seq(encodeTlv(0x80, issuer.subjectKeyId))),
    );
  if (spec.isCa) {
    const pathLen = spec.pathLen === undefined ? [] : [int(spec.pathLen)];
    exts.push(extension(OID_EXT.basicConstraints, true, seq(bool(true), ...pathLen)));
  }
  if (spec.policies.length > 0)
    exts.push(
      extension(
        OID_EXT.certificatePolicies,
        spec.policiesCritical ?? true,
        seq(...spec.policies.map((p) => seq(oid(p)))),
      ),
    );
  if (spec.keyUsage.length > 0)
    exts.push(
      extension(
        OID_EXT.keyUsage,
        true,
        encodeTlv(TAG.bitString, encodeBitString(keyUsageBits(spec.keyUsage))),
      ),
    );
  const san = [
    ...(spec.sanDnsNames ?? []).map((d) => encodeTlv(0x82, utf8.encode(d))),
    ...(spec.sanRegisteredIds ?? []).map((r) => encodeTlv(0x88, oid(r).subarray(2))),
  ];
  if (san.length > 0) exts.push(extension(OID_EXT.subjectAltName, false, seq(...san)));
  if (spec.extKeyUsage && spec.extKeyUsage.length > 0)
    exts.push(extension(OID_EXT.extKeyUsage, false, seq(...spec.extKeyUsage.map((e) => oid(e)))));
  const prefixes = spec.permittedEidPrefixes ?? [];
  if (prefixes.length > 0 && spec.eidRangeEncoding === 'permittedEins') {
    const list = prefixes.map((p) => directoryString(p, true));
    exts.push(extension(OID_EXT_PERMITTED_EINS, false, seq(...list)));
  } else if (prefixes.length > 0) {
    // SGP.26 style: permittedSubtrees [0] of directoryName [4] {O = <EUM org>, serialNumber = prefix}.
    const subtrees = prefixes.map((prefix) => {
      const name: CertificateName = { serialNumber: prefix };
      if (spec.subject.organization !== undefined) name.organization = spec.subject.organization;
      return seq(encodeTlv(0xa4, encodeName(name)));
    });
    exts.push(extension(OID_EXT.nameConstraints, true, seq(encodeTlv(0xa0, ...subtrees))));
  }

  const tbs = seq(
    encodeTlv(0xa0, int(2)),
    serialContents(spec.serialNumber),
    algId,
    issuerName,
    seq(encodeTime(spec.notBefore), encodeTime(spec.notAfter)),
    subjectName,
    spki,
    encodeTlv(0xa3, seq(...exts)),
  );
  const signature = signDer(issuer.key, tbs);
  return seq(tbs, algId, bits(signature));
}
