/**
 * The GSMA RSP2 Root CI1: the root Certificate Issuer of the consumer eSIM (SGP.22) PKI. Many
 * SM-DP+ and SM-DS servers present TLS certificates (DPtls, policy 2.23.146.1.2.1.3) that chain
 * to it rather than to a Web PKI root, so the relay trusts it by default beside the system roots.
 *
 * - Subject and issuer (self-signed): O = GSM Association, CN = GSM Association - RSP2 Root CI1
 * - Key: ECDSA on NIST P-256; signature ecdsa-with-SHA256
 * - Valid from 2017-02-22 00:00:00 UTC to 2052-02-21 23:59:59 UTC
 * - Subject Key Identifier: 81370F5125D0B1D408D4C3B232E6D25E795BEBFB (the key id an eUICC
 *   lists in euiccCiPKIdListForVerification when it trusts this CI)
 * - SHA-256 fingerprint of the DER certificate:
 *   5E3E91FD454327C3AF5D32A7A73BBC59FE43AA7D85FD32D5DB44423F80A56BB3
 * - Published by the GSMA on its Certificate Issuer page, https://www.gsma.com/esim/gsma-root-ci/
 *   (CRL: http://gsma-crl.symauth.com/offlineca/gsma-rsp2-root-ci1.crl)
 *
 * A public certificate (no key): tests/unit/server/gsma-ci.test.ts recomputes the key id and the
 * fingerprint from the text below, so a damaged copy fails.
 */
export const GSMA_RSP2_ROOT_CI1_PEM = `-----BEGIN CERTIFICATE-----
MIICSTCCAe+gAwIBAgIQbmhWeneg7nyF7hg5Y9+qejAKBggqhkjOPQQDAjBEMRgw
FgYDVQQKEw9HU00gQXNzb2NpYXRpb24xKDAmBgNVBAMTH0dTTSBBc3NvY2lhdGlv
biAtIFJTUDIgUm9vdCBDSTEwIBcNMTcwMjIyMDAwMDAwWhgPMjA1MjAyMjEyMzU5
NTlaMEQxGDAWBgNVBAoTD0dTTSBBc3NvY2lhdGlvbjEoMCYGA1UEAxMfR1NNIEFz
c29jaWF0aW9uIC0gUlNQMiBSb290IENJMTBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABJ1qutL0HCMX52GJ6/jeibsAqZfULWj/X10p/Min6seZN+hf5llovbCNuB2n
unLz+O8UD0SUCBUVo8e6n9X1TuajgcAwgb0wDgYDVR0PAQH/BAQDAgEGMA8GA1Ud
EwEB/wQFMAMBAf8wEwYDVR0RBAwwCogIKwYBBAGC6WAwFwYDVR0gAQH/BA0wCzAJ
BgdngRIBAgEAME0GA1UdHwRGMEQwQqBAoD6GPGh0dHA6Ly9nc21hLWNybC5zeW1h
dXRoLmNvbS9vZmZsaW5lY2EvZ3NtYS1yc3AyLXJvb3QtY2kxLmNybDAdBgNVHQ4E
FgQUgTcPUSXQsdQI1MOyMubSXnlb6/swCgYIKoZIzj0EAwIDSAAwRQIgIJdYsOMF
WziPK7l8nh5mu0qiRiVf25oa9ullG/OIASwCIQDqCmDrYf+GziHXBOiwJwnBaeBO
aFsiLzIEOaUuZwdNUw==
-----END CERTIFICATE-----
`;

/** The root's Subject Key Identifier, upper-case hex. */
export const GSMA_RSP2_ROOT_CI1_KEY_ID = '81370F5125D0B1D408D4C3B232E6D25E795BEBFB';

/** SHA-256 of the DER certificate, upper-case hex. */
export const GSMA_RSP2_ROOT_CI1_SHA256 =
  '5E3E91FD454327C3AF5D32A7A73BBC59FE43AA7D85FD32D5DB44423F80A56BB3';
