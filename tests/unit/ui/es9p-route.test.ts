// The app's ES9+ route (src/ui/state/es9p-wiring.ts, settings-model.ts, settings.svelte.ts): the
// automatic route is the default for new users, a saved "direct" stays, and a download to an
// address without override and without relay fails before any request with advice that says
// what to set and where (src/ui/state/errors.ts).
import { describe, it, expect } from 'vitest';
import { Card, openIsdR } from '../../../src/apdu/index.ts';
import { createEuicc, createTestIdentity } from '../../../src/euicc/index.ts';
import { Lpa } from '../../../src/lpa/index.ts';
import { projectTestCi } from '../../../src/rsp/index.ts';
import { VirtualTransport } from '../../../src/transport/virtual/virtual-transport.ts';
import type { BackendFactory } from '../../../src/ui/state/app.svelte.ts';
import { describeError } from '../../../src/ui/state/errors.ts';
import { en } from '../../../src/i18n/index.ts';
import { makeEs9p, routeFor } from '../../../src/ui/state/es9p-wiring.ts';
import { Settings } from '../../../src/ui/state/settings.svelte.ts';
import {
  DEFAULT_SETTINGS,
  mergeSettings,
  type SettingsData,
} from '../../../src/ui/state/settings-model.ts';

type Ctx = Parameters<BackendFactory>[1];

const LOCAL = { 'testsmdpplus1.example.com': 'http://127.0.0.1:8000' };

class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
}

describe('routeFor: the route the settings give', () => {
  const base = { overrides: LOCAL };
  it.each<[Pick<SettingsData, 'route' | 'relayUrl'>, unknown]>([
    [
      { route: 'auto', relayUrl: 'https://relay.example.org/es9p' },
      { kind: 'auto', relayUrl: 'https://relay.example.org/es9p', overrides: LOCAL },
    ],
    [
      { route: 'auto', relayUrl: '' },
      { kind: 'auto', overrides: LOCAL },
    ],
    [
      { route: 'direct', relayUrl: 'https://r.example' },
      { kind: 'direct', overrides: LOCAL },
    ],
    [
      { route: 'relay', relayUrl: 'https://r.example' },
      { kind: 'relay', relayUrl: 'https://r.example', overrides: LOCAL },
    ],
    // The relay route without a relay never quietly goes direct.
    [
      { route: 'relay', relayUrl: ' ' },
      { kind: 'auto', overrides: LOCAL },
    ],
  ])('%j', (s, expected) => {
    expect(routeFor({ ...base, ...s })).toEqual(expected);
  });
});

describe('the route setting', () => {
  it('is Automatic for a new user', () => {
    const settings = new Settings(new MemoryStorage());
    expect(DEFAULT_SETTINGS.route).toBe('auto');
    expect(settings.current.route).toBe('auto');
  });

  it('stays Direct for a user who saved it', () => {
    const storage = new MemoryStorage();
    storage.setItem('weblpa.settings', JSON.stringify({ route: 'direct', tac: '35290611' }));
    const settings = new Settings(storage);
    settings.defaults = mergeSettings(DEFAULT_SETTINGS, { relayUrl: 'https://r.example' });
    expect(settings.current.route).toBe('direct');
  });

  it('saves and reads back "auto"', () => {
    const storage = new MemoryStorage();
    const first = new Settings(storage);
    first.update({ route: 'direct' });
    first.update({ route: 'auto' });
    expect(new Settings(storage).current.route).toBe('auto');
  });
});

describe('a download on the automatic route', () => {
  function setup(settings: SettingsData) {
    const requested: string[] = [];
    const ctx = {
      env: {
        fetch: (url: string) => {
          requested.push(url);
          return Promise.reject(new TypeError('Failed to fetch'));
        },
      },
      settings: { current: settings },
      log: { addHttp: () => undefined },
    } as unknown as Ctx;
    const { es9p, es11 } = makeEs9p(ctx);
    const euicc = createEuicc({
      identity: createTestIdentity({ curve: 'P-256', ci: projectTestCi('P-256') }),
    });
    const card = new Card(new VirtualTransport(euicc));
    const lpa = new Lpa({ es10: () => openIsdR(card), es9p, es11, cleanupTimeoutMs: 1000 });
    return { lpa, requested };
  }

  async function failure(p: Promise<unknown>): Promise<unknown> {
    try {
      await p;
    } catch (e) {
      return e;
    }
    throw new Error('the download did not fail');
  }

  it('without a relay: fails before any request, and the advice says what to set and where', async () => {
    const { lpa, requested } = setup(
      mergeSettings(DEFAULT_SETTINGS, { route: 'auto', relayUrl: '', overrides: LOCAL }),
    );
    const error = await failure(
      lpa.download({
        activationCode: 'LPA:1$smdp.operator.example$ORDER-1',
        confirm: () => Promise.resolve(true),
      }),
    );
    expect(requested).toEqual([]);
    const view = describeError(error);
    expect(view.title).toBe(en.errors.es9pTransport.noRelay.title);
    expect(view.codes).toContain('Es9pTransportError noRelay');
    expect(view.advice).toMatch(/Settings/);
    expect(view.advice).toMatch(/relay URL/);
    expect(view.advice).toMatch(/"relayUrl" under "es9p" in the app’s config\.json/);
  });

  it('with a relay: the request goes to the relay; an overridden address goes to its override', async () => {
    const { lpa, requested } = setup(
      mergeSettings(DEFAULT_SETTINGS, {
        route: 'auto',
        relayUrl: 'http://127.0.0.1:8001/es9p',
        overrides: LOCAL,
      }),
    );
    await failure(
      lpa.download({
        activationCode: 'LPA:1$smdp.operator.example$ORDER-1',
        confirm: () => Promise.resolve(true),
      }),
    );
    await failure(
      lpa.download({
        activationCode: 'LPA:1$testsmdpplus1.example.com$ORDER-2',
        confirm: () => Promise.resolve(true),
      }),
    );
    expect(requested).toEqual([
      'http://127.0.0.1:8001/es9p/smdp.operator.example/gsma/rsp2/es9plus/initiateAuthentication',
      'http://127.0.0.1:8000/gsma/rsp2/es9plus/initiateAuthentication',
    ]);
  });
});
