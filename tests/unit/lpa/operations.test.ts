import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NOTIFICATION_POLICY,
  Lpa,
  LpaError,
  Mutex,
  notificationPolicyOf,
  toLpaError,
} from '../../../src/lpa/index.ts';
import { FakeCard, FakeEs9p, ICCID, NamedError } from './fakes.ts';

function setup(autoSendNotifications = true): { card: FakeCard; es9p: FakeEs9p; lpa: Lpa } {
  const card = new FakeCard();
  const es9p = new FakeEs9p();
  return { card, es9p, lpa: new Lpa({ es10: card, es9p, autoSendNotifications }) };
}

describe('profile operations and their notifications', () => {
  it('enable sends the notification it created and removes it; older ones are left alone', async () => {
    const { card, es9p, lpa } = setup();
    const old = card.addNotification('delete', 'elsewhere.example');
    const r = await lpa.enableProfile({ iccid: ICCID });
    expect(r.notifications).toHaveLength(1);
    expect(r.notifications[0]).toMatchObject({
      profileManagementOperation: 'enable',
      sent: true,
      removed: true,
    });
    expect(es9p.calls.filter((c) => c.fn === 'handleNotification')).toHaveLength(1);
    expect(card.notifications.map((n) => n.seqNumber)).toEqual([old]);
  });

  it('with autoSendNotifications off nothing is sent; the new notification is reported kept', async () => {
    const { card, es9p, lpa } = setup(false);
    const r = await lpa.enableProfile({ iccid: ICCID });
    expect(r.notifications).toMatchObject([
      { profileManagementOperation: 'enable', sent: false, kept: true },
    ]);
    expect(es9p.calls).toEqual([]);
    expect(card.notifications).toHaveLength(1);
  });

  it('a policy that keeps enable notifications leaves them on the eUICC and reports them kept', async () => {
    const card = new FakeCard();
    const es9p = new FakeEs9p();
    const lpa = new Lpa({ es10: card, es9p, notificationPolicy: DEFAULT_NOTIFICATION_POLICY });
    const r = await lpa.enableProfile({ iccid: ICCID });
    expect(r.notifications).toHaveLength(1);
    expect(r.notifications[0]).toMatchObject({
      profileManagementOperation: 'enable',
      sent: false,
      removed: false,
      kept: true,
    });
    expect(r.notifications[0]!.error).toBeUndefined();
    expect(es9p.calls.filter((c) => c.fn === 'handleNotification')).toEqual([]);
    expect(card.notifications.map((n) => n.profileManagementOperation)).toEqual(['enable']);
    // Sent by hand later, it goes like any other.
    const sent = await lpa.sendAllNotifications();
    expect(sent.map((x) => x.sent)).toEqual([true]);
    expect(card.notifications).toEqual([]);
  });

  it('a policy that sends enable notifications sends them even when other kinds are kept', async () => {
    const card = new FakeCard();
    const es9p = new FakeEs9p();
    const lpa = new Lpa({
      es10: card,
      es9p,
      notificationPolicy: { install: 'keep', enable: 'send', disable: 'keep', delete: 'keep' },
    });
    const r = await lpa.enableProfile({ iccid: ICCID });
    expect(r.notifications.map((n) => [n.profileManagementOperation, n.sent, n.kept])).toEqual([
      ['enable', true, undefined],
    ]);
    expect(card.notifications).toEqual([]);
  });

  it('policy from options: autoSend off keeps profile operations but not the install result; a per-kind entry wins', () => {
    expect(notificationPolicyOf(undefined, undefined)).toEqual({
      install: 'send',
      enable: 'send',
      disable: 'send',
      delete: 'send',
    });
    expect(notificationPolicyOf(false, { delete: 'send' })).toEqual({
      install: 'send',
      enable: 'keep',
      disable: 'keep',
      delete: 'send',
    });
    expect(DEFAULT_NOTIFICATION_POLICY).toMatchObject({ install: 'send', delete: 'send' });
  });

  it('a card result error becomes LpaError es10 with the SGP.22 name', async () => {
    const { lpa } = setup();
    const e = await lpa.disableProfile({ iccid: ICCID }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LpaError);
    expect(e).toMatchObject({
      reason: 'es10',
      details: { fn: 'disableProfile', resultCode: 2, resultName: 'profileNotInEnabledState' },
    });
  });
});

