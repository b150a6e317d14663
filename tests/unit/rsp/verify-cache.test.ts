/**
 * The certificate signature cache: a success is remembered only for the exact bytes that were
 * verified, failures never, and the memory is bounded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  clearSignatureCache,
  generateTestPki,
  SIGNATURE_CACHE_LIMIT,
  signatureCacheSize,
  verifyCertificateSignature,
  verifyChain,
  verifyOnce,
  type Certificate,
} from '../../../src/rsp/index.ts';

const [pki] = generateTestPki({ curves: ['P-256'], seed: 'verify-cache' });
if (!pki) throw new Error('no PKI');
const [other] = generateTestPki({ curves: ['P-256'], seed: 'verify-cache-other' });
if (!other) throw new Error('no PKI');

afterEach(() => {
  clearSignatureCache();
});

function flipped(bytes: Uint8Array, at: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[at]! ^= 0x01;
  return out;
}

describe('verifyOnce', () => {
  const key = new Uint8Array(65).fill(4);
  const msg = (i: number): Uint8Array => Uint8Array.of(i & 0xff, i >> 8);
  const sig = new Uint8Array(64);

  it('answers a repeated success without verifying again', () => {
    let calls = 0;
    const verify = (): boolean => (calls++, true);
    expect(verifyOnce('P-256', key, msg(1), sig, verify)).toBe(true);
    expect(verifyOnce('P-256', key, msg(1), sig, verify)).toBe(true);
    expect(calls).toBe(1);
    // Any other byte, key, signature or curve is verified afresh.
    expect(verifyOnce('P-256', key, msg(2), sig, verify)).toBe(true);
    expect(verifyOnce('P-256', flipped(key, 5), msg(1), sig, verify)).toBe(true);
    expect(verifyOnce('P-256', key, msg(1), flipped(sig, 63), verify)).toBe(true);
    expect(verifyOnce('brainpoolP256r1', key, msg(1), sig, verify)).toBe(true);
    expect(calls).toBe(5);
  });

  it('never remembers a failure', () => {
    let calls = 0;
    const verify = (): boolean => (calls++, false);
    for (let i = 0; i < 3; i++) expect(verifyOnce('P-256', key, msg(1), sig, verify)).toBe(false);
    expect(calls).toBe(3);
    expect(signatureCacheSize()).toBe(0);
  });

  it('keeps at most SIGNATURE_CACHE_LIMIT entries, dropping the least recently used', () => {
    let calls = 0;
    const verify = (): boolean => (calls++, true);
    for (let i = 0; i < SIGNATURE_CACHE_LIMIT + 20; i++)
      verifyOnce('P-256', key, msg(i), sig, verify);
    expect(signatureCacheSize()).toBe(SIGNATURE_CACHE_LIMIT);
    calls = 0;
    verifyOnce('P-256', key, msg(0), sig, verify); // evicted: verified again
    verifyOnce('P-256', key, msg(SIGNATURE_CACHE_LIMIT + 19), sig, verify); // still there
    expect(calls).toBe(1);
  });
});

describe('certificate signatures', () => {
  const cert = pki.euicc.parsed;
  const eumKey = pki.eum.parsed.publicKey;

  it('a forged signature is refused after the genuine one was cached', () => {
    expect(verifyCertificateSignature(cert, eumKey, 'P-256')).toBe(true);
    expect(signatureCacheSize()).toBe(1);
    const forgedSig: Certificate = { ...cert, signatureValue: flipped(cert.signatureValue, 20) };
    const forgedBody: Certificate = { ...cert, tbsRaw: flipped(cert.tbsRaw, 40) };
    for (let i = 0; i < 2; i++) {
      expect(verifyCertificateSignature(forgedSig, eumKey, 'P-256')).toBe(false);
      expect(verifyCertificateSignature(forgedBody, eumKey, 'P-256')).toBe(false);
      expect(verifyCertificateSignature(cert, other.eum.parsed.publicKey, 'P-256')).toBe(false);
      // Another eUICC's genuine certificate body with this one's signature.
      const swapped: Certificate = { ...other.euicc.parsed, signatureValue: cert.signatureValue };
      expect(verifyCertificateSignature(swapped, eumKey, 'P-256')).toBe(false);
    }
    expect(verifyCertificateSignature(cert, eumKey, 'P-256')).toBe(true);
    expect(signatureCacheSize()).toBe(1);
  });

  it('a chain is still checked in full after the same chain passed', () => {
    const options = {
      leaf: cert,
      intermediates: [pki.eum.parsed],
      trusted: [pki.ci.parsed],
      role: 'euicc' as const,
    };
    expect(verifyChain(options).ok).toBe(true);
    expect(verifyChain(options).ok).toBe(true);
    const forgedEum: Certificate = {
      ...pki.eum.parsed,
      signatureValue: flipped(pki.eum.parsed.signatureValue, 12),
    };
    expect(verifyChain({ ...options, intermediates: [forgedEum] })).toMatchObject({
      ok: false,
      reason: 'badSignature',
    });
    const expiredCheck = verifyChain({ ...options, now: new Date('2200-01-01T00:00:00Z') });
    expect(expiredCheck).toMatchObject({ ok: false, reason: 'expired' });
  });
});
