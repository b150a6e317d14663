/**
 * Elliptic-curve primitives for RSP (SGP.22 §2.6.7, docs/protocol.md §7.2-7.4): key pairs on NIST P-256 and
 * brainpoolP256r1, ECDSA with SHA-256 in the BSI TR-03111 plain format (64-byte r||s), ECKA-DH
 * (shared secret = x-coordinate) and public-key validation.
 */
import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { brainpoolP256r1 } from '@noble/curves/misc.js';
import { p256 } from '@noble/curves/nist.js';
import { systemRng, type Rng } from './random.ts';
import { RspCryptoError } from './errors.ts';

export type CurveName = 'P-256' | 'brainpoolP256r1';

export interface EcKeyPair {
  curve: CurveName;
  /** 32-byte big-endian scalar. */
  privateKey: Uint8Array;
  /** 65-byte uncompressed point 04||X||Y. */
  publicKey: Uint8Array;
}

/** Named-curve OIDs (RFC 5480 for P-256 / secp256r1; RFC 5639 for brainpoolP256r1). */
export const CURVE_OID: Record<CurveName, string> = {
  'P-256': '1.2.840.10045.3.1.7',
  brainpoolP256r1: '1.3.36.3.3.2.8.1.1.7',
};

export const CURVE_NAMES: readonly CurveName[] = ['P-256', 'brainpoolP256r1'];

const IMPL: Record<CurveName, ECDSA> = { 'P-256': p256, brainpoolP256r1 };

/** The curve whose named-curve OID is `oid`, or undefined. */
export function curveFromOid(oid: string): CurveName | undefined {
  return CURVE_NAMES.find((c) => CURVE_OID[c] === oid);
}

function impl(curve: CurveName): ECDSA {
  const c = (IMPL as Partial<Record<string, ECDSA>>)[curve];
  if (!c) throw new RspCryptoError('unsupportedCurve', `unknown curve ${curve}`);
  return c;
}

/** The group order n of `curve`. */
export function curveOrder(curve: CurveName): bigint {
  return impl(curve).Point.Fn.ORDER;
}

function bytesToBigint(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

function bigintTo32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let x = v;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/**
 * A fresh key pair. The scalar is drawn from `rng` as 40 bytes and reduced into [1, n-1]
 * (FIPS 186-5 A.2.1 "extra random bits" method: the 64 surplus bits make the bias negligible).
 */
export function generateKeyPair(curve: CurveName, rng: Rng = systemRng): EcKeyPair {
  const n = curveOrder(curve);
  const c = bytesToBigint(rng(40));
  const d = (c % (n - 1n)) + 1n;
  return keyPairFromPrivate(curve, bigintTo32(d));
}

/** The key pair for a 32-byte private scalar; throws RspCryptoError if it is not in [1, n-1]. */
export function keyPairFromPrivate(curve: CurveName, privateKey: Uint8Array): EcKeyPair {
  const c = impl(curve);
  if (privateKey.length !== 32 || !c.utils.isValidSecretKey(privateKey))
    throw new RspCryptoError('invalidPrivateKey', `not a valid ${curve} private key`);
  return {
    curve,
    privateKey: Uint8Array.from(privateKey),
    publicKey: c.getPublicKey(privateKey, false),
  };
}

/**
 * ECDSA over SHA-256(message), returned as the 64-byte r||s plain format of BSI TR-03111 §4.2.1
 * (the value of `5F37` in SGP.22 signed objects, docs/protocol.md §7.2). Nonces are RFC 6979 deterministic.
 */
export function signTr03111(key: EcKeyPair, message: Uint8Array): Uint8Array {
  return impl(key.curve).sign(message, key.privateKey, { prehash: true, format: 'compact' });
}

/**
 * Verifies a 64-byte r||s signature over SHA-256(message). Returns false (never throws) on a
 * malformed key or signature. High-S values are accepted: TR-03111 does not normalise s.
 */
export function verifyTr03111(
  curve: CurveName,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    if (signature.length !== 64 || !validatePublicKey(curve, publicKey)) return false;
    return impl(curve).verify(signature, message, publicKey, {
      prehash: true,
      lowS: false,
      format: 'compact',
    });
  } catch {
    return false;
  }
}

/** Verifies a DER ECDSA-Sig-Value (as in X.509 certificates) over SHA-256(message). Never throws. */
export function verifyDer(
  curve: CurveName,
  publicKey: Uint8Array,
  message: Uint8Array,
  derSignature: Uint8Array,
): boolean {
  try {
    const compact = derSignatureToTr03111(derSignature);
    return verifyTr03111(curve, publicKey, message, compact);
  } catch {
    return false;
  }
}

/** ECDSA over SHA-256(message) as a DER ECDSA-Sig-Value (for certificates). */
export function signDer(key: EcKeyPair, message: Uint8Array): Uint8Array {
  return tr03111ToDerSignature(signTr03111(key, message));
}

/** DER ECDSA-Sig-Value -> 64-byte r||s. Throws RspCryptoError on malformed input. */
export function derSignatureToTr03111(der: Uint8Array): Uint8Array {
  try {
    return p256.Signature.fromBytes(der, 'der').toBytes('compact');
  } catch (e) {
    throw new RspCryptoError('badInput', `bad DER signature: ${(e as Error).message}`);
  }
}

/** 64-byte r||s -> DER ECDSA-Sig-Value. */
export function tr03111ToDerSignature(rs: Uint8Array): Uint8Array {
  if (rs.length !== 64) throw new RspCryptoError('badInput', 'signature must be 64 bytes');
  try {
    return p256.Signature.fromBytes(rs, 'compact').toBytes('der');
  } catch (e) {
    throw new RspCryptoError('badInput', `bad signature: ${(e as Error).message}`);
  }
}

/** True when `bytes` is a 65-byte uncompressed point on `curve` (not the identity). */
export function validatePublicKey(curve: CurveName, bytes: Uint8Array): boolean {
  try {
    if (bytes.length !== 65 || bytes[0] !== 0x04) return false;
    const point = impl(curve).Point.fromBytes(bytes);
    point.assertValidity();
    return !point.is0();
  } catch {
    return false;
  }
}

/**
 * ECKA-DH (BSI TR-03111 §4.3.1, docs/protocol.md §7.4): the 32-byte x-coordinate of d * Q.
 * Throws RspCryptoError('invalidPoint') if the peer key is not a valid point on our curve.
 */
export function ecka(key: EcKeyPair, peerPublicKey: Uint8Array): Uint8Array {
  if (!validatePublicKey(key.curve, peerPublicKey))
    throw new RspCryptoError('invalidPoint', `peer key is not a valid ${key.curve} point`);
  const shared = impl(key.curve).getSharedSecret(key.privateKey, peerPublicKey, true);
  return shared.slice(1);
}
