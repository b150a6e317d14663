/**
 * The P-256 engines agree with @noble/curves: Node's crypto behind the synchronous functions,
 * WebCrypto behind the `...Async` ones, for valid, tampered and malformed input alike. Run by
 * noble-path.test.ts too, where every engine is noble.
 */
import { describe, expect, it } from 'vitest';
import { concat, toHex } from '../../../src/codec/index.ts';
import {
  curveOrder,
  ecka,
  eckaAsync,
  generateKeyPair,
  keyPairFromPrivate,
  RspCryptoError,
  seededRng,
  setNobleOnly,
  signTr03111,
  syncEngine,
  verifyTr03111,
  verifyTr03111Async,
  type CurveName,
} from '../../../src/rsp/index.ts';

const CURVES: readonly CurveName[] = ['P-256', 'brainpoolP256r1'];

/** Runs `f` on the noble engine, then puts the previous choice back. */
function onNoble<T>(f: () => T): T {
  const before = syncEngine('P-256') === 'noble';
  setNobleOnly(true);
  try {
    return f();
  } finally {
    setNobleOnly(before);
  }
}

function highS(curve: CurveName, sig: Uint8Array): Uint8Array {
  const n = curveOrder(curve);
  const s = BigInt('0x' + toHex(sig.subarray(32)));
  const high = (n - s).toString(16).padStart(64, '0');
  return concat(sig.subarray(0, 32), Uint8Array.from(Buffer.from(high, 'hex')));
}

describe('engine choice', () => {
  it('brainpoolP256r1 always runs on noble', () => {
    expect(syncEngine('brainpoolP256r1')).toBe('noble');
  });

  it('setNobleOnly forces noble on P-256', () => {
    expect(onNoble(() => syncEngine('P-256'))).toBe('noble');
  });
});

describe.each(CURVES)('%s: engines agree with noble', (curve) => {
  const rng = seededRng(`engines-${curve}`);
  const cases = Array.from({ length: 12 }, (_, i) => ({
    key: generateKeyPair(curve, rng),
    message: rng(i * 23),
  }));

  it('public keys and signatures are the same bytes', () => {
    for (const { key, message } of cases) {
      const nobleKey = onNoble(() => keyPairFromPrivate(curve, key.privateKey));
      expect(toHex(keyPairFromPrivate(curve, key.privateKey).publicKey)).toBe(
        toHex(nobleKey.publicKey),
      );
      const nobleSig = onNoble(() => signTr03111(key, message));
      expect(toHex(signTr03111(key, message))).toBe(toHex(nobleSig));
    }
  });

  it('verification answers the same, sync and async', async () => {
    for (const { key, message } of cases) {
      const sig = signTr03111(key, message);
      const tampered = Uint8Array.from(sig);
      tampered[10]! ^= 1;
      const inputs: [Uint8Array, Uint8Array, Uint8Array][] = [
        [key.publicKey, message, sig],
        [key.publicKey, message, highS(curve, sig)],
        [key.publicKey, concat(message, Uint8Array.of(0)), sig],
        [key.publicKey, message, tampered],
        [key.publicKey, message, sig.subarray(0, 63)],
        [key.publicKey, message, new Uint8Array(64)],
        [key.publicKey.subarray(1), message, sig],
        [new Uint8Array(65).fill(4), message, sig],
      ];
      for (const [pub, msg, s] of inputs) {
        const expected = onNoble(() => verifyTr03111(curve, pub, msg, s));
        expect(verifyTr03111(curve, pub, msg, s)).toBe(expected);
        expect(await verifyTr03111Async(curve, pub, msg, s)).toBe(expected);
      }
      expect(verifyTr03111(curve, key.publicKey, message, sig)).toBe(true);
      expect(verifyTr03111(curve, key.publicKey, message, tampered)).toBe(false);
    }
  });

  it('ECKA gives the same secret, sync and async, and refuses a bad point', async () => {
    const [a, b] = [cases[0]!.key, cases[1]!.key];
    const expected = onNoble(() => ecka(a, b.publicKey));
    expect(toHex(ecka(a, b.publicKey))).toBe(toHex(expected));
    expect(toHex(await eckaAsync(a, b.publicKey))).toBe(toHex(expected));
    expect(toHex(await eckaAsync(b, a.publicKey))).toBe(toHex(expected));
    const bad = Uint8Array.from(b.publicKey);
    bad[64]! ^= 1;
    expect(() => ecka(a, bad)).toThrow(RspCryptoError);
    await expect(eckaAsync(a, bad)).rejects.toThrow(RspCryptoError);
  });
});