describe('notifications', () => {
  it('sendAll: a failed send keeps the notification and is reported; others are removed', async () => {
    const { card, es9p, lpa } = setup();
    const a = card.addNotification('enable', 'ok.example');
    const b = card.addNotification('disable', 'down.example');
    const c = card.addNotification('delete', 'ok.example');
    es9p.failNotificationsTo.add('down.example');
    const results = await lpa.sendAllNotifications();
    expect(results.map((r) => [r.seqNumber, r.sent, r.removed])).toEqual([
      [a, true, true],
      [b, false, false],
      [c, true, true],
    ]);
    expect(results[1]!.error?.reason).toBe('network');
    expect(card.notifications.map((n) => n.seqNumber)).toEqual([b]);
  });

  it('send one, unknown number, remove', async () => {
    const { card, lpa } = setup();
    const a = card.addNotification('enable');
    await expect(lpa.sendNotification(99)).rejects.toMatchObject({ reason: 'badRequest' });
    await expect(lpa.sendNotification(a)).resolves.toMatchObject({ sent: true, removed: true });
    const b = card.addNotification('disable');
    await expect(lpa.removeNotification(b)).resolves.toBe('ok');
    await expect(lpa.removeNotification(b)).resolves.toBe('nothingToDelete');
  });
});

describe('one operation at a time per card', () => {
  it('serialises concurrent operations', async () => {
    const { card, lpa } = setup();
    card.delayMs = 5;
    await Promise.all([
      lpa.getEid(),
      lpa.listNotifications(),
      lpa.getEid(),
      lpa.enableProfile({ iccid: ICCID }),
    ]);
    expect(card.overlapped).toBe(false);
  });

  it('a waiting operation can be aborted; a failed one releases the lock', async () => {
    const m = new Mutex();
    let release!: () => void;
    const first = m.run(() => new Promise<void>((r) => (release = r)));
    const ac = new AbortController();
    const second = m.run(() => Promise.resolve('never'), ac.signal);
    ac.abort(new Error('gave up'));
    await expect(second).rejects.toThrow('gave up');
    release();
    await first;
    await expect(m.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(m.run(() => Promise.resolve(3))).resolves.toBe(3);
  });

  it('reopens the link through the factory after a transport failure', async () => {
    const card = new FakeCard();
    let opened = 0;
    let broken = true;
    const lpa = new Lpa({
      es9p: new FakeEs9p(),
      es10: () => {
        opened++;
        return Promise.resolve({
          es10: (req: Uint8Array) =>
            broken
              ? Promise.reject(new NamedError('TransportClosedError', 'unplugged'))
              : card.es10(req),
        });
      },
    });
    await expect(lpa.getEid()).rejects.toMatchObject({ reason: 'transport' });
    broken = false;
    await expect(lpa.getEid()).resolves.toBe('89049032123451234512345678901235');
    expect(opened).toBe(2);
  });
});

describe('toLpaError', () => {
  it.each<[unknown, string]>([
    [
      new NamedError('Es10Error', 'x', { fn: 'enableProfile', resultCode: 2, resultName: 'n' }),
      'es10',
    ],
    [new NamedError('Es10FormatError', 'x'), 'es10'],
    [new NamedError('Es9pError', 'x', { subjectCode: '8.1', reasonCode: '6.1' }), 'es9p'],
    [new NamedError('Es9pTransportError', 'x', { reason: 'aborted' }), 'cancelled'],
    [new NamedError('Es9pTransportError', 'x', { reason: 'http', httpStatus: 500 }), 'network'],
    [new NamedError('ApduError', 'x', { sw: 0x6982 }), 'apdu'],
    [new NamedError('TransportClosedError', 'x'), 'transport'],
    [new NamedError('SlotEmptyError', 'x'), 'transport'],
    [new NamedError('ActivationCodeError', 'x', { reason: 'format' }), 'badActivationCode'],
    [new NamedError('AbortError', 'x'), 'cancelled'],
    [new TypeError('bug'), 'internal'],
    ['a string', 'internal'],
  ])('%s -> %s', (e, code) => {
    const l = toLpaError(e, 'step');
    expect(l.reason).toBe(code);
    expect(l.cause).toBe(e);
    expect(l.step).toBe('step');
  });
  it('keeps codes in details', () => {
    expect(toLpaError(new NamedError('ApduError', 'x', { sw: 0x6982 })).details).toEqual({
      sw: '6982',
    });
    expect(
      toLpaError(
        new NamedError('Es9pError', 'x', {
          subjectCode: '8.1',
          reasonCode: '6.1',
          functionName: 'authenticateClient',
        }),
      ).details,
    ).toEqual({
      subjectCode: '8.1',
      reasonCode: '6.1',
      functionName: 'authenticateClient',
    });
  });
});
