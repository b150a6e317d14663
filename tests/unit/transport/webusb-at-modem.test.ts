// Finding the AT interface of a USB modem (ordering + ATE0/AT probe) and a full ES10 exchange
// (openIsdR, GetEID, GetProfilesInfo; docs/protocol.md §3.3) over the fake EG25-like modem backed by the
// software eUICC.
import { en } from '../../../src/i18n/en/index.ts';
import { explain } from '../../../src/i18n/explain.ts';
import { describe, it, expect } from 'vitest';
import { Card, openIsdR } from '../../../src/apdu/index.ts';
import { getEid, getProfilesInfo } from '../../../src/es10/es10c.ts';
import { createEuicc, createTestIdentity, fromState } from '../../../src/euicc/index.ts';
import { UsbModemAccessError } from '../../../src/transport/webusb-at/errors.ts';
import {
  atInterfaceCandidates,
  modemDeviceFilters,
  openAtInterface,
  openUsbModemTransport,
  type ProbeOutcome,
} from '../../../src/transport/webusb-at/modem.ts';
import {
  CDC_LAYOUT,
  FakeUsbModem,
  type FakeUsbModemOptions,
} from '../../fakes/usb-modem/fake-usb-modem.ts';
import { tinyCard } from '../../fakes/usb/tiny-card.ts';

const EID = '89049032123451234512345678901235';
const ICCID = '89000123456789012341';
const identity = createTestIdentity({ curve: 'P-256', seed: 'webusb-at-tests', eid: EID });

/** The software eUICC with one disabled profile in its state (state.ts ProfileRecord). */
function euiccWithProfile() {
  const state = createEuicc({ identity }).exportState();
  state.profiles.push({
    iccid: ICCID,
    isdpAid: 'A0000005591010FFFFFFFF8900001000',
    state: 'disabled',
    profileName: 'Test profile',
    serviceProviderName: 'WebLPA Test',
    profileClass: 2,
    notificationConfig: [],
    ppr: [],
    size: 4096,
  });
  state.nextIsdp = 1;
  const card = fromState(state);
  return (apdu: Uint8Array) => card.transmit(apdu);
}

/** Unknown vendor: no commonly-seen interface list applies, only the descriptors. */
const UNKNOWN_VENDOR = 0x1234;
const FAST = { probeTimeoutMs: 150 };

function modem(options: Partial<FakeUsbModemOptions> = {}) {
  return new FakeUsbModem({ card: tinyCard(), ...options });
}

function recorder() {
  const probes: [number, ProbeOutcome][] = [];
  return {
    probes,
    onProbe: (n: number, outcome: ProbeOutcome) => {
      probes.push([n, outcome]);
    },
  };
}

describe('atInterfaceCandidates', () => {
  it('Quectel: commonly seen AT interfaces 2, 3 first; DM last; QMI left out', () => {
    const d = modem();
    expect(atInterfaceCandidates(d).map((c) => [c.interfaceNumber, c.kind])).toEqual([
      [2, 'serial'],
      [3, 'serial'],
      [1, 'serial'],
      [0, 'diagLike'],
    ]);
  });

  it('unknown vendor: serial-looking interfaces in order, DM last, QMI left out', () => {
    const d = modem({ vendorId: UNKNOWN_VENDOR });
    expect(atInterfaceCandidates(d).map((c) => c.interfaceNumber)).toEqual([1, 2, 3, 0]);
  });

  it('CDC: the data interface, paired with its ACM control interface', () => {
    const d = modem({ layout: CDC_LAYOUT, vendorId: UNKNOWN_VENDOR });
    expect(atInterfaceCandidates(d)).toMatchObject([
      { interfaceNumber: 1, kind: 'cdcData', controlInterface: 0 },
    ]);
  });

  it('chooser filters: every known vendor, generic ones only with a vendor-class interface', () => {
    const filters = modemDeviceFilters();
    expect(filters).toContainEqual({ vendorId: 0x2c7c });
    expect(filters).toContainEqual({ vendorId: 0x1199 });
    expect(filters).toContainEqual({ vendorId: 0x413c, classCode: 0xff });
    expect(filters).toContainEqual({ vendorId: 0x05c6, classCode: 0xff });
    expect(filters.at(-1)).toEqual({ classCode: 0xff });
  });
});

