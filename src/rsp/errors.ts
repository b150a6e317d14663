/**
 * Errors raised by the RSP crypto layer. Each carries a machine-readable reason field so callers
 * (the software eUICC, the test SM-DP+) can map it onto an SGP.22 result or status code.
 */

/** Bad key material or an operation that cannot be performed (invalid point, bad scalar). */
export class RspCryptoError extends Error {
  override readonly name = 'RspCryptoError';
  constructor(
    readonly reason: 'invalidPoint' | 'invalidPrivateKey' | 'unsupportedCurve' | 'badInput',
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}

/** SCP03t (BSP) failure: MAC chain mismatch, bad TLV structure, or bad `80 00..` padding. */
export class BspError extends Error {
  override readonly name = 'BspError';
  constructor(
    readonly reason: 'mac' | 'structure' | 'padding',
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}

/** A certificate, private key or PEM block that cannot be parsed or built. */
export class CertificateError extends Error {
  override readonly name = 'CertificateError';
  constructor(
    readonly reason:
      'malformed' | 'unsupportedAlgorithm' | 'unsupportedCurve' | 'badKey' | 'badPem',
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}
