// Real readers, rebuilt from their descriptors (tests/fixtures/ccid: models derived from libccid's
// reader dumps, one per reader family; each fixture names the reader and the source). For each:
// the interface and slot chosen, the exchange level, the speed negotiated, the power-on sequence,
// and a profile download from the local SM-DP+ (SGP.22 v2.2.2 §3.1.3) through a fake reader that
// enforces that descriptor's limits.
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEs9p, lpaOver } from '../../../src/server/cli/stack.ts';
import { startLocalServices, type LocalServices } from '../../../src/server/local-services.ts';
import { createEuicc, createTestIdentity } from '../../../src/euicc/index.ts';
import {
  CcidReader,
  ReaderRefusedError,
  openCcidTransport,
  proposeSpeed,
  parseAtr,
  parseCcidClassDescriptor,
  encodeCcidClassDescriptor,
  type SpeedNegotiation,
} from '../../../src/transport/webusb-ccid/index.ts';
import { fakeReaderFor, T0_ATR, type ReaderModel } from '../../fakes/usb/reader-model.ts';
import type { FakeCcidOptions } from '../../fakes/usb/fake-ccid-device.ts';

const FIXTURES = new URL('../../fixtures/ccid/', import.meta.url);

function model(file: string): ReaderModel {
  return JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as ReaderModel;
}

interface Case {
  file: string;
  interfaceNumber: number;
  kind?: string;
  slot?: number;
  level: 'tpdu' | 'shortApdu' | 'extendedApdu';
  protocol?: 0 | 1;
  speed?: { bitRate: number; negotiation: SpeedNegotiation };
  /** bPowerSelect values sent, in order (0 = the reader chose). */
  voltages: number[];
  basicChannel?: boolean;
  extra?: Omit<FakeCcidOptions, 'card' | 'slots' | 'descriptor' | 'interfaces'>;
}

const CASES: Case[] = [
  {
    // No automatic voltage: 5 V first, then 3 V, where this card (class B/C) answers.
    file: 'ACS_ACR39U_ICC_Reader.json',
    interfaceNumber: 0,
    level: 'tpdu',
    protocol: 0,
    speed: { bitRate: 300_000, negotiation: 'readerPps' },
    voltages: [1, 2],
    extra: { cardVoltages: 0x06 },
  },
  {
    // Contact (TPDU) and contactless (APDU) interfaces; firmware limited to 64-byte transfers.
    file: 'Broadcom_5880_0x5805.json',
    interfaceNumber: 1,
    kind: 'contact',
    level: 'tpdu',
    protocol: 0,
    speed: { bitRate: 250_000, negotiation: 'readerPps' },
    voltages: [0],
    extra: { firmwareMaxTransfer: 64 },
  },
  {
    // Vendor class 0xFF with a 0xFF-typed descriptor; too slow for TA1: the default rate.
    file: 'DellSK-3106.json',
    interfaceNumber: 1,
    level: 'tpdu',
    protocol: 0,
    speed: { bitRate: 10_752, negotiation: 'default' },
    voltages: [1, 2],
    extra: { cardVoltages: 0x06 },
  },
  {
    // Five slots, a list of 41 data rates, the PPS sent by the host.
    file: 'GemCorePOSPro.json',
    interfaceNumber: 0,
    slot: 3,
    level: 'tpdu',
    protocol: 0,
    speed: { bitRate: 250_000, negotiation: 'hostPps' },
    voltages: [1],
  },
  {
    file: 'Feitian_SCR301.json',
    interfaceNumber: 0,
    level: 'tpdu',
    protocol: 0,
    speed: { bitRate: 250_000, negotiation: 'hostPps' },
    voltages: [0],
  },
  {
    file: 'Identiv_Identiv_uTrust_4701_F_Dual_Interface_Reader.json',
    interfaceNumber: 0,
    kind: 'contact',
    level: 'tpdu',
    protocol: 0,
    speed: { bitRate: 300_000, negotiation: 'readerPps' },
    voltages: [0],
  },
  {
    // T=1 only, the reader negotiates everything (dwFeatures 0x40); 3 V only.
    file: 'HID_Global_Crescendo_Key_0x0029.json',
    interfaceNumber: 0,
    level: 'tpdu',
    protocol: 1,
    speed: { bitRate: 250_000, negotiation: 'reader' },
    voltages: [2],
    extra: { cardVoltages: 0x06 },
  },
  {
    file: 'SCR3310-NTTCom.json',
    interfaceNumber: 0,
    level: 'tpdu',
    protocol: 0,
    speed: { bitRate: 300_000, negotiation: 'readerPps' },
    voltages: [0],
  },
  {
    // Short APDU level, GET RESPONSE sent by the reader with class 0x00.
    file: 'ACS_APG8201_v2.json',
    interfaceNumber: 0,
    level: 'shortApdu',
    voltages: [1],
    basicChannel: true,
  },
  {
    file: 'ELYCTIS_CL_reader.json',
    interfaceNumber: 0,
    level: 'extendedApdu',
    voltages: [0],
  },
  {
    // Four interfaces: contactless, NFC peer, SAM and the contact one (interface 2).
    file: 'DC_DC4_5CCID_READER.json',
    interfaceNumber: 2,
    level: 'shortApdu',
    voltages: [1],
    basicChannel: true,
  },
];

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ smdpPort: 0, relayPort: 0, seed: 'ccid-readers' });
}, 60_000);
afterAll(async () => {
  await services.close();
});

