import * as crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import {
  buildCertificate,
  CertificateError,
  decodeOid,
  encodeOid,
  generateKeyPair,
  OID_EKU,
  OID_POLICY,
  parseCertificate,
  seededRng,
  verifyCertificateSignature,
  type CertificateSpec,
  type CurveName,
  type EcKeyPair,
} from '../../../src/rsp/index.ts';

function certError(fn: () => unknown): CertificateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CertificateError) return e;
    throw e;
  }
  throw new Error('expected a CertificateError');
}

function replaceAll(haystack: Uint8Array, from: string, to: string): Uint8Array {
  return fromHex(toHex(haystack).split(from.toUpperCase()).join(to.toUpperCase()));
}

describe('OIDs (X.690 §8.19)', () => {
  it('encodes well-known OIDs', () => {
    // RFC 5480 / RFC 5758 encodings.
    expect(toHex(encodeOid('1.2.840.10045.2.1'))).toBe('2A8648CE3D0201');
    expect(toHex(encodeOid('1.2.840.10045.4.3.2'))).toBe('2A8648CE3D040302');
    // 2.999 -> first subidentifier 2*40+999 = 1079 = 0x437 -> 88 37 (X.690 §8.19.4).
    expect(toHex(encodeOid('2.999.1'))).toBe('883701');
    expect(decodeOid(fromHex('883701'))).toBe('2.999.1');
    // 2.23.146.1.2.1.0: 2*40+23 = 103 = 0x67; 146 = 0x81 0x12 (base-128).
    expect(toHex(encodeOid(OID_POLICY.ci))).toBe('67811201020100');
  });

  it('round-trips arbitrary OIDs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2),
        fc.nat({ max: 39 }),
        fc.array(fc.bigInt({ min: 0n, max: 2n ** 70n }), { maxLength: 6 }),
        (a, b, rest) => {
          const dotted = [a, b, ...rest].join('.');
          expect(decodeOid(encodeOid(dotted))).toBe(dotted);
        },
      ),
    );
  });

  it('rejects malformed OIDs', () => {
    expect(() => decodeOid(new Uint8Array(0))).toThrow(CertificateError);
    expect(() => decodeOid(fromHex('2A86'))).toThrow(/truncated/);
    expect(() => decodeOid(fromHex('2A8001'))).toThrow(/non-minimal/);
    expect(() => encodeOid('3.1')).toThrow(CertificateError);
    expect(() => encodeOid('1.40')).toThrow(CertificateError);
    expect(() => encodeOid('1')).toThrow(CertificateError);
  });
});

function makeCa(curve: CurveName, seed: string): { key: EcKeyPair; der: Uint8Array } {
  const key = generateKeyPair(curve, seededRng(seed));
  const der = buildCertificate(
    {
      serialNumber: 1n,
      subject: { country: 'XX', organization: 'Test Org', commonName: 'Test CA' },
      publicKey: key.publicKey,
      curve,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2099-12-31T23:59:59Z'),
      isCa: true,
      keyUsage: ['keyCertSign', 'cRLSign'],
      policies: [OID_POLICY.ci],
      sanRegisteredIds: ['2.999.1'],
    },
    { key },
  );
  return { key, der };
}

