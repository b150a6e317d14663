import { describe, expect, it } from 'vitest';
import {
  concat,
  decodeOne,
  encodeTlv,
  fromHex,
  toBase64,
  toHex,
  utf8,
} from '../../../src/codec/index.ts';
import {
  encodeAuthenticateServerRequest,
  encodePrepareDownloadRequest,
} from '../../../src/es10/encode.ts';
import { ApduMasker, parseCommand } from '../../../src/ui/lib/apdu-mask.ts';
import {
  MASK,
  hiddenBytes,
  maskJson,
  maskMessage,
  maskText,
  maskTlv,
  secretRanges,
} from '../../../src/ui/lib/mask.ts';

const ID = 'WEBLPA-SECRET-42';
const IMEI = '356938035643809';
const HASH_CC = new Uint8Array(32).fill(0x5c);

/** An AuthenticateServerRequest as the LPA builds it (SGP.22 v2.2.2 §5.7.13), dummy signed parts. */
function authenticateServer(matchingId = ID): Uint8Array {
  return encodeAuthenticateServerRequest({
    serverSigned1: encodeTlv(0x30, encodeTlv(0x80, new Uint8Array(16).fill(1))),
    serverSignature1: encodeTlv(0x5f37, new Uint8Array(64).fill(2)),
    euiccCiPKIdToBeUsed: new Uint8Array(20).fill(3),
    serverCertificate: encodeTlv(0x30, new Uint8Array(40).fill(4)),
    ctxParams1: { matchingId, deviceInfo: { tac: '35290611', imei: IMEI, capabilities: {} } },
  });
}

/** A PrepareDownloadResponse (§5.7.5): euiccSigned2 { transactionId, euiccOtpk, hashCc }. */
function prepareDownloadResponse(): Uint8Array {
  const signed2 = encodeTlv(
    0x30,
    encodeTlv(0x80, new Uint8Array(16).fill(7)),
    encodeTlv(0x5f49, new Uint8Array(65).fill(8)),
    encodeTlv(0x04, HASH_CC),
  );
  return encodeTlv(0xbf21, encodeTlv(0xa0, signed2, encodeTlv(0x5f37, new Uint8Array(64).fill(9))));
}

function has(haystack: Uint8Array, needle: Uint8Array): boolean {
  return toHex(haystack).includes(toHex(needle));
}

describe('structural masking of ES10 data', () => {
  it('fills matchingId and IMEI in ctxParams1 with same-length filler, keeping the rest', () => {
    const req = authenticateServer();
    const masked = maskTlv(req)!;
    expect(masked.length).toBe(req.length);
    expect(has(req, utf8.encode(ID))).toBe(true);
    expect(has(masked, utf8.encode(ID))).toBe(false);
    expect(has(masked, utf8.encode('*'.repeat(ID.length)))).toBe(true);
    expect(toHex(masked)).not.toContain(IMEI.slice(0, 14));
    // Still one BF38 element that decodes; the TAC and the signed parts are untouched.
    expect(decodeOne(masked, 0xbf38).value.length).toBe(decodeOne(req, 0xbf38).value.length);
    expect(toHex(masked)).toContain('800435290611');
    expect(toHex(masked)).toContain('5F3740' + '02'.repeat(64));
    expect(secretRanges(req).map((r) => r.kind)).toEqual(['matchingId', 'imei']);
  });

  it('fills hashCc in PrepareDownload requests and responses', () => {
    const req = encodePrepareDownloadRequest({
      smdpSigned2: encodeTlv(0x30, encodeTlv(0x80, new Uint8Array(16))),
      smdpSignature2: encodeTlv(0x5f37, new Uint8Array(64)),
      hashCc: HASH_CC,
      smdpCertificate: encodeTlv(0x30, new Uint8Array(8)),
    });
    for (const bytes of [req, prepareDownloadResponse()]) {
      const masked = maskTlv(bytes)!;
      expect(has(bytes, HASH_CC)).toBe(true);
      expect(has(masked, HASH_CC)).toBe(false);
      expect(masked.length).toBe(bytes.length);
    }
  });

  it('gives undefined for bytes that are not complete TLV, or malformed on a secret path', () => {
    expect(maskTlv(fromHex('BF3805A0'))).toBeUndefined();
    expect(maskTlv(fromHex('DEADBEEF'))).toBeUndefined();
    // BF38 { A0 primitive-looking garbage }: A0 must be constructed and decode.
    expect(maskTlv(fromHex('BF3804A0028001'))).toBeUndefined();
    // Elements with no secret inside pass unchanged.
    expect(toHex(maskTlv(fromHex('BF2D03A00100'))!)).toBe('BF2D03A00100');
  });

  it('accepts the open headers of Bound Profile Package units (§2.5.5)', () => {
    // BF36 header (its value runs on in later calls) + a complete BF23; and a bare A3 header.
    const first = concat(fromHex('BF36820400'), encodeTlv(0xbf23, fromHex('800101')));
    expect(toHex(maskTlv(first)!)).toBe(toHex(first));
    expect(toHex(maskTlv(fromHex('A3820300'))!)).toBe('A3820300');
    expect(maskTlv(fromHex('A3820300FF'))).toBeUndefined();
  });
});

