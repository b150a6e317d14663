/**
 * Credential ProfileElements of the generated test profiles: PIN and PUK codes, AKA
 * parameters (Milenage, or mapped to the USIM), CDMA parameters, the MNO security domain
 * with its SCP03 keys, and the RFM instances.
 */
import { encodeTlv, encodeUnsigned, utf8 } from '../../codec/index.ts';
import { hex, padFF } from './build.ts';
import { PeTag } from './tags.ts';
import { AID, pe, SD_KEY, SSD_KEY } from './test-context.ts';
import type { Ctx } from './test-context.ts';

// ---------------------------------------------------------------------------------------
// PIN, PUK, AKA, CDMA

export function pukCodes(ctx: Ctx): Uint8Array {
  const puk = (ref: number, value: string): Uint8Array =>
    encodeTlv(0x30, encodeTlv(0x80, encodeUnsigned(ref)), encodeTlv(0x81, utf8.encode(value)));
  return pe(ctx, PeTag.pukCodes, encodeTlv(0xa1, puk(0x01, '12345678'), puk(0x81, '87654321')));
}

export function pinConfig(ref: number, digits: string, puk?: number): Uint8Array {
  const parts = [
    encodeTlv(0x80, encodeUnsigned(ref)),
    encodeTlv(0x81, padFF(utf8.encode(digits), 8)),
  ];
  if (puk !== undefined) parts.push(encodeTlv(0x82, encodeUnsigned(puk)));
  // pinAttributes: 6 (not the default 7).
  parts.push(encodeTlv(0x83, Uint8Array.of(0x06)));
  return encodeTlv(0x30, ...parts);
}

export function pinCodesMf(ctx: Ctx): Uint8Array {
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
export function pinCodesLocal(ctx: Ctx): Uint8Array {
  return pe(ctx, PeTag.pinCodes, encodeTlv(0xa1, encodeTlv(0xa0, pinConfig(0x81, '1111', 0x81))));
}

export function akaMilenage(ctx: Ctx): Uint8Array {
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
export function akaMapped(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.akaParameter,
    encodeTlv(
      0xa1,
      encodeTlv(0xa0, encodeTlv(0x80, Uint8Array.of(0x01)), encodeTlv(0x81, AID.usim)),
    ),
  );
}

export function cdmaParameter(ctx: Ctx): Uint8Array {
  return pe(
    ctx,
    PeTag.cdmaParameter,
    encodeTlv(0x81, hex('0011223344556677')),
    encodeTlv(0x82, hex('8899AABBCCDDEEFF0011223344556677')),
  );
}

// ---------------------------------------------------------------------------------------
// Security domain, RFM

/**
 * PE-SecurityDomain: the MNO security domain, or a supplementary security domain (SSD)
 * extradited to it; each with three AES SCP03 keys (ENC usage 38, MAC 34, DEK C8).
 */
export function securityDomain(ctx: Ctx, kind: 'mno' | 'ssd' = 'mno'): Uint8Array {
  const ssd = kind === 'ssd';
  const instance = encodeTlv(
    0xa1,
    encodeTlv(0x4f, AID.sdPackage),
    encodeTlv(0x4f, AID.sdModule),
    encodeTlv(0x4f, ssd ? AID.ssd : AID.mnoSd),
    ...(ssd ? [encodeTlv(0x4f, AID.mnoSd)] : []),
    // Privileges: MNO-SD: security domain, trusted path, authorized management, ...;
    // SSD: security domain only.
    encodeTlv(0x82, ssd ? hex('800000') : hex('82DC00')),
    // Life cycle: PERSONALIZED.
    encodeTlv(0x83, Uint8Array.of(0x0f)),
    // Install parameters C9: SCP03 (03) i=70.
    encodeTlv(0xc9, hex('81 02 03 70')),
  );
  const kvn = ssd ? 0x31 : 0x30;
  const value = ssd ? SSD_KEY : SD_KEY;
  const key = (usage: number, id: number): Uint8Array =>
    encodeTlv(
      0x30,
      encodeTlv(0x95, Uint8Array.of(usage)),
      encodeTlv(0x82, Uint8Array.of(id)),
      encodeTlv(0x83, Uint8Array.of(kvn)),
      encodeTlv(
        0x30,
        encodeTlv(0x30, encodeTlv(0x80, Uint8Array.of(0x88)), encodeTlv(0x86, value)),
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
export function rfm(ctx: Ctx, n: number, tar: Uint8Array, adf?: Uint8Array): Uint8Array {
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
