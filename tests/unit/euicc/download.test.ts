/**
 * Full downloads against an in-test SM-DP+ built on src/rsp (docs/protocol.md §5), on both curves, and
 * every AuthenticateServer / PrepareDownload / LoadBoundProfilePackage error code (§9).
 */
import { describe, expect, it } from 'vitest';
import {
  children,
  decodeAll,
  concat,
  encodeTlv,
  fromHex,
  required,
  toHex,
} from '../../../src/codec/index.ts';
import {
  createTestCi,
  issueSmdpCredentials,
  issueSmdsCredentials,
  parseCertificate,
  seededRng,
  verifyTr03111,
} from '../../../src/rsp/index.ts';
import { encodeOid } from '../../../src/rsp/oid.ts';
import type { CurveName } from '../../../src/rsp/index.ts';
import { encodeMinimalProfile } from '../../../src/rsp/saip.ts';
import {
  checkPir,
  cutBpp,
  download,
  Driver,
  DP_ADDRESS,
  fields,
  MiniSmdp,
  newCard,
  world,
} from './helpers.ts';

function challenge(d: Driver): Uint8Array {
  return required(fields(d.es10('BF2E00'), 0xbf2e), 0x80).value;
}

function authError(res: Uint8Array): number {
  const err = required(fields(res, 0xbf38), 0xa1);
  return required(children(err), 0x02).value[0]!;
}

function downloadError(res: Uint8Array): number {
  const err = required(fields(res, 0xbf21), 0xa1);
  return required(children(err), 0x02).value[0]!;
}

describe.each<CurveName>(['P-256', 'brainpoolP256r1'])('download on %s', (curve) => {
  it('installs a profile, signs the result and keeps an install notification', () => {
    const card = newCard(curve);
    const d = new Driver(card, 120);
    d.open();
    const w = world(curve);
    const free0 = card.state.config.nvmBytes;
    const { pir } = download(d, new MiniSmdp(w, { replaceSessionKeys: curve === 'P-256' }));
    const r = checkPir(pir, w.identity.euiccCert);
    expect(r.ok).toBe(true);
    expect(r.aid).toBe('A0000005591010FFFFFFFF8900001000');
    expect(card.state.profiles).toHaveLength(1);
    expect(card.state.profiles[0]).toMatchObject({
      iccid: '89000123456789012341',
      state: 'disabled',
      serviceProviderName: 'WebLPA Test Operator',
      profileName: 'Test profile',
      profileClass: 2,
    });
    expect(card.state.notifications).toHaveLength(1);
    expect(card.state.notifications[0]!.pending).toBe(toHex(pir));
    // extCardResource free NVM shrank by the profile size.
    const info2 = fields(d.es10('BF2200'), 0xbf22);
    const ext = decodeAll(required(info2, 0x84).value);
    const free = required(ext, 0x82).value.reduce((a, b) => a * 256 + b, 0);
    expect(free).toBe(free0 - card.state.profiles[0]!.size);
    expect(card.state.profiles[0]!.size).toBeGreaterThan(3000);
  });
});

describe('download variants', () => {
  it('with a confirmation code: hashCc is echoed in euiccSigned2', () => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    const smdp = new MiniSmdp(world('P-256'), { confirmationCode: '1234' });
    const { pir } = download(d, smdp);
    expect(checkPir(pir, world('P-256').identity.euiccCert).ok).toBe(true);
  });

  it('a second profile gets the next ISD-P AID; the same ICCID again fails with 9', () => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    const w = world('P-256');
    download(d, new MiniSmdp(w));
    const second = download(d, new MiniSmdp(w, { iccid: '89000123456789012358' }, 's2'));
    expect(checkPir(second.pir, w.identity.euiccCert).aid).toBe('A0000005591010FFFFFFFF8900001100');
    const again = download(d, new MiniSmdp(w, {}, 's3'));
    const r = checkPir(again.pir, w.identity.euiccCert);
    expect(r).toMatchObject({ ok: false, bppCommandId: 2, errorReason: 9 });
    expect(card.state.profiles).toHaveLength(2);
    expect(card.state.notifications).toHaveLength(3);
    // seqNumbers are card-wide increasing.
    expect(card.state.notifications.map((n) => n.seqNumber)).toEqual([1, 2, 3]);
  });

  it('the BPP works through T=0 style GET RESPONSE and block size 63', () => {
    const card = newCard('P-256', { t0: true });
    const d = new Driver(card, 63);
    card.transmit(fromHex('00A4040010A0000005591010FFFFFFFF8900000100'));
    d.channel = 0;
    const { pir } = download(d, new MiniSmdp(world('P-256')));
    expect(checkPir(pir, world('P-256').identity.euiccCert).ok).toBe(true);
  });
});

