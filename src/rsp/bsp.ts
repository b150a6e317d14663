/**
 * Bound Profile Package protection: SCP03t as profiled by SGP.22 §2.6.4.3-2.6.4.4 (docs/protocol.md §7.6).
 *
 * One session holds S-ENC, S-MAC, the MAC chaining value (MCV) and the block counter. Every
 * protected TLV (tags 86, 87 encrypted+MACed, 88 MAC only) advances both, in order, so the
 * sender and the receiver must process the same TLVs in the same order: reordering or dropping
 * a segment breaks the MAC chain.
 */
import { unsafe } from '@noble/ciphers/aes.js';
import {
  bytesEqual,
  children,
  decodeOne,
  encodeHeader,
  encodeLength,
  encodeTlv,
  required,
  TlvError,
  type Tlv,
} from '../codec/index.ts';
import { BspError } from './errors.ts';

/** Session keys and the initial MAC chaining value (all 16 bytes for AES-128). */
export interface BspKeys {
  sEnc: Uint8Array;
  sMac: Uint8Array;
  initialMcv: Uint8Array;
}

export type BspEncryptedTag = 0x86 | 0x87;
export type BspTag = BspEncryptedTag | 0x88;

/** Largest protected TLV (tag + length + payload + MAC) the eUICC accepts (SGP.22 §2.5.5). */
export const MAX_BSP_TLV_SIZE = 1020;
const MAC_LENGTH = 8;
const BLOCK = 16;

function checkKey(name: string, key: Uint8Array): void {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32)
    throw new BspError('structure', `${name} must be an AES key (16, 24 or 32 bytes)`);
}

function pad80(data: Uint8Array): Uint8Array {
  // ISO/IEC 9797-1 method 2: always at least one byte of padding (docs/protocol.md §7.6).
  const out = new Uint8Array((Math.floor(data.length / BLOCK) + 1) * BLOCK);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/** The length before the `80 00..` padding of out[offset, offset + length). */
function unpaddedLength(out: Uint8Array, offset: number, length: number): number {
  for (let i = offset + length - 1; i >= offset; i--) {
    const b = out[i]!;
    if (b === 0x80) return i - offset;
    if (b !== 0x00) break;
  }
  throw new BspError('padding', 'bad 80 00.. padding after decryption');
}

function counterBlock(counter: number): Uint8Array {
  const out = new Uint8Array(BLOCK);
  let c = counter;
  for (let i = BLOCK - 1; i >= 0 && c > 0; i--) {
    out[i] = c & 0xff;
    c = Math.floor(c / 256);
  }
  return out;
}

/** Size of the complete TLV for a payload of `payloadLength` bytes plus the 8-byte MAC. */
function tlvSize(payloadLength: number): number {
  return 1 + encodeLength(payloadLength + MAC_LENGTH).length + payloadLength + MAC_LENGTH;
}

function encryptedLength(plaintextLength: number): number {
  return (Math.floor(plaintextLength / BLOCK) + 1) * BLOCK;
}

/**
 * Largest plaintext that fits one protected TLV of at most `maxTlvSize` bytes:
 * 1007 for 86/87 and 1008 for 88 with the default 1020.
 */
export function maxPlaintext(tag: BspTag, maxTlvSize: number = MAX_BSP_TLV_SIZE): number {
  const size = (p: number): number => tlvSize(tag === 0x88 ? p : encryptedLength(p));
  let best = -1;
  // Sizes grow monotonically with p; a linear scan down from an upper bound is cheap and exact.
  for (let p = maxTlvSize; p >= 0; p--) {
    if (size(p) <= maxTlvSize) {
      best = p;
      break;
    }
  }
  if (best < 1) throw new BspError('structure', `maxTlvSize ${maxTlvSize} is too small`);
  return best;
}

/** AES on 32-bit little-endian words with expanded keys kept for the whole session. */
const aes = unsafe;

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Puts 32-bit words in the little-endian order noble's AES rounds read (a no-op on LE hosts). */
function swapIfBigEndian(w: Uint32Array, words: number): void {
  if (LITTLE_ENDIAN) return;
  for (let i = 0; i < words; i++) {
    const x = w[i]!;
    w[i] = ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
  }
}

function words(b: Uint8Array): Uint32Array {
  return new Uint32Array(b.buffer, b.byteOffset, b.length >>> 2);
}

/** CMAC subkey doubling in GF(2^128) (RFC 4493 §2.3). */
function double(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) out[i] = ((block[i]! << 1) | ((block[i + 1] ?? 0) >>> 7)) & 0xff;
  if ((block[0]! & 0x80) !== 0) out[BLOCK - 1]! ^= 0x87;
  return out;
}

