/**
 * Why the system's smart card service cannot give us the card, with one plain message per reason,
 * and the mapping from Web Smart Card API rejections (SmartCardError{responseCode} and
 * DOMExceptions, WICG Web Smart Card API §"SmartCardError interface") to those reasons.
 */
import { responseCodeOf } from './api.ts';

export type SmartCardAccessReason =
  | 'insecureContext'
  | 'noSmartCardApi'
  | 'noService'
  | 'noReader'
  | 'noCard'
  | 'permissionDenied'
  | 'busy'
  | 'unresponsiveCard'
  | 'other';

/** What failed; what to do about it is said by the errors texts (src/i18n/explain.ts). */
const SMART_CARD_MESSAGES: Readonly<Record<SmartCardAccessReason, string>> = {
  insecureContext: 'Smart card access needs a secure page.',
  noSmartCardApi: 'This browser offers no Web Smart Card API.',
  noService: 'The system smart card service is not running.',
  noReader: 'No smart card reader was found.',
  noCard: 'The reader has no card in it.',
  permissionDenied: 'Access to smart cards was refused.',
  busy: 'Another program holds the card exclusively.',
  unresponsiveCard: 'The card in the reader does not answer.',
  other: 'The system smart card service reported an error.',
};

/** A refusal of the smart card service; `reason` says which, `responseCode` the PC/SC code. */
export class SmartCardAccessError extends Error {
  override readonly name = 'SmartCardAccessError';
  /** The SmartCardError responseCode behind it, e.g. "sharing-violation", when there was one. */
  readonly responseCode: string | undefined;
  constructor(
    readonly reason: SmartCardAccessReason,
    options?: { cause?: unknown; responseCode?: string },
  ) {
    const code = options?.responseCode ?? responseCodeOf(options?.cause);
    super(
      reason === 'other' && code !== undefined
        ? `${SMART_CARD_MESSAGES.other} (${code})`
        : SMART_CARD_MESSAGES[reason],
      options?.cause !== undefined ? { cause: options.cause } : undefined,
    );
    this.responseCode = code;
  }
}

/** Response codes that mean the card or its reader is gone (or was reset under us). */
export const CARD_GONE_CODES: ReadonlySet<string> = new Set([
  'removed-card',
  'no-smartcard',
  'reader-unavailable',
  'unknown-reader',
  'reset-card',
]);

function reasonOfCode(code: string): SmartCardAccessReason {
  switch (code) {
    case 'no-service':
      return 'noService';
    case 'no-smartcard':
    case 'removed-card':
      return 'noCard';
    // 'no-readers-available' is not a SmartCardResponseCode in the spec (listReaders() turns
    // SCARD_E_NO_READERS_AVAILABLE into an empty list); accepted should an implementation
    // report it as a code.
    case 'reader-unavailable':
    case 'unknown-reader':
    case 'no-readers-available':
      return 'noReader';
    case 'sharing-violation':
      return 'busy';
    case 'unresponsive-card':
    case 'unpowered-card':
    case 'unsupported-card':
    case 'proto-mismatch':
      return 'unresponsiveCard';
    // Not in the spec's enum either (a denied prompt is a NotAllowedError DOMException, handled
    // below); accepted should an implementation report it as a code.
    case 'permission-denied':
      return 'permissionDenied';
    default:
      return 'other';
  }
}

/**
 * Maps a Web Smart Card API rejection to a SmartCardAccessError. SmartCardError carries a
 * responseCode (the PC/SC code); a blocked "smart-card" permissions policy rejects
 * establishContext() with SecurityError, a denied connection prompt with NotAllowedError.
 * Anything else becomes reason 'other' with the original as cause.
 */
export function classifySmartCardError(err: unknown): SmartCardAccessError {
  if (err instanceof SmartCardAccessError) return err;
  const code = responseCodeOf(err);
  if (code !== undefined) return new SmartCardAccessError(reasonOfCode(code), { cause: err });
  const name =
    typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return new SmartCardAccessError('permissionDenied', { cause: err });
  return new SmartCardAccessError('other', { cause: err });
}
