import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  ActivationCodeError,
  formatActivationCode,
  parseActivationCode,
  type ActivationCode,
  type ActivationCodeErrorReason,
} from '../../../src/lpa/activation-code.ts';

// Format and variants: SGP.22 §4.1 as digested in docs docs/protocol.md §6.

const AC = 'LPA:1$smdp.example.com$04386-AGYFT-A74Y8-3F815';

function expectError(input: string, code: ActivationCodeErrorReason): ActivationCodeError {
  let caught: unknown;
  try {
    parseActivationCode(input);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ActivationCodeError);
  const err = caught as ActivationCodeError;
  expect(err.reason).toBe(code);
  expect(err.name).toBe('ActivationCodeError');
  expect(err.message.length).toBeGreaterThan(10);
  return err;
}

describe('parseActivationCode: accepted forms', () => {
  const base: ActivationCode = {
    format: 1,
    smdpAddress: 'smdp.example.com',
    matchingId: '04386-AGYFT-A74Y8-3F815',
    confirmationCodeRequired: false,
  };
  const cases: [string, string, ActivationCode][] = [
    ['canonical', AC, base],
    ['lower-case prefix', 'lpa:1$smdp.example.com$04386-AGYFT-A74Y8-3F815', base],
    ['mixed-case prefix', 'Lpa:1$smdp.example.com$04386-AGYFT-A74Y8-3F815', base],
    ['no prefix', '1$smdp.example.com$04386-AGYFT-A74Y8-3F815', base],
    ['surrounding white space', `  \n\t${AC}\r\n `, base],
    ['URL-encoded', 'LPA%3A1%24smdp.example.com%2404386-AGYFT-A74Y8-3F815', base],
    [
      'URL-encoded, lower-case escapes',
      'lpa%3a1%24smdp.example.com%2404386-AGYFT-A74Y8-3F815',
      base,
    ],
    ['URL-encoded without prefix', '1%24smdp.example.com%2404386-AGYFT-A74Y8-3F815', base],
    [
      'link with carddata parameter',
      'https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA:1$smdp.example.com$04386-AGYFT-A74Y8-3F815',
      base,
    ],
    [
      'link with encoded parameter among others',
      'https://example.net/install?lang=en&ac=LPA%3A1%24smdp.example.com%2404386-AGYFT-A74Y8-3F815&x=1',
      base,
    ],
    [
      'link with the code in the fragment',
      'https://example.net/install#code=LPA:1$smdp.example.com$04386-AGYFT-A74Y8-3F815',
      base,
    ],
    ['bare query string', '?carddata=LPA%3A1%24smdp.example.com%2404386-AGYFT-A74Y8-3F815', base],
    [
      'prefix-less code whose token looks like a query',
      '1$smdp.example.com$x?c=LPA:1',
      { ...base, matchingId: 'x?c=LPA:1' },
    ],
    ['legacy LPA$ without format', 'LPA$smdp.example.com$04386-AGYFT-A74Y8-3F815', base],
    ['extra trailing fields ignored', `${AC}$$$future$fields`, base],
    ['empty OID field', `${AC}$`, base],
    ['empty OID and flag fields', `${AC}$$`, base],
    ['lower-case token', 'LPA:1$smdp.example.com$abc-def', { ...base, matchingId: 'abc-def' }],
    ['empty matching ID', 'LPA:1$smdp.example.com$', { ...base, matchingId: '' }],
    ['no token field at all', 'LPA:1$smdp.example.com', { ...base, matchingId: '' }],
    [
      'address with port',
      'LPA:1$smdp.example.com:8443$X',
      { ...base, smdpAddress: 'smdp.example.com:8443', matchingId: 'X' },
    ],
    [
      'upper-case address kept as written',
      'LPA:1$SMDP.EXAMPLE.COM$X',
      { ...base, smdpAddress: 'SMDP.EXAMPLE.COM', matchingId: 'X' },
    ],
    ['OID', `${AC}$1.3.6.1.4.1.31746`, { ...base, smdpOid: '1.3.6.1.4.1.31746' }],
    ['flag with empty OID', `${AC}$$1`, { ...base, confirmationCodeRequired: true }],
    [
      'OID and flag',
      `${AC}$2.999.10$1`,
      { ...base, smdpOid: '2.999.10', confirmationCodeRequired: true },
    ],
    [
      'test SM-DP+ (SGP.26 host name)',
      'LPA:1$testsmdpplus1.example.com$TS48V1-A-UNIQUE',
      { ...base, smdpAddress: 'testsmdpplus1.example.com', matchingId: 'TS48V1-A-UNIQUE' },
    ],
    ['IPv4 address', 'LPA:1$192.0.2.7$T', { ...base, smdpAddress: '192.0.2.7', matchingId: 'T' }],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      expect(parseActivationCode(input)).toEqual(expected);
    });
  }

  it('omits smdpOid entirely when absent (exactOptionalPropertyTypes)', () => {
    expect('smdpOid' in parseActivationCode(AC)).toBe(false);
  });
});

