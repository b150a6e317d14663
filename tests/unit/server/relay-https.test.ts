import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../../src/codec/index.ts';
import { certificateToPem } from '../../../src/rsp/index.ts';
import { createTestIdentity } from '../../../src/euicc/identity.ts';
import { SmdpCore } from '../../../src/server/smdp/core.ts';
import { createServerPki, type CiCredentials } from '../../../src/server/smdp/credentials.ts';
import { startSmdpServer, type RunningSmdp } from '../../../src/server/smdp/node.ts';
import {
  RelayCaError,
  startRelay,
  upstreamTrustAnchors,
  type RunningRelay,
} from '../../../src/server/relay/node.ts';
import { GSMA_RSP2_ROOT_CI1_PEM } from '../../../src/server/relay/gsma-ci.ts';
import { MiniEuicc, b64 } from './mini-euicc.ts';

const ADDR = 'testsmdpplus1.example.com';
/** Another name for the same loopback server: its certificate is not issued for it. */
const OTHER = 'other-smdp.example.com';
const ORIGIN = 'http://127.0.0.1:4173';

let pki: CiCredentials;
let smdp: RunningSmdp;
const relays: RunningRelay[] = [];

async function relayWith(extraCa: string[], trustGsmaCi?: boolean): Promise<RunningRelay> {
  const relay = await startRelay({
    allowedOrigins: [ORIGIN],
    extraCa,
    ...(trustGsmaCi !== undefined ? { trustGsmaCi } : {}),
    // The test upstream listens on loopback: allowed explicitly, and the names map to it.
    allowPrivateTargets: true,
    allowedPorts: [smdp.port],
    resolve: (host) => Promise.resolve(host === ADDR || host === OTHER ? ['127.0.0.1'] : []),
  });
  relays.push(relay);
  return relay;
}

beforeAll(async () => {
  [pki] = createServerPki({
    smdpAddress: ADDR,
    smdpOid: '2.999.10',
    smdsAddress: 'testsmds1.example.com',
    smdsOid: '2.999.11',
    curves: ['P-256'],
    seed: 'relay-https',
  }) as [CiCredentials];
  const core = new SmdpCore({
    smdpAddress: ADDR,
    smdpOid: '2.999.10',
    smdsAddress: 'testsmds1.example.com',
    pki: [pki],
  });
  smdp = await startSmdpServer({ core, tls: pki });
});
afterAll(async () => {
  await Promise.all([smdp.close(), ...relays.map((r) => r.close())]);
});

describe('relay to an HTTPS SM-DP+ whose DPtls chains to a configured test CI', () => {
  it('forwards and returns the SM-DP+ answer', async () => {
    const relay = await relayWith([certificateToPem(pki.ci.certificate)]);
    const id = createTestIdentity({ curve: 'P-256', seed: 'relay-euicc', ci: pki.ci });
    const e = new MiniEuicc({ ...id, ciKeyId: pki.ci.parsed.subjectKeyId! });
    const res = await fetch(
      `${relay.url}/${ADDR}:${smdp.port}/gsma/rsp2/es9plus/initiateAuthentication`,
      {
        method: 'POST',
        headers: {
          origin: ORIGIN,
          'content-type': 'application/json',
          'x-admin-protocol': 'gsma/rsp/v2.2.0',
        },
        body: JSON.stringify({
          euiccChallenge: b64(e.challenge),
          euiccInfo1: b64(e.info1()),
          smdpAddress: ADDR,
        }),
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('x-admin-protocol')).toBe('gsma/rsp/v2.2.0');
    const body = (await res.json()) as {
      header: { functionExecutionStatus: { status: string } };
      transactionId: string;
    };
    expect(body.header.functionExecutionStatus.status).toBe('Executed-Success');
    expect(body.transactionId).toMatch(/^[0-9A-F]{32}$/);
  });

  it('refuses an upstream whose certificate it does not trust, naming the issuer', async () => {
    // Trusts the bundled roots and the GSMA root, not the test CI the server's DPtls chains to.
    const relay = await relayWith([]);
    const res = await post(relay, ADDR);
    expect(res.status).toBe(502);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const body = (await res.json()) as { code: string; error: string };
    expect(body.code).toBe('untrustedCertificate');
    const ski = toHex(pki.ci.parsed.subjectKeyId!);
    expect(body.error).toContain(`issuer of ${ADDR}'s TLS certificate`);
    expect(body.error).toContain('CN=WebLPA Test CI P-256, O=WebLPA Test');
    expect(body.error).toContain(`key id ${ski}`);
    expect(body.error).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('refuses it too with the GSMA root turned off and no CA configured', async () => {
    const relay = await relayWith([], false);
    const res = await post(relay, ADDR);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'untrustedCertificate' });
  });

  it('accepts it with the GSMA root turned off when its CI is configured', async () => {
    const relay = await relayWith([certificateToPem(pki.ci.certificate)], false);
    const res = await post(relay, ADDR);
    // The relay passes the SM-DP+'s own answer on (the empty body is refused by the SM-DP+).
    expect(res.headers.get('content-type')).toMatch(/json/);
    const body = (await res.json()) as { code?: string };
    expect(body.code).toBeUndefined();
  });

  it('refuses a trusted certificate issued for another host name, and says so', async () => {
    const relay = await relayWith([certificateToPem(pki.ci.certificate)]);
    const res = await post(relay, OTHER);
    expect(res.status).toBe(502);
    const body = (await res.json()) as { code: string; error: string };
    expect(body.code).toBe('untrustedCertificate');
    expect(body.error).toContain('not issued for this host name');
    expect(body.error).toContain('CN=WebLPA Test CI P-256');
  });
});

describe("the relay's upstream trust anchors", () => {
  it('are the bundled roots and the GSMA RSP2 Root CI1 by default, plus configured CIs', () => {
    const ci = certificateToPem(pki.ci.certificate);
    const anchors = upstreamTrustAnchors({ extraCa: [ci] });
    expect(anchors).toContain(GSMA_RSP2_ROOT_CI1_PEM);
    expect(anchors.at(-1)).toBe(ci);
    expect(anchors.length).toBeGreaterThan(100);
  });

  it('leave the GSMA root out when it is turned off', () => {
    expect(upstreamTrustAnchors({ trustGsmaCi: false })).not.toContain(GSMA_RSP2_ROOT_CI1_PEM);
  });

  it('refuse an extra CA that is not a usable certificate, naming which one', () => {
    const ci = certificateToPem(pki.ci.certificate);
    expect(() => upstreamTrustAnchors({ extraCa: [ci, 'not a certificate'] })).toThrow(
      RelayCaError,
    );
    expect(() => upstreamTrustAnchors({ extraCa: [ci, 'not a certificate'] })).toThrow(
      /extra CA certificate 2 is not a PEM certificate/,
    );
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(() => upstreamTrustAnchors({ extraCa: [broken] })).toThrow(
      /extra CA certificate 1 cannot be used as a trust anchor/,
    );
  });
});

function post(relay: RunningRelay, host: string): Promise<Response> {
  return fetch(`${relay.url}/${host}:${smdp.port}/gsma/rsp2/es9plus/initiateAuthentication`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: '{}',
  });
}
