/** Identity creation and import (PEM/DER) with their checks. */
import { describe, expect, it } from 'vitest';
import { eidValid } from '../../../src/codec/index.ts';
import {
  certificateToPem,
  generateKeyPair,
  parseCertificate,
  privateKeyToPem,
  seededRng,
} from '../../../src/rsp/index.ts';
import {
  createEuicc,
  createTestIdentity,
  EuiccIdentityError,
  importIdentity,
} from '../../../src/euicc/index.ts';
import { Driver, world } from './helpers.ts';

describe('createTestIdentity', () => {
  it('mints CI -> EUM -> eUICC with a valid EID in the certificate subject', () => {
    const id = world('P-256').identity;
    expect(eidValid(id.eid)).toBe(true);
    const cert = parseCertificate(id.euiccCert);
    expect(cert.subject.serialNumber).toBe(id.eid);
    expect(cert.curve).toBe('P-256');
  });

  it('is deterministic with a seed and draws a valid EID when none is given', () => {
    const a = createTestIdentity({ curve: 'P-256', seed: 'same' });
    const b = createTestIdentity({ curve: 'P-256', seed: 'same' });
    expect(a.eid).toBe(b.eid);
    expect(eidValid(a.eid)).toBe(true);
    expect(a.eid.startsWith('89049032')).toBe(true);
  });

  it('refuses an invalid EID', () => {
    expect(() =>
      createTestIdentity({ curve: 'P-256', eid: '89049032123451234512345678901234' }),
    ).toThrow(EuiccIdentityError);
  });
});

describe('importIdentity', () => {
  const id = world('brainpoolP256r1').identity;

  it('accepts PEM strings and DER bytes and derives the EID from the certificate', () => {
    const fromPem = importIdentity({
      euiccCert: certificateToPem(id.euiccCert),
      eumCert: certificateToPem(id.eumCert),
      euiccKey: privateKeyToPem(id.euiccKey),
      trustedCis: [certificateToPem(id.trustedCis[0]!)],
    });
    expect(fromPem.eid).toBe(id.eid);
    const fromDer = importIdentity({
      euiccCert: id.euiccCert,
      eumCert: id.eumCert,
      euiccKey: new TextEncoder().encode(privateKeyToPem(id.euiccKey)),
      trustedCis: id.trustedCis,
    });
    expect(fromDer.euiccKey.publicKey).toEqual(id.euiccKey.publicKey);
    // The imported identity drives a working card.
    const card = createEuicc({ identity: fromDer });
    const d = new Driver(card);
    d.open();
    expect(d.es10('BF3E035C015A').length).toBe(21);
  });

  it('rejects a key that does not match the certificate', () => {
    const other = generateKeyPair('brainpoolP256r1', seededRng('other'));
    try {
      importIdentity({ ...id, euiccKey: privateKeyToPem(other) });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EuiccIdentityError);
      expect((e as EuiccIdentityError).reason).toBe('keyMismatch');
    }
  });

  it('rejects a chain to an untrusted CI and missing PEM blocks', () => {
    const p256 = world('P-256').identity;
    expect(() =>
      importIdentity({
        ...id,
        euiccKey: privateKeyToPem(id.euiccKey),
        trustedCis: p256.trustedCis,
      }),
    ).toThrow(/chain/);
    expect(() =>
      importIdentity({ ...id, euiccKey: privateKeyToPem(id.euiccKey), euiccCert: 'not pem' }),
    ).toThrow(EuiccIdentityError);
  });
});
