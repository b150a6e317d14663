/**
 * Test helpers for the software eUICC: a raw APDU driver (channels, STORE DATA blocks, GET
 * RESPONSE) and a minimal in-test SM-DP+ built directly on src/rsp, independent of the
 * eUICC's own code paths (it verifies what the card signs).
 */
import { expect } from 'vitest';
import {
  children,
  concat,
  decodeOne,
  encodeHeader,
  encodeTlv,
  find,
  fromHex,
  required,
  toHex,
  utf8,
} from '../../../src/codec/index.ts';
import type { Tlv } from '../../../src/codec/index.ts';
import {
  BspSession,
  deriveBspKeys,
  ecka,
  encodeReplaceSessionKeys,
  generateKeyPair,
  issueSmdpCredentials,
  parseCertificate,
  protectSegments,
  seededRng,
  signTr03111,
  verifyTr03111,
} from '../../../src/rsp/index.ts';
import type { Credential, CurveName, EcKeyPair, Rng } from '../../../src/rsp/index.ts';
import { encodeOid } from '../../../src/rsp/oid.ts';
import { encodeMinimalProfile } from '../../../src/rsp/saip.ts';
import { createEuicc, createTestIdentity } from '../../../src/euicc/index.ts';
import type { CreateEuiccOptions, SoftwareEuicc, TestIdentity } from '../../../src/euicc/index.ts';
import { sha256 } from '@noble/hashes/sha2.js';

export const ISD_R = 'A0000005591010FFFFFFFF8900000100';
export const DP_ADDRESS = 'testsmdpplus1.example.com';
export const DP_OID = '2.999.10';

export function sw(res: Uint8Array): number {
  return (res[res.length - 2]! << 8) | res[res.length - 1]!;
}

export function hex(res: Uint8Array): string {
  return toHex(res);
}

/** Drives a card with raw APDUs the way an LPA's APDU layer would. */
export class Driver {
  channel = 0;
  constructor(
    readonly euicc: SoftwareEuicc,
    readonly blockSize = 255,
  ) {}

  raw(apduHex: string): Uint8Array {
    return this.euicc.transmit(fromHex(apduHex));
  }

  claE2(): number {
    return this.channel < 4 ? 0x80 | this.channel : 0xc0 | (this.channel - 4);
  }

  open(): number {
    const res = this.raw('0070000001');
    expect(sw(res)).toBe(0x9000);
    this.channel = res[0]!;
    const cla = this.channel < 4 ? this.channel : 0x40 | (this.channel - 4);
    const sel = this.euicc.transmit(
      concat(Uint8Array.of(cla, 0xa4, 0x04, 0x00, 0x10), fromHex(ISD_R), Uint8Array.of(0)),
    );
    expect(sw(sel)).toBe(0x9000);
    return this.channel;
  }

  /** Sends one ES10 request as STORE DATA blocks; returns the data and the final SW. */
  es10Raw(request: Uint8Array): { data: Uint8Array; sw: number } {
    const cla = this.claE2();
    let data: Uint8Array = new Uint8Array(0);
    let last = 0;
    const blocks = Math.max(1, Math.ceil(request.length / this.blockSize));
    for (let i = 0; i < blocks; i++) {
      const chunk = request.subarray(i * this.blockSize, (i + 1) * this.blockSize);
      const lastBlock = i === blocks - 1;
      const apdu = concat(
        Uint8Array.of(cla, 0xe2, lastBlock ? 0x91 : 0x11, i, chunk.length),
        chunk,
        lastBlock ? Uint8Array.of(0) : new Uint8Array(0),
      );
      let res = this.euicc.transmit(apdu);
      last = sw(res);
      if (!lastBlock && last !== 0x9000) return { data, sw: last };
      data = concat(data, res.subarray(0, res.length - 2));
      while ((last & 0xff00) === 0x6100) {
        res = this.euicc.transmit(Uint8Array.of(cla, 0xc0, 0, 0, last & 0xff));
        last = sw(res);
        data = concat(data, res.subarray(0, res.length - 2));
      }
    }
    return { data, sw: last };
  }

