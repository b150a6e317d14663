/**
 * Errors of the WebUSB CCID transport: reader-reported failures (CcidError, named after the
 * USB CCID rev 1.1 §6.2.6 table 6.2-2), malformed card answers (AtrError) and the reasons a
 * browser refuses a reader (UsbAccessError) with one plain message each.
 */

/** bError values of a failed command, USB CCID rev 1.1 §6.2.6 table 6.2-2. */
export const CCID_SLOT_ERRORS: Readonly<Record<number, string>> = {
  0xff: 'CMD_ABORTED',
  0xfe: 'ICC_MUTE',
  0xfd: 'XFR_PARITY_ERROR',
  0xfc: 'XFR_OVERRUN',
  0xfb: 'HW_ERROR',
  0xf8: 'BAD_ATR_TS',
  0xf7: 'BAD_ATR_TCK',
  0xf6: 'ICC_PROTOCOL_NOT_SUPPORTED',
  0xf5: 'ICC_CLASS_NOT_SUPPORTED',
  0xf4: 'PROCEDURE_BYTE_CONFLICT',
  0xf3: 'DEACTIVATED_PROTOCOL',
  0xf2: 'BUSY_WITH_AUTO_SEQUENCE',
  0xf0: 'PIN_TIMEOUT',
  0xef: 'PIN_CANCELLED',
  0xe0: 'CMD_SLOT_BUSY',
  0x00: 'CMD_NOT_SUPPORTED',
};

/**
 * Name of a bError value. 0x01..0x7F name the offset of the offending field in the command
 * message (§6.2.6: "index of the parameter that caused the error"); 0x80..0xBF are vendor codes.
 */
export function ccidErrorName(error: number): string {
  const known = CCID_SLOT_ERRORS[error];
  if (known !== undefined) return known;
  if (error >= 0x01 && error <= 0x7f) return `BAD_PARAMETER_AT_OFFSET_${error}`;
  return `VENDOR_ERROR_0x${error.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** What went wrong talking CCID. `status`/`error` are the reader's bStatus/bError when it sent them. */
export type CcidErrorReason =
  | 'slotError' // the reader answered bmCommandStatus = 1 (failed); see `error`
  | 'badMessage' // the reader's answer is not a well-formed CCID message
  | 'unsupported' // exchange level or protocol this driver does not implement
  | 'noCcidDescriptor' // no CCID class descriptor (0x21) for the interface
  | 'tooLong'; // the APDU does not fit what the reader accepts

export class CcidError extends Error {
  override readonly name = 'CcidError';
  constructor(
    message: string,
    readonly reason: CcidErrorReason,
    /** bStatus byte of the reader's answer, when there was one. */
    readonly status?: number,
    /** bError byte of the reader's answer, when there was one. */
    readonly error?: number,
  ) {
    super(message);
  }

  /** Name of `error` from §6.2.6 (undefined when the reader sent no bError). */
  get errorName(): string | undefined {
    return this.error === undefined ? undefined : ccidErrorName(this.error);
  }
}

/** Why a reader (or one of its interfaces) cannot be used. */
export type ReaderRefusalReason =
  | 'characterLevel' // dwFeatures announces character level only: the host would frame every byte
  | 'iccdWithoutBulk' // an ICCD interface (bInterfaceProtocol 1/2) that uses control transfers
  | 'noBulkEndpoints' // a CCID interface without its bulk pair
  | 'noCcidInterface' // no interface carries a CCID class descriptor
  | 'firmwareLimit' // a known firmware limit (quirks.ts) the exchange would exceed
  | 'noVoltage' // no voltage class within bVoltageSupport powered the card
  | 'speed' // the card only runs at a rate the reader cannot
  | 'protocol'; // neither T=0 nor T=1 in common

/**
 * A reader refused for a stated reason; the message names the reader and the reason, `reason`
 * lets the app and the reader check tell the cases apart.
 */
export class ReaderRefusedError extends CcidError {
  constructor(
    readonly reader: string,
    readonly refusal: ReaderRefusalReason,
    detail: string,
    code: CcidErrorReason = 'unsupported',
  ) {
    super(`${reader}: ${detail}`, code);
  }
}

/** A malformed Answer To Reset; `offset` is the byte index where parsing failed. */
export class AtrError extends Error {
  override readonly name = 'AtrError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`ATR: ${message} at offset ${offset}`);
  }
}

export type UsbAccessReason =
  | 'protectedClass'
  | 'busy'
  | 'accessDenied'
  | 'noWebUsb'
  | 'insecureContext'
  | 'noDevice'
  | 'disconnected';

/** What failed; what to do about it is said by the errors texts (src/i18n/explain.ts). */
const USB_ACCESS_MESSAGES: Readonly<Record<UsbAccessReason, string>> = {
  protectedClass:
    'This browser does not let web pages use smart-card readers (USB class 0x0B is a protected ' +
    'class in Chrome).',
  busy: 'The reader is in use by another program.',
  accessDenied: 'The operating system refused access to the reader.',
  noWebUsb: 'This browser has no WebUSB.',
  insecureContext: 'USB access needs a secure page (https:// or http://localhost).',
  noDevice: 'No reader was chosen, or the chosen device has no CCID smart-card interface.',
  disconnected: 'The reader was unplugged.',
};

export class UsbAccessError extends Error {
  override readonly name = 'UsbAccessError';
  constructor(
    readonly reason: UsbAccessReason,
    options?: { cause?: unknown },
  ) {
    super(USB_ACCESS_MESSAGES[reason], options);
  }
}

function domName(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const name = (err as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

function domMessage(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' ? message : '';
}

/**
 * Maps a WebUSB rejection to a UsbAccessError, or returns undefined when it is something else.
 * Chromium (docs/platform.md §1.1, §1.3): claimInterface() on a protected class rejects with
 * SecurityError "...protected class."; a driver-held interface with NetworkError "Unable to claim
 * interface."; open() without OS permission with SecurityError "Access denied."; a transfer on an
 * unplugged device with NotFoundError.
 */
export function classifyUsbError(
  err: unknown,
  stage: 'open' | 'claim' | 'transfer' | 'request',
): UsbAccessError | undefined {
  if (err instanceof UsbAccessError) return err;
  const name = domName(err);
  const message = domMessage(err);
  if (name === 'NotFoundError') {
    return new UsbAccessError(stage === 'request' ? 'noDevice' : 'disconnected', { cause: err });
  }
  if (name === 'SecurityError') {
    if (/protected class/i.test(message) || stage === 'claim') {
      return new UsbAccessError('protectedClass', { cause: err });
    }
    if (/access denied/i.test(message) || stage === 'open') {
      return new UsbAccessError('accessDenied', { cause: err });
    }
  }
  if (name === 'NetworkError' && (stage === 'claim' || /claim interface/i.test(message))) {
    return new UsbAccessError('busy', { cause: err });
  }
  if (name === 'InvalidStateError' && /disconnected|not opened/i.test(message)) {
    return new UsbAccessError('disconnected', { cause: err });
  }
  return undefined;
}