describe('probing', () => {
  it('skips GNSS (no OK) and lands on the AT interface; QMI is never touched', async () => {
    const d = modem({ vendorId: UNKNOWN_VENDOR });
    const r = recorder();
    const at = await openAtInterface(d, { ...FAST, onProbe: r.onProbe });
    expect(at.interfaceNumber).toBe(2);
    expect(r.probes).toEqual([
      [1, 'silent'],
      [2, 'at'],
    ]);
    expect(d.claims).toEqual([1, 2]);
    expect(d.releases).toEqual([1]);
    expect(d.written.has(4)).toBe(false);
    // The probe left echo off on the chosen port.
    expect(d.modems.get(2)!.log).toEqual(['ATE0', 'AT']);
    await at.stream.close();
    expect(d.releases).toEqual([1, 2]);
    expect(d.closeCount).toBe(1);
  });

  it('rejects the DM port (binary answers) and GNSS port; no AT anywhere -> noAtInterface', async () => {
    const d = modem({ vendorId: UNKNOWN_VENDOR, layout: ['dm', 'gnss', 'qmi'] });
    const r = recorder();
    const err = await openAtInterface(d, { ...FAST, onProbe: r.onProbe }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsbModemAccessError);
    expect(err).toMatchObject({ reason: 'noAtInterface' });
    expect(r.probes).toEqual([
      [1, 'silent'],
      [0, 'silent'],
    ]);
    expect(d.written.get(0)).toBeGreaterThan(0);
    expect(d.claims).not.toContain(2);
    // Nothing stays claimed or open.
    expect(d.releases.sort()).toEqual([0, 1]);
    expect(d.opened).toBe(false);
  });

  it('Quectel: probes the commonly seen AT interface first and finds it at once', async () => {
    const d = modem();
    const at = await openAtInterface(d);
    expect(at.interfaceNumber).toBe(2);
    expect(d.claims).toEqual([2]);
    await at.stream.close();
  });

  it('selects configuration 1 when the device has none', async () => {
    const d = modem({ unconfigured: true });
    expect(d.configuration).toBeNull();
    const at = await openAtInterface(d);
    expect(d.configuration?.configurationValue).toBe(1);
    await at.stream.close();
  });

  it('CDC modem: claims the control interface, raises DTR, talks on the data interface', async () => {
    const d = modem({ layout: CDC_LAYOUT, vendorId: UNKNOWN_VENDOR, requireDtr: true });
    const at = await openAtInterface(d, FAST);
    expect(at.interfaceNumber).toBe(1);
    expect(d.controlRequests).toEqual([
      { requestType: 'class', recipient: 'interface', request: 0x22, value: 0x03, index: 0 },
    ]);
    await at.stream.close();
    expect(d.releases.sort()).toEqual([0, 1]);
  });

  it('a busy interface is skipped when another answers', async () => {
    const d = modem({ busy: [2] });
    const r = recorder();
    const at = await openAtInterface(d, { ...FAST, onProbe: r.onProbe });
    expect(at.interfaceNumber).toBe(3);
    expect(r.probes).toEqual([
      [2, 'busy'],
      [3, 'at'],
    ]);
    await at.stream.close();
  });

  it('every AT interface busy -> busy, with the driver advice', async () => {
    const d = modem({ busy: [0, 1, 2, 3] });
    const err = await openAtInterface(d, FAST).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsbModemAccessError);
    expect(err).toMatchObject({ reason: 'busy' });
    expect((err as Error).message).toMatch(/held by another driver or program/);
    // What to do comes from the errors texts, as in the app's error panel.
    expect(explain(err, en).advice).toMatch(/option\/qcserial/);
    expect((err as { cause?: { name?: string } }).cause?.name).toBe('NetworkError');
    expect(d.opened).toBe(false);
  });

  it('claim refused by the OS (SecurityError) -> accessDenied', async () => {
    const d = modem({ denied: [0, 1, 2, 3] });
    await expect(openAtInterface(d, FAST)).rejects.toMatchObject({ reason: 'accessDenied' });
  });

  it('open refused (no permission on the device node) -> accessDenied', async () => {
    const d = modem({ openDenied: true });
    const err = await openAtInterface(d, FAST).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'UsbModemAccessError', reason: 'accessDenied' });
    expect((err as Error).message).toMatch(/refused access/);
    expect(explain(err, en).advice).toMatch(/udev/);
  });

  it('interfaceNumber forces one interface', async () => {
    const d = modem({ vendorId: UNKNOWN_VENDOR });
    const at = await openAtInterface(d, { ...FAST, interfaceNumber: 3 });
    expect(at.interfaceNumber).toBe(3);
    expect(d.claims).toEqual([3]);
    await at.stream.close();
  });

  it('an answer still in flight when the probe stops waiting reaches the AT transport', async () => {
    // ATE0 answers at once, AT only after the probe window: the probe accepts the port on
    // ATE0's OK and hands its pending IN transfer on, so the late OK is not lost (nor taken
    // by a later command).
    const d = modem({ answerDelayMs: (l) => (l === 'AT' ? 300 : 0) });
    const at = await openAtInterface(d, FAST);
    let got = '';
    while (!got.includes('OK')) {
      const chunk = await at.stream.read();
      if (!chunk) throw new Error('stream ended');
      got += String.fromCharCode(...chunk);
    }
    expect(got).toBe('\r\nOK\r\n');
    await at.stream.close();
  });

  it('unplugged while probing -> disconnected', async () => {
    const d = modem({ disconnectWhen: (l) => l === 'ATE0' });
    await expect(openAtInterface(d, FAST)).rejects.toMatchObject({ reason: 'disconnected' });
  });
});

