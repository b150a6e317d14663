// The test SM-DP+/SM-DS against abuse: replayed notifications, confirmation-code guessing
// across sessions, one-time orders returned by a cancel after delivery, session floods and
// cross-origin use of the admin endpoints. Everything runs in-process on a fake clock.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestIdentity } from '../../../src/euicc/identity.ts';
import type { Order } from '../../../src/server/smdp/catalogue.ts';
import { parseCatalogue } from '../../../src/server/smdp/catalogue.ts';
import { SmdpCore, type EsResult, type SmdpCoreOptions } from '../../../src/server/smdp/core.ts';
import { createServerPki, type CiCredentials } from '../../../src/server/smdp/credentials.ts';
import { ReplayGuard } from '../../../src/server/smdp/replay.ts';
import { createSmdpHandler } from '../../../src/server/smdp/server.ts';
import { BoundedMap, SessionTable } from '../../../src/server/smdp/sessions.ts';
import {
  MiniEuicc,
  b64,
  type AuthenticateClientOk,
  type Identity,
  type InitiateAuthenticationOk,
} from './mini-euicc.ts';

const ADDR = 'testsmdpplus1.example.com';
const DS = 'testsmds1.example.com';
const OID = '2.999.10';
const ICCID = '89990010000000000111';

let pki: CiCredentials[];
let id: Identity;

beforeAll(() => {
  pki = createServerPki({
    smdpAddress: ADDR,
    smdpOid: OID,
    smdsAddress: DS,
    smdsOid: '2.999.11',
    seed: 'smdp-abuse-test',
    curves: ['P-256'],
  });
  const ci = pki[0]!.ci;
  const t = createTestIdentity({ curve: 'P-256', seed: 'abuse-euicc', ci });
  id = {
    eid: t.eid,
    euiccCert: t.euiccCert,
    eumCert: t.eumCert,
    euiccKey: t.euiccKey,
    ciKeyId: ci.parsed.subjectKeyId!,
  };
});

function order(matchingId: string, over: Partial<Order> = {}): Order {
  return {
    matchingId,
    label: matchingId,
    reusable: false,
    iccid: ICCID,
    metadata: { serviceProviderName: 'Test SP', profileName: matchingId },
    profile: { kind: 'generated', sizeBytes: 200 },
    ...over,
  };
}

/** 'ok', '204' or "subject/reason" of a core result. */
function outcome(r: EsResult): string {
  if (r.status === 204) return '204';
  const status = (
    r.body.header as {
      functionExecutionStatus: {
        status: string;
        statusCodeData?: { subjectCode: string; reasonCode: string };
      };
    }
  ).functionExecutionStatus;
  if (status.status === 'Executed-Success') return 'ok';
  return `${status.statusCodeData!.subjectCode}/${status.statusCodeData!.reasonCode}`;
}

function message(r: EsResult): string {
  if (r.status === 204) return '';
  return (r.body.header as { functionExecutionStatus: { statusCodeData?: { message: string } } })
    .functionExecutionStatus.statusCodeData!.message;
}

