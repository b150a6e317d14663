/** Errors raised by the codec layer. Each carries where the input went wrong. */

/** Malformed BER/DER-TLV input; `offset` is the byte index where decoding failed. */
export class TlvError extends Error {
  override readonly name = 'TlvError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
  }
}

/** A value that cannot be decoded or encoded in the given format (hex, base64, BCD, ICCID, EID). */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(
    readonly format: 'hex' | 'base64' | 'bcd' | 'iccid' | 'eid',
    message: string,
  ) {
    super(`${format}: ${message}`);
  }
}
