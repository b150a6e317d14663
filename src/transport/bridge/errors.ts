/**
 * Why the app could not use the local card bridge, in plain words with what to do. A card taken
 * out or a connection that closes while in use is a TransportClosedError instead.
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
    /** What the user can do about it. */
    readonly advice: string,
    options?: ErrorOptions & { retryAfterMs?: number },
  ) {
    super(message, options);
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
  /** badPairingCode / pairingLocked / rateLimited: wait this long before trying again. */
  readonly retryAfterMs?: number;
}

export const START_BRIDGE_ADVICE =
  'Start the card bridge on this computer with `npm run lpa -- bridge` (in the WebLPA folder), ' +
  'keep it running, then try again.';

export function notRunning(url: string): BridgeError {
  return new BridgeError(
    'notRunning',
    `The card bridge is not running at ${url}.`,
    START_BRIDGE_ADVICE,
  );
}

export function originRefused(url: string, origin: string | undefined): BridgeError {
  const o = origin ?? 'this page’s origin';
  return new BridgeError(
    'originRefused',
    `The card bridge at ${url} refused this page (${o}).`,
    `Restart the bridge allowing this page: npm run lpa -- bridge --origin ${o}`,
  );
}
