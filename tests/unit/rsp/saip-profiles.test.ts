import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  children,
  concat,
  decodeOne,
  encodeTlv,
  fromHex,
  toHex,
} from '../../../src/codec/index.ts';
import type { Tlv } from '../../../src/codec/index.ts';
import {
  encodeTestProfile,
  parseProfilePackage,
  peName,
  ProfilePackageParser,
  SaipError,
  TEST_PROFILE_VARIANTS,
  TestProfileError,
} from '../../../src/rsp/saip.ts';
import type { TestProfileVariant } from '../../../src/rsp/saip.ts';

// ICCID BCD vector of SGP.22 v2.2.2 §2.5.5 / ITU-T E.118: 89000123456789012341 is carried
// swapped as 98001032547698103214.
const ICCID = '89000123456789012341';
const ICCID_19 = '8900012345678901230';

const COMMON_HEAD = ['header', 'mf', 'pukCodes', 'pinCodes', 'telecom', 'genericFileManagement'];
const USIM = ['usim', 'optUsim', 'pinCodes', 'akaParameter', 'gsmAccess'];
const CSIM_ISIM = [
  'csim',
  'optCsim',
  'pinCodes',
  'cdmaParameter',
  'isim',
  'optIsim',
  'pinCodes',
  'akaParameter',
  'genericFileManagement',
];
const TAIL = ['securityDomain', 'rfm', 'rfm', 'rfm', 'rfm', 'end'];
// SAIP 2.3 variants add a supplementary security domain after the MNO-SD.
const TAIL_23 = ['securityDomain', ...TAIL];

const EXPECTED: Record<TestProfileVariant, { version: string; pes: string[] }> = {
  ts48v1: { version: '2.1', pes: [...COMMON_HEAD, ...USIM, ...CSIM_ISIM, ...TAIL] },
  ts48v2: { version: '2.2', pes: [...COMMON_HEAD, ...USIM, ...CSIM_ISIM, ...TAIL] },
  ts48v3: { version: '2.2', pes: [...COMMON_HEAD, ...USIM, 'df5gs', ...CSIM_ISIM, ...TAIL] },
  ts48v4: {
    version: '2.3',
    pes: [...COMMON_HEAD, ...USIM, 'df5gs', 'dfSaip', ...CSIM_ISIM, ...TAIL_23],
  },
  'ts48v5-saip2.1': {
    version: '2.1',
    pes: [...COMMON_HEAD, ...USIM, ...CSIM_ISIM, 'genericFileManagement', ...TAIL],
  },
  'ts48v5-saip2.3': {
    version: '2.3',
    pes: [...COMMON_HEAD, ...USIM, 'df5gs', 'dfSaip', ...CSIM_ISIM, ...TAIL_23],
  },
  'ts48v5-saip2.3-bertlv': {
    version: '2.3',
    pes: [
      ...COMMON_HEAD,
      ...USIM,
      'df5gs',
      'dfSaip',
      ...CSIM_ISIM,
      'genericFileManagement',
      ...TAIL_23,
    ],
  },
  'ts48v5-saip2.3-suci': {
    version: '2.3',
    pes: [...COMMON_HEAD, ...USIM, 'df5gs', 'dfSaip', ...CSIM_ISIM, ...TAIL_23],
  },
  'ts48v5-saip2.3-bertlv-suci': {
    version: '2.3',
    pes: [
      ...COMMON_HEAD,
      ...USIM,
      'df5gs',
      'dfSaip',
      ...CSIM_ISIM,
      'genericFileManagement',
      ...TAIL_23,
    ],
  },
};

function elements(pkg: Uint8Array): Tlv[] {
  return parseProfilePackage(pkg).elements.map((e) => decodeOne(e.raw));
}

function pe(pkg: Uint8Array, tag: number, nth = 0): Tlv {
  const found = elements(pkg).filter((e) => e.tag === tag)[nth];
  if (!found) throw new Error(`no PE ${tag.toString(16)}`);
  return found;
}

function field(t: Tlv, tag: number): Tlv {
  const f = children(t).find((c) => c.tag === tag);
  if (!f) throw new Error(`no field ${tag.toString(16)}`);
  return f;
}

/** Every byte string in the subtree (values of primitive TLVs), hex. */
function primitives(t: Tlv): string[] {
  if (!t.constructed) return [toHex(t.value)];
  return children(t).flatMap(primitives);
}

