/**
 * Fakes for LPA flow tests: a card answering ES10 by outer tag with canned but well-formed
 * responses, and an ES9+ client whose answers echo the session values. Signatures are
 * placeholders: the LPA forwards them and never checks them.
 */
import type { Es10Link } from '../../../src/apdu/es10-link.ts';
import {
  children,
  decodeOne,
  encodeTlv,
  encodeUnsigned,
  fromHex,
  toHex,
  utf8,
} from '../../../src/codec/index.ts';
import {
  encodeNotificationMetadata,
  encodeResultResponse,
  Es10Tag,
} from '../../../src/es10/index.ts';
import type { NotificationMetadataFields } from '../../../src/es10/index.ts';
import { expect } from 'vitest';
import { LpaError } from '../../../src/lpa/index.ts';
import type {
  AuthenticateClientResult,
  Es9pApi,
  InitiateAuthenticationResult,
} from '../../../src/lpa/index.ts';

export const TX = fromHex('00112233445566778899AABBCCDDEEFF');
export const CHALLENGE = fromHex('0102030405060708090A0B0C0D0E0F10');
export const ISDP = fromHex('A0000005591010FFFFFFFF8900001000');
export const ICCID = '89000123456789012341';
export const SIG = encodeTlv(0x5f37, new Uint8Array(64));
const OID_2_999_10 = fromHex('88370A');

export type Tag = number;

interface StoredNotification extends NotificationMetadataFields {
  raw: Uint8Array;
}

export function pir(seq: number, ok: boolean): Uint8Array {
  const meta = encodeNotificationMetadata({
    seqNumber: seq,
    profileManagementOperation: 'install',
    notificationAddress: 'smdp.example',
    iccid: ICCID,
  });
  const final = ok
    ? encodeTlv(0xa0, encodeTlv(0x4f, ISDP), encodeTlv(0x04, fromHex('3007A00530038001' + '00')))
    : encodeTlv(0xa1, fromHex('800105'), fromHex('81010A'));
  return encodeTlv(
    Es10Tag.ProfileInstallationResult,
    encodeTlv(
      Es10Tag.ProfileInstallationResultData,
      encodeTlv(0x80, TX),
      meta,
      encodeTlv(0x06, OID_2_999_10),
      encodeTlv(0xa2, final),
    ),
    SIG,
  );
}

export class FakeCard implements Es10Link {
  /** Every request, hex. */
  readonly log: string[] = [];
  notifications: StoredNotification[] = [];
  nextSeq = 1;
  installOk = true;
  defaultDp: string | undefined;
  /** Throw this for the n-th BF36-stream segment (1-based). */
  failOnSegment: { index: number; error: Error } | undefined;
  private segment = 0;
  private remaining86 = 0;
  delayMs = 0;
  busy = false;
  overlapped = false;

  tags(): string[] {
    return this.log.map((h) => h.slice(0, h.startsWith('BF') ? 4 : 2));
  }

  addNotification(
    op: NotificationMetadataFields['profileManagementOperation'],
    address = 'smdp.example',
  ): number {
    const seq = this.nextSeq++;
    const f = {
      seqNumber: seq,
      profileManagementOperation: op,
      notificationAddress: address,
      iccid: ICCID,
    };
    const raw = encodeTlv(0x30, encodeNotificationMetadata(f), SIG);
    this.notifications.push({ ...f, raw });
    return seq;
  }

  async es10(request: Uint8Array): Promise<Uint8Array> {
    if (this.busy) this.overlapped = true;
    this.busy = true;
    try {
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      this.log.push(toHex(request));
      return this.answer(request);
    } finally {
      this.busy = false;
    }
  }

