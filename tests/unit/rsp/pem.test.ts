import * as crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codec/index.ts';
import {
  CertificateError,
  certificateToPem,
  encodePkcs8PrivateKey,
  encodePublicKey,
  encodeSec1PrivateKey,
  generateKeyPair,
  parsePrivateKey,
  parsePublicKey,
  pemDecode,
  pemEncode,
  privateKeyToPem,
  seededRng,
  type CurveName,
} from '../../../src/rsp/index.ts';

const NODE_CURVE: Record<CurveName, string> = {
  'P-256': 'prime256v1',
  brainpoolP256r1: 'brainpoolP256r1',
};

function certError(fn: () => unknown): CertificateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CertificateError) return e;
    throw e;
  }
  throw new Error('expected a CertificateError');
}

describe('PEM armour (RFC 7468)', () => {
  it('round-trips any bytes and label', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('CERTIFICATE', 'EC PRIVATE KEY', 'PRIVATE KEY', 'PUBLIC KEY'),
        (der, label) => {
          const text = pemEncode(label, der);
          for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(64);
          const blocks = pemDecode(text);
          expect(blocks.length).toBe(1);
          expect(blocks[0]!.label).toBe(label);
          expect(toHex(blocks[0]!.der)).toBe(toHex(der));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('reads several blocks with surrounding text and CRLF', () => {
    const text =
      'intro\r\n' +
      certificateToPem(Uint8Array.of(1, 2)).replace(/\n/g, '\r\n') +
      pemEncode('X', Uint8Array.of(3));
    const blocks = pemDecode(text);
    expect(blocks.map((b) => b.label)).toEqual(['CERTIFICATE', 'X']);
    expect(toHex(blocks[0]!.der)).toBe('0102');
  });

  it('rejects mismatched labels and bad base64', () => {
    expect(certError(() => pemDecode('-----BEGIN A-----\nAQI=\n-----END B-----')).reason).toBe(
      'badPem',
    );
    expect(certError(() => pemDecode('-----BEGIN A-----\nA*I=\n-----END A-----')).reason).toBe(
      'badPem',
    );
  });
});

describe.each(['P-256', 'brainpoolP256r1'] as const)('EC keys on %s', (curve) => {
  it('reads Node SEC 1 and PKCS#8 exports, DER and PEM', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', {
      namedCurve: NODE_CURVE[curve],
    });
    const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
    const point = toHex(spki.subarray(spki.length - 65));
    for (const type of ['sec1', 'pkcs8'] as const) {
      const pem = privateKey.export({ format: 'pem', type }) as string;
      const der = new Uint8Array(privateKey.export({ format: 'der', type }));
      expect(parsePrivateKey(pem).curve).toBe(curve);
      expect(toHex(parsePrivateKey(pem).publicKey)).toBe(point);
      expect(toHex(parsePrivateKey(der).publicKey)).toBe(point);
    }
    const pub = parsePublicKey(publicKey.export({ format: 'pem', type: 'spki' }));
    expect(pub.curve).toBe(curve);
    expect(toHex(pub.publicKey)).toBe(point);
  });

  it('writes SEC 1, PKCS#8 and SPKI that Node reads back identically', () => {
    const key = generateKeyPair(curve, seededRng(`pem-${curve}`));
    const fromPem = crypto.createPrivateKey(privateKeyToPem(key));
    const fromSec1 = crypto.createPrivateKey({
      key: Buffer.from(encodeSec1PrivateKey(key)),
      format: 'der',
      type: 'sec1',
    });
    const fromPkcs8 = crypto.createPrivateKey({
      key: Buffer.from(encodePkcs8PrivateKey(key)),
      format: 'der',
      type: 'pkcs8',
    });
    const expected = new Uint8Array(
      crypto
        .createPublicKey({
          key: Buffer.from(encodePublicKey(curve, key.publicKey)),
          format: 'der',
          type: 'spki',
        })
        .export({ format: 'der', type: 'spki' }),
    );
    for (const k of [fromPem, fromSec1, fromPkcs8]) {
      const spki = new Uint8Array(
        crypto.createPublicKey(k).export({ format: 'der', type: 'spki' }),
      );
      expect(toHex(spki)).toBe(toHex(expected));
      expect(toHex(spki.subarray(spki.length - 65))).toBe(toHex(key.publicKey));
    }
    expect(toHex(parsePrivateKey(privateKeyToPem(key)).privateKey)).toBe(toHex(key.privateKey));
  });
});

describe('key parsing errors', () => {
  it('rejects an embedded public key that does not match', () => {
    const a = generateKeyPair('P-256', seededRng('a'));
    const b = generateKeyPair('P-256', seededRng('b'));
    const der = encodeSec1PrivateKey({ ...a, publicKey: b.publicKey });
    expect(certError(() => parsePrivateKey(der)).reason).toBe('badKey');
  });

  it('rejects non-EC keys and missing blocks', () => {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    expect(certError(() => parsePrivateKey(pem)).reason).toBe('unsupportedAlgorithm');
    expect(certError(() => parsePrivateKey('no pem here')).reason).toBe('badPem');
    expect(certError(() => parsePrivateKey(Uint8Array.of(0x30, 0x00))).reason).toBe('malformed');
  });
});