  es10(request: Uint8Array | string): Uint8Array {
    const r = this.es10Raw(typeof request === 'string' ? fromHex(request) : request);
    expect(r.sw.toString(16)).toBe('9000');
    return r.data;
  }
}

/** The value children of an ES10 response with outer tag `tag`. */
export function fields(res: Uint8Array, tag: number): Tlv[] {
  return children(decodeOne(res, tag));
}

/** Result code `80 xx` (or `81 xx`) inside a simple ES10 response. */
export function resultCode(res: Uint8Array, tag: number, inner = 0x80): number | undefined {
  const f = find(fields(res, tag), inner);
  return f ? f.value[f.value.length - 1] : undefined;
}

export interface World {
  curve: CurveName;
  identity: TestIdentity;
  dp: { dpAuth: Credential; dpPb: Credential };
}

const worlds = new Map<CurveName, World>();

/** One PKI per curve, cached across tests (key generation is the slow part). */
export function world(curve: CurveName): World {
  let w = worlds.get(curve);
  if (!w) {
    const identity = createTestIdentity({
      curve,
      seed: `euicc-tests-${curve}`,
      eid: '89049032123451234512345678901235',
    });
    const creds = issueSmdpCredentials(identity.ci, {
      host: DP_ADDRESS,
      oid: DP_OID,
      rng: seededRng(`dp-${curve}`),
    });
    w = { curve, identity, dp: { dpAuth: creds.dpAuth, dpPb: creds.dpPb } };
    worlds.set(curve, w);
  }
  return w;
}

export function newCard(
  curve: CurveName = 'P-256',
  extra: Partial<CreateEuiccOptions> = {},
): SoftwareEuicc {
  return createEuicc({
    identity: world(curve).identity,
    rng: seededRng(`card-${curve}`),
    ...extra,
  });
}

export interface OrderOptions {
  iccid?: string;
  /** StoreMetadata `5A` bytes as sent (default: `iccid` in swapped BCD). */
  iccidBytes?: Uint8Array;
  matchingId?: string | undefined;
  profile?: Uint8Array;
  metadataExtra?: Uint8Array[];
  profileClass?: number;
  ppr?: number[];
  confirmationCode?: string;
  replaceSessionKeys?: boolean;
  address?: string;
  notificationConfig?: { events: number[]; address: string }[];
  /** Tamper hooks for error-path tests. */
  tamper?: {
    serverSigned1?: (fields: Uint8Array[]) => Uint8Array[];
    serverSignature1?: (sig: Uint8Array) => Uint8Array;
    smdpSigned2Txid?: Uint8Array;
    smdpSignature2?: (sig: Uint8Array) => Uint8Array;
    isc?: (parts: { opId: Uint8Array; txId: Uint8Array; crt: Uint8Array }) => void;
    sign?: boolean;
  };
}

function bitString(bits: number[]): Uint8Array {
  if (bits.length === 0) return Uint8Array.of(0);
  const top = Math.max(...bits);
  const n = Math.floor(top / 8) + 1;
  const out = new Uint8Array(n + 1);
  for (const b of bits) out[1 + Math.floor(b / 8)]! |= 0x80 >> (b % 8);
  out[0] = n * 8 - 1 - top;
  return out;
}

/** ICCID digits -> swapped BCD, written independently of the codec. */
export function iccidBytes(iccid: string): Uint8Array {
  const d = iccid.padEnd(20, 'F');
  const out = new Uint8Array(10);
  for (let i = 0; i < 10; i++) out[i] = parseInt(d[2 * i + 1]! + d[2 * i]!, 16);
  return out;
}

/** A minimal SM-DP+ for one download, using src/rsp primitives only. */
export class MiniSmdp {
  readonly txId: Uint8Array;
  readonly serverChallenge: Uint8Array;
  readonly rng: Rng;
  readonly hostId = fromHex('0102030405060708');
  euiccSignature1?: Uint8Array;
  euiccCert?: Uint8Array;
  euiccOtpk?: Uint8Array;
  smdpOt?: EcKeyPair;
  readonly iccid: string;

