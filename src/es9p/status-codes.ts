/**
 * ES9+/ES11 status codes: `statusCodeData.subjectCode` names what the failure is about (the
 * eUICC, a certificate, the matching ID...) and `reasonCode` says what is wrong with it. Codes
 * are dotted strings, e.g. 8.2.6 / 3.8 = matching ID refused (docs/protocol.md §4.3).
 *
 * The pair table covers every code in docs/protocol.md §4.3; unknown pairs are described from their
 * parts (subject meaning + reason meaning, falling back to the reason family: 1.x
 * authorisation, 2.x format, 3.x conflict, 4.x execution, 5.x transport, 6.x security), so a
 * server using a code not listed here still yields a sensible sentence. The wording is ours.
 *
 * The generic subjects 1.x (the HTTP/JSON binding itself) are as test SM-DP+s use them
 * (osmo-smdpp: 1.2.1 Content-Type, 1.2.2 X-Admin-Protocol, 1.3.1 ctxParams1; a live server:
 * 1.6 for an invalid request); their official names were not checked against the spec text.
 */

/** What each subject code refers to. */
export const SUBJECT_CODES: Readonly<Record<string, string>> = {
  '1': 'the request',
  '1.1': 'the caller (function requester)',
  '1.2': 'the HTTP binding',
  '1.2.1': 'the request format (Content-Type)',
  '1.2.2': 'the protocol version (X-Admin-Protocol)',
  '1.3': 'the function',
  '1.3.1': 'a mandatory element of the request',
  '1.6': 'the function request',
  '8.1': 'the eUICC',
  '8.1.1': 'the EID',
  '8.1.2': 'the EUM certificate',
  '8.1.3': 'the eUICC certificate',
  '8.2': 'the profile',
  '8.2.1': 'the profile ICCID',
  '8.2.5': 'the profile type',
  '8.2.6': 'the matching ID (activation code token or event ID)',
  '8.2.7': 'the confirmation code',
  '8.8': 'the SM-DP+',
  '8.8.1': 'the SM-DP+ address',
  '8.8.2': 'the SM-DP+ security configuration (CI public keys)',
  '8.8.3': 'the specification version number',
  '8.8.4': 'the SM-DP+ certificate',
  '8.8.5': 'the download order',
  '8.9': 'the SM-DS',
  '8.9.1': 'the SM-DS address',
  '8.9.2': 'the SM-DS security configuration (CI public keys)',
  '8.9.3': 'the specification version number (SM-DS)',
  '8.9.4': 'the SM-DS certificate',
  '8.9.5': 'the event record',
  '8.10.1': 'the transaction ID (RSP session)',
  '8.11.1': 'the CI public key',
};

/** What each reason code says about its subject. */
export const REASON_CODES: Readonly<Record<string, string>> = {
  '1.1': 'the caller is not authenticated',
  '1.2': 'not allowed (authorisation)',
  '2.1': 'invalid',
  '2.2': 'missing',
  '2.3': 'a conditional element is missing',
  '3.1': 'invalid association or unsupported value',
  '3.3': 'already in use or conflicting',
  '3.5': 'cannot be done in the current state',
  '3.7': 'not available',
  '3.8': 'refused',
  '3.9': 'unknown',
  '4.1': 'expired',
  '4.2': 'execution error',
  '4.3': 'nothing eligible',
  '4.8': 'insufficient memory',
  '5.1': 'unreachable',
  '5.2': 'timed out',
  '6.1': 'verification failed',
  '6.2': 'decryption failed',
  '6.3': 'expired',
  '6.4': 'maximum number of retries exceeded',
};

/** Reason families: the first number of a reason code. */
export const REASON_FAMILIES: Readonly<Record<string, string>> = {
  '1': 'access denied (authorisation)',
  '2': 'format error in the request',
  '3': 'conditions not satisfied (conflict, unknown or refused)',
  '4': 'execution error',
  '5': 'transport error',
  '6': 'security error',
  '7': 'execution error',
  '8': 'execution error',
};

