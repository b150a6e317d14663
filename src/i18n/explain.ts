/**
 * Explains any error the layers below throw: plain words, a next step and the codes for experts.
 * One piece of code for the app (src/ui/state/errors.ts wraps it so the words follow the chosen
 * language) and the command line (which prints `explain(e, en)`), so what to do about an error is
 * said once, in the `errors` texts of each language; the errors' own messages stay technical.
 *
 * The errors explained form one union, `KnownError`, named by type imports only (they vanish
 * from the built code, so this module pulls no layer's code in). They are recognised by `name`
 * against a table the compiler checks is complete, and the words are chosen by a switch on
 * `name` with an exhaustive check: a new error type, or a new reason without a text in
 * src/i18n/<lang>/errors.ts, fails the typecheck. Codes for experts stay untranslated.
 */
import type { Messages } from './messages.ts';
import type { ErrorText, ReasonText } from './en/errors.ts';
import type { LpaError, LpaErrorReason } from '../lpa/errors.ts';
import type { ActivationCodeError } from '../lpa/activation-code.ts';
import type { Es9pError, Es9pTransportError } from '../es9p/errors.ts';
import type { Es10Error, ProfileInstallationError } from '../es10/errors.ts';
import type { ApduError, IsdRNotFoundError } from '../apdu/errors.ts';
import type { CardRemovedError } from '../euicc/errors.ts';
import type { TransportClosedError } from '../transport/transport.ts';
import type { AtrError, CcidError, UsbAccessError } from '../transport/webusb-ccid/errors.ts';
import type { SlotEmptyError } from '../transport/webusb-ccid/reader-slots.ts';
import type {
  AtCommandError,
  AtNoAnswerError,
  AtResponseError,
  AtTimeoutError,
  AtUnsupportedError,
  SerialAccessError,
} from '../transport/webserial-at/errors.ts';
import type { UsbModemAccessError, UsbTransferError } from '../transport/webusb-at/errors.ts';
import type { SmartCardAccessError } from '../transport/smartcard/errors.ts';
import type { BridgeError } from '../transport/bridge/errors.ts';
import type { QrError } from '../ui/lib/qr-scan.ts';
import type { SettingsError } from '../ui/state/settings-model.ts';
import type { BatchReportError } from '../batch/report.ts';
import type { BatchResumeError } from '../batch/runner.ts';

type ErrorTexts = Messages['errors'];

/** A DOMException the app explains (the browser's own errors). */
interface BrowserError<N extends string> extends Error {
  readonly name: N;
}

/** The Web Smart Card API's SmartCardError (WICG Web Smart Card API), with its PC/SC code. */
interface SmartCardServiceError extends Error {
  readonly name: 'SmartCardError';
  readonly responseCode: string;
}

/**
 * A TransportClosedError that is just that: its subclasses with names of their own (SlotEmptyError)
 * are members of KnownError by themselves.
 */
type LinkClosedError = TransportClosedError & { readonly name: 'TransportClosedError' };

/** Every error the app has words for; discriminated by `name`. */
export type KnownError =
  | LpaError
  | ActivationCodeError
  | Es9pError
  | Es9pTransportError
  | Es10Error
  | ProfileInstallationError
  | ApduError
  | IsdRNotFoundError
  | LinkClosedError
  | SlotEmptyError
  | CardRemovedError
  | UsbAccessError
  | CcidError
  | AtrError
  | SerialAccessError
  | AtCommandError
  | AtNoAnswerError
  | AtTimeoutError
  | AtResponseError
  | AtUnsupportedError
  | UsbModemAccessError
  | UsbTransferError
  | SmartCardAccessError
  | SmartCardServiceError
  | BridgeError
  | SettingsError
  | QrError
  | BatchReportError
  | BatchResumeError
  | BrowserError<'AbortError' | 'NotAllowedError' | 'NotFoundError'>;

export type KnownErrorName = KnownError['name'];

/** The names of the known errors; a missing or extra name fails the typecheck. */
const KNOWN: Readonly<Record<KnownErrorName, true>> = {
  LpaError: true,
  ActivationCodeError: true,
  Es9pError: true,
  Es9pTransportError: true,
  Es10Error: true,
  ProfileInstallationError: true,
  ApduError: true,
  IsdRNotFoundError: true,
  TransportClosedError: true,
  SlotEmptyError: true,
  CardRemovedError: true,
  UsbAccessError: true,
  CcidError: true,
  AtrError: true,
  SerialAccessError: true,
  AtCommandError: true,
  AtNoAnswerError: true,
  AtTimeoutError: true,
  AtResponseError: true,
  AtUnsupportedError: true,
  UsbModemAccessError: true,
  UsbTransferError: true,
  SmartCardAccessError: true,
  SmartCardError: true,
  BridgeError: true,
  SettingsError: true,
  QrError: true,
  BatchReportError: true,
  BatchResumeError: true,
  AbortError: true,
  NotAllowedError: true,
  NotFoundError: true,
};

