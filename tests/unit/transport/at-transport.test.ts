// AtTransport against the fake modem: 27.007 command shapes (§8.17 CSIM, §8.43 CGLA, §8.45 CCHO,
// §8.46 CCHC) and each vendor quirk of docs/platform.md §2.3 pinned by a test.
import { describe, it, expect } from 'vitest';
import { en } from '../../../src/i18n/en/index.ts';
import { explain } from '../../../src/i18n/explain.ts';
import { AtTransport, openAtTransport } from '../../../src/transport/webserial-at/at-transport.ts';
import {
  AtCommandError,
  AtTimeoutError,
  AtUnsupportedError,
} from '../../../src/transport/webserial-at/errors.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { createFakeModem, type FakeModemOptions } from '../../fakes/serial/fake-at-modem.ts';
import { ISD_R_AID, TEST_EID, tinyCard } from '../../fakes/usb/tiny-card.ts';
import { t0Card } from '../../fakes/usb/fake-ccid-device.ts';

// ES10c GetEID with the channel bits left zero (the modem sets them), docs/protocol.md §3.3.
const GET_EID = fromHex('80E2910006BF3E035C015A00');
const EID_ANSWER = `BF3E125A10${TEST_EID}9000`;

async function open(
  options: Omit<FakeModemOptions, 'card'> & { card?: FakeModemOptions['card'] } = {},
  extra = {},
) {
  const card = tinyCard();
  const { port, modem } = createFakeModem({ card, ...options });
  const transport = await openAtTransport(port, extra);
  return { card, port, modem, transport };
}

async function eidOverCsim(t: AtTransport) {
  expect(toHex(await t.transmit(fromHex('0070000001')))).toBe('019000');
  const fci = await t.transmit(fromHex('01A4040010A0000005591010FFFFFFFF890000010000'));
  expect(toHex(fci.subarray(-2))).toBe('9000');
  expect(toHex(await t.transmit(fromHex('81E2910006BF3E035C015A00')))).toBe(EID_ANSWER);
  expect(toHex(await t.transmit(fromHex('0070800100')))).toBe('9000');
}

