import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeOne,
  children,
  find,
  fromBase64,
  decodeIccid,
  decodeBitString,
  utf8,
  toHex,
} from '../../../src/codec/index.ts';
import {
  buildCertificate,
  createTestCi,
  issueEum,
  issueEuicc,
  type CurveName,
} from '../../../src/rsp/index.ts';
import { parseProfilePackage } from '../../../src/rsp/saip.ts';
import { createTestIdentity } from '../../../src/euicc/identity.ts';
import { SmdpCore } from '../../../src/server/smdp/core.ts';
import { createServerPki, type CiCredentials } from '../../../src/server/smdp/credentials.ts';
import { startSmdpServer, type RunningSmdp } from '../../../src/server/smdp/node.ts';
import { createSmdpHandler } from '../../../src/server/smdp/server.ts';
import type { Order } from '../../../src/server/smdp/catalogue.ts';
import {
  MiniEuicc,
  euiccInfo1,
  b64,
  type AuthenticateClientOk,
  type InitiateAuthenticationOk,
  type Identity,
} from './mini-euicc.ts';

const ADDR = 'testsmdpplus1.example.com';
const DS = 'testsmds1.example.com';
const OID = '2.999.10';

let pki: CiCredentials[];
let core: SmdpCore;
let server: RunningSmdp;
const ids = new Map<CurveName, Identity>();
let seq = 0;

function order(matchingId: string, over: Partial<Order> = {}): Order {
  return {
    matchingId,
    label: matchingId,
    reusable: false,
    iccid: '89990010000000000111',
    metadata: {
      serviceProviderName: 'Test SP',
      profileName: `Profile ${matchingId}`,
      profileClass: 'operational',
    },
    profile: { kind: 'generated', sizeBytes: 1500 },
    ...over,
  };
}

function identityFor(curve: CurveName, seed: string, eid?: string): Identity {
  const ci = pki.find((p) => p.ci.key.curve === curve)!.ci;
  const t = createTestIdentity({ curve, seed, ci, ...(eid ? { eid } : {}) });
  return {
    eid: t.eid,
    euiccCert: t.euiccCert,
    eumCert: t.eumCert,
    euiccKey: t.euiccKey,
    ciKeyId: ci.parsed.subjectKeyId!,
  };
}

beforeAll(async () => {
  pki = createServerPki({
    smdpAddress: ADDR,
    smdpOid: OID,
    smdsAddress: DS,
    smdsOid: '2.999.11',
    seed: 'smdp-test',
  });
  core = new SmdpCore({ smdpAddress: ADDR, smdpOid: OID, smdsAddress: DS, pki });
  server = await startSmdpServer({ core, admin: true });
  ids.set('P-256', identityFor('P-256', 'euicc-p256'));
  ids.set('brainpoolP256r1', identityFor('brainpoolP256r1', 'euicc-bp'));
});
afterAll(async () => {
  await server.close();
});

interface Reply {
  status: number;
  json: Record<string, unknown> | undefined;
  text: string;
  headers: Headers;
}

