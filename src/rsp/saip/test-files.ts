/**
 * File-system ProfileElements of the generated test profiles: MF, DF.TELECOM,
 * GenericFileManagement, USIM, GSM access, DF.5GS / DF.SAIP, CSIM and ISIM.
 */
import { concat, encodeIccid, encodeTlv, utf8 } from '../../codec/index.ts';
import { Descriptor, fileManagement, hex, padFF, templateFile, templateId } from './build.ts';
import type { FileCommand } from './build.ts';
import { PeTag, TemplateOid } from './tags.ts';
import {
  AID,
  imsiFile,
  plmnWithAct,
  ARR_RECORDS,
  ARR_RECORD_LENGTH,
  arrRecords,
  field,
  HN_KEY_A,
  HN_KEY_B,
  mccMnc,
  pe,
  PIN_STATUS_ADF,
  PIN_STATUS_MF,
  plmn,
  serviceTable,
  swappedBcd,
  TEMP_FID,
  tlvString,
} from './test-context.ts';
import type { Ctx } from './test-context.ts';

// ---------------------------------------------------------------------------------------
// MF, DF.TELECOM, GenericFileManagement

export function dirRecord(aid: Uint8Array, label: string): Uint8Array {
  return encodeTlv(0x61, encodeTlv(0x4f, aid), encodeTlv(0x50, utf8.encode(label)));
}

/** An application's ADF (field 2 of its PE): temporary file ID, AID, EF.ARR record 1, PIN status. */

/** An EF.ARR (TS 102 221 §13.4) carrying the profile's access rules, as a linear fixed file. */
function arrFile(tag: number, fileId: number): Uint8Array {
  return templateFile(tag, {
    fcp: {
      descriptor: Descriptor.linear(ARR_RECORD_LENGTH),
      fileId,
      size: ARR_RECORD_LENGTH * ARR_RECORDS.length,
    },
    records: arrRecords(),
  });
}
function adfFile(fileId: number, dfName: Uint8Array): Uint8Array {
  return templateFile(field(2), {
    fcp: { fileId, dfName, arr: [0x2f, 0x06, 0x01], pinStatus: PIN_STATUS_ADF },
  });
}

export function peMf(ctx: Ctx): Uint8Array {
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
    arrFile(field(6), 0x2f06),
  );
}

export function peTelecom(ctx: Ctx): Uint8Array {
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
export function gfmMf(ctx: Ctx): Uint8Array {
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
export function gfmLinks(ctx: Ctx): Uint8Array {
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

export function peUsim(ctx: Ctx): Uint8Array {
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
    adfFile(TEMP_FID.usim, AID.usim),
    templateFile(field(3), { content: imsiFile(ctx.imsi) }),
    arrFile(field(4), 0x6f06),
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

export function peOptUsim(ctx: Ctx): Uint8Array {
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

export function peGsmAccess(ctx: Ctx): Uint8Array {
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
export function suciCalcInfo(): Uint8Array {
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
export const ROUTING_INDICATOR = hex('F0FF 0000');

export function peDf5gs(ctx: Ctx): Uint8Array {
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

export function peDfSaip(ctx: Ctx): Uint8Array {
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
export function gfm5gs(ctx: Ctx): Uint8Array {
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
export function gfmBerTlv(ctx: Ctx): Uint8Array {
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

export function peCsim(ctx: Ctx): Uint8Array {
  // PE-CSIM lists 35 files after the ADF, all mandatory: empty ones take the template.
  const files: Uint8Array[] = [];
  for (let n = 4; n <= 36; n++) files.push(templateFile(field(n)));
  return pe(
    ctx,
    PeTag.csim,
    templateId(TemplateOid.csim),
    adfFile(TEMP_FID.csim, AID.csim),
    templateFile(field(3), { records: arrRecords() }),
    ...files,
  );
}

export function peOptCsim(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.optCsim,
    templateId(TemplateOid.optCsim),
    templateFile(field(9)),
    templateFile(field(10), { content: hex('11F2FF') }),
  );
}

export function peIsim(ctx: Ctx): Uint8Array {
  const { mcc, mnc } = mccMnc(ctx.imsi);
  const domain = `ims.mnc${mnc.padStart(3, '0')}.mcc${mcc}.3gppnetwork.org`;
  const recLen = 0x80;
  return pe(
    ctx,
    PeTag.isim,
    templateId(TemplateOid.isim),
    adfFile(TEMP_FID.isim, AID.isim),
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

export function peOptIsim(ctx: Ctx): Uint8Array {
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
