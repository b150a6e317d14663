/**
 * Errors of the ES10 layer. `Es10Error` is a result code the eUICC returned (the call reached the
 * card and the card said no); `Es10FormatError` is a response the client cannot decode.
 * Transport and status-word failures pass through unchanged (ApduError, TransportClosedError).
 */
import type { Es10Function } from './results.ts';
import { bppCommandName, errorReasonName, resultName } from './results.ts';

export class Es10Error extends Error {
  /** 'ProfileInstallationError' for that subclass, so both are told apart by name. */
  override readonly name: 'Es10Error' | 'ProfileInstallationError' = 'Es10Error';
  /** The SGP.22 name of the result code, e.g. 'profileNotInDisabledState'. */
  readonly resultName: string;
  constructor(
    readonly fn: Es10Function,
    readonly resultCode: number,
    name?: string,
  ) {
    const rn = name ?? resultName(fn, resultCode);
    super(`${fn} failed: ${rn} (${resultCode})`);
    this.resultName = rn;
  }
}

/**
 * The eUICC refused a Bound Profile Package: the ProfileInstallationResult carries an
 * ErrorResult. `resultCode` is the errorReason; `bppCommandId` names the failing step.
 */
export class ProfileInstallationError extends Es10Error {
  override readonly name = 'ProfileInstallationError';
  readonly bppCommandName: string;
  constructor(
    readonly bppCommandId: number,
    errorReason: number,
  ) {
    super('loadBoundProfilePackage', errorReason, errorReasonName(errorReason));
    this.bppCommandName = bppCommandName(bppCommandId);
    this.message = `loadBoundProfilePackage failed at ${this.bppCommandName}: ${this.resultName} (${errorReason})`;
  }
}

/** A response (or a caller-supplied blob such as a BPP) that does not have the SGP.22 shape. */
export class Es10FormatError extends Error {
  override readonly name = 'Es10FormatError';
  constructor(
    readonly fn: Es10Function,
    readonly detail: string,
    override readonly cause?: unknown,
  ) {
    super(`${fn}: ${detail}`);
  }
}