  constructor(
    readonly w: World,
    readonly order: OrderOptions = {},
    seed = 'smdp',
  ) {
    this.rng = seededRng(`${seed}-${w.curve}`);
    this.txId = this.rng(16);
    this.serverChallenge = this.rng(16);
    this.iccid = order.iccid ?? '89000123456789012341';
  }

  get address(): string {
    return this.order.address ?? DP_ADDRESS;
  }

  authenticateServerRequest(euiccChallenge: Uint8Array, ciPkId?: Uint8Array): Uint8Array {
    let parts = [
      encodeTlv(0x80, this.txId),
      encodeTlv(0x81, euiccChallenge),
      encodeTlv(0x83, utf8.encode(this.address)),
      encodeTlv(0x84, this.serverChallenge),
    ];
    if (this.order.tamper?.serverSigned1) parts = this.order.tamper.serverSigned1(parts);
    const serverSigned1 = encodeTlv(0x30, ...parts);
    let sig = signTr03111(this.w.dp.dpAuth.key, serverSigned1);
    if (this.order.tamper?.serverSignature1) sig = this.order.tamper.serverSignature1(sig);
    const ski = ciPkId ?? parseCertificate(this.w.identity.ci.certificate).subjectKeyId!;
    const ctx: Uint8Array[] = [];
    if (this.order.matchingId !== undefined || !('matchingId' in this.order))
      ctx.push(encodeTlv(0x80, utf8.encode(this.order.matchingId ?? 'MATCHING-1')));
    // DeviceInfo: TAC 35290611 (lpac's default, docs/protocol.md §5.1 step 5) and empty capabilities.
    ctx.push(encodeTlv(0xa1, encodeTlv(0x80, fromHex('35290611')), encodeTlv(0xa1)));
    return encodeTlv(
      0xbf38,
      serverSigned1,
      encodeTlv(0x5f37, sig),
      encodeTlv(0x04, ski),
      this.w.dp.dpAuth.certificate,
      encodeTlv(0xa0, ...ctx),
    );
  }

  /** Checks AuthenticateServerResponse like an SM-DP+ (§5.1 step 8) and keeps what it needs. */
  authenticateClient(response: Uint8Array): void {
    const ok = required(fields(response, 0xbf38), 0xa0);
    const f = children(ok);
    const euiccSigned1 = f[0]!;
    expect(euiccSigned1.tag).toBe(0x30);
    const sig1 = required(f, 0x5f37);
    const certs = f.filter((t) => t.tag === 0x30).slice(1);
    const euiccCert = parseCertificate(certs[0]!.raw);
    expect(verifyTr03111(euiccCert.curve, euiccCert.publicKey, euiccSigned1.raw, sig1.value)).toBe(
      true,
    );
    const s1 = children(euiccSigned1);
    expect(toHex(required(s1, 0x80).value)).toBe(toHex(this.txId));
    expect(toHex(required(s1, 0x84).value)).toBe(toHex(this.serverChallenge));
    expect(utf8.decode(required(s1, 0x83).value)).toBe(this.address);
    expect(find(s1, 0xbf22)).toBeDefined();
    this.euiccSignature1 = sig1.raw;
    this.euiccCert = certs[0]!.raw;
  }

  hashCc(code: string): Uint8Array {
    return sha256(concat(sha256(utf8.encode(code)), this.txId));
  }

  prepareDownloadRequest(hashCc?: Uint8Array): Uint8Array {
    const ccRequired = this.order.confirmationCode !== undefined;
    const txId = this.order.tamper?.smdpSigned2Txid ?? this.txId;
    const smdpSigned2 = encodeTlv(
      0x30,
      encodeTlv(0x80, txId),
      encodeTlv(0x01, Uint8Array.of(ccRequired ? 0xff : 0x00)),
    );
    let sig = signTr03111(this.w.dp.dpPb.key, concat(smdpSigned2, this.euiccSignature1!));
    if (this.order.tamper?.smdpSignature2) sig = this.order.tamper.smdpSignature2(sig);
    const parts = [smdpSigned2, encodeTlv(0x5f37, sig)];
    const cc = hashCc ?? (ccRequired ? this.hashCc(this.order.confirmationCode!) : undefined);
    if (cc) parts.push(encodeTlv(0x04, cc));
    parts.push(this.w.dp.dpPb.certificate);
    return encodeTlv(0xbf21, ...parts);
  }

