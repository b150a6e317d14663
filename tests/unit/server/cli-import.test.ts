// `euicc import` reads certificates and keys as PEM or DER, as the README says.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestIdentity } from '../../../src/euicc/index.ts';
import { certificateToPem, encodePkcs8PrivateKey, privateKeyToPem } from '../../../src/rsp/pem.ts';
import { runCli } from '../cli-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'weblpa-cli-import-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  const { code, out } = await runCli(...args);
  return { code, json: out };
}

const identity = createTestIdentity({ curve: 'P-256', seed: 'cli-import' });
const ci = identity.trustedCis[0]!;

function write(name: string, data: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe('lpa euicc import', () => {
  it.each([
    {
      format: 'PEM',
      files: {
        euiccCert: certificateToPem(identity.euiccCert),
        eumCert: certificateToPem(identity.eumCert),
        euiccKey: privateKeyToPem(identity.euiccKey),
        ci: certificateToPem(ci),
      },
    },
    {
      format: 'DER',
      files: {
        euiccCert: identity.euiccCert,
        eumCert: identity.eumCert,
        euiccKey: encodePkcs8PrivateKey(identity.euiccKey),
        ci,
      },
    },
  ])('reads $format files and gives the certificate EID', async ({ format, files }) => {
    const state = join(dir, `${format}.json`);
    const { code, json } = await cli(
      'euicc',
      'import',
      '--state',
      state,
      '--euicc-cert',
      write(`${format}-euicc.crt`, files.euiccCert),
      '--eum-cert',
      write(`${format}-eum.crt`, files.eumCert),
      '--euicc-key',
      write(`${format}-euicc.key`, files.euiccKey),
      '--ci',
      write(`${format}-ci.crt`, files.ci),
    );
    expect(code).toBe(0);
    expect(json['eid']).toBe(identity.eid);
    const info = await cli('--state', state, 'chip', 'info');
    expect(info.code).toBe(0);
    expect(info.json['eid']).toBe(identity.eid);
  });

  it('refuses a file that is neither PEM nor DER with a message naming the field', async () => {
    const { code, json } = await cli(
      'euicc',
      'import',
      '--state',
      join(dir, 'bad.json'),
      '--euicc-cert',
      write('bad.crt', 'not a certificate'),
      '--eum-cert',
      write('eum.crt', identity.eumCert),
      '--euicc-key',
      write('key.der', encodePkcs8PrivateKey(identity.euiccKey)),
      '--ci',
      write('ci.crt', ci),
    );
    expect(code).toBe(1);
    expect(JSON.stringify(json)).toMatch(/euiccCert/);
  });
});
