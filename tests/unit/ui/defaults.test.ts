// Start-up defaults (src/ui/state/defaults.ts): the relay URL given at build time, config.json
// fetched beside the app under its base path (its relayUrl winning), then the URL query.
import { describe, it, expect } from 'vitest';
import { CONFIG_URL, loadDefaults } from '../../../src/ui/state/defaults.ts';

function configFetch(
  config: unknown,
  seen: string[] = [],
): { fetch: typeof fetch; seen: string[] } {
  const fetchFn: typeof fetch = (input) => {
    seen.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (config === undefined) return Promise.resolve(new Response('not found', { status: 404 }));
    return Promise.resolve(
      new Response(JSON.stringify(config), { headers: { 'content-type': 'application/json' } }),
    );
  };
  return { fetch: fetchFn, seen };
}

describe('loadDefaults', () => {
  it('fetches config.json under the base path the app was built for', async () => {
    // Vitest runs with the default base '/'; `vite build --base /weblpa/` gives /weblpa/config.json.
    expect(CONFIG_URL).toBe(`${import.meta.env.BASE_URL}config.json`);
    const { fetch, seen } = configFetch(undefined);
    await loadDefaults(fetch, '', { configUrl: '/weblpa/config.json' });
    expect(seen).toEqual(['/weblpa/config.json']);
  });

  it('uses the build-time relay URL when there is no config.json', async () => {
    const d = await loadDefaults(configFetch(undefined).fetch, '', {
      buildRelayUrl: 'https://relay.example.org/es9p',
    });
    expect(d.settings.relayUrl).toBe('https://relay.example.org/es9p');
    expect(d.settings.route).toBe('auto');
    expect(d.error).toBeUndefined();
  });

  it('keeps the build-time relay URL when config.json sets only overrides', async () => {
    const d = await loadDefaults(
      configFetch({ es9p: { overrides: { 'a.example': 'http://127.0.0.1:9' } } }).fetch,
      '',
      { buildRelayUrl: 'https://relay.example.org/es9p' },
    );
    expect(d.settings.relayUrl).toBe('https://relay.example.org/es9p');
    expect(d.settings.overrides).toEqual({ 'a.example': 'http://127.0.0.1:9' });
  });

  it("config.json's relayUrl wins over the build-time one, and the query over both", async () => {
    const config = { es9p: { relayUrl: 'https://run-time.example/es9p' } };
    const d = await loadDefaults(configFetch(config).fetch, '', {
      buildRelayUrl: 'https://build-time.example/es9p',
    });
    expect(d.settings.relayUrl).toBe('https://run-time.example/es9p');
    const q = await loadDefaults(configFetch(config).fetch, '?relay=https%3A%2F%2Fq.example', {
      buildRelayUrl: 'https://build-time.example/es9p',
    });
    expect(q.settings.relayUrl).toBe('https://q.example');
  });

  it('reports an unusable build-time relay URL and goes on without it', async () => {
    const d = await loadDefaults(configFetch(undefined).fetch, '', { buildRelayUrl: 'ftp://x' });
    expect(d.settings.relayUrl).toBe('');
    expect(d.error?.detail).toMatch(/relayUrl/);
  });
});