describe('AuthenticateServer errors (docs/protocol.md §9)', () => {
  const w = world('P-256');

  function attempt(
    order: ConstructorParameters<typeof MiniSmdp>[1],
    mutate?: (d: Driver, smdp: MiniSmdp, ch: Uint8Array) => Uint8Array,
    card = newCard(),
  ): number {
    const d = new Driver(card);
    d.open();
    const ch = challenge(d);
    const smdp = new MiniSmdp(w, order);
    const req = mutate ? mutate(d, smdp, ch) : smdp.authenticateServerRequest(ch);
    return authError(d.es10(req));
  }

  it('4 noSessionContext without GetEUICCChallenge', () => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    const smdp = new MiniSmdp(w);
    expect(authError(d.es10(smdp.authenticateServerRequest(new Uint8Array(16))))).toBe(4);
  });

  it('7 ciPKUnknown for an unknown euiccCiPKIdToBeUsed', () => {
    expect(attempt({}, (_d, s, ch) => s.authenticateServerRequest(ch, new Uint8Array(20)))).toBe(7);
  });

  it('2 invalidSignature for a bad serverSignature1', () => {
    expect(
      attempt({ tamper: { serverSignature1: (s) => s.map((b, i) => (i === 3 ? b ^ 1 : b)) } }),
    ).toBe(2);
  });

  it('6 euiccChallengeMismatch', () => {
    expect(attempt({}, (_d, s) => s.authenticateServerRequest(new Uint8Array(16)))).toBe(6);
  });

  it('1 invalidCertificate for a DPauth under another CI (same key id claimed)', () => {
    const otherCi = createTestCi('P-256', seededRng('other-ci'));
    const other = issueSmdpCredentials(otherCi, {
      host: DP_ADDRESS,
      oid: '2.999.10',
      rng: seededRng('o'),
    });
    const ski = parseCertificate(w.identity.ci.certificate).subjectKeyId!;
    const code = attempt({}, (_d, s, ch) => {
      const req = s.authenticateServerRequest(ch, ski);
      // Swap in the foreign DPauth certificate (its signature over serverSigned1 is irrelevant).
      const f = fields(req, 0xbf38);
      return encodeTlv(
        0xbf38,
        f[0]!.raw,
        f[1]!.raw,
        f[2]!.raw,
        other.dpAuth.certificate,
        f[4]!.raw,
      );
    });
    expect(code).toBe(1);
  });

  it('1 invalidCertificate for a DPpb certificate offered as DPauth (wrong policy)', () => {
    const code = attempt({}, (_d, s, ch) => {
      const f = fields(s.authenticateServerRequest(ch), 0xbf38);
      return encodeTlv(0xbf38, f[0]!.raw, f[1]!.raw, f[2]!.raw, w.dp.dpPb.certificate, f[4]!.raw);
    });
    expect(code).toBe(1);
  });

  it('1 invalidCertificate for garbage in the certificate position', () => {
    const code = attempt({}, (_d, s, ch) => {
      const f = fields(s.authenticateServerRequest(ch), 0xbf38);
      return encodeTlv(0xbf38, f[0]!.raw, f[1]!.raw, f[2]!.raw, fromHex('3003020101'), f[4]!.raw);
    });
    expect(code).toBe(1);
  });

  it('127 when no matchingId is given and the address is not the default SM-DP+', () => {
    expect(attempt({ matchingId: undefined })).toBe(127);
    // Accepted from the configured default SM-DP+ address.
    const card = newCard('P-256', { defaultDpAddress: DP_ADDRESS });
    const d = new Driver(card);
    d.open();
    const res = d.es10(
      new MiniSmdp(w, { matchingId: undefined }).authenticateServerRequest(challenge(d)),
    );
    expect(fields(res, 0xbf38)[0]!.tag).toBe(0xa0);
  });

  it('an SM-DS (DSauth) without matchingId is accepted from any address', () => {
    const ds = issueSmdsCredentials(w.identity.ci, {
      host: 'testsmds.example.com',
      oid: '2.999.20',
      rng: seededRng('ds'),
    });
    const smds = new MiniSmdp(
      { ...w, dp: { dpAuth: ds.dsAuth, dpPb: w.dp.dpPb } },
      {
        matchingId: undefined,
        address: 'testsmds.example.com',
      },
    );
    const card = newCard();
    const d = new Driver(card);
    d.open();
    const res = d.es10(smds.authenticateServerRequest(challenge(d)));
    expect(fields(res, 0xbf38)[0]!.tag).toBe(0xa0);
  });

  it('6A80 when a mandatory field is missing', () => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    challenge(d);
    expect(d.es10Raw(fromHex('BF3803800101')).sw).toBe(0x6a80);
  });
});

