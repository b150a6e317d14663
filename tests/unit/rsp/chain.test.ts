import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codec/index.ts';
import {
  buildCertificate,
  ciKeyId,
  createTestCi,
  generateKeyPair,
  generateTestPki,
  issueEuicc,
  issueEum,
  OID_POLICY,
  parseCertificate,
  seededRng,
  verifyChain,
  type CertificateRole,
  type ChainResult,
  type Credential,
} from '../../../src/rsp/index.ts';

const [pki] = generateTestPki({ curves: ['P-256'], seed: 'chain-tests' });
if (!pki) throw new Error('no PKI');
const trusted = [pki.ci.parsed];
const NOW = new Date('2030-01-01T00:00:00Z');

function reason(r: ChainResult): string {
  return r.ok ? 'ok' : r.reason;
}

/** A leaf under the test CI with chosen policy and key usage. */
function leaf(policy: string, keyUsage: string[]): Credential {
  const key = generateKeyPair('P-256', seededRng(policy + keyUsage.join()));
  const certificate = buildCertificate(
    {
      serialNumber: 77n,
      subject: { commonName: 'odd leaf' },
      publicKey: key.publicKey,
      curve: 'P-256',
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2040-01-01T00:00:00Z'),
      isCa: false,
      keyUsage,
      policies: [policy],
    },
    {
      key: pki!.ci.key,
      subjectRaw: pki!.ci.parsed.subjectRaw,
      subjectKeyId: ciKeyId(pki!.ci.parsed),
    },
  );
  return { certificate, key, parsed: parseCertificate(certificate) };
}

