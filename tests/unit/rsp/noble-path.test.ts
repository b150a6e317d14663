/**
 * Every crypto vector test of this folder once more with @noble/curves forced for every
 * operation and the signature cache off: the other files run the default engines (Node's
 * crypto for P-256 where available), this one the portable path the browser's synchronous
 * code takes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setNobleOnly, setSignatureCache, syncEngine } from '../../../src/rsp/index.ts';

beforeAll(() => {
  setNobleOnly(true);
  setSignatureCache(false);
});

afterAll(() => {
  setNobleOnly(false);
  setSignatureCache(true);
});

it('runs on noble', () => {
  expect(syncEngine('P-256')).toBe('noble');
});

await import('./ec.test.ts');
await import('./ec-engines.test.ts');
await import('./chain.test.ts');
await import('./x509.test.ts');
await import('./pki.test.ts');
await import('./pem.test.ts');
await import('./bsp.test.ts');
