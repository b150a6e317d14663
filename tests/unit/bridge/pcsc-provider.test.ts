// The bridge over PC/SC (src/server/bridge/pcsc-provider.ts) with the fake `smartcard` binding of
// the PC/SC transport's tests and a software eUICC as the card: exact reader names only, card
// presence, APDUs, a card taken out, and pcscd not running, each as the bridge's typed error.
import { afterEach, describe, expect, it } from 'vitest';
import { PcscReaderProvider } from '../../../src/server/bridge/pcsc-provider.ts';
import type { BridgeServer } from '../../../src/server/bridge/server.ts';
import { FakePcsc } from '../pcsc/fake-binding.ts';
import { pairedClient, testBridge, testEuicc } from './helpers.ts';

const GET_EID = '80E2910006BF3E035C015A00';
const SELECT_ISDR = '00A4040010A0000005591010FFFFFFFF890000010000';

let bridge: BridgeServer | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

describe('bridge over PC/SC', () => {
  it('lists PC/SC readers, opens one by its exact name, carries APDUs, reports removal and pcscd down', async () => {
    const fake = new FakePcsc();
    const euicc = testEuicc();
    fake.addReader('ACME Reader 00 00', (apdu) => euicc.transmit(apdu));
    fake.addReader('ACME Reader 00 01');
    const t = await testBridge({ provider: new PcscReaderProvider({ binding: fake }) });
    bridge = t.bridge;
    const { client: c } = await pairedClient(t.url);
    c.send({ type: 'list', id: 1 });
    expect(await c.next()).toEqual({
      type: 'readers',
      id: 1,
      readers: [
        { name: 'ACME Reader 00 00', card: true, busy: false },
        { name: 'ACME Reader 00 01', card: false, busy: false },
      ],
    });
    c.send({ type: 'connect', id: 2, reader: 'ACME Reader 00 01' });
    expect(await c.next()).toMatchObject({ code: 'noCard' });
    // The PC/SC transport would take a unique part of a name or an index; the bridge does not.
    for (const [id, reader] of [
      [3, 'ACME Reader 00 0'],
      [4, '0'],
    ] as const) {
      c.send({ type: 'connect', id, reader });
      expect(await c.next()).toMatchObject({ id, code: 'unknownReader' });
    }
    c.send({ type: 'connect', id: 5, reader: 'ACME Reader 00 00' });
    expect(await c.next()).toMatchObject({ type: 'connected', id: 5 });
    c.send({ type: 'transmit', id: 6, apdu: SELECT_ISDR });
    expect(await c.next()).toMatchObject({ type: 'response', id: 6 });
    c.send({ type: 'transmit', id: 7, apdu: GET_EID });
    expect(String((await c.next())['apdu'])).toMatch(/^bf3e125a10.*9000$/i);

    fake.removeCard('ACME Reader 00 00');
    c.send({ type: 'transmit', id: 8, apdu: GET_EID });
    expect(await c.next()).toMatchObject({ id: 8, code: 'cardRemoved' });

    fake.serviceRunning = false;
    c.send({ type: 'list', id: 9 });
    const down = await c.next();
    expect(down).toMatchObject({ id: 9, code: 'readerError' });
    expect(String(down['message'])).toMatch(/pcscd/);
    c.ws.close();
  });
});
