/**
 * The ES9+/ES11 client for the UI, built per call from the current settings (route, relay URL,
 * per-address overrides), so changing the route in Settings applies to the next request. Every
 * exchange goes into the log.
 */
import { Es9pClient, type Es9pRoute } from '../../es9p/index.ts';
import type { Es9pApi, Es11Api } from '../../lpa/index.ts';
import type { BackendFactory } from './app.svelte.ts';
import type { SettingsData } from './settings-model.ts';

type Ctx = Parameters<BackendFactory>[1];

/**
 * The ES9+ route for the settings. The relay route without a relay URL behaves as the automatic
 * one (overrides only; any other address fails with `noRelay` before a request is made) rather
 * than quietly going direct.
 */
export function routeFor(s: Pick<SettingsData, 'route' | 'relayUrl' | 'overrides'>): Es9pRoute {
  const overrides = { ...s.overrides };
  const relayUrl = s.relayUrl.trim();
  if (s.route === 'direct') return { kind: 'direct', overrides };
  if (s.route === 'relay' && relayUrl !== '') return { kind: 'relay', relayUrl, overrides };
  return relayUrl === '' ? { kind: 'auto', overrides } : { kind: 'auto', relayUrl, overrides };
}

export function makeEs9p(ctx: Ctx): { es9p: Es9pApi; es11: Es11Api } {
  const client = (): Es9pClient => {
    const s = ctx.settings.current;
    return new Es9pClient({
      fetch: (url, init) => ctx.env.fetch(url, init),
      route: routeFor(s),
      onExchange: (x) => {
        const entry: Parameters<typeof ctx.log.addHttp>[0] = {
          at: Date.now() - x.durationMs,
          durationMs: x.durationMs,
          fn: x.functionName,
          url: x.url,
          request: x.request,
          response: x.response,
        };
        if (x.status !== undefined) entry.status = x.status;
        if (x.error !== undefined) entry.error = x.error;
        ctx.log.addHttp(entry);
      },
    });
  };
  const es9p: Es9pApi = {
    initiateAuthentication: (r, s) => client().initiateAuthentication(r, s),
    authenticateClient: (r, s) => client().authenticateClient(r, s),
    getBoundProfilePackage: (r, s) => client().getBoundProfilePackage(r, s),
    handleNotification: (r, s) => client().handleNotification(r, s),
    cancelSession: (r, s) => client().cancelSession(r, s),
  };
  const es11: Es11Api = {
    initiateAuthentication: (r, s) => client().es11.initiateAuthentication(r, s),
    authenticateClient: (r, s) => client().es11.authenticateClient(r, s),
  };
  return { es9p, es11 };
}
