import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/server/cli/main.ts';
import { startLocalServices } from '../../../src/server/local-services.ts';
import type { LocalServices } from '../../../src/server/local-services.ts';

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

async function cli(...args: string[]): Promise<{ code: number; out: Record<string, unknown> }> {
  let text = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    text += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(args);
    return { code, out: JSON.parse(text) as Record<string, unknown> };
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
}

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
    expect(ok.out).toMatchObject({ installed: { iccid: '8999001000000030001' } });

    const listed = await cli(...g, 'profile', 'list');
    expect(listed.out).toMatchObject({
      profiles: [{ iccid: '8999001000000030001', profileState: 'disabled' }],
    });

    const en = await cli(...g, 'profile', 'enable', '8999001000000030001');
    expect(en.out).toMatchObject({
      notifications: [{ profileManagementOperation: 'enable', sent: true }],
    });
    const twice = await cli(...g, 'profile', 'enable', '8999001000000030001');
    expect(twice.code).toBe(1);
    expect(twice.out['error']).toMatchObject({
      code: 'es10',
      resultName: 'profileNotInDisabledState',
    });

    const info = await cli(...g, 'chip', 'info');
    expect(info.out['eid']).toBe(created.out['eid']);

    // The state file holds the installed profile.
    expect(readFileSync(state, 'utf8')).toContain('8999001000000030001');

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
});
