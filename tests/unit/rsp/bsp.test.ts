import { cbc, cmac, ecb } from '@noble/ciphers/aes.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, decodeOne, encodeHeader, fromHex, toHex } from '../../../src/codec/index.ts';
import {
  BspError,
  BspSession,
  deriveBspKeys,
  encodeReplaceSessionKeys,
  maxPlaintext,
  parseReplaceSessionKeys,
  protectSegments,
  unprotectSegments,
  x963Kdf,
  type BspKeys,
} from '../../../src/rsp/index.ts';

// Vectors: docs/protocol.md §7.6 (from pySim tests/unittests/test_esim_bsp.py, reproduced independently).
const HOST_ID = new Uint8Array(8).fill(0x80);
const KEYS_2 = deriveBspKeys(
  fromHex('c9a993dd4879a8f7161f2085410edd4f9652f1df37be097ba96ba2ca6be528fe'),
  { hostId: HOST_ID, eid: fromHex('89049032123451234512345678901235') },
);

function bspError(fn: () => unknown): BspError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BspError) return e;
    throw e;
  }
  throw new Error('expected a BspError');
}

describe('deriveBspKeys (docs/protocol.md §7.5/§7.6 vectors)', () => {
  it('derives the first vector', () => {
    const k = deriveBspKeys(
      fromHex('8902dca391bbb22570fe60c176076246f568b1941265dff1d729e63039658089'),
      { hostId: HOST_ID, eid: fromHex('89049032123451234512345678901335'), keyType: 0x88 },
    );
    expect(toHex(k.sEnc)).toBe('D782D575B22A38334556A3D9A1E2AE6B');
    expect(toHex(k.sMac)).toBe('A35ADDC192AE8F934E2932116C7E89E7');
    expect(toHex(k.initialMcv)).toBe('734BC93DDB10C71C5AD13D420DC08B5B');
  });

  it('derives the second vector', () => {
    expect(toHex(KEYS_2.sEnc)).toBe('472F5BFADD97F21D34F3CE9B51B92751');
    expect(toHex(KEYS_2.sMac)).toBe('9EC07F5B36A13E12A991D66E294E6242');
    expect(toHex(KEYS_2.initialMcv)).toBe('406D507B448A699E7A36A38494DEBBDE');
  });

  it('binds the EID and host id', () => {
    const shs = new Uint8Array(32).fill(7);
    const eid = new Uint8Array(16).fill(0x89);
    const a = deriveBspKeys(shs, { hostId: HOST_ID, eid });
    const b = deriveBspKeys(shs, { hostId: HOST_ID, eid: eid.map((x, i) => (i === 15 ? 0 : x)) });
    const c = deriveBspKeys(shs, { hostId: Uint8Array.of(1), eid });
    expect(toHex(a.sEnc)).not.toBe(toHex(b.sEnc));
    expect(toHex(a.sEnc)).not.toBe(toHex(c.sEnc));
  });

  it('rejects an EID that is not 16 bytes', () => {
    expect(() =>
      deriveBspKeys(new Uint8Array(32), { hostId: HOST_ID, eid: new Uint8Array(10) }),
    ).toThrow(/EID/);
  });

  it('x963Kdf with SHA-256 matches an independent computation (SEC 1 §3.6.1)', async () => {
    const { createHash } = await import('node:crypto');
    const z = fromHex('00112233');
    const si = fromHex('aabb');
    const expected = concat(
      createHash('sha256')
        .update(concat(z, fromHex('00000001'), si))
        .digest(),
      createHash('sha256')
        .update(concat(z, fromHex('00000002'), si))
        .digest(),
    ).slice(0, 40);
    expect(toHex(x963Kdf(z, si, 40))).toBe(toHex(expected));
  });
});

