/**
 * The app's settings as plain data: defaults, validation, merging and the JSON shape used by
 * export/import and by `/config.json`. Pure code (no DOM), unit-tested.
 *
 * The defaults come, each over the one before, from: the built-in values; the relay URL given
 * at build time (VITE_RELAY_URL); `config.json` next to the app (served by `npm start`, or put
 * there by whoever hosts the app; optional); the URL query:
 *
 *   { "es9p": { "relayUrl": "https://relay.example.org", "route": "auto",
 *               "overrides": { "testsmdpplus1.example.com": "http://127.0.0.1:8000" } },
 *     "settings": { ...any SettingsData field... },
 *     "demoActivationCodes": [ { "label": "Plain profile", "code": "LPA:1$..." } ] }
 *
 *   ?relay=<url>  ?route=auto|direct|relay  ?override=<address>=<url> (repeatable)  ?kiosk=1
 *   ?ac=<activation code> (prefills the add-profile form)
 *
 * What the user saves wins over those defaults, field by field; per-address overrides are merged
 * (the user's entry for an address wins).
 */

import type { NotificationEventName } from '../../es10/tags.ts';
import { DEFAULT_NOTIFICATION_POLICY, NOTIFICATION_KINDS } from '../../lpa/notification-policy.ts';
import type { NotificationPolicy } from '../../lpa/notification-policy.ts';
import { isLocale, type Locale } from '../../i18n/locales.ts';

/**
 * How ES9+/ES11 requests reach an SM-DP+/SM-DS (see src/es9p/endpoint.ts):
 * - `auto`: addresses with an override go there, all others through the relay (the default:
 *   real SM-DP+ servers send no CORS headers, so a web page can only reach them via a relay);
 * - `direct`: straight to `https://<address>` unless overridden;
 * - `relay`: through the relay unless overridden.
 */
export type Es9pRouteKind = 'auto' | 'direct' | 'relay';

export const ES9P_ROUTE_KINDS: readonly Es9pRouteKind[] = ['auto', 'direct', 'relay'];

export function isRouteKind(value: unknown): value is Es9pRouteKind {
  return (ES9P_ROUTE_KINDS as readonly unknown[]).includes(value);
}
/**
 * The kinds of link to an eUICC: the software eUICC, a WebUSB CCID reader, a Web Serial AT
 * modem, a reader behind the system's smart card service (Web Smart Card API), or a PC/SC
 * reader through the local card bridge (docs/bridge.md).
 */
export type TransportKind = 'virtual' | 'usb' | 'serial' | 'usbModem' | 'smartcard' | 'bridge';

export const TRANSPORT_KINDS: readonly TransportKind[] = [
  'virtual',
  'usb',
  'serial',
  'usbModem',
  'smartcard',
  'bridge',
];

/** Whether a stored value names a link kind (e.g. the last one used, read back from storage). */
export function isTransportKind(value: unknown): value is TransportKind {
  return (TRANSPORT_KINDS as readonly unknown[]).includes(value);
}

/** The colour theme: the system's choice, or one fixed by the user. */
export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/** The app's language: one of the supported ones, or the browser's preference ("system"). */
export type LanguageChoice = 'system' | Locale;

export interface SettingsData {
  /** How ES9+/ES11 requests reach an SM-DP+/SM-DS that has no override. */
  route: Es9pRouteKind;
  relayUrl: string;
  /** Address (FQDN[:port]) -> base URL, consulted before the route. */
  overrides: Record<string, string>;
  /** Type Allocation Code sent in DeviceInfo: 8 digits. */
  tac: string;
  /** Optional IMEI sent in DeviceInfo: 15 or 16 digits, or empty. */
  imei: string;
  /** ISD-R AID in hex; empty means probe the known AIDs. */
  isdrAid: string;
  /** Largest STORE DATA block; 0 means the link's own maximum. */
  storeDataBlock: number;
  /** Per kind, whether the notification an operation creates is sent right after it. */
  notificationPolicy: NotificationPolicy;
  /** Light or dark colours, or whatever the system prefers. */
  theme: ThemeChoice;
  /** The language of the app's texts and formats. */
  language: LanguageChoice;
  /** Mask matching IDs and confirmation codes in the log. */
  maskSecrets: boolean;
  /** SM-DS used for discovery; empty means the eUICC's root SM-DS (EUICCInfo BF3C). */
  smdsAddress: string;
}

