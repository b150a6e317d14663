/**
 * Start-up defaults: built-in settings, then the relay URL given at build time (VITE_RELAY_URL),
 * then `config.json` next to the app (served by `npm start`; on a static host, a file the host's
 * operator may add), then the URL query. A broken config is reported, never fatal.
 */
import {
  DEFAULT_SETTINGS,
  mergeSettings,
  parseConfig,
  parsePartialSettings,
  parseQuery,
  type AppDefaults,
} from './settings-model.ts';
import { describeError, type ErrorView } from './errors.ts';

/** The relay URL the app was built with (`VITE_RELAY_URL=https://... npm run build`), or ''. */
export const BUILD_RELAY_URL: string = import.meta.env.VITE_RELAY_URL ?? '';

/**
 * Where config.json is: beside index.html under the base path the app was built for
 * (`vite build --base /weblpa/` gives `/weblpa/config.json`), whatever the page's own path.
 */
export const CONFIG_URL = `${import.meta.env.BASE_URL}config.json`;

export interface LoadDefaultsOptions {
  /** Default BUILD_RELAY_URL. */
  buildRelayUrl?: string;
  /** Default CONFIG_URL. */
  configUrl?: string;
}

export async function loadDefaults(
  fetchFn: typeof fetch,
  search: string,
  options: LoadDefaultsOptions = {},
): Promise<AppDefaults & { error?: ErrorView }> {
  let settings = DEFAULT_SETTINGS;
  let demoCodes: AppDefaults['demoCodes'] = [];
  let error: ErrorView | undefined;
  const buildRelayUrl = options.buildRelayUrl ?? BUILD_RELAY_URL;
  if (buildRelayUrl.trim() !== '') {
    try {
      settings = mergeSettings(settings, parsePartialSettings({ relayUrl: buildRelayUrl }));
    } catch (e) {
      error = describeError(e);
    }
  }
  try {
    const res = await fetchFn(options.configUrl ?? CONFIG_URL, { cache: 'no-store' });
    const type = res.headers.get('content-type') ?? '';
    if (res.ok && type.includes('json')) {
      const config = parseConfig(await res.json());
      settings = mergeSettings(settings, config.settings);
      demoCodes = config.demoCodes;
    }
  } catch (e) {
    // Offline or no config server: the built-in defaults apply. A config that is present but
    // invalid is worth telling the user about.
    if (e instanceof Error && e.name === 'SettingsError') error = describeError(e);
  }
  let kiosk = false;
  let prefill: string | undefined;
  try {
    const q = parseQuery(search);
    settings = mergeSettings(settings, q.settings);
    kiosk = q.kiosk;
    prefill = q.activationCode;
  } catch (e) {
    error = describeError(e);
  }
  const out: AppDefaults & { error?: ErrorView } = { settings, demoCodes, kiosk };
  if (prefill !== undefined) out.prefillActivationCode = prefill;
  if (error) out.error = error;
  return out;
}