describe('standard 27.007 modem (CGLA)', () => {
  it('turns echo off, detects CGLA by trying CCHO, and reads the EID on a native channel', async () => {
    const { modem, transport, port } = await open();
    expect(port.openedWith).toMatchObject({
      baudRate: 115200,
      dataBits: 8,
      stopBits: 1,
      parity: 'none',
    });
    expect(transport.strategy).toBe('cgla');
    expect(transport.maxStoreDataBlock).toBe(120);
    expect(transport.logicalChannels).toBeDefined();
    expect(modem.log).toEqual([
      'AT',
      'ATE0',
      'AT+CCHO="A0000005591010FFFFFFFF8900000100"',
      'AT+CCHC=1',
    ]);
    const ch = await transport.logicalChannels!.open(ISD_R_AID);
    expect(transport.openHandles).toEqual(['1']);
    expect(toHex(await ch.transmit(GET_EID))).toBe(EID_ANSWER);
    // CGLA length counts hex characters: 12 bytes -> 24.
    expect(modem.log).toContain('AT+CGLA=1,24,"80E2910006BF3E035C015A00"');
    // ...and the modem put the channel into the CLA.
    expect(modem.cardLog).toContain('81E2910006BF3E035C015A00');
    await ch.close();
    expect(modem.log.at(-1)).toBe('AT+CCHC=1');
    expect(transport.openHandles).toEqual([]);
    await transport.close();
    expect(modem.log.some((l) => l.endsWith('=?'))).toBe(false);
  });

  it('passes 61xx up so the APDU layer can send GET RESPONSE on the channel', async () => {
    const { transport, modem } = await open({ card: t0Card(tinyCard()) });
    const ch = await transport.logicalChannels!.open(ISD_R_AID);
    expect(toHex(await ch.transmit(GET_EID))).toBe('6115');
    expect(toHex(await ch.transmit(fromHex('00C0000015')))).toBe(EID_ANSWER);
    expect(modem.cardLog).toContain('01C0000015');
    await transport.close();
  });

  it('filters URCs and reports them', async () => {
    const urcs: string[] = [];
    const { transport } = await open(
      { urcs: ['+CREG: 1', 'RING', '+QIND: "csq",20,99'] },
      { onUrc: (l: string) => urcs.push(l) },
    );
    const ch = await transport.logicalChannels!.open(ISD_R_AID);
    expect(toHex(await ch.transmit(GET_EID))).toBe(EID_ANSWER);
    expect(urcs).toContain('RING');
    expect(urcs).toContain('+QIND: "csq",20,99');
    await transport.close();
  });

  it('closes remembered stale handles at start and every open channel at the end', async () => {
    const { modem, transport } = await open({ staleHandles: ['7'] }, { rememberedHandles: ['7'] });
    expect(modem.log[2]).toBe('AT+CCHC=7');
    expect(modem.sessions.has('7')).toBe(false);
    await transport.logicalChannels!.open(ISD_R_AID);
    await transport.close();
    expect(modem.log.at(-1)).toBe('AT+CCHC=1');
    expect(modem.sessions.size).toBe(0);
    await expect(transport.transmit(fromHex('0070000001'))).rejects.toBeInstanceOf(
      TransportClosedError,
    );
    await transport.close();
  });

  it('a CCHO for an AID the card lacks is an AtCommandError with the CME code', async () => {
    const { transport } = await open();
    const err = await transport
      .logicalChannels!.open(fromHex('A0000005591010000000008900000300'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtCommandError);
    expect((err as AtCommandError).cme).toBe(13);
    await transport.close();
  });

  it('baud rate is configurable', async () => {
    const { port, transport } = await open({}, { baudRate: 9600 });
    expect(port.openedWith?.baudRate).toBe(9600);
    await transport.close();
  });
});

describe('vendor quirks (docs/platform.md §2.3)', () => {
  it('Quectel: CSIM STATUS on a logical channel fails, so CGLA is used', async () => {
    const { transport } = await open({ mode: 'quectel' });
    expect(transport.strategy).toBe('cgla');
    // The quirk itself: STATUS (81 F2) through CSIM is refused by the modem.
    await expect(transport.transmit(fromHex('81F2000000'))).rejects.toBeInstanceOf(AtCommandError);
    const ch = await transport.logicalChannels!.open(ISD_R_AID);
    expect(toHex(await ch.transmit(GET_EID))).toBe(EID_ANSWER);
    await transport.close();
  });

  it('Sierra MC7455/EM7590: 64-bit hex handle kept opaque; no "=?" probing', async () => {
    const { transport, modem } = await open({ mode: 'sierra' });
    expect(transport.strategy).toBe('cgla');
    const ch = await transport.logicalChannels!.open(ISD_R_AID);
    expect(transport.openHandles).toEqual(['000000000385a7d0']);
    expect(toHex(await ch.transmit(GET_EID))).toBe(EID_ANSWER);
    expect(modem.log).toContain('AT+CGLA=000000000385a7d0,24,"80E2910006BF3E035C015A00"');
    await ch.close();
    expect(modem.log.at(-1)).toBe('AT+CCHC=000000000385a7d0');
    expect(modem.log.some((l) => l.includes('=?'))).toBe(false);
    await transport.close();
  });

  it('Sierra EM9191: no AT+CCHC, channels closed with MANAGE CHANNEL through CSIM', async () => {
    const { transport, modem, card } = await open({ mode: 'em9191' });
    expect(transport.strategy).toBe('cgla');
    // The probe's channel was closed through CSIM after CCHC failed.
    expect(modem.log.slice(3, 5)).toEqual(['AT+CCHC=1', 'AT+CSIM=10,"0070800100"']);
    const ch = await transport.logicalChannels!.open(ISD_R_AID);
    expect(toHex(await ch.transmit(GET_EID))).toBe(EID_ANSWER);
    await ch.close();
    // Known not to work now: no second CCHC attempt.
    expect(modem.log.at(-1)).toBe('AT+CSIM=10,"0070800100"');
    expect(modem.log.filter((l) => l.startsWith('AT+CCHC')).length).toBe(1);
    expect(card.channels.size).toBe(0);
    await transport.close();
  });

  it('Sierra EM9191 firmware answering "+CME ERROR: Parameters error" to CCHO: CSIM is used', async () => {
    const { transport, modem, card } = await open({ mode: 'em9191-cme' });
    expect(transport.strategy).toBe('csim');
    expect(transport.logicalChannels).toBeUndefined();
    // Stale channels 1-3 closed first, then a MANAGE CHANNEL open/close proves CSIM works.
    expect(modem.log.slice(3)).toEqual([
      'AT+CSIM=10,"0070800100"',
      'AT+CSIM=10,"0070800200"',
      'AT+CSIM=10,"0070800300"',
      'AT+CSIM=10,"0070000001"',
      'AT+CSIM=10,"0070800100"',
    ]);
    expect(card.channels.size).toBe(0);
    await eidOverCsim(transport);
    await transport.close();
  });

  it('Fibocom FM350-GL: CCHO answers a bare "1"', async () => {
    const { transport, modem } = await open({ mode: 'fibocom' });
    expect(transport.strategy).toBe('cgla');
    const ch = await transport.logicalChannels!.open(ISD_R_AID);
    expect(transport.openHandles).toEqual(['1']);
    expect(toHex(await ch.transmit(GET_EID))).toBe(EID_ANSWER);
    expect(modem.log).toContain('AT+CGLA=1,24,"80E2910006BF3E035C015A00"');
    await transport.close();
  });

  it('SIMCom SIM7600: no eSIM AT commands -> AtUnsupportedError naming what was tried', async () => {
    const card = tinyCard();
    const { port } = createFakeModem({ card, mode: 'simcom7600' });
    const err = await openAtTransport(port).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtUnsupportedError);
    const attempts = (err as AtUnsupportedError).attempts.map((a) => a.command);
    expect(attempts).toEqual([
      'AT+CCHO="A0000005591010FFFFFFFF8900000100"',
      'AT+CSIM=10,"0070000001"',
      // CSIM on the basic channel (STATUS) is the last thing tried.
      'AT+CSIM=10,"80F2000C00"',
    ]);
    expect(String(err)).toMatch(/lets no APDU through.*Tried: AT\+CCHO/);
    expect(explain(err, en).advice).toBe(en.errors.atUnsupported.advice);
    expect(port.readable).toBeNull(); // the port was closed again
  });

  it('Dell DW5821e: CSIM only; the APDU layer manages channels', async () => {
    const { transport, card } = await open({ mode: 'dw5821e' });
    expect(transport.strategy).toBe('csim');
    expect(transport.logicalChannels).toBeUndefined();
    expect(transport.label).toBe('AT modem (AT+CSIM)');
    await eidOverCsim(transport);
    expect(card.channels.size).toBe(0);
    await transport.close();
  });

  it('a forced strategy skips detection', async () => {
    const { transport, modem } = await open({}, { strategy: 'csim', closeStaleChannels: false });
    expect(transport.strategy).toBe('csim');
    expect(modem.log.some((l) => l.startsWith('AT+CCHO'))).toBe(false);
    await transport.close();
  });
});

