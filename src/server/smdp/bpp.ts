/**
 * Bound Profile Package generation (docs/protocol.md §5.2, §7.4-§7.6):
 *   BF36 { BF23 InitialiseSecureChannel, A0 {87 ConfigureISDP}, A1 {88 StoreMetadata...},
 *          [A2 {87 ReplaceSessionKeys}], A3 {86 profile segments...} }
 * The SM-DP+ makes a fresh one-time key pair on the DPpb curve, agrees ShS with the eUICC's
 * one-time key, derives S-ENC/S-MAC/MCV with the EID in SharedInfo and protects every part
 * with one SCP03t MAC chain (src/rsp BspSession). Segments are at most 1020 bytes each.
 */
import { concat, encodeTlv } from '../../codec/index.ts';
import { Es10Tag, Tag } from '../../es10/tags.ts';
import {
  BspSession,
  deriveBspKeys,
  ecka,
  encodeReplaceSessionKeys,
  generateKeyPair,
  protectSegments,
  signTr03111,
  type EcKeyPair,
  type Rng,
} from '../../rsp/index.ts';

/** RemoteOpId installBoundProfilePackage (SGP.22 InitialiseSecureChannelRequest `82`). */
const REMOTE_OP_INSTALL_BPP = 1;
/** CRT key type AES (GlobalPlatform key type 0x88) and 16-byte keys (docs/protocol.md §5.2). */
const KEY_TYPE_AES = 0x88;
const KEY_LENGTH = 16;
/** SGP.22 segment limit: every 86/87/88 TLV at most 1020 bytes (docs/protocol.md §7.6). */
export const MAX_SEGMENT = 1020;

export interface BppInput {
  transactionId: Uint8Array;
  /** The DPpb key of the session's CI: signs BF23. */
  dpPb: EcKeyPair;
  /** otPK.EUICC.ECKA from euiccSigned2 (65 bytes, on the DPpb curve). */
  euiccOtpk: Uint8Array;
  /** The eUICC's EID as 16 BCD bytes (part of the KDF SharedInfo). */
  eid: Uint8Array;
  /** StoreMetadataRequest `BF25`. */
  metadata: Uint8Array;
  /** The profile package (SAIP PE stream). */
  profile: Uint8Array;
  /** Add `A2` ReplaceSessionKeys and protect the profile with fresh PPK keys. */
  replaceSessionKeys?: boolean;
  rng: Rng;
}

export interface BuiltBpp {
  bpp: Uint8Array;
  /** otPK.DP.ECKA (for logs/tests). */
  smdpOtpk: Uint8Array;
  /** Number of 86 segments. */
  segments: number;
}

/** Builds a complete BF36 bound profile package. Throws RspCryptoError on a bad eUICC key. */
export function buildBoundProfilePackage(input: BppInput): BuiltBpp {
  const ot = generateKeyPair(input.dpPb.curve, input.rng);
  const shs = ecka(ot, input.euiccOtpk);
  const hostId = input.rng(16);
  const keys = deriveBspKeys(shs, {
    hostId,
    eid: input.eid,
    keyType: KEY_TYPE_AES,
    keyLength: KEY_LENGTH,
  });

  const iscFields = concat(
    encodeTlv(0x82, Uint8Array.of(REMOTE_OP_INSTALL_BPP)),
    encodeTlv(0x80, input.transactionId),
    encodeTlv(
      0xa6,
      encodeTlv(0x80, Uint8Array.of(KEY_TYPE_AES)),
      encodeTlv(0x81, Uint8Array.of(KEY_LENGTH)),
      encodeTlv(0x84, hostId),
    ),
    encodeTlv(Tag.EuiccOtpk, ot.publicKey),
  );
  // smdpSign covers the ISC fields followed by the eUICC's one-time key as a 5F49 TLV (§5.2).
  const smdpSign = signTr03111(
    input.dpPb,
    concat(iscFields, encodeTlv(Tag.EuiccOtpk, input.euiccOtpk)),
  );
  const bf23 = encodeTlv(
    Es10Tag.InitialiseSecureChannel,
    iscFields,
    encodeTlv(Tag.Signature, smdpSign),
  );

  const session = new BspSession(keys);
  // ConfigureISDPRequest without dpProprietaryData: `BF24 00`.
  const a0 = encodeTlv(Tag.Cons0, session.protect(0x87, encodeTlv(Es10Tag.ConfigureIsdp)));
  const a1 = encodeTlv(Tag.Cons1, ...protectSegments(session, 0x88, input.metadata, MAX_SEGMENT));

  const parts = [bf23, a0, a1];
  let profileSession = session;
  if (input.replaceSessionKeys) {
    const ppk = { initialMcv: input.rng(16), sEnc: input.rng(16), sMac: input.rng(16) };
    // ReplaceSessionKeysRequest BF26 {80 initialMCV, 81 ppkEnc, 82 ppkCmac} (docs/protocol.md §5.2).
    parts.push(encodeTlv(Tag.Cons2, session.protect(0x87, encodeReplaceSessionKeys(ppk))));
    profileSession = new BspSession(ppk);
  }
  const segments = protectSegments(profileSession, 0x86, input.profile, MAX_SEGMENT);
  parts.push(encodeTlv(Tag.Cons3, ...segments));
  return {
    bpp: encodeTlv(Es10Tag.BoundProfilePackage, ...parts),
    smdpOtpk: ot.publicKey,
    segments: segments.length,
  };
}
