/**
 * scripts/deadline.mjs, which runs the unit and browser tests: a command past its deadline is
 * stopped with its whole process group (even one blocked in a busy loop, as a native call
 * would block it), the last test it announced is named and the status is 124; a command that
 * ends in time keeps its own status and output.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../../scripts/deadline.mjs');

function run(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', fail);
    child.once('close', (code) => {
      done({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A node program: prints `lines`, then busy-waits `spinMs` on the main thread. */
function program(lines: string[], spinMs: number, exitCode = 0): string[] {
  return [
    process.execPath,
    '-e',
    `for (const l of ${JSON.stringify(lines)}) console.log(l);
     const end = Date.now() + ${spinMs}; while (Date.now() < end);
     process.exit(${exitCode});`,
  ];
}

describe('scripts/deadline.mjs', () => {
  it('stops a blocked command at its deadline, names the last test it announced, exits 124', async () => {
    const r = await run([
      '0.03',
      ...program(['# Subtest: first', '# Subtest: second, which blocks'], 60_000),
    ]);
    expect(r.code).toBe(124);
    expect(r.ms).toBeLessThan(20_000);
    expect(r.stdout).toContain('# Subtest: second, which blocks');
    expect(r.stderr).toMatch(/did not finish within 0\.03 min/);
    expect(r.stderr).toContain('The last test it announced: # Subtest: second, which blocks');
  }, 30_000);

  it('passes through a command that ends in time, with its output and its status', async () => {
    const ok = await run(['1', ...program(['all good'], 0)]);
    expect(ok).toMatchObject({ code: 0, stdout: 'all good\n', stderr: '' });
    const failed = await run(['1', ...program(['one failed'], 0, 3)]);
    expect(failed).toMatchObject({ code: 3, stdout: 'one failed\n' });
  }, 30_000);

  it('refuses a missing or bad deadline with its usage', async () => {
    const r = await run(['soon', 'true']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage: node scripts\/deadline\.mjs <minutes>/);
  });
});
