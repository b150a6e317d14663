/**
 * Errors of the APDU layer. `ApduError` is raised in exactly one place, the Card, when a command
 * ends with a status word that is not success; everything above catches it by its `sw`.
 */
import type { CommandApdu } from './command.ts';
import { describeSw } from './status-words.ts';
import { toHex } from '../codec/index.ts';

/** A command ended with a non-success status word. */
export class ApduError extends Error {
  override readonly name = 'ApduError';
  readonly sw1: number;
  readonly sw2: number;
  constructor(
    /** The final status word, e.g. 0x6A82. */
    readonly sw: number,
    /** The command that got it (after any 6Cxx resend). */
    readonly command?: CommandApdu,
    /** Response data that came with the status word (usually empty). */
    readonly data: Uint8Array = new Uint8Array(0),
  ) {
    const ins = command ? ` to INS ${toHex(Uint8Array.of(command.ins))}` : '';
    super(`SW ${describeSw(sw)}${ins}`);
    this.sw1 = sw >> 8;
    this.sw2 = sw & 0xff;
  }
}

/** A response APDU that is not even a status word (fewer than 2 bytes), or malformed data. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
  constructor(
    message: string,
    /** The response bytes received. */
    readonly response: Uint8Array,
  ) {
    super(message);
  }
}

/** Bytes that are not a short command APDU (ISO/IEC 7816-4 §5.1). */
export class MalformedCommandError extends Error {
  override readonly name = 'MalformedCommandError';
  constructor(
    message: string,
    /** The bytes given. */
    readonly command: Uint8Array,
  ) {
    super(message);
  }
}

/** None of the ISD-R AIDs could be selected: the card is probably not an eUICC. */
export class IsdRNotFoundError extends Error {
  override readonly name = 'IsdRNotFoundError';
  constructor(
    /** The AIDs tried, in order, as upper-case hex. */
    readonly tried: readonly string[],
    /** The status word of the last refusal, when the card answered with one. */
    readonly lastSw?: number,
    options?: ErrorOptions,
  ) {
    super(
      `no ISD-R answered (tried ${tried.join(', ')})${lastSw !== undefined ? `; last SW ${describeSw(lastSw)}` : ''}`,
      options,
    );
  }
}

/** No logical channel could be opened, or the card returned a bad channel number. */
export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  constructor(
    message: string,
    /** The channel number involved, when known. */
    readonly channel?: number,
  ) {
    super(message);
  }
}

/**
 * The eUICC (SW 6700/6601) or an AT modem refused a STORE DATA block of a Bound Profile Package;
 * smaller blocks are used from now on, and the download is cancelled rather than continued with
 * a segment the card may have half processed.
 */
export class StoreDataBlockRefusedError extends Error {
  override readonly name = 'StoreDataBlockRefusedError';
  constructor(
    /** The block size used from now on. */
    readonly blockSize: number,
    cause: unknown,
  ) {
    super(
      `The eUICC or the link refused a large STORE DATA block while the profile was being ` +
        `installed; ${blockSize}-byte blocks are used from now on. The download was cancelled ` +
        `and nothing was installed: start it again.`,
      { cause },
    );
  }
}
