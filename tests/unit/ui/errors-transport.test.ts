// describeError (src/ui/state/errors.ts) for the transports' typed errors: every error class gets
// its own title and advice (not the generic "Something went wrong"), every reason its own
// advice, and the expert codes name the class with its reason.
import { describe, it, expect } from 'vitest';
import { describeError } from '../../../src/ui/state/errors.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import {
  AtrError,
  CcidError,
  UsbAccessError,
  type UsbAccessReason,
} from '../../../src/transport/webusb-ccid/errors.ts';
import {
  AtCommandError,
  AtNoAnswerError,
  AtResponseError,
  AtTimeoutError,
  AtUnsupportedError,
  SerialAccessError,
  type SerialAccessReason,
} from '../../../src/transport/webserial-at/errors.ts';
import {
  SmartCardAccessError,
  type SmartCardAccessReason,
} from '../../../src/transport/smartcard/errors.ts';
import {
  UsbModemAccessError,
  UsbTransferError,
  type UsbModemAccessReason,
} from '../../../src/transport/webusb-at/errors.ts';
import { FakeSmartCardError } from '../../fakes/smartcard/fake-smartcard.ts';
import { en } from '../../../src/i18n/index.ts';

const GENERIC = 'Something went wrong';

describe('describeError for transport errors', () => {
  const samples: [string, Error][] = [
    ['UsbAccessError', new UsbAccessError('busy')],
    ['SerialAccessError', new SerialAccessError('busy')],
    ['SmartCardAccessError', new SmartCardAccessError('busy')],
    ['UsbModemAccessError', new UsbModemAccessError('busy')],
    ['UsbTransferError', new UsbTransferError('in', 2, 'stall')],
    ['CcidError', new CcidError('slot error', 'slotError', 0x40, 0xfe)],
    ['AtrError', new AtrError('bad TS', 0)],
    ['AtCommandError', new AtCommandError('AT+CCHO="A000"', '+CME ERROR: 13', 13)],
    ['AtNoAnswerError', new AtNoAnswerError('AT')],
    ['AtTimeoutError', new AtTimeoutError('AT+CGLA=1,10,"00A4"', 5000)],
    ['AtResponseError', new AtResponseError('AT+CSIM=10,"00"', '+CSIM: x', 'no hex')],
    [
      'AtUnsupportedError',
      new AtUnsupportedError([{ command: 'AT+CSIM', error: new Error('ERROR') }]),
    ],
    ['TransportClosedError', new TransportClosedError('gone')],
  ];

  it('gives each error class its own title and advice', () => {
    const titles = new Map<string, string>();
    for (const [name, err] of samples) {
      const v = describeError(err);
      expect(v.title, name).not.toBe(GENERIC);
      expect(v.advice.length, name).toBeGreaterThan(10);
      expect(v.codes[0], name).toMatch(new RegExp(`^${name}`));
      titles.set(name, v.title);
    }
    expect(new Set(titles.values()).size).toBe(samples.length);
  });

  it('gives each smart card reason its own advice, with the reason in the codes', () => {
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
    const advice = new Set<string>();
    for (const r of reasons) {
      const v = describeError(new SmartCardAccessError(r));
      expect(v.title).toBe('Smart card reader not usable');
      expect(v.detail).toBe(en.errors.smartCardAccess.reasons[r].detail);
      expect(v.message).toBe(new SmartCardAccessError(r).message);
      expect(v.codes).toContain(`SmartCardAccessError ${r}`);
      advice.add(v.advice);
    }
    expect(advice.size).toBe(reasons.length);
  });

  it('gives each USB modem reason its own advice, with the reason in the codes', () => {
    const reasons: UsbModemAccessReason[] = [
      'insecureContext',
      'noWebUsb',
      'noDevice',
      'busy',
      'accessDenied',
      'noAtInterface',
      'disconnected',
    ];
    const advice = new Set<string>();
    for (const r of reasons) {
      const v = describeError(new UsbModemAccessError(r));
      expect(v.title).toBe('USB modem not usable');
      expect(v.codes).toContain(`UsbModemAccessError ${r}`);
      advice.add(v.advice);
    }
    expect(advice.size).toBe(reasons.length);
    expect(describeError(new UsbModemAccessError('busy')).advice).toMatch(/qcserial/);
  });

  it('shows the PC/SC response code behind a smart card error', () => {
    const err = new SmartCardAccessError('busy', {
      cause: new FakeSmartCardError('sharing-violation'),
    });
    const v = describeError(err);
    expect(v.codes).toEqual([
      'SmartCardAccessError busy (sharing-violation)',
      'SmartCardError sharing-violation',
    ]);
    expect(v.advice).toMatch(/Another program holds the card/);
  });

  it('a raw SmartCardError has its own title, and a lost card reads as a lost connection', () => {
    expect(describeError(new FakeSmartCardError('server-too-busy')).title).toBe(
      'The smart card service reported an error',
    );
    const closed = new TransportClosedError('removed', {
      cause: new FakeSmartCardError('removed-card'),
    });
    const v = describeError(closed);
    expect(v.title).toBe('Connection lost');
    expect(v.codes).toContain('SmartCardError removed-card');
  });

  it('keeps distinct advice per USB and serial kind', () => {
    const usbKinds: UsbAccessReason[] = [
      'protectedClass',
      'busy',
      'accessDenied',
      'noWebUsb',
      'insecureContext',
      'noDevice',
    ];
    const serialKinds: SerialAccessReason[] = [
      'noWebSerial',
      'insecureContext',
      'noDevice',
      'busy',
      'accessDenied',
    ];
    expect(new Set(usbKinds.map((k) => describeError(new UsbAccessError(k)).advice)).size).toBe(
      usbKinds.length,
    );
    expect(
      new Set(serialKinds.map((k) => describeError(new SerialAccessError(k)).advice)).size,
    ).toBe(serialKinds.length);
  });
});