describe('timeouts, abort and loss of the port', () => {
  it('STORE DATA gets the long timeout, other commands the short one', async () => {
    const { transport, modem } = await open({}, { timeoutMs: 40, storeDataTimeoutMs: 2000 });
    modem.options.delayMs = 80;
    const ch = await transport.logicalChannels!.open(ISD_R_AID).catch((e: unknown) => e);
    expect(ch).toBeInstanceOf(AtTimeoutError);
    expect((ch as AtTimeoutError).timeoutMs).toBe(40);
    modem.options.delayMs = 0;
    await new Promise((r) => setTimeout(r, 100)); // the late answer arrives and is ignored
    const ch2 = await transport.logicalChannels!.open(ISD_R_AID);
    modem.options.delayMs = 80;
    expect(toHex(await ch2.transmit(GET_EID))).toBe(EID_ANSWER);
    modem.options.delayMs = 0;
    await transport.close();
  });

  it('an aborted signal rejects the command', async () => {
    const { transport } = await open();
    const ac = new AbortController();
    ac.abort(new Error('cancelled'));
    await expect(transport.transmit(fromHex('0070000001'), ac.signal)).rejects.toThrow('cancelled');
    await transport.close();
  });

  it('unplugging the modem ends the link with TransportClosedError', async () => {
    const { transport, port } = await open();
    port.unplug();
    await new Promise((r) => setTimeout(r, 0));
    await expect(transport.transmit(fromHex('0070000001'))).rejects.toBeInstanceOf(
      TransportClosedError,
    );
    await transport.close();
  });

  it('AtTransport.open works on any ByteStream', async () => {
    const { port } = createFakeModem({ card: tinyCard(), mode: 'dw5821e' });
    await port.open({ baudRate: 115200 });
    const { serialByteStream } = await import('../../../src/transport/webserial-at/serial-port.ts');
    const t = await AtTransport.open(serialByteStream(port), { label: 'Test modem' });
    expect(t.label).toBe('Test modem');
    await t.close();
  });
});
