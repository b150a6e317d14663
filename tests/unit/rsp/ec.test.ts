import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concat, toHex } from '../../../src/codec/index.ts';
import {
  CURVE_OID,
  curveOrder,
  derSignatureToTr03111,
  ecka,
  generateKeyPair,
  keyPairFromPrivate,
  RspCryptoError,
  seededRng,
  signTr03111,
  tr03111ToDerSignature,
  validatePublicKey,
  verifyTr03111,
  type CurveName,
  type EcKeyPair,
} from '../../../src/rsp/index.ts';

const CURVES: readonly CurveName[] = ['P-256', 'brainpoolP256r1'];
const NODE_CURVE: Record<CurveName, string> = {
  'P-256': 'prime256v1',
  brainpoolP256r1: 'brainpoolP256r1',
};

/**
 * A key pair made by Node's crypto. The scalar and point are read at fixed offsets of Node's own
 * SEC 1 / SPKI export (30 LL 02 01 01 04 20 <d> ..., and the SPKI ends with the 65-byte point),
 * so the conversion does not use our parsers.
 */
function nodeKey(curve: CurveName): {
  ours: EcKeyPair;
  node: crypto.KeyObject;
  pub: crypto.KeyObject;
} {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', {
    namedCurve: NODE_CURVE[curve],
  });
  const sec1 = new Uint8Array(privateKey.export({ format: 'der', type: 'sec1' }));
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  expect(toHex(sec1.subarray(2, 7))).toBe('0201010420');
  const ours: EcKeyPair = {
    curve,
    privateKey: sec1.slice(7, 39),
    publicKey: spki.slice(spki.length - 65),
  };
  return { ours, node: privateKey, pub: publicKey };
}

function nodePublicKey(curve: CurveName, point: Uint8Array): crypto.KeyObject {
  // SubjectPublicKeyInfo assembled by Node from JWK coordinates.
  return crypto.createPublicKey({
    key: {
      kty: 'EC',
      crv: curve === 'P-256' ? 'P-256' : 'brainpoolP256r1',
      x: Buffer.from(point.subarray(1, 33)).toString('base64url'),
      y: Buffer.from(point.subarray(33)).toString('base64url'),
    },
    format: 'jwk',
  });
}

