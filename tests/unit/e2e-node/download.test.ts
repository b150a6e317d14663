import { describe, expect, it } from 'vitest';
import type { DownloadStep } from '../../../src/lpa/index.ts';
import { failure } from '../lpa/fakes.ts';
import { useServices } from './services.ts';
import { ac, makeWorld, yes } from './harness.ts';
import type { World } from './harness.ts';

const services = useServices();

async function withWorld(
  fn: (w: World) => Promise<void>,
  options: Parameters<typeof makeWorld>[1] = {},
): Promise<void> {
  const w = makeWorld(services(), options);
  try {
    await fn(w);
  } finally {
    await w.close();
  }
}

function cancellations(): number {
  return services().state().cancellations.length;
}

describe('download over real HTTP into the software eUICC', () => {
  it.each(['P-256', 'brainpoolP256r1'] as const)(
    'installs a profile (%s) and the install notification reaches the SM-DP+ verified',
    async (curve) => {
      await withWorld(
        async ({ lpa, euicc }) => {
          const r = await lpa.download({
            activationCode: ac(services(), 'WEBLPA-REUSABLE'),
            confirm: yes,
          });
          // The catalogue's 19-digit ICCID gets its Luhn digit, and a reusable order counts
          // the last payload digits up per issued profile (src/server/smdp/core.ts iccidFor).
          expect(r.iccid).toMatch(/^899900100000003\d{5}$/);
          expect(r.notification).toMatchObject({ sent: true, removed: true });
          const profiles = await lpa.listProfiles();
          expect(profiles.map((p) => [p.iccid, p.profileState, p.profileClass])).toEqual([
            [r.iccid, 'disabled', 'test'],
          ]);
          expect(await lpa.listNotifications()).toEqual([]);
          const n = services()
            .state()
            .notifications.filter((x) => x.eid === euicc.eid && x.kind === 'install');
          expect(n).toHaveLength(1);
          expect(n[0]).toMatchObject({
            iccid: r.iccid,
            verified: true,
            result: { success: true },
          });
        },
        { curve },
      );
    },
  );

  it('asks for the confirmation code only when required; right code installs', async () => {
    await withWorld(async ({ lpa }) => {
      let asked = 0;
      await lpa.download({
        activationCode: ac(services(), 'WEBLPA-CC', true),
        confirm: yes,
        confirmationCode: () => {
          asked++;
          return Promise.resolve('1234');
        },
      });
      expect(asked).toBe(1);
      await lpa
        .download({
          activationCode: ac(services(), 'WEBLPA-REUSABLE'),
          confirm: yes,
          confirmationCode: () => {
            asked++;
            return Promise.resolve('1234');
          },
        })
        .catch(() => undefined);
      expect(asked).toBe(1);
    });
  });

  it('a wrong confirmation code fails at the SM-DP+ (8.2.7) and the session is cancelled', async () => {
    await withWorld(async ({ lpa }) => {
      const before = cancellations();
      const e = await failure(
        lpa.download({
          activationCode: ac(services(), 'WEBLPA-CC', true),
          confirm: yes,
          confirmationCode: () => Promise.resolve('9999'),
        }),
      );
      expect(e.reason).toBe('es9p');
      expect(e.details['subjectCode']).toBe('8.2.7');
      expect(e.step).toBe('getBoundProfilePackage');
      expect(cancellations()).toBe(before + 1);
      expect(await lpa.listProfiles()).toEqual([]);
    });
  });

  it('no confirmation code: confirmationCodeRequired, cancelled as postponed (1) on both sides', async () => {
    await withWorld(async ({ lpa }) => {
      const e = await failure(
        lpa.download({ activationCode: ac(services(), 'WEBLPA-CC', true), confirm: yes }),
      );
      expect(e.reason).toBe('confirmationCodeRequired');
      expect(services().state().cancellations.at(-1)).toMatchObject({ reason: 1, verified: true });
    });
  });

  it('consent refused: nothing installed, endUserRejection (0) verified at the SM-DP+', async () => {
    await withWorld(async ({ lpa }) => {
      let seen: unknown;
      const e = await failure(
        lpa.download({
          activationCode: ac(services(), 'WEBLPA-REUSABLE'),
          confirm: (p) => {
            seen = p.metadata;
            return Promise.resolve(false);
          },
        }),
      );
      expect(e.reason).toBe('consentRefused');
      expect(seen).toMatchObject({ profileName: 'WebLPA Reusable', profilePolicyRules: ['ppr2'] });
      expect(services().state().cancellations.at(-1)).toMatchObject({ reason: 0, verified: true });
      expect(await lpa.listProfiles()).toEqual([]);
    });
  });

  it('unknown matching ID and a used one-time order are refused by the SM-DP+', async () => {
    await withWorld(async ({ lpa }) => {
      const unknown = await failure(
        lpa.download({ activationCode: ac(services(), 'NO-SUCH-ORDER'), confirm: yes }),
      );
      expect(unknown.reason).toBe('es9p');
      expect(unknown.details).toMatchObject({ subjectCode: '8.2.6', reasonCode: '3.8' });
      await lpa.download({ activationCode: ac(services(), 'WEBLPA-PLAIN'), confirm: yes });
    });
    await withWorld(async ({ lpa }) => {
      const used = await failure(
        lpa.download({ activationCode: ac(services(), 'WEBLPA-PLAIN'), confirm: yes }),
      );
      expect(used.reason).toBe('es9p');
      expect(used.details).toMatchObject({ subjectCode: '8.2.6', reasonCode: '3.8' });
      expect(await lpa.listProfiles()).toEqual([]);
    });
  });

  it('an activation code with an EMPTY matching ID works against a non-default SM-DP+', async () => {
    // SGP.22 §4.1: the MatchingID may be empty; the LPA still sends ctxParams1 `80 00` and the
    // eUICC then skips the default SM-DP+ address check (§5.7.13), so the server picks the
    // order by EID (here the catalogue's EID-bound order).
    await withWorld(
      async ({ lpa, euicc }) => {
        expect(euicc.state.defaultDpAddress).toBeUndefined();
        const r = await lpa.download({
          activationCode: `LPA:1$${services().smdpAddress}$`,
          confirm: yes,
        });
        expect(r.iccid).toMatch(/^899900100000006\d{5}$/);
        expect((await lpa.listProfiles()).map((p) => p.iccid)).toEqual([r.iccid]);
      },
      { eid: '89049032123451234512345678901235' },
    );
  });

  it('no matching ID at all (default SM-DP+ case) is refused by the eUICC for another server', async () => {
    await withWorld(async ({ lpa }) => {
      const e = await failure(lpa.download({ smdpAddress: services().smdpAddress, confirm: yes }));
      expect(e.reason).toBe('es10');
      expect(e.details['fn']).toBe('authenticateServer');
      expect(await lpa.listProfiles()).toEqual([]);
    });
  });

  it('a bad activation code fails before any card or network traffic', async () => {
    await withWorld(async ({ lpa }) => {
      const e = await failure(lpa.download({ activationCode: 'LPA:2$x$y', confirm: yes }));
      expect(e.reason).toBe('badActivationCode');
    });
  });

  const steps: DownloadStep[] = [
    'getEuiccChallenge',
    'initiateAuthentication',
    'authenticateServer',
    'authenticateClient',
    'consent',
    'prepareDownload',
    'getBoundProfilePackage',
    'loadBoundProfilePackage',
  ];
  it.each(steps)(
    'abort at %s: cancelled, no partial profile, the next download works',
    async (step) => {
      await withWorld(async ({ lpa, euicc }) => {
        const ac1 = new AbortController();
        const e = await failure(
          lpa.download({
            activationCode: ac(services(), 'WEBLPA-REUSABLE'),
            confirm: yes,
            signal: ac1.signal,
            onProgress: (p) => {
              if (p.step === step && !ac1.signal.aborted) ac1.abort();
            },
          }),
        );
        expect(e.reason).toBe('cancelled');
        expect(euicc.state.profiles).toEqual([]);
        await lpa.download({ activationCode: ac(services(), 'WEBLPA-REUSABLE'), confirm: yes });
        expect(euicc.state.profiles).toHaveLength(1);
      });
    },
  );

  it('abort at handleNotification: the profile is installed and its notification kept', async () => {
    await withWorld(
      async ({ lpa }) => {
        const ac1 = new AbortController();
        const r = await lpa.download({
          activationCode: ac(services(), 'WEBLPA-REUSABLE'),
          confirm: yes,
          signal: ac1.signal,
          onProgress: (p) => {
            if (p.step === 'handleNotification') ac1.abort();
          },
        });
        expect(r.notification).toMatchObject({
          sent: false,
          removed: false,
          error: { reason: 'cancelled' },
        });
        expect((await lpa.listProfiles()).map((p) => p.iccid)).toEqual([r.iccid]);
        const pending = await lpa.listNotifications();
        expect(pending).toMatchObject([{ profileManagementOperation: 'install', iccid: r.iccid }]);
        expect(await lpa.sendAllNotifications()).toMatchObject([{ sent: true, removed: true }]);
      },
      { autoSendNotifications: false },
    );
  });

  it('a network failure mid-download is reported and the session cancelled at both ends', async () => {
    let failNext = true;
    const flaky: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (failNext && url.endsWith('/getBoundProfilePackage')) {
        failNext = false;
        return Promise.reject(new TypeError('fetch failed'));
      }
      return fetch(input, init);
    };
    await withWorld(
      async ({ lpa, euicc }) => {
        const before = cancellations();
        const e = await failure(
          lpa.download({ activationCode: ac(services(), 'WEBLPA-REUSABLE'), confirm: yes }),
        );
        expect(e.reason).toBe('network');
        expect(e.step).toBe('getBoundProfilePackage');
        expect(e.cleanupErrors).toEqual([]);
        expect(cancellations()).toBe(before + 1);
        expect(euicc.state.profiles).toEqual([]);
      },
      { fetch: flaky },
    );
  });
});
