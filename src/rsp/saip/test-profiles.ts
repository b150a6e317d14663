/**
 * Generated test profile packages shaped like the GSMA TS.48 generic eUICC test profiles
 * (v1 to v5, SAIP 2.1 to 2.3): the same kinds of ProfileElements in the same order, built
 * here from the SAIP ASN.1 structure with the project's own test values (no bytes of the
 * published packages). Every variant installs on the software eUICC.
 *
 * Values: 3GPP TS 31.102 file contents (IMSI, AD, UST, SPN, ACC, ...), the Milenage test set 1
 * of 3GPP TS 35.208 for K/OPc, the GlobalPlatform test keys 40..4F for the security domain and
 * the ECIES test public keys of 3GPP TS 33.501 Annex C.4 for the SUCI parameters.
 */
import {
  concat,
  encodeIccid,
  encodeTlv,
  encodeUnsigned,
  normaliseIccid,
  utf8,
} from '../../codec/index.ts';
import { encodeOid } from '../oid.ts';
import {
  Descriptor,
  fileManagement,
  hex,
  padFF,
  peHeader,
  templateFile,
  templateId,
} from './build.ts';
import type { FileCommand } from './build.ts';
import { PeTag, Service, TemplateOid } from './tags.ts';
import type { ServiceName } from './tags.ts';

export const TEST_PROFILE_VARIANTS = [
  'ts48v1',
  'ts48v2',
  'ts48v3',
  'ts48v4',
  'ts48v5-saip2.1',
  'ts48v5-saip2.3',
  'ts48v5-saip2.3-bertlv',
  'ts48v5-saip2.3-suci',
  'ts48v5-saip2.3-bertlv-suci',
] as const;

export type TestProfileVariant = (typeof TEST_PROFILE_VARIANTS)[number];

/**
 * How the ProfileHeader carries the ICCID: 'swapped' is the nibble-swapped BCD of EF.ICCID
 * and SGP.22 `5A`; 'unswapped' is the digits in reading order, F-padded, as the published
 * TS.48 packages carry it. EF.ICCID itself is always swapped BCD.
 */
export type IccidEncoding = 'swapped' | 'unswapped';

export interface TestProfileOptions {
  /** ICCID digits (18-20, Luhn-checked). */
  iccid: string;
  iccidEncoding?: IccidEncoding;
  /** IMSI digits (6-15); default 001010123456789 (test network 001-01). */
  imsi?: string;
  /** Header profileType; default "WebLPA generic test profile". */
  profileType?: string;
  /** EF.SPN service provider name (up to 16 ASCII characters); default "WebLPA". */
  spn?: string;
  /** MSISDN digits for EF.MSISDN; default 491700000001. */
  msisdn?: string;
  /** Milenage K and OPc (16 bytes each); default 3GPP TS 35.208 test set 1. */
  k?: Uint8Array;
  opc?: Uint8Array;
}

/** A SaipError-free misuse of the generator (bad IMSI, key sizes, ...). */
export class TestProfileError extends Error {
  override readonly name = 'TestProfileError';
}

interface Features {
  minor: 1 | 2 | 3;
  /** EF.EPSLOCI / EF.EPSNSC in ADF.USIM. */
  eps: boolean;
  /** DF.5GS: none, created by GenericFileManagement (SAIP 2.1), or the PE-DF-5GS template. */
  df5gs: 'none' | 'gfm' | 'template';
  /** PE-DF-SAIP (EF.SUCI_Calc_Info_USIM). */
  dfSaip: boolean;
  berTlv: boolean;
  suci: boolean;
  /** Explicit SQN parameters in PE-AKAParameter (else the ASN.1 defaults). */
  sqn: boolean;
}

const FEATURES: Record<TestProfileVariant, Features> = {
  ts48v1: base(1, { eps: false }),
  ts48v2: base(2, {}),
  ts48v3: base(2, { df5gs: 'template' }),
  ts48v4: base(3, { df5gs: 'template', dfSaip: true, sqn: true }),
  'ts48v5-saip2.1': base(1, { df5gs: 'gfm', sqn: true }),
  'ts48v5-saip2.3': base(3, { df5gs: 'template', dfSaip: true, sqn: true }),
  'ts48v5-saip2.3-bertlv': base(3, {
    df5gs: 'template',
    dfSaip: true,
    sqn: true,
    berTlv: true,
  }),
  'ts48v5-saip2.3-suci': base(3, { df5gs: 'template', dfSaip: true, sqn: true, suci: true }),
  'ts48v5-saip2.3-bertlv-suci': base(3, {
    df5gs: 'template',
    dfSaip: true,
    sqn: true,
    berTlv: true,
    suci: true,
  }),
};