  /** Checks PrepareDownloadResponse and keeps the eUICC one-time key. */
  getBoundProfilePackage(response: Uint8Array): void {
    const ok = required(fields(response, 0xbf21), 0xa0);
    const f = children(ok);
    const signed2 = f[0]!;
    const sig2 = required(f, 0x5f37);
    const cert = parseCertificate(this.euiccCert!);
    const smdpSig2 = decodeOne(this.prepareDownloadRequestSig());
    expect(
      verifyTr03111(cert.curve, cert.publicKey, concat(signed2.raw, smdpSig2.raw), sig2.value),
    ).toBe(true);
    const s2 = children(signed2);
    expect(toHex(required(s2, 0x80).value)).toBe(toHex(this.txId));
    this.euiccOtpk = required(s2, 0x5f49).value.slice();
  }

  private lastPrepare?: Uint8Array;
  /** The smdpSignature2 TLV of the last PrepareDownload request built. */
  prepareDownloadRequestSig(): Uint8Array {
    const req = this.lastPrepare!;
    return required(fields(req, 0xbf21), 0x5f37).raw;
  }

  prepare(hashCc?: Uint8Array): Uint8Array {
    this.lastPrepare = this.prepareDownloadRequest(hashCc);
    return this.lastPrepare;
  }

  metadata(): Uint8Array {
    const o = this.order;
    const parts = [
      encodeTlv(0x5a, o.iccidBytes ?? iccidBytes(this.iccid)),
      encodeTlv(0x91, utf8.encode('WebLPA Test Operator')),
      encodeTlv(0x92, utf8.encode('Test profile')),
    ];
    if (o.profileClass !== undefined) parts.push(encodeTlv(0x95, Uint8Array.of(o.profileClass)));
    const nc = o.notificationConfig ?? [{ events: [0, 1, 2, 3], address: this.address }];
    if (nc.length > 0)
      parts.push(
        encodeTlv(
          0xb6,
          ...nc.map((c) =>
            encodeTlv(
              0x30,
              encodeTlv(0x80, bitString(c.events)),
              encodeTlv(0x81, utf8.encode(c.address)),
            ),
          ),
        ),
      );
    if (o.ppr) {
      parts.push(encodeTlv(0xb7, encodeTlv(0x80, fromHex('00F110'))));
      parts.push(encodeTlv(0x99, bitString(o.ppr)));
    }
    parts.push(...(o.metadataExtra ?? []));
    return encodeTlv(0xbf25, ...parts);
  }

