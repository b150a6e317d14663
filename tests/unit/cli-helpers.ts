// Runs the CLI's main() in this process, for the tests of its commands.
import { vi } from 'vitest';
import { main } from '../../src/server/cli/main.ts';

export interface CliResult {
  code: number;
  /** The JSON answer the CLI wrote on stdout. */
  out: Record<string, unknown>;
  /** What the CLI wrote on stderr (progress, and a failed command's explanation). */
  err: string;
}

/** Runs `lpa <args>` with stdout captured (and parsed as JSON) and stderr captured, not shown. */
export async function runCli(...args: string[]): Promise<CliResult> {
  let text = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    text += String(chunk);
    return true;
  });
  let errText = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    errText += String(chunk);
    return true;
  });
  try {
    const code = await main(args);
    return { code, out: JSON.parse(text) as Record<string, unknown>, err: errText };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