async function call(
  fn: string,
  body: unknown,
  options: { iface?: string; contentType?: string; raw?: string } = {},
): Promise<Reply> {
  const res = await fetch(`${server.url}/gsma/rsp2/${options.iface ?? 'es9plus'}/${fn}`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json;charset=UTF-8',
      'x-admin-protocol': 'gsma/rsp/v2.2.0',
    },
    body: options.raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** 'ok' or "subject/reason" of a 200 reply. */
function outcome(r: Reply): string {
  expect(r.status).toBe(200);
  const status = (
    r.json?.header as {
      functionExecutionStatus: {
        status: string;
        statusCodeData?: { subjectCode: string; reasonCode: string };
      };
    }
  ).functionExecutionStatus;
  if (status.status === 'Executed-Success') return 'ok';
  expect(status.status).toBe('Failed');
  return `${status.statusCodeData!.subjectCode}/${status.statusCodeData!.reasonCode}`;
}

async function initiate(
  e: MiniEuicc,
  address = ADDR,
  iface = 'es9plus',
): Promise<InitiateAuthenticationOk> {
  const r = await call(
    'initiateAuthentication',
    { euiccChallenge: b64(e.challenge), euiccInfo1: b64(e.info1()), smdpAddress: address },
    { iface },
  );
  expect(outcome(r)).toBe('ok');
  return r.json as unknown as InitiateAuthenticationOk;
}

async function authenticate(
  e: MiniEuicc,
  init: InitiateAuthenticationOk,
  matchingId?: string,
  over: { corruptSignature?: boolean } = {},
): Promise<Reply> {
  return call('authenticateClient', {
    transactionId: init.transactionId,
    authenticateServerResponse: b64(
      e.authenticateServer(init, {
        address: ADDR,
        ...(matchingId !== undefined ? { matchingId } : {}),
        ...over,
      }),
    ),
  });
}

async function untilGbpp(
  e: MiniEuicc,
  matchingId: string,
): Promise<{ init: InitiateAuthenticationOk; auth: AuthenticateClientOk }> {
  const init = await initiate(e);
  const r = await authenticate(e, init, matchingId);
  expect(outcome(r)).toBe('ok');
  return { init, auth: r.json as unknown as AuthenticateClientOk };
}

async function gbpp(e: MiniEuicc, auth: AuthenticateClientOk, cc?: string): Promise<Reply> {
  return call('getBoundProfilePackage', {
    transactionId: auth.transactionId.toLowerCase(), // case-insensitive per docs/protocol.md §1
    prepareDownloadResponse: b64(e.prepareDownload(auth, cc)),
  });
}

describe.each(['P-256', 'brainpoolP256r1'] as const)('full download on %s', (curve) => {
  it.each([
    ['without a confirmation code', undefined, false],
    ['with confirmation code 1234 and ReplaceSessionKeys', '1234', true],
  ])('%s', async (_name, cc, rsk) => {
    const mid = `FULL-${curve}-${cc ?? 'NOCC'}`;
    core.addOrder(
      order(mid, {
        ...(cc ? { confirmationCode: cc } : {}),
        replaceSessionKeys: rsk,
        iccid: '89990010000000001234',
      }),
    );
    const e = new MiniEuicc(ids.get(curve)!);
    const init = await initiate(e);
    // euiccCiPKIdToBeUsed is the CI of this curve (04 14 SKI).
    expect(toHex(decodeOne(fromBase64(init.euiccCiPKIdToBeUsed), 0x04).value)).toBe(
      toHex(ids.get(curve)!.ciKeyId),
    );
    const r = await authenticate(e, init, mid);
    expect(outcome(r)).toBe('ok');
    const auth = r.json as unknown as AuthenticateClientOk;
    const signed2 = children(decodeOne(fromBase64(auth.smdpSigned2), 0x30));
    expect(find(signed2, 0x01)!.value[0]).toBe(cc ? 0xff : 0x00);
    const meta = children(decodeOne(fromBase64(auth.profileMetadata), 0xbf25));
    expect(decodeIccid(find(meta, 0x5a)!.value)).toBe('89990010000000001234');
    expect(utf8.decode(find(meta, 0x91)!.value)).toBe('Test SP');
    expect(utf8.decode(find(meta, 0x92)!.value)).toBe(`Profile ${mid}`);
    expect(find(meta, 0x95)!.value[0]).toBe(2);
    const nci = children(find(meta, 0xb6)!).map((t) => {
      const c = children(t);
      return `${decodeBitString(find(c, 0x80)!.value).join()}@${utf8.decode(find(c, 0x81)!.value)}`;
    });
    expect(nci).toEqual([0, 1, 2, 3].map((b) => `${b}@${ADDR}`));

    const g = await gbpp(e, auth, cc);
    expect(outcome(g)).toBe('ok');
    const bpp = e.loadBpp((g.json as { boundProfilePackage: string }).boundProfilePackage);
    expect(toHex(bpp.configureIsdp)).toBe('BF2400');
    expect(toHex(bpp.metadata)).toBe(toHex(fromBase64(auth.profileMetadata)));
    expect(bpp.replaceSessionKeys).toBe(rsk);
    expect(parseProfilePackage(bpp.profile).header.iccid).toBe('89990010000000001234');
    expect(Math.max(...bpp.segmentSizes)).toBeLessThanOrEqual(1020);

    const n = await call('handleNotification', {
      pendingNotification: b64(
        e.installResult({ seq: ++seq, smdpOid: OID, address: ADDR, iccid: '89990010000000001234' }),
      ),
    });
    expect(n.status).toBe(204);
    expect(n.text).toBe('');
    const st = core.state();
    expect(st.notifications.at(-1)).toMatchObject({
      kind: 'install',
      verified: true,
      eid: ids.get(curve)!.eid,
      result: { success: true },
    });
    expect(st.orders.find((o) => o.matchingId === mid)).toMatchObject({
      used: true,
      downloads: 1,
      installs: 1,
    });
    // One-time order: a second attempt is refused (status.ts: 8.2.6/3.8).
    const again = await initiate(new MiniEuicc(ids.get(curve)!));
    expect(outcome(await authenticate(new MiniEuicc(ids.get(curve)!), again, mid))).toBe(
      '8.2.6/3.8',
    );
  });
});

describe('benchmark-sized packages', () => {
  it('splits a 100 KB profile into segments of at most 1020 bytes', async () => {
    core.addOrder(order('BIG-100K', { profile: { kind: 'generated', sizeBytes: 100 * 1024 } }));
    const e = new MiniEuicc(ids.get('P-256')!);
    const { auth } = await untilGbpp(e, 'BIG-100K');
    const bpp = e.loadBpp(
      ((await gbpp(e, auth)).json as { boundProfilePackage: string }).boundProfilePackage,
    );
    expect(bpp.profile.length).toBeGreaterThanOrEqual(100 * 1024 - 100);
    expect(bpp.segmentSizes.every((s) => s <= 1020)).toBe(true);
    expect(bpp.segmentSizes.filter((s) => s === 1020).length).toBeGreaterThan(90);
  });
  it('gives a reusable generated order a new ICCID per download', async () => {
    core.addOrder(order('REUSE', { reusable: true, iccid: '89990010000000300016' }));
    const iccids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const e = new MiniEuicc(ids.get('P-256')!);
      const { auth } = await untilGbpp(e, 'REUSE');
      expect(outcome(await gbpp(e, auth))).toBe('ok');
      iccids.push(
        decodeIccid(find(children(decodeOne(fromBase64(auth.profileMetadata))), 0x5a)!.value),
      );
    }
    expect(iccids[0]).toBe('89990010000000300016');
    expect(iccids[1]).not.toBe(iccids[0]);
  });
});

