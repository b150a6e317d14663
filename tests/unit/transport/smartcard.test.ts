// The Web Smart Card API transport (src/transport/smartcard) against a fake navigator.smartCard
// that follows the WICG draft where it matters (one operation per context, getStatusChange
// semantics, SmartCardError{responseCode}): a full ES10 exchange with the software eUICC, each
// refusal as its typed reason, and card removal firing onDisconnect once.
import { describe, it, expect } from 'vitest';
import { Card, openIsdR } from '../../../src/apdu/index.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { getEid } from '../../../src/es10/es10c.ts';
import { createEuicc, createTestIdentity } from '../../../src/euicc/index.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { requestTransport } from '../../../src/transport/smartcard/browser.ts';
import {
  SmartCardAccessError,
  classifySmartCardError,
  type SmartCardAccessReason,
} from '../../../src/transport/smartcard/errors.ts';
import { SmartCardTransport } from '../../../src/transport/smartcard/smartcard-transport.ts';
import { cardGone, watchCardRemoval } from '../../../src/transport/smartcard/watch.ts';
import { FakeSmartCard, FakeSmartCardError } from '../../fakes/smartcard/fake-smartcard.ts';
import { TEST_EID, tinyCard } from '../../fakes/usb/tiny-card.ts';

// SELECT ISD-R by AID (SGP.22 §2.2.3) and ES10c GetEID (docs/protocol.md §3.3) on the basic channel.
const SELECT_ISDR = fromHex('00A4040010A0000005591010FFFFFFFF890000010000');
const GET_EID = fromHex('80E2910006BF3E035C015A00');

const identity = createTestIdentity({ curve: 'P-256', seed: 'smartcard-tests', eid: TEST_EID });

function softwareEuicc() {
  const card = createEuicc({ identity });
  return (apdu: Uint8Array) => card.transmit(apdu);
}

async function reasonOf(p: Promise<unknown>): Promise<SmartCardAccessReason> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SmartCardAccessError);
  return (err as SmartCardAccessError).reason;
}

