// The link kinds the connect view offers (src/ui/state/environment.ts transportAvailability) and
// the stored last-used kind (settings-model.ts isTransportKind): the smart card option is offered
// only where navigator.smartCard exists, and otherwise says why (a reason the view words in the
// current language).
import { describe, it, expect } from 'vitest';
import { en } from '../../../src/i18n/index.ts';
import { transportAvailability, type BrowserEnv } from '../../../src/ui/state/environment.ts';
import { TRANSPORT_KINDS, isTransportKind } from '../../../src/ui/state/settings-model.ts';

function env(over: Partial<BrowserEnv>): BrowserEnv {
  return {
    isSecureContext: true,
    usb: undefined,
    serial: undefined,
    indexedDB: undefined,
    mediaDevices: undefined,
    clipboard: undefined,
    fetch: () => Promise.reject(new Error('unused')),
    now: () => 0,
    ...over,
  };
}

describe('connect options', () => {
  it('offers one option per link kind, in a stable order', () => {
    expect(transportAvailability(env({})).map((a) => a.kind)).toEqual([...TRANSPORT_KINDS]);
  });

  it('the smart card option: available with navigator.smartCard on a secure page', () => {
    const option = transportAvailability(env({ smartCard: { establishContext: () => null } })).find(
      (a) => a.kind === 'smartcard',
    )!;
    expect(option.available).toBe(true);
    expect(option.reason).toBeUndefined();
    expect(en.connect.options.smartcard.description).toMatch(/system's smart card service/);
    expect(en.connect.options.smartcard.description).toMatch(/installed WebLPA app on ChromeOS/);
  });

  it('explains a missing API, and an insecure page first', () => {
    const absent = transportAvailability(env({})).find((a) => a.kind === 'smartcard')!;
    expect(absent.available).toBe(false);
    expect(absent.reason).toBe('noSmartCardApi');
    expect(en.connect.unavailable.noSmartCardApi).toMatch(/no Web Smart Card API/);
    expect(en.connect.unavailable.noSmartCardApi).toMatch(/ChromeOS/);
    const insecure = transportAvailability(
      env({ isSecureContext: false, smartCard: { establishContext: () => null } }),
    ).find((a) => a.kind === 'smartcard')!;
    expect(insecure.available).toBe(false);
    expect(insecure.reason).toBe('insecure');
    expect(en.connect.unavailable.insecure).toMatch(/secure context/);
  });

  it('names the missing browser API of each hardware link; the virtual eUICC is always there', () => {
    const byKind = new Map(transportAvailability(env({})).map((a) => [a.kind, a]));
    expect(byKind.get('virtual')).toEqual({ kind: 'virtual', available: true });
    expect(byKind.get('bridge')).toEqual({ kind: 'bridge', available: true });
    expect(byKind.get('usb')?.reason).toBe('noWebUsb');
    expect(byKind.get('serial')?.reason).toBe('noWebSerial');
    expect(byKind.get('usbModem')?.reason).toBe('noWebUsbModem');
    // Only whether the APIs are there counts, not what they do.
    const usb = Object.create(null) as USB;
    const serial = Object.create(null) as Serial;
    for (const a of transportAvailability(env({ usb, serial, smartCard: {} })))
      expect(a).toEqual({ kind: a.kind, available: true });
  });

  it('reads back only known link kinds from storage', () => {
    for (const k of TRANSPORT_KINDS) expect(isTransportKind(k)).toBe(true);
    for (const v of ['', 'nfc', 'USB', null, undefined, 1]) expect(isTransportKind(v)).toBe(false);
  });
});
