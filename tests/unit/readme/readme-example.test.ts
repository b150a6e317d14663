// The library example of README.md, run as it is written there (keep both in step).
import { describe, expect, it } from 'vitest';
import { Card, openIsdR } from '../../../src/apdu/index.ts';
import { createEuicc, createTestIdentity } from '../../../src/euicc/index.ts';
import { Es9pClient } from '../../../src/es9p/index.ts';
import { Lpa } from '../../../src/lpa/index.ts';
import { projectTestCi } from '../../../src/rsp/index.ts';
import { startLocalServices } from '../../../src/server/local-services.ts';
import { VirtualTransport } from '../../../src/transport/virtual/virtual-transport.ts';

describe('README library example', () => {
  it('downloads a demo profile into a software eUICC and lists it', async () => {
    const services = await startLocalServices({ smdpPort: 0, relayPort: 0 });
    try {
      // --- README example starts ---
      const euicc = createEuicc({
        identity: createTestIdentity({ curve: 'P-256', ci: projectTestCi('P-256') }),
      });
      const card = new Card(new VirtualTransport(euicc));
      const lpa = new Lpa({
        es10: () => openIsdR(card),
        es9p: new Es9pClient({
          fetch: globalThis.fetch.bind(globalThis),
          route: { kind: 'direct', overrides: { [services.smdpAddress]: services.smdpUrl } },
        }),
      });
      const code = services.activationCodes[0]!.code; // LPA:1$testsmdpplus1.example.com$...
      const result = await lpa.download({
        activationCode: code,
        confirm: (preview) => Promise.resolve(preview.metadata.profileName !== undefined),
      });
      const profiles = await lpa.listProfiles();
      // --- README example ends ---
      expect(result.iccid).toMatch(/^\d{18,20}$/);
      expect(profiles.map((p) => p.iccid)).toContain(result.iccid);
      expect(result.notification.removed).toBe(true);
    } finally {
      await services.close();
    }
  });
});
