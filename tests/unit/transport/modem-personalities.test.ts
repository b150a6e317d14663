// Every modem personality (tests/fakes/serial/modem-personalities.ts) through the WebSerial and
// the WebUSB AT transports, with the software eUICC behind the modem and the local test SM-DP+ on
// 127.0.0.1: chip info, profile list and a download (docs/protocol.md §5.1) complete, or the
// connection or the download fails with the personality's typed error.
import { en } from '../../../src/i18n/en/index.ts';
import { explain } from '../../../src/i18n/explain.ts';
import { describe, expect, it } from 'vitest';
import type { Transport } from '../../../src/transport/transport.ts';
import { createTestIdentity, SoftwareEuicc } from '../../../src/euicc/index.ts';
import type { EuiccPersonalityName } from '../../../src/euicc/personality.ts';
import { LpaError } from '../../../src/lpa/index.ts';
import { lpaOver, makeEs9p } from '../../../src/server/cli/stack.ts';
import { useServices } from '../e2e-node/services.ts';
import type { Order } from '../../../src/server/smdp/catalogue.ts';
import { luhnCheckDigit } from '../../../src/codec/bcd.ts';
import {
  AtTransport,
  mapBlockMemory,
  openAtTransport,
  type AtTransportOptions,
  type StoreDataBlockMemory,
} from '../../../src/transport/webserial-at/at-transport.ts';
import { openUsbModemTransport } from '../../../src/transport/webusb-at/modem.ts';
import { requestTransport } from '../../../src/transport/webserial-at/browser.ts';
import { createFakeModem } from '../../fakes/serial/fake-at-modem.ts';
import {
  MODEM_PERSONALITIES,
  type ModemPersonality,
  type ModemPersonalityName,
} from '../../fakes/serial/modem-personalities.ts';
import { FakeUsbModem } from '../../fakes/usb-modem/fake-usb-modem.ts';

const ICCID = ((p: string) => p + luhnCheckDigit(p))('899900300000020001');
const ORDER: Order = {
  matchingId: 'MODEM-PERSONALITY',
  label: 'modem personalities',
  reusable: true,
  iccid: ICCID,
  metadata: {
    serviceProviderName: 'Modem Operator',
    profileName: 'Modem personality',
    profileClass: 'operational',
  },
  // A reusable order: each download gets the next ICCID. Several loadProfileElements segments, so a failure can hit the middle of the package.
  profile: { kind: 'generated', sizeBytes: 6000 },
};

/** Personalities that need a card of a certain kind behind the modem. */
const CARD_FOR: Partial<Record<ModemPersonalityName, EuiccPersonalityName>> = {
  staleChannels: 'threeChannels',
};

const services = useServices({
  smdpPort: 0,
  relayPort: 0,
  seed: 'modem-personalities',
  catalogue: [ORDER],
});
let counter = 0;

function newCard(name: ModemPersonalityName, p: ModemPersonality): SoftwareEuicc {
  const pki = services().pki.find((k) => k.ci.key.curve === 'P-256')!;
  const personality = CARD_FOR[name];
  const euicc = SoftwareEuicc.create({
    identity: createTestIdentity({ curve: 'P-256', seed: `modem-${counter++}`, ci: pki.ci }),
    ...(personality ? { personality } : {}),
  });
  // Channels an earlier program opened and never closed (MANAGE CHANNEL open with P2 = n).
  for (const ch of p.staleChannels ?? []) euicc.transmit(Uint8Array.of(0x00, 0x70, 0x00, ch, 0x00));
  return euicc;
}

type Link = 'webserial' | 'webusb';

async function connect(
  link: Link,
  p: ModemPersonality,
  euicc: SoftwareEuicc,
  memory: StoreDataBlockMemory,
  extra: AtTransportOptions = {},
): Promise<AtTransport> {
  const card = (apdu: Uint8Array) => euicc.transmit(apdu);
  const options: AtTransportOptions = {
    probeStoreDataBlock: true,
    blockMemory: memory,
    deviceId: 'modem-under-test',
    blockProbeTimeoutMs: 200,
    timeoutMs: 500,
    ...p.transport,
    ...extra,
  };
  if (link === 'webserial') {
    const { port } = createFakeModem({ card, ...p.modem });
    if (p.portMode) port.mode = p.portMode;
    // The app's entry point: Web Serial refusals become SerialAccessError there.
    const api = { requestPort: () => Promise.resolve(port) };
    const t = await requestTransport(api, { ...options, isSecureContext: true });
    if (!(t instanceof AtTransport)) throw new Error('not an AT transport');
    return t;
  }
  const device = new FakeUsbModem({
    card,
    modem: p.modem,
    ...(p.portMode === 'busy' ? { busy: [2, 3] } : {}),
  });
  return openUsbModemTransport(device, { ...options, probeTimeoutMs: 150 });
}

function world(transport: Transport) {
  const map = { [services().smdpAddress]: services().smdpUrl };
  const { es9p, es11 } = makeEs9p({ map });
  return lpaOver(transport, { es9p, es11 });
}

const yes = () => Promise.resolve(true);
const ac = () => `LPA:1$${services().smdpAddress}$${ORDER.matchingId}`;