function base(minor: 1 | 2 | 3, f: Partial<Features>): Features {
  return {
    minor,
    eps: true,
    df5gs: 'none',
    dfSaip: false,
    berTlv: false,
    suci: false,
    sqn: false,
    ...f,
  };
}

// Application identifiers: 3GPP USIM/ISIM (RID A000000087, 1002/1004), 3GPP2 CSIM
// (RID A000000343, 1002), GlobalPlatform ISD load file/module and the MNO-SD instance.
const AID = {
  usim: hex('A0000000871002FFFFFFFF8906040001'),
  isim: hex('A0000000871004FFFFFFFF8906040001'),
  csim: hex('A0000003431002FFFFFFFF8906040001'),
  sdPackage: hex('A0000001515350'),
  sdModule: hex('A000000151535041'),
  mnoSd: hex('A000000151000000'),
  rfm: (n: number): Uint8Array => concat(hex('A0000005591010FFFFFFFF89000001'), Uint8Array.of(n)),
};

/** Temporary file IDs of the ADFs inside the package (SAIP: unique within the profile). */
const TEMP_FID = { usim: 0x7ff0, isim: 0x7ff1, csim: 0x7ff2 } as const;

/** TS 102 221 access rules (expanded format) for EF.ARR records. */
const ARR_RECORDS = [
  // 1: read and update with PIN1
  hex('80 01 03 A4 06 83 01 01 95 01 08'),
  // 2: read always, update ADM1
  hex('80 01 01 90 00 80 01 02 A4 06 83 01 0A 95 01 08'),
  // 3: read PIN1, update ADM1
  hex('80 01 01 A4 06 83 01 01 95 01 08 80 01 02 A4 06 83 01 0A 95 01 08'),
  // 4: read and update always, deactivate/activate ADM1
  hex('80 01 03 90 00 80 01 18 A4 06 83 01 0A 95 01 08'),
  // 5: everything ADM1
  hex('80 01 7F A4 06 83 01 0A 95 01 08'),
];
const ARR_RECORD_LENGTH = 0x30;

function arrRecords(): { length: number; data: Uint8Array[] } {
  return { length: ARR_RECORD_LENGTH, data: ARR_RECORDS };
}

/** pinStatusTemplateDO: the PS_DO byte, then the key references it covers. */
const PIN_STATUS_MF = hex('81 01 0A');
const PIN_STATUS_ADF = hex('81 81 0A');

const MILENAGE_K = hex('465B5CE8B199B49FAA5F0A2EE238A6BC');
const MILENAGE_OPC = hex('CD63CB71954A9F4E48A5994E37A02BAF');
const SD_KEY = hex('404142434445464748494A4B4C4D4E4F');
// ECIES home network public keys: profile A (X25519) and profile B (P-256, compressed).
const HN_KEY_A = hex('5A8D38864820197C3394B92613B20B91633CBD897119273BF8E4A6F4EEC0A650');
const HN_KEY_B = hex('0272DA71976234CE833A6907425867B82E074D44EF907DFB4B3E21C1C2256EBCD1');

/** Builds the package of `variant` (DER, the ProfileElements back to back). */
export function encodeTestProfile(
  variant: TestProfileVariant,
  options: TestProfileOptions,
): Uint8Array {
  const f = FEATURES[variant];
  if (!f) throw new TestProfileError(`unknown test profile variant ${variant as string}`);
  const iccid = normaliseIccid(options.iccid);
  const imsi = options.imsi ?? '001010123456789';
  if (!/^\d{6,15}$/.test(imsi)) throw new TestProfileError('the IMSI has 6 to 15 digits');
  const msisdn = options.msisdn ?? '491700000001';
  if (!/^\d{1,20}$/.test(msisdn)) throw new TestProfileError('the MSISDN has 1 to 20 digits');
  const spn = options.spn ?? 'WebLPA';
  if (!/^[\x20-\x7e]{0,16}$/.test(spn))
    throw new TestProfileError('the SPN has up to 16 ASCII characters');
  const k = options.k ?? MILENAGE_K;
  const opc = options.opc ?? MILENAGE_OPC;
  if (k.length !== 16 || opc.length !== 16)
    throw new TestProfileError('Milenage K and OPc are 16 bytes each');
  const ctx: Ctx = { f, iccid, imsi, msisdn, spn, k, opc, nextId: 1 };

  const pes: Uint8Array[] = [header(ctx, variant, options)];
  pes.push(peMf(ctx), pukCodes(ctx), pinCodesMf(ctx), peTelecom(ctx), gfmMf(ctx));
  pes.push(peUsim(ctx), peOptUsim(ctx), pinCodesLocal(ctx), akaMilenage(ctx), peGsmAccess(ctx));
  if (f.df5gs === 'template') pes.push(peDf5gs(ctx));
  if (f.dfSaip) pes.push(peDfSaip(ctx));
  pes.push(peCsim(ctx), peOptCsim(ctx), pinCodesLocal(ctx), cdmaParameter(ctx));
  pes.push(peIsim(ctx), peOptIsim(ctx), pinCodesLocal(ctx), akaMapped(ctx), gfmLinks(ctx));
  if (f.df5gs === 'gfm') pes.push(gfm5gs(ctx));
  if (f.berTlv) pes.push(gfmBerTlv(ctx));
  pes.push(securityDomain(ctx));
  pes.push(rfm(ctx, 1, hex('B00010')));
  pes.push(rfm(ctx, 2, hex('B00020'), AID.usim));
  pes.push(rfm(ctx, 3, hex('B00030'), AID.isim));
  pes.push(rfm(ctx, 4, hex('B00040'), AID.csim));
  pes.push(encodeTlv(PeTag.end, peHeader(ctx.nextId++)));
  return concat(...pes);
}