describe('parseActivationCode: refusals', () => {
  const cases: [string, string, ActivationCodeErrorReason, RegExp?][] = [
    ['empty string', '', 'empty'],
    ['only white space', ' \n\t ', 'empty'],
    ['only the prefix', 'LPA:', 'empty'],
    ['unknown format 2', 'LPA:1$'.replace('1', '2') + 'smdp.example.com$X', 'format', /"2"/],
    ['format 01', 'LPA:01$smdp.example.com$X', 'format'],
    ['missing format', 'LPA:$smdp.example.com$X', 'format', /no format/],
    ['host without format', 'smdp.example.com$X', 'format'],
    ['link without a code', 'https://example.net/install?x=1', 'format', /link/],
    ['malformed escape', 'LPA%3A1%24smdp.example.com%24%E0%A4%A', 'format', /escape/],
    ['missing address', 'LPA:1$$X', 'address', /no SM-DP\+ address/],
    ['address with space', 'LPA:1$smdp example.com$X', 'address', /space/],
    ['address with slash', 'LPA:1$smdp.example.com/path$X', 'address', /"\/"/],
    ['address with empty label', 'LPA:1$smdp..example.com$X', 'address', /empty part/],
    ['address ending in a dot', 'LPA:1$smdp.example.com.$X', 'address'],
    ['label starting with hyphen', 'LPA:1$-smdp.example.com$X', 'address'],
    ['port out of range', 'LPA:1$smdp.example.com:70000$X', 'address', /port/],
    ['port zero', 'LPA:1$smdp.example.com:0$X', 'address', /port/],
    ['empty port', 'LPA:1$smdp.example.com:$X', 'address', /port/],
    ['label longer than 63', `LPA:1$${'a'.repeat(64)}.example.com$X`, 'address'],
    ['token with space', 'LPA:1$smdp.example.com$AB CD', 'matchingId', /space .*position 3/],
    ['token with tab', 'LPA:1$smdp.example.com$AB\tCD', 'matchingId', /control/],
    ['token with NUL', 'LPA:1$smdp.example.com$AB\u0000', 'matchingId', /U\+0000/],
    ['token with DEL', 'LPA:1$smdp.example.com$AB\u007f', 'matchingId', /U\+007F/],
    ['token with C1 control', 'LPA:1$smdp.example.com$AB\u0085', 'matchingId'],
    ['token with no-break space', 'LPA:1$smdp.example.com$AB\u00a0CD', 'matchingId'],
    ['token with unpaired surrogate', 'LPA:1$smdp.example.com$AB\ud800', 'matchingId', /surrogate/],
    ['OID with letters', `${AC}$1.3.x`, 'oid'],
    ['OID with one arc', `${AC}$1`, 'oid'],
    ['OID with leading zero', `${AC}$1.03.6`, 'oid'],
    ['OID with first arc 3', `${AC}$3.1`, 'oid'],
    ['OID with trailing dot', `${AC}$1.3.`, 'oid'],
    ['flag 0', `${AC}$$0`, 'confirmationFlag', /"0"/],
    ['flag true', `${AC}$$true`, 'confirmationFlag'],
    ['flag 11', `${AC}$$11`, 'confirmationFlag'],
    ['code longer than 255', `LPA:1$smdp.example.com$${'A'.repeat(240)}`, 'tooLong', /255/],
    ['huge input', 'x'.repeat(100_000), 'tooLong'],
  ];
  for (const [name, input, code, message] of cases) {
    it(name, () => {
      const err = expectError(input, code);
      if (message) expect(err.message).toMatch(message);
    });
  }

  it('accepts exactly 255 characters', () => {
    const prefix = 'LPA:1$smdp.example.com$';
    const text = prefix + 'A'.repeat(255 - prefix.length);
    expect(text).toHaveLength(255);
    expect(parseActivationCode(text).matchingId).toHaveLength(255 - prefix.length);
    expectError(text + 'A', 'tooLong');
  });
});

