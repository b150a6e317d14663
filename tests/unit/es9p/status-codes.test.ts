import { describe, it, expect } from 'vitest';
import {
  STATUS_CODES,
  SUBJECT_CODES,
  describeReason,
  describeStatus,
  describeSubject,
} from '../../../src/es9p/status-codes.ts';
import { Es9pError } from '../../../src/es9p/errors.ts';

// Every (subject, reason) pair listed in docs docs/protocol.md §4.3.
const SGP22_PAIRS = [
  '8.1/4.8',
  '8.1/6.1',
  '8.1.1/2.2',
  '8.1.1/3.1',
  '8.1.1/3.8',
  '8.1.2/6.1',
  '8.1.2/6.3',
  '8.1.3/6.1',
  '8.1.3/6.3',
  '8.2/1.2',
  '8.2/3.7',
  '8.2.1/1.2',
  '8.2.1/3.1',
  '8.2.1/3.3',
  '8.2.1/3.5',
  '8.2.1/3.9',
  '8.2.5/1.2',
  '8.2.5/3.7',
  '8.2.5/3.8',
  '8.2.5/3.9',
  '8.2.5/4.3',
  '8.2.6/3.1',
  '8.2.6/3.3',
  '8.2.6/3.8',
  '8.2.7/2.2',
  '8.2.7/3.8',
  '8.2.7/6.4',
  '8.8/3.1',
  '8.8.1/3.8',
  '8.8.2/3.1',
  '8.8.3/3.1',
  '8.8.4/3.7',
  '8.8.5/4.1',
  '8.8.5/6.4',
  '8.10.1/3.9',
  '8.11.1/3.9',
  // osmo-smdpp's header checks (docs/protocol.md §4.3).
  '1.2.1/2.1',
  '1.2.2/2.1',
  '1.3.1/2.2',
];

describe('status codes', () => {
  it('has a meaning for every pair in docs/protocol.md §4.3', () => {
    for (const pair of SGP22_PAIRS) {
      expect(STATUS_CODES[pair], pair).toBeTypeOf('string');
      const [s, r] = pair.split('/') as [string, string];
      expect(describeStatus(s, r)).toBe(STATUS_CODES[pair]);
    }
  });

  it('has a subject meaning for every subject of the pair table', () => {
    for (const pair of Object.keys(STATUS_CODES)) {
      const subject = pair.split('/')[0]!;
      expect(SUBJECT_CODES[subject], subject).toBeTypeOf('string');
    }
  });

  it('names specific pairs', () => {
    expect(describeStatus('8.2.6', '3.8')).toMatch(/matching ID.*refused/i);
    expect(describeStatus('8.2.7', '2.2')).toMatch(/confirmation code is required/i);
    expect(describeStatus('8.10.1', '3.9')).toMatch(/transaction ID.*unknown/i);
    expect(describeStatus(' 8.8.5 ', '4.1 ')).toMatch(/expired/);
  });

  it('builds a sentence from the parts of an unknown pair', () => {
    expect(describeStatus('8.2.7', '4.2')).toBe('The confirmation code: execution error.');
    // Unknown reason in a known family.
    expect(describeStatus('8.1.3', '6.9')).toBe('The eUICC certificate: security error.');
    expect(describeStatus('8.1', '2.7')).toBe('The eUICC: format error in the request.');
    // Unknown sub-subject falls back to its parent.
    expect(describeSubject('8.2.6.4')).toBe(describeSubject('8.2.6'));
    expect(describeStatus('8.2.6.4', '3.8')).toMatch(/^The matching ID .*: refused\.$/);
    expect(describeStatus('9.9', '3.8')).toBe('Refused (unknown subject code).');
    expect(describeStatus('8.1.1', 'x')).toBe('The EID: failed (unknown reason code).');
    expect(describeStatus('', '')).toMatch(/codes this LPA does not know/);
    expect(describeReason('1.9')).toMatch(/authorisation/);
    expect(describeReason('3.42')).toMatch(/conflict/);
    expect(describeReason('2.2')).toBe('missing');
  });
});

describe('Es9pError', () => {
  it('carries the codes, the description and the server message', () => {
    const e = new Es9pError('authenticateClient', 'Failed', '8.2.6', '3.8', {
      serverMessage: 'Refused',
      subjectIdentifier: 'matchingId',
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('Es9pError');
    expect(e.functionName).toBe('authenticateClient');
    expect(e.status).toBe('Failed');
    expect(e.subjectCode).toBe('8.2.6');
    expect(e.reasonCode).toBe('3.8');
    expect(e.description).toBe(STATUS_CODES['8.2.6/3.8']);
    expect(e.serverMessage).toBe('Refused');
    expect(e.subjectIdentifier).toBe('matchingId');
    expect(e.message).toBe(
      `authenticateClient failed [8.2.6/3.8]: ${STATUS_CODES['8.2.6/3.8']} Server message: "Refused".`,
    );
  });

  it('says expired and copes with missing codes', () => {
    const e = new Es9pError('getBoundProfilePackage', 'Expired', '', '');
    expect(e.message).toMatch(/^getBoundProfilePackage expired: .*without status codes/);
    expect(e.serverMessage).toBeUndefined();
  });
});