interface Ctx {
  f: Features;
  iccid: string;
  imsi: string;
  msisdn: string;
  spn: string;
  k: Uint8Array;
  opc: Uint8Array;
  nextId: number;
}

function pe(ctx: Ctx, tag: number, ...fields: Uint8Array[]): Uint8Array {
  return encodeTlv(tag, peHeader(ctx.nextId++), ...fields);
}

/** Context tag [n] of a SEQUENCE field, constructed (files are SEQUENCE OF). */
function field(n: number): number {
  return n < 31 ? 0xa0 + n : 0xbf00 + n;
}

// ---------------------------------------------------------------------------------------
// ProfileHeader

function header(ctx: Ctx, variant: TestProfileVariant, options: TestProfileOptions): Uint8Array {
  const f = ctx.f;
  const services: ServiceName[] = ['usim', 'isim', 'csim', 'milenage', 'javacard'];
  if (f.berTlv) services.push('berTlv');
  if (f.suci) services.push('getIdentity', 'profileAX25519', 'profileBP256');
  const templates: string[] = [
    TemplateOid.mf,
    TemplateOid.telecom,
    TemplateOid.usim,
    TemplateOid.optUsim,
    TemplateOid.gsmAccess,
    TemplateOid.isim,
    TemplateOid.optIsim,
    TemplateOid.csim,
    TemplateOid.optCsim,
  ];
  if (f.df5gs === 'template') templates.push(TemplateOid.df5gs);
  if (f.dfSaip) templates.push(TemplateOid.dfSaip);
  const iccidBytes =
    (options.iccidEncoding ?? 'swapped') === 'swapped'
      ? encodeIccid(ctx.iccid)
      : plainBcd(ctx.iccid, 10);
  return encodeTlv(
    PeTag.header,
    encodeTlv(0x80, Uint8Array.of(2)),
    encodeTlv(0x81, Uint8Array.of(f.minor)),
    encodeTlv(0x82, utf8.encode(options.profileType ?? `WebLPA generic test profile (${variant})`)),
    encodeTlv(0x83, iccidBytes),
    encodeTlv(
      0xa5,
      ...services
        .map((s) => Service[s])
        .sort((a, b) => a - b)
        .map((n) => encodeTlv(0x80 + n)),
    ),
    encodeTlv(0xa6, ...templates.map((oid) => encodeTlv(0x06, encodeOid(oid)))),
  );
}

/** Digits in reading order, two per byte, F-padded to `length` bytes. */
function plainBcd(digits: string, length: number): Uint8Array {
  const padded = digits.padEnd(length * 2, 'F');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Digits nibble-swapped, F-padded to `length` bytes (TS 31.102 / TS 24.008 BCD). */
function swappedBcd(digits: string, length: number): Uint8Array {
  const padded = digits.padEnd(length * 2, 'F');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++)
    out[i] = (parseInt(padded[2 * i + 1]!, 16) << 4) | parseInt(padded[2 * i]!, 16);
  return out;
}

// ---------------------------------------------------------------------------------------
// MF, DF.TELECOM, GenericFileManagement

function dirRecord(aid: Uint8Array, label: string): Uint8Array {
  return encodeTlv(0x61, encodeTlv(0x4f, aid), encodeTlv(0x50, utf8.encode(label)));
}