/** Full meanings of known (subject, reason) pairs, keyed `subject/reason`. */
export const STATUS_CODES: Readonly<Record<string, string>> = {
  '1.2.1/2.1': 'The server did not accept the request format (Content-Type).',
  '1.2.2/2.1': 'The server does not support the announced protocol version (X-Admin-Protocol).',
  '1.3.1/2.2': 'A mandatory element is missing from the request.',
  '1.6/2.1': 'The server found the request invalid.',
  '1.6/2.2': 'A required field is missing from the request.',
  '8.1/4.8': 'The eUICC does not have enough free memory for this profile.',
  '8.1/6.1': 'The eUICC signature or the server challenge did not verify.',
  '8.1.1/2.2': 'The order needs an EID that was not given (empty matching ID or SM-DS use).',
  '8.1.1/3.1': 'This ICCID is already bound to a different EID.',
  '8.1.1/3.8': 'The EID does not match the one the order was made for.',
  '8.1.2/6.1': 'The EUM certificate is invalid.',
  '8.1.2/6.3': 'The EUM certificate has expired.',
  '8.1.3/6.1': 'The eUICC certificate is invalid.',
  '8.1.3/6.3': 'The eUICC certificate has expired.',
  '8.2/1.2': 'The profile has not been released yet.',
  '8.2/3.7': 'The bound profile package cannot be bound again.',
  '8.2.1/1.2': 'This operation is not allowed on the profile.',
  '8.2.1/3.1': 'This ICCID is associated with a different EID.',
  '8.2.1/3.3': 'The profile with this ICCID is not available.',
  '8.2.1/3.5': 'The profile cannot be released.',
  '8.2.1/3.9': 'The ICCID is unknown to the SM-DP+.',
  '8.2.5/1.2': 'This operation is not allowed for the profile type.',
  '8.2.5/3.7': 'No more profiles of the requested type are available.',
  '8.2.5/3.8': 'The profile type does not match the profile of this ICCID.',
  '8.2.5/3.9': 'The profile type is unknown to the SM-DP+.',
  '8.2.5/4.3': 'There is no eligible profile for this eUICC or device.',
  '8.2.6/3.1': 'A different matching ID is associated with this ICCID.',
  '8.2.6/3.3': 'The matching ID conflicts with another order.',
  '8.2.6/3.8': 'The matching ID (activation code token or event ID) was refused.',
  '8.2.6/3.9': 'The matching ID is unknown to the SM-DP+.',
  '8.2.7/2.2': 'A confirmation code is required but none was sent.',
  '8.2.7/3.8': 'The confirmation code was refused.',
  '8.2.7/6.4': 'Too many wrong confirmation codes: the maximum number of retries was exceeded.',
  '8.8/3.1': 'The SM-DP+ OID is invalid.',
  '8.8.1/3.8': 'The SM-DP+ address is invalid (not this server).',
  '8.8.2/3.1': 'The SM-DP+ supports none of the eUICC’s CI public keys.',
  '8.8.3/3.1': 'The SM-DP+ does not support the eUICC’s specification version.',
  '8.8.4/3.7': 'The SM-DP+ has no authentication certificate under a CI the eUICC trusts.',
  '8.8.5/4.1': 'The download order has expired.',
  '8.8.5/6.4': 'The download order’s maximum number of attempts was exceeded.',
  '8.9/4.2': 'The root SM-DS reported an error.',
  '8.9/5.1': 'The root SM-DS was unavailable.',
  '8.9.1/3.8': 'The SM-DS address is invalid (not this server).',
  '8.9.2/3.1': 'The SM-DS supports none of the eUICC’s CI public keys.',
  '8.9.3/3.1': 'The SM-DS does not support the eUICC’s specification version.',
  '8.9.4/3.7': 'The SM-DS has no certificate under a CI the eUICC trusts.',
  '8.9.5/3.3': 'The event record already exists (duplicate event ID).',
  '8.9.5/3.9': 'No event with this event ID exists for this EID.',
  '8.10.1/3.9': 'The RSP session (transaction ID) is unknown to the server; it may have expired.',
  '8.11.1/3.9':
    'The CI public key is unknown: the EUM certificate does not chain to a trusted root.',
};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The meaning of a subject code, trying its parents (8.2.6.1 -> 8.2.6 -> 8.2) when unknown. */
export function describeSubject(subjectCode: string): string | undefined {
  let code = subjectCode.trim();
  while (code !== '') {
    const known = SUBJECT_CODES[code];
    if (known !== undefined) return known;
    const dot = code.lastIndexOf('.');
    if (dot < 0) break;
    code = code.slice(0, dot);
  }
  return undefined;
}

/** The meaning of a reason code, or of its family (first number) when the code is unknown. */
export function describeReason(reasonCode: string): string | undefined {
  const code = reasonCode.trim();
  const known = REASON_CODES[code];
  if (known !== undefined) return known;
  const family = REASON_FAMILIES[code.split('.')[0] ?? ''];
  return family;
}

/**
 * One sentence for a (subject, reason) pair: the known meaning, or one built from the parts.
 *
 * @example
 * describeStatus('8.2.7', '3.8') // 'The confirmation code was refused.'
 * describeStatus('8.2.7', '4.2') // 'The confirmation code: execution error.'
 */
export function describeStatus(subjectCode: string, reasonCode: string): string {
  const known = STATUS_CODES[`${subjectCode.trim()}/${reasonCode.trim()}`];
  if (known !== undefined) return known;
  const subject = describeSubject(subjectCode);
  const reason = describeReason(reasonCode);
  if (subject !== undefined && reason !== undefined) return `${capitalise(subject)}: ${reason}.`;
  if (subject !== undefined) return `${capitalise(subject)}: failed (unknown reason code).`;
  if (reason !== undefined) return `${capitalise(reason)} (unknown subject code).`;
  return 'The server reported a failure with codes this LPA does not know.';
}
