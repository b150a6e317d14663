import { createHash, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codec/index.ts';
import { parseCertificate, pemDecode } from '../../../src/rsp/index.ts';
import {
  GSMA_RSP2_ROOT_CI1_KEY_ID,
  GSMA_RSP2_ROOT_CI1_PEM,
  GSMA_RSP2_ROOT_CI1_SHA256,
} from '../../../src/server/relay/gsma-ci.ts';

function der(): Uint8Array {
  const blocks = pemDecode(GSMA_RSP2_ROOT_CI1_PEM);
  expect(blocks).toHaveLength(1);
  expect(blocks[0]!.label).toBe('CERTIFICATE');
  return blocks[0]!.der;
}

describe('the embedded GSMA RSP2 Root CI1', () => {
  it('has the published SHA-256 fingerprint', () => {
    const fingerprint = createHash('sha256').update(der()).digest('hex').toUpperCase();
    expect(fingerprint).toBe('5E3E91FD454327C3AF5D32A7A73BBC59FE43AA7D85FD32D5DB44423F80A56BB3');
    expect(GSMA_RSP2_ROOT_CI1_SHA256).toBe(fingerprint);
  });

  it('has the published subject key identifier, subject and validity', () => {
    const cert = parseCertificate(der());
    expect(toHex(cert.subjectKeyId!)).toBe('81370F5125D0B1D408D4C3B232E6D25E795BEBFB');
    expect(GSMA_RSP2_ROOT_CI1_KEY_ID).toBe(toHex(cert.subjectKeyId!));
    expect(cert.subject).toMatchObject({
      organization: 'GSM Association',
      commonName: 'GSM Association - RSP2 Root CI1',
    });
    expect(cert.curve).toBe('P-256');
    expect(cert.isCa).toBe(true);
    expect(cert.notBefore.toISOString()).toBe('2017-02-22T00:00:00.000Z');
    expect(cert.notAfter.toISOString()).toBe('2052-02-21T23:59:59.000Z');
  });

  it('is self-signed and loads as a TLS trust anchor in Node', () => {
    const x509 = new X509Certificate(GSMA_RSP2_ROOT_CI1_PEM);
    expect(x509.ca).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.fingerprint256.replaceAll(':', '')).toBe(GSMA_RSP2_ROOT_CI1_SHA256);
    expect(() => createSecureContext({ ca: [GSMA_RSP2_ROOT_CI1_PEM] })).not.toThrow();
  });
});
