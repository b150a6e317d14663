import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../../src/codec/index.ts';
import { computeHashCc } from '../../../src/es10/index.ts';
import { Lpa } from '../../../src/lpa/index.ts';
import type { DownloadOptions, LpaProgress } from '../../../src/lpa/index.ts';
import { failure, FakeCard, FakeEs9p, NamedError, TX } from './fakes.ts';

function setup(): { card: FakeCard; es9p: FakeEs9p; lpa: Lpa } {
  const card = new FakeCard();
  const es9p = new FakeEs9p();
  return { card, es9p, lpa: new Lpa({ es10: card, es9p, cleanupTimeoutMs: 2000 }) };
}

const base: DownloadOptions = {
  smdpAddress: 'smdp.example',
  matchingId: 'MATCH-1',
  confirm: () => Promise.resolve(true),
};

/** The CancelSession requests the card received, as the reason byte. */
function cancelReasons(card: FakeCard): string[] {
  return card.log.filter((h) => h.startsWith('BF41')).map((h) => h.slice(-2));
}

describe('download (docs/protocol.md §5.1)', () => {
  it('with install notifications kept by the policy, the result stays on the eUICC unsent', async () => {
    const card = new FakeCard();
    const es9p = new FakeEs9p();
    const lpa = new Lpa({ es10: card, es9p, notificationPolicy: { install: 'keep' } });
    const r = await lpa.download(base);
    expect(r.notification).toMatchObject({ sent: false, removed: false, kept: true });
    expect(es9p.fns()).not.toContain('handleNotification');
    expect(card.notifications.map((n) => n.profileManagementOperation)).toEqual(['install']);
  });

  it('runs the steps in order, sends the install notification and removes it after 204', async () => {
    const { card, es9p, lpa } = setup();
    const steps: string[] = [];
    const r = await lpa.download({ ...base, onProgress: (p: LpaProgress) => steps.push(p.step) });
    expect(r.iccid).toBe('89000123456789012341');
    expect(toHex(r.isdpAid)).toBe('A0000005591010FFFFFFFF8900001000');
    expect(r.metadata.serviceProviderName).toBe('Example Mobile');
    expect(r.notification).toMatchObject({
      sent: true,
      removed: true,
      profileManagementOperation: 'install',
    });
    expect([...new Set(steps)]).toEqual([
      'resolveAddress',
      'getEuiccChallenge',
      'initiateAuthentication',
      'authenticateServer',
      'authenticateClient',
      'consent',
      'prepareDownload',
      'getBoundProfilePackage',
      'loadBoundProfilePackage',
      'handleNotification',
      'done',
    ]);
    expect(es9p.fns()).toEqual([
      'initiateAuthentication',
      'authenticateClient',
      'getBoundProfilePackage',
      'handleNotification',
    ]);
    // ctxParams1 carries the matching ID (80 07 "MATCH-1").
    const bf38 = card.log.find((h) => h.startsWith('BF38'))!;
    expect(bf38).toContain('8007' + toHex(utf8.encode('MATCH-1')));
    // The BPP went in 6 ES10 calls (BF36+BF23, A0, A1 hdr, 88, A3 hdr, 86, 86 = 7).
    expect(
      card.tags().filter((t) => ['BF36', 'A0', 'A1', '88', 'A3', '86'].includes(t)),
    ).toHaveLength(7);
    // Removed only after the server acknowledged: BF30 is the last card call.
    expect(card.tags().at(-1)).toBe('BF30');
    expect(card.notifications).toHaveLength(0);
    expect(cancelReasons(card)).toEqual([]);
  });

  it('uses the default SM-DP+ when no address is given, and fails with noAddress when there is none', async () => {
    const { card, lpa } = setup();
    const e = await failure(lpa.download({ confirm: () => Promise.resolve(true) }));
    expect(e.reason).toBe('noAddress');
    card.defaultDp = 'smdp.example';
    await expect(lpa.download({ confirm: () => Promise.resolve(true) })).resolves.toMatchObject({
      smdpAddress: 'smdp.example',
    });
    // ctxParams1 without a matching ID: A0 starts straight with the A1 deviceInfo.
    const bf38 = card.log.filter((h) => h.startsWith('BF38')).at(-1)!;
    expect(bf38).not.toContain('8007');
  });

  it('consent refused: CancelSession endUserRejection (0) on the card and at the SM-DP+', async () => {
    const { card, es9p, lpa } = setup();
    let preview: unknown;
    const e = await failure(
      lpa.download({
        ...base,
        confirm: (p) => {
          preview = p;
          return Promise.resolve(false);
        },
      }),
    );
    expect(e.reason).toBe('consentRefused');
    expect(preview).toMatchObject({ smdpAddress: 'smdp.example', confirmationCodeRequired: false });
    expect(cancelReasons(card)).toEqual(['00']);
    const cancel = es9p.calls.find((c) => c.fn === 'cancelSession')!;
    expect(cancel.req['transactionId']).toBe(toHex(TX));
    expect(toHex(cancel.req['cancelSessionResponse'] as Uint8Array).slice(0, 4)).toBe('BF41');
    expect(card.tags()).not.toContain('BF21');
  });

  it('asks for the confirmation code only when ccRequiredFlag is set and sends hashCc', async () => {
    const { card, es9p, lpa } = setup();
    let asked = 0;
    const confirmationCode = (): Promise<string> => {
      asked++;
      return Promise.resolve('1234');
    };
    await lpa.download({ ...base, confirmationCode });
    expect(asked).toBe(0);
    es9p.ccRequired = true;
    await lpa.download({ ...base, confirmationCode });
    expect(asked).toBe(1);
    const bf21 = card.log.filter((h) => h.startsWith('BF21')).at(-1)!;
    expect(bf21).toContain('0420' + toHex(computeHashCc('1234', TX)));
  });

  it('no confirmation code: CancelSession postponed (1)', async () => {
    const { card, es9p, lpa } = setup();
    es9p.ccRequired = true;
    const e = await failure(
      lpa.download({ ...base, confirmationCode: () => Promise.resolve(null) }),
    );
    expect(e.reason).toBe('confirmationCodeRequired');
    expect(cancelReasons(card)).toEqual(['01']);
    expect(es9p.fns()).toContain('cancelSession');
  });

  it('an SM-DP+ error keeps its codes, cancels with undefinedReason, and survives a failing cancel', async () => {
    const { card, es9p, lpa } = setup();
    es9p.fail['getBoundProfilePackage'] = new NamedError('Es9pError', 'Confirmation code refused', {
      subjectCode: '8.2.7',
      reasonCode: '3.8',
    });
    es9p.fail['cancelSession'] = new NamedError('Es9pTransportError', 'down', {
      reason: 'network',
    });
    const e = await failure(lpa.download(base));
    expect(e.reason).toBe('es9p');
    expect(e.step).toBe('getBoundProfilePackage');
    expect(e.details).toMatchObject({ subjectCode: '8.2.7', reasonCode: '3.8' });
    expect(e.cause).toBe(es9p.fail['getBoundProfilePackage']);
    expect(cancelReasons(card)).toEqual(['7F']);
    expect(e.cleanupErrors).toHaveLength(1);
  });

  it('an ES9+ timeout cancels with reason timeout (2)', async () => {
    const { card, es9p, lpa } = setup();
    es9p.fail['authenticateClient'] = new NamedError('Es9pTransportError', 'timed out', {
      reason: 'timeout',
    });
    const e = await failure(lpa.download(base));
    expect(e.reason).toBe('network');
    expect(cancelReasons(card)).toEqual(['02']);
  });

  it('a card failure while loading the BPP cancels with loadBppExecutionError (5)', async () => {
    const { card, lpa } = setup();
    card.failOnSegment = {
      index: 3,
      error: new NamedError('ApduError', 'SW 6A80', { sw: 0x6a80 }),
    };
    const e = await failure(lpa.download(base));
    expect(e.reason).toBe('apdu');
    expect(e.details['sw']).toBe('6A80');
    expect(e.step).toBe('loadBoundProfilePackage');
    expect(cancelReasons(card)).toEqual(['05']);
  });

  it('an install error from the eUICC: no cancel, the failure notification is still delivered', async () => {
    const { card, es9p, lpa } = setup();
    card.installOk = false;
    const e = await failure(lpa.download(base));
    expect(e.reason).toBe('installFailed');
    expect(e.details).toMatchObject({
      bppCommandName: 'loadProfileElements',
      resultName: 'installFailedDueToInsufficientMemoryForProfile',
    });
    expect(cancelReasons(card)).toEqual([]);
    expect(es9p.fns()).toContain('handleNotification');
    expect(card.notifications).toHaveLength(0);
  });

  it('a server that signs another challenge is refused before the card authenticates it', async () => {
    const { card, es9p, lpa } = setup();
    es9p.challengeOverride = new Uint8Array(16);
    const e = await failure(lpa.download(base));
    expect(e.reason).toBe('serverMismatch');
    expect(card.tags()).not.toContain('BF38');
    es9p.challengeOverride = undefined;
    es9p.serverAddress = 'other.example';
    expect((await failure(lpa.download(base))).reason).toBe('serverMismatch');
  });

  it('abort during consent cancels the session (endUserRejection) and reports cancelled', async () => {
    const { card, lpa } = setup();
    const ac = new AbortController();
    const e = await failure(
      lpa.download({
        ...base,
        signal: ac.signal,
        confirm: () => {
          ac.abort();
          return Promise.resolve(true);
        },
      }),
    );
    expect(e.reason).toBe('cancelled');
    expect(cancelReasons(card)).toEqual(['00']);
  });

  it('an install notification that cannot be delivered stays on the card', async () => {
    const { card, es9p, lpa } = setup();
    es9p.failNotificationsTo.add('smdp.example');
    const r = await lpa.download(base);
    expect(r.notification).toMatchObject({ sent: false, removed: false });
    expect(r.notification.error?.reason).toBe('network');
    expect(card.notifications.map((n) => n.profileManagementOperation)).toEqual(['install']);
  });
});
