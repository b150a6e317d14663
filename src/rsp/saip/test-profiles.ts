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
import { concat, encodeIccid, encodeTlv, normaliseIccid, utf8 } from '../../codec/index.ts';
import { encodeOid } from '../oid.ts';
import { hex, peHeader } from './build.ts';
import { PeTag, Service, TemplateOid } from './tags.ts';
import type { ServiceName } from './tags.ts';
import { AID, MILENAGE_K, MILENAGE_OPC, plainBcd } from './test-context.ts';
import type { Ctx, Features } from './test-context.ts';
import {
  gfm5gs,
  gfmBerTlv,
  gfmLinks,
  gfmMf,
  peCsim,
  peDf5gs,
  peDfSaip,
  peGsmAccess,
  peIsim,
  peMf,
  peOptCsim,
  peOptIsim,
  peOptUsim,
  peTelecom,
  peUsim,
} from './test-files.ts';
import {
  akaMapped,
  akaMilenage,
  cdmaParameter,
  pinCodesLocal,
  pinCodesMf,
  pukCodes,
  rfm,
  securityDomain,
} from './test-keys.ts';

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
    ssd: minor === 3,
    ...f,
  };
}

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
  if (f.ssd) pes.push(securityDomain(ctx, 'ssd'));
  pes.push(rfm(ctx, 1, hex('B00010')));
  pes.push(rfm(ctx, 2, hex('B00020'), AID.usim));
  pes.push(rfm(ctx, 3, hex('B00030'), AID.isim));
  pes.push(rfm(ctx, 4, hex('B00040'), AID.csim));
  pes.push(encodeTlv(PeTag.end, peHeader(ctx.nextId++)));
  return concat(...pes);
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