  private answer(req: Uint8Array): Uint8Array {
    const first = req[0]!;
    if (
      first === 0x86 ||
      first === 0x88 ||
      first === 0xa0 ||
      first === 0xa1 ||
      first === 0xa2 ||
      first === 0xa3 ||
      (req[0] === 0xbf && req[1] === 0x36)
    ) {
      this.segment++;
      if (this.failOnSegment?.index === this.segment) throw this.failOnSegment.error;
      if (first === 0xa3) this.remaining86 = decodeOne(concatHeader(req)).value.length;
      if (first === 0x86) this.remaining86 -= req.length;
      if (first === 0x86 && this.remaining86 <= 0) {
        const seq = this.nextSeq++;
        const raw = pir(seq, this.installOk);
        this.notifications.push({
          seqNumber: seq,
          profileManagementOperation: 'install',
          notificationAddress: 'smdp.example',
          iccid: ICCID,
          raw,
        });
        return raw;
      }
      return new Uint8Array(0);
    }
    const t = decodeOne(req);
    switch (t.tag) {
      case Es10Tag.GetEuiccChallenge:
        return encodeTlv(t.tag, encodeTlv(0x80, CHALLENGE));
      case Es10Tag.GetEuiccInfo1:
        return encodeTlv(
          t.tag,
          fromHex('8203020200'),
          encodeTlv(0xa9, encodeTlv(0x04, new Uint8Array(20).fill(1))),
          encodeTlv(0xaa, encodeTlv(0x04, new Uint8Array(20).fill(1))),
        );
      case Es10Tag.GetEuiccConfiguredAddresses:
        return encodeTlv(
          t.tag,
          ...(this.defaultDp ? [encodeTlv(0x80, utf8.encode(this.defaultDp))] : []),
          encodeTlv(0x81, utf8.encode('smds.example')),
        );
      case Es10Tag.AuthenticateServer: {
        const signed1 = encodeTlv(
          0x30,
          encodeTlv(0x80, TX),
          encodeTlv(0x83, utf8.encode('smdp.example')),
        );
        return encodeTlv(
          t.tag,
          encodeTlv(
            0xa0,
            signed1,
            SIG,
            encodeTlv(0x30, fromHex('0500')),
            encodeTlv(0x30, fromHex('0501')),
          ),
        );
      }
      case Es10Tag.PrepareDownload: {
        const signed2 = encodeTlv(
          0x30,
          encodeTlv(0x80, TX),
          encodeTlv(0x5f49, new Uint8Array(65).fill(4)),
        );
        return encodeTlv(t.tag, encodeTlv(0xa0, signed2, SIG));
      }
      case Es10Tag.CancelSession: {
        const kids = children(t);
        const signed = encodeTlv(
          0x30,
          kids[0]!.raw.slice(),
          encodeTlv(0x81, OID_2_999_10),
          encodeTlv(0x82, kids[1]!.value),
        );
        return encodeTlv(t.tag, encodeTlv(0xa0, signed, SIG));
      }
      case Es10Tag.ListNotification:
        return encodeTlv(
          t.tag,
          encodeTlv(0xa0, ...this.notifications.map((n) => encodeNotificationMetadata(n))),
        );
      case Es10Tag.RetrieveNotificationsList: {
        const seq = children(children(t)[0]!)[0]!.value[0]!;
        return encodeTlv(
          t.tag,
          encodeTlv(
            0xa0,
            ...this.notifications.filter((n) => n.seqNumber === seq).map((n) => n.raw),
          ),
        );
      }
      case Es10Tag.RemoveNotificationFromList: {
        const seq = children(t)[0]!.value[0]!;
        const before = this.notifications.length;
        this.notifications = this.notifications.filter((n) => n.seqNumber !== seq);
        return encodeResultResponse(t.tag, before === this.notifications.length ? 1 : 0);
      }
      case Es10Tag.EnableProfile:
        this.addNotification('enable');
        return encodeResultResponse(t.tag, 0);
      case Es10Tag.DisableProfile:
        return encodeResultResponse(t.tag, 2);
      case Es10Tag.GetEid:
        return encodeTlv(t.tag, encodeTlv(0x5a, fromHex('89049032123451234512345678901235')));
      default:
        throw new Error(`fake card: unexpected ${toHex(req)}`);
    }
  }
}

/** A bare header (A3 82 0190) as a decodable TLV with a zero-filled value. */
function concatHeader(header: Uint8Array): Uint8Array {
  const len = header[1]! < 0x80 ? header[1]! : header.subarray(2).reduce((a, b) => a * 256 + b, 0);
  const out = new Uint8Array(header.length + len);
  out.set(header);
  return out;
}