export const DEFAULT_SETTINGS: SettingsData = {
  route: 'auto',
  relayUrl: '',
  overrides: {},
  // 35290611 is the TAC of a generic test handset range; any 8 digits are accepted.
  tac: '35290611',
  imei: '',
  isdrAid: '',
  storeDataBlock: 0,
  notificationPolicy: DEFAULT_NOTIFICATION_POLICY,
  theme: 'system',
  language: 'system',
  maskSecrets: true,
  smdsAddress: '',
};

/**
 * What a SettingsError is about: a field of SettingsData, an older field still read on import
 * (`autoSendNotifications`), or the document as a whole (`settings`, `config`, `file`). The
 * Settings view turns it into a text in the user's language; the message stays English for the
 * log.
 */
export type SettingsField =
  keyof SettingsData | 'autoSendNotifications' | 'settings' | 'config' | 'file';

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(
    readonly field: SettingsField,
    message: string,
  ) {
    super(message);
  }
}

export interface DemoCode {
  label: string;
  code: string;
}

export interface AppDefaults {
  settings: SettingsData;
  demoCodes: DemoCode[];
  kiosk: boolean;
  prefillActivationCode?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkUrl(field: 'relayUrl' | 'overrides', value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') return '';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new SettingsError(field, `${field}: "${trimmed}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new SettingsError(field, `${field}: only http and https URLs are allowed`);
  return trimmed.replace(/\/+$/, '');
}

const ADDRESS = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;

export function checkAddress(field: SettingsField, value: string): string {
  const trimmed = value.trim().toLowerCase();
  if (!ADDRESS.test(trimmed))
    throw new SettingsError(
      field,
      `${field}: "${value}" is not a host name (FQDN, optional :port)`,
    );
  return trimmed;
}

/**
 * Validates one partial settings object (from import, config.json or the form). Unknown keys are
 * ignored; a bad value throws SettingsError naming the field, so nothing is half-applied.
 */
export function parsePartialSettings(input: unknown): Partial<SettingsData> {
  if (!isRecord(input)) throw new SettingsError('settings', 'settings must be a JSON object');
  const out: Partial<SettingsData> = {};
  if ('route' in input) {
    if (!isRouteKind(input.route))
      throw new SettingsError('route', 'route must be "auto", "direct" or "relay"');
    out.route = input.route;
  }
  if ('relayUrl' in input) {
    if (typeof input.relayUrl !== 'string')
      throw new SettingsError('relayUrl', 'relayUrl must be a string');
    out.relayUrl = checkUrl('relayUrl', input.relayUrl);
  }
  if ('overrides' in input) {
    if (!isRecord(input.overrides))
      throw new SettingsError('overrides', 'overrides must map addresses to URLs');
    const map: Record<string, string> = {};
    for (const [address, url] of Object.entries(input.overrides)) {
      if (typeof url !== 'string')
        throw new SettingsError('overrides', `override for ${address} must be a URL string`);
      map[checkAddress('overrides', address)] = checkUrl('overrides', url);
    }
    out.overrides = map;
  }
  if ('tac' in input) {
    if (typeof input.tac !== 'string' || !/^\d{8}$/.test(input.tac))
      throw new SettingsError('tac', 'TAC must be exactly 8 digits');
    out.tac = input.tac;
  }
  if ('imei' in input) {
    if (typeof input.imei !== 'string' || !/^(\d{15,16})?$/.test(input.imei))
      throw new SettingsError('imei', 'IMEI must be 15 or 16 digits (or empty)');
    out.imei = input.imei;
  }
  if ('isdrAid' in input) {
    if (typeof input.isdrAid !== 'string' || !/^([0-9a-f]{10,32})?$/i.test(input.isdrAid))
      throw new SettingsError('isdrAid', 'ISD-R AID must be 5 to 16 bytes of hex (or empty)');
    if (input.isdrAid.length % 2 !== 0)
      throw new SettingsError('isdrAid', 'ISD-R AID must have an even number of hex digits');
    out.isdrAid = input.isdrAid.toUpperCase();
  }
  if ('storeDataBlock' in input) {
    const n = input.storeDataBlock;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 255 || (n > 0 && n < 16))
      throw new SettingsError('storeDataBlock', 'STORE DATA block size must be 0 (auto) or 16-255');
    out.storeDataBlock = n;
  }
  if ('smdsAddress' in input) {
    if (typeof input.smdsAddress !== 'string')
      throw new SettingsError('smdsAddress', 'SM-DS address must be a string');
    out.smdsAddress =
      input.smdsAddress.trim() === '' ? '' : checkAddress('smdsAddress', input.smdsAddress);
  }
  if ('maskSecrets' in input) {
    if (typeof input.maskSecrets !== 'boolean')
      throw new SettingsError('maskSecrets', 'maskSecrets must be true or false');
    out.maskSecrets = input.maskSecrets;
  }
  if ('theme' in input) {
    if (!(THEME_CHOICES as readonly unknown[]).includes(input.theme))
      throw new SettingsError('theme', 'theme must be "system", "light" or "dark"');
    out.theme = input.theme as ThemeChoice;
  }
  if ('language' in input) {
    if (input.language !== 'system' && !isLocale(input.language))
      throw new SettingsError('language', 'language must be "system" or a supported language tag');
    out.language = input.language;
  }
  if ('notificationPolicy' in input) {
    out.notificationPolicy = parseNotificationPolicy(input.notificationPolicy);
  } else if ('autoSendNotifications' in input) {
    // Settings saved before the policy per kind: one switch for every kind.
    const v = input.autoSendNotifications;
    if (typeof v !== 'boolean')
      throw new SettingsError(
        'autoSendNotifications',
        'autoSendNotifications must be true or false',
      );
    // Off meant: operations keep theirs, a download still sends its installation result.
    const action = v ? 'send' : 'keep';
    out.notificationPolicy = { install: 'send', enable: action, disable: action, delete: action };
  }
  return out;
}

