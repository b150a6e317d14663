// The transports against the software eUICC (src/euicc) behind the fakes: SELECT ISD-R and
// ES10c GetEID (docs/protocol.md §3.3) through a CCID reader (APDU and T=0 TPDU level) and AT modems.
import { describe, it, expect } from 'vitest';
import { createEuicc, createTestIdentity } from '../../../src/euicc/index.ts';
import { openCcidTransport } from '../../../src/transport/webusb-ccid/ccid-transport.ts';
import { openAtTransport } from '../../../src/transport/webserial-at/at-transport.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { createFakeReader } from '../../fakes/usb/fake-ccid-device.ts';
import { createFakeModem } from '../../fakes/serial/fake-at-modem.ts';
import { ISD_R_AID } from '../../fakes/usb/tiny-card.ts';

const EID = '89049032123451234512345678901235';
const identity = createTestIdentity({ curve: 'P-256', seed: 'transport-tests', eid: EID });

function euicc(t0 = false) {
  const card = createEuicc({ identity, t0 });
  return (apdu: Uint8Array) => card.transmit(apdu);
}

/** Follows 61xx like the APDU layer does (GET RESPONSE on the channel's interindustry class). */
async function withGetResponse(
  send: (a: Uint8Array) => Promise<Uint8Array>,
  apdu: Uint8Array,
  getResponseCla: number,
): Promise<Uint8Array> {
  let r = await send(apdu);
  let data = new Uint8Array(0);
  while (r[r.length - 2] === 0x61) {
    data = new Uint8Array([...data, ...r.subarray(0, -2)]);
    r = await send(Uint8Array.of(getResponseCla, 0xc0, 0, 0, r[r.length - 1]!));
  }
  return new Uint8Array([...data, ...r]);
}

function eidOf(response: Uint8Array): string {
  expect(toHex(response.subarray(-2))).toBe('9000');
  const hex = toHex(response.subarray(0, -2));
  expect(hex.startsWith('BF3E')).toBe(true);
  return hex.slice(hex.indexOf('5A10') + 4, hex.indexOf('5A10') + 4 + 32);
}

describe.each([
  ['short APDU level', 'shortApdu' as const, false],
  ['extended APDU level', 'extendedApdu' as const, false],
  ['T=0 TPDU level', 'tpdu' as const, true],
])('CCID reader, %s, software eUICC', (_name, level, t0) => {
  it('SELECT ISD-R + GetEID', async () => {
    const { usb, device } = createFakeReader({ card: euicc(t0), level });
    const t = await openCcidTransport(device, { events: usb });
    const send = (a: Uint8Array) => t.transmit(a);
    const open = await send(fromHex('0070000001'));
    expect(toHex(open.subarray(-2))).toBe('9000');
    const ch = open[0]!;
    const fci = await withGetResponse(send, fromHex(`0${ch}A4040010${toHex(ISD_R_AID)}00`), ch);
    expect(toHex(fci.subarray(-2))).toBe('9000');
    const eid = await withGetResponse(send, fromHex(`8${ch}E2910006BF3E035C015A00`), ch);
    expect(eidOf(eid)).toBe(EID);
    expect(toHex(await send(fromHex(`007080${ch.toString(16).padStart(2, '0')}00`)))).toBe('9000');
    await t.close();
  });
});

describe.each(['standard', 'sierra', 'fibocom', 'dw5821e'] as const)(
  'AT modem (%s), software eUICC',
  (mode) => {
    it('SELECT ISD-R + GetEID', async () => {
      const { port } = createFakeModem({ card: euicc(), mode });
      const t = await openAtTransport(port);
      if (t.logicalChannels) {
        const ch = await t.logicalChannels.open(ISD_R_AID);
        const send = (a: Uint8Array) => ch.transmit(a);
        expect(eidOf(await withGetResponse(send, fromHex('80E2910006BF3E035C015A00'), 0))).toBe(
          EID,
        );
        await ch.close();
      } else {
        const send = (a: Uint8Array) => t.transmit(a);
        const open = await send(fromHex('0070000001'));
        const ch = open[0]!;
        await withGetResponse(send, fromHex(`0${ch}A4040010${toHex(ISD_R_AID)}00`), ch);
        expect(
          eidOf(await withGetResponse(send, fromHex(`8${ch}E2910006BF3E035C015A00`), ch)),
        ).toBe(EID);
      }
      await t.close();
    });
  },
);