export const BPP = (() => {
  const isc = encodeTlv(0xbf23, encodeTlv(0x82, Uint8Array.of(1)), encodeTlv(0x80, TX));
  const a0 = encodeTlv(0xa0, encodeTlv(0x87, new Uint8Array(24)));
  const a1 = encodeTlv(0xa1, encodeTlv(0x88, new Uint8Array(40)));
  const a3 = encodeTlv(
    0xa3,
    encodeTlv(0x86, new Uint8Array(300)),
    encodeTlv(0x86, new Uint8Array(100)),
  );
  return encodeTlv(0xbf36, isc, a0, a1, a3);
})();

export class NamedError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message);
    Object.assign(this, extra);
  }
}

type Call = { fn: string; req: Record<string, unknown> };

export class FakeEs9p implements Es9pApi {
  readonly calls: Call[] = [];
  ccRequired = false;
  serverAddress = 'smdp.example';
  challengeOverride: Uint8Array | undefined;
  fail: Partial<Record<string, Error>> = {};
  /** Addresses whose handleNotification fails. */
  failNotificationsTo = new Set<string>();

  private check(fn: string, req: Record<string, unknown>): void {
    this.calls.push({ fn, req });
    const e = this.fail[fn];
    if (e) throw e;
  }

  fns(): string[] {
    return this.calls.map((c) => c.fn);
  }

  initiateAuthentication(req: {
    smdpAddress: string;
    euiccChallenge: Uint8Array;
    euiccInfo1: Uint8Array;
  }): Promise<InitiateAuthenticationResult> {
    this.check('initiateAuthentication', req);
    const s1 = encodeTlv(
      0x30,
      encodeTlv(0x80, TX),
      encodeTlv(0x81, this.challengeOverride ?? req.euiccChallenge),
      encodeTlv(0x83, utf8.encode(this.serverAddress)),
      encodeTlv(0x84, new Uint8Array(16).fill(9)),
    );
    return Promise.resolve({
      transactionId: toHex(TX).toLowerCase(),
      serverSigned1: s1,
      serverSignature1: SIG,
      euiccCiPKIdToBeUsed: encodeTlv(0x04, new Uint8Array(20).fill(1)),
      serverCertificate: encodeTlv(0x30, fromHex('0500')),
    });
  }

  authenticateClient(req: {
    smdpAddress: string;
    transactionId: string;
    authenticateServerResponse: Uint8Array;
  }): Promise<AuthenticateClientResult> {
    this.check('authenticateClient', req);
    const meta = encodeTlv(
      Es10Tag.StoreMetadata,
      encodeTlv(0x5a, fromHex('98001032547698103214')),
      encodeTlv(0x91, utf8.encode('Example Mobile')),
      encodeTlv(0x92, utf8.encode('Example plan')),
      encodeTlv(0x95, encodeUnsigned(2)),
    );
    return Promise.resolve({
      transactionId: toHex(TX),
      profileMetadata: meta,
      smdpSigned2: encodeTlv(
        0x30,
        encodeTlv(0x80, TX),
        encodeTlv(0x01, Uint8Array.of(this.ccRequired ? 0xff : 0)),
      ),
      smdpSignature2: SIG,
      smdpCertificate: encodeTlv(0x30, fromHex('0502')),
    });
  }

  getBoundProfilePackage(req: {
    smdpAddress: string;
    transactionId: string;
    prepareDownloadResponse: Uint8Array;
  }): Promise<{ transactionId: string; boundProfilePackage: Uint8Array }> {
    this.check('getBoundProfilePackage', req);
    return Promise.resolve({ transactionId: toHex(TX), boundProfilePackage: BPP });
  }

  handleNotification(req: { address: string; pendingNotification: Uint8Array }): Promise<void> {
    this.check('handleNotification', req);
    if (this.failNotificationsTo.has(req.address))
      return Promise.reject(
        new NamedError('Es9pTransportError', 'unreachable', { reason: 'network' }),
      );
    return Promise.resolve();
  }

  cancelSession(req: {
    smdpAddress: string;
    transactionId: string;
    cancelSessionResponse: Uint8Array;
  }): Promise<void> {
    this.check('cancelSession', req);
    return Promise.resolve();
  }
}

/** Awaits an operation that must fail, and returns its LpaError. */
export async function failure(p: Promise<unknown>): Promise<LpaError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LpaError);
    return e as LpaError;
  }
  throw new Error('expected the operation to fail');
}