/** The error a personality that refuses the connection gives on each link. */
function connectError(link: Link, p: ModemPersonality): { name: string; message: RegExp } {
  if (p.expect.kind !== 'connectFails') throw new Error('not a connection failure');
  if (link === 'webserial') return { name: p.expect.error, message: p.expect.message };
  // Over WebUSB a held interface cannot be claimed, and a port whose answers another program
  // takes is not recognised as an AT port at all.
  return p.portMode === 'busy'
    ? { name: 'UsbModemAccessError', message: /held by another driver or program/ }
    : { name: 'UsbModemAccessError', message: /No USB interface .* answered AT commands/ };
}

const rows = Object.entries(MODEM_PERSONALITIES) as [ModemPersonalityName, ModemPersonality][];

describe.each(['webserial', 'webusb'] as const)('modem personalities over %s', (link) => {
  it.each(rows)('%s', async (name, p) => {
    const euicc = newCard(name, p);
    const memory = mapBlockMemory();
    if (p.expect.kind === 'connectFails') {
      const err = await connect(link, p, euicc, memory).then(
        () => undefined,
        (e: unknown) => e,
      );
      const want = connectError(link, p);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe(want.name);
      expect((err as Error).message).toMatch(want.message);
      // What to do comes from the errors texts; for these failures it names ModemManager.
      if (want.name !== 'UsbModemAccessError' || p.portMode === 'busy') {
        expect(explain(err, en).advice).toMatch(/ModemManager/);
      }
      return;
    }
    const transport = await connect(link, p, euicc, memory);
    const stack = world(transport);
    const lpa = stack.lpa;
    try {
      const chip = await lpa.getChipInfo();
      expect(chip.eid).toBe(euicc.eid);
      expect(await lpa.listProfiles()).toEqual([]);
      if (p.expect.kind === 'works') {
        expect(transport.strategy).toBe(p.expect.strategy);
        expect(transport.maxStoreDataBlock).toBe(p.expect.block ?? 255);
        expect(memory.get('modem-under-test')).toBe(transport.maxStoreDataBlock);
        const result = await lpa.download({ activationCode: ac(), confirm: yes });
        expect(result.iccid).toMatch(/^8999003/);
        const listed = await lpa.listProfiles();
        expect(listed.map((x) => x.iccid)).toEqual([result.iccid]);
      } else {
        const want = p.expect;
        const err = await lpa.download({ activationCode: ac(), confirm: yes }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(LpaError);
        const cause = (err as LpaError).cause as Error;
        expect(cause.name).toBe(want.error);
        expect((err as LpaError).message).toMatch(want.message);
        // The normal cancel path: no profile, no package half loaded, the card still answers.
        expect(euicc.loadingProfile).toBe(false);
        expect(await lpa.listProfiles()).toEqual([]);
      }
    } finally {
      await stack.close();
    }
  });
});

describe('STORE DATA block size on AT links', () => {
  const standard: ModemPersonality = {
    source: 'standard',
    modem: {},
    expect: { kind: 'works', strategy: 'cgla' },
  };

  it('probes once per device and remembers the result', async () => {
    const memory = mapBlockMemory();
    const euicc = newCard('urcs', standard);
    const first = await connect('webserial', standard, euicc, memory);
    expect(first.maxStoreDataBlock).toBe(255);
    await first.close();
    // The same device again: no probe line at all.
    const { port, modem } = createFakeModem({ card: (a) => euicc.transmit(a) });
    const again = await openAtTransport(port, {
      probeStoreDataBlock: true,
      blockMemory: memory,
      deviceId: 'modem-under-test',
    });
    expect(again.maxStoreDataBlock).toBe(255);
    expect(modem.log.some((l) => l.length > 400)).toBe(false);
    await again.close();
  });

  it("keeps the user's block size and does not probe", async () => {
    const memory = mapBlockMemory();
    const euicc = newCard('urcs', standard);
    const t = await connect('webserial', standard, euicc, memory, { maxStoreDataBlock: 200 });
    expect(t.maxStoreDataBlock).toBe(200);
    expect(memory.get('modem-under-test')).toBeUndefined();
    await t.close();
  });

  it('a remembered 255 that the modem no longer carries falls back to 120 during ES10 and is remembered', async () => {
    const memory = mapBlockMemory(new Map([['modem-under-test', 255]]));
    const capped: ModemPersonality = {
      source: 'a firmware update that caps the line',
      modem: { lineCap: { max: 300, behaviour: 'error' } },
      expect: { kind: 'works', strategy: 'cgla' },
    };
    const euicc = newCard('lineCap', capped);
    const transport = await connect('webserial', capped, euicc, memory);
    expect(transport.maxStoreDataBlock).toBe(255);
    const stack = world(transport);
    const lpa = stack.lpa;
    try {
      // AuthenticateServer is the first request over 255 bytes: refused, resent in 120-byte
      // blocks, and the download goes on.
      const result = await lpa.download({ activationCode: ac(), confirm: yes });
      expect(result.iccid).toMatch(/^8999003/);
      expect(memory.get('modem-under-test')).toBe(120);
      expect(transport.maxStoreDataBlock).toBe(120);
    } finally {
      await stack.close();
    }
  });
});