describe('confirmation code', () => {
  it('missing -> 8.2.7/2.2, wrong -> 8.2.7/3.8, at once again -> 8.2.7/6.4 (back-off)', async () => {
    core.addOrder(order('CC-TRIES', { confirmationCode: '1234', reusable: true }));
    const e = new MiniEuicc(ids.get('P-256')!);
    const { auth } = await untilGbpp(e, 'CC-TRIES');
    expect(outcome(await gbpp(e, auth))).toBe('8.2.7/2.2');
    expect(outcome(await gbpp(e, auth, '0000'))).toBe('8.2.7/3.8');
    // Inside the back-off even the right code is refused unchecked; the session stays.
    const early = await gbpp(e, auth, '1234');
    expect(outcome(early)).toBe('8.2.7/6.4');
    expect(JSON.stringify(early.json)).toMatch(/try again after/);
    expect(core.state().orders.find((o) => o.matchingId === 'CC-TRIES')).toMatchObject({
      wrongConfirmationCodes: 1,
      confirmationCodeLocked: false,
    });
  });
});

describe('ES9+ refusals', () => {
  it('unknown transaction -> 8.10.1/3.9 on every function', async () => {
    const e = new MiniEuicc(ids.get('P-256')!);
    const init = await initiate(e);
    const bogus = { ...init, transactionId: '00112233445566778899AABBCCDDEEFF' };
    expect(outcome(await authenticate(e, bogus))).toBe('8.10.1/3.9');
    expect(
      outcome(
        await call('getBoundProfilePackage', {
          transactionId: 'ZZ',
          prepareDownloadResponse: 'AAAA',
        }),
      ),
    ).toBe('8.10.1/3.9');
    expect(
      outcome(
        await call('cancelSession', { transactionId: '0011', cancelSessionResponse: 'AAAA' }),
      ),
    ).toBe('8.10.1/3.9');
  });
  it('wrong SM-DP+ address -> 8.8.1/3.8', async () => {
    const e = new MiniEuicc(ids.get('P-256')!);
    const r = await call('initiateAuthentication', {
      euiccChallenge: b64(e.challenge),
      euiccInfo1: b64(e.info1()),
      smdpAddress: 'other.example.com',
    });
    expect(outcome(r)).toBe('8.8.1/3.8');
    // Case does not matter.
    const ok = await call('initiateAuthentication', {
      euiccChallenge: b64(e.challenge),
      euiccInfo1: b64(e.info1()),
      smdpAddress: ADDR.toUpperCase(),
    });
    expect(outcome(ok)).toBe('ok');
  });
  it('no common CI -> 8.8.2/3.1; unsupported SVN -> 8.8.3/3.1', async () => {
    const e = new MiniEuicc(ids.get('P-256')!);
    const info = euiccInfo1([new Uint8Array(20).fill(7)]);
    expect(
      outcome(
        await call('initiateAuthentication', {
          euiccChallenge: b64(e.challenge),
          euiccInfo1: b64(info),
          smdpAddress: ADDR,
        }),
      ),
    ).toBe('8.8.2/3.1');
    const v3 = euiccInfo1([ids.get('P-256')!.ciKeyId], [3, 0, 0]);
    expect(
      outcome(
        await call('initiateAuthentication', {
          euiccChallenge: b64(e.challenge),
          euiccInfo1: b64(v3),
          smdpAddress: ADDR,
        }),
      ),
    ).toBe('8.8.3/3.1');
  });
  it('bad euiccSignature1 -> 8.1/6.1', async () => {
    core.addOrder(order('SIG'));
    const e = new MiniEuicc(ids.get('P-256')!);
    const init = await initiate(e);
    expect(outcome(await authenticate(e, init, 'SIG', { corruptSignature: true }))).toBe('8.1/6.1');
  });
  it('bad euiccSignature2 -> 8.1/6.1', async () => {
    core.addOrder(order('SIG2'));
    const e = new MiniEuicc(ids.get('P-256')!);
    const { auth } = await untilGbpp(e, 'SIG2');
    const pdr = e.prepareDownload(auth);
    pdr[pdr.length - 3]! ^= 0x01;
    expect(
      outcome(
        await call('getBoundProfilePackage', {
          transactionId: auth.transactionId,
          prepareDownloadResponse: b64(pdr),
        }),
      ),
    ).toBe('8.1/6.1');
  });
  it('EUM under an unknown CI -> 8.11.1/3.9', async () => {
    const foreign = createTestIdentity({ curve: 'P-256', seed: 'foreign' });
    const e = new MiniEuicc({ ...foreign, ciKeyId: ids.get('P-256')!.ciKeyId });
    const init = await initiate(e);
    expect(outcome(await authenticate(e, init, 'X'))).toBe('8.11.1/3.9');
  });
  it('EID outside the EUM range -> 8.1.3/6.1', async () => {
    const ci = pki.find((p) => p.ci.key.curve === 'P-256')!.ci;
    const eum = issueEum(ci, { eidPrefix: '89086000' });
    const eid = ids.get('P-256')!.eid; // prefix 89049032
    const euicc = issueEuicc(eum, { eid });
    const e = new MiniEuicc({
      eid,
      euiccCert: euicc.certificate,
      eumCert: eum.certificate,
      euiccKey: euicc.key,
      ciKeyId: ci.parsed.subjectKeyId!,
    });
    const init = await initiate(e);
    expect(outcome(await authenticate(e, init, 'X'))).toBe('8.1.3/6.1');
  });
  it('expired eUICC certificate -> 8.1.3/6.3; expired EUM -> 8.1.2/6.3', async () => {
    const ci = pki.find((p) => p.ci.key.curve === 'P-256')!.ci;
    const id = createTestIdentity({ curve: 'P-256', seed: 'expiring', ci });
    const leaf = issueEuicc(id.eum, { eid: id.eid });
    const p = leaf.parsed;
    const expired = buildCertificate(
      {
        serialNumber: p.serialNumber,
        subject: p.subject,
        publicKey: p.publicKey,
        curve: p.curve,
        notBefore: new Date('2019-01-01T00:00:00Z'),
        notAfter: new Date('2021-01-01T00:00:00Z'),
        isCa: false,
        keyUsage: p.keyUsage,
        policies: p.policies,
      },
      {
        key: id.eum.key,
        subjectRaw: id.eum.parsed.subjectRaw,
        ...(id.eum.parsed.subjectKeyId ? { subjectKeyId: id.eum.parsed.subjectKeyId } : {}),
      },
    );
    const e = new MiniEuicc({
      eid: id.eid,
      euiccCert: expired,
      eumCert: id.eumCert,
      euiccKey: leaf.key,
      ciKeyId: ci.parsed.subjectKeyId!,
    });
    const init = await initiate(e);
    expect(outcome(await authenticate(e, init, 'X'))).toBe('8.1.3/6.3');

    // Far future: the EUM (2099) has expired too, and is checked first.
    const later = new SmdpCore({
      smdpAddress: ADDR,
      smdpOid: OID,
      smdsAddress: DS,
      pki,
      now: () => new Date('2100-06-01T00:00:00Z'),
    });
    const handler = createSmdpHandler({ core: later });
    const post = async (fn: string, body: unknown) =>
      (await (
        await handler(
          new Request(`http://x/gsma/rsp2/es9plus/${fn}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
          { remoteAddress: '127.0.0.1' },
        )
      ).json()) as Record<string, unknown>;
    const e2 = new MiniEuicc(ids.get('P-256')!);
    const i2 = (await post('initiateAuthentication', {
      euiccChallenge: b64(e2.challenge),
      euiccInfo1: b64(e2.info1()),
      smdpAddress: ADDR,
    })) as unknown as InitiateAuthenticationOk;
    const a2 = await post('authenticateClient', {
      transactionId: i2.transactionId,
      authenticateServerResponse: b64(
        e2.authenticateServer(i2, { address: ADDR, matchingId: 'X' }),
      ),
    });
    expect(outcome({ status: 200, json: a2, text: '', headers: new Headers() })).toBe('8.1.2/6.3');
  });
  it('unknown matchingId, expired order and EID mismatch', async () => {
    core.addOrder(order('EXPIRED', { expiresAt: new Date('2020-01-01T00:00:00Z') }));
    core.addOrder(order('BOUND', { eid: '89049032123451234512345678901235' }));
    const e = new MiniEuicc(ids.get('P-256')!);
    expect(outcome(await authenticate(e, await initiate(e), 'NO-SUCH-ORDER'))).toBe('8.2.6/3.8');
    expect(outcome(await authenticate(e, await initiate(e), 'EXPIRED'))).toBe('8.8.5/4.1');
    expect(outcome(await authenticate(e, await initiate(e), 'BOUND'))).toBe('8.1.1/3.8');
    // Empty matching ID and no order bound to this EID.
    expect(outcome(await authenticate(e, await initiate(e), ''))).toBe('8.2.5/4.3');
  });
  it('an empty matching ID finds the order bound to the EID', async () => {
    const id = ids.get('brainpoolP256r1')!;
    core.addOrder(order('DEFAULT-DP', { eid: id.eid }));
    const e = new MiniEuicc(id);
    const r = await authenticate(e, await initiate(e));
    expect(outcome(r)).toBe('ok');
  });
  it('retried getBoundProfilePackage returns the same package', async () => {
    core.addOrder(order('RETRY'));
    const e = new MiniEuicc(ids.get('P-256')!);
    const { auth } = await untilGbpp(e, 'RETRY');
    const pdr = b64(e.prepareDownload(auth));
    const first = await call('getBoundProfilePackage', {
      transactionId: auth.transactionId,
      prepareDownloadResponse: pdr,
    });
    const second = await call('getBoundProfilePackage', {
      transactionId: auth.transactionId,
      prepareDownloadResponse: pdr,
    });
    expect(outcome(first)).toBe('ok');
    expect(second.json!.boundProfilePackage).toBe(first.json!.boundProfilePackage);
  });
  it('sessions time out', () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const timed = new SmdpCore({
      smdpAddress: ADDR,
      smdpOid: OID,
      smdsAddress: DS,
      pki,
      now: () => now,
      sessionTimeoutMs: 1000,
    });
    const e = new MiniEuicc(ids.get('P-256')!);
    const init = timed.handle('es9plus', 'initiateAuthentication', {
      euiccChallenge: b64(e.challenge),
      euiccInfo1: b64(e.info1()),
      smdpAddress: ADDR,
    });
    const i = (init as unknown as { body: InitiateAuthenticationOk }).body;
    now = new Date(now.getTime() + 1001);
    const r = timed.handle('es9plus', 'authenticateClient', {
      transactionId: i.transactionId,
      authenticateServerResponse: b64(e.authenticateServer(i, { address: ADDR, matchingId: 'X' })),
    });
    expect(
      outcome({
        status: r.status,
        json: (r as { body: Record<string, unknown> }).body,
        text: '',
        headers: new Headers(),
      }),
    ).toBe('8.10.1/3.9');
  });
});

describe('cancelSession', () => {
  it('verifies the signed response and ends the session; releaseOnCancel returns the order', async () => {
    core.addOrder(order('CANCEL', { releaseOnCancel: true }));
    const e = new MiniEuicc(ids.get('P-256')!);
    const { auth } = await untilGbpp(e, 'CANCEL');
    expect(outcome(await gbpp(e, auth))).toBe('ok');
    const tx = auth.transactionId;
    expect(
      outcome(
        await call('cancelSession', {
          transactionId: tx,
          cancelSessionResponse: b64(e.cancelSession(5, OID, true)),
        }),
      ),
    ).toBe('8.1/6.1');
    expect(
      outcome(
        await call('cancelSession', {
          transactionId: tx,
          cancelSessionResponse: b64(e.cancelSession(5, '2.999.99')),
        }),
      ),
    ).toBe('8.8/3.1');
    expect(
      outcome(
        await call('cancelSession', {
          transactionId: tx,
          cancelSessionResponse: b64(e.cancelSession(5, OID)),
        }),
      ),
    ).toBe('ok');
    expect(core.state().cancellations.at(-1)).toMatchObject({ reason: 5, verified: true });
    expect(
      outcome(
        await call('cancelSession', {
          transactionId: tx,
          cancelSessionResponse: b64(e.cancelSession(5, OID)),
        }),
      ),
    ).toBe('8.10.1/3.9');
    // The one-time order with releaseOnCancel can be downloaded again.
    const e2 = new MiniEuicc(ids.get('P-256')!);
    expect(outcome(await authenticate(e2, await initiate(e2), 'CANCEL'))).toBe('ok');
  });
});

describe('handleNotification', () => {
  it('verifies OtherSignedNotification chains and signatures, always 204', async () => {
    const e = new MiniEuicc(ids.get('brainpoolP256r1')!);
    const good = await call('handleNotification', {
      pendingNotification: b64(e.otherNotification(1, 41, ADDR, '89990010000000001234')),
    });
    expect(good.status).toBe(204);
    expect(core.state().notifications.at(-1)).toMatchObject({
      kind: 'enable',
      verified: true,
      seqNumber: 41,
      iccid: '89990010000000001234',
    });
    const bad = await call('handleNotification', {
      pendingNotification: b64(e.otherNotification(3, 42, ADDR, '89990010000000001234', true)),
    });
    expect(bad.status).toBe(204);
    expect(core.state().notifications.at(-1)).toMatchObject({
      kind: 'delete',
      verified: false,
      problem: 'invalid signature',
    });
    const foreign = createTestIdentity({ curve: 'P-256', seed: 'foreign2' });
    const f = new MiniEuicc({ ...foreign, ciKeyId: new Uint8Array(20) });
    expect(
      (
        await call('handleNotification', {
          pendingNotification: b64(f.otherNotification(2, 1, ADDR, '89990010000000001234')),
        })
      ).status,
    ).toBe(204);
    expect(core.state().notifications.at(-1)).toMatchObject({ kind: 'disable', verified: false });
  });
  it('records a forged install result as unverified', async () => {
    core.addOrder(order('FORGED'));
    const e = new MiniEuicc(ids.get('P-256')!);
    const { auth } = await untilGbpp(e, 'FORGED');
    expect(outcome(await gbpp(e, auth))).toBe('ok');
    const r = await call('handleNotification', {
      pendingNotification: b64(
        e.installResult({
          seq: 9,
          smdpOid: OID,
          address: ADDR,
          iccid: '89990010000000000111',
          corrupt: true,
        }),
      ),
    });
    expect(r.status).toBe(204);
    expect(core.state().notifications.at(-1)).toMatchObject({
      kind: 'install',
      verified: false,
      problem: 'invalid signature',
    });
  });
  it('answers 204 to garbage and records it', async () => {
    for (const body of [
      { pendingNotification: 'not base64!' },
      { pendingNotification: b64(Uint8Array.of(0x30, 0x05, 0x01)) },
      {},
    ]) {
      const r = await call('handleNotification', body);
      expect(r.status).toBe(204);
      expect(core.state().notifications.at(-1)).toMatchObject({ kind: 'unknown', verified: false });
    }
  });
});

describe('SM-DS (ES11)', () => {
  it('returns the event entries of the eUICC, on es11 and es9plus paths', async () => {
    const id = ids.get('P-256')!;
    const reg = await fetch(`${server.url}/admin/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ eid: id.eid, eventId: 'EVT-1' }),
    });
    expect(await reg.json()).toEqual({ eventId: 'EVT-1' });
    for (const iface of ['es11', 'es9plus']) {
      const e = new MiniEuicc(id);
      const init = await initiate(e, DS, iface);
      // serverSigned1 names the SM-DS and is signed with DSauth (checked by MiniEuicc).
      const r = await call(
        'authenticateClient',
        {
          transactionId: init.transactionId,
          authenticateServerResponse: b64(e.authenticateServer(init, { address: DS })),
        },
        { iface },
      );
      expect(outcome(r)).toBe('ok');
      expect(r.json!.eventEntries).toEqual([{ eventId: 'EVT-1', rspServerAddress: ADDR }]);
    }
    const other = new MiniEuicc(ids.get('brainpoolP256r1')!);
    const init = await initiate(other, DS, 'es11');
    const r = await call(
      'authenticateClient',
      {
        transactionId: init.transactionId,
        authenticateServerResponse: b64(other.authenticateServer(init, { address: DS })),
      },
      { iface: 'es11' },
    );
    expect(r.json!.eventEntries).toEqual([]);
    const wrong = await call(
      'initiateAuthentication',
      { euiccChallenge: b64(other.challenge), euiccInfo1: b64(other.info1()), smdpAddress: ADDR },
      { iface: 'es11' },
    );
    expect(outcome(wrong)).toBe('8.9.1/3.8');
  });
});

