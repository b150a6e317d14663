/** Errors raised by the software eUICC. */

/**
 * The card is gone: a fault injected by the test harness (or `remove()`) simulates pulling the
 * card or losing power. Every later APDU fails the same way until `reinsert()`.
 */
export class CardRemovedError extends Error {
  override readonly name = 'CardRemovedError';
  constructor(message = 'the card was removed') {
    super(message);
  }
}

/** An identity (certificates, key, EID) that cannot be used for an eUICC. */
export class EuiccIdentityError extends Error {
  override readonly name = 'EuiccIdentityError';
  constructor(
    readonly reason:
      'malformed' | 'keyMismatch' | 'badEid' | 'chain' | 'missingCertificate' | 'unsupportedCurve',
    message: string,
  ) {
    super(message);
  }
}

/** A saved state that does not have the expected shape or version. */
export class EuiccStateError extends Error {
  override readonly name = 'EuiccStateError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/**
 * Internal: an ISO 7816 status word to answer instead of data. Thrown inside the card and
 * turned into SW1 SW2 by the APDU layer; it never leaves `transmit()`.
 */
export class StatusWordError extends Error {
  override readonly name = 'StatusWordError';
  constructor(
    readonly sw: number,
    message = `SW ${sw.toString(16).toUpperCase().padStart(4, '0')}`,
  ) {
    super(message);
  }
}
