/**
 * Elliptic-curve primitives for RSP (SGP.22 §2.6.7, docs/protocol.md §7.2-7.4): key pairs on NIST P-256 and
 * brainpoolP256r1, ECDSA with SHA-256 in the BSI TR-03111 plain format (64-byte r||s), ECKA-DH
 * (shared secret = x-coordinate) and public-key validation.
 *
 * Engines. @noble/curves does everything, on every platform. On P-256, signature verification
 * and ECKA-DH run on the platform's native code where it is available: the synchronous
 * functions use Node's crypto module (OpenSSL) when the runtime offers it synchronously
 * (`process.getBuiltinModule`), and the `...Async` variants use WebCrypto (`crypto.subtle`), as
 * browsers and Node provide it. brainpoolP256r1 (not in WebCrypto) always uses noble. Signing
 * keeps RFC 6979 deterministic nonces on every engine: with Node's crypto only the point
 * multiplications (k * G, d * G) run natively, so signatures are byte for byte noble's. `setNobleOnly(true)` (or WEBLPA_CRYPTO=noble in the
 * environment) forces noble everywhere, for tests and benchmarks.
 */
import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { brainpoolP256r1 } from '@noble/curves/misc.js';
import { p256 } from '@noble/curves/nist.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64 } from '../codec/index.ts';
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

// ---------------------------------------------------------------- engines

/** The part of Node's crypto module used here (typed locally: this layer also runs in browsers). */
interface NodeEcCrypto {
  createPublicKey(options: { key: JsonWebKey; format: 'jwk' }): object;
  verify(
    algorithm: string,
    data: Uint8Array,
    key: { key: object; dsaEncoding: 'ieee-p1363' },
    signature: Uint8Array,
  ): boolean;
  createECDH(curve: string): {
    setPrivateKey(key: Uint8Array): void;
    getPublicKey(): Uint8Array;
    computeSecret(peer: Uint8Array): Uint8Array;
  };
}

interface MaybeNodeProcess {
  process?: {
    env?: Record<string, string | undefined>;
    getBuiltinModule?: (id: string) => unknown;
  };
}

const host = globalThis as MaybeNodeProcess;
let nobleOnly = host.process?.env?.['WEBLPA_CRYPTO'] === 'noble';
let nodeCryptoCache: NodeEcCrypto | null | undefined;

/** Forces @noble/curves for every operation (true) or lets P-256 use native code (false). */
export function setNobleOnly(on: boolean): void {
  nobleOnly = on;
}

/** The engine the synchronous functions use for P-256 verification and ECKA-DH. */
export function syncEngine(curve: CurveName): 'node' | 'noble' {
  return nodeEc(curve) ? 'node' : 'noble';
}

/** The engine the `...Async` functions use for P-256 verification and ECKA-DH. */
export function asyncEngine(curve: CurveName): 'webcrypto' | 'noble' {
  return subtle(curve) ? 'webcrypto' : 'noble';
}

function nodeEc(curve: CurveName): NodeEcCrypto | undefined {
  if (nobleOnly || curve !== 'P-256') return undefined;
  if (nodeCryptoCache === undefined) {
    let found: NodeEcCrypto | null = null;
    try {
      const m = host.process?.getBuiltinModule?.('node:crypto') as
        Partial<NodeEcCrypto> | undefined;
      if (m && typeof m.verify === 'function' && typeof m.createECDH === 'function')
        found = m as NodeEcCrypto;
    } catch {
      found = null;
    }
    nodeCryptoCache = found;
  }
  return nodeCryptoCache ?? undefined;
}

function subtle(curve: CurveName): SubtleCrypto | undefined {
  if (nobleOnly || curve !== 'P-256') return undefined;
  const s = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  return s && typeof s.verify === 'function' ? s : undefined;
}

function base64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The P-256 public key as a JWK (x and y from the 65-byte uncompressed point). */
function publicJwk(point: Uint8Array): JsonWebKey {
  return {
    kty: 'EC',
    crv: 'P-256',
    x: base64Url(point.subarray(1, 33)),
    y: base64Url(point.subarray(33, 65)),
  };
}

/** Imported public keys by point (hex), bounded: the same few server keys recur. */
const KEY_CACHE_LIMIT = 64;
const nodeKeys = new Map<string, object>();
const subtleKeys = new Map<string, Promise<CryptoKey>>();

function pointId(point: Uint8Array): string {
  let s = '';
  for (const b of point) s += b.toString(16).padStart(2, '0');
  return s;
}

function remember<V>(map: Map<string, V>, id: string, make: () => V): V {
  const hit = map.get(id);
  if (hit !== undefined) {
    map.delete(id);
    map.set(id, hit);
    return hit;
  }
  const v = make();
  map.set(id, v);
  if (map.size > KEY_CACHE_LIMIT) map.delete(map.keys().next().value!);
  return v;
}

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
  const node = nodeEc(curve);
  return {
    curve,
    privateKey: Uint8Array.from(privateKey),
    publicKey: node ? nativeBaseMultiply(node, privateKey) : c.getPublicKey(privateKey, false),
  };
}

