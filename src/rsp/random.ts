/**
 * Randomness sources. Everything that needs random bytes takes an `Rng`, so tests and the
 * reproducible test PKI can pass a seeded generator while production uses the system CSPRNG.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { concat, uintToBytes, utf8 } from '../codec/index.ts';

/** Returns `length` random bytes. */
export type Rng = (length: number) => Uint8Array;

/** The platform CSPRNG (crypto.getRandomValues, in browsers and Node). */
export const systemRng: Rng = (length) => randomBytes(length);

/**
 * A deterministic generator for tests and reproducible fixtures: SHA-256(seed || counter32) blocks,
 * consumed as one stream. Never use it for real keys.
 */
export function seededRng(seed: string | Uint8Array): Rng {
  const seedBytes = typeof seed === 'string' ? utf8.encode(seed) : Uint8Array.from(seed);
  let counter = 0;
  let pool: Uint8Array = new Uint8Array(0);
  return (length) => {
    if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`bad length ${length}`);
    while (pool.length < length) {
      pool = concat(pool, sha256(concat(seedBytes, uintToBytes(counter, 4))));
      counter++;
    }
    const out = pool.slice(0, length);
    pool = pool.slice(length);
    return out;
  };
}
