/**
 * Errors of the WebUSB AT-modem transport: why the browser or the OS refuses a modem
 * (UsbModemAccessError, one plain message per reason) and a bulk transfer the device failed
 * (UsbTransferError).
 */

export type UsbModemAccessReason =
  | 'insecureContext'
  | 'noWebUsb'
  | 'noDevice'
  | 'busy'
  | 'accessDenied'
  | 'noAtInterface'
  | 'disconnected';

/** What failed; what to do about it is said by the errors texts (src/i18n/explain.ts). */
const MESSAGES: Readonly<Record<UsbModemAccessReason, string>> = {
  insecureContext: 'USB access needs a secure page (https:// or http://localhost).',
  noWebUsb: 'This browser has no WebUSB.',
  noDevice: 'No modem was chosen.',
  busy: "The modem's AT interface is held by another driver or program.",
  accessDenied: 'The operating system refused access to the modem.',
  noAtInterface: 'No USB interface of this device answered AT commands.',
  disconnected: 'The modem was unplugged.',
};

/** Why a USB modem cannot be used; `reason` names the case, the message says what failed. */
export class UsbModemAccessError extends Error {
  override readonly name = 'UsbModemAccessError';
  constructor(
    readonly reason: UsbModemAccessReason,
    options?: { cause?: unknown },
  ) {
    super(MESSAGES[reason], options);
  }
}

/** A bulk transfer ended in a status other than 'ok' after the one retry WebUSB allows. */
export class UsbTransferError extends Error {
  override readonly name = 'UsbTransferError';
  constructor(
    readonly direction: 'in' | 'out',
    readonly endpointNumber: number,
    /** The transfer status the device reported ('stall' or 'babble'). */
    readonly status: string,
  ) {
    super(`bulk ${direction.toUpperCase()} endpoint ${endpointNumber}: ${status}`);
  }
}

/** The DOMException name of a rejection, if it has one. */
export function errorName(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const name = (err as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Maps a WebUSB rejection to a UsbModemAccessError, or returns undefined when it is something
 * else. Chromium (docs/platform.md §1.1, §1.3): requestDevice() with nothing chosen rejects with
 * NotFoundError; open() without OS permission with SecurityError "Access denied."; a claim of an
 * interface a kernel driver or another program holds with NetworkError "Unable to claim
 * interface."; anything on an unplugged device with NotFoundError. Vendor-class interfaces are
 * not a protected class, so a SecurityError at claim time is an OS refusal as well.
 */
export function classifyUsbModemError(
  err: unknown,
  stage: 'request' | 'open' | 'claim',
): UsbModemAccessError | undefined {
  if (err instanceof UsbModemAccessError) return err;
  const name = errorName(err);
  if (name === 'NotFoundError') {
    return new UsbModemAccessError(stage === 'request' ? 'noDevice' : 'disconnected', {
      cause: err,
    });
  }
  if (name === 'SecurityError' || name === 'NotAllowedError') {
    return new UsbModemAccessError('accessDenied', { cause: err });
  }
  if (name === 'NetworkError' || (stage === 'claim' && name === 'InvalidStateError')) {
    return new UsbModemAccessError('busy', { cause: err });
  }
  return undefined;
}
