// A refused upstream certificate, from the relay's 502 to the words the app shows: the issuer the
// relay did not trust is named all the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codec/index.ts';
import { Es9pClient, Es9pTransportError } from '../../../src/es9p/index.ts';
import { startRelay, type RunningRelay } from '../../../src/server/relay/node.ts';
import { SmdpCore } from '../../../src/server/smdp/core.ts';
import { createServerPki, type CiCredentials } from '../../../src/server/smdp/credentials.ts';
import { startSmdpServer, type RunningSmdp } from '../../../src/server/smdp/node.ts';
import { describeError } from '../../../src/ui/state/errors.ts';

const ADDR = 'untrusted-smdp.example.com';

let pki: CiCredentials;
let smdp: RunningSmdp;
let relay: RunningRelay;

beforeAll(async () => {
  // A test CI nobody configured: the relay trusts only its defaults.
  [pki] = createServerPki({
    smdpAddress: ADDR,
    smdpOid: '2.999.10',
    smdsAddress: 'smds.example.com',
    smdsOid: '2.999.11',
    curves: ['P-256'],
    seed: 'relay-certificate-error',
  }) as [CiCredentials];
  const core = new SmdpCore({
    smdpAddress: ADDR,
    smdpOid: '2.999.10',
    smdsAddress: 'smds.example.com',
    pki: [pki],
  });
  smdp = await startSmdpServer({ core, tls: pki });
  relay = await startRelay({
    allowedOrigins: [],
    allowPrivateTargets: true,
    allowedPorts: [smdp.port],
    resolve: (host) => Promise.resolve(host === ADDR ? ['127.0.0.1'] : []),
  });
});
afterAll(async () => {
  await Promise.all([smdp.close(), relay.close()]);
});

describe('an SM-DP+ under a CI the relay does not trust', () => {
  it('fails with the relay code and the issuer named, and the app says so', async () => {
    const client = new Es9pClient({
      fetch: globalThis.fetch.bind(globalThis),
      route: { kind: 'relay', relayUrl: relay.url },
      timeoutMs: 20_000,
    });
    const error = await client
      .initiateAuthentication({
        smdpAddress: `${ADDR}:${smdp.port}`,
        euiccChallenge: new Uint8Array(16),
        euiccInfo1: Uint8Array.of(0xbf, 0x20, 0x00),
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Es9pTransportError);
    const e = error as Es9pTransportError;
    expect(e.reason).toBe('http');
    expect(e.httpStatus).toBe(502);
    expect(e.relayCode).toBe('untrustedCertificate');
    const ski = toHex(pki.ci.parsed.subjectKeyId!);
    expect(e.message).toContain('CN=WebLPA Test CI P-256, O=WebLPA Test');
    expect(e.message).toContain(ski);

    const view = describeError(e);
    expect(view.title).toBe('The relay does not trust this server’s certificate');
    expect(view.detail).toContain('CN=WebLPA Test CI P-256');
    expect(view.detail).toContain(ski);
    expect(view.advice).toMatch(/--ca/);
    expect(view.codes).toContain('Es9pTransportError http untrustedCertificate');
  });
});