describe('ES10 over the USB modem with the software eUICC', () => {
  it.each([64, 512])(
    'openIsdR, GetEID and GetProfilesInfo (bulk packets of %i bytes)',
    async (packetSize) => {
      const d = modem({ card: euiccWithProfile(), packetSize, vendorId: UNKNOWN_VENDOR });
      const t = await openUsbModemTransport(d, FAST);
      expect(t.strategy).toBe('cgla');
      expect(t.label).toBe('EG25-G (USB AT, interface 2)');
      const isdr = await openIsdR(new Card(t));
      expect(await getEid(isdr)).toBe(EID);
      const profiles = await getProfilesInfo(isdr);
      expect(profiles).toHaveLength(1);
      expect(profiles[0]).toMatchObject({
        iccid: ICCID,
        profileState: 'disabled',
        profileName: 'Test profile',
        serviceProviderName: 'WebLPA Test',
      });
      const log = d.modems.get(2)!.log;
      expect(log).toContain('AT+CCHO="A0000005591010FFFFFFFF8900000100"');
      expect(log.some((l) => l.startsWith('AT+CGLA='))).toBe(true);
      await isdr.close();
      await t.close();
      expect(d.opened).toBe(false);
      expect(d.releases).toContain(2);
    },
  );

  it('CSIM-only modem (DW5821e mode) works the same way', async () => {
    const d = modem({ card: euiccWithProfile(), modem: { mode: 'dw5821e' } });
    const t = await openUsbModemTransport(d, FAST);
    expect(t.strategy).toBe('csim');
    const isdr = await openIsdR(new Card(t));
    expect(await getEid(isdr)).toBe(EID);
    expect((await getProfilesInfo(isdr)).map((p) => p.iccid)).toEqual([ICCID]);
    await t.close();
  });
});