let counter = 0;
function euiccFor(level: Case['level']) {
  const pki = services.pki.find((p) => p.ci.key.curve === 'P-256')!;
  const identity = createTestIdentity({
    curve: 'P-256',
    seed: `ccid-readers-${counter++}`,
    ci: pki.ci,
  });
  // An APDU-level reader talks to a card that answers 61xx, which the reader follows itself.
  return createEuicc({ identity, t0: level !== 'tpdu' });
}

describe.each(CASES)('$file', (c) => {
  it('chooses the interface and slot, settles level, power and speed, and downloads a profile', async () => {
    const m = model(c.file);
    expect(m.source).toMatch(/^libccid .*reader dump /);
    const euicc = euiccFor(c.level);
    const { usb, device } = fakeReaderFor(m, (a) => euicc.transmit(a), {
      interfaceNumber: c.interfaceNumber,
      slot: c.slot ?? 0,
      ...(c.extra ? { extra: c.extra } : {}),
    });
    const reader = await CcidReader.open(device, { events: usb, timeoutMs: 5000 });
    expect(reader.interfaceNumber).toBe(c.interfaceNumber);
    if (c.kind) {
      expect(reader.interfaces.find((i) => i.interfaceNumber === c.interfaceNumber)?.kind).toBe(
        c.kind,
      );
    }
    expect(reader.exchangeLevel).toBe(c.level);
    const slots = await reader.slotStatuses();
    const withCard = slots.filter((s) => s.state !== 'absent').map((s) => s.slot);
    expect(withCard).toEqual([c.slot ?? 0]);
    const t = await reader.openSlot(withCard[0], { closeReader: true });
    expect(device.powerOns).toEqual(c.voltages);
    expect(t.protocol).toBe(c.protocol);
    if (c.speed) {
      expect(t.session.speed).toMatchObject(c.speed);
      // The fake's card and reader agree on the rate (it answers nothing otherwise).
      const speed = device.speedOf(withCard[0]);
      expect(speed.card).toBe(speed.reader);
    } else {
      expect(t.session.speed).toBeUndefined();
    }
    expect(t.logicalChannels !== undefined).toBe(c.basicChannel === true);

    const { es9p, es11 } = makeEs9p({
      map: {
        [services.smdpAddress]: services.smdpUrl,
        [services.smdsAddress]: services.smdpUrl,
      },
    });
    const stack = lpaOver(t, { es9p, es11 });
    try {
      const r = await stack.lpa.download({
        activationCode: `LPA:1$${services.smdpAddress}$WEBLPA-REUSABLE`,
        confirm: () => Promise.resolve(true),
      });
      expect(r.iccid).toMatch(/^8999/);
      const profiles = await stack.lpa.listProfiles();
      expect(profiles.map((p) => p.iccid)).toContain(r.iccid);
    } finally {
      await stack.close();
    }
    expect(reader.closed).toBe(true);
  }, 60_000);
});