/** Lets pending promise callbacks (the removal watch) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

describe('smart card requestTransport: a full ES10 exchange', () => {
  it('GetEID through openIsdR over the software eUICC', async () => {
    const api = new FakeSmartCard();
    api.addReader('Empty Reader 00 00');
    api.addReader('Fake PC/SC Reader 01 00', softwareEuicc());
    const t = await requestTransport(api, { isSecureContext: true });
    // The first reader with a card in it, shared, T=1 preferred.
    expect(t.label).toBe('Fake PC/SC Reader 01 00');
    expect(api.log).toContain('connect Fake PC/SC Reader 01 00 shared t1,t0');
    expect(t.maxStoreDataBlock).toBe(255);
    const isdr = await openIsdR(new Card(t));
    expect(await getEid(isdr)).toBe(TEST_EID);
    // The card saw plain APDUs (no CCID framing): MANAGE CHANNEL open first.
    expect(api.connections[0]!.sent[0]).toBe('0070000001');
    await t.close();
    expect(api.log).toContain('disconnect leave');
  });

  it('takes the reader it is told to, and refuses one that is not there', async () => {
    const api = new FakeSmartCard();
    api.addReader('Reader A', tinyCard());
    api.addReader('Reader B', tinyCard());
    const t = await requestTransport(api, { isSecureContext: true, reader: 'Reader B' });
    expect(t.readerName).toBe('Reader B');
    expect(toHex((await t.transmit(SELECT_ISDR)).subarray(-2))).toBe('9000');
    await t.close();
    expect(
      await reasonOf(requestTransport(api, { isSecureContext: true, reader: 'Reader C' })),
    ).toBe('noReader');
  });

  it('watches on a context of its own, so commands are not blocked by the pending watch', async () => {
    const api = new FakeSmartCard();
    api.addReader('Reader', tinyCard());
    const t = await requestTransport(api, { isSecureContext: true });
    await settle();
    expect(api.contexts).toHaveLength(2);
    expect(api.watching).toBe(1);
    // The fake rejects a second operation on a busy context with InvalidStateError, as the spec
    // says; these would fail if the watch shared the connection's context.
    expect(toHex((await t.transmit(SELECT_ISDR)).subarray(-2))).toBe('9000');
    for (let i = 0; i < 3; i++) {
      expect(toHex(await t.transmit(GET_EID))).toBe(`BF3E125A10${TEST_EID}9000`);
    }
    await t.close();
    await settle();
    expect(api.watching).toBe(0);
  });
});

describe('smart card requestTransport: refusals', () => {
  it('names the insecure page before the missing API', async () => {
    const api = new FakeSmartCard();
    expect(await reasonOf(requestTransport(api, { isSecureContext: false }))).toBe(
      'insecureContext',
    );
    expect(await reasonOf(requestTransport(undefined, { isSecureContext: false }))).toBe(
      'insecureContext',
    );
  });

  it('says there is no Web Smart Card API when navigator.smartCard is missing or wrong', async () => {
    expect(await reasonOf(requestTransport(undefined, { isSecureContext: true }))).toBe(
      'noSmartCardApi',
    );
    expect(await reasonOf(requestTransport({}, { isSecureContext: true }))).toBe('noSmartCardApi');
  });

  it('no readers, no card, a mute card', async () => {
    const api = new FakeSmartCard();
    expect(await reasonOf(requestTransport(api, { isSecureContext: true }))).toBe('noReader');
    api.addReader('Reader');
    expect(await reasonOf(requestTransport(api, { isSecureContext: true }))).toBe('noCard');
    api.insertCard('Reader', tinyCard());
    api.reader('Reader').mute = true;
    expect(await reasonOf(requestTransport(api, { isSecureContext: true }))).toBe(
      'unresponsiveCard',
    );
  });

  it('no service, blocked policy, denied permission, card held by another program', async () => {
    const cases: [SmartCardAccessReason, (api: FakeSmartCard) => void][] = [
      ['noService', (api) => (api.mode = 'noService')],
      ['permissionDenied', (api) => (api.mode = 'policyBlocked')],
      ['permissionDenied', (api) => (api.mode = 'permissionDenied')],
      ['busy', (api) => (api.reader('Reader').heldElsewhere = true)],
    ];
    for (const [reason, setUp] of cases) {
      const api = new FakeSmartCard();
      api.addReader('Reader', tinyCard());
      setUp(api);
      expect(await reasonOf(requestTransport(api, { isSecureContext: true }))).toBe(reason);
    }
  });

  it('maps SmartCardError response codes and DOMException names to reasons', () => {
    const table: [unknown, SmartCardAccessReason][] = [
      [new FakeSmartCardError('no-service'), 'noService'],
      [new FakeSmartCardError('no-smartcard'), 'noCard'],
      [new FakeSmartCardError('removed-card'), 'noCard'],
      [new FakeSmartCardError('reader-unavailable'), 'noReader'],
      [new FakeSmartCardError('unknown-reader'), 'noReader'],
      [new FakeSmartCardError('no-readers-available'), 'noReader'],
      [new FakeSmartCardError('sharing-violation'), 'busy'],
      [new FakeSmartCardError('permission-denied'), 'permissionDenied'],
      [new FakeSmartCardError('unresponsive-card'), 'unresponsiveCard'],
      [new FakeSmartCardError('unsupported-card'), 'unresponsiveCard'],
      [new FakeSmartCardError('server-too-busy'), 'other'],
      [new DOMException('denied', 'NotAllowedError'), 'permissionDenied'],
      [new DOMException('policy', 'SecurityError'), 'permissionDenied'],
      [new TypeError('bad'), 'other'],
      ['a string', 'other'],
    ];
    for (const [err, reason] of table) {
      const mapped = classifySmartCardError(err);
      expect(mapped.reason).toBe(reason);
      if (typeof err === 'object') expect(mapped.cause).toBe(err);
    }
    expect(classifySmartCardError(new FakeSmartCardError('server-too-busy')).message).toMatch(
      /server-too-busy/,
    );
    expect(classifySmartCardError(new FakeSmartCardError('sharing-violation')).responseCode).toBe(
      'sharing-violation',
    );
  });

  it('each reason has its own plain message', () => {
    const reasons: SmartCardAccessReason[] = [
      'insecureContext',
      'noSmartCardApi',
      'noService',
      'noReader',
      'noCard',
      'permissionDenied',
      'busy',
      'unresponsiveCard',
      'other',
    ];
    const messages = new Set(reasons.map((r) => new SmartCardAccessError(r).message));
    expect(messages.size).toBe(reasons.length);
    expect(new SmartCardAccessError('noSmartCardApi').message).toMatch(/no Web Smart Card API/);
    expect(new SmartCardAccessError('noService').message).toMatch(/service is not running/);
  });
});

describe('smart card removal', () => {
  it('removing the card fires onDisconnect once; commands then fail with TransportClosedError', async () => {
    const api = new FakeSmartCard();
    api.addReader('Reader', tinyCard());
    let lost = 0;
    const t = await requestTransport(api, {
      isSecureContext: true,
      onDisconnect: () => {
        lost++;
      },
    });
    expect(toHex((await t.transmit(SELECT_ISDR)).subarray(-2))).toBe('9000');
    await settle();
    api.removeCard('Reader');
    await settle();
    expect(lost).toBe(1);
    await expect(t.transmit(GET_EID)).rejects.toBeInstanceOf(TransportClosedError);
    api.insertCard('Reader', tinyCard());
    await settle();
    expect(lost).toBe(1);
    await t.close();
    expect(lost).toBe(1);
  });

  it('unplugging the reader fires onDisconnect once', async () => {
    const api = new FakeSmartCard();
    api.addReader('Reader', tinyCard());
    let lost = 0;
    const t = await requestTransport(api, {
      isSecureContext: true,
      onDisconnect: () => {
        lost++;
      },
    });
    await settle();
    api.unplugReader('Reader');
    await settle();
    expect(lost).toBe(1);
    await expect(t.transmit(GET_EID)).rejects.toBeInstanceOf(TransportClosedError);
    await t.close();
  });

  it('a removal seen first by a command also fires onDisconnect, once', async () => {
    const api = new FakeSmartCard();
    api.addReader('Reader', tinyCard());
    let lost = 0;
    const conn = await api.establishContext().then((c) => c.connect('Reader', 'shared'));
    const t = new SmartCardTransport(conn.connection, {
      readerName: 'Reader',
      onLost: () => {
        lost++;
      },
    });
    api.removeCard('Reader');
    const err = await t.transmit(GET_EID).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportClosedError);
    expect((err as Error).cause).toBeInstanceOf(FakeSmartCardError);
    await expect(t.transmit(GET_EID)).rejects.toBeInstanceOf(TransportClosedError);
    expect(lost).toBe(1);
    expect(t.state).toBe('lost');
  });

  it('an orderly close never fires onDisconnect, and is safe twice', async () => {
    const api = new FakeSmartCard();
    api.addReader('Reader', tinyCard());
    let lost = 0;
    const t = await requestTransport(api, {
      isSecureContext: true,
      onDisconnect: () => {
        lost++;
      },
    });
    await settle();
    await t.close();
    await t.close();
    api.removeCard('Reader');
    await settle();
    expect(lost).toBe(0);
    expect(api.log.filter((l) => l.startsWith('disconnect'))).toEqual(['disconnect leave']);
    await expect(t.transmit(GET_EID)).rejects.toBeInstanceOf(TransportClosedError);
  });

  it('a card swapped between two looks counts as gone (the event count moved)', () => {
    const seen = { readerName: 'R', eventState: { present: true }, eventCount: 3 };
    expect(cardGone(seen, 3)).toBe(false);
    expect(cardGone({ ...seen, eventCount: 5 }, 3)).toBe(true);
    expect(cardGone({ ...seen, eventState: { empty: true } }, 3)).toBe(true);
    expect(cardGone({ ...seen, eventState: { unknown: true } }, 3)).toBe(true);
    expect(cardGone({ ...seen, eventState: { present: true, unavailable: true } }, 3)).toBe(true);
  });

  it('the watch ends quietly on an unrelated failure and never calls back after stop()', async () => {
    let calls = 0;
    let gone = 0;
    const failing = {
      listReaders: () => Promise.resolve([]),
      connect: () => Promise.reject(new Error('unused')),
      getStatusChange: () => {
        calls++;
        return Promise.reject(new FakeSmartCardError('server-too-busy'));
      },
    };
    watchCardRemoval(
      failing,
      { readerName: 'R', eventState: { present: true }, eventCount: 0 },
      () => gone++,
    );
    await settle();
    expect(calls).toBe(1);
    expect(gone).toBe(0);

    const api = new FakeSmartCard();
    api.addReader('R', tinyCard());
    const ctx = await api.establishContext();
    const watch = watchCardRemoval(ctx, api.stateOf('R'), () => gone++);
    await settle();
    watch.stop();
    api.removeCard('R');
    await settle();
    expect(gone).toBe(0);
  });

  it('a command aborted before it is sent is not sent', async () => {
    const api = new FakeSmartCard();
    api.addReader('Reader', tinyCard());
    const t = await requestTransport(api, { isSecureContext: true });
    const ac = new AbortController();
    ac.abort(new DOMException('stop', 'AbortError'));
    await expect(t.transmit(GET_EID, ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(api.connections[0]!.sent).toEqual([]);
    await t.close();
  });
});
