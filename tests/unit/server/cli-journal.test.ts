import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InterruptedSession } from '../../../src/lpa/index.ts';
import { fileJournal } from '../../../src/server/cli/stack.ts';

const ENTRY: InterruptedSession = {
  transactionId: 'A1B2',
  smdpAddress: 'smdp.example',
  reason: 'postponed',
  interruptedAt: '2026-01-01T00:00:00.000Z',
  cancelSessionResponse: 'BF4103810105',
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function path(): string {
  const d = mkdtempSync(join(tmpdir(), 'weblpa-journal-'));
  dirs.push(d);
  return join(d, 'card.json.sessions.json');
}

describe('the CLI journal file', () => {
  it('is absent until something is kept, and removed once empty', async () => {
    const p = path();
    const j = fileJournal(p);
    expect(await j.load()).toEqual([]);
    await j.save([ENTRY]);
    expect(JSON.parse(readFileSync(p, 'utf8'))).toEqual([ENTRY]);
    expect(await j.load()).toEqual([ENTRY]);
    await j.save([]);
    expect(existsSync(p)).toBe(false);
  });

  it('a damaged file reads as empty instead of failing every command', async () => {
    const p = path();
    writeFileSync(p, '{"transactionId":');
    expect(await fileJournal(p).load()).toEqual([]);
    writeFileSync(p, JSON.stringify([{ ...ENTRY, reason: 'nope' }, ENTRY]));
    expect(await fileJournal(p).load()).toEqual([ENTRY]);
  });
});