describe.each(['P-256', 'brainpoolP256r1'] as const)('buildCertificate on %s', (curve) => {
  const ca = makeCa(curve, `ca-${curve}`);
  const caParsed = parseCertificate(ca.der);
  const leafKey = generateKeyPair(curve, seededRng(`leaf-${curve}`));
  const spec: CertificateSpec = {
    serialNumber: fromHex('80112233'),
    subject: {
      country: 'ES',
      organization: 'Test Org',
      serialNumber: '89049032123451234512345678901235',
      commonName: 'leaf',
    },
    publicKey: leafKey.publicKey,
    curve,
    notBefore: new Date('2021-06-15T12:30:45Z'),
    notAfter: new Date('2060-01-02T03:04:05Z'),
    isCa: false,
    keyUsage: ['digitalSignature'],
    extKeyUsage: [OID_EKU.serverAuth, OID_EKU.clientAuth],
    policies: [OID_POLICY.dpTls],
    sanDnsNames: ['smdp.example'],
    sanRegisteredIds: ['2.999.10'],
  };
  const der = buildCertificate(spec, {
    key: ca.key,
    subjectRaw: caParsed.subjectRaw,
    subjectKeyId: caParsed.subjectKeyId!,
  });

  it('is accepted and verified by Node X509Certificate (independent check)', () => {
    const x = new crypto.X509Certificate(der);
    const issuer = new crypto.X509Certificate(ca.der);
    expect(x.verify(issuer.publicKey)).toBe(true);
    expect(issuer.verify(issuer.publicKey)).toBe(true);
    expect(x.checkIssued(issuer)).toBe(true);
    expect(x.subjectAltName).toBe('DNS:smdp.example, Registered ID:2.999.10');
    expect(x.serialNumber.toUpperCase()).toBe('80112233');
    expect(x.ca).toBe(false);
    expect(issuer.ca).toBe(true);
    expect(x.keyUsage).toEqual([OID_EKU.serverAuth, OID_EKU.clientAuth]);
    expect(new Date(x.validTo).toISOString()).toBe('2060-01-02T03:04:05.000Z');
    expect(x.subject.split('\n')).toEqual([
      'C=ES',
      'O=Test Org',
      'serialNumber=89049032123451234512345678901235',
      'CN=leaf',
    ]);
  });

  it('parses back to the spec', () => {
    const c = parseCertificate(der);
    expect(c.curve).toBe(curve);
    expect(toHex(c.publicKey)).toBe(toHex(leafKey.publicKey));
    expect(toHex(c.serialNumber)).toBe('0080112233');
    expect(c.subject).toEqual(spec.subject);
    expect(c.issuer).toEqual({ country: 'XX', organization: 'Test Org', commonName: 'Test CA' });
    expect(c.notBefore.toISOString()).toBe('2021-06-15T12:30:45.000Z');
    expect(c.notAfter.toISOString()).toBe('2060-01-02T03:04:05.000Z');
    expect(c.policies).toEqual([OID_POLICY.dpTls]);
    expect(c.keyUsage).toEqual(['digitalSignature']);
    expect(c.extKeyUsage).toEqual([OID_EKU.serverAuth, OID_EKU.clientAuth]);
    expect(c.sanDnsNames).toEqual(['smdp.example']);
    expect(c.sanRegisteredIds).toEqual(['2.999.10']);
    expect(c.isCa).toBe(false);
    expect(toHex(c.authorityKeyId!)).toBe(toHex(caParsed.subjectKeyId!));
    // RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits.
    const sha1 = crypto.createHash('sha1').update(leafKey.publicKey).digest();
    expect(toHex(c.subjectKeyId!)).toBe(toHex(new Uint8Array(sha1)));
    expect(verifyCertificateSignature(c, ca.key.publicKey, curve)).toBe(true);
    expect(verifyCertificateSignature(c, leafKey.publicKey, curve)).toBe(false);
  });

  it('parses the self-signed CA', () => {
    expect(caParsed.isCa).toBe(true);
    expect(caParsed.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect(caParsed.authorityKeyId).toBeUndefined();
    expect(caParsed.notAfter.toISOString()).toBe('2099-12-31T23:59:59.000Z');
    expect(verifyCertificateSignature(caParsed, ca.key.publicKey, curve)).toBe(true);
  });
});

describe('buildCertificate details', () => {
  const ca = makeCa('P-256', 'details');

  it('writes pathLen and EUM name constraints (SGP.26 style) that Node reads', () => {
    const key = generateKeyPair('P-256', seededRng('eum'));
    const der = buildCertificate(
      {
        serialNumber: 5n,
        subject: { organization: 'EUM Org', commonName: 'EUM' },
        publicKey: key.publicKey,
        curve: 'P-256',
        notBefore: new Date('2020-01-01T00:00:00Z'),
        notAfter: new Date('2049-12-31T23:59:59Z'),
        isCa: true,
        pathLen: 0,
        keyUsage: ['keyCertSign'],
        policies: [OID_POLICY.eum],
        permittedEidPrefixes: ['89049032', '89033'],
      },
      { key: ca.key, subjectRaw: parseCertificate(ca.der).subjectRaw },
    );
    const c = parseCertificate(der);
    expect(c.pathLen).toBe(0);
    expect(c.permittedEidPrefixes).toEqual(['89049032', '89033']);
    const x = new crypto.X509Certificate(der);
    expect(x.ca).toBe(true);
    expect(x.verify(new crypto.X509Certificate(ca.der).publicKey)).toBe(true);
  });

  it('writes and reads the permittedEins extension (2.23.146.1.2.2.0)', () => {
    const key = generateKeyPair('P-256', seededRng('eum-eins'));
    const der = buildCertificate(
      {
        serialNumber: 6n,
        subject: { commonName: 'EUM' },
        publicKey: key.publicKey,
        curve: 'P-256',
        notBefore: new Date('2020-01-01T00:00:00Z'),
        notAfter: new Date('2049-12-31T23:59:59Z'),
        isCa: true,
        keyUsage: ['keyCertSign'],
        policies: [OID_POLICY.eum],
        permittedEidPrefixes: ['89049032'],
        eidRangeEncoding: 'permittedEins',
      },
      { key: ca.key },
    );
    // extnValue = SEQUENCE { PrintableString "89049032" } (SGP.22 §4.5.2.1.0.2).
    expect(toHex(der)).toContain(
      '060767811201020200' + '040C' + '300A' + '1308' + '3839303439303332',
    );
    expect(parseCertificate(der).permittedEidPrefixes).toEqual(['89049032']);
    expect(new crypto.X509Certificate(der).ca).toBe(true);
  });

  it('rejects a public key that is not on the curve', () => {
    const bad = Uint8Array.from(ca.key.publicKey);
    bad[64]! ^= 1;
    const e = certError(() =>
      buildCertificate(
        {
          serialNumber: 1n,
          subject: {},
          publicKey: bad,
          curve: 'P-256',
          notBefore: new Date(0),
          notAfter: new Date(1e12),
          isCa: false,
          keyUsage: [],
          policies: [],
        },
        { key: ca.key },
      ),
    );
    expect(e.reason).toBe('badKey');
  });
});

describe('parseCertificate errors', () => {
  const { der } = makeCa('P-256', 'errors');

  it('rejects truncation and trailing bytes as malformed', () => {
    expect(certError(() => parseCertificate(der.subarray(0, der.length - 1))).reason).toBe(
      'malformed',
    );
    const longer = new Uint8Array(der.length + 1);
    longer.set(der);
    expect(certError(() => parseCertificate(longer)).reason).toBe('malformed');
    expect(certError(() => parseCertificate(fromHex('3000'))).reason).toBe('malformed');
  });

  it('rejects other signature algorithms and curves', () => {
    // ecdsa-with-SHA256 -> ecdsa-with-SHA384 (RFC 5758) in both AlgorithmIdentifiers.
    const sha384 = replaceAll(der, '2A8648CE3D040302', '2A8648CE3D040303');
    expect(certError(() => parseCertificate(sha384)).reason).toBe('unsupportedAlgorithm');
    // Only the outer one: the two AlgorithmIdentifiers disagree.
    const hex = toHex(der);
    const last = hex.lastIndexOf('2A8648CE3D040302');
    const outer = fromHex(hex.slice(0, last) + '2A8648CE3D040303' + hex.slice(last + 16));
    expect(certError(() => parseCertificate(outer)).reason).toBe('malformed');
    // prime256v1 -> secp256k1-length-different; use an unknown 8-byte OID 1.2.840.10045.3.1.6.
    const otherCurve = replaceAll(der, '2A8648CE3D030107', '2A8648CE3D030106');
    expect(certError(() => parseCertificate(otherCurve)).reason).toBe('unsupportedCurve');
  });

  it('a tampered TBS no longer verifies', () => {
    const c = parseCertificate(der);
    const tampered = replaceAll(
      der,
      toHex(new TextEncoder().encode('Test CA')),
      toHex(new TextEncoder().encode('Test CB')),
    );
    const t = parseCertificate(tampered);
    expect(t.subject.commonName).toBe('Test CB');
    expect(verifyCertificateSignature(t, c.publicKey, 'P-256')).toBe(false);
    expect(verifyCertificateSignature(c, c.publicKey, 'brainpoolP256r1')).toBe(false);
  });
});
