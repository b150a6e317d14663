/**
 * A minimal eUICC side of the download flow written for the SM-DP+ tests, straight from
 * docs/protocol.md §5 with src/rsp crypto: it builds exactly the DER the LPA forwards and checks
 * every server signature, then unwraps the BPP independently of the server's encoder.
 */
import {
  children,
  concat,
  decodeOne,
  encodeBitString,
  encodeEid,
  encodeIccid,
  encodeTlv,
  find,
  fromBase64,
  fromHex,
  required,
  toBase64,
  utf8,
  type Tlv,
} from '../../../src/codec/index.ts';
import {
  BspSession,
  deriveBspKeys,
  ecka,
  encodeOid,
  generateKeyPair,
  parseCertificate,
  signTr03111,
  verifyTr03111,
  type EcKeyPair,
} from '../../../src/rsp/index.ts';
import { sha256 } from '@noble/hashes/sha2.js';

export interface Identity {
  eid: string;
  euiccCert: Uint8Array;
  eumCert: Uint8Array;
  euiccKey: EcKeyPair;
  ciKeyId: Uint8Array;
}

export interface InitiateAuthenticationOk {
  transactionId: string;
  serverSigned1: string;
  serverSignature1: string;
  euiccCiPKIdToBeUsed: string;
  serverCertificate: string;
}

export interface AuthenticateClientOk {
  transactionId: string;
  profileMetadata: string;
  smdpSigned2: string;
  smdpSignature2: string;
  smdpCertificate: string;
}

export interface UnwrappedBpp {
  configureIsdp: Uint8Array;
  metadata: Uint8Array;
  replaceSessionKeys: boolean;
  profile: Uint8Array;
  segmentSizes: number[];
}

export function euiccInfo1(ciKeyIds: Uint8Array[], svn = [2, 2, 0]): Uint8Array {
  const list = (tag: number): Uint8Array =>
    encodeTlv(tag, ...ciKeyIds.map((k) => encodeTlv(0x04, k)));
  return encodeTlv(0xbf20, encodeTlv(0x82, Uint8Array.from(svn)), list(0xa9), list(0xaa));
}

export class MiniEuicc {
  readonly challenge = new Uint8Array(16).map((_, i) => i + 1);
  private euiccSignature1Tlv: Uint8Array = new Uint8Array(0);
  private smdpSignature2Tlv: Uint8Array = new Uint8Array(0);
  private otKey: EcKeyPair | undefined;
  private dpPbPublic: { curve: EcKeyPair['curve']; key: Uint8Array } | undefined;
  transactionId: Uint8Array = new Uint8Array(0);

  constructor(readonly id: Identity) {}

  info1(): Uint8Array {
    return euiccInfo1([this.id.ciKeyId]);
  }

  /** Checks serverSignature1 and answers with a signed AuthenticateServerResponse (BF38). */
  authenticateServer(
    r: InitiateAuthenticationOk,
    options: { matchingId?: string; address: string; corruptSignature?: boolean },
  ): Uint8Array {
    const signed1 = fromBase64(r.serverSigned1);
    const sig1 = decodeOne(fromBase64(r.serverSignature1), 0x5f37).value;
    const cert = parseCertificate(fromBase64(r.serverCertificate));
    if (!verifyTr03111(cert.curve, cert.publicKey, signed1, sig1))
      throw new Error('serverSignature1 does not verify');
    const s = children(decodeOne(signed1, 0x30));
    this.transactionId = required(s, 0x80).value;
    const ctx = encodeTlv(
      0xa0,
      ...(options.matchingId !== undefined
        ? [encodeTlv(0x80, utf8.encode(options.matchingId))]
        : []),
      encodeTlv(0xa1, encodeTlv(0x80, fromHex('35290611')), encodeTlv(0xa1)),
    );
    const euiccSigned1 = encodeTlv(
      0x30,
      encodeTlv(0x80, this.transactionId),
      encodeTlv(0x83, utf8.encode(options.address)),
      encodeTlv(0x84, required(s, 0x84).value),
      encodeTlv(0xbf22, encodeTlv(0x82, Uint8Array.of(2, 2, 0))),
      ctx,
    );
    const sig = signTr03111(this.id.euiccKey, euiccSigned1);
    if (options.corruptSignature) sig[10]! ^= 0x01;
    this.euiccSignature1Tlv = encodeTlv(0x5f37, sig);
    return encodeTlv(
      0xbf38,
      encodeTlv(0xa0, euiccSigned1, this.euiccSignature1Tlv, this.id.euiccCert, this.id.eumCert),
    );
  }

  /** Checks smdpSignature2 and answers with a PrepareDownloadResponse (BF21). */
  prepareDownload(r: AuthenticateClientOk, confirmationCode?: string): Uint8Array {
    const signed2 = fromBase64(r.smdpSigned2);
    this.smdpSignature2Tlv = fromBase64(r.smdpSignature2);
    const cert = parseCertificate(fromBase64(r.smdpCertificate));
    const sig = decodeOne(this.smdpSignature2Tlv, 0x5f37).value;
    if (!verifyTr03111(cert.curve, cert.publicKey, concat(signed2, this.euiccSignature1Tlv), sig))
      throw new Error('smdpSignature2 does not verify');
    this.dpPbPublic = { curve: cert.curve, key: cert.publicKey };
    this.otKey = generateKeyPair(cert.curve);
    const hashCc =
      confirmationCode === undefined
        ? []
        : [
            encodeTlv(
              0x04,
              sha256(concat(sha256(utf8.encode(confirmationCode)), this.transactionId)),
            ),
          ];
    const euiccSigned2 = encodeTlv(
      0x30,
      encodeTlv(0x80, this.transactionId),
      encodeTlv(0x5f49, this.otKey.publicKey),
      ...hashCc,
    );
    const sig2 = signTr03111(this.id.euiccKey, concat(euiccSigned2, this.smdpSignature2Tlv));
    return encodeTlv(0xbf21, encodeTlv(0xa0, euiccSigned2, encodeTlv(0x5f37, sig2)));
  }