/**
 * Recognises a known error by its `name` (not by class, so a copy of a class from another
 * bundle, or a DOMException, is recognised too).
 */
export function isKnownError(e: unknown): e is KnownError {
  if (typeof e !== 'object' || e === null) return false;
  const name = (e as { name?: unknown }).name;
  return typeof name === 'string' && Object.hasOwn(KNOWN, name);
}

type Fields = Record<string, unknown>;

function fields(e: unknown): Fields {
  return typeof e === 'object' && e !== null ? (e as Fields) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/** The chain of causes, outermost first (bounded, in case of a cycle). */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let e: unknown = error;
  while (e !== undefined && e !== null && chain.length < 8 && !chain.includes(e)) {
    chain.push(e);
    e = fields(e).cause;
  }
  return chain;
}

/** The code line for experts: the error's name with its codes (any error, known or not). */
function codeOf(e: unknown): string | undefined {
  const f = fields(e);
  const name = str(f.name) ?? 'Error';
  const sw = num(f.sw);
  if (sw !== undefined) return `${name} SW ${hex4(sw)}`;
  if (str(f.subjectCode) !== undefined)
    return `${name} ${str(f.subjectCode)}/${str(f.reasonCode) ?? '?'}`;
  const resultCode = num(f.resultCode);
  if (resultCode !== undefined)
    return `${name} ${str(f.fn) ?? ''} ${resultCode}${str(f.resultName) ? ` (${str(f.resultName)})` : ''}`.replace(
      /\s+/g,
      ' ',
    );
  const reason = str(f.reason);
  if (reason !== undefined) {
    const problem = str(f.problem);
    const extra = str(f.relayCode) ?? (problem !== reason ? problem : undefined);
    const response = str(f.responseCode);
    return `${name} ${reason}${extra !== undefined ? ` ${extra}` : ''}${response !== undefined ? ` (${response})` : ''}`;
  }
  if (str(f.responseCode) !== undefined) return `${name} ${str(f.responseCode)}`;
  const cme = num(f.cme);
  if (cme !== undefined) return `${name} CME ${cme}`;
  const offset = num(f.offset);
  if (offset !== undefined) return `${name} at byte ${offset}`;
  const status = num(f.status);
  const error = num(f.error);
  if (status !== undefined && error !== undefined) return `${name} status ${status} error ${error}`;
  return name === 'Error' ? undefined : name;
}

/**
 * The entry of `map` for `key`; `fallback` when there is none (a reason the type allows cannot
 * be missing, but an error from another build may carry one this build does not know).
 */
function entry<K extends string, T>(map: Readonly<Record<K, T>>, key: K, fallback: T): T {
  return Object.hasOwn(map, key) ? map[key] : fallback;
}

/** The title of an error type with the detail and advice of one of its reasons. */
function withTitle(title: string, r: ReasonText): ErrorText {
  return { title, detail: r.detail, advice: r.advice };
}

/** LpaError reasons that say everything, whatever the cause. */
const DECISIVE: ReadonlySet<LpaErrorReason> = new Set([
  'consentRefused',
  'cancelled',
  'confirmationCodeRequired',
  'badActivationCode',
  'noAddress',
]);

/**
 * The words for one known error; undefined for an LpaError, whose cause usually says more.
 * The switch is exhaustive: a new member of KnownError needs a case here.
 */
