/**
 * Settings as rune state: defaults (built in, then /config.json, then the URL query) under what
 * the user saved (localStorage). Only the user's own changes are stored.
 */
import {
  DEFAULT_SETTINGS,
  isTransportKind,
  mergeSettings,
  parsePartialSettings,
  type SettingsData,
  type TransportKind,
} from './settings-model.ts';

const STORAGE_KEY = 'weblpa.settings';
const TRANSPORT_KEY = 'weblpa.transport';

export class Settings {
  defaults: SettingsData = $state(DEFAULT_SETTINGS);
  user: Partial<SettingsData> = $state({});
  readonly current: SettingsData = $derived(mergeSettings(this.defaults, this.user));
  /** The link chosen last time (remembered across visits). */
  lastTransport: TransportKind | undefined = $state();
  readonly #storage: Storage | undefined;

  constructor(storage: Storage | undefined) {
    this.#storage = storage;
    const kind = storage?.getItem(TRANSPORT_KEY);
    if (isTransportKind(kind)) this.lastTransport = kind;
    const saved = storage?.getItem(STORAGE_KEY);
    if (saved) {
      try {
        this.user = parsePartialSettings(JSON.parse(saved));
      } catch {
        // A stored value this version cannot read is dropped rather than blocking the app.
        this.user = {};
      }
    }
  }

  /** Validates then applies a change; throws SettingsError and changes nothing on bad input. */
  update(change: Partial<SettingsData>): void {
    const checked = parsePartialSettings(change);
    this.user = { ...this.user, ...checked };
    this.#save();
  }

  replaceUser(values: Partial<SettingsData>): void {
    this.user = parsePartialSettings(values);
    this.#save();
  }

  resetToDefaults(): void {
    this.user = {};
    this.#storage?.removeItem(STORAGE_KEY);
  }

  rememberTransport(kind: TransportKind | undefined): void {
    this.lastTransport = kind;
    if (kind === undefined) this.#storage?.removeItem(TRANSPORT_KEY);
    else this.#storage?.setItem(TRANSPORT_KEY, kind);
  }

  #save(): void {
    this.#storage?.setItem(STORAGE_KEY, JSON.stringify(this.user));
  }
}
