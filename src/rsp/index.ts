/**
 * RSP crypto shared by the software eUICC and the test SM-DP+/SM-DS: EC keys and TR-03111
 * signatures, ECKA + X9.63 KDF, SCP03t (BSP), X.509 certificates and chains, PEM, test PKI.
 */
export * from './errors.ts';
export * from './random.ts';
export * from './ec.ts';
export * from './kdf.ts';
export * from './bsp.ts';
export * from './oid.ts';
export * from './x509.ts';
export * from './verify-cache.ts';
export * from './chain.ts';
export * from './pem.ts';
export * from './pki.ts';
