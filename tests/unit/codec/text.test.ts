import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CodecError,
  bytesEqual,
  bytesToUint,
  concat,
  fromBase64,
  fromHex,
  toBase64,
  toHex,
  uintToBytes,
  utf8,
} from '../../../src/codec/index.ts';

function codecError(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodecError) return e;
    throw new Error(`expected a CodecError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a CodecError, nothing was thrown');
}

describe('hex', () => {
  it('encodes upper case and decodes either case, ignoring whitespace', () => {
    expect(toHex(Uint8Array.of(0x00, 0xab, 0xff))).toBe('00ABFF');
    expect(fromHex('00abFF')).toEqual(Uint8Array.of(0x00, 0xab, 0xff));
    expect(fromHex(' 81 E2 91 00\n06 ')).toEqual(Uint8Array.of(0x81, 0xe2, 0x91, 0x00, 0x06));
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });

  it.each([['ABC'], ['0G'], ['0x12'], ['12-34']])('rejects %j', (text) => {
    expect(codecError(() => fromHex(text)).format).toBe('hex');
  });

  it('round-trips and agrees with Node Buffer (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const hex = toHex(b);
        expect(hex).toBe(Buffer.from(b).toString('hex').toUpperCase());
        expect(fromHex(hex)).toEqual(b);
        expect(fromHex(hex.toLowerCase())).toEqual(b);
      }),
      { seed: 16, numRuns: 300 },
    );
  });
});

describe('base64 (RFC 4648 §4)', () => {
  it.each([
    // RFC 4648 §10 test vectors.
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('RFC 4648 vector %j <-> %j', (plain, b64) => {
    expect(toBase64(utf8.encode(plain))).toBe(b64);
    expect(utf8.decode(fromBase64(b64))).toBe(plain);
  });

  it('tolerates whitespace, line breaks and missing padding', () => {
    expect(utf8.decode(fromBase64(' Zm9v\r\nYmFy\n'))).toBe('foobar');
    expect(utf8.decode(fromBase64('Zm9vYg'))).toBe('foob');
    expect(utf8.decode(fromBase64('Zm9vYmE'))).toBe('fooba');
    expect(utf8.decode(fromBase64('Zm9v\tYg = ='))).toBe('foob');
  });

  it.each([
    ['a character outside the alphabet', 'Zm9v*mFy', /position 4/],
    ['URL-safe alphabet', 'Zm9v-_', /position 4/],
    ['data after padding', 'Zg==Zg==', /after padding/],
    ['three padding characters', 'Zg===', /padding/],
    ['one character in the last group', 'Zm9vY', /truncated/],
    ['padding that does not complete a group', 'Zm9v=', /padding/],
    ['non-ASCII', 'Zm9vé', /position 4/],
  ])('rejects %s', (_name, text, message) => {
    const e = codecError(() => fromBase64(text));
    expect(e.format).toBe('base64');
    expect(e.message).toMatch(message);
  });

  it('round-trips and agrees with Node Buffer (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const text = toBase64(b);
        expect(text).toBe(Buffer.from(b).toString('base64'));
        expect(fromBase64(text)).toEqual(b);
        // Wrapped at 76 characters as MIME does: still the same bytes.
        expect(fromBase64(text.replace(/(.{76})/g, '$1\r\n'))).toEqual(b);
      }),
      { seed: 64, numRuns: 300 },
    );
  });
});

describe('bytes helpers', () => {
  it('concat, bytesEqual, integers and strict UTF-8', () => {
    expect(concat(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(
      Uint8Array.of(1, 2, 3),
    );
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false);
    expect(toHex(uintToBytes(0x1234, 3))).toBe('001234');
    expect(() => uintToBytes(0x10000, 2)).toThrow(RangeError);
    expect(() => uintToBytes(-1, 2)).toThrow(RangeError);
    expect(bytesToUint(fromHex('010203'))).toBe(0x010203);
    expect(() => bytesToUint(new Uint8Array(7))).toThrow(RangeError);
    expect(() => utf8.decode(Uint8Array.of(0xc3))).toThrow(TypeError);
  });
});
