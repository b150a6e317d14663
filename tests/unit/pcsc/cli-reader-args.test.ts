import { describe, expect, it } from 'vitest';
import { optionalValues } from '../../../src/server/cli/main.ts';
import { runCli } from '../cli-helpers.ts';

const cli = runCli;

function usage(r: { code: number; out: Record<string, unknown> }): string {
  expect(r.code).toBe(2);
  const error = r.out['error'] as { code: string; message: string };
  expect(error.code).toBe('usage');
  return error.message;
}

describe('the command line of --reader and the long-running commands', () => {
  it('refuses what does not go together, before touching PC/SC', async () => {
    expect(usage(await cli('--reader', '0', 'euicc', 'create'))).toContain('give --state');
    expect(usage(await cli('--reader', '0', '--state', 'x.json', 'chip', 'info'))).toContain(
      'either --state or --reader',
    );
    expect(usage(await cli('chip', 'info'))).toContain('--state <file> or --reader');
    expect(usage(await cli('--state', 'x.json', '--exclusive', 'chip', 'info'))).toContain(
      '--exclusive goes with --reader',
    );
    expect(usage(await cli('reader', 'frob'))).toContain('unknown reader command');
    expect(usage(await cli('euicc', 'serve', '--vpcd'))).toContain('needs --state');
    expect(usage(await cli('euicc', 'serve', '--state', 'x.json'))).toContain('needs --vpcd');
    expect(usage(await cli('bridge', '--port', 'http'))).toContain('--port wants a TCP port');
  });

  it('--vpcd takes an optional address', () => {
    expect(optionalValues(['euicc', 'serve', '--vpcd', '--state', 'f'])).toEqual([
      'euicc',
      'serve',
      '--vpcd=',
      '--state',
      'f',
    ]);
    expect(optionalValues(['euicc', 'serve', '--state', 'f', '--vpcd'])).toEqual([
      'euicc',
      'serve',
      '--state',
      'f',
      '--vpcd=',
    ]);
    expect(optionalValues(['--vpcd', 'localhost:35963'])).toEqual(['--vpcd', 'localhost:35963']);
  });
});
