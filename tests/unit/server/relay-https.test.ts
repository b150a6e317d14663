import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateToPem } from '../../../src/rsp/index.ts';
import { createTestIdentity } from '../../../src/euicc/identity.ts';
import { SmdpCore } from '../../../src/server/smdp/core.ts';
import { createServerPki, type CiCredentials } from '../../../src/server/smdp/credentials.ts';
import { startSmdpServer, type RunningSmdp } from '../../../src/server/smdp/node.ts';
import { startRelay, type RunningRelay } from '../../../src/server/relay/node.ts';
import { MiniEuicc, b64 } from './mini-euicc.ts';

const ADDR = 'testsmdpplus1.example.com';
const ORIGIN = 'http://127.0.0.1:4173';

let pki: CiCredentials;
let smdp: RunningSmdp;
const relays: RunningRelay[] = [];

async function relayWith(extraCa: string[]): Promise<RunningRelay> {
  const relay = await startRelay({
    allowedOrigins: [ORIGIN],
    extraCa,
    // The test upstream listens on loopback: allowed explicitly, and the name is mapped to it.
    allowPrivateTargets: true,
    allowedPorts: [smdp.port],
    resolve: (host) => Promise.resolve(host === ADDR ? ['127.0.0.1'] : []),
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

  it('refuses an upstream whose certificate it does not trust', async () => {
    const relay = await relayWith([]);
    const res = await fetch(
      `${relay.url}/${ADDR}:${smdp.port}/gsma/rsp2/es9plus/initiateAuthentication`,
      {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: '{}',
      },
    );
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'upstreamUnreachable' });
  });
});