/**
 * ECDSA over SHA-256(message), returned as the 64-byte r||s plain format of BSI TR-03111 §4.2.1
 * (the value of `5F37` in SGP.22 signed objects, docs/protocol.md §7.2). Nonces are RFC 6979 deterministic.
 */
export function signTr03111(key: EcKeyPair, message: Uint8Array): Uint8Array {
  const node = nodeEc(key.curve);
  if (node) return signP256Rfc6979(node, key.privateKey, message);
  return impl(key.curve).sign(message, key.privateKey, { prehash: true, format: 'compact' });
}

/** d * G as a 65-byte uncompressed point, by Node's crypto (P-256 only). */
function nativeBaseMultiply(node: NodeEcCrypto, scalar: Uint8Array): Uint8Array {
  const ecdh = node.createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  return Uint8Array.from(ecdh.getPublicKey());
}

/**
 * ECDSA P-256 with SHA-256 and the deterministic nonce of RFC 6979 §3.2 (HMAC-SHA-256 DRBG),
 * low-S form (s <= n/2) as noble signs: the same bytes as the noble path, with k * G computed
 * by Node's crypto.
 */
function signP256Rfc6979(node: NodeEcCrypto, d: Uint8Array, message: Uint8Array): Uint8Array {
  const Fn = p256.Point.Fn;
  const n = Fn.ORDER;
  const z = bytesToBigint(sha256(message)); // bits2int: the hash is exactly 256 bits
  const h = bigintTo32(z % n); // bits2octets
  const dn = bytesToBigint(d);
  let v = new Uint8Array(32).fill(1);
  let k = new Uint8Array(32);
  k = hmac(sha256, k, concatBytes(v, [0x00], d, h));
  v = hmac(sha256, k, v);
  k = hmac(sha256, k, concatBytes(v, [0x01], d, h));
  v = hmac(sha256, k, v);
  // Each candidate fails with probability about 2^-32; the bound only guards against a bug.
  for (let attempt = 0; attempt < 64; attempt++) {
    v = hmac(sha256, k, v);
    const nonce = bytesToBigint(v);
    if (nonce >= 1n && nonce < n) {
      const point = nativeBaseMultiply(node, v);
      const r = bytesToBigint(point.subarray(1, 33)) % n;
      if (r !== 0n) {
        let sig = Fn.mul(Fn.inv(nonce), Fn.add(Fn.create(z), Fn.mul(r, dn)));
        if (sig !== 0n) {
          if (sig > n >> 1n) sig = n - sig;
          const out = new Uint8Array(64);
          out.set(bigintTo32(r), 0);
          out.set(bigintTo32(sig), 32);
          return out;
        }
      }
    }
    k = hmac(sha256, k, concatBytes(v, [0x00]));
    v = hmac(sha256, k, v);
  }
  throw new RspCryptoError('badInput', 'no usable ECDSA nonce');
}

function concatBytes(...parts: (Uint8Array | readonly number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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
    const node = nodeEc(curve);
    if (node) {
      const key = remember(nodeKeys, pointId(publicKey), () =>
        node.createPublicKey({ key: publicJwk(publicKey), format: 'jwk' }),
      );
      return node.verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
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
  const node = nodeEc(key.curve);
  if (node) {
    const ecdh = node.createECDH('prime256v1');
    ecdh.setPrivateKey(key.privateKey);
    return Uint8Array.from(ecdh.computeSecret(peerPublicKey));
  }
  const shared = impl(key.curve).getSharedSecret(key.privateKey, peerPublicKey, true);
  return shared.slice(1);
}

/**
 * verifyTr03111 through WebCrypto on P-256 where the platform has it (noble otherwise and for
 * brainpoolP256r1). Same answers: false, never a rejection, on malformed input.
 */
export async function verifyTr03111Async(
  curve: CurveName,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const s = subtle(curve);
  if (!s) return verifyTr03111(curve, publicKey, message, signature);
  try {
    if (signature.length !== 64 || !validatePublicKey(curve, publicKey)) return false;
    const key = await remember(subtleKeys, pointId(publicKey), () =>
      s.importKey(
        'raw',
        Uint8Array.from(publicKey),
        { name: 'ECDSA', namedCurve: 'P-256' },
        false,
        ['verify'],
      ),
    );
    return await s.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      Uint8Array.from(signature),
      Uint8Array.from(message),
    );
  } catch {
    return false;
  }
}

/** ecka through WebCrypto on P-256 where the platform has it (noble otherwise). */
export async function eckaAsync(key: EcKeyPair, peerPublicKey: Uint8Array): Promise<Uint8Array> {
  const s = subtle(key.curve);
  if (!s) return ecka(key, peerPublicKey);
  if (!validatePublicKey(key.curve, peerPublicKey))
    throw new RspCryptoError('invalidPoint', `peer key is not a valid ${key.curve} point`);
  const algorithm = { name: 'ECDH', namedCurve: 'P-256' };
  const [privateKey, publicKey] = await Promise.all([
    s.importKey(
      'jwk',
      { ...publicJwk(key.publicKey), d: base64Url(key.privateKey) },
      algorithm,
      false,
      ['deriveBits'],
    ),
    s.importKey('raw', Uint8Array.from(peerPublicKey), algorithm, false, []),
  ]);
  const bits = await s.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  return new Uint8Array(bits);
}