  /** The whole BF36 (docs/protocol.md §5.2). */
  boundProfilePackage(): Uint8Array {
    const curve = this.w.dp.dpPb.key.curve;
    this.smdpOt = generateKeyPair(curve, this.rng);
    const opId = encodeTlv(0x82, Uint8Array.of(1));
    const txId = encodeTlv(0x80, this.txId);
    const crt = encodeTlv(0xa6, fromHex('800188'), fromHex('810110'), encodeTlv(0x84, this.hostId));
    const parts = { opId, txId, crt };
    this.order.tamper?.isc?.(parts);
    const otpk = encodeTlv(0x5f49, this.smdpOt.publicKey);
    let sign = signTr03111(
      this.w.dp.dpPb.key,
      concat(parts.opId, parts.txId, parts.crt, otpk, encodeTlv(0x5f49, this.euiccOtpk!)),
    );
    if (this.order.tamper?.sign === false) sign = sign.map((b, i) => (i === 5 ? b ^ 1 : b));
    const isc = encodeTlv(0xbf23, parts.opId, parts.txId, parts.crt, otpk, encodeTlv(0x5f37, sign));
    const shs = ecka(this.smdpOt, this.euiccOtpk!);
    const keys = deriveBspKeys(shs, { hostId: this.hostId, eid: fromHex(this.w.identity.eid) });
    let bsp = new BspSession(keys);
    const a0 = encodeTlv(0xa0, bsp.protect(0x87, fromHex('BF2400')));
    const a1 = encodeTlv(0xa1, ...protectSegments(bsp, 0x88, this.metadata()));
    const out = [isc, a0, a1];
    if (this.order.replaceSessionKeys) {
      const ppk = { sEnc: this.rng(16), sMac: this.rng(16), initialMcv: this.rng(16) };
      out.push(encodeTlv(0xa2, bsp.protect(0x87, encodeReplaceSessionKeys(ppk))));
      bsp = new BspSession(ppk);
    }
    const profile = this.order.profile ?? encodeMinimalProfile({ iccid: this.iccid, size: 3000 });
    out.push(encodeTlv(0xa3, ...protectSegments(bsp, 0x86, profile)));
    return encodeTlv(0xbf36, ...out);
  }
}

/** Cuts a BPP into the ES10 calls of docs/protocol.md §5.3. */
export function cutBpp(bpp: Uint8Array): Uint8Array[] {
  const outer = decodeOne(bpp, 0xbf36);
  const parts = children(outer);
  const calls: Uint8Array[] = [];
  const header = bpp.subarray(0, bpp.length - outer.value.length);
  for (const p of parts) {
    if (p.tag === 0xbf23) calls.push(concat(header, p.raw));
    else if (p.tag === 0xa0 || p.tag === 0xa2) calls.push(p.raw);
    else {
      calls.push(encodeHeader(p.tag, p.value.length));
      for (const seg of children(p)) calls.push(seg.raw);
    }
  }
  return calls;
}

export interface DownloadResult {
  pir: Uint8Array;
  smdp: MiniSmdp;
}

/** A whole download over raw APDUs; returns the ProfileInstallationResult. */
export function download(d: Driver, smdp: MiniSmdp, hashCc?: Uint8Array): DownloadResult {
  const challenge = required(fields(d.es10('BF2E00'), 0xbf2e), 0x80).value;
  const auth = d.es10(smdp.authenticateServerRequest(challenge));
  smdp.authenticateClient(auth);
  const prep = d.es10(smdp.prepare(hashCc));
  smdp.getBoundProfilePackage(prep);
  const calls = cutBpp(smdp.boundProfilePackage());
  let pir: Uint8Array = new Uint8Array(0);
  for (const c of calls) {
    const r = d.es10(c);
    if (r.length > 0) {
      pir = r;
      break;
    }
  }
  return { pir, smdp };
}

/** ProfileInstallationResult: verifies the signature and returns the final result. */
export function checkPir(
  pir: Uint8Array,
  cert: Uint8Array,
): { ok: boolean; aid?: string; bppCommandId?: number; errorReason?: number; seq: number } {
  const f = fields(pir, 0xbf37);
  const data = required(f, 0xbf27);
  const sig = required(f, 0x5f37);
  const c = parseCertificate(cert);
  expect(verifyTr03111(c.curve, c.publicKey, data.raw, sig.value)).toBe(true);
  const d = children(data);
  expect(toHex(required(d, 0x06).value)).toBe(toHex(encodeOid(DP_OID)));
  const meta = children(required(d, 0xbf2f));
  const seqNum = required(meta, 0x80).value.reduce((a, b) => a * 256 + b, 0);
  const final = children(required(d, 0xa2))[0]!;
  if (final.tag === 0xa0)
    return { ok: true, aid: toHex(required(children(final), 0x4f).value), seq: seqNum };
  const e = children(final);
  return {
    ok: false,
    bppCommandId: required(e, 0x80).value[0]!,
    errorReason: required(e, 0x81).value[0]!,
    seq: seqNum,
  };
}
