/// <reference types="vite-plugin-pwa/svelte" />
/// <reference types="vite-plugin-pwa/vanillajs" />

/** Build-time settings (`VITE_*` environment variables read by `vite build`). */
interface ImportMetaEnv {
  /** The ES9+ relay the app uses by default; config.json's es9p.relayUrl wins at run time. */
  readonly VITE_RELAY_URL?: string;
}
