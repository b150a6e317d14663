import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices } from '../../../src/server/local-services.ts';
import type { LocalServices } from '../../../src/server/local-services.ts';
import { runCli } from '../cli-helpers.ts';

let services: LocalServices;
let dir: string;
beforeAll(async () => {
  // The default seed: `euicc create` issues the eUICC under this PKI's CI.
  services = await startLocalServices({ smdpPort: 0, relayPort: 0 });
  dir = mkdtempSync(join(tmpdir(), 'weblpa-cli-'));
}, 60_000);
afterAll(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = runCli;

describe('CLI against the software eUICC and the local SM-DP+', () => {
  it('creates a card, downloads with consent, lists, enables, and reports errors as JSON', async () => {
    const state = join(dir, 'card.json');
    const created = await cli('euicc', 'create', '--state', state, '--seed', 'cli-1');
    expect(created.code).toBe(0);
    expect(created.out['eid']).toMatch(/^\d{32}$/);
    const again = await cli('euicc', 'create', '--state', state);
    expect(again.code).toBe(1);

    const g = ['--state', state, '--map', `${services.smdpAddress}=${services.smdpUrl}`];
    const acText = `LPA:1$${services.smdpAddress}$WEBLPA-REUSABLE`;
    const refused = await cli(...g, 'profile', 'download', '--ac', acText);
    expect(refused.code).toBe(1);
    expect(refused.out['error']).toMatchObject({
      code: 'consentRefused',
      preview: { profileName: 'WebLPA Reusable' },
    });

    const ok = await cli(...g, 'profile', 'download', '--ac', acText, '--yes');
    expect(ok.code).toBe(0);
    // 19 catalogue digits + Luhn; reusable orders count up per issued profile.
    const iccid = (ok.out['installed'] as { iccid: string }).iccid;
    expect(iccid).toMatch(/^899900100000003\d{5}$/);

    const listed = await cli(...g, 'profile', 'list');
    expect(listed.out).toMatchObject({ profiles: [{ iccid, profileState: 'disabled' }] });

    const en = await cli(...g, 'profile', 'enable', iccid);
    expect(en.out).toMatchObject({
      notifications: [{ profileManagementOperation: 'enable', sent: true }],
    });
    const twice = await cli(...g, 'profile', 'enable', iccid);
    expect(twice.code).toBe(1);
    expect(twice.out['error']).toMatchObject({
      code: 'es10',
      resultName: 'profileNotInDisabledState',
    });

    const info = await cli(...g, 'chip', 'info');
    expect(info.out['eid']).toBe(created.out['eid']);
    // The state file holds the installed profile.
    expect(readFileSync(state, 'utf8')).toContain(iccid);

    expect((await cli(...g, 'profile', 'nickname', iccid, 'Mine')).code).toBe(0);
    // Without auto-send the disable notification waits on the card until processed.
    expect((await cli(...g, '--no-notify', 'profile', 'disable', iccid)).code).toBe(0);
    // The reusable order's profile carries PPR2 (deletion not allowed).
    const del = await cli(...g, 'profile', 'delete', iccid);
    expect(del.code).toBe(1);
    expect(del.out['error']).toMatchObject({ code: 'es10', resultName: 'disallowedByPolicy' });
    type Pending = { seqNumber: number; profileManagementOperation: string }[];
    const pending = (await cli(...g, 'notification', 'list')).out['notifications'] as Pending;
    expect(pending.map((n) => n.profileManagementOperation)).toEqual(['disable']);
    const sent = await cli(...g, 'notification', 'process', '--seq', String(pending[0]!.seqNumber));
    expect(sent.out).toMatchObject({ notifications: [{ sent: true, removed: true }] });
    // ... or is removed without being sent.
    expect((await cli(...g, '--no-notify', 'profile', 'enable', iccid)).code).toBe(0);
    const next = (await cli(...g, 'notification', 'list')).out['notifications'] as Pending;
    expect(next.map((n) => n.profileManagementOperation)).toEqual(['enable']);
    const removed = await cli(...g, 'notification', 'remove', String(next[0]!.seqNumber));
    expect(removed.out).toMatchObject({ result: 'ok' });
    expect((await cli(...g, 'notification', 'list')).out).toEqual({ notifications: [] });
    const eid = created.out['eid'] as string;
    expect(
      services
        .state()
        .notifications.filter((n) => n.eid === eid && n.verified)
        .map((n) => n.kind),
    ).toEqual(['install', 'enable', 'disable']);

    // SM-DS discovery through the CLI finds an event registered for this EID.
    services.core.registerEvent({ eid, eventId: 'WEBLPA-BENCH-10K' });
    const g2 = [...g, '--map', `${services.smdsAddress}=${services.smdpUrl}`];
    const found = await cli(...g2, 'discovery', '--smds', services.smdsAddress);
    expect(found.code).toBe(0);
    expect(found.out['events']).toContainEqual({
      eventId: 'WEBLPA-BENCH-10K',
      rspServerAddress: services.smdpAddress,
    });

    const usage = await cli(...g, 'profile', 'frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.out['error']).toMatchObject({ code: 'usage' });
  });

  it('needs a confirmation code for a CC order and accepts it', async () => {
    const state = join(dir, 'cc.json');
    await cli('euicc', 'create', '--state', state, '--curve', 'brainpoolP256r1', '--seed', 'cli-2');
    const g = ['--state', state, '--map', `${services.smdpAddress}=${services.smdpUrl}`];
    const base = [
      'profile',
      'download',
      '--smdp',
      services.smdpAddress,
      '--matching-id',
      'WEBLPA-CC',
      '--yes',
    ];
    const missing = await cli(...g, ...base);
    expect(missing.out['error']).toMatchObject({ code: 'confirmationCodeRequired' });
    const ok = await cli(...g, ...base, '--confirmation-code', '1234');
    expect(ok.code).toBe(0);
    const notes = await cli(...g, 'notification', 'list');
    expect(notes.out).toEqual({ notifications: [] });
  });

  it('runs as a program (tsx): JSON on stdout, exit codes 0 / 1 / 2', async () => {
    const state = join(dir, 'proc.json');
    const root = resolve(import.meta.dirname, '../../..');
    const run = (...args: string[]): Promise<{ code: number; out: Record<string, unknown> }> =>
      new Promise((done) => {
        execFile(
          join(root, 'node_modules/.bin/tsx'),
          [join(root, 'src/server/cli/main.ts'), ...args],
          { cwd: root, timeout: 30_000 },
          (error, stdout) => {
            const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
            done({ code, out: JSON.parse(stdout) as Record<string, unknown> });
          },
        );
      });
    const [created, usage] = await Promise.all([
      run('euicc', 'create', '--state', state, '--seed', 'cli-3'),
      run('--state', state, '--bogus'),
    ]);
    expect(created.code).toBe(0);
    expect(created.out['eid']).toMatch(/^89\d{30}$/);
    expect(usage.code).toBe(2);
    expect(usage.out['error']).toMatchObject({ code: 'usage' });
    const missing = await run('--state', state, 'profile', 'enable', '89990010000000300016');
    expect(missing.code).toBe(1);
    expect(missing.out).toEqual({
      error: expect.objectContaining({
        code: 'es10',
        fn: 'enableProfile',
        resultCode: 1,
        resultName: 'iccidOrAidNotFound',
      }) as unknown,
    });
  }, 60_000);
});