describe('TS.48-shaped test profile packages', () => {
  it.each(TEST_PROFILE_VARIANTS)('%s decodes to the expected ProfileElements', (variant) => {
    const pkg = encodeTestProfile(variant, { iccid: ICCID });
    const parsed = parseProfilePackage(pkg);
    const want = EXPECTED[variant];
    expect(parsed.elements.map((e) => peName(e.tag))).toEqual(want.pes);
    expect(`${parsed.header.majorVersion}.${parsed.header.minorVersion}`).toBe(want.version);
    expect(parsed.header.iccid).toBe(ICCID);
    expect(parsed.hasEnd).toBe(true);
    // PEHeader identifications count up from 1, each marked mandated.
    const ids = parsed.elements.slice(1).map((e) => {
      const head = children(decodeOne(e.raw))[0]!;
      expect(children(head)[0]!.tag).toBe(0x80);
      expect(children(head)[0]!.value).toHaveLength(0);
      return children(head)[1]!.value[0];
    });
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    // Deterministic: same options, same bytes.
    expect(toHex(encodeTestProfile(variant, { iccid: ICCID }))).toBe(toHex(pkg));
  });

  it('carries the header ICCID swapped or unswapped; EF.ICCID is always swapped BCD', () => {
    for (const [iccid, swapped, plain] of [
      [ICCID, '98001032547698103214', '89000123456789012341'],
      [ICCID_19, '980010325476981032F0', '8900012345678901230F'],
    ] as const) {
      const a = encodeTestProfile('ts48v1', { iccid, iccidEncoding: 'swapped' });
      const b = encodeTestProfile('ts48v5-saip2.3-bertlv-suci', {
        iccid,
        iccidEncoding: 'unswapped',
      });
      expect(toHex(parseProfilePackage(a).header.iccidBytes)).toBe(swapped);
      expect(toHex(parseProfilePackage(b).header.iccidBytes)).toBe(plain);
      expect(parseProfilePackage(b).header.iccid).toBe(iccid);
      for (const pkg of [a, b]) {
        // PE-MF field [4] is EF.ICCID: File { fillFileContent 83 }.
        const efIccid = field(pe(pkg, 0xb0), 0xa4);
        expect(toHex(field(efIccid, 0x83).value)).toBe(swapped);
      }
    }
  });

  it('lists the mandatory services and templates each variant needs', () => {
    const services = (v: TestProfileVariant): string[] =>
      children(field(pe(encodeTestProfile(v, { iccid: ICCID }), 0xa0), 0xa5)).map((t) =>
        t.tag.toString(16),
      );
    // usim 81, isim 82, csim 83, milenage 84, javacard 8B; ber-tlv 92; get-identity 95,
    // profile-a-x25519 96, profile-b-p256 97.
    expect(services('ts48v1')).toEqual(['81', '82', '83', '84', '8b']);
    expect(services('ts48v5-saip2.3-bertlv')).toEqual(['81', '82', '83', '84', '8b', '92']);
    expect(services('ts48v5-saip2.3-suci')).toEqual([
      '81',
      '82',
      '83',
      '84',
      '8b',
      '95',
      '96',
      '97',
    ]);
    const gfste = (v: TestProfileVariant): string[] =>
      children(field(pe(encodeTestProfile(v, { iccid: ICCID }), 0xa0), 0xa6)).map((t) =>
        toHex(t.value),
      );
    // 2.23.143.1.2.13 (DF.5GS) and .14 (DF.SAIP) only where those template PEs appear.
    expect(gfste('ts48v1')).not.toContain('67810F01020D');
    expect(gfste('ts48v3')).toContain('67810F01020D');
    expect(gfste('ts48v3')).not.toContain('67810F01020E');
    expect(gfste('ts48v4')).toEqual(expect.arrayContaining(['67810F01020D', '67810F01020E']));
  });

  it('USIM files: IMSI, AD, SPN, ACC and the Milenage K/OPc with SQN options', () => {
    const pkg = encodeTestProfile('ts48v4', {
      iccid: ICCID,
      imsi: '001010123456063',
      spn: 'Test',
      k: fromHex('000102030405060708090A0B0C0D0E0F'),
      opc: fromHex('F0E0D0C0B0A090807060504030201000'),
    });
    const usim = pe(pkg, 0xb3);
    // templateID 2.23.143.1.2.4
    expect(toHex(field(usim, 0x81).value)).toBe('67810F010204');
    // EF.IMSI [3]: length 8, parity 9, digits swapped (TS 31.102 §4.2.2).
    expect(toHex(field(field(usim, 0xa3), 0x83).value)).toBe('080910101032540636');
    // EF.SPN [13], EF.ACC [18] (class 3 for a last digit 3), EF.AD [21] (2-digit MNC).
    expect(toHex(field(field(usim, 0xad), 0x83).value)).toBe('0154657374' + 'FF'.repeat(12));
    expect(toHex(field(field(usim, 0xb2), 0x83).value)).toBe('0008');
    expect(toHex(field(field(usim, 0xb5), 0x83).value)).toBe('00000002');
    // The ADF carries the USIM AID as dfName.
    const adf = field(field(usim, 0xa2), 0xa1);
    expect(toHex(field(adf, 0x84).value)).toMatch(/^A0000000871002/);

    const aka = pe(pkg, 0xa4);
    const algo = field(field(aka, 0xa1), 0xa1);
    expect(primitives(algo)).toEqual([
      '01',
      '01',
      '000102030405060708090A0B0C0D0E0F',
      'F0E0D0C0B0A090807060504030201000',
    ]);
    expect(toHex(field(aka, 0x82).value)).toBe('0A');
    expect(children(field(aka, 0xa5))).toHaveLength(32);
    // The ISIM's AKA PE maps to the USIM's parameters by AID.
    const isimAka = pe(pkg, 0xa4, 1);
    expect(field(field(isimAka, 0xa1), 0xa0).tag).toBe(0xa0);
    // ts48v1 keeps the SQN defaults (fields omitted, as DER requires for DEFAULT values).
    const v1aka = pe(encodeTestProfile('ts48v1', { iccid: ICCID }), 0xa4);
    expect(children(v1aka).map((t) => t.tag)).toEqual([0xa0, 0xa1]);
  });

  it('SAIP 2.3 variants add an SSD extradited to the MNO-SD, with its own SCP03 keys', () => {
    const pkg = encodeTestProfile('ts48v5-saip2.3', { iccid: ICCID });
    const [mno, ssd] = elements(pkg).filter((e) => e.tag === 0xa6);
    const aids = (sd: Tlv): string[] =>
      children(field(sd, 0xa1))
        .filter((t) => t.tag === 0x4f)
        .map((t) => toHex(t.value));
    expect(aids(mno!)[2]).toBe('A000000151000000');
    expect(aids(ssd!).slice(2)).toEqual(['A0000001515350445344', 'A000000151000000']);
    const kvns = (sd: Tlv): string[] =>
      children(field(sd, 0xa2)).map((k) => toHex(field(k, 0x83).value));
    expect(kvns(mno!)).toEqual(['30', '30', '30']);
    expect(kvns(ssd!)).toEqual(['31', '31', '31']);
    expect(
      elements(encodeTestProfile('ts48v3', { iccid: ICCID })).filter((e) => e.tag === 0xa6),
    ).toHaveLength(1);
  });

  it('SUCI variants fill EF.SUCI_Calc_Info and EF.Routing_Indicator', () => {
    const suci = pe(encodeTestProfile('ts48v5-saip2.3-suci', { iccid: ICCID }), 0xbc);
    // DF.5GS field [9] EF.SUCI_Calc_Info: scheme list A0, key list A1 (profile B and A keys).
    const calc = decodeOne(field(field(suci, 0xa9), 0x83).value.subarray(0, 8));
    expect(calc.tag).toBe(0xa0);
    const info = toHex(field(field(suci, 0xa9), 0x83).value);
    expect(info).toContain('8121' + '02'); // 33-byte compressed P-256 key
    expect(info).toContain('8120'); // 32-byte X25519 key
    expect(toHex(field(field(suci, 0xac), 0x83).value)).toBe('F0FF0000');
    const plain = pe(encodeTestProfile('ts48v5-saip2.3', { iccid: ICCID }), 0xbc);
    expect(children(field(plain, 0xa9))).toEqual([]);
    // DF.SAIP [3] EF.SUCI_Calc_Info_USIM carries the same data in the SUCI variant.
    const saip = pe(encodeTestProfile('ts48v5-saip2.3-suci', { iccid: ICCID }), 0xbd);
    expect(toHex(field(field(saip, 0xa3), 0x83).value)).toBe(info);
  });

  it('BER-TLV variants create BER-TLV EFs (descriptor 79 21) with a maximum size', () => {
    const pkg = encodeTestProfile('ts48v5-saip2.3-bertlv', { iccid: ICCID });
    const gfms = elements(pkg).filter((e) => e.tag === 0xa1);
    const fcps = gfms
      .flatMap((g) => children(field(g, 0xa1)))
      .flatMap((fm) => children(fm))
      .filter((s) => s.tag === 0x62);
    const berTlv = fcps.filter((f) => toHex(field(f, 0x82).value) === '7921');
    expect(berTlv).toHaveLength(2);
    expect(toHex(field(field(berTlv[0]!, 0xa5), 0x86).value)).toBe('0200');
    const plain = encodeTestProfile('ts48v5-saip2.3', { iccid: ICCID });
    expect(toHex(plain)).not.toContain('82027921');
  });

  it('SAIP 2.1 creates DF.5GS by GenericFileManagement (no PE-DF-5GS template)', () => {
    const pkg = encodeTestProfile('ts48v5-saip2.1', { iccid: ICCID });
    const last = elements(pkg)
      .filter((e) => e.tag === 0xa1)
      .at(-1)!;
    const steps = children(children(field(last, 0xa1))[0]!);
    expect(steps.filter((s) => s.tag === 0x62).map((s) => toHex(field(s, 0x83).value))).toEqual([
      '5FC0',
      '4F01',
      '4F02',
      '4F03',
      '4F04',
      '4F05',
      '4F06',
      '4F07',
      '4F0A',
    ]);
  });

  it('streams: any split of a package yields the same elements', () => {
    const pkg = encodeTestProfile('ts48v5-saip2.3-bertlv-suci', { iccid: ICCID });
    const whole = parseProfilePackage(pkg).elements.map((e) => toHex(e.raw));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: pkg.length - 1 }), { maxLength: 10 }),
        (cuts) => {
          const parser = new ProfilePackageParser();
          const got: string[] = [];
          let prev = 0;
          for (const p of [...new Set(cuts)].sort((a, b) => a - b).concat(pkg.length)) {
            got.push(...parser.push(pkg.subarray(prev, p)).map((e) => toHex(e.raw)));
            prev = p;
          }
          parser.finish();
          expect(got).toEqual(whole);
        },
      ),
      { seed: 12, numRuns: 40 },
    );
  });

  it('refuses unusable options with a TestProfileError', () => {
    expect(() => encodeTestProfile('ts48v1', { iccid: ICCID, imsi: '12' })).toThrow(
      TestProfileError,
    );
    expect(() => encodeTestProfile('ts48v1', { iccid: ICCID, k: new Uint8Array(8) })).toThrow(
      TestProfileError,
    );
    expect(() => encodeTestProfile('ts48v9' as TestProfileVariant, { iccid: ICCID })).toThrow(
      TestProfileError,
    );
  });
});