function textOfOne(e: KnownError, m: ErrorTexts): ErrorText | undefined {
  switch (e.name) {
    case 'LpaError':
      return undefined;
    case 'AbortError':
      return m.cancelled;
    case 'ActivationCodeError':
      return {
        title: m.activationCode.title,
        detail: entry(m.activationCode.reasons, e.reason, m.lpa.badActivationCode.detail),
        advice: m.activationCode.advice,
      };
    case 'Es9pError': {
      const known = m.es9p.codes[`${e.subjectCode}/${e.reasonCode}`] ?? m.es9p.other;
      return withTitle(m.es9p.title, known);
    }
    case 'Es9pTransportError':
      if (e.relayCode === 'untrustedCertificate')
        return {
          title: m.untrustedCertificate.title,
          detail: m.untrustedCertificate.detail(e.message),
          advice: m.untrustedCertificate.advice,
        };
      return entry(m.es9pTransport, e.reason, m.es9pTransport.badResponse);
    case 'Es10Error':
    case 'ProfileInstallationError':
      return {
        title: m.es10.title,
        detail: m.es10.results[e.resultName] ?? m.es10.otherResult,
        advice: e.resultName === 'profileNotInDisabledState' ? m.es10.disableFirst : m.es10.advice,
      };
    case 'ApduError':
      return m.apdu;
    case 'IsdRNotFoundError':
      return m.isdRNotFound;
    case 'UsbAccessError':
      return withTitle(
        m.usbAccess.title,
        entry(m.usbAccess.reasons, e.reason, m.usbAccess.reasons.disconnected),
      );
    case 'SerialAccessError':
      return withTitle(
        m.serialAccess.title,
        entry(m.serialAccess.reasons, e.reason, m.serialAccess.reasons.disconnected),
      );
    case 'UsbModemAccessError':
      return withTitle(
        m.usbModemAccess.title,
        entry(m.usbModemAccess.reasons, e.reason, m.usbModemAccess.reasons.disconnected),
      );
    case 'SmartCardAccessError': {
      // A PcscError (a reader on Node) names a finer `problem`; some have advice of their own.
      const problem = str(fields(e).problem);
      const pcsc = m.smartCardAccess.pcsc;
      return withTitle(
        m.smartCardAccess.title,
        problem !== undefined && Object.hasOwn(pcsc, problem)
          ? pcsc[problem as keyof typeof pcsc]
          : entry(m.smartCardAccess.reasons, e.reason, m.smartCardAccess.reasons.other),
      );
    }
    case 'BridgeError': {
      const r = entry(m.bridge.reasons, e.reason, m.bridge.reasons.protocol);
      const wait = e.retryAfterMs !== undefined ? Math.ceil(e.retryAfterMs / 1000) : 0;
      const advice =
        e.reason === 'originRefused' && e.origin !== undefined
          ? m.bridge.allowOrigin(e.origin)
          : r.advice;
      return {
        title: m.bridge.title,
        detail: r.detail,
        advice: wait > 0 ? `${advice} ${m.bridge.retryAfter(wait)}` : advice,
      };
    }
    case 'SmartCardError':
      return m.smartCardService;
    case 'UsbTransferError':
      return m.usbTransfer;
    case 'AtrError':
      return m.atr;
    case 'CcidError':
      return {
        title: m.ccid.title,
        detail: entry(m.ccid.reasons, e.reason, m.ccid.reasons.badMessage),
        advice: m.ccid.advice,
      };
    case 'AtCommandError':
      return e.hint === undefined
        ? m.atCommand
        : { ...m.atCommand, advice: m.atCommand.hints[e.hint] };
    case 'AtNoAnswerError':
      return m.atNoAnswer;
    case 'AtTimeoutError':
      return m.atTimeout;
    case 'AtResponseError':
      return m.atResponse;
    case 'AtUnsupportedError':
      return m.atUnsupported;
    case 'TransportClosedError':
    case 'CardRemovedError':
      return m.connectionLost;
    case 'SlotEmptyError':
      return {
        title: m.slotEmpty.title,
        detail: m.slotEmpty.detail(e.reader, e.slot),
        advice: m.slotEmpty.advice,
      };
    case 'BatchReportError':
      return m.batchReport;
    case 'BatchResumeError':
      return m.batchResume;
    case 'SettingsError':
      return {
        title: m.settings.title,
        detail: m.settings.detail(e.field),
        advice: m.settings.advice,
      };
    case 'QrError':
      return {
        title: m.qr.title,
        detail: entry(m.qr.reasons, e.reason, m.qr.reasons.badImage),
        advice: m.qr.advice,
      };
    case 'NotAllowedError':
      return m.notAllowed;
    case 'NotFoundError':
      return m.notFound;
    default: {
      const unexplained: never = e;
      return unexplained;
    }
  }
}

/**
 * The words for an error in the language of `m`: the innermost known cause that has words, unless
 * the outer LpaError's reason says everything (see DECISIVE). Never throws.
 */
export function errorText(error: unknown, m: ErrorTexts): ErrorText {
  const top = isKnownError(error) && error.name === 'LpaError' ? error : undefined;
  // The innermost specific cause usually says the most; but some LPA reasons are decisive.
  if (top !== undefined && DECISIVE.has(top.reason)) return entry(m.lpa, top.reason, m.generic);
  for (const e of causeChain(error)) {
    if (!isKnownError(e)) continue;
    const text = textOfOne(e, m);
    if (text !== undefined) return text;
  }
  if (top !== undefined) return entry(m.lpa, top.reason, m.lpa.internal);
  return m.generic;
}

/** Codes for experts, outermost first, e.g. "Es9pError 8.2.6/3.8", "ApduError SW 6A82". */
export function errorCodes(error: unknown): string[] {
  return causeChain(error)
    .map(codeOf)
    .filter((c): c is string => c !== undefined);
}

/** The error's own (technical, English) message, for experts. */
export function errorMessage(error: unknown): string {
  return str(fields(error).message) ?? String(error);
}

/** An error explained in one language: plain words, a next step, and the codes for experts. */
export interface Explanation extends ErrorText {
  /** Codes for experts (never translated). */
  codes: string[];
}

/** Explains an error with the texts of one language (e.g. `explain(e, en)`). Never throws. */
export function explain(error: unknown, texts: Messages): Explanation {
  return { ...errorText(error, texts.errors), codes: errorCodes(error) };
}