function peMf(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.mf,
    templateId(TemplateOid.mf),
    templateFile(field(2), { fcp: { arr: [0x2f, 0x06, 0x01], pinStatus: PIN_STATUS_MF } }),
    // EF.PL: preferred languages "en", "de".
    templateFile(field(3), { content: hex('656E 6465 FFFF') }),
    templateFile(field(4), { content: encodeIccid(ctx.iccid) }),
    templateFile(field(5), {
      fcp: { descriptor: Descriptor.linear(0x26), fileId: 0x2f00, size: 0x26 * 4, sfi: 30 },
      records: {
        length: 0x26,
        data: [
          dirRecord(AID.usim, 'USIM'),
          dirRecord(AID.isim, 'ISIM'),
          dirRecord(AID.csim, 'CSIM'),
        ],
      },
    }),
    templateFile(field(6), {
      fcp: {
        descriptor: Descriptor.linear(ARR_RECORD_LENGTH),
        fileId: 0x2f06,
        size: ARR_RECORD_LENGTH * ARR_RECORDS.length,
      },
      records: arrRecords(),
    }),
  );
}

function pukCodes(ctx: Ctx): Uint8Array {
  const puk = (ref: number, value: string): Uint8Array =>
    encodeTlv(0x30, encodeTlv(0x80, encodeUnsigned(ref)), encodeTlv(0x81, utf8.encode(value)));
  return pe(ctx, PeTag.pukCodes, encodeTlv(0xa1, puk(0x01, '12345678'), puk(0x81, '87654321')));
}

function pinConfig(ref: number, digits: string, puk?: number): Uint8Array {
  const parts = [
    encodeTlv(0x80, encodeUnsigned(ref)),
    encodeTlv(0x81, padFF(utf8.encode(digits), 8)),
  ];
  if (puk !== undefined) parts.push(encodeTlv(0x82, encodeUnsigned(puk)));
  // pinAttributes: 6 (not the default 7).
  parts.push(encodeTlv(0x83, Uint8Array.of(0x06)));
  return encodeTlv(0x30, ...parts);
}

function pinCodesMf(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.pinCodes,
    encodeTlv(
      0xa1,
      encodeTlv(
        0xa0,
        pinConfig(0x01, '0000', 0x01),
        pinConfig(0x0a, '88888888'),
        pinConfig(0x0b, '99999999'),
      ),
    ),
  );
}

/** The local PIN (secondPINAppl1) of the application whose ADF came last. */
function pinCodesLocal(ctx: Ctx): Uint8Array {
  return pe(ctx, PeTag.pinCodes, encodeTlv(0xa1, encodeTlv(0xa0, pinConfig(0x81, '1111', 0x81))));
}

function peTelecom(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.telecom,
    templateId(TemplateOid.telecom),
    templateFile(field(2), {
      fcp: { fileId: 0x7f10, arr: [0x2f, 0x06, 0x01], pinStatus: PIN_STATUS_MF },
    }),
    templateFile(field(3), { records: arrRecords() }),
    // EF.SUME: empty, template size.
    templateFile(field(5)),
    // EF.PSISMSC: the SMSC as a tel URI (TLV 80).
    templateFile(field(8), {
      records: { length: 0x20, data: [encodeTlv(0x80, utf8.encode('tel:+491700000099'))] },
      fcp: { descriptor: Descriptor.linear(0x20), size: 0x20 },
    }),
    // DF.GRAPHICS and EF.IMG.
    templateFile(field(9), { fcp: { fileId: 0x5f50, pinStatus: PIN_STATUS_MF } }),
    templateFile(field(10)),
    // DF.PHONEBOOK and EF.PBR.
    templateFile(field(15), { fcp: { fileId: 0x5f3a, pinStatus: PIN_STATUS_MF } }),
    templateFile(field(16), {
      records: { length: 0x40, data: [hex('A8 05 C0 03 4F 3A 01')] },
    }),
    // DF.MMSS, EF.MLPL, EF.MSPL.
    templateFile(field(36), { fcp: { fileId: 0x5f3c, pinStatus: PIN_STATUS_MF } }),
    templateFile(field(37)),
    templateFile(field(38)),
  );
}

/** GenericFileManagement under the MF: an ADN file in DF.PHONEBOOK with two records. */
function gfmMf(ctx: Ctx): Uint8Array {
  const adn = (name: string, number: string): Uint8Array =>
    concat(
      padFF(utf8.encode(name), 14),
      Uint8Array.of(1 + Math.ceil(number.length / 2), 0x81),
      swappedBcd(number, 10),
      Uint8Array.of(0xff, 0xff),
    );
  return pe(
    ctx,
    PeTag.genericFileManagement,
    encodeTlv(
      0xa1,
      fileManagement([
        { path: [0x7f10, 0x5f3a] },
        {
          create: {
            descriptor: Descriptor.linear(0x1c),
            fileId: 0x4f3a,
            arr: [0x6f, 0x06, 0x01],
            size: 0x1c * 4,
            sfi: 1,
          },
        },
        {
          records: {
            length: 0x1c,
            data: [adn('Voicemail', '491700000098'), adn('Test', '0123456789')],
          },
        },
      ]),
    ),
  );
}

