// The link kinds the connect view offers (src/ui/state/environment.ts transportAvailability) and
// the stored last-used kind (settings-model.ts isTransportKind): the smart card option is offered
// only where navigator.smartCard exists, and otherwise says why in plain words.
import { describe, it, expect } from 'vitest';
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
    expect(option.description).toMatch(/system's smart card service/);
    expect(option.description).toMatch(/installed WebLPA app on ChromeOS/);
  });

  it('explains a missing API, and an insecure page first', () => {
    const absent = transportAvailability(env({})).find((a) => a.kind === 'smartcard')!;
    expect(absent.available).toBe(false);
    expect(absent.reason).toMatch(/no Web Smart Card API/);
    expect(absent.reason).toMatch(/ChromeOS/);
    const insecure = transportAvailability(
      env({ isSecureContext: false, smartCard: { establishContext: () => null } }),
    ).find((a) => a.kind === 'smartcard')!;
    expect(insecure.available).toBe(false);
    expect(insecure.reason).toMatch(/secure context/);
  });

  it('reads back only known link kinds from storage', () => {
    for (const k of TRANSPORT_KINDS) expect(isTransportKind(k)).toBe(true);
    for (const v of ['', 'nfc', 'USB', null, undefined, 1]) expect(isTransportKind(v)).toBe(false);
  });
});
