/**
 * A bounded memory of certificate signatures already found valid, keyed by SHA-256 over the
 * exact bytes checked (curve, issuer key, signed bytes, signature). The same certificates are
 * checked again and again (the eUICC's own chain each time its state is loaded, the SM-DP+'s
 * certificates at every download, the eUICC chains the SM-DP+ meets again); each distinct
 * (issuer key, certificate) pair costs one ECDSA verification per process. Only successes are
 * remembered: a failure is recomputed every time, and bytes that differ in any way (another
 * signature, another certificate body, another key) never hit an entry.
 */
import { sha256 } from '@noble/hashes/sha2.js';

/** Most entries kept; the least recently used one goes first. */
export const SIGNATURE_CACHE_LIMIT = 512;

const verified = new Map<string, true>();
let enabled = true;

/** Turns the cache on or off (off also empties it); benchmarks compare both. */
export function setSignatureCache(on: boolean): void {
  enabled = on;
  verified.clear();
}

export function clearSignatureCache(): void {
  verified.clear();
}

export function signatureCacheSize(): number {
  return verified.size;
}

function field(parts: number[], bytes: Uint8Array): void {
  const n = bytes.length;
  parts.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function cacheKey(
  curve: string,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): string {
  const name = new TextEncoder().encode(curve);
  const lengths: number[] = [];
  // Length-prefixed fields: no two different inputs share one byte string.
  for (const f of [name, publicKey, signature, message]) field(lengths, f);
  const hash = sha256
    .create()
    .update(Uint8Array.from(lengths))
    .update(name)
    .update(publicKey)
    .update(signature)
    .update(message)
    .digest();
  let id = '';
  for (const b of hash) id += b.toString(16).padStart(2, '0');
  return id;
}

/** `verify()`, or true without calling it when these exact bytes were verified before. */
export function verifyOnce(
  curve: string,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  verify: () => boolean,
): boolean {
  if (!enabled) return verify();
  const id = cacheKey(curve, publicKey, message, signature);
  if (verified.has(id)) {
    verified.delete(id);
    verified.set(id, true);
    return true;
  }
  if (!verify()) return false;
  verified.set(id, true);
  if (verified.size > SIGNATURE_CACHE_LIMIT) verified.delete(verified.keys().next().value!);
  return true;
}
