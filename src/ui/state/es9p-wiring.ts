/**
 * The ES9+/ES11 client for the UI, built per call from the current settings (route, relay URL,
 * per-address overrides), so changing the route in Settings applies to the next request. Every
 * exchange goes into the log.
 */
import { Es9pClient } from '../../es9p/index.ts';
import type { Es9pApi, Es11Api } from '../../lpa/index.ts';
import type { BackendFactory } from './app.svelte.ts';

type Ctx = Parameters<BackendFactory>[1];

export function makeEs9p(ctx: Ctx): { es9p: Es9pApi; es11: Es11Api } {
  const client = (): Es9pClient => {
    const s = ctx.settings.current;
    return new Es9pClient({
      fetch: (url, init) => ctx.env.fetch(url, init),
      route:
        s.route === 'relay' && s.relayUrl !== ''
          ? { kind: 'relay', relayUrl: s.relayUrl, overrides: s.overrides }
          : { kind: 'direct', overrides: s.overrides },
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
