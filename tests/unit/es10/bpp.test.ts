import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import {
  Es10FormatError,
  loadBoundProfilePackage,
  segmentBoundProfilePackage,
} from '../../../src/es10/index.ts';
import type { LoadProgress } from '../../../src/es10/index.ts';
import { ScriptedLink, tlv } from './scripted-link.ts';

// A BPP built by hand with the structure of docs/protocol.md §5.2 (contents are placeholders: the
// cut depends on the TLV structure only). The 86 segments are large enough to need long-form
// lengths, so header slicing is exercised.
const bf23 = tlv(
  'BF23',
  '820101',
  tlv('80', '0102'),
  tlv('A6', '800188', '810110', tlv('84', '00'.repeat(8))),
  tlv('5F49', '04' + '11'.repeat(64)),
  tlv('5F37', '22'.repeat(64)),
);
const a0 = tlv('A0', tlv('87', 'AA'.repeat(24)));
const m1 = tlv('88', 'B1'.repeat(300));
const m2 = tlv('88', 'B2'.repeat(40));
const a1 = tlv('A1', m1, m2);
const a2 = tlv('A2', tlv('87', 'CC'.repeat(56)));
const s1 = tlv('86', 'D1'.repeat(1012));
const s2 = tlv('86', 'D2'.repeat(500));
const s3 = tlv('86', 'D3'.repeat(24));
const a3 = tlv('A3', s1, s2, s3);

function headerOf(hex: string): string {
  const full = fromHex(hex);
  const lenByte = full[hex.startsWith('BF') ? 2 : 1]!;
  const hdr = (hex.startsWith('BF') ? 2 : 1) + 1 + (lenByte & 0x80 ? lenByte & 0x7f : 0);
  return toHex(full.subarray(0, hdr));
}

describe('BPP segmentation (docs/protocol.md §5.3)', () => {
  it('cuts a BPP with ReplaceSessionKeys into the exact list of ES10 payloads', () => {
    const bpp = tlv('BF36', bf23, a0, a1, a2, a3);
    const calls = segmentBoundProfilePackage(fromHex(bpp)).map(toHex);
    expect(calls).toEqual([
      headerOf(bpp) + bf23,
      a0,
      headerOf(a1),
      m1,
      m2,
      a2,
      headerOf(a3),
      s1,
      s2,
      s3,
    ]);
    // Sanity on the fixture itself: the BF36 header is 'BF36 82 xxxx', A1 is 'A1 82 ...'.
    expect(calls[0]!.slice(0, 6)).toBe('BF3682');
    expect(calls[2]!.slice(0, 4)).toBe('A182');
    // Nothing lost or duplicated: the payloads concatenate back to the BPP.
    expect(calls.join('')).toBe(bpp);
  });

  it('cuts a BPP without A2', () => {
    const bpp = tlv('BF36', bf23, a0, tlv('A1', m2), tlv('A3', s3));
    expect(segmentBoundProfilePackage(fromHex(bpp)).map(toHex)).toEqual([
      headerOf(bpp) + bf23,
      a0,
      'A12A', // 2 + 40 bytes of the one 88
      m2,
      'A31A',
      s3,
    ]);
  });

  it.each([
    ['not a BF36', tlv('BF37', '00')],
    ['truncated', tlv('BF36', bf23, a0).slice(0, -4)],
    ['missing A0', tlv('BF36', bf23, a1, a3)],
    ['wrong order', tlv('BF36', a0, bf23, a1, a3)],
    ['no A3', tlv('BF36', bf23, a0, a1)],
    ['86 inside A1', tlv('BF36', bf23, a0, tlv('A1', s3), a3)],
    ['88 inside A3', tlv('BF36', bf23, a0, a1, tlv('A3', m2))],
    ['empty A3', tlv('BF36', bf23, a0, a1, 'A300')],
    ['trailing element', tlv('BF36', bf23, a0, a1, a3, a2)],
  ])('rejects a malformed BPP: %s', (_name, hex) => {
    expect(() => segmentBoundProfilePackage(fromHex(hex))).toThrow(Es10FormatError);
  });
});

const pirOk = tlv(
  'BF37',
  tlv(
    'BF27',
    '800101',
    tlv('BF2F', '800101', '81020780', tlv('0C', '6470')),
    tlv(
      'A2',
      tlv(
        'A0',
        tlv('4F', 'A0000005591010FFFFFFFF8900001000'),
        tlv('04', '3007A00530038001' + '00'),
      ),
    ),
  ),
  tlv('5F37', '00'.repeat(64)),
);
const pirErr = tlv(
  'BF37',
  tlv(
    'BF27',
    '800101',
    tlv('BF2F', '800101', '81020780', tlv('0C', '6470')),
    tlv('A2', tlv('A1', '800102', '810108')),
  ),
  tlv('5F37', '00'.repeat(64)),
);

describe('loadBoundProfilePackage', () => {
  const bpp = tlv('BF36', bf23, a0, a1, a2, a3);
  const calls = segmentBoundProfilePackage(fromHex(bpp)).map(toHex);

  it('sends every payload, reports progress by bytes, and returns the final BF37', async () => {
    const link = new ScriptedLink(
      calls.map((c, i) => [c, i === calls.length - 1 ? pirOk : ''] as const),
    );
    const progress: LoadProgress[] = [];
    const r = await loadBoundProfilePackage(link, fromHex(bpp), {
      onProgress: (p) => progress.push(p),
    });
    link.assertDone();
    expect(r.result.finalResult.ok).toBe(true);
    expect(toHex(r.raw)).toBe(pirOk);
    expect(r.callsSent).toBe(calls.length);
    expect(progress.map((p) => p.bytesSent)).toEqual(
      calls.map((_, i) => calls.slice(0, i + 1).join('').length / 2),
    );
    expect(progress.at(-1)).toMatchObject({
      bytesSent: bpp.length / 2,
      bytesTotal: bpp.length / 2,
    });
  });

  it('stops at the first response carrying BF37 (an early error)', async () => {
    const link = new ScriptedLink([
      [calls[0]!, ''],
      [calls[1]!, ''],
      [calls[2]!, ''],
      [calls[3]!, pirErr],
    ]);
    const r = await loadBoundProfilePackage(link, fromHex(bpp));
    link.assertDone();
    expect(r.callsSent).toBe(4);
    expect(r.result.finalResult).toMatchObject({
      ok: false,
      bppCommandName: 'storeMetadata',
      errorReasonName: 'scp03tSecurityError',
    });
  });

  it('fails with Es10FormatError when no BF37 comes back or a response is not BF37', async () => {
    const none = new ScriptedLink(calls.map((c) => [c, ''] as const));
    await expect(loadBoundProfilePackage(none, fromHex(bpp))).rejects.toThrow(
      /no ProfileInstallationResult/,
    );
    const odd = new ScriptedLink([[calls[0]!, '9F7001']]);
    await expect(loadBoundProfilePackage(odd, fromHex(bpp))).rejects.toThrow(Es10FormatError);
  });

  it('honours an aborted signal between calls', async () => {
    const ac = new AbortController();
    const link = new ScriptedLink([[calls[0]!, '']]);
    const p = loadBoundProfilePackage(link, fromHex(bpp), {
      signal: ac.signal,
      onProgress: () => {
        ac.abort(new Error('stop'));
      },
    });
    await expect(p).rejects.toThrow('stop');
    expect(link.sent).toHaveLength(1);
  });
});