/** GenericFileManagement: EF.ADN in DF.TELECOM as a link to the phonebook's ADN file. */
function gfmLinks(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.genericFileManagement,
    encodeTlv(
      0xa1,
      fileManagement([
        { path: [0x7f10] },
        {
          create: {
            descriptor: Descriptor.linear(0x1c),
            fileId: 0x6f3a,
            arr: [0x2f, 0x06, 0x01],
            sfi: null,
            linkPath: [0x7f10, 0x5f3a, 0x4f3a],
          },
        },
      ]),
    ),
  );
}

// ---------------------------------------------------------------------------------------
// USIM

function mccMnc(imsi: string): { mcc: string; mnc: string } {
  return { mcc: imsi.slice(0, 3), mnc: imsi.slice(3, 5) };
}

/** PLMN identity (3 bytes, TS 24.008): MCC digit 2|1, MNC digit 3|MCC digit 3, MNC 2|1. */
function plmn(imsi: string): Uint8Array {
  const { mcc, mnc } = mccMnc(imsi);
  const d = (s: string, i: number): number => (i < s.length ? Number(s[i]) : 0xf);
  return Uint8Array.of(
    (d(mcc, 1) << 4) | d(mcc, 0),
    (d(mnc, 2) << 4) | d(mcc, 2),
    (d(mnc, 1) << 4) | d(mnc, 0),
  );
}

/** EF.IMSI (TS 31.102 §4.2.2): length, then the digits with the parity nibble, swapped. */
function imsiFile(imsi: string): Uint8Array {
  const parity = imsi.length % 2 === 1 ? 0x9 : 0x1;
  const body = swappedBcd(imsi.slice(1), Math.ceil((imsi.length - 1) / 2));
  const first = (Number(imsi[0]) << 4) | parity;
  return padFF(concat(Uint8Array.of(1 + body.length, first), body), 9);
}

/** A service table with the given service numbers set (bit (n-1) % 8 of byte (n-1) / 8). */
function serviceTable(services: readonly number[], bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (const n of services) out[(n - 1) >> 3]! |= 1 << ((n - 1) & 7);
  return out;
}

function plmnWithAct(imsi: string, count: number): Uint8Array {
  const entries = [concat(plmn(imsi), hex('C0 80'))];
  while (entries.length < count) entries.push(hex('FFFFFF 0000'));
  return concat(...entries);
}

function peUsim(ctx: Ctx): Uint8Array {
  const f = ctx.f;
  // TS 31.102 §4.2.8 service numbers.
  const services = [
    1, 2, 3, 4, 5, 9, 10, 11, 12, 14, 15, 17, 19, 20, 21, 27, 33, 34, 35, 38, 45, 46, 51, 71, 85,
    87,
  ];
  if (f.df5gs !== 'none') services.push(122, 123);
  if (f.suci) services.push(124, 125);
  const lastDigit = Number(ctx.imsi.at(-1));
  const fields = [
    templateId(TemplateOid.usim),
    templateFile(field(2), {
      fcp: {
        fileId: TEMP_FID.usim,
        dfName: AID.usim,
        arr: [0x2f, 0x06, 0x01],
        pinStatus: PIN_STATUS_ADF,
      },
    }),
    templateFile(field(3), { content: imsiFile(ctx.imsi) }),
    templateFile(field(4), {
      fcp: {
        descriptor: Descriptor.linear(ARR_RECORD_LENGTH),
        fileId: 0x6f06,
        size: ARR_RECORD_LENGTH * ARR_RECORDS.length,
      },
      records: arrRecords(),
    }),
    // EF.HPPLMN: search period 5 x 6 minutes.
    templateFile(field(7), { content: Uint8Array.of(0x05) }),
    templateFile(field(8), { fcp: { size: 17 }, content: serviceTable(services, 17) }),
    // EF.SPN: display condition, then the name.
    templateFile(field(13), {
      content: concat(Uint8Array.of(0x01), padFF(utf8.encode(ctx.spn), 16)),
    }),
    templateFile(field(14), { content: Uint8Array.of(0x00) }),
    templateFile(field(18), {
      content: Uint8Array.of(
        lastDigit >= 8 ? 1 << (lastDigit - 8) : 0,
        lastDigit < 8 ? 1 << lastDigit : 0,
      ),
    }),
    templateFile(field(19), { content: padFF(new Uint8Array(0), 12) }),
    templateFile(field(21), { content: hex('00 00 00 02') }),
    templateFile(field(22), {
      records: { length: 4, data: [hex('11F2FF 00'), hex('19F1FF 00')] },
    }),
  ];
  if (f.eps) fields.push(templateFile(field(24)), templateFile(field(25)));
  return pe(ctx, PeTag.usim, ...fields);
}