describe('PrepareDownload errors (docs/protocol.md §9)', () => {
  const w = world('P-256');

  function setup(order: ConstructorParameters<typeof MiniSmdp>[1] = {}): {
    d: Driver;
    smdp: MiniSmdp;
  } {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    const smdp = new MiniSmdp(w, order);
    smdp.authenticateClient(d.es10(smdp.authenticateServerRequest(challenge(d))));
    return { d, smdp };
  }

  it('4 noSessionContext without AuthenticateServer', () => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    const smdp = new MiniSmdp(w);
    smdp.euiccSignature1 = encodeTlv(0x5f37, new Uint8Array(64));
    expect(downloadError(d.es10(smdp.prepare()))).toBe(4);
  });

  it('2 invalidSignature', () => {
    const { d, smdp } = setup({
      tamper: { smdpSignature2: (s) => s.map((b, i) => (i === 0 ? b ^ 1 : b)) },
    });
    expect(downloadError(d.es10(smdp.prepare()))).toBe(2);
  });

  it('5 invalidTransactionId', () => {
    const { d, smdp } = setup({ tamper: { smdpSigned2Txid: new Uint8Array(16) } });
    expect(downloadError(d.es10(smdp.prepare()))).toBe(5);
  });

  it('1 invalidCertificate for a DPauth certificate given as DPpb', () => {
    const { d, smdp } = setup();
    const f = fields(smdp.prepare(), 0xbf21);
    const req = encodeTlv(0xbf21, f[0]!.raw, f[1]!.raw, w.dp.dpAuth.certificate);
    expect(downloadError(d.es10(req))).toBe(1);
  });

  it('127 when ccRequiredFlag and hashCc disagree', () => {
    const { d, smdp } = setup({ confirmationCode: '1234' });
    const f = fields(smdp.prepare(), 0xbf21);
    // Drop the hashCc (04) element.
    const req = encodeTlv(0xbf21, ...f.filter((t) => t.tag !== 0x04).map((t) => t.raw));
    expect(downloadError(d.es10(req))).toBe(127);
    const s2 = setup();
    expect(downloadError(s2.d.es10(s2.smdp.prepare(new Uint8Array(32))))).toBe(127);
  });
});

