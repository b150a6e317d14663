/**
 * Why the app could not use the local card bridge: `reason` names the case, the message says what
 * happened (for logs and experts); what the user reads and can do is in the app's texts (area
 * `errors`, src/i18n). A card taken out or a connection that closes while in use is a
 * TransportClosedError instead.
 */

export type BridgeFailure =
  | 'badAddress'
  | 'notRunning'
  | 'originRefused'
  | 'pairingRequired'
  | 'badPairingCode'
  | 'pairingLocked'
  | 'unknownReader'
  /** The app has no reader chosen through the bridge yet (nothing was asked of the bridge). */
  | 'noChoice'
  | 'noCard'
  | 'readerBusy'
  | 'tooLarge'
  | 'rateLimited'
  | 'timeout'
  | 'protocol'
  | 'readerError';

export class BridgeError extends Error {
  override readonly name = 'BridgeError';
  constructor(
    readonly reason: BridgeFailure,
    message: string,
    options?: ErrorOptions & { retryAfterMs?: number; origin?: string },
  ) {
    super(message, options);
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options?.origin !== undefined) this.origin = options.origin;
  }
  /** badPairingCode / pairingLocked / rateLimited: wait this long before trying again. */
  readonly retryAfterMs?: number;
  /** originRefused: the page origin the bridge refused, when known. */
  readonly origin?: string;
}

export function notRunning(url: string): BridgeError {
  return new BridgeError('notRunning', `The card bridge is not running at ${url}.`);
}

export function originRefused(url: string, origin: string | undefined): BridgeError {
  return new BridgeError(
    'originRefused',
    `The card bridge at ${url} refused this page (${origin ?? 'this page’s origin'}).`,
    origin !== undefined ? { origin } : undefined,
  );
}
