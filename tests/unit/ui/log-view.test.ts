import { describe, it, expect } from 'vitest';
import { fromHex, toHex, utf8 } from '../../../src/codec/index.ts';
import { decodeForView, treeToText } from '../../../src/ui/lib/tlv-view.ts';
import { maskText, maskTree, MASK } from '../../../src/ui/lib/mask.ts';
import { describeError } from '../../../src/ui/state/errors.ts';
import { eidManufacturer } from '../../../src/ui/lib/eid.ts';

describe('TLV view with SGP.22 names', () => {
  it('names ProfileInfo fields under E3 (SGP.22 v2.2.2 §5.7.15)', () => {
    // BF2D { A0 { E3 { 5A iccid, 9F70 01, 92 "Test" } } }: built by hand from the ProfileInfo definition
    // (E3 holds 12 + 4 + 6 = 22 = 0x16 bytes; A0 0x18; BF2D 0x1A).
    const bytes = fromHex('BF2D1AA018E3165A0A989910000000000011F19F700101920454657374');
    const tree = decodeForView(bytes)!;
    expect(tree[0]!.name).toBe('GetProfilesInfo');
    const text = treeToText(tree);
    expect(text).toContain('5A iccid');
    expect(text).toContain('9F70 profileState (1) 01');
    expect(text).toContain('92 profileName (4) "Test"');
  });

  it('returns undefined for bytes that are not TLV', () => {
    expect(decodeForView(fromHex('BF2D05A0'))).toBeUndefined();
    expect(decodeForView(new Uint8Array())).toBeUndefined();
  });
});

describe('masking secrets', () => {
  it('masks text and the hex of its UTF-8 bytes, any case', () => {
    const id = 'WEBLPA-PLAIN';
    const hex = toHex(utf8.encode(id));
    expect(maskText(`code LPA:1$x$${id} and ${hex.toLowerCase()}`, [id])).toBe(
      `code LPA:1$x$${MASK} and ${MASK}`,
    );
    expect(maskText('short', ['ab'])).toBe('short');
  });

  it('masks inside decoded trees (matchingId in ctxParams1)', () => {
    const tree = decodeForView(fromHex(`A00E800C${toHex(utf8.encode('WEBLPA-PLAIN'))}`))!;
    const masked = maskTree(tree, ['WEBLPA-PLAIN']);
    expect(treeToText(masked)).not.toContain('WEBLPA');
    expect(treeToText(masked)).toContain(MASK);
  });
});

describe('describeError', () => {
  const es9p = Object.assign(new Error('refused'), {
    name: 'Es9pError',
    subjectCode: '8.2.6',
    reasonCode: '3.8',
  });

  it('explains SM-DP+ codes through an LpaError cause, keeping the codes for experts', () => {
    const lpa = Object.assign(new Error('es9p failed', { cause: es9p }), {
      name: 'LpaError',
      reason: 'es9p',
    });
    const v = describeError(lpa);
    expect(v.title).toBe('The SM-DP+ refused');
    expect(v.detail).toMatch(/does not know this activation code/);
    expect(v.codes).toEqual(['LpaError es9p', 'Es9pError 8.2.6/3.8']);
  });

  it('names card status words and USB access problems', () => {
    const apdu = Object.assign(new Error('SW 6A82'), { name: 'ApduError', sw: 0x6a82 });
    expect(describeError(apdu).codes).toEqual(['ApduError SW 6A82']);
    const usb = Object.assign(new Error('blocked'), {
      name: 'UsbAccessError',
      reason: 'protectedClass',
    });
    expect(describeError(usb).advice).toMatch(/Isolated Web App/);
  });

  it('turns consent refusal and cancellation into plain outcomes', () => {
    expect(
      describeError(Object.assign(new Error('x'), { name: 'LpaError', reason: 'consentRefused' }))
        .title,
    ).toBe('Profile not installed');
    expect(describeError(new DOMException('stop', 'AbortError')).title).toBe('Cancelled');
    expect(describeError('weird').title).toBe('Something went wrong');
  });
});

describe('eidManufacturer', () => {
  it('names known prefixes and falls back to the country code', () => {
    expect(eidManufacturer('89049032123451234512345678901235')).toBe('Giesecke+Devrient');
    expect(eidManufacturer('89044999000000000000000000000000')).toMatch(/United Kingdom/);
    expect(eidManufacturer('89999999000000000000000000000000')).toBeUndefined();
  });
});
