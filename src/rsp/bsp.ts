/**
 * Bound Profile Package protection: SCP03t as profiled by SGP.22 §2.6.4.3-2.6.4.4 (docs/protocol.md §7.6).
 *
 * One session holds S-ENC, S-MAC, the MAC chaining value (MCV) and the block counter. Every
 * protected TLV (tags 86, 87 encrypted+MACed, 88 MAC only) advances both, in order, so the
 * sender and the receiver must process the same TLVs in the same order: reordering or dropping
 * a segment breaks the MAC chain.
 */
import { cbc, cmac, ecb } from '@noble/ciphers/aes.js';
import {
  bytesEqual,
  children,
  concat,
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

function unpad80(data: Uint8Array): Uint8Array | undefined {
  for (let i = data.length - 1; i >= 0; i--) {
    const b = data[i]!;
    if (b === 0x80) return data.subarray(0, i);
    if (b !== 0x00) return undefined;
  }
  return undefined;
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

/** An SCP03t session: one MCV chain and one block counter shared by 86, 87 and 88 TLVs. */
export class BspSession {
  readonly #sEnc: Uint8Array;
  readonly #sMac: Uint8Array;
  #mcv: Uint8Array;
  #counter = 1;

  constructor(keys: BspKeys) {
    checkKey('S-ENC', keys.sEnc);
    checkKey('S-MAC', keys.sMac);
    if (keys.initialMcv.length !== BLOCK)
      throw new BspError('structure', 'initial MAC chaining value must be 16 bytes');
    this.#sEnc = Uint8Array.from(keys.sEnc);
    this.#sMac = Uint8Array.from(keys.sMac);
    this.#mcv = Uint8Array.from(keys.initialMcv);
  }

  /** The current block counter (starts at 1; advanced by every protected TLV). */
  get counter(): number {
    return this.#counter;
  }

  /** Encrypts then MACs `plaintext` into one `86` or `87` TLV. */
  protect(tag: BspEncryptedTag, plaintext: Uint8Array): Uint8Array {
    if (tag !== 0x86 && tag !== 0x87) throw new BspError('structure', 'protect() takes tag 86/87');
    const ciphertext = this.#crypt(plaintext, true, this.#counter);
    const { tlv, mcv } = this.#mac(tag, ciphertext);
    this.#mcv = mcv;
    this.#counter++;
    return tlv;
  }

  /** MACs `plaintext` into one `88` TLV (the counter still advances, docs/protocol.md §7.6). */
  macOnly(tag: 0x88, plaintext: Uint8Array): Uint8Array {
    if (tag !== 0x88) throw new BspError('structure', 'macOnly() takes tag 88');
    const { tlv, mcv } = this.#mac(tag, plaintext);
    this.#mcv = mcv;
    this.#counter++;
    return tlv;
  }

  /**
   * Verifies one protected TLV against the MAC chain, then decrypts it (86/87) or returns its
   * payload (88). On any error the session state is left unchanged.
   */
  unprotect(tlvBytes: Uint8Array): Uint8Array {
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
    const { mcv } = this.#mac(tag, payload);
    if (!bytesEqual(mcv.subarray(0, MAC_LENGTH), received))
      throw new BspError('mac', 'MAC does not match the chaining value');
    let out: Uint8Array;
    if (tag === 0x88) {
      out = Uint8Array.from(payload);
    } else {
      if (payload.length === 0 || payload.length % BLOCK !== 0)
        throw new BspError('structure', 'ciphertext is not a whole number of AES blocks');
      out = this.#crypt(payload, false, this.#counter);
    }
    this.#mcv = mcv;
    this.#counter++;
    return out;
  }

  #crypt(data: Uint8Array, encrypt: boolean, counter: number): Uint8Array {
    // IV = AES-ECB(S-ENC, counter as a 16-byte big-endian block), SCP03 (GPC Amd D §6.2.6).
    const iv = ecb(this.#sEnc, { disablePadding: true }).encrypt(counterBlock(counter));
    const cipher = cbc(this.#sEnc, iv, { disablePadding: true });
    if (encrypt) return cipher.encrypt(pad80(data));
    const padded = cipher.decrypt(data);
    const plain = unpad80(padded);
    if (!plain) throw new BspError('padding', 'bad 80 00.. padding after decryption');
    return Uint8Array.from(plain);
  }

  #mac(tag: BspTag, payload: Uint8Array): { tlv: Uint8Array; mcv: Uint8Array } {
    // C-MAC = AES-CMAC(S-MAC, MCV || tag || length || payload); the length covers the 8 MAC bytes.
    const header = encodeHeader(tag, payload.length + MAC_LENGTH);
    const mcv = cmac(concat(this.#mcv, header, payload), this.#sMac);
    return { tlv: concat(header, payload, mcv.subarray(0, MAC_LENGTH)), mcv };
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
  return concat(...tlvs.map((t) => session.unprotect(t)));
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
