/**
 * Session-key derivation for the Bound Profile Package (SGP.22 §2.6.4.2 / docs/protocol.md §7.5):
 * ANSI X9.63 KDF with SHA-256 over the ECKA shared secret and a SharedInfo that binds the key
 * type, key length, host id and EID.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, uintToBytes } from '../codec/index.ts';
import { RspCryptoError } from './errors.ts';

export interface BspKeyParams {
  /** hostId from the InitialiseSecureChannel request (value of tag 84, 1..16 bytes). */
  hostId: Uint8Array;
  /** 16-byte EID (BCD as carried in 5A). */
  eid: Uint8Array;
  /** GlobalPlatform key type; 0x88 = AES (the only one used by SGP.22 v2). */
  keyType?: number;
  /** Key length in bytes; 16 = AES-128. */
  keyLength?: number;
}

export interface DerivedBspKeys {
  initialMcv: Uint8Array;
  sEnc: Uint8Array;
  sMac: Uint8Array;
}

/** ANSI X9.63 KDF (SEC 1 §3.6.1) with SHA-256. */
export function x963Kdf(z: Uint8Array, sharedInfo: Uint8Array, length: number): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (let i = 1, have = 0; have < length; i++, have += 32)
    blocks.push(sha256(concat(z, uintToBytes(i, 4), sharedInfo)));
  return concat(...blocks).slice(0, length);
}

/**
 * Derives initial MCV (16 bytes), S-ENC and S-MAC (keyLength bytes each), in that order, from the shared
 * secret `shs`. SharedInfo = keyType || keyLength || len(hostId) || hostId || len(EID) || EID.
 */
export function deriveBspKeys(shs: Uint8Array, params: BspKeyParams): DerivedBspKeys {
  const keyType = params.keyType ?? 0x88;
  const keyLength = params.keyLength ?? 16;
  const { hostId, eid } = params;
  if (eid.length !== 16) throw new RspCryptoError('badInput', 'EID must be 16 bytes');
  if (hostId.length < 1 || hostId.length > 255)
    throw new RspCryptoError('badInput', 'hostId must be 1..255 bytes');
  if (keyLength !== 16 && keyLength !== 24 && keyLength !== 32)
    throw new RspCryptoError('badInput', `unsupported key length ${keyLength}`);
  const si = concat(
    Uint8Array.of(keyType & 0xff, keyLength, hostId.length),
    hostId,
    Uint8Array.of(eid.length),
    eid,
  );
  // The MAC chaining value is always one AES block (16 bytes); the two keys follow it.
  const k = x963Kdf(shs, si, 16 + 2 * keyLength);
  return {
    initialMcv: k.slice(0, 16),
    sEnc: k.slice(16, 16 + keyLength),
    sMac: k.slice(16 + keyLength, 16 + 2 * keyLength),
  };
}