/**
 * The AES contexts of one SCP03t session: S-ENC expanded once for encryption and once for
 * decryption, S-MAC expanded once with its CMAC subkeys, and one working buffer reused for
 * every TLV (grown only for a longer one), so a TLV costs no allocation besides its output.
 */
class Scp03tCipher {
  readonly #enc: Uint32Array;
  readonly #dec: Uint32Array;
  readonly #mac: Uint32Array;
  readonly #k1: Uint32Array;
  readonly #k2: Uint32Array;
  #work = new Uint8Array(MAX_BSP_TLV_SIZE + 2 * BLOCK);
  #work32 = words(this.#work);

  constructor(sEnc: Uint8Array, sMac: Uint8Array) {
    this.#enc = aes.expandKeyLE(Uint8Array.from(sEnc));
    this.#dec = aes.expandKeyDecLE(Uint8Array.from(sEnc));
    this.#mac = aes.expandKeyLE(Uint8Array.from(sMac));
    const l = aes.encrypt(this.#mac, 0, 0, 0, 0);
    const lBytes = new Uint8Array(Uint32Array.of(l.s0, l.s1, l.s2, l.s3).buffer);
    swapIfBigEndian(words(lBytes), 4);
    const k1 = double(lBytes);
    const k2 = double(k1);
    this.#k1 = words(k1);
    this.#k2 = words(k2);
    swapIfBigEndian(this.#k1, 4);
    swapIfBigEndian(this.#k2, 4);
  }

  /** The working buffer with room for `length` bytes rounded up to whole blocks. */
  #room(length: number): Uint32Array {
    const need = (Math.floor(length / BLOCK) + 1) * BLOCK;
    if (this.#work.length < need) {
      this.#work = new Uint8Array(need);
      this.#work32 = words(this.#work);
    }
    return this.#work32;
  }

  /** IV = AES-ECB(S-ENC, counter as a 16-byte big-endian block), SCP03 (GPC Amd D §6.2.6). */
  #iv(counter: number): { s0: number; s1: number; s2: number; s3: number } {
    const block = counterBlock(counter);
    const w = words(block);
    swapIfBigEndian(w, 4);
    return aes.encrypt(this.#enc, w[0]!, w[1]!, w[2]!, w[3]!);
  }

  /** AES-CBC encryption of pad80(data), in place in the new output buffer. */
  encrypt(data: Uint8Array, counter: number): Uint8Array {
    const out = pad80(data);
    const w = words(out);
    swapIfBigEndian(w, w.length);
    let { s0, s1, s2, s3 } = this.#iv(counter);
    for (let i = 0; i < w.length; i += 4) {
      ({ s0, s1, s2, s3 } = aes.encrypt(
        this.#enc,
        w[i]! ^ s0,
        w[i + 1]! ^ s1,
        w[i + 2]! ^ s2,
        w[i + 3]! ^ s3,
      ));
      w[i] = s0;
      w[i + 1] = s1;
      w[i + 2] = s2;
      w[i + 3] = s3;
    }
    swapIfBigEndian(w, w.length);
    return out;
  }

  /** AES-CBC decryption of `data` (whole blocks) into `out` at `offset`. */
  decryptInto(data: Uint8Array, counter: number, out: Uint8Array, offset: number): void {
    const w = this.#room(data.length);
    this.#work.set(data);
    const n = data.length >>> 2;
    swapIfBigEndian(w, n);
    let { s0: p0, s1: p1, s2: p2, s3: p3 } = this.#iv(counter);
    for (let i = 0; i < n; i += 4) {
      const c0 = w[i]!;
      const c1 = w[i + 1]!;
      const c2 = w[i + 2]!;
      const c3 = w[i + 3]!;
      const p = aes.decrypt(this.#dec, c0, c1, c2, c3);
      w[i] = p.s0 ^ p0;
      w[i + 1] = p.s1 ^ p1;
      w[i + 2] = p.s2 ^ p2;
      w[i + 3] = p.s3 ^ p3;
      p0 = c0;
      p1 = c1;
      p2 = c2;
      p3 = c3;
    }
    swapIfBigEndian(w, n);
    out.set(this.#work.subarray(0, data.length), offset);
  }

  /** AES-CMAC (RFC 4493) over first || second || third. */
  cmac(first: Uint8Array, second: Uint8Array, third: Uint8Array): Uint8Array {
    const total = first.length + second.length + third.length;
    const w = this.#room(total);
    const buf = this.#work;
    buf.set(first, 0);
    buf.set(second, first.length);
    buf.set(third, first.length + second.length);
    const blocks = Math.max(1, Math.ceil(total / BLOCK));
    const lastLength = total - (blocks - 1) * BLOCK;
    // The last block: complete, xor K1; else padded with 80 00.., xor K2.
    if (lastLength < BLOCK) {
      buf[total] = 0x80;
      buf.fill(0, total + 1, blocks * BLOCK);
    }
    swapIfBigEndian(w, blocks * 4);
    const sub = lastLength === BLOCK ? this.#k1 : this.#k2;
    const last = (blocks - 1) * 4;
    for (let j = 0; j < 4; j++) w[last + j]! ^= sub[j]!;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < blocks * 4; i += 4) {
      ({ s0, s1, s2, s3 } = aes.encrypt(
        this.#mac,
        s0 ^ w[i]!,
        s1 ^ w[i + 1]!,
        s2 ^ w[i + 2]!,
        s3 ^ w[i + 3]!,
      ));
    }
    const tag = Uint32Array.of(s0, s1, s2, s3);
    swapIfBigEndian(tag, 4);
    return new Uint8Array(tag.buffer);
  }
}

/** A protected TLV whose MAC matched: its tag, payload and the MCV it leads to. */
interface Checked {
  tag: BspTag;
  payload: Uint8Array;
  mcv: Uint8Array;
}

/** An SCP03t session: one MCV chain and one block counter shared by 86, 87 and 88 TLVs. */
export class BspSession {
  readonly #cipher: Scp03tCipher;
  #mcv: Uint8Array;
  #counter = 1;

  constructor(keys: BspKeys) {
    checkKey('S-ENC', keys.sEnc);
    checkKey('S-MAC', keys.sMac);
    if (keys.initialMcv.length !== BLOCK)
      throw new BspError('structure', 'initial MAC chaining value must be 16 bytes');
    this.#cipher = new Scp03tCipher(keys.sEnc, keys.sMac);
    this.#mcv = Uint8Array.from(keys.initialMcv);
  }

  /** The current block counter (starts at 1; advanced by every protected TLV). */
  get counter(): number {
    return this.#counter;
  }

  /** Encrypts then MACs `plaintext` into one `86` or `87` TLV. */
  protect(tag: BspEncryptedTag, plaintext: Uint8Array): Uint8Array {
    if (tag !== 0x86 && tag !== 0x87) throw new BspError('structure', 'protect() takes tag 86/87');
    const ciphertext = this.#cipher.encrypt(plaintext, this.#counter);
    return this.#seal(tag, ciphertext);
  }

  /** MACs `plaintext` into one `88` TLV (the counter still advances, docs/protocol.md §7.6). */
  macOnly(tag: 0x88, plaintext: Uint8Array): Uint8Array {
    if (tag !== 0x88) throw new BspError('structure', 'macOnly() takes tag 88');
    return this.#seal(tag, plaintext);
  }

  /**
   * Verifies one protected TLV against the MAC chain, then decrypts it (86/87) or returns its
   * payload (88). On any error the session state is left unchanged.
   */
  unprotect(tlvBytes: Uint8Array): Uint8Array {
    const checked = this.#check(tlvBytes);
    const out = new Uint8Array(checked.payload.length);
    return out.subarray(0, this.#open(checked, out, 0));
  }

  /**
   * unprotect() for consecutive TLVs in order; the plaintexts are written once, straight into
   * one buffer. A failing TLV throws; the ones before it stay consumed.
   */
  unprotectAll(tlvs: readonly Uint8Array[]): Uint8Array {
    let room = 0;
    for (const t of tlvs) room += t.length; // a payload is never longer than its TLV
    const out = new Uint8Array(room);
    let at = 0;
    for (const t of tlvs) at += this.#open(this.#check(t), out, at);
    return out.subarray(0, at);
  }

  /** Writes the plaintext of a checked TLV at `offset`, then advances the chain and counter. */
  #open(c: Checked, out: Uint8Array, offset: number): number {
    let length: number;
    if (c.tag === 0x88) {
      out.set(c.payload, offset);
      length = c.payload.length;
    } else {
      this.#cipher.decryptInto(c.payload, this.#counter, out, offset);
      length = unpaddedLength(out, offset, c.payload.length);
    }
    this.#mcv = c.mcv;
    this.#counter++;
    return length;
  }

  #seal(tag: BspTag, payload: Uint8Array): Uint8Array {
    // C-MAC = AES-CMAC(S-MAC, MCV || tag || length || payload); the length covers the 8 MAC bytes.
    const header = encodeHeader(tag, payload.length + MAC_LENGTH);
    const mcv = this.#cipher.cmac(this.#mcv, header, payload);
    const tlv = new Uint8Array(header.length + payload.length + MAC_LENGTH);
    tlv.set(header, 0);
    tlv.set(payload, header.length);
    tlv.set(mcv.subarray(0, MAC_LENGTH), header.length + payload.length);
    this.#mcv = mcv;
    this.#counter++;
    return tlv;
  }

  /** Parses the TLV and checks its MAC; nothing changes yet. */
  #check(tlvBytes: Uint8Array): Checked {
    let tlv: Tlv;
    try {
      tlv = decodeOne(tlvBytes);
    } catch (e) {
      throw new BspError('structure', `not one TLV: ${(e as Error).message}`);
    }
    const tag = tlv.tag;
    if (tag !== 0x86 && tag !== 0x87 && tag !== 0x88)
      throw new BspError('structure', `tag ${tag.toString(16)} is not 86, 87 or 88`);
    if (tlv.value.length < MAC_LENGTH) throw new BspError('structure', 'shorter than the MAC');
    const payload = tlv.value.subarray(0, tlv.value.length - MAC_LENGTH);
    const received = tlv.value.subarray(tlv.value.length - MAC_LENGTH);
    const header = encodeHeader(tag, payload.length + MAC_LENGTH);
    const mcv = this.#cipher.cmac(this.#mcv, header, payload);
    if (!bytesEqual(mcv.subarray(0, MAC_LENGTH), received))
      throw new BspError('mac', 'MAC does not match the chaining value');
    if (tag !== 0x88 && (payload.length === 0 || payload.length % BLOCK !== 0))
      throw new BspError('structure', 'ciphertext is not a whole number of AES blocks');
    return { tag, payload, mcv };
  }
}
/**
 * Protects a plaintext stream as consecutive TLVs, each at most `maxTlvSize` bytes in total.
 * An empty plaintext yields one TLV with an empty payload.
 */
export function protectSegments(
  session: BspSession,
  tag: BspTag,
  plaintext: Uint8Array,
  maxTlvSize: number = MAX_BSP_TLV_SIZE,
): Uint8Array[] {
  const chunk = maxPlaintext(tag, maxTlvSize);
  const out: Uint8Array[] = [];
  let offset = 0;
  do {
    const part = plaintext.subarray(offset, offset + chunk);
    out.push(tag === 0x88 ? session.macOnly(0x88, part) : session.protect(tag, part));
    offset += chunk;
  } while (offset < plaintext.length);
  return out;
}

/** Unprotects consecutive TLVs and concatenates their plaintexts. */
export function unprotectSegments(session: BspSession, tlvs: readonly Uint8Array[]): Uint8Array {
  return session.unprotectAll(tlvs);
}

/** ReplaceSessionKeysRequest `BF26` { 80 initialMacChainingValue, 81 ppkEnc, 82 ppkCmac }. */
export function encodeReplaceSessionKeys(keys: BspKeys): Uint8Array {
  return encodeTlv(
    0xbf26,
    encodeTlv(0x80, keys.initialMcv),
    encodeTlv(0x81, keys.sEnc),
    encodeTlv(0x82, keys.sMac),
  );
}

/** Parses a ReplaceSessionKeysRequest (`BF26`); throws BspError('structure') if malformed. */
export function parseReplaceSessionKeys(bytes: Uint8Array): BspKeys {
  try {
    const top = decodeOne(bytes, 0xbf26);
    const list = children(top);
    const keys = {
      initialMcv: Uint8Array.from(required(list, 0x80, top).value),
      sEnc: Uint8Array.from(required(list, 0x81, top).value),
      sMac: Uint8Array.from(required(list, 0x82, top).value),
    };
    checkKey('ppkEnc', keys.sEnc);
    checkKey('ppkCmac', keys.sMac);
    if (keys.initialMcv.length !== BLOCK)
      throw new BspError('structure', 'initialMacChainingValue must be 16 bytes');
    return keys;
  } catch (e) {
    if (e instanceof BspError) throw e;
    if (e instanceof TlvError) throw new BspError('structure', `bad BF26: ${e.message}`);
    throw e;
  }
}
