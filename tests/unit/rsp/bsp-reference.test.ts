/**
 * SCP03t with one AES context per session against a plain reference built from noble's
 * AES-CBC, AES-ECB and AES-CMAC (SGP.22 §2.6.4.3-2.6.4.4): same TLVs, same MAC chain, for
 * every key length and payload sizes around block and segment boundaries.
 */
import { cbc, cmac, ecb } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import { concat, encodeHeader, toHex } from '../../../src/codec/index.ts';
import {
  BspSession,
  protectSegments,
  seededRng,
  unprotectSegments,
  type BspKeys,
} from '../../../src/rsp/index.ts';

/** The reference sender: a fresh cipher for every block of work, concatenations everywhere. */
class Reference {
  #mcv: Uint8Array;
  #counter = 1;
  constructor(private readonly keys: BspKeys) {
    this.#mcv = keys.initialMcv;
  }
  #mac(tag: number, payload: Uint8Array): Uint8Array {
    const header = encodeHeader(tag, payload.length + 8);
    const mcv = cmac(concat(this.#mcv, header, payload), this.keys.sMac);
    this.#mcv = mcv;
    this.#counter++;
    return concat(header, payload, mcv.subarray(0, 8));
  }
  protect(tag: number, plaintext: Uint8Array): Uint8Array {
    const counter = new Uint8Array(16);
    counter[15] = this.#counter & 0xff;
    counter[14] = (this.#counter >> 8) & 0xff;
    const iv = ecb(this.keys.sEnc, { disablePadding: true }).encrypt(counter);
    const padded = new Uint8Array((Math.floor(plaintext.length / 16) + 1) * 16);
    padded.set(plaintext);
    padded[plaintext.length] = 0x80;
    const ct = cbc(this.keys.sEnc, iv, { disablePadding: true }).encrypt(padded);
    return this.#mac(tag, ct);
  }
  macOnly(plaintext: Uint8Array): Uint8Array {
    return this.#mac(0x88, plaintext);
  }
}

describe.each([16, 24, 32])('AES-%i keys', (keyLength) => {
  const rng = seededRng(`bsp-reference-${keyLength}`);
  const keys: BspKeys = { sEnc: rng(keyLength), sMac: rng(keyLength), initialMcv: rng(16) };
  const sizes = [0, 1, 15, 16, 17, 31, 32, 33, 100, 1007, 1008, 1009, 2100];

  it('protect and macOnly give the reference TLVs, and unprotect reads them back', () => {
    const ours = new BspSession(keys);
    const ref = new Reference(keys);
    const receiver = new BspSession(keys);
    for (const size of sizes) {
      const plain = rng(size);
      const tlv86 = ours.protect(0x86, plain);
      expect(toHex(tlv86)).toBe(toHex(ref.protect(0x86, plain)));
      expect(toHex(receiver.unprotect(tlv86))).toBe(toHex(plain));
      const tlv88 = ours.macOnly(0x88, plain);
      expect(toHex(tlv88)).toBe(toHex(ref.macOnly(plain)));
      expect(toHex(receiver.unprotect(tlv88))).toBe(toHex(plain));
    }
  });

  it('unprotectSegments of a long stream equals its plaintext, with 86, 87 and 88 mixed', () => {
    const sender = new BspSession(keys);
    const receiver = new BspSession(keys);
    const a = rng(5000);
    const b = rng(3000);
    const c = rng(777);
    const tlvs = [
      ...protectSegments(sender, 0x87, a),
      ...protectSegments(sender, 0x88, b),
      ...protectSegments(sender, 0x86, c),
    ];
    expect(toHex(unprotectSegments(receiver, tlvs))).toBe(toHex(concat(a, b, c)));
    expect(receiver.counter).toBe(sender.counter);
  });
});