describe('LoadBoundProfilePackage errors (docs/protocol.md §9)', () => {
  const w = world('P-256');

  function run(
    order: ConstructorParameters<typeof MiniSmdp>[1],
    mutate?: (calls: Uint8Array[]) => Uint8Array[],
    card = newCard(),
  ) {
    const d = new Driver(card);
    d.open();
    const smdp = new MiniSmdp(w, order);
    smdp.authenticateClient(d.es10(smdp.authenticateServerRequest(challenge(d))));
    smdp.getBoundProfilePackage(d.es10(smdp.prepare()));
    let calls = cutBpp(smdp.boundProfilePackage());
    if (mutate) calls = mutate(calls);
    for (const c of calls) {
      const r = d.es10Raw(c);
      if (r.data.length > 0) return { card, d, result: checkPir(r.data, w.identity.euiccCert) };
      expect(r.sw).toBe(0x9000);
    }
    throw new Error('no ProfileInstallationResult');
  }

  const cases: [
    string,
    ConstructorParameters<typeof MiniSmdp>[1],
    ((c: Uint8Array[]) => Uint8Array[]) | undefined,
    number,
    number,
  ][] = [
    ['invalidSignature', { tamper: { sign: false } }, undefined, 0, 2],
    [
      'invalidTransactionId',
      { tamper: { isc: (p) => (p.txId = encodeTlv(0x80, new Uint8Array(16))) } },
      undefined,
      0,
      3,
    ],
    [
      'unsupportedCrtValues',
      {
        tamper: {
          isc: (p) =>
            (p.crt = encodeTlv(0xa6, fromHex('800189'), fromHex('810110'), fromHex('840101'))),
        },
      },
      undefined,
      0,
      4,
    ],
    [
      'unsupportedRemoteOperationType',
      { tamper: { isc: (p) => (p.opId = fromHex('820102')) } },
      undefined,
      0,
      5,
    ],
    ['unsupportedProfileClass', { profileClass: 7 }, undefined, 2, 6],
    [
      'dataMismatch (package ICCID differs)',
      { profile: encodeMinimalProfile({ iccid: '89000123456789012358' }) },
      undefined,
      5,
      13,
    ],
    [
      'PE processing error (no end element)',
      { profile: encodeTlv(0xa0, fromHex('800102810103830A98001032547698103214')) },
      undefined,
      5,
      12,
    ],
    ['insufficientMemory', {}, undefined, 5, 10],
    [
      'scp03tSecurityError (tampered 86)',
      {},
      (c) => c.map((x, i) => (i === c.length - 1 ? x.map((b, j) => (j === 10 ? b ^ 1 : b)) : x)),
      5,
      8,
    ],
    [
      'scp03tSecurityError (segments reordered)',
      {},
      (c) => {
        const n = c.length;
        return [...c.slice(0, n - 2), c[n - 1]!, c[n - 2]!];
      },
      5,
      8,
    ],
    ['scp03tStructureError (A0 twice)', {}, (c) => [c[0]!, c[1]!, c[1]!, ...c.slice(2)], 2, 7],
    ['pprNotAllowed', { ppr: [1] }, undefined, 2, 15],
  ];

  it.each(cases)('%s', (_name, order, mutate, cmd, reason) => {
    // pprNotAllowed needs a RAT without entries; insufficientMemory a small NVM.
    const config = reason === 15 ? { rat: [] } : reason === 10 ? { nvmBytes: 4000 } : {};
    const card = newCard('P-256', { config });
    const { result } = run(order, mutate, card);
    expect(result).toMatchObject({ ok: false, bppCommandId: cmd, errorReason: reason });
    expect(card.state.profiles).toHaveLength(0);
    expect(card.state.notifications).toHaveLength(1);
    expect(card.loadingProfile).toBe(false);
  });

  it('segments after an error and BPP calls without a session get 6985', () => {
    const { d } = run({ tamper: { sign: false } });
    expect(d.es10Raw(fromHex('A0038701FF')).sw).toBe(0x6a88);
    expect(d.es10Raw(concat(fromHex('BF3603'), fromHex('BF2300'))).sw).toBe(0x6985);
  });

  it('another ES10 command interrupts the load: no profile, CancelSession still works', () => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    const smdp = new MiniSmdp(w);
    smdp.authenticateClient(d.es10(smdp.authenticateServerRequest(challenge(d))));
    smdp.getBoundProfilePackage(d.es10(smdp.prepare()));
    const calls = cutBpp(smdp.boundProfilePackage());
    for (const c of calls.slice(0, 4)) d.es10(c);
    expect(card.loadingProfile).toBe(true);
    d.es10('BF2D00');
    expect(card.loadingProfile).toBe(false);
    // With no load in progress the segment is not an ES10 request.
    expect([0x6a80, 0x6a88]).toContain(d.es10Raw(calls[4]!).sw);
    const cancel = d.es10(encodeTlv(0xbf41, encodeTlv(0x80, smdp.txId), fromHex('810105')));
    expect(toHex(cancel).slice(6, 8)).toBe('A0');
    expect(card.state.profiles).toHaveLength(0);
  });
});

