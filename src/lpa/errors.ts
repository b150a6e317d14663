/**
 * The one error type the UI and the CLI see from the LPA: a stable `reason` to turn into plain
 * words, the original error as `cause`, and the protocol codes copied into `details` so a log
 * or JSON output shows them without digging.
 */

export type LpaErrorReason =
  /** The user declined the profile at the consent step. */
  | 'consentRefused'
  /** The operation was aborted (AbortSignal). */
  | 'cancelled'
  /** The SM-DP+ wants a confirmation code and none was given. */
  | 'confirmationCodeRequired'
  /** The SM-DP+/SM-DS refused (Es9pError: subject/reason codes in details). */
  | 'es9p'
  /** The SM-DP+/SM-DS could not be reached or answered garbage (Es9pTransportError). */
  | 'network'
  /** The eUICC returned an ES10 error code, or a response that could not be decoded. */
  | 'es10'
  /** The eUICC rejected the Bound Profile Package (ProfileInstallationResult error). */
  | 'installFailed'
  /** A card status word error (ApduError). */
  | 'apdu'
  /** The link to the card is gone or failed (TransportClosedError, reader errors). */
  | 'transport'
  /** The activation code could not be parsed. */
  | 'badActivationCode'
  /** No SM-DP+/SM-DS address: none given and none configured on the eUICC. */
  | 'noAddress'
  /** The server's signed data does not match this session (txId, challenge, address). */
  | 'serverMismatch'
  /** A bad argument from the caller (e.g. an unknown notification number). */
  | 'badRequest'
  /** Anything else (a bug). */
  | 'internal';

export type LpaErrorDetails = Readonly<Record<string, string | number | boolean | undefined>>;

export class LpaError extends Error {
  override readonly name = 'LpaError';
  constructor(
    readonly reason: LpaErrorReason,
    message: string,
    options: { cause?: unknown; details?: LpaErrorDetails; step?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? {};
    if (options.step !== undefined) this.step = options.step;
  }
  readonly details: LpaErrorDetails;
  /** The flow step that failed, when known (e.g. 'authenticateClient'). */
  step?: string;
  /** Errors of the clean-up that followed (cancel session on both sides); never the main error. */
  readonly cleanupErrors: unknown[] = [];
}

function field(e: object, key: string): unknown {
  return (e as Record<string, unknown>)[key];
}

function pick(e: object, keys: readonly string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const k of keys) {
    const v = field(e, k);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/**
 * Wraps any error in an LpaError with a UI-facing code. Errors are recognised by their `name`
 * so the LPA does not depend on every layer's classes (and survives duplicated bundles).
 */
export function toLpaError(e: unknown, step?: string, signal?: AbortSignal): LpaError {
  if (e instanceof LpaError) {
    if (step !== undefined && e.step === undefined) e.step = step;
    return e;
  }
  const opts = (code: LpaErrorReason, details: LpaErrorDetails = {}) => ({
    cause: e,
    details,
    ...(step !== undefined ? { step } : {}),
  });
  const message = e instanceof Error ? e.message : String(e);
  if (signal?.aborted)
    return new LpaError('cancelled', 'The operation was cancelled.', opts('cancelled'));
  if (!(e instanceof Error)) return new LpaError('internal', message, opts('internal'));
  switch (e.name) {
    case 'AbortError':
      return new LpaError('cancelled', 'The operation was cancelled.', opts('cancelled'));
    case 'ProfileInstallationError':
      return new LpaError(
        'installFailed',
        message,
        opts(
          'installFailed',
          pick(e, ['fn', 'resultCode', 'resultName', 'bppCommandId', 'bppCommandName']),
        ),
      );
    case 'Es10Error':
      return new LpaError(
        'es10',
        message,
        opts('es10', pick(e, ['fn', 'resultCode', 'resultName'])),
      );
    case 'Es10FormatError':
    case 'TlvError':
      return new LpaError('es10', message, opts('es10', pick(e, ['fn', 'detail', 'offset'])));
    case 'Es9pError':
      return new LpaError(
        'es9p',
        message,
        opts('es9p', pick(e, ['functionName', 'subjectCode', 'reasonCode', 'status'])),
      );
    case 'Es9pTransportError': {
      const cause = field(e, 'reason');
      const reason: LpaErrorReason =
        cause === 'aborted' ? 'cancelled' : cause === 'badAddress' ? 'badRequest' : 'network';
      return new LpaError(
        reason,
        message,
        opts(reason, pick(e, ['functionName', 'reason', 'httpStatus'])),
      );
    }
    case 'ApduError':
      return new LpaError('apdu', message, opts('apdu', swDetails(e)));
    case 'StoreDataBlockRefusedError':
      return new LpaError('apdu', message, opts('apdu', pick(e, ['blockSize'])));
    case 'IsdRNotFoundError':
    case 'TransportClosedError':
    case 'SlotEmptyError':
    case 'CardRemovedError':
    case 'CcidError':
    case 'UsbAccessError':
    case 'SerialAccessError':
    case 'SmartCardAccessError':
    case 'UsbModemAccessError':
    case 'UsbTransferError':
    case 'T1Error':
    case 'AtCommandError':
    case 'AtNoAnswerError':
    case 'AtTimeoutError':
    case 'AtUnsupportedError':
      return new LpaError(
        'transport',
        message,
        opts('transport', pick(e, ['reason', 'problem', 'status', 'error', 'cme'])),
      );
    case 'ActivationCodeError':
      return new LpaError(
        'badActivationCode',
        message,
        opts('badActivationCode', pick(e, ['reason'])),
      );
    default:
      return new LpaError('internal', message, opts('internal'));
  }
}

function swDetails(e: object): Record<string, string | number> {
  const sw = field(e, 'sw');
  return typeof sw === 'number' ? { sw: sw.toString(16).toUpperCase().padStart(4, '0') } : {};
}
