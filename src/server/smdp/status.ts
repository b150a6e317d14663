/**
 * ES9+/ES11 failure codes the test SM-DP+/SM-DS answers with (SGP.22 v2.2.2 subject/reason
 * codes). Every failure is HTTP 200 with header.functionExecutionStatus.status
 * 'Failed' (or 'Expired') and statusCodeData {subjectCode, reasonCode, message}.
 *
 * Choices where the spec leaves room (documented here, relied on by tests):
 * - EID outside the EUM's permitted prefixes: 8.1.3/6.1 (the eUICC certificate is not valid
 *   for that EUM).
 * - A one-time order that was already downloaded: 8.2.6/3.8 (the matching ID is refused; the
 *   LPA sees the same answer as for an unknown one, as a real SM-DP+ would not tell them apart).
 * - Empty matching ID with no order bound to the EID: 8.2.5/4.3 (no eligible profile).
 * - Wrong Content-Type: 1.2.1/2.1, as osmo-smdpp answers (HTTP 200, Failed).
 * - Body that is not a JSON object: 1.6/2.1; a required field missing: 1.6/2.2; a field that
 *   is not valid base64/hex/DER: 1.6/2.1 (message names the field). HTTP 200, Failed.
 * - An error response from the eUICC forwarded instead of a signed result (BF38 A1, BF21 A1):
 *   8.1/6.1 and the session ends.
 * - Wrong confirmation code: 8.2.7/3.8. Wrong codes count per order over all sessions
 *   (orders.ts): an attempt that arrives during the back-off after a wrong code gets 8.2.7/6.4
 *   unchecked (the message names the time to try again; the session stays); after
 *   `maxConfirmationCodeAttempts` wrong codes (default 5) the order is locked: 8.2.7/6.4 at
 *   authenticateClient and getBoundProfilePackage (which ends the session) until the lock is
 *   reset.
 * - Session table full of authenticated sessions: 8.8/3.7 (the SM-DP+ is not available), or
 *   8.9/3.7 for the SM-DS.
 * - ES11 wrong SM-DS address: 8.9.1/3.8.
 */

export interface StatusCode {
  subjectCode: string;
  reasonCode: string;
}

export const Status = {
  contentType: { subjectCode: '1.2.1', reasonCode: '2.1' },
  invalidRequest: { subjectCode: '1.6', reasonCode: '2.1' },
  missingField: { subjectCode: '1.6', reasonCode: '2.2' },
  euiccSignature: { subjectCode: '8.1', reasonCode: '6.1' },
  eidMismatch: { subjectCode: '8.1.1', reasonCode: '3.8' },
  eumCertInvalid: { subjectCode: '8.1.2', reasonCode: '6.1' },
  eumCertExpired: { subjectCode: '8.1.2', reasonCode: '6.3' },
  euiccCertInvalid: { subjectCode: '8.1.3', reasonCode: '6.1' },
  euiccCertExpired: { subjectCode: '8.1.3', reasonCode: '6.3' },
  noEligibleProfile: { subjectCode: '8.2.5', reasonCode: '4.3' },
  matchingIdRefused: { subjectCode: '8.2.6', reasonCode: '3.8' },
  ccMissing: { subjectCode: '8.2.7', reasonCode: '2.2' },
  ccRefused: { subjectCode: '8.2.7', reasonCode: '3.8' },
  ccRetriesExceeded: { subjectCode: '8.2.7', reasonCode: '6.4' },
  invalidOid: { subjectCode: '8.8', reasonCode: '3.1' },
  smdpBusy: { subjectCode: '8.8', reasonCode: '3.7' },
  smdsBusy: { subjectCode: '8.9', reasonCode: '3.7' },
  invalidAddress: { subjectCode: '8.8.1', reasonCode: '3.8' },
  noCommonCi: { subjectCode: '8.8.2', reasonCode: '3.1' },
  svnUnsupported: { subjectCode: '8.8.3', reasonCode: '3.1' },
  orderExpired: { subjectCode: '8.8.5', reasonCode: '4.1' },
  invalidSmdsAddress: { subjectCode: '8.9.1', reasonCode: '3.8' },
  unknownTransaction: { subjectCode: '8.10.1', reasonCode: '3.9' },
  unknownCi: { subjectCode: '8.11.1', reasonCode: '3.9' },
} as const satisfies Record<string, StatusCode>;

/** A refused ES9+/ES11 call; the HTTP layer turns it into a 200 'Failed' envelope. */
export class SmdpError extends Error {
  override readonly name = 'SmdpError';
  readonly subjectCode: string;
  readonly reasonCode: string;
  constructor(
    code: StatusCode,
    message: string,
    readonly status: 'Failed' | 'Expired' = 'Failed',
  ) {
    super(message);
    this.subjectCode = code.subjectCode;
    this.reasonCode = code.reasonCode;
  }
}

/** The JSON `header` of a response. */
export function executionHeader(error?: SmdpError): {
  functionExecutionStatus: {
    status: string;
    statusCodeData?: { subjectCode: string; reasonCode: string; message: string };
  };
} {
  if (!error) return { functionExecutionStatus: { status: 'Executed-Success' } };
  return {
    functionExecutionStatus: {
      status: error.status,
      statusCodeData: {
        subjectCode: error.subjectCode,
        reasonCode: error.reasonCode,
        message: error.message,
      },
    },
  };
}