describe('card reset while the package loads', () => {
  const w = world('P-256');
  it.each([
    ['after initialiseSecureChannel', 1, 1],
    ['inside the profile elements', 6, 5],
  ])('%s: no profile, a signed interruption result is pending', (_name, sent, cmd) => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    const smdp = new MiniSmdp(w);
    smdp.authenticateClient(d.es10(smdp.authenticateServerRequest(challenge(d))));
    smdp.getBoundProfilePackage(d.es10(smdp.prepare()));
    const calls = cutBpp(smdp.boundProfilePackage());
    expect(calls.length).toBeGreaterThan(sent);
    for (const c of calls.slice(0, sent)) d.es10(c);
    expect(card.loadingProfile).toBe(true);
    card.reset();
    expect(card.loadingProfile).toBe(false);
    expect(card.state.profiles).toHaveLength(0);
    expect(card.state.notifications).toHaveLength(1);
    const pir = fromHex(card.state.notifications[0]!.pending);
    // ErrorReason 11 installFailedDueToInterruption (docs/protocol.md §9), for the command in progress.
    expect(checkPir(pir, w.identity.euiccCert)).toMatchObject({
      ok: false,
      bppCommandId: cmd,
      errorReason: 11,
    });
    // Its txId is the session's, so the SM-DP+ can match it.
    const data = required(fields(pir, 0xbf37), 0xbf27);
    expect(toHex(required(children(data), 0x80).value)).toBe(toHex(smdp.txId));
    // The session is gone with the reset: CancelSession answers invalidTransactionId (5).
    d.open();
    const cancel = d.es10(encodeTlv(0xbf41, encodeTlv(0x80, smdp.txId), fromHex('810105')));
    expect(toHex(cancel)).toBe('BF4103810105');
  });

  it('a reset with no package being loaded records nothing', () => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    const smdp = new MiniSmdp(w);
    smdp.authenticateClient(d.es10(smdp.authenticateServerRequest(challenge(d))));
    d.es10(smdp.prepare());
    card.reset();
    expect(card.state.notifications).toHaveLength(0);
  });
});

describe('CancelSession', () => {
  const w = world('P-256');
  it('returns a signed response over {txId, smdpOid, reason}, then the session is gone (5)', () => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    const smdp = new MiniSmdp(w);
    smdp.authenticateClient(d.es10(smdp.authenticateServerRequest(challenge(d))));
    const req = encodeTlv(0xbf41, encodeTlv(0x80, smdp.txId), fromHex('810100'));
    const res = d.es10(req);
    const ok = children(required(fields(res, 0xbf41), 0xa0));
    const signed = ok[0]!;
    const s = children(signed);
    expect(toHex(required(s, 0x80).value)).toBe(toHex(smdp.txId));
    expect(toHex(required(s, 0x81).value)).toBe(toHex(encodeOid('2.999.10')));
    expect(toHex(required(s, 0x82).value)).toBe('00');
    const cert = parseCertificate(w.identity.euiccCert);
    // The signature verifies with the eUICC certificate's key.
    expect(verifyTr03111(cert.curve, cert.publicKey, signed.raw, required(ok, 0x5f37).value)).toBe(
      true,
    );
    expect(toHex(d.es10(req))).toBe('BF4103810105');
  });

  it('5 for an unknown transaction, 127 for an unknown reason', () => {
    const card = newCard();
    const d = new Driver(card);
    d.open();
    expect(toHex(d.es10('BF411580100102030405060708090A0B0C0D0E0F10810100'))).toBe('BF4103810105');
    const smdp = new MiniSmdp(w);
    smdp.authenticateClient(d.es10(smdp.authenticateServerRequest(challenge(d))));
    const res = d.es10(encodeTlv(0xbf41, encodeTlv(0x80, smdp.txId), fromHex('810140')));
    expect(toHex(res)).toBe('BF410381017F');
  });
});
