// Runs the CLI's main() in this process, for the tests of its commands.
import { vi } from 'vitest';
import { main } from '../../src/server/cli/main.ts';

export interface CliResult {
  code: number;
  /** The JSON answer the CLI wrote on stdout. */
  out: Record<string, unknown>;
}

/** Runs `lpa <args>` with stdout captured (and parsed as JSON) and stderr silenced. */
export async function runCli(...args: string[]): Promise<CliResult> {
  let text = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    text += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(args);
    return { code, out: JSON.parse(text) as Record<string, unknown> };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