  /** Verifies BF23, derives the keys and unprotects every segment (docs/protocol.md §5.2, §7.6). */
  loadBpp(bppB64: string): UnwrappedBpp {
    const bpp = decodeOne(fromBase64(bppB64), 0xbf36);
    const parts = children(bpp);
    const isc = required(parts, 0xbf23);
    const iscItems = children(isc);
    const sign = required(iscItems, 0x5f37).value;
    const signedPart = concat(
      ...iscItems.filter((t) => t.tag !== 0x5f37).map((t) => t.raw),
      encodeTlv(0x5f49, this.otKey!.publicKey),
    );
    if (!verifyTr03111(this.dpPbPublic!.curve, this.dpPbPublic!.key, signedPart, sign))
      throw new Error('smdpSign does not verify');
    if (required(iscItems, 0x82).value[0] !== 1) throw new Error('remoteOpId');
    const crt = children(required(iscItems, 0xa6));
    const hostId = required(crt, 0x84).value;
    const shs = ecka(this.otKey!, required(iscItems, 0x5f49).value);
    const keys = deriveBspKeys(shs, { hostId, eid: encodeEid(this.id.eid) });
    let session = new BspSession(keys);
    const sizes: number[] = [];
    const open = (t: Tlv, s: BspSession): Uint8Array => {
      sizes.push(t.raw.length);
      return s.unprotect(t.raw);
    };
    const a0 = children(required(parts, 0xa0));
    const configureIsdp = open(a0[0]!, session);
    const metadata = concat(...children(required(parts, 0xa1)).map((t) => open(t, session)));
    const a2 = find(parts, 0xa2);
    if (a2) {
      const rsk = children(decodeOne(open(children(a2)[0]!, session), 0xbf26));
      session = new BspSession({
        initialMcv: required(rsk, 0x80).value,
        sEnc: required(rsk, 0x81).value,
        sMac: required(rsk, 0x82).value,
      });
    }
    const profile = concat(...children(required(parts, 0xa3)).map((t) => open(t, session)));
    return {
      configureIsdp,
      metadata,
      replaceSessionKeys: a2 !== undefined,
      profile,
      segmentSizes: sizes,
    };
  }

  /** A signed install result (BF37) for the current transaction. */
  installResult(options: {
    seq: number;
    smdpOid: string;
    address: string;
    iccid: string;
    success?: boolean;
    corrupt?: boolean;
  }): Uint8Array {
    const final =
      options.success === false
        ? encodeTlv(0xa1, encodeTlv(0x80, Uint8Array.of(5)), encodeTlv(0x81, Uint8Array.of(12)))
        : encodeTlv(
            0xa0,
            encodeTlv(0x4f, fromHex('A0000005591010FFFFFFFF8900001000')),
            encodeTlv(0x04, fromHex('30 07 A0 05 30 03 80 01 00'.replace(/ /g, ''))),
          );
    const data = encodeTlv(
      0xbf27,
      encodeTlv(0x80, this.transactionId),
      this.metadata(options.seq, 0, options.address, options.iccid),
      encodeTlv(0x06, encodeOid(options.smdpOid)),
      encodeTlv(0xa2, final),
    );
    const sig = signTr03111(this.id.euiccKey, data);
    if (options.corrupt) sig[0]! ^= 0x80;
    return encodeTlv(0xbf37, data, encodeTlv(0x5f37, sig));
  }

  /** An OtherSignedNotification (enable 1 / disable 2 / delete 3). */
  otherNotification(
    event: number,
    seq: number,
    address: string,
    iccid: string,
    corrupt = false,
  ): Uint8Array {
    const tbs = this.metadata(seq, event, address, iccid);
    const sig = signTr03111(this.id.euiccKey, tbs);
    if (corrupt) sig[5]! ^= 0x01;
    return encodeTlv(0x30, tbs, encodeTlv(0x5f37, sig), this.id.euiccCert, this.id.eumCert);
  }

  /** A signed CancelSessionResponse (BF41). */
  cancelSession(reason: number, smdpOid: string, corrupt = false): Uint8Array {
    const signed = encodeTlv(
      0x30,
      encodeTlv(0x80, this.transactionId),
      encodeTlv(0x81, encodeOid(smdpOid)),
      encodeTlv(0x82, Uint8Array.of(reason)),
    );
    const sig = signTr03111(this.id.euiccKey, signed);
    if (corrupt) sig[3]! ^= 0x01;
    return encodeTlv(0xbf41, encodeTlv(0xa0, signed, encodeTlv(0x5f37, sig)));
  }

  private metadata(seq: number, event: number, address: string, iccid: string): Uint8Array {
    return encodeTlv(
      0xbf2f,
      encodeTlv(0x80, Uint8Array.of(seq)),
      encodeTlv(0x81, encodeBitString([event])),
      encodeTlv(0x0c, utf8.encode(address)),
      encodeTlv(0x5a, encodeIccid(iccid)),
    );
  }
}

export const b64 = toBase64;
