import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEFAULT_CATALOGUE, startLocalServices } from '../../../src/server/local-services.ts';
import { parseCatalogue, CatalogueError } from '../../../src/server/smdp/catalogue.ts';

describe('catalogue', () => {
  it('demo.json has the demo orders', () => {
    const json = JSON.parse(readFileSync(DEFAULT_CATALOGUE, 'utf8')) as unknown;
    const orders = parseCatalogue(json, { readFile: () => Uint8Array.of(0x89, 0x50, 0x4e, 0x47) });
    const byId = new Map(orders.map((o) => [o.matchingId, o]));
    expect(byId.get('WEBLPA-PLAIN')).toMatchObject({ reusable: false });
    expect(byId.get('WEBLPA-CC')?.confirmationCode).toBe('1234');
    expect(byId.get('WEBLPA-REUSABLE')?.reusable).toBe(true);
    expect(byId.get('WEBLPA-BENCH-10K')?.profile).toEqual({ kind: 'generated', sizeBytes: 10240 });
    expect(byId.get('WEBLPA-BENCH-100K')?.profile).toEqual({
      kind: 'generated',
      sizeBytes: 102400,
    });
    expect(byId.get('WEBLPA-EID-BOUND')).toMatchObject({
      eid: '89049032123451234512345678901235',
      smdsEvent: true,
    });
    expect(byId.get('WEBLPA-EXPIRED')?.expiresAt?.getTime()).toBeLessThan(Date.now());
    // 19-digit ICCIDs get their Luhn check digit.
    expect(byId.get('WEBLPA-PLAIN')?.iccid).toMatch(/^\d{20}$/);
  });
  it.each([
    [{}, 'orders'],
    [{ orders: [{}] }, 'orders[0].matchingId'],
    [{ orders: [{ matchingId: 'A$B', metadata: {}, profile: {} }] }, 'orders[0].matchingId'],
    [
      {
        orders: [
          {
            matchingId: 'A',
            metadata: { serviceProviderName: 'x', profileName: 'y', profileClass: 'gold' },
            profile: {},
          },
        ],
      },
      'orders[0].metadata.profileClass',
    ],
    [
      {
        orders: [
          {
            matchingId: 'A',
            metadata: { serviceProviderName: 'x', profileName: 'y' },
            profile: { iccid: '123' },
          },
        ],
      },
      'orders[0].profile.iccid',
    ],
    [
      {
        orders: [
          {
            matchingId: 'A',
            smdsEvent: true,
            metadata: { serviceProviderName: 'x', profileName: 'y' },
            profile: { iccid: '8999001000000000011' },
          },
        ],
      },
      'orders[0].smdsEvent',
    ],
  ])('rejects %j at %s', (json, path) => {
    try {
      parseCatalogue(json);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CatalogueError);
      expect((e as CatalogueError).path).toBe(path);
    }
  });
});

describe('startLocalServices', () => {
  it('starts the SM-DP+ and relay and lists the demo activation codes', async () => {
    const s = await startLocalServices({ smdpPort: 0, relayPort: 0 });
    try {
      expect(s.smdpAddress).toBe('testsmdpplus1.example.com');
      expect(s.smdpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(s.relayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/es9p$/);
      const codes = s.activationCodes.map((a) => a.code);
      expect(codes).toContain('LPA:1$testsmdpplus1.example.com$WEBLPA-PLAIN');
      expect(codes).toContain('LPA:1$testsmdpplus1.example.com$WEBLPA-CC$$1');
      const state = (await (await fetch(`${s.smdpUrl}/state`)).json()) as {
        orders: unknown[];
        events: unknown[];
      };
      expect(state.orders).toHaveLength(7);
      expect(state.events).toEqual([
        {
          eid: '89049032123451234512345678901235',
          eventId: 'WEBLPA-EID-BOUND',
          rspServerAddress: 'testsmdpplus1.example.com',
        },
      ]);
      expect(s.state().smdsAddress).toBe('testsmds1.example.com');
      // The relay refuses other origins.
      const r = await fetch(
        `${s.relayUrl}/smdp.example.com/gsma/rsp2/es9plus/initiateAuthentication`,
        {
          method: 'POST',
          headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
          body: '{}',
        },
      );
      expect(r.status).toBe(403);
    } finally {
      await s.close();
    }
  });
});
