import { describe, expect, it } from 'vitest';
import {
  encodeFrame,
  VPCD_MAX_MESSAGE,
  VpcdFrameDecoder,
  VpcdFrameError,
} from '../../../src/server/vpcd/framing.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('vpcd framing', () => {
  it('puts a 2-byte big-endian length in front', () => {
    expect(encodeFrame(bytes(4))).toEqual(bytes(0, 1, 4));
    const big = new Uint8Array(0x1234).fill(7);
    const f = encodeFrame(big);
    expect([f[0], f[1], f.length]).toEqual([0x12, 0x34, 0x1236]);
    expect(encodeFrame(new Uint8Array(0))).toEqual(bytes(0, 0));
  });

  it('refuses a message the length field cannot carry', () => {
    expect(encodeFrame(new Uint8Array(VPCD_MAX_MESSAGE)).length).toBe(VPCD_MAX_MESSAGE + 2);
    expect(() => encodeFrame(new Uint8Array(VPCD_MAX_MESSAGE + 1))).toThrow(VpcdFrameError);
  });

  it('splits a chunk holding several messages', () => {
    const d = new VpcdFrameDecoder();
    const stream = bytes(0, 1, 4, 0, 1, 1, 0, 4, 0x00, 0xa4, 0x04, 0x00, 0, 0);
    expect(d.push(stream)).toEqual([bytes(4), bytes(1), bytes(0x00, 0xa4, 0x04, 0x00), bytes()]);
    expect(d.buffered).toBe(0);
  });

  it('reassembles messages fed one byte at a time, the length split too', () => {
    const d = new VpcdFrameDecoder();
    const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const stream = new Uint8Array([...encodeFrame(payload), ...encodeFrame(bytes(2))]);
    const out: Uint8Array[] = [];
    for (const b of stream) out.push(...d.push(bytes(b)));
    expect(out).toEqual([payload, bytes(2)]);
    expect(d.buffered).toBe(0);
  });

  it('keeps only the incomplete tail and can drop it', () => {
    const d = new VpcdFrameDecoder();
    expect(d.push(bytes(0, 1, 4, 0, 5, 1, 2))).toEqual([bytes(4)]);
    expect(d.buffered).toBe(4);
    d.clear();
    expect(d.buffered).toBe(0);
    expect(d.push(bytes(0, 1, 0))).toEqual([bytes(0)]);
  });

  it('handles the largest message split across chunks', () => {
    const d = new VpcdFrameDecoder();
    const payload = new Uint8Array(VPCD_MAX_MESSAGE).fill(0x5a);
    const f = encodeFrame(payload);
    expect(d.push(f.subarray(0, 1000))).toEqual([]);
    expect(d.push(f.subarray(1000, 40_000))).toEqual([]);
    const [out, ...more] = d.push(f.subarray(40_000));
    expect(more).toEqual([]);
    expect(out && Buffer.from(out).equals(Buffer.from(payload))).toBe(true);
  });
});