function peOptUsim(ctx: Ctx): Uint8Array {
  const msisdn = concat(
    Uint8Array.of(1 + Math.ceil(ctx.msisdn.length / 2), 0x91),
    swappedBcd(ctx.msisdn, 10),
    Uint8Array.of(0xff, 0xff),
  );
  return pe(
    ctx,
    PeTag.optUsim,
    templateId(TemplateOid.optUsim),
    templateFile(field(2), { content: hex('656E FFFF') }),
    templateFile(field(7), {
      fcp: { descriptor: Descriptor.linear(14), fileId: 0x6f40, size: 28 },
      records: { length: 14, data: [msisdn] },
    }),
    templateFile(field(15), { content: plmnWithAct(ctx.imsi, 8) }),
    templateFile(field(16), { content: plmnWithAct(ctx.imsi, 8) }),
    templateFile(field(17), { content: plmnWithAct(ctx.imsi, 1) }),
    // EF.PNN: full network name TLV 43 (GSM 7-bit default alphabet, packed).
    templateFile(field(38), {
      records: { length: 0x10, data: [hex('43 07 81 D7 32 88 5E 66 01')] },
    }),
    templateFile(field(39)),
    templateFile(field(46), { content: encodeTlv(0xa3, encodeTlv(0x80, plmn(ctx.imsi))) }),
    templateFile(field(58), { content: padFF(plmn(ctx.imsi), 12) }),
  );
}

function akaMilenage(ctx: Ctx): Uint8Array {
  const algo = encodeTlv(
    0xa1,
    encodeTlv(0x80, Uint8Array.of(1)),
    // algorithmOptions: bit 1 set, OPc rather than OP.
    encodeTlv(0x81, Uint8Array.of(0x01)),
    encodeTlv(0x82, ctx.k),
    encodeTlv(0x83, ctx.opc),
  );
  const fields = [encodeTlv(0xa1, algo)];
  if (ctx.f.sqn) {
    fields.push(
      // sqnOptions, sqnDelta, sqnAgeLimit (values other than the ASN.1 defaults).
      encodeTlv(0x82, Uint8Array.of(0x0a)),
      encodeTlv(0x83, hex('000020000000')),
      encodeTlv(0x84, hex('000040000000')),
      encodeTlv(
        0xa5,
        ...Array.from({ length: 32 }, (_, i) => encodeTlv(0x04, Uint8Array.of(0, 0, 0, 0, 0, i))),
      ),
    );
  }
  return pe(ctx, PeTag.akaParameter, ...fields);
}

/** ISIM authentication: mapped to the USIM's parameters (MappingParameter). */
function akaMapped(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.akaParameter,
    encodeTlv(
      0xa1,
      encodeTlv(0xa0, encodeTlv(0x80, Uint8Array.of(0x01)), encodeTlv(0x81, AID.usim)),
    ),
  );
}

function peGsmAccess(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.gsmAccess,
    templateId(TemplateOid.gsmAccess),
    templateFile(field(2), { fcp: { fileId: 0x5f3b, pinStatus: PIN_STATUS_ADF } }),
    templateFile(field(3)),
    templateFile(field(4)),
  );
}

// ---------------------------------------------------------------------------------------
// 5G: DF.5GS, DF.SAIP, SUCI

/**
 * EF.SUCI_Calc_Info (TS 31.102 §4.4.11.8): protection scheme identifier list `A0` (scheme,
 * key index pairs: profile B first, then profile A, then the null scheme) and the home
 * network public key list `A1` (key identifier `80`, key `81`).
 */
function suciCalcInfo(): Uint8Array {
  return concat(
    encodeTlv(0xa0, hex('02 02 01 01 00 00')),
    encodeTlv(
      0xa1,
      encodeTlv(0x80, Uint8Array.of(0x1b)),
      encodeTlv(0x81, HN_KEY_B),
      encodeTlv(0x80, Uint8Array.of(0x1a)),
      encodeTlv(0x81, HN_KEY_A),
    ),
  );
}

