import { describe, expect, it } from 'vitest';
import { Card, openIsdR } from '../../../src/apdu/index.ts';
import { getEid } from '../../../src/es10/index.ts';
import { createEuicc, createTestIdentity } from '../../../src/euicc/index.ts';
import { Lpa, toLpaError } from '../../../src/lpa/index.ts';
import type { Es9pApi } from '../../../src/lpa/index.ts';
import { projectTestCi } from '../../../src/rsp/index.ts';
import { en } from '../../../src/i18n/en/index.ts';
import { explain } from '../../../src/i18n/explain.ts';
import { errorJson } from '../../../src/server/cli/json.ts';
import { journalDirectory, readerJournalPath } from '../../../src/server/cli/stack.ts';
import {
  listPcscReaders,
  loadPcscBinding,
  openPcscTransport,
  PcscError,
  pcscResponseCode,
  toPcscError,
} from '../../../src/transport/pcsc/index.ts';
import { SmartCardAccessError } from '../../../src/transport/smartcard/index.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { ATR_T0, ATR_T1, FakePcsc } from './fake-binding.ts';

const SELECT_MF = Uint8Array.of(0x00, 0xa4, 0x00, 0x04, 0x02, 0x3f, 0x00);
const ok = (): Uint8Array => Uint8Array.of(0x90, 0x00);

function softwareEuicc() {
  return createEuicc({
    identity: createTestIdentity({ curve: 'P-256', seed: 'pcsc-unit', ci: projectTestCi('P-256') }),
  });
}