describe('readers the driver refuses, with the reader and the reason', () => {
  it.each([
    ['Gemalto_PDT.json', 'iccdWithoutBulk', /Gemalto\* PDT: .*ICCD.*control transfers/],
    ['Winbond.json', 'characterLevel', /Winbond CCID SmartCard Controller: .*character-level/],
  ])('%s -> %s', async (file, reason, message) => {
    const { usb, device } = fakeReaderFor(model(file), () => Uint8Array.of(0x90, 0));
    const err = await CcidReader.open(device, { events: usb }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReaderRefusedError);
    expect((err as ReaderRefusedError).refusal).toBe(reason);
    expect((err as Error).message).toMatch(message);
    expect(device.opened).toBe(false);
  });

  it('a 5 V-only reader without automatic voltage and a 3 V / 1.8 V card: noVoltage', async () => {
    const euicc = euiccFor('shortApdu');
    const { usb, device } = fakeReaderFor(model('ACS_APG8201_v2.json'), (a) => euicc.transmit(a), {
      extra: { cardVoltages: 0x06 },
    });
    const err = await openCcidTransport(device, { events: usb }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReaderRefusedError);
    expect((err as ReaderRefusedError).refusal).toBe('noVoltage');
    expect((err as Error).message).toMatch(
      /ACS APG8201 USB Reader: no card answered in slot 0 at 5 V/,
    );
    expect(device.powerOns).toEqual([1]);
  });

  it('Broadcom 5880: a command longer than its 64-byte transfers is refused at once', async () => {
    const { usb, device } = fakeReaderFor(
      model('Broadcom_5880_0x5805.json'),
      () => Uint8Array.of(0x90, 0),
      { interfaceNumber: 1, extra: { firmwareMaxTransfer: 64 } },
    );
    const t = await openCcidTransport(device, { events: usb, timeoutMs: 5000 });
    expect(t.maxStoreDataBlock).toBe(48);
    // A case-3 STORE DATA with 60 data bytes: a 75-byte XfrBlock.
    const apdu = Uint8Array.from([0x80, 0xe2, 0x91, 0x00, 60, ...new Uint8Array(60).fill(0x11)]);
    const err = await t.transmit(apdu).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReaderRefusedError);
    expect((err as ReaderRefusedError).refusal).toBe('firmwareLimit');
    expect((err as Error).message).toMatch(/64 bytes.*libccid/);
    await t.close();
  });
});

describe('speed proposals (libccid order)', () => {
  const feitian = model('Feitian_SCR301.json').interfaces[0]!;
  const d = parseCcidClassDescriptor(encodeCcidClassDescriptor(feitian.descriptor!));

  it('TA1 within dwMaxDataRate and in the reader list: TA1', () => {
    expect(proposeSpeed(parseAtr(T0_ATR), d, feitian.dataRates)).toEqual({
      findexDindex: 0x96,
      why: 'ta1',
    });
  });

  it('a card too fast for the reader gets a lower Di from the list', () => {
    // dwMaxDataRate lowered below TA1 97's rate: 96 (D 32) is the fastest listed rate below it.
    const slower = { ...d, maxDataRate: 300_000 };
    const atr = parseAtr(Uint8Array.of(0x3b, 0x10, 0x97));
    expect(proposeSpeed(atr, slower, feitian.dataRates)).toEqual({
      findexDindex: 0x96,
      why: 'lowerDi',
    });
  });

  it('a rate missing from the list stays at the default', () => {
    expect(proposeSpeed(parseAtr(T0_ATR), d, [9600, 19200])).toMatchObject({
      findexDindex: 0x11,
    });
  });

  it('every fixture is a parseable reader', () => {
    for (const f of readdirSync(FIXTURES)) {
      const m = model(f);
      expect(m.reader.length).toBeGreaterThan(0);
      for (const i of m.interfaces) {
        if (i.descriptor) parseCcidClassDescriptor(encodeCcidClassDescriptor(i.descriptor));
      }
    }
  });
});