/** A core on a fake clock, with the calls of one download. */
function rig(orders: Order[], over: Partial<SmdpCoreOptions> = {}) {
  let nowMs = Date.parse('2030-01-01T00:00:00Z');
  const core = new SmdpCore({
    smdpAddress: ADDR,
    smdpOid: OID,
    smdsAddress: DS,
    pki,
    orders,
    now: () => new Date(nowMs),
    ...over,
  });
  const call = (fn: string, body: unknown): EsResult => core.handle('es9plus', fn, body);
  const initiate = (e: MiniEuicc): EsResult =>
    call('initiateAuthentication', {
      euiccChallenge: b64(e.challenge),
      euiccInfo1: b64(e.info1()),
      smdpAddress: ADDR,
    });
  const initiated = (e: MiniEuicc): InitiateAuthenticationOk => {
    const r = initiate(e);
    expect(outcome(r)).toBe('ok');
    return (r as { body: unknown }).body as InitiateAuthenticationOk;
  };
  const authenticate = (e: MiniEuicc, init: InitiateAuthenticationOk, mid: string): EsResult =>
    call('authenticateClient', {
      transactionId: init.transactionId,
      authenticateServerResponse: b64(
        e.authenticateServer(init, { address: ADDR, matchingId: mid }),
      ),
    });
  /** A fresh eUICC session up to getBoundProfilePackage. */
  const untilGbpp = (mid: string): { e: MiniEuicc; auth: AuthenticateClientOk } => {
    const e = new MiniEuicc(id);
    const r = authenticate(e, initiated(e), mid);
    expect(outcome(r)).toBe('ok');
    return { e, auth: (r as { body: unknown }).body as AuthenticateClientOk };
  };
  const gbpp = (auth: AuthenticateClientOk, pdr: Uint8Array): EsResult =>
    call('getBoundProfilePackage', {
      transactionId: auth.transactionId,
      prepareDownloadResponse: b64(pdr),
    });
  const cancel = (e: MiniEuicc, auth: AuthenticateClientOk): EsResult =>
    call('cancelSession', {
      transactionId: auth.transactionId,
      cancelSessionResponse: b64(e.cancelSession(5, OID)),
    });
  const notify = (der: Uint8Array): EsResult =>
    call('handleNotification', { pendingNotification: b64(der) });
  const orderState = (mid: string) => core.state().orders.find((o) => o.matchingId === mid)!;
  return {
    core,
    call,
    initiate,
    initiated,
    authenticate,
    untilGbpp,
    gbpp,
    cancel,
    notify,
    orderState,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

describe('replayed notifications', () => {
  it('a replayed install result is answered 204, recorded as a duplicate and counted once', () => {
    const r = rig([order('REPLAY', { reusable: true })]);
    const { e, auth } = r.untilGbpp('REPLAY');
    expect(outcome(r.gbpp(auth, e.prepareDownload(auth)))).toBe('ok');
    const note = e.installResult({ seq: 7, smdpOid: OID, address: ADDR, iccid: ICCID });
    for (let i = 0; i < 5; i++) expect(outcome(r.notify(note))).toBe('204');
    expect(r.orderState('REPLAY')).toMatchObject({ downloads: 1, installs: 1 });
    const installs = r.core.state().notifications.filter((n) => n.kind === 'install');
    expect(installs).toHaveLength(5);
    expect(installs.map((n) => n.duplicate === true)).toEqual([false, true, true, true, true]);
    expect(installs.every((n) => n.verified)).toBe(true);
  });

  it('a replayed failed result does not return a one-time order again', () => {
    const r = rig([order('FAILED-ONCE')]);
    const first = r.untilGbpp('FAILED-ONCE');
    expect(outcome(r.gbpp(first.auth, first.e.prepareDownload(first.auth)))).toBe('ok');
    const failed = first.e.installResult({
      seq: 3,
      smdpOid: OID,
      address: ADDR,
      iccid: ICCID,
      success: false,
    });
    expect(outcome(r.notify(failed))).toBe('204');
    expect(r.orderState('FAILED-ONCE').used).toBe(false);
    // The order is downloaded again by a second session; the old failure replayed changes nothing.
    const second = r.untilGbpp('FAILED-ONCE');
    expect(outcome(r.gbpp(second.auth, second.e.prepareDownload(second.auth)))).toBe('ok');
    expect(outcome(r.notify(failed))).toBe('204');
    expect(r.orderState('FAILED-ONCE').used).toBe(true);
    expect(r.core.state().notifications.at(-1)).toMatchObject({ duplicate: true });
  });

  it('a forged copy sent first does not hide the genuine notification', () => {
    const r = rig([order('FORGED-FIRST', { reusable: true })]);
    const { e, auth } = r.untilGbpp('FORGED-FIRST');
    expect(outcome(r.gbpp(auth, e.prepareDownload(auth)))).toBe('ok');
    const opts = { seq: 9, smdpOid: OID, address: ADDR, iccid: ICCID };
    r.notify(e.installResult({ ...opts, corrupt: true }));
    r.notify(e.installResult(opts));
    expect(r.orderState('FORGED-FIRST').installs).toBe(1);
    expect(r.core.state().notifications.at(-1)).not.toHaveProperty('duplicate');
  });

  it('other notifications are keyed by EID, seqNumber and event', () => {
    const r = rig([]);
    const e = new MiniEuicc(id);
    const enable = e.otherNotification(1, 41, ADDR, ICCID);
    r.notify(enable);
    r.notify(enable);
    r.notify(e.otherNotification(2, 41, ADDR, ICCID)); // another event, same seqNumber
    r.notify(e.otherNotification(1, 42, ADDR, ICCID)); // a new notification
    expect(r.core.state().notifications.map((n) => [n.kind, n.duplicate === true])).toEqual([
      ['enable', false],
      ['enable', true],
      ['disable', false],
      ['enable', false],
    ]);
  });

  it('remembers a bounded number of keys, forgetting the oldest first', () => {
    const guard = new ReplayGuard(3);
    for (const k of ['a', 'b', 'c']) expect(guard.replayed(k)).toBe(false);
    expect(guard.replayed('a')).toBe(true); // refreshed: b is now the oldest
    expect(guard.replayed('d')).toBe(false);
    expect(guard.replayed('b')).toBe(false);
    expect(guard.replayed('a')).toBe(true);
  });
});

describe('confirmation codes are limited per order, over all sessions', () => {
  const cc = (over: Partial<Order> = {}): Order =>
    order('CC', { confirmationCode: '4711', ...over });

  it('locks the order after 5 wrong codes in 5 sessions; the right code is refused then', () => {
    const r = rig([cc()]);
    for (let i = 0; i < 4; i++) {
      const { e, auth } = r.untilGbpp('CC');
      expect(outcome(r.gbpp(auth, e.prepareDownload(auth, String(1000 + i))))).toBe('8.2.7/3.8');
      r.advance(60 * 60_000);
    }
    const fifth = r.untilGbpp('CC');
    expect(outcome(r.gbpp(fifth.auth, fifth.e.prepareDownload(fifth.auth, '2000')))).toBe(
      '8.2.7/6.4',
    );
    expect(r.orderState('CC')).toMatchObject({
      wrongConfirmationCodes: 5,
      confirmationCodeLocked: true,
      used: false,
    });
    // Further sessions are refused at authenticateClient, the right code never gets checked.
    r.advance(24 * 60 * 60_000);
    const e = new MiniEuicc(id);
    const locked = r.authenticate(e, r.initiated(e), 'CC');
    expect(outcome(locked)).toBe('8.2.7/6.4');

    // The lock is reset by the core (the admin endpoint's call): the right code installs.
    expect(r.core.resetConfirmationCodeLock('cc')).toBe(true);
    expect(r.core.resetConfirmationCodeLock('NO-SUCH')).toBe(false);
    const ok = r.untilGbpp('CC');
    expect(outcome(r.gbpp(ok.auth, ok.e.prepareDownload(ok.auth, '4711')))).toBe('ok');
  });

  it('a session in progress when the order locks is refused too', () => {
    const r = rig([cc()], { maxConfirmationCodeAttempts: 2 });
    const waiting = r.untilGbpp('CC');
    for (let i = 0; i < 2; i++) {
      const { e, auth } = r.untilGbpp('CC');
      r.gbpp(auth, e.prepareDownload(auth, '0000'));
      r.advance(5_000); // past the back-off, well inside the session timeout
    }
    expect(r.orderState('CC').confirmationCodeLocked).toBe(true);
    const late = r.gbpp(waiting.auth, waiting.e.prepareDownload(waiting.auth, '4711'));
    expect(outcome(late)).toBe('8.2.7/6.4');
    expect(message(late)).toMatch(/locked/);
  });

  it('backs off exponentially between wrong codes (refusing even the right code early)', () => {
    const r = rig([cc({ reusable: true })], { confirmationCodeBackoffMs: 1000 });
    const { e, auth } = r.untilGbpp('CC');
    const attempt = (code: string) => r.gbpp(auth, e.prepareDownload(auth, code));
    expect(outcome(attempt('0001'))).toBe('8.2.7/3.8');
    r.advance(999);
    const early = attempt('4711');
    expect(outcome(early)).toBe('8.2.7/6.4');
    expect(message(early)).toMatch(/try again after 2030-01-01T00:00:01\.000Z/);
    r.advance(1);
    expect(outcome(attempt('0002'))).toBe('8.2.7/3.8'); // second wrong code: 2 s back-off
    r.advance(1999);
    expect(outcome(attempt('4711'))).toBe('8.2.7/6.4');
    r.advance(1);
    // The refusals inside the back-off were not counted; the right code clears the count.
    expect(r.orderState('CC').wrongConfirmationCodes).toBe(2);
    expect(outcome(attempt('4711'))).toBe('ok');
    expect(r.orderState('CC').wrongConfirmationCodes).toBe(0);
  });
});

describe('a one-time order cancelled after delivery', () => {
  it('stays used by default; the same session can still fetch its package again', () => {
    const r = rig([order('ONCE')]);
    const { e, auth } = r.untilGbpp('ONCE');
    const pdr = e.prepareDownload(auth);
    const first = r.gbpp(auth, pdr);
    expect(outcome(first)).toBe('ok');
    // A retried call with the same PrepareDownloadResponse (lost answer) gets the same package.
    const again = r.gbpp(auth, pdr);
    expect(outcome(again)).toBe('ok');
    expect((again as { body: Record<string, unknown> }).body.boundProfilePackage).toBe(
      (first as { body: Record<string, unknown> }).body.boundProfilePackage,
    );
    expect(outcome(r.cancel(e, auth))).toBe('ok');
    expect(r.orderState('ONCE')).toMatchObject({ used: true, downloads: 1 });
    const e2 = new MiniEuicc(id);
    expect(outcome(r.authenticate(e2, r.initiated(e2), 'ONCE'))).toBe('8.2.6/3.8');
  });

  it('returns to the pool with releaseOnCancel (from the catalogue)', () => {
    const [parsed] = parseCatalogue({
      orders: [
        {
          matchingId: 'RELEASE',
          releaseOnCancel: true,
          metadata: { serviceProviderName: 'SP', profileName: 'P' },
          profile: { iccid: ICCID },
        },
      ],
    });
    expect(parsed!.releaseOnCancel).toBe(true);
    const r = rig([parsed!]);
    const { e, auth } = r.untilGbpp('RELEASE');
    expect(outcome(r.gbpp(auth, e.prepareDownload(auth)))).toBe('ok');
    expect(outcome(r.cancel(e, auth))).toBe('ok');
    expect(r.orderState('RELEASE')).toMatchObject({ used: false, releaseOnCancel: true });
    const e2 = new MiniEuicc(id);
    expect(outcome(r.authenticate(e2, r.initiated(e2), 'RELEASE'))).toBe('ok');
  });

  it('a cancel before delivery leaves the order available', () => {
    const r = rig([order('NOT-YET')]);
    const { e, auth } = r.untilGbpp('NOT-YET');
    expect(outcome(r.cancel(e, auth))).toBe('ok');
    const e2 = new MiniEuicc(id);
    expect(outcome(r.authenticate(e2, r.initiated(e2), 'NOT-YET'))).toBe('ok');
  });
});

describe('the session table', () => {
  it('holds at most 1000 sessions by default; a flood evicts the oldest unauthenticated ones', () => {
    const r = rig([order('KEEP', { reusable: true })]);
    const { e, auth } = r.untilGbpp('KEEP');
    const flood = new MiniEuicc(id);
    const first = r.initiated(flood);
    for (let i = 0; i < 1005; i++) expect(outcome(r.initiate(flood))).toBe('ok');
    const st = r.core.state();
    expect(st.sessions).toHaveLength(1000);
    // The authenticated session survived the flood and completes.
    expect(st.sessions.some((s) => s.transactionId === auth.transactionId)).toBe(true);
    expect(outcome(r.gbpp(auth, e.prepareDownload(auth)))).toBe('ok');
    // The oldest unauthenticated session was evicted.
    expect(outcome(r.authenticate(flood, first, 'KEEP'))).toBe('8.10.1/3.9');
  });

  it('refuses new sessions with 8.8/3.7 when every live session has authenticated', () => {
    const r = rig([order('FULL', { reusable: true })], { maxSessions: 2 });
    r.untilGbpp('FULL');
    r.untilGbpp('FULL');
    const refused = r.initiate(new MiniEuicc(id));
    expect(outcome(refused)).toBe('8.8/3.7');
    expect(r.core.state().sessions).toHaveLength(2);
  });

  it('expires sessions after the timeout', () => {
    const r = rig([], { sessionTimeoutMs: 1000, maxSessions: 10 });
    const e = new MiniEuicc(id);
    for (let i = 0; i < 3; i++) {
      r.initiated(e);
      r.advance(400);
    }
    // Created at 0, 400 and 800 ms; now 1200 ms: only the first has expired.
    expect(r.core.state().sessions).toHaveLength(2);
    r.advance(1000);
    expect(r.core.state().sessions).toHaveLength(0);
  });

  it('SessionTable: expiry from the front, eviction of the oldest pending session', () => {
    const ended: string[] = [];
    const t = new SessionTable<{ txHex: string; expiresAtMs: number }>(3, (s, why) =>
      ended.push(`${s.txHex}:${why}`),
    );
    const s = (txHex: string, expiresAtMs: number) => ({ txHex, expiresAtMs });
    const a = s('A', 10);
    t.add(a);
    t.authenticated(a);
    t.add(s('B', 20));
    t.add(s('C', 30));
    expect(t.add(s('D', 40))).toBe(true); // evicts B, the oldest pending one
    expect(ended).toEqual(['B:evicted']);
    t.sweep(25);
    expect(ended).toEqual(['B:evicted', 'A:expired']);
    expect([...t.values()].map((x) => x.txHex)).toEqual(['C', 'D']);
    const full = new SessionTable<{ txHex: string; expiresAtMs: number }>(1, () => undefined);
    const only = s('X', 1);
    full.add(only);
    full.authenticated(only);
    expect(full.add(s('Y', 2))).toBe(false);
    expect(() => new SessionTable(0, () => undefined)).toThrow(RangeError);
  });

  it('BoundedMap keeps the newest entries', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    m.set('c', 3);
    expect([m.has('a'), m.get('b'), m.get('c'), m.size]).toEqual([false, 2, 3, 2]);
  });
});

describe('admin endpoints', () => {
  const BASE = 'http://127.0.0.1:8000';
  const loopback = { remoteAddress: '127.0.0.1' };

  function handlerFor(admin: boolean) {
    const r = rig([order('SECRET-ID', { confirmationCode: '1234' })], {
      maxConfirmationCodeAttempts: 1,
    });
    return { r, handler: createSmdpHandler({ core: r.core, admin }) };
  }

  it('are off unless enabled', async () => {
    const { handler } = handlerFor(false);
    const state = await handler(new Request(`${BASE}/state`), loopback);
    expect(state.status).toBe(404);
    expect(await state.text()).not.toMatch(/SECRET-ID/);
    const events = await handler(
      new Request(`${BASE}/admin/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ eid: id.eid }),
      }),
      loopback,
    );
    expect(events.status).toBe(404);
  });

  it('answer same-origin and header-less loopback callers, without CORS headers', async () => {
    const { handler } = handlerFor(true);
    for (const headers of [{}, { origin: BASE, 'sec-fetch-site': 'same-origin' }]) {
      const res = await handler(new Request(`${BASE}/state`, { headers }), loopback);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(await res.text()).toMatch(/SECRET-ID/);
    }
  });

  it.each([
    ['another origin', `${BASE}/state`, { origin: 'https://evil.example' }],
    ['another port', `${BASE}/state`, { origin: 'http://127.0.0.1:4173' }],
    ['an opaque origin', `${BASE}/state`, { origin: 'null' }],
    ['Sec-Fetch-Site cross-site', `${BASE}/state`, { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site same-site', `${BASE}/state`, { 'sec-fetch-site': 'same-site' }],
    ['a rebound DNS name', 'http://evil.example:8000/state', {}],
  ])('refuse %s with 403 and no CORS headers', async (_name, url, headers) => {
    const { handler } = handlerFor(true);
    const res = await handler(new Request(url, { headers }), loopback);
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.text()).not.toMatch(/SECRET-ID/);
  });

  it('refuse preflights, remote peers and form posts', async () => {
    const { handler } = handlerFor(true);
    const preflight = await handler(
      new Request(`${BASE}/admin/events`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      }),
      loopback,
    );
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(
      (await handler(new Request(`${BASE}/state`), { remoteAddress: '203.0.113.9' })).status,
    ).toBe(403);
    const form = await handler(
      new Request(`${BASE}/admin/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `eid=${id.eid}`,
      }),
      loopback,
    );
    expect(form.status).toBe(415);
    // ES9+ itself keeps its CORS headers for the browser LPA.
    const es9 = await handler(
      new Request(`${BASE}/gsma/rsp2/es9plus/initiateAuthentication`, {
        method: 'OPTIONS',
        headers: { origin: 'http://127.0.0.1:4173', 'access-control-request-method': 'POST' },
      }),
      loopback,
    );
    expect(es9.status).toBe(204);
    expect(es9.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('reset a confirmation-code lock', async () => {
    const { r, handler } = handlerFor(true);
    const { e, auth } = r.untilGbpp('SECRET-ID');
    expect(outcome(r.gbpp(auth, e.prepareDownload(auth, '0000')))).toBe('8.2.7/6.4');
    expect(r.orderState('SECRET-ID').confirmationCodeLocked).toBe(true);
    const post = (body: string) =>
      handler(
        new Request(`${BASE}/admin/orders/reset-cc-lock`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }),
        loopback,
      );
    expect((await post(JSON.stringify({ matchingId: 'NOPE' }))).status).toBe(404);
    expect((await post('[]')).status).toBe(400);
    const ok = await post(JSON.stringify({ matchingId: 'secret-id' }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ matchingId: 'secret-id', reset: true });
    expect(r.orderState('SECRET-ID').confirmationCodeLocked).toBe(false);
  });
});

describe('odd requests', () => {
  it('never answer 5xx', async () => {
    const { handler } = (() => {
      const r = rig([order('ODD', { confirmationCode: '1' })]);
      return { handler: createSmdpHandler({ core: r.core, admin: true }) };
    })();
    const tx = '00112233445566778899AABBCCDDEEFF';
    const bodies: string[] = [
      'null',
      '[]',
      '5',
      '"x"',
      '{}',
      '{"transactionId":5}',
      '{"transactionId":"ZZ"}',
      `{"transactionId":"${tx}","prepareDownloadResponse":"vyEDAQID"}`,
      `{"transactionId":"${tx}","cancelSessionResponse":"AAAA"}`,
      '{"pendingNotification":"vzcA"}',
      '{"pendingNotification":"MAA="}',
      '{"smdpAddress":{},"euiccChallenge":[],"euiccInfo1":null}',
      `{"euiccChallenge":"${'A'.repeat(24)}","euiccInfo1":"vyAA","smdpAddress":"${ADDR}"}`,
      '{"matchingId":["x"],"eid":{"a":1}}',
      '{"__proto__":{"x":1},"constructor":"y"}',
      '\u0000\uffff',
    ];
    const paths = [
      ...[
        'initiateAuthentication',
        'authenticateClient',
        'getBoundProfilePackage',
        'cancelSession',
        'handleNotification',
      ].flatMap((fn) => [`/gsma/rsp2/es9plus/${fn}`, `/gsma/rsp2/es11/${fn}`]),
      '/state',
      '/admin/events',
      '/admin/orders/reset-cc-lock',
      '/admin/other',
    ];
    for (const path of paths)
      for (const body of bodies) {
        const res = await handler(
          new Request(`http://127.0.0.1:8000${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          }),
          { remoteAddress: '127.0.0.1' },
        );
        expect(res.status, `${path} ${body}`).toBeLessThan(500);
      }
    const invalidUtf8 = await handler(
      new Request('http://127.0.0.1:8000/admin/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d),
      }),
      { remoteAddress: '127.0.0.1' },
    );
    expect(invalidUtf8.status).toBe(400);
  });
});