/** EF.Routing_Indicator (TS 31.102 §4.4.11.11): routing indicator "0", then RFU. */
const ROUTING_INDICATOR = hex('F0FF 0000');

function peDf5gs(ctx: Ctx): Uint8Array {
  const suci = ctx.f.suci;
  const fields = [
    templateId(TemplateOid.df5gs),
    templateFile(field(2), {
      fcp: { fileId: 0x5fc0, arr: [0x6f, 0x06, 0x02], pinStatus: PIN_STATUS_ADF },
    }),
    templateFile(field(3)),
    templateFile(field(4)),
    templateFile(field(5)),
    templateFile(field(6)),
    templateFile(field(7)),
    templateFile(field(8), { content: Uint8Array.of(0x00) }),
    templateFile(field(9), suci ? { fcp: { size: 0x80 }, content: suciCalcInfo() } : {}),
    templateFile(field(10)),
    templateFile(field(11)),
    templateFile(field(12), suci ? { content: ROUTING_INDICATOR } : {}),
  ];
  return pe(ctx, PeTag.df5gs, ...fields);
}

function peDfSaip(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.dfSaip,
    templateId(TemplateOid.dfSaip),
    templateFile(field(2), {
      fcp: { fileId: 0x5fd0, arr: [0x6f, 0x06, 0x02], pinStatus: PIN_STATUS_ADF },
    }),
    templateFile(field(3), ctx.f.suci ? { fcp: { size: 0x80 }, content: suciCalcInfo() } : {}),
  );
}

/** SAIP 2.1 has no DF.5GS template: the 5G files are created by GenericFileManagement. */
function gfm5gs(ctx: Ctx): Uint8Array {
  const ef = (fileId: number, size: number, sfi: number): FileCommand => ({
    create: { descriptor: Descriptor.transparent(), fileId, arr: [0x6f, 0x06, 0x02], size, sfi },
  });
  return pe(
    ctx,
    PeTag.genericFileManagement,
    encodeTlv(
      0xa1,
      fileManagement([
        { path: [TEMP_FID.usim] },
        {
          create: {
            descriptor: Descriptor.df(),
            fileId: 0x5fc0,
            arr: [0x6f, 0x06, 0x02],
            pinStatus: PIN_STATUS_ADF,
          },
        },
        { path: [TEMP_FID.usim, 0x5fc0] },
        ef(0x4f01, 20, 1),
        ef(0x4f02, 20, 2),
        ef(0x4f03, 57, 3),
        ef(0x4f04, 57, 4),
        ef(0x4f05, 110, 5),
        ef(0x4f06, 1, 6),
        { content: Uint8Array.of(0x00) },
        ef(0x4f07, 0x80, 7),
        ef(0x4f0a, 4, 10),
        { content: ROUTING_INDICATOR },
      ]),
    ),
  );
}

/** BER-TLV EFs (ETSI TS 102 221 §11.3) in ADF.USIM and ADF.ISIM. */
function gfmBerTlv(ctx: Ctx): Uint8Array {
  const create = (fileId: number): FileCommand => ({
    create: {
      descriptor: Descriptor.berTlv(),
      fileId,
      arr: [0x6f, 0x06, 0x01],
      size: 0x400,
      sfi: null,
      maxSize: 0x200,
    },
  });
  return pe(
    ctx,
    PeTag.genericFileManagement,
    encodeTlv(
      0xa1,
      fileManagement([
        { path: [TEMP_FID.usim] },
        create(0x6ff0),
        { content: hex('5F01 03 010203 5F02 02 ABCD') },
        { path: [TEMP_FID.isim] },
        create(0x6ff0),
      ]),
    ),
  );
}

// ---------------------------------------------------------------------------------------
// CSIM, ISIM

function peCsim(ctx: Ctx): Uint8Array {
  // PE-CSIM lists 35 files after the ADF, all mandatory: empty ones take the template.
  const files: Uint8Array[] = [];
  for (let n = 4; n <= 36; n++) files.push(templateFile(field(n)));
  return pe(
    ctx,
    PeTag.csim,
    templateId(TemplateOid.csim),
    templateFile(field(2), {
      fcp: {
        fileId: TEMP_FID.csim,
        dfName: AID.csim,
        arr: [0x2f, 0x06, 0x01],
        pinStatus: PIN_STATUS_ADF,
      },
    }),
    templateFile(field(3), { records: arrRecords() }),
    ...files,
  );
}

function peOptCsim(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.optCsim,
    templateId(TemplateOid.optCsim),
    templateFile(field(9)),
    templateFile(field(10), { content: hex('11F2FF') }),
  );
}