describe('masking ES9+/ES11 JSON bodies', () => {
  it('masks base64 DER fields structurally and secret fields by name', () => {
    const body = {
      transactionId: '0102030405060708090A0B0C0D0E0F10',
      authenticateServerResponse: toBase64(authenticateServer()),
      eventEntries: [{ eventId: ID, rspServerAddress: 'smdp.example.com' }],
    };
    const masked = maskJson(body) as typeof body;
    expect(masked.transactionId).toBe(body.transactionId);
    expect(masked.eventEntries).toEqual([{ eventId: MASK, rspServerAddress: 'smdp.example.com' }]);
    expect(masked.authenticateServerResponse.length).toBe(body.authenticateServerResponse.length);
    expect(JSON.stringify(masked)).not.toContain(toBase64(utf8.encode(ID)).slice(2, 12));
    expect(body.eventEntries[0]!.eventId).toBe(ID); // a copy, the original is kept
  });

  it('replaces binary bodies that do not decode by a placeholder with their length', () => {
    const masked = maskJson({
      prepareDownloadResponse: toBase64(utf8.encode(`not TLV ${ID}`)),
      smdpSigned2: 'not base64 at all!',
      someFutureBlob: toBase64(utf8.encode(`${ID} in an unknown field`)),
    });
    expect(masked).toEqual({
      prepareDownloadResponse: hiddenBytes(utf8.encode(`not TLV ${ID}`).length),
      smdpSigned2: '[18 characters hidden: not base64]',
      someFutureBlob: hiddenBytes(utf8.encode(`${ID} in an unknown field`).length),
    });
  });
});

describe('literal masking of known values', () => {
  it('masks text, hex in any case, and base64 at every byte alignment', () => {
    expect(maskText(`LPA:1$x$${ID}`, [ID])).toBe(`LPA:1$x$${MASK}`);
    expect(maskText(toHex(utf8.encode(ID)).toLowerCase(), [ID])).toBe(MASK);
    for (const prefix of ['', 'a', 'ab']) {
      const b64 = toBase64(utf8.encode(`${prefix}${ID}tail`));
      const masked = maskText(b64, [ID]);
      expect(masked, prefix).toContain(MASK);
      expect(masked).not.toBe(b64);
    }
    expect(maskText('short', ['ab'])).toBe('short');
  });

  it('hides long hex runs in messages (AT modems quote the APDUs they carried)', () => {
    const apdu = toHex(authenticateServer());
    const msg = `AT+CGLA=1,${apdu.length},"${apdu}": ERROR`;
    expect(maskMessage(msg, [])).toBe(
      `AT+CGLA=1,${apdu.length},"${hiddenBytes(apdu.length / 2)}": ERROR`,
    );
  });
});