/** A policy object: each kind "send" or "keep"; kinds left out keep the default. */
function parseNotificationPolicy(input: unknown): NotificationPolicy {
  if (!isRecord(input))
    throw new SettingsError('notificationPolicy', 'notificationPolicy must be a JSON object');
  const out: NotificationPolicy = { ...DEFAULT_NOTIFICATION_POLICY };
  for (const [kind, action] of Object.entries(input)) {
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind))
      throw new SettingsError(
        'notificationPolicy',
        `notificationPolicy: "${kind}" is not a kind of notification (install, enable, disable, delete)`,
      );
    if (action !== 'send' && action !== 'keep')
      throw new SettingsError(
        'notificationPolicy',
        `notificationPolicy.${kind} must be "send" or "keep"`,
      );
    out[kind as NotificationEventName] = action;
  }
  return out;
}

export function mergeSettings(base: SettingsData, over: Partial<SettingsData>): SettingsData {
  return {
    ...base,
    ...over,
    overrides: { ...base.overrides, ...(over.overrides ?? {}) },
  };
}

/** Reads `/config.json`'s shape (see the header comment). Bad parts throw SettingsError. */
export function parseConfig(input: unknown): {
  settings: Partial<SettingsData>;
  demoCodes: DemoCode[];
} {
  if (!isRecord(input)) throw new SettingsError('config', 'config.json must be a JSON object');
  let settings: Partial<SettingsData> = {};
  if ('settings' in input) settings = parsePartialSettings(input.settings);
  if (isRecord(input.es9p)) {
    const es9p: Record<string, unknown> = {};
    for (const k of ['relayUrl', 'overrides', 'route'] as const)
      if (k in input.es9p) es9p[k] = input.es9p[k];
    // Only what the file sets: a field it leaves out keeps the value from before (built in or
    // given at build time, e.g. the relay URL).
    const fromEs9p = parsePartialSettings(es9p);
    const overrides =
      settings.overrides === undefined && fromEs9p.overrides === undefined
        ? {}
        : { overrides: { ...settings.overrides, ...fromEs9p.overrides } };
    settings = { ...settings, ...fromEs9p, ...overrides };
  }
  const demoCodes: DemoCode[] = [];
  if (Array.isArray(input.demoActivationCodes)) {
    for (const entry of input.demoActivationCodes) {
      if (isRecord(entry) && typeof entry.label === 'string' && typeof entry.code === 'string')
        demoCodes.push({ label: entry.label, code: entry.code });
    }
  }
  return { settings, demoCodes };
}

