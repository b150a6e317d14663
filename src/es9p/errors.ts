/**
 * Errors of the ES9+/ES11 client.
 *
 * - `Es9pError`: the server executed the function and refused (JSON header status `Failed` or
 *   `Expired`, docs/protocol.md §4.1), carrying its subject/reason codes and our description of them.
 * - `Es9pTransportError`: anything that is not a protocol answer: unreachable server (including
 *   a browser hiding a response without CORS headers), timeout, abort, an HTTP error status, or
 *   a body that is not the expected JSON.
 */
import { describeStatus } from './status-codes.ts';

export type Es9pExecutionStatus = 'Failed' | 'Expired';

export class Es9pError extends Error {
  override readonly name = 'Es9pError';
  /** Our description of the (subject, reason) pair. */
  readonly description: string;
  /** The server's own message (statusCodeData.message), when it sent one. */
  readonly serverMessage?: string;
  /** statusCodeData.subjectIdentifier, when present (e.g. which field was wrong). */
  readonly subjectIdentifier?: string;

  constructor(
    readonly functionName: string,
    readonly status: Es9pExecutionStatus,
    readonly subjectCode: string,
    readonly reasonCode: string,
    details: { serverMessage?: string; subjectIdentifier?: string } = {},
  ) {
    const description =
      subjectCode === '' && reasonCode === ''
        ? 'The server reported a failure without status codes.'
        : describeStatus(subjectCode, reasonCode);
    const codes = subjectCode === '' && reasonCode === '' ? '' : ` [${subjectCode}/${reasonCode}]`;
    const what = status === 'Expired' ? 'expired' : 'failed';
    const server = details.serverMessage ? ` Server message: "${details.serverMessage}".` : '';
    super(`${functionName} ${what}${codes}: ${description}${server}`);
    this.description = description;
    if (details.serverMessage !== undefined) this.serverMessage = details.serverMessage;
    if (details.subjectIdentifier !== undefined) this.subjectIdentifier = details.subjectIdentifier;
  }
}

export type Es9pTransportErrorReason =
  /** fetch rejected: DNS, TLS, connection refused, or a response blocked by CORS. */
  | 'network'
  /** No complete answer within the timeout. */
  | 'timeout'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** An HTTP status other than the one the function answers with. */
  | 'http'
  /** HTTP status fine, body not the expected JSON (not JSON, missing field, bad base64...). */
  | 'badResponse'
  /** The server address or route configuration cannot form a URL. */
  | 'badAddress'
  /** The automatic route needs a relay for this address and none is configured (no request made). */
  | 'noRelay';

export class Es9pTransportError extends Error {
  override readonly name = 'Es9pTransportError';
  readonly httpStatus?: number;
  /** The URL that was requested, when one was formed. */
  readonly url?: string;
  /**
   * The ES9+ relay's own failure code, when the relay answered the error (its JSON
   * `{error, code}`), e.g. `untrustedCertificate` or `dnsFailure`.
   */
  readonly relayCode?: string;

  constructor(
    readonly reason: Es9pTransportErrorReason,
    readonly functionName: string,
    message: string,
    options: { httpStatus?: number; url?: string; relayCode?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
    if (options.url !== undefined) this.url = options.url;
    if (options.relayCode !== undefined) this.relayCode = options.relayCode;
  }
}
