/**
 * Start-up defaults: built-in settings, then `/config.json` (served by `npm start`; absent on a
 * static host), then the URL query. A broken config is reported, never fatal.
 */
import {
  DEFAULT_SETTINGS,
  mergeSettings,
  parseConfig,
  parseQuery,
  type AppDefaults,
} from './settings-model.ts';
import { describeError, type ErrorView } from './errors.ts';

export async function loadDefaults(
  fetchFn: typeof fetch,
  search: string,
): Promise<AppDefaults & { error?: ErrorView }> {
  let settings = DEFAULT_SETTINGS;
  let demoCodes: AppDefaults['demoCodes'] = [];
  let error: ErrorView | undefined;
  try {
    const res = await fetchFn('./config.json', { cache: 'no-store' });
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