/** What `npm start` knows about the local services it started (src/server/local-services.ts). */
export interface LocalServicesInfo {
  smdpAddress: string;
  smdpUrl: string;
  smdsAddress: string;
  relayUrl: string;
  activationCodes: DemoCode[];
}

/**
 * The `/config.json` that `npm start` (and the browser journeys) serve: the local SM-DP+ and
 * SM-DS addresses routed to the one local server, the relay URL (the automatic route sends every
 * other address there), the SM-DS for discovery, and the demo codes shown as one-click examples.
 * parseConfig reads it back; the unit tests pin that round trip.
 */
export function localServicesConfig(s: LocalServicesInfo): {
  es9p: { overrides: Record<string, string>; relayUrl: string };
  settings: { smdsAddress: string };
  demoActivationCodes: DemoCode[];
} {
  return {
    es9p: {
      overrides: { [s.smdpAddress]: s.smdpUrl, [s.smdsAddress]: s.smdpUrl },
      relayUrl: s.relayUrl,
    },
    settings: { smdsAddress: s.smdsAddress },
    demoActivationCodes: s.activationCodes.map((c) => ({ label: c.label, code: c.code })),
  };
}

/** Reads the URL query's settings (see the header comment). */
export function parseQuery(search: string): {
  settings: Partial<SettingsData>;
  kiosk: boolean;
  activationCode?: string;
} {
  const q = new URLSearchParams(search);
  const raw: Record<string, unknown> = {};
  const relay = q.get('relay');
  if (relay !== null) {
    raw.relayUrl = relay;
    raw.route = 'relay';
  }
  const route = q.get('route');
  if (route !== null) raw.route = route;
  const overrides: Record<string, string> = {};
  for (const o of q.getAll('override')) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new SettingsError('overrides', `override "${o}" must be address=url`);
    overrides[o.slice(0, eq)] = o.slice(eq + 1);
  }
  if (Object.keys(overrides).length > 0) raw.overrides = overrides;
  const kiosk = q.get('kiosk') === '1' || q.get('kiosk') === 'true';
  const ac = q.get('ac');
  const settings = parsePartialSettings(raw);
  return ac === null ? { settings, kiosk } : { settings, kiosk, activationCode: ac };
}

/** The JSON document "Export settings" produces and "Import settings" reads. */
export function exportSettingsJson(settings: SettingsData): string {
  return JSON.stringify({ weblpaSettings: 1, settings }, null, 2);
}

export function importSettingsJson(text: string): Partial<SettingsData> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SettingsError('file', 'the file is not JSON');
  }
  if (isRecord(parsed) && 'weblpaSettings' in parsed) return parsePartialSettings(parsed.settings);
  return parsePartialSettings(parsed);
}
