// The error texts in every language: every reason of every error type the app explains gives a
// title, a detail and advice (src/i18n/<lang>/errors.ts), describeError turns a real error of each
// reason into those words, an error on screen follows a change of language, and the codes for
// experts stay as they are.
import { afterAll, describe, expect, it } from 'vitest';
import { en, LOCALES, loadMessages, type Locale } from '../../../src/i18n/index.ts';
import { setLocale } from '../../../src/ui/state/i18n.svelte.ts';
import { describeError, isKnownError } from '../../../src/ui/state/errors.ts';
import { recoveryNotice } from '../../../src/ui/state/recovery-notice.ts';
import { LpaError, type LpaErrorReason } from '../../../src/lpa/errors.ts';
import {
  ActivationCodeError,
  type ActivationCodeErrorReason,
} from '../../../src/lpa/activation-code.ts';
import { Es9pError, Es9pTransportError } from '../../../src/es9p/errors.ts';
import type { Es9pTransportErrorReason } from '../../../src/es9p/errors.ts';
import { Es10Error } from '../../../src/es10/errors.ts';
import {
  CcidError,
  UsbAccessError,
  type CcidErrorReason,
  type UsbAccessReason,
} from '../../../src/transport/webusb-ccid/errors.ts';
import {
  SerialAccessError,
  type SerialAccessReason,
} from '../../../src/transport/webserial-at/errors.ts';
import {
  UsbModemAccessError,
  type UsbModemAccessReason,
} from '../../../src/transport/webusb-at/errors.ts';
import {
  SmartCardAccessError,
  type SmartCardAccessReason,
} from '../../../src/transport/smartcard/errors.ts';
import { BridgeError, type BridgeFailure } from '../../../src/transport/bridge/errors.ts';
import { QrError, type QrErrorReason } from '../../../src/ui/lib/qr-scan.ts';
import { SettingsError } from '../../../src/ui/state/settings-model.ts';
import type { RecoveryOutcome } from '../../../src/lpa/interrupted.ts';

/** The keys of a reason map: every reason of the error's union, as the Record type holds them. */
function reasons<K extends string>(map: Readonly<Record<K, unknown>>): K[] {
  return Object.keys(map) as K[];
}

const E = en.errors;

/** One real error per reason of every error type with a reason map. */
const SAMPLES: [string, Error][] = [
  ...reasons<LpaErrorReason>(E.lpa).map((r): [string, Error] => [
    `LpaError ${r}`,
    new LpaError(r, 'x'),
  ]),
  ...reasons<ActivationCodeErrorReason>(E.activationCode.reasons).map((r): [string, Error] => [
    `ActivationCodeError ${r}`,
    new ActivationCodeError(r, 'x'),
  ]),
  ...reasons<Es9pTransportErrorReason>(E.es9pTransport).map((r): [string, Error] => [
    `Es9pTransportError ${r}`,
    new Es9pTransportError(r, 'initiateAuthentication', 'x'),
  ]),
  ...reasons<UsbAccessReason>(E.usbAccess.reasons).map((r): [string, Error] => [
    `UsbAccessError ${r}`,
    new UsbAccessError(r),
  ]),
  ...reasons<SerialAccessReason>(E.serialAccess.reasons).map((r): [string, Error] => [
    `SerialAccessError ${r}`,
    new SerialAccessError(r),
  ]),
  ...reasons<UsbModemAccessReason>(E.usbModemAccess.reasons).map((r): [string, Error] => [
    `UsbModemAccessError ${r}`,
    new UsbModemAccessError(r),
  ]),
  ...reasons<SmartCardAccessReason>(E.smartCardAccess.reasons).map((r): [string, Error] => [
    `SmartCardAccessError ${r}`,
    new SmartCardAccessError(r),
  ]),
  ...reasons<BridgeFailure>(E.bridge.reasons).map((r): [string, Error] => [
    `BridgeError ${r}`,
    new BridgeError(r, 'x', { retryAfterMs: 3000 }),
  ]),
  ...reasons<CcidErrorReason>(E.ccid.reasons).map((r): [string, Error] => [
    `CcidError ${r}`,
    new CcidError('x', r),
  ]),
  ...reasons<QrErrorReason>(E.qr.reasons).map((r): [string, Error] => [
    `QrError ${r}`,
    new QrError(r, 'x'),
  ]),
  ...Object.keys(E.es9p.codes).map((c): [string, Error] => {
    const [subject = '', reason = ''] = c.split('/');
    return [`Es9pError ${c}`, new Es9pError('authenticateClient', 'Failed', subject, reason)];
  }),
  ['Es9pError other', new Es9pError('authenticateClient', 'Failed', '1.2', '3.4')],
  ...Object.keys(E.es10.results).map((n): [string, Error] => [
    `Es10Error ${n}`,
    new Es10Error('enableProfile', 1, n),
  ]),
  ['SettingsError', new SettingsError('relayUrl', 'x')],
];

describe('error texts in every language', () => {
  afterAll(async () => {
    await setLocale('en');
  });

  it.each(LOCALES)(
    '%s: every reason gives a title, a detail and advice',
    async (locale: Locale) => {
      await setLocale(locale);
      const m = (await loadMessages(locale)).errors;
      for (const [what, error] of SAMPLES) {
        expect(isKnownError(error), what).toBe(true);
        const v = describeError(error);
        expect(v.title.trim(), `${locale} ${what} title`).not.toBe('');
        expect(v.detail.trim(), `${locale} ${what} detail`).not.toBe('');
        expect(v.advice.trim(), `${locale} ${what} advice`).not.toBe('');
        // Never the generic words: each error type and reason has its own.
        expect(v.title, `${locale} ${what}`).not.toBe(m.generic.title);
      }
      const outcomes = Object.keys(m.recovery) as RecoveryOutcome[];
      for (const outcome of outcomes) {
        const notice = recoveryNotice([
          { transactionId: 'AB', smdpAddress: 'dp.example', outcome },
        ]);
        expect(notice, `${locale} ${outcome}`).toContain('dp.example');
      }
    },
  );

  it('an error on screen follows a change of language; its codes do not change', async () => {
    await setLocale('en');
    const v = describeError(new UsbAccessError('busy'));
    expect(v.title).toBe('USB reader not usable');
    const codes = [...v.codes];
    await setLocale('de');
    const de = (await loadMessages('de')).errors;
    expect(v.title).toBe(de.usbAccess.title);
    expect(v.advice).toBe(de.usbAccess.reasons.busy.advice);
    expect(v.codes).toEqual(codes);
    expect(v.codes).toEqual(['UsbAccessError busy']);
    await setLocale('en');
    expect(v.title).toBe('USB reader not usable');
  });

  it('the bridge names the wait it asked for, in the language shown', async () => {
    await setLocale('ru');
    const v = describeError(new BridgeError('pairingLocked', 'x', { retryAfterMs: 2500 }));
    expect(v.advice).toContain('3 секунды');
    await setLocale('en');
    expect(v.advice).toMatch(/Try again in 3 seconds\.$/);
  });

  it('an unknown name, a reason this build does not know, and a non-error get words too', () => {
    expect(isKnownError(new Error('x'))).toBe(false);
    expect(describeError(new Error('x')).title).toBe(E.generic.title);
    const future = Object.assign(new Error('x'), { name: 'UsbAccessError', reason: 'later' });
    expect(isKnownError(future)).toBe(true);
    expect(describeError(future).title).toBe(E.usbAccess.title);
    expect(describeError(future).detail).not.toBe('');
    expect(describeError(42).message).toBe('42');
  });
});