describe('HTTP binding', () => {
  it('wrong Content-Type -> Failed 1.2.1/2.1', async () => {
    expect(outcome(await call('initiateAuthentication', {}, { contentType: 'text/plain' }))).toBe(
      '1.2.1/2.1',
    );
  });
  it.each([
    ['not JSON', '{"euiccChallenge":', '1.6/2.1'],
    ['a JSON array', '[]', '1.6/2.1'],
    ['a missing field', '{"euiccChallenge":"AAAA"}', '1.6/2.2'],
    [
      'bad base64',
      JSON.stringify({ euiccChallenge: '!!!', euiccInfo1: 'AA==', smdpAddress: ADDR }),
      '1.6/2.1',
    ],
    [
      'truncated DER',
      JSON.stringify({
        euiccChallenge: b64(new Uint8Array(16)),
        euiccInfo1: b64(Uint8Array.of(0xbf, 0x20, 0x10, 0x82)),
        smdpAddress: ADDR,
      }),
      '1.6/2.1',
    ],
    [
      'a number for a string',
      JSON.stringify({ euiccChallenge: 5, euiccInfo1: 'AA==', smdpAddress: ADDR }),
      '1.6/2.1',
    ],
  ])('%s -> Failed %s, no stack trace', async (_name, raw, code) => {
    const r = await call('initiateAuthentication', undefined, { raw });
    expect(outcome(r)).toBe(code);
    expect(r.text).not.toMatch(/\.ts|at [A-Za-z]+ \(/);
  });
  it('truncated DER inside authenticateClient -> Failed 1.6/2.1', async () => {
    const e = new MiniEuicc(ids.get('P-256')!);
    const init = await initiate(e);
    const full = e.authenticateServer(init, { address: ADDR, matchingId: 'X' });
    const r = await call('authenticateClient', {
      transactionId: init.transactionId,
      authenticateServerResponse: b64(full.subarray(0, full.length - 10)),
    });
    expect(outcome(r)).toBe('1.6/2.1');
  });
  it('huge body -> 413; unknown path -> 404; GET on a function -> 405', async () => {
    const big = await call('initiateAuthentication', undefined, {
      raw: `{"x":"${'a'.repeat(400 * 1024)}"}`,
    });
    expect(big.status).toBe(413);
    expect(
      (await fetch(`${server.url}/gsma/rsp2/es9plus/../../etc/passwd`, { method: 'POST' })).status,
    ).toBe(404);
    expect((await fetch(`${server.url}/gsma/rsp2/es9plus/initiateAuthentication`)).status).toBe(
      405,
    );
    expect(outcome(await call('noSuchFunction', {}))).toBe('1.6/2.1');
  });
  it('CORS preflight and headers on every answer', async () => {
    const pre = await fetch(`${server.url}/gsma/rsp2/es9plus/initiateAuthentication`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:4173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-admin-protocol',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type, x-admin-protocol');
    const r = await call('initiateAuthentication', {}, {});
    expect(r.headers.get('access-control-expose-headers')).toBe('x-admin-protocol, retry-after');
    expect(r.headers.get('x-admin-protocol')).toBe('gsma/rsp/v2.2.0');
  });
  it('GET /state only for loopback callers', async () => {
    const res = await fetch(`${server.url}/state`);
    expect(res.status).toBe(200);
    const st = (await res.json()) as { smdpAddress: string; orders: unknown[] };
    expect(st.smdpAddress).toBe(ADDR);
    const handler = createSmdpHandler({ core, admin: true });
    expect(
      (await handler(new Request('http://x/state'), { remoteAddress: '203.0.113.9' })).status,
    ).toBe(403);
    expect(
      (
        await handler(new Request('http://x/admin/events', { method: 'POST', body: '{}' }), {
          remoteAddress: '192.168.1.2',
        })
      ).status,
    ).toBe(403);
  });
});

describe('test PKI of the server', () => {
  it('issues DP credentials under each CI', () => {
    for (const p of pki) {
      expect(p.dpAuth.parsed.authorityKeyId).toEqual(p.ci.parsed.subjectKeyId);
      expect(p.dpPb.parsed.sanRegisteredIds).toContain(OID);
    }
    // A fresh CI unrelated to the server is not trusted.
    expect(createTestCi('P-256').parsed.subjectKeyId).not.toEqual(pki[0]!.ci.parsed.subjectKeyId);
  });
});

describe('orders', () => {
  it('rejects an order with an invalid ICCID when it is added', () => {
    expect(() => {
      core.addOrder(order('BAD-ICCID', { iccid: '89990010000000300015' }));
    }).toThrow(/Luhn/);
  });
});
