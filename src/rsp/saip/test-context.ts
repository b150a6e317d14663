/**
 * Shared pieces of the generated test profiles (saip/test-profiles.ts): the variant features,
 * the build context, identifiers, access rules and test keys, and digit codings.
 */
import { concat, encodeTlv, utf8 } from '../../codec/index.ts';
import { hex, padFF, peHeader } from './build.ts';

export interface Features {
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
  /** A supplementary security domain beside the MNO-SD. */
  ssd: boolean;
}

// Application identifiers: 3GPP USIM/ISIM (RID A000000087, 1002/1004), 3GPP2 CSIM
// (RID A000000343, 1002), GlobalPlatform ISD load file/module and the MNO-SD instance.
export const AID = {
  usim: hex('A0000000871002FFFFFFFF8906040001'),
  isim: hex('A0000000871004FFFFFFFF8906040001'),
  csim: hex('A0000003431002FFFFFFFF8906040001'),
  sdPackage: hex('A0000001515350'),
  sdModule: hex('A000000151535041'),
  mnoSd: hex('A000000151000000'),
  /** The supplementary security domain of the SAIP 2.3 variants. */
  ssd: hex('A0000001515350445344'),
  rfm: (n: number): Uint8Array => concat(hex('A0000005591010FFFFFFFF89000001'), Uint8Array.of(n)),
};

/** Temporary file IDs of the ADFs inside the package (SAIP: unique within the profile). */
export const TEMP_FID = { usim: 0x7ff0, isim: 0x7ff1, csim: 0x7ff2 } as const;

/** TS 102 221 access rules (expanded format) for EF.ARR records. */
export const ARR_RECORDS = [
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
export const ARR_RECORD_LENGTH = 0x30;

export function arrRecords(): { length: number; data: Uint8Array[] } {
  return { length: ARR_RECORD_LENGTH, data: ARR_RECORDS };
}

/** pinStatusTemplateDO: the PS_DO byte, then the key references it covers. */
export const PIN_STATUS_MF = hex('81 01 0A');
export const PIN_STATUS_ADF = hex('81 81 0A');

export const MILENAGE_K = hex('465B5CE8B199B49FAA5F0A2EE238A6BC');
export const MILENAGE_OPC = hex('CD63CB71954A9F4E48A5994E37A02BAF');
export const SD_KEY = hex('404142434445464748494A4B4C4D4E4F');
export const SSD_KEY = hex('505152535455565758595A5B5C5D5E5F');
// ECIES home network public keys: profile A (X25519) and profile B (P-256, compressed).
export const HN_KEY_A = hex('5A8D38864820197C3394B92613B20B91633CBD897119273BF8E4A6F4EEC0A650');
export const HN_KEY_B = hex('0272DA71976234CE833A6907425867B82E074D44EF907DFB4B3E21C1C2256EBCD1');

export interface Ctx {
  f: Features;
  iccid: string;
  imsi: string;
  msisdn: string;
  spn: string;
  k: Uint8Array;
  opc: Uint8Array;
  nextId: number;
}

export function pe(ctx: Ctx, tag: number, ...fields: Uint8Array[]): Uint8Array {
  return encodeTlv(tag, peHeader(ctx.nextId++), ...fields);
}

/** Context tag [n] of a SEQUENCE field, constructed (files are SEQUENCE OF). */
export function field(n: number): number {
  return n < 31 ? 0xa0 + n : 0xbf00 + n;
}
/** Digits in reading order, two per byte, F-padded to `length` bytes. */
export function plainBcd(digits: string, length: number): Uint8Array {
  const padded = digits.padEnd(length * 2, 'F');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Digits nibble-swapped, F-padded to `length` bytes (TS 31.102 / TS 24.008 BCD). */
export function swappedBcd(digits: string, length: number): Uint8Array {
  const padded = digits.padEnd(length * 2, 'F');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++)
    out[i] = (parseInt(padded[2 * i + 1]!, 16) << 4) | parseInt(padded[2 * i]!, 16);
  return out;
}

export function mccMnc(imsi: string): { mcc: string; mnc: string } {
  return { mcc: imsi.slice(0, 3), mnc: imsi.slice(3, 5) };
}

/** PLMN identity (3 bytes, TS 24.008): MCC digit 2|1, MNC digit 3|MCC digit 3, MNC 2|1. */
export function plmn(imsi: string): Uint8Array {
  const { mcc, mnc } = mccMnc(imsi);
  const d = (s: string, i: number): number => (i < s.length ? Number(s[i]) : 0xf);
  return Uint8Array.of(
    (d(mcc, 1) << 4) | d(mcc, 0),
    (d(mnc, 2) << 4) | d(mcc, 2),
    (d(mnc, 1) << 4) | d(mnc, 0),
  );
}

/** EF.IMSI (TS 31.102 §4.2.2): length, then the digits with the parity nibble, swapped. */
export function imsiFile(imsi: string): Uint8Array {
  const parity = imsi.length % 2 === 1 ? 0x9 : 0x1;
  const body = swappedBcd(imsi.slice(1), Math.ceil((imsi.length - 1) / 2));
  const first = (Number(imsi[0]) << 4) | parity;
  return padFF(concat(Uint8Array.of(1 + body.length, first), body), 9);
}

/** A service table with the given service numbers set (bit (n-1) % 8 of byte (n-1) / 8). */
export function serviceTable(services: readonly number[], bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (const n of services) out[(n - 1) >> 3]! |= 1 << ((n - 1) & 7);
  return out;
}

export function plmnWithAct(imsi: string, count: number): Uint8Array {
  const entries = [concat(plmn(imsi), hex('C0 80'))];
  while (entries.length < count) entries.push(hex('FFFFFF 0000'));
  return concat(...entries);
}

export function tlvString(value: string): Uint8Array {
  return encodeTlv(0x80, utf8.encode(value));
}