/** Settles pending promise callbacks (the removal watch runs on them). */
async function flush(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

describe('PC/SC response codes', () => {
  it('maps the binding messages and PC/SC numbers (signed or not) to Web Smart Card codes', () => {
    const cases: [unknown, string | undefined][] = [
      [new Error('PC/SC service not running'), 'no-service'],
      [new Error('Card was removed'), 'removed-card'],
      [new Error('Card was reset'), 'reset-card'],
      [new Error('Sharing violation'), 'sharing-violation'],
      [new Error('Reader unavailable'), 'reader-unavailable'],
      [new Error('Unknown reader'), 'unknown-reader'],
      [new Error('No smart card present'), 'no-smartcard'],
      [new Error('Card is unresponsive'), 'unresponsive-card'],
      [new Error('Transaction failed'), 'not-transacted'],
      [Object.assign(new Error('x'), { code: 0x8010001d }), 'no-service'],
      [Object.assign(new Error('x'), { code: 0x80100068 | 0 }), 'reset-card'],
      [Object.assign(new Error('x'), { code: 0x80100069 }), 'removed-card'],
      [new Error('something else'), undefined],
      ['not an error', undefined],
    ];
    for (const [err, code] of cases) expect(pcscResponseCode(err)).toBe(code);
  });

  it('says what failed, as SmartCardAccessErrors the LPA files under transport; the explanation says what to do', () => {
    const noService = toPcscError(new Error('PC/SC service not running'));
    expect(noService).toBeInstanceOf(SmartCardAccessError);
    expect(noService.name).toBe('SmartCardAccessError');
    expect(noService).toMatchObject({ problem: 'noService', reason: 'noService' });
    expect(noService.message).toBe('The PC/SC service (pcscd) is not running.');
    expect(explain(noService, en).advice).toContain('sudo systemctl start pcscd');
    const busy = toPcscError(new Error('Sharing violation'), 'Reader A');
    expect(busy.message).toContain('Another program holds the reader exclusively');
    expect(busy.message).toContain('Reader A');
    expect(toLpaError(busy)).toMatchObject({
      reason: 'transport',
      details: { reason: 'busy', problem: 'busy' },
    });
    expect(errorJson(noService)).toEqual({
      error: {
        code: 'transport',
        reason: 'noService',
        problem: 'noService',
        responseCode: 'no-service',
        message: noService.message,
      },
    });
  });

  it('a binding that does not load: its explanation asks for libpcsclite-dev and npm rebuild smartcard', async () => {
    const thrown = await loadPcscBinding(() => {
      throw new Error("Cannot find module '../../build/Release/smartcard_napi.node'");
    }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(PcscError);
    expect(thrown).toMatchObject({ problem: 'bindingMissing', reason: 'noSmartCardApi' });
    expect((thrown as Error).message).toContain('not installed or not built');
    expect(explain(thrown, en)).toMatchObject({
      detail: en.errors.smartCardAccess.pcsc.bindingMissing.detail,
      advice: expect.stringContaining('npm rebuild smartcard') as unknown,
    });
    expect(explain(thrown, en).advice).toContain('libpcsclite-dev');
    expect((thrown as Error).message).toContain('smartcard_napi.node');
    await expect(loadPcscBinding(() => ({}))).rejects.toMatchObject({
      problem: 'bindingMissing',
      message: expect.stringContaining('does not export a PC/SC Context') as unknown,
    });
    const fake = new FakePcsc();
    expect(await loadPcscBinding(() => fake)).toBe(fake);
    // A CommonJS package imported as an ES module: its exports are the default export.
    expect(await loadPcscBinding(() => Promise.resolve({ default: fake }))).toBe(fake);
  });
});

describe('reader list', () => {
  it('lists every reader with card presence, ATR and the protocols the ATR offers', async () => {
    const fake = new FakePcsc();
    fake.addReader('Reader A', ok, ATR_T0);
    fake.addReader('Reader B');
    fake.addReader('Reader C', ok, ATR_T1);
    fake.reader('Reader C').heldElsewhere = true;
    expect(await listPcscReaders({ binding: fake })).toEqual([
      {
        index: 0,
        name: 'Reader A',
        cardPresent: true,
        atr: '3B021450',
        protocols: ['T=0'],
        inUse: false,
        exclusive: false,
        mute: false,
      },
      {
        index: 1,
        name: 'Reader B',
        cardPresent: false,
        inUse: false,
        exclusive: false,
        mute: false,
      },
      {
        index: 2,
        name: 'Reader C',
        cardPresent: true,
        atr: '3B800181',
        protocols: ['T=1'],
        inUse: false,
        exclusive: true,
        mute: false,
      },
    ]);
    // The context is released.
    expect(fake.contexts.every((c) => !c.isValid)).toBe(true);
  });

  it('an empty list when PC/SC has no reader; pcscd not running is noService', async () => {
    const fake = new FakePcsc();
    expect(await listPcscReaders({ binding: fake })).toEqual([]);
    fake.serviceRunning = false;
    await expect(listPcscReaders({ binding: fake })).rejects.toMatchObject({
      name: 'SmartCardAccessError',
      problem: 'noService',
      responseCode: 'no-service',
    });
  });
});

describe('openPcscTransport', () => {
  it('picks a reader by name, index or a unique part of its name, shared, T=0 or T=1', async () => {
    const fake = new FakePcsc();
    fake.addReader('ACME Reader 00 00', ok, ATR_T0);
    fake.addReader('Virtual PCD 00 00', ok, ATR_T1);
    const byName = await openPcscTransport({ binding: fake, reader: 'Virtual PCD 00 00' });
    expect(byName.readerName).toBe('Virtual PCD 00 00');
    expect(byName.protocol).toBe('T=1');
    expect(byName.atr).toEqual(ATR_T1);
    await byName.close();
    const byIndex = await openPcscTransport({ binding: fake, reader: '0' });
    expect(byIndex.readerName).toBe('ACME Reader 00 00');
    expect(byIndex.protocol).toBe('T=0');
    await byIndex.close();
    const byPart = await openPcscTransport({ binding: fake, reader: 'virtual' });
    expect(byPart.readerName).toBe('Virtual PCD 00 00');
    await byPart.close();
    // Shared, T=0 or T=1 offered; the transport leaves the card as it is on close.
    expect(fake.log.filter((l) => l.startsWith('connect'))).toEqual([
      'connect Virtual PCD 00 00 2 3',
      'connect ACME Reader 00 00 2 3',
      'connect Virtual PCD 00 00 2 3',
    ]);
    expect(fake.log.filter((l) => l.startsWith('disconnect'))).toEqual([
      'disconnect 0',
      'disconnect 0',
      'disconnect 0',
    ]);
    // Both contexts of each transport are released and no status wait is left behind.
    expect(fake.contexts).toHaveLength(6);
    expect(fake.contexts.every((c) => !c.isValid)).toBe(true);
    expect(fake.watching).toBe(0);
  });

  it('refuses with the reason: unknown or ambiguous reader, empty reader, no reader, busy', async () => {
    const fake = new FakePcsc();
    await expect(openPcscTransport({ binding: fake })).rejects.toMatchObject({
      problem: 'noReader',
    });
    fake.addReader('Reader 1', ok);
    fake.addReader('Reader 2');
    await expect(openPcscTransport({ binding: fake, reader: 'Nope' })).rejects.toThrow(
      /No such reader.*"Nope" is none of 0: Reader 1; 1: Reader 2/,
    );
    await expect(openPcscTransport({ binding: fake, reader: 'Reader' })).rejects.toThrow(
      /matches more than one reader/,
    );
    await expect(openPcscTransport({ binding: fake, reader: 'Reader 2' })).rejects.toMatchObject({
      problem: 'noCard',
      message: expect.stringContaining('has no card in it') as unknown,
    });
    fake.reader('Reader 1').heldElsewhere = true;
    await expect(openPcscTransport({ binding: fake, reader: 'Reader 1' })).rejects.toMatchObject({
      problem: 'busy',
      responseCode: 'sharing-violation',
    });
    fake.reader('Reader 1').heldElsewhere = false;
    fake.reader('Reader 1').mute = true;
    await expect(openPcscTransport({ binding: fake, reader: 'Reader 1' })).rejects.toMatchObject({
      problem: 'unresponsiveCard',
    });
    // Every context opened for the failed attempts was released.
    expect(fake.contexts.every((c) => !c.isValid)).toBe(true);
  });

  it('exclusive mode: a second connection is refused as busy while the first holds the card', async () => {
    const fake = new FakePcsc();
    fake.addReader('Reader 1', ok);
    const first = await openPcscTransport({ binding: fake, exclusive: true });
    expect(fake.log).toContain('connect Reader 1 1 3');
    await expect(openPcscTransport({ binding: fake })).rejects.toMatchObject({
      problem: 'busy',
      message: expect.stringContaining('holds the reader exclusively') as unknown,
    });
    await first.close();
    const second = await openPcscTransport({ binding: fake });
    await second.close();
  });

  it('carries APDUs to the card unchanged: the ISD-R answers GetEID through it', async () => {
    const fake = new FakePcsc();
    const euicc = softwareEuicc();
    fake.addReader('Reader 1', (apdu) => euicc.transmit(apdu), ATR_T0);
    const transport = await openPcscTransport({ binding: fake });
    const isdR = await openIsdR(new Card(transport));
    expect(await getEid(isdR)).toBe(euicc.eid);
    await isdR.close();
    await transport.close();
  });

  it('a card removed mid-operation fails with TransportClosedError, also seen between commands', async () => {
    const fake = new FakePcsc();
    fake.addReader('Reader 1', ok);
    let lost = 0;
    const transport = await openPcscTransport({
      binding: fake,
      onDisconnect: () => {
        lost++;
      },
    });
    expect(await transport.transmit(SELECT_MF)).toEqual(ok());
    await flush();
    expect(fake.watching).toBe(1);
    fake.removeCard('Reader 1');
    await flush();
    // The watch saw it before any command.
    expect(lost).toBe(1);
    expect(transport.state).toBe('lost');
    await expect(transport.transmit(SELECT_MF)).rejects.toBeInstanceOf(TransportClosedError);
    await transport.close();
    expect(fake.watching).toBe(0);
  });

  it('a removal the watch has not seen yet: the failed exchange closes the link', async () => {
    const fake = new FakePcsc();
    fake.addReader('Reader 1', ok);
    const transport = await openPcscTransport({ binding: fake, watch: false });
    fake.removeCard('Reader 1');
    const err = await transport.transmit(SELECT_MF).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportClosedError);
    expect((err as Error).message).toContain('was removed');
    expect((err as Error).cause).toMatchObject({ responseCode: 'removed-card' });
    expect(toLpaError(err)).toMatchObject({ reason: 'transport' });
    await transport.close();
  });

  it('an exchange that fails on a card that is gone counts as a removal', async () => {
    const fake = new FakePcsc();
    fake.addReader('Reader 1', ok);
    const transport = await openPcscTransport({ binding: fake, watch: false });
    const handle = fake.cards[0]!;
    // pcscd answers SCARD_E_NOT_TRANSACTED when the card stops answering mid-exchange.
    handle.failNext = 'Transaction failed';
    const still = await transport.transmit(SELECT_MF).catch((e: unknown) => e);
    expect(still).toMatchObject({ problem: 'cardLost', responseCode: 'not-transacted' });
    expect(transport.state).toBe('open');
    handle.failNext = 'Transaction failed';
    handle.removed = true;
    await expect(transport.transmit(SELECT_MF)).rejects.toBeInstanceOf(TransportClosedError);
    expect(transport.state).toBe('lost');
    await transport.close();
  });

  it('an exchange completed without a status word is a failed exchange, not a malformed answer', async () => {
    const fake = new FakePcsc();
    let goneAfter = false;
    fake.addReader('Reader 1', () => {
      // vpcd completes the exchange with no bytes when the card goes away mid-command.
      if (goneAfter) fake.cards[0]!.removed = true;
      return new Uint8Array(0);
    });
    const transport = await openPcscTransport({ binding: fake, watch: false });
    const first = await transport.transmit(SELECT_MF).catch((e: unknown) => e);
    expect(first).toMatchObject({ problem: 'cardLost', name: 'SmartCardAccessError' });
    expect(toLpaError(first)).toMatchObject({ reason: 'transport' });
    expect(transport.state).toBe('open');
    goneAfter = true;
    await expect(transport.transmit(SELECT_MF)).rejects.toBeInstanceOf(TransportClosedError);
    await transport.close();
  });

  it('a reader unplugged mid-operation fails with TransportClosedError', async () => {
    const fake = new FakePcsc();
    fake.addReader('Reader 1', ok);
    let lost = 0;
    const transport = await openPcscTransport({
      binding: fake,
      watch: false,
      onDisconnect: () => {
        lost++;
      },
    });
    fake.unplugReader('Reader 1');
    const err = await transport.transmit(SELECT_MF).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportClosedError);
    expect((err as Error).cause).toMatchObject({ problem: 'readerUnplugged' });
    expect(lost).toBe(1);
    await transport.close();
  });

  it('a reset card is reconnected and reported; the LPA reopens the ISD-R on the next call', async () => {
    const fake = new FakePcsc();
    const euicc = softwareEuicc();
    fake.addReader('Reader 1', (apdu) => euicc.transmit(apdu), ATR_T1);
    const transport = await openPcscTransport({ binding: fake });
    const card = new Card(transport);
    let opened = 0;
    const lpa = new Lpa({
      es10: () => {
        opened++;
        return openIsdR(card);
      },
      es9p: {} as Es9pApi,
    });
    expect(await lpa.getEid()).toBe(euicc.eid);
    expect(opened).toBe(1);
    // Another program resets the card: the channel the ISD-R was on is gone.
    euicc.reset();
    fake.cards[0]!.resetPending = true;
    const err = await lpa.getEid().catch((e: unknown) => e);
    expect(err).toMatchObject({
      reason: 'transport',
      details: { reason: 'other', problem: 'cardReset' },
    });
    expect((err as Error).message).toContain('re-established');
    expect(explain(err, en).advice).toBe(en.errors.smartCardAccess.pcsc.cardReset.advice);
    expect(fake.log).toContain('reconnect 2 3 0');
    expect(transport.state).toBe('open');
    expect(await lpa.getEid()).toBe(euicc.eid);
    expect(opened).toBe(2);
    await transport.close();
  });
});

describe('the journal of an eUICC in a reader', () => {
  it('lives in --journal-dir, else $XDG_STATE_HOME/weblpa, else ~/.local/state/weblpa', () => {
    const home = () => '/home/u';
    expect(journalDirectory('/tmp/j', { XDG_STATE_HOME: '/x' }, home)).toBe('/tmp/j');
    expect(journalDirectory(undefined, { XDG_STATE_HOME: '/x' }, home)).toBe('/x/weblpa');
    // A relative XDG_STATE_HOME is ignored, as the XDG Base Directory Specification says.
    expect(journalDirectory(undefined, { XDG_STATE_HOME: 'rel' }, home)).toBe(
      '/home/u/.local/state/weblpa',
    );
    expect(journalDirectory(undefined, {}, home)).toBe('/home/u/.local/state/weblpa');
    expect(readerJournalPath('/d', '89049032123451234512345678901235')).toBe(
      '/d/journal-89049032123451234512345678901235.json',
    );
    expect(() => readerJournalPath('/d', '../etc')).toThrow(/EID/);
  });
});