describe.each(CURVES)('%s', (curve) => {
  const message = new TextEncoder().encode('euiccSigned1 stand-in');

  it('keyPairFromPrivate derives the same public key as Node', () => {
    const { ours } = nodeKey(curve);
    expect(toHex(keyPairFromPrivate(curve, ours.privateKey).publicKey)).toBe(toHex(ours.publicKey));
  });

  it('verifies a TR-03111 signature made by Node (ieee-p1363)', () => {
    const { ours, node } = nodeKey(curve);
    const sig = crypto.sign('sha256', message, { key: node, dsaEncoding: 'ieee-p1363' });
    expect(sig.length).toBe(64);
    expect(verifyTr03111(curve, ours.publicKey, message, new Uint8Array(sig))).toBe(true);
    expect(verifyTr03111(curve, ours.publicKey, message.subarray(1), new Uint8Array(sig))).toBe(
      false,
    );
  });

  it('produces a signature Node verifies (ieee-p1363)', () => {
    const { ours, pub } = nodeKey(curve);
    const sig = signTr03111(ours, message);
    expect(sig.length).toBe(64);
    expect(crypto.verify('sha256', message, { key: pub, dsaEncoding: 'ieee-p1363' }, sig)).toBe(
      true,
    );
    expect(verifyTr03111(curve, ours.publicKey, message, sig)).toBe(true);
  });

  it('accepts a high-S signature (TR-03111 does not normalise s)', () => {
    const key = generateKeyPair(curve, seededRng('high-s'));
    const sig = signTr03111(key, message);
    const n = curveOrder(curve);
    const s = BigInt('0x' + toHex(sig.subarray(32)));
    const high = (n - s).toString(16).padStart(64, '0');
    const flipped = concat(sig.subarray(0, 32), Uint8Array.from(Buffer.from(high, 'hex')));
    expect(verifyTr03111(curve, key.publicKey, message, flipped)).toBe(true);
  });

  it('returns false, never throws, on malformed input', () => {
    const key = generateKeyPair(curve, seededRng('malformed'));
    const sig = signTr03111(key, message);
    expect(verifyTr03111(curve, key.publicKey, message, sig.subarray(0, 63))).toBe(false);
    expect(verifyTr03111(curve, key.publicKey, message, new Uint8Array(64))).toBe(false);
    expect(verifyTr03111(curve, key.publicKey.subarray(1), message, sig)).toBe(false);
    expect(verifyTr03111(curve, new Uint8Array(65).fill(4), message, sig)).toBe(false);
  });

  it('ECKA is symmetric and agrees with Node createECDH', () => {
    const a = generateKeyPair(curve, seededRng(`a-${curve}`));
    const b = generateKeyPair(curve, seededRng(`b-${curve}`));
    const ab = ecka(a, b.publicKey);
    expect(ab.length).toBe(32);
    expect(toHex(ecka(b, a.publicKey))).toBe(toHex(ab));
    const ecdh = crypto.createECDH(NODE_CURVE[curve]);
    ecdh.setPrivateKey(Buffer.from(a.privateKey));
    expect(toHex(new Uint8Array(ecdh.computeSecret(Buffer.from(b.publicKey))))).toBe(toHex(ab));
  });

  it('ECKA rejects a point that is not on the curve', () => {
    const a = generateKeyPair(curve, seededRng('ecka-bad'));
    const bad = Uint8Array.from(a.publicKey);
    bad[64]! ^= 1;
    expect(() => ecka(a, bad)).toThrow(RspCryptoError);
    try {
      ecka(a, bad);
    } catch (e) {
      expect((e as RspCryptoError).reason).toBe('invalidPoint');
    }
  });

  it('validatePublicKey accepts real points only', () => {
    const a = generateKeyPair(curve);
    expect(validatePublicKey(curve, a.publicKey)).toBe(true);
    expect(validatePublicKey(curve, a.publicKey.subarray(0, 33))).toBe(false);
    const other = curve === 'P-256' ? 'brainpoolP256r1' : 'P-256';
    expect(validatePublicKey(other, a.publicKey)).toBe(false);
  });

  it('seeded generation is reproducible and scalars are in [1, n-1]', () => {
    const a = generateKeyPair(curve, seededRng('same'));
    const b = generateKeyPair(curve, seededRng('same'));
    expect(toHex(a.privateKey)).toBe(toHex(b.privateKey));
    const zeroRng = (n: number): Uint8Array => new Uint8Array(n);
    const z = generateKeyPair(curve, zeroRng);
    expect(BigInt('0x' + toHex(z.privateKey))).toBe(1n);
    const ffRng = (n: number): Uint8Array => new Uint8Array(n).fill(0xff);
    const f = BigInt('0x' + toHex(generateKeyPair(curve, ffRng).privateKey));
    expect(f >= 1n && f < curveOrder(curve)).toBe(true);
  });

  it('keyPairFromPrivate rejects zero and out-of-range scalars', () => {
    expect(() => keyPairFromPrivate(curve, new Uint8Array(32))).toThrow(RspCryptoError);
    expect(() => keyPairFromPrivate(curve, new Uint8Array(32).fill(0xff))).toThrow(RspCryptoError);
    expect(() => keyPairFromPrivate(curve, new Uint8Array(31).fill(1))).toThrow(RspCryptoError);
  });
});

describe('signature formats', () => {
  it('DER <-> r||s conversion matches Node', () => {
    const { node, ours } = nodeKey('P-256');
    const msg = Uint8Array.of(1, 2, 3);
    const der = new Uint8Array(crypto.sign('sha256', msg, { key: node, dsaEncoding: 'der' }));
    const rs = derSignatureToTr03111(der);
    expect(verifyTr03111('P-256', ours.publicKey, msg, rs)).toBe(true);
    expect(toHex(tr03111ToDerSignature(rs))).toBe(toHex(der));
    expect(() => derSignatureToTr03111(Uint8Array.of(0x30, 0x01, 0x00))).toThrow(RspCryptoError);
  });

  it('curve OIDs are the RFC 5480 / RFC 5639 ones', () => {
    expect(CURVE_OID['P-256']).toBe('1.2.840.10045.3.1.7');
    expect(CURVE_OID.brainpoolP256r1).toBe('1.3.36.3.3.2.8.1.1.7');
  });

  it('a signature made on one curve does not verify on the other', () => {
    const k = generateKeyPair('P-256', seededRng('x'));
    const sig = signTr03111(k, Uint8Array.of(9));
    const pub = nodePublicKey('P-256', k.publicKey);
    expect(
      crypto.verify('sha256', Uint8Array.of(9), { key: pub, dsaEncoding: 'ieee-p1363' }, sig),
    ).toBe(true);
    expect(verifyTr03111('brainpoolP256r1', k.publicKey, Uint8Array.of(9), sig)).toBe(false);
  });
});

describe('seededRng', () => {
  it('is SHA-256(seed || counter32) as one stream', () => {
    const rng = seededRng('abc');
    const first = rng(10);
    const rest = rng(30);
    const expected = concat(
      crypto
        .createHash('sha256')
        .update('abc')
        .update(Buffer.from([0, 0, 0, 0]))
        .digest(),
      crypto
        .createHash('sha256')
        .update('abc')
        .update(Buffer.from([0, 0, 0, 1]))
        .digest(),
    );
    expect(toHex(concat(first, rest))).toBe(toHex(expected.subarray(0, 40)));
  });
});