describe('verifyChain', () => {
  it('accepts every role of the test PKI and returns the CI', () => {
    const roles: [CertificateRole, Credential][] = [
      ['dpAuth', pki.dpAuth],
      ['dpPb', pki.dpPb],
      ['dpTls', pki.dpTls],
      ['dsAuth', pki.dsAuth],
      ['dsTls', pki.dsTls],
      ['eum', pki.eum],
    ];
    for (const [role, cred] of roles) {
      const r = verifyChain({ leaf: cred.parsed, trusted, role, now: NOW });
      expect(reason(r), role).toBe('ok');
      if (r.ok) expect(toHex(ciKeyId(r.ci))).toBe(toHex(ciKeyId(pki.ci.parsed)));
    }
    const e = verifyChain({
      leaf: pki.euicc.parsed,
      intermediates: [pki.eum.parsed],
      trusted,
      role: 'euicc',
      now: NOW,
    });
    expect(reason(e)).toBe('ok');
  });

  it('picks the right CI among several, on either curve', () => {
    const [bp] = generateTestPki({ curves: ['brainpoolP256r1'], seed: 'chain-bp' });
    const all = [bp!.ci.parsed, pki.ci.parsed];
    const r = verifyChain({
      leaf: bp!.euicc.parsed,
      intermediates: [pki.eum.parsed, bp!.eum.parsed],
      trusted: all,
      role: 'euicc',
    });
    expect(r.ok && toHex(r.ci.raw) === toHex(bp!.ci.parsed.raw)).toBe(true);
  });

  it('unknownCi: issued by a CI that is not trusted', () => {
    const other = createTestCi('P-256', seededRng('other-ci'));
    const r = verifyChain({ leaf: pki.dpAuth.parsed, trusted: [other.parsed], role: 'dpAuth' });
    expect(reason(r)).toBe('unknownCi');
    expect(r.ok ? '' : r.detail).toMatch(/trusted CI/);
  });

  it('badSignature: a CI with the same name and key id but another key', () => {
    const key = generateKeyPair('P-256', seededRng('impostor'));
    const ci = pki.ci.parsed;
    const impostor = buildCertificate(
      {
        serialNumber: 1n,
        subject: ci.subject,
        publicKey: key.publicKey,
        curve: 'P-256',
        notBefore: ci.notBefore,
        notAfter: ci.notAfter,
        isCa: true,
        keyUsage: ['keyCertSign', 'cRLSign'],
        policies: [OID_POLICY.ci],
        subjectKeyId: ciKeyId(ci),
      },
      { key },
    );
    const r = verifyChain({
      leaf: pki.dpPb.parsed,
      trusted: [parseCertificate(impostor)],
      role: 'dpPb',
    });
    expect(reason(r)).toBe('badSignature');
  });

  it('expired: checked only when now is given', () => {
    const args = { leaf: pki.dpAuth.parsed, trusted, role: 'dpAuth' as const };
    expect(reason(verifyChain({ ...args, now: new Date('2100-01-01T00:00:00Z') }))).toBe('expired');
    expect(reason(verifyChain({ ...args, now: new Date('2019-12-31T23:59:59Z') }))).toBe('expired');
    expect(reason(verifyChain(args))).toBe('ok');
    const short = leaf(OID_POLICY.dpAuth, ['digitalSignature']);
    expect(
      reason(
        verifyChain({ leaf: short.parsed, trusted, role: 'dpAuth', now: new Date('2041-01-01') }),
      ),
    ).toBe('expired');
  });

  it('wrongPolicy: a certificate used in another role', () => {
    expect(reason(verifyChain({ leaf: pki.dpAuth.parsed, trusted, role: 'dpPb' }))).toBe(
      'wrongPolicy',
    );
    expect(reason(verifyChain({ leaf: pki.dpTls.parsed, trusted, role: 'dsTls' }))).toBe(
      'wrongPolicy',
    );
  });

  it('wrongKeyUsage: a signing certificate without digitalSignature, a TLS cert without serverAuth', () => {
    const noSig = leaf(OID_POLICY.dpAuth, ['keyAgreement']);
    expect(reason(verifyChain({ leaf: noSig.parsed, trusted, role: 'dpAuth' }))).toBe(
      'wrongKeyUsage',
    );
    const tlsNoEku = leaf(OID_POLICY.dpTls, ['digitalSignature']);
    expect(reason(verifyChain({ leaf: tlsNoEku.parsed, trusted, role: 'dpTls' }))).toBe(
      'wrongKeyUsage',
    );
  });

  it('wrongKeyUsage: an eUICC "issued" by a non-CA certificate', () => {
    // The DPauth cert is not a CA; use it as if it were an EUM.
    const fakeEum: Credential = {
      ...pki.dpAuth,
      parsed: { ...pki.dpAuth.parsed, policies: [OID_POLICY.eum] },
    };
    const euicc = issueEuicc(fakeEum, {
      eid: '89049032123451234512345678901235',
      rng: seededRng('e'),
    });
    const r = verifyChain({
      leaf: euicc.parsed,
      intermediates: [fakeEum.parsed],
      trusted,
      role: 'euicc',
    });
    expect(reason(r)).toBe('wrongKeyUsage');
  });

  it('malformed: eUICC chain without its EUM', () => {
    expect(reason(verifyChain({ leaf: pki.euicc.parsed, trusted, role: 'euicc' }))).toBe(
      'malformed',
    );
  });

  it('malformed: an unknown critical extension (RFC 5280 §4.2)', () => {
    const opaque = { ...pki.dpAuth.parsed, unknownCriticalExtensions: ['1.2.3.4'] };
    expect(reason(verifyChain({ leaf: opaque, trusted, role: 'dpAuth' }))).toBe('malformed');
  });

  it('eidOutsideEum: EID outside the EUM prefix', () => {
    const stranger = issueEuicc(pki.eum, {
      eid: '89033023426200000000000000000000',
      rng: seededRng('stranger'),
    });
    const r = verifyChain({
      leaf: stranger.parsed,
      intermediates: [pki.eum.parsed],
      trusted,
      role: 'euicc',
      now: NOW,
    });
    expect(reason(r)).toBe('eidOutsideEum');
  });

  it('an EUM with a different prefix admits its own EIDs only', () => {
    const eum = issueEum(pki.ci, { eidPrefix: '8903302342', rng: seededRng('eum2') });
    const inside = issueEuicc(eum, {
      eid: '89033023426200000000000000000123',
      rng: seededRng('i'),
    });
    expect(
      reason(
        verifyChain({ leaf: inside.parsed, intermediates: [eum.parsed], trusted, role: 'euicc' }),
      ),
    ).toBe('ok');
  });
});
