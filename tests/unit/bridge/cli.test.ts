// `lpa bridge` (src/server/cli/bridge.ts) with a software eUICC behind it: what it prints, that
// a non-loopback --host is refused, that it stops on the signal; and the token file that keeps
// pages paired across restarts.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBridge } from '../../../src/server/cli/bridge.ts';
import { UsageError } from '../../../src/server/cli/json.ts';
import { FileTokenStore, MemoryTokenStore, Pairing } from '../../../src/server/bridge/pairing.ts';
import { VirtualReaderProvider } from '../../../src/server/bridge/virtual-provider.ts';
import { READER, connectClient, testEuicc } from './helpers.ts';

describe('lpa bridge', () => {
  it('prints its address, the allowed origins, the readers and the pairing code; stops on the signal', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    const provider = new VirtualReaderProvider({ [READER]: testEuicc() });
    const running = runBridge({
      port: 0,
      host: '127.0.0.1',
      origins: ['https://weblpa.example'],
      log: (l) => lines.push(l),
      signal: stop.signal,
      provider,
      tokens: new MemoryTokenStore(),
    });
    for (let i = 0; i < 100 && !lines.some((l) => l.startsWith('Pairing code:')); i++)
      await new Promise((r) => setTimeout(r, 20));
    const text = lines.join('\n');
    expect(text).toMatch(/Pairing code: \d{8}/);
    expect(text).toContain('https://weblpa.example');
    expect(text).toContain('http://localhost:4173');
    expect(text).toContain(`Readers: ${READER} (card)`);
    const url = /card bridge on (ws:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
    expect(url).toBeDefined();
    // The added origin may connect.
    const c = await connectClient(url!, 'https://weblpa.example');
    c.send({ type: 'hello', version: 1 });
    expect(await c.next()).toMatchObject({ type: 'welcome', paired: false });
    stop.abort();
    await running;
    await c.closed;
    expect(lines.at(-1)).toBe('card bridge stopped');
  });

  it('refuses to listen beyond loopback', async () => {
    await expect(
      runBridge({
        port: 0,
        host: '0.0.0.0',
        log: () => undefined,
        signal: AbortSignal.abort(),
        provider: new VirtualReaderProvider({}),
        tokens: new MemoryTokenStore(),
      }),
    ).rejects.toBeInstanceOf(UsageError);
  });
});

describe('token file', () => {
  it('keeps paired tokens (hashed, mode 0600) for the next start, for their origin only', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'weblpa-bridge-')), 'sub', 'tokens.json');
    const first = new Pairing({ tokens: new FileTokenStore(file), newCode: () => '11112222' });
    const r = first.pair('11112222', 'http://127.0.0.1:4173');
    if (!r.ok) throw new Error('pairing failed');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(r.token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const later = new Pairing({ tokens: new FileTokenStore(file) });
    expect(later.isPaired(r.token, 'http://127.0.0.1:4173')).toBe(true);
    expect(later.isPaired(r.token, 'http://localhost:4173')).toBe(false);
    expect(later.isPaired(undefined, 'http://127.0.0.1:4173')).toBe(false);
  });
});
