// Entry point: gathers the browser capabilities, reads defaults (/config.json and the URL
// query), restores settings, and mounts the app. The LPA layers load on first connect.
import { mount } from 'svelte';
import './ui/app.css';
import App from './ui/App.svelte';
import { AppState } from './ui/state/app.svelte.ts';
import type { BrowserEnv } from './ui/state/environment.ts';
import { openStore } from './ui/state/idb-store.ts';
import { loadDefaults } from './ui/state/defaults.ts';
import { registerServiceWorker } from './ui/state/pwa.ts';
import { resolveLanguage, setLocale } from './ui/state/i18n.svelte.ts';
import { loadMessages } from './i18n/load.ts';
import { matchLocale } from './i18n/locales.ts';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app element');

const env: BrowserEnv = {
  isSecureContext: window.isSecureContext,
  usb: 'usb' in navigator ? navigator.usb : undefined,
  serial: 'serial' in navigator ? navigator.serial : undefined,
  smartCard:
    'smartCard' in navigator ? (navigator as { smartCard?: unknown }).smartCard : undefined,
  indexedDB: 'indexedDB' in window ? window.indexedDB : undefined,
  mediaDevices: navigator.mediaDevices,
  clipboard: navigator.clipboard,
  fetch: window.fetch.bind(window),
  now: () => performance.now(),
};

// The texts are a chunk of their own: start fetching the browser's language now, alongside the
// defaults and the store; the Settings choice, when it differs, is loaded before mounting.
void loadMessages(matchLocale(navigator.languages)).catch(() => undefined);

const defaults = await loadDefaults(env.fetch, location.search);
if (defaults.kiosk) document.documentElement.classList.add('kiosk');
const store = await openStore(env.indexedDB);
let storage: Storage | undefined;
try {
  storage = window.localStorage;
} catch {
  storage = undefined;
}

const app = new AppState(env, store, storage, defaults.kiosk, async (kind, ctx) => {
  const { createBackend } = await import('./ui/state/lpa-backend.ts');
  return createBackend(kind, ctx);
});
app.settings.defaults = defaults.settings;
app.log.masked = app.settings.current.maskSecrets;
app.demoCodes = defaults.demoCodes;
if (defaults.prefillActivationCode !== undefined) {
  app.download.activationCode = defaults.prefillActivationCode;
  app.view = 'add';
}
if (defaults.error) app.error = defaults.error;

// The first render is in the user's language: its texts are loaded before mounting.
await setLocale(
  resolveLanguage(app.settings.current.language, navigator.languages),
  document.documentElement,
);

const update = registerServiceWorker(() => {
  app.updateReady = true;
});

mount(App, { target, props: { app, onUpdate: () => void update() } });

if (defaults.kiosk) {
  // Full screen needs a user gesture: take the first one.
  document.addEventListener(
    'pointerdown',
    () => {
      void document.documentElement.requestFullscreen().catch(() => undefined);
    },
    { once: true },
  );
}

// The virtual eUICC needs no permission: reconnect to it right away when it was the last choice.
// A reader or modem this page was granted before is opened without the chooser when it is
// plugged in, now or later (a kiosk then connects as soon as the reader is plugged in).
const last = app.settings.lastTransport;
if (last === 'virtual') void app.connect('virtual');
else if (last !== undefined) void app.autoConnect(last);
for (const [kind, api] of [
  ['usb', env.usb],
  ['usbModem', env.usb],
  ['serial', env.serial],
] as const) {
  api?.addEventListener('connect', () => {
    if (app.settings.lastTransport === kind) void app.autoConnect(kind);
  });
}
