import * as crypto from 'node:crypto';
import * as tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codec/index.ts';
import {
  certificateToPem,
  ciKeyId,
  generateTestPki,
  OID_EKU,
  OID_POLICY,
  privateKeyToPem,
  signTr03111,
  verifyTr03111,
} from '../../../src/rsp/index.ts';

describe('generateTestPki', () => {
  const sets = generateTestPki({ seed: 'pki-tests' });

  it('is reproducible with a seed and covers both curves', () => {
    const again = generateTestPki({ seed: 'pki-tests' });
    expect(sets.map((s) => s.curve)).toEqual(['P-256', 'brainpoolP256r1']);
    expect(toHex(again[1]!.euicc.certificate)).toBe(toHex(sets[1]!.euicc.certificate));
    expect(toHex(sets[0]!.ci.certificate)).not.toBe(toHex(sets[1]!.ci.certificate));
  });

  it('has the SGP.22 §4.5.2 profile per certificate (docs/protocol.md §7.1)', () => {
    for (const s of sets) {
      expect(s.ci.parsed.policies).toEqual([OID_POLICY.ci]);
      expect(s.ci.parsed.sanRegisteredIds).toEqual(['2.999.1']);
      expect(s.ci.parsed.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
      expect(s.ci.parsed.isCa).toBe(true);
      expect(s.eum.parsed.permittedEidPrefixes).toEqual(['89049032']);
      expect(s.euicc.parsed.subject.serialNumber).toBe('89049032123451234512345678901235');
      expect(s.euicc.parsed.policies).toEqual([OID_POLICY.euicc]);
      expect(s.dpAuth.parsed.sanRegisteredIds).toEqual(['2.999.10']);
      expect(s.dpPb.parsed.policies).toEqual([OID_POLICY.dpPb]);
      expect(s.dpTls.parsed.sanDnsNames).toEqual(['localhost']);
      expect(s.dpTls.parsed.extKeyUsage).toEqual([OID_EKU.serverAuth, OID_EKU.clientAuth]);
      expect(s.dsAuth.parsed.policies).toEqual([OID_POLICY.dsAuth]);
      expect(s.dsTls.parsed.policies).toEqual([OID_POLICY.dsTls]);
      expect(toHex(s.eum.parsed.authorityKeyId!)).toBe(toHex(ciKeyId(s.ci.parsed)));
      expect(s.euicc.parsed.notBefore.toISOString()).toBe('2020-01-01T00:00:00.000Z');
      expect(s.euicc.parsed.notAfter.toISOString()).toBe('2099-12-31T23:59:59.000Z');
      const sig = signTr03111(s.euicc.key, Uint8Array.of(1));
      expect(verifyTr03111(s.curve, s.euicc.parsed.publicKey, Uint8Array.of(1), sig)).toBe(true);
    }
  });

  it('every certificate is accepted by Node X509Certificate and verified against its issuer', () => {
    for (const s of sets) {
      const ci = new crypto.X509Certificate(s.ci.certificate);
      const eum = new crypto.X509Certificate(s.eum.certificate);
      expect(eum.verify(ci.publicKey)).toBe(true);
      expect(new crypto.X509Certificate(s.euicc.certificate).verify(eum.publicKey)).toBe(true);
      for (const c of [s.dpAuth, s.dpPb, s.dpTls, s.dsAuth, s.dsTls])
        expect(new crypto.X509Certificate(c.certificate).verify(ci.publicKey)).toBe(true);
    }
  });

  it('the P-256 DPtls credential serves a TLS handshake trusted through the test CI', async () => {
    const p = sets[0]!;
    const server = tls.createServer({
      cert: certificateToPem(p.dpTls.certificate),
      key: privateKeyToPem(p.dpTls.key),
    });
    server.on('secureConnection', (socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect({
          host: '127.0.0.1',
          port,
          servername: 'localhost',
          ca: certificateToPem(p.ci.certificate),
        });
        let data = '';
        socket.on('data', (d: Buffer) => (data += d.toString()));
        socket.on('end', () => {
          resolve(data);
        });
        socket.on('error', reject);
      });
      expect(text).toBe('hello');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