describe('BspSession', () => {
  it('reproduces the 87 vector for BF2400 (docs/protocol.md §7.6)', () => {
    const s = new BspSession(KEYS_2);
    expect(toHex(s.protect(0x87, fromHex('BF2400')))).toBe(
      '8718F6FE031E4B9CFE87C8E1E62F3FDE85C49412D7722A6A2D89',
    );
    expect(s.counter).toBe(2);
  });

  it('unprotects the 87 vector', () => {
    const r = new BspSession(KEYS_2);
    const out = r.unprotect(fromHex('8718f6fe031e4b9cfe87c8e1e62f3fde85c49412d7722a6a2d89'));
    expect(toHex(out)).toBe('BF2400');
  });

  it('mixes 87, 88 and 86 on one chain and counter', () => {
    const tx = new BspSession(KEYS_2);
    const rx = new BspSession(KEYS_2);
    const a = tx.protect(0x87, fromHex('A000'));
    const b = tx.macOnly(0x88, fromHex('BF250401020304'));
    const c = tx.protect(0x86, fromHex('0102030405'));
    expect(b[0]).toBe(0x88);
    // 88 carries the payload in clear, followed by the 8-byte MAC.
    expect(toHex(b.subarray(2, 9))).toBe('BF250401020304');
    expect(tx.counter).toBe(4);
    expect(toHex(rx.unprotect(a))).toBe('A000');
    expect(toHex(rx.unprotect(b))).toBe('BF250401020304');
    expect(toHex(rx.unprotect(c))).toBe('0102030405');
  });

  it('the 88 MAC is AES-CMAC(S-MAC, MCV || header || payload) truncated to 8 bytes', () => {
    const payload = fromHex('010203');
    const tlv = new BspSession(KEYS_2).macOnly(0x88, payload);
    const header = encodeHeader(0x88, payload.length + 8);
    const mac = cmac(concat(KEYS_2.initialMcv, header, payload), KEYS_2.sMac).subarray(0, 8);
    expect(toHex(tlv)).toBe(toHex(concat(header, payload, mac)));
  });

  it('rejects a tampered byte with reason mac and keeps its state', () => {
    const tx = new BspSession(KEYS_2);
    const rx = new BspSession(KEYS_2);
    const tlv = tx.protect(0x86, new Uint8Array(40).fill(0x42));
    for (const index of [3, tlv.length - 1]) {
      const bad = Uint8Array.from(tlv);
      bad[index]! ^= 0x01;
      expect(bspError(() => rx.unprotect(bad)).reason).toBe('mac');
    }
    expect(rx.counter).toBe(1);
    expect(toHex(rx.unprotect(tlv))).toBe(toHex(new Uint8Array(40).fill(0x42)));
  });

  it('rejects reordered segments with reason mac', () => {
    const tx = new BspSession(KEYS_2);
    const segs = protectSegments(tx, 0x86, new Uint8Array(3000).fill(1));
    expect(segs.length).toBe(3);
    const rx = new BspSession(KEYS_2);
    expect(bspError(() => rx.unprotect(segs[1]!)).reason).toBe('mac');
  });

  it('rejects a segment replayed twice', () => {
    const tx = new BspSession(KEYS_2);
    const seg = tx.protect(0x86, fromHex('00'));
    const rx = new BspSession(KEYS_2);
    rx.unprotect(seg);
    expect(bspError(() => rx.unprotect(seg)).reason).toBe('mac');
  });

  it('reports structure errors', () => {
    const rx = new BspSession(KEYS_2);
    expect(bspError(() => rx.unprotect(fromHex('8703010203'))).reason).toBe('structure');
    expect(bspError(() => rx.unprotect(fromHex('8A0900000000000000000000'))).reason).toBe(
      'structure',
    );
    expect(bspError(() => rx.unprotect(fromHex('8710'))).reason).toBe('structure');
    expect(bspError(() => new BspSession({ ...KEYS_2, sEnc: new Uint8Array(5) })).reason).toBe(
      'structure',
    );
  });

  it('reports bad padding after a valid MAC, leaving the state unchanged', () => {
    // Ciphertext of a block without an 80 marker, correctly MACed: only the padding is wrong.
    const iv = ecb(KEYS_2.sEnc, { disablePadding: true }).encrypt(
      fromHex('00000000000000000000000000000001'),
    );
    const ct = cbc(KEYS_2.sEnc, iv, { disablePadding: true }).encrypt(new Uint8Array(16).fill(1));
    const header = encodeHeader(0x86, ct.length + 8);
    const mac = cmac(concat(KEYS_2.initialMcv, header, ct), KEYS_2.sMac).subarray(0, 8);
    const rx = new BspSession(KEYS_2);
    expect(bspError(() => rx.unprotect(concat(header, ct, mac))).reason).toBe('padding');
    expect(rx.counter).toBe(1);
  });
});

