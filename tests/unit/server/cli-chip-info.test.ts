import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'weblpa-chip-info-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI in-process, expects success and returns its JSON output. */
async function cli(...args: string[]): Promise<Record<string, unknown>> {
  const { code, out } = await runCli(...args);
  expect(code).toBe(0);
  return out;
}

type Named = { keyId: string; name: string }[];
type Info = { euiccCiPKIdListForVerification: Named; euiccCiPKIdListForSigning: Named };

describe('lpa chip info', () => {
  it("names the project's test CI of a card created for the local services", async () => {
    const state = join(dir, 'local.json');
    await cli('euicc', 'create', '--state', state, '--seed', 'chip-info');
    const out = await cli('--state', state, 'chip', 'info');
    const expected = [
      { keyId: 'F53D798D74AC1FFD958DB9A827370C8E666E9FD0', name: 'WebLPA Test CI P-256' },
    ];
    for (const info of [out['euiccInfo1'], out['euiccInfo2']] as Info[]) {
      expect(info.euiccCiPKIdListForVerification).toEqual(expected);
      expect(info.euiccCiPKIdListForSigning).toEqual(expected);
    }
  });

  it('calls a CI it does not know "unknown CI", with its key id', async () => {
    const state = join(dir, 'own.json');
    await cli('euicc', 'create', '--state', state, '--seed', 'chip-info-own', '--own-ci');
    const out = await cli('--state', state, 'chip', 'info');
    const list = (out['euiccInfo2'] as Info).euiccCiPKIdListForVerification;
    expect(list).toHaveLength(1);
    expect(list[0]!.name).toBe('unknown CI');
    expect(list[0]!.keyId).toMatch(/^[0-9A-F]{40}$/);
  });
});