/** A package: header, the given elements, end. */
function pkgWith(...pes: Uint8Array[]): Uint8Array {
  const header = encodeTlv(0xa0, fromHex('800102810103830A98001032547698103214A500A600'));
  return concat(header, ...pes, t(0xaa, hdr(99)));
}

/** A TLV from a tag and children (hex strings are primitive contents already encoded). */
function t(tag: number, ...parts: (Uint8Array | string)[]): Uint8Array {
  return encodeTlv(tag, ...parts.map((p) => (typeof p === 'string' ? fromHex(p) : p)));
}

/** PEHeader: [mandated] identification. */
function hdr(id: number, mandated = true): Uint8Array {
  return t(0xa0, ...(mandated ? ['8000'] : []), t(0x81, Uint8Array.of(id)));
}

const PIN = (ref: string, value: string): Uint8Array => t(0x30, t(0x80, ref), t(0x81, value));
const KEY16 = '00'.repeat(16);

describe('ProfileElement structure checks', () => {
  const ok: [string, Uint8Array][] = [
    ['PIN codes', t(0xa2, hdr(1), t(0xa1, t(0xa0, PIN('01', '30303030FFFFFFFF'))))],
    ['PUK codes', t(0xa3, hdr(1), t(0xa1, PIN('01', '3132333435363738')))],
    ['an unknown PE that is not mandated', t(0xbf30, hdr(1, false), t(0x81, 'FF'))],
    ['an unknown PE in an rfu slot, not mandated', t(0xab, hdr(1, false))],
    [
      'a template PE with a versioned template OID (2.23.143.1.2.4.2)',
      t(0xb3, hdr(1), t(0x81, '67810F01020402'), t(0xa2), t(0xa3, t(0x83, '08')), t(0xa4)),
    ],
  ];
  it.each(ok)('accepts %s', (_name, element) => {
    expect(() => parseProfilePackage(pkgWith(element))).not.toThrow();
  });

  const bad: [string, Uint8Array, RegExp][] = [
    [
      'a PE without its PEHeader',
      t(0xa2, t(0x81, '01')),
      /pinCodes: does not start with its PEHeader/,
    ],
    [
      'a PEHeader whose identification exceeds UInt15',
      t(0xa2, t(0xa0, t(0x81, '008000'))),
      /header\.identification: exceeds 32767/,
    ],
    [
      'a PIN of 7 bytes',
      t(0xa2, hdr(1), t(0xa1, t(0xa0, PIN('01', '30303030FFFFFF')))),
      /pinconfig\[0\]\.pinValue: must be 8 bytes/,
    ],
    [
      'a PIN defined twice',
      t(0xa2, hdr(1), t(0xa1, t(0xa0, PIN('01', '30'.repeat(8)), PIN('01', '31'.repeat(8))))),
      /pinconfig\[1\]\.keyReference: defined twice/,
    ],
    [
      'an unknown mandated PE',
      t(0xbf30, hdr(1), t(0x81, 'FF')),
      /an unsupported ProfileElement is marked mandated/,
    ],
    [
      'a template PE with another template',
      t(0xb3, hdr(1), t(0x81, '67810F010201'), t(0xa2)),
      /usim\.templateID: 2\.23\.143\.1\.2\.1 is not a template/,
    ],
    [
      'template files out of order',
      t(0xb3, hdr(1), t(0x81, '67810F010204'), t(0xa4), t(0xa3)),
      /usim\.\[3\]: files out of order/,
    ],
    [
      'a file with a 3-byte file ID',
      t(0xb0, hdr(1), t(0x81, '67810F010201'), t(0xa2, t(0xa1, t(0x83, '2F0000')))),
      /mf\.\[2\]\.fileDescriptor\.83: has a wrong length/,
    ],
    [
      'an AKA PE with an unknown algorithm',
      t(
        0xa4,
        hdr(1),
        t(0xa1, t(0xa1, t(0x80, '09'), t(0x81, '01'), t(0x82, KEY16), t(0x83, KEY16))),
      ),
      /algorithmID: unknown algorithm 9/,
    ],
    [
      'an AKA PE with a 5-byte sqnDelta',
      t(
        0xa4,
        hdr(1),
        t(0xa1, t(0xa1, t(0x80, '01'), t(0x81, '01'), t(0x82, KEY16), t(0x83, KEY16))),
        t(0x83, '0000100000'),
      ),
      /sqn 83: must be 6 bytes/,
    ],
    ['an end PE with content', t(0xaa, hdr(1), t(0x81, 'FF')), /end: holds more than its PEHeader/],
    [
      'a GenericFileManagement with an odd file path',
      t(0xa1, hdr(1), t(0xa1, t(0x30, t(0x80, '7F10FF')))),
      /fileManagementCMD\[0\]\.filePath: must be up to four file IDs/,
    ],
    [
      'an RFM PE without its minimum security level',
      t(0xa7, hdr(1), t(0x4f, 'A000000559101000'), t(0x04, '00'), t(0x04, '00')),
      /rfm\.minimumSecurityLevel: must be 1 byte/,
    ],
  ];
  it.each(bad)('refuses %s', (_name, element, message) => {
    let error: unknown;
    try {
      parseProfilePackage(pkgWith(element));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SaipError);
    expect((error as SaipError).message).toMatch(message);
    // The offset points at the element (right after the 24-byte header).
    expect((error as SaipError).offset).toBe(24);
  });
});