function cdmaParameter(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.cdmaParameter,
    encodeTlv(0x81, hex('0011223344556677')),
    encodeTlv(0x82, hex('8899AABBCCDDEEFF0011223344556677')),
  );
}

function tlvString(value: string): Uint8Array {
  return encodeTlv(0x80, utf8.encode(value));
}

function peIsim(ctx: Ctx): Uint8Array {
  const { mcc, mnc } = mccMnc(ctx.imsi);
  const domain = `ims.mnc${mnc.padStart(3, '0')}.mcc${mcc}.3gppnetwork.org`;
  const recLen = 0x80;
  return pe(
    ctx,
    PeTag.isim,
    templateId(TemplateOid.isim),
    templateFile(field(2), {
      fcp: {
        fileId: TEMP_FID.isim,
        dfName: AID.isim,
        arr: [0x2f, 0x06, 0x01],
        pinStatus: PIN_STATUS_ADF,
      },
    }),
    templateFile(field(3), {
      fcp: { size: recLen },
      content: tlvString(`${ctx.imsi}@${domain}`),
    }),
    templateFile(field(4), {
      fcp: { descriptor: Descriptor.linear(recLen), size: recLen * 2 },
      records: {
        length: recLen,
        data: [tlvString(`sip:${ctx.imsi}@${domain}`), tlvString(`tel:+${ctx.msisdn}`)],
      },
    }),
    templateFile(field(5), { fcp: { size: recLen }, content: tlvString(domain) }),
    templateFile(field(6), { content: serviceTable([1, 2, 3, 5], 2) }),
    templateFile(field(7), { content: hex('00 00 00 02') }),
    templateFile(field(8), { records: arrRecords() }),
  );
}

function peOptIsim(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.optIsim,
    templateId(TemplateOid.optIsim),
    // EF.P-CSCF: address TLV 80 {type 00 = FQDN, name}.
    templateFile(field(2), {
      records: {
        length: 0x40,
        data: [encodeTlv(0x80, concat(Uint8Array.of(0), utf8.encode('pcscf.test.example')))],
      },
    }),
    templateFile(field(5), { content: hex('FFFF') }),
  );
}

// ---------------------------------------------------------------------------------------
// Security domain, RFM

function securityDomain(ctx: Ctx): Uint8Array {
  const instance = encodeTlv(
    0xa1,
    encodeTlv(0x4f, AID.sdPackage),
    encodeTlv(0x4f, AID.sdModule),
    encodeTlv(0x4f, AID.mnoSd),
    // Privileges: security domain, trusted path, authorized management, ...
    encodeTlv(0x82, hex('82DC00')),
    // Life cycle: PERSONALIZED.
    encodeTlv(0x83, Uint8Array.of(0x0f)),
    // Install parameters C9: SCP03 (02) i=70.
    encodeTlv(0xc9, hex('81 02 03 70')),
  );
  // SCP03 keys of key version 30: ENC (usage 38), MAC (34), DEK (C8), AES (type 88).
  const key = (usage: number, id: number): Uint8Array =>
    encodeTlv(
      0x30,
      encodeTlv(0x95, Uint8Array.of(usage)),
      encodeTlv(0x82, Uint8Array.of(id)),
      encodeTlv(0x83, Uint8Array.of(0x30)),
      encodeTlv(
        0x30,
        encodeTlv(0x30, encodeTlv(0x80, Uint8Array.of(0x88)), encodeTlv(0x86, SD_KEY)),
      ),
    );
  return pe(
    ctx,
    PeTag.securityDomain,
    instance,
    encodeTlv(0xa2, key(0x38, 1), key(0x34, 2), key(0xc8, 3)),
  );
}

/** PE-RFM: one RFM instance with its TAR; `adf` makes that ADF the default selection. */
function rfm(ctx: Ctx, n: number, tar: Uint8Array, adf?: Uint8Array): Uint8Array {
  const fields = [
    encodeTlv(0x4f, AID.rfm(n)),
    encodeTlv(0xa0, encodeTlv(0x04, tar)),
    // minimumSecurityLevel: cryptographic checksum and ciphering.
    encodeTlv(0x81, Uint8Array.of(0x06)),
    // uiccAccessDomain, uiccAdminAccessDomain: full access (00).
    encodeTlv(0x04, Uint8Array.of(0x00)),
    encodeTlv(0x04, Uint8Array.of(0x00)),
  ];
  if (adf)
    fields.push(
      encodeTlv(
        0x30,
        encodeTlv(0x80, adf),
        encodeTlv(0x81, Uint8Array.of(0x00)),
        encodeTlv(0x82, Uint8Array.of(0x00)),
      ),
    );
  return pe(ctx, PeTag.rfm, ...fields);
}