describe('formatActivationCode', () => {
  const ac: ActivationCode = {
    format: 1,
    smdpAddress: 'smdp.example.com',
    matchingId: 'TOKEN',
    confirmationCodeRequired: false,
  };
  it('omits trailing absent fields', () => {
    expect(formatActivationCode(ac)).toBe('LPA:1$smdp.example.com$TOKEN');
    expect(formatActivationCode({ ...ac, matchingId: '' })).toBe('LPA:1$smdp.example.com$');
  });
  it('writes the OID when present', () => {
    expect(formatActivationCode({ ...ac, smdpOid: '2.999.10' })).toBe(
      'LPA:1$smdp.example.com$TOKEN$2.999.10',
    );
  });
  it('writes an empty OID when only the flag follows (docs/protocol.md §6)', () => {
    expect(formatActivationCode({ ...ac, confirmationCodeRequired: true })).toBe(
      'LPA:1$smdp.example.com$TOKEN$$1',
    );
    expect(
      formatActivationCode({ ...ac, smdpOid: '2.999.10', confirmationCodeRequired: true }),
    ).toBe('LPA:1$smdp.example.com$TOKEN$2.999.10$1');
  });
  it('refuses fields that would not parse back', () => {
    expect(() => formatActivationCode({ ...ac, matchingId: 'A$B' })).toThrow(ActivationCodeError);
    expect(() => formatActivationCode({ ...ac, smdpAddress: 'a b' })).toThrow(/address/);
    expect(() => formatActivationCode({ ...ac, smdpOid: 'x' })).toThrow(/OID/);
    expect(() => formatActivationCode({ ...ac, matchingId: 'A'.repeat(300) })).toThrow(/255/);
    expect(() => formatActivationCode({ ...ac, format: 2 as unknown as 1 })).toThrow(/format/);
  });
});

// Generators for valid codes.
const label = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9-]{0,10}[A-Za-z0-9])?$/);
const address = fc
  .tuple(
    fc.array(label, { minLength: 1, maxLength: 4 }),
    fc.option(fc.integer({ min: 1, max: 65535 })),
  )
  .map(([labels, port]) => labels.join('.') + (port === null ? '' : `:${port}`));
const token = fc.stringMatching(/^[A-Za-z0-9\-_.~%?=&#/+*!@:]{0,40}$/);
const oid = fc
  .tuple(
    fc.integer({ min: 0, max: 2 }),
    fc.array(fc.nat({ max: 100000 }), { minLength: 1, maxLength: 8 }),
  )
  .map(([first, rest]) => [first, ...rest].join('.'));
const activationCode: fc.Arbitrary<ActivationCode> = fc
  .record({
    smdpAddress: address,
    matchingId: token,
    smdpOid: fc.option(oid),
    confirmationCodeRequired: fc.boolean(),
  })
  .map(({ smdpOid, ...rest }) => {
    const ac: ActivationCode = { format: 1, ...rest };
    if (smdpOid !== null) ac.smdpOid = smdpOid;
    return ac;
  });

describe('properties', () => {
  it('parse(format(x)) = x', () => {
    fc.assert(
      fc.property(activationCode, (ac) => {
        expect(parseActivationCode(formatActivationCode(ac))).toEqual(ac);
      }),
      { numRuns: 2000 },
    );
  });

  it('packaging variants parse to the same code', () => {
    fc.assert(
      fc.property(activationCode, fc.constantFrom(0, 1, 2, 3), (ac, variant) => {
        const text = formatActivationCode(ac);
        const wrapped = [
          `  ${text.toLowerCase().slice(0, 4)}${text.slice(4)}\n`,
          encodeURIComponent(text),
          `https://example.net/x?carddata=${encodeURIComponent(text)}`,
          text.slice(4),
        ][variant]!;
        expect(parseActivationCode(wrapped)).toEqual(ac);
      }),
      { numRuns: 1000 },
    );
  });

  function onlyActivationCodeErrors(input: string): void {
    try {
      const ac = parseActivationCode(input);
      // Whatever parses must format and parse back to itself.
      expect(parseActivationCode(formatActivationCode(ac))).toEqual(ac);
    } catch (e) {
      if (!(e instanceof ActivationCodeError)) throw e;
    }
  }

  it('random strings only ever raise ActivationCodeError (10,000 runs)', () => {
    const alphabet = fc.constantFrom(
      ...'LPAlpa:$1%?=&#.-_ 0123456789abcdefABCDEF/\n\t\u0000\u00a0\ud800€'.split(''),
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: alphabet, maxLength: 120 })),
        onlyActivationCodeErrors,
      ),
      { numRuns: 10_000 },
    );
  });

  it('mutated valid codes only ever raise ActivationCodeError (10,000 runs)', () => {
    const mutation = fc.record({
      at: fc.nat(),
      del: fc.nat({ max: 3 }),
      insert: fc.string({
        unit: fc.constantFrom(...'$:%.1 \u0000A-9zLPA%24%3A'.split('')),
        maxLength: 4,
      }),
    });
    fc.assert(
      fc.property(
        activationCode,
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (ac, muts) => {
          let text = formatActivationCode(ac);
          for (const m of muts) {
            const at = m.at % (text.length + 1);
            text = text.slice(0, at) + m.insert + text.slice(at + m.del);
          }
          onlyActivationCodeErrors(text);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