describe('ApduMasker: ES10 data cut into STORE DATA blocks and GET RESPONSE pieces', () => {
  function blocks(request: Uint8Array, size: number, cla = 0x81): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; i * size < request.length; i++) {
      const data = request.subarray(i * size, (i + 1) * size);
      const last = (i + 1) * size >= request.length;
      out.push(
        concat(
          Uint8Array.of(cla, 0xe2, last ? 0x91 : 0x11, i, data.length),
          data,
          last ? Uint8Array.of(0) : new Uint8Array(),
        ),
      );
    }
    return out;
  }

  it('reassembles a request whose matchingId straddles blocks and masks each block', () => {
    const req = authenticateServer();
    const commands = blocks(req, 7);
    const m = new ApduMasker();
    commands.forEach((c, i) => {
      // Until the last block, nothing is known to be safe.
      m.add(i + 1, c, fromHex('9000'));
      if (i < commands.length - 1) expect(m.command(i + 1)).toBeUndefined();
    });
    const shown = commands.map((_, i) => m.command(i + 1)!);
    const data = concat(...shown.map((c) => parseCommandData(c)));
    expect(toHex(data)).toBe(toHex(maskTlv(req)!));
    expect(shown.map((c) => c.length)).toEqual(commands.map((c) => c.length));
    // The whole request, for the decoded view, on the last block only.
    const whole = m.wholeRequest(commands.length)!;
    expect([toHex(whole.raw), toHex(whole.masked), whole.pieces]).toEqual([
      toHex(req),
      toHex(maskTlv(req)!),
      commands.length,
    ]);
    expect(m.wholeRequest(1)).toBeUndefined();
    expect(m.response(1)).toEqual(fromHex('9000'));
  });

  it('reassembles a response over 61xx / GET RESPONSE and masks each piece', () => {
    const res = prepareDownloadResponse();
    const m = new ApduMasker();
    m.add(1, blocks(fromHex('BF2103800100'), 255)[0]!, fromHex('6100'));
    const pieces = [res.subarray(0, 100), res.subarray(100, 150), res.subarray(150)];
    pieces.forEach((p, i) => {
      const sw = i < pieces.length - 1 ? '61FF' : '9000';
      m.add(2 + i, fromHex('81C0000000'), concat(p, fromHex(sw)));
    });
    expect(m.response(1)).toEqual(fromHex('6100'));
    const shown = pieces.map((_, i) => m.response(2 + i)!);
    const data = concat(...shown.map((r) => r.subarray(0, r.length - 2)));
    expect(toHex(data)).toBe(toHex(maskTlv(res)!));
    expect(has(data, HASH_CC)).toBe(false);
    expect(m.wholeResponse(4)?.pieces).toBe(3);
  });

  it('keeps pieces of an interrupted chain hidden and shows other commands as they are', () => {
    const m = new ApduMasker();
    const [first] = blocks(authenticateServer(), 50);
    m.add(1, first!, fromHex('9000'));
    m.add(2, fromHex('00A4040010A0000005591010FFFFFFFF8900000100'), fromHex('6F039000'));
    // A new request on the same channel: the first one will never complete.
    m.add(3, blocks(fromHex('BF2E00'), 255)[0]!, undefined);
    m.add(4, fromHex('81C0000010'), concat(new Uint8Array(16), fromHex('9000')));
    expect(m.command(1)).toBeUndefined();
    expect(m.command(2)).toBeDefined();
    expect(m.response(2)).toEqual(fromHex('6F039000'));
    expect(toHex(m.command(3)!)).toBe('81E2910003BF2E0000');
    expect(m.response(3)).toBeUndefined();
    expect(m.response(4)).toBeUndefined();
  });

  it('masks a last block sent again after 6Cxx like the first time', () => {
    const m = new ApduMasker();
    const commands = blocks(authenticateServer(), 50);
    commands.forEach((c, i) => {
      m.add(i + 1, c, fromHex(i === commands.length - 1 ? '6C80' : '9000'));
    });
    const again = commands[commands.length - 1]!.slice();
    again[again.length - 1] = 0x80;
    const id = commands.length + 1;
    m.add(id, again, fromHex('9000'));
    expect(toHex(m.command(id)!)).toBe(toHex(m.command(id - 1)!).slice(0, -2) + '80');
    // Another block with that P2 but other data is not taken for a resend.
    const other = again.slice();
    other[6] = other[6]! ^ 0xff;
    m.add(id + 1, other, fromHex('9000'));
    expect(m.command(id + 1)).toBeUndefined();
  });
});

function parseCommandData(c: Uint8Array): Uint8Array {
  const p = parseCommand(c)!;
  return c.subarray(p.dataStart, p.dataStart + p.dataLength);
}