describe('segmentation (docs/protocol.md §7.6 sizes)', () => {
  it('max plaintext is 1007 for 86/87 and 1008 for 88', () => {
    expect(maxPlaintext(0x86)).toBe(1007);
    expect(maxPlaintext(0x87)).toBe(1007);
    expect(maxPlaintext(0x88)).toBe(1008);
  });

  it('a 1007-byte plaintext becomes one 1020-byte 86 82 03 F8 TLV', () => {
    const segs = protectSegments(new BspSession(KEYS_2), 0x86, new Uint8Array(1007));
    expect(segs.length).toBe(1);
    expect(segs[0]!.length).toBe(1020);
    expect(toHex(segs[0]!.subarray(0, 4))).toBe('868203F8');
  });

  it('a 1008-byte plaintext needs two encrypted segments but one 88', () => {
    expect(protectSegments(new BspSession(KEYS_2), 0x86, new Uint8Array(1008)).length).toBe(2);
    const macd = protectSegments(new BspSession(KEYS_2), 0x88, new Uint8Array(1008));
    expect(macd.length).toBe(1);
    expect(macd[0]!.length).toBe(1020);
  });

  it('every segment is at most 1020 bytes and the stream round-trips', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 4000 }),
        fc.constantFrom(0x86 as const, 0x87 as const, 0x88 as const),
        (data, tag) => {
          const segs = protectSegments(new BspSession(KEYS_2), tag, data);
          for (const s of segs) {
            expect(s.length).toBeLessThanOrEqual(1020);
            expect(decodeOne(s).tag).toBe(tag);
          }
          expect(toHex(unprotectSegments(new BspSession(KEYS_2), segs))).toBe(toHex(data));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('honours a smaller maximum TLV size', () => {
    const segs = protectSegments(new BspSession(KEYS_2), 0x87, new Uint8Array(500), 100);
    for (const s of segs) expect(s.length).toBeLessThanOrEqual(100);
  });
});

describe('ReplaceSessionKeysRequest BF26', () => {
  const ppk: BspKeys = {
    initialMcv: new Uint8Array(16).fill(1),
    sEnc: new Uint8Array(16).fill(2),
    sMac: new Uint8Array(16).fill(3),
  };

  it('encodes { 80 MCV, 81 ppkEnc, 82 ppkCmac } and parses back', () => {
    const der = encodeReplaceSessionKeys(ppk);
    expect(toHex(der)).toBe(
      'BF2636' + '8010' + '01'.repeat(16) + '8110' + '02'.repeat(16) + '8210' + '03'.repeat(16),
    );
    const back = parseReplaceSessionKeys(der);
    expect(toHex(back.sEnc)).toBe(toHex(ppk.sEnc));
    expect(toHex(back.sMac)).toBe(toHex(ppk.sMac));
    expect(toHex(back.initialMcv)).toBe(toHex(ppk.initialMcv));
  });

  it('rejects a request without ppkCmac or with a short key', () => {
    expect(bspError(() => parseReplaceSessionKeys(fromHex('BF26048001008100'))).reason).toBe(
      'structure',
    );
    const short = encodeReplaceSessionKeys({ ...ppk, sMac: new Uint8Array(4) });
    expect(bspError(() => parseReplaceSessionKeys(short)).reason).toBe('structure');
  });
});
