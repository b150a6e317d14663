/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { DEV_SECURITY_HEADERS, SECURITY_HEADERS } from './src/server/common/security-headers.mjs';

export default defineConfig({
  plugins: [
    svelte(),
    VitePWA({
      // Prompt mode: the app shows "a new version is ready" instead of reloading mid-operation.
      registerType: 'prompt',
      strategies: 'generateSW',
      injectRegister: false,
      includeAssets: ['icon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: 'WebLPA: eSIM profile manager',
        short_name: 'WebLPA',
        description: 'Manage the eSIM profiles on an eUICC from the browser (GSMA SGP.22 LPA).',
        theme_color: '#0b4f6c',
        background_color: '#f7f9fb',
        display: 'standalone',
        // Relative to the manifest, which sits at the base: with `vite build --base /weblpa/` the
        // app starts at and owns /weblpa/. The plugin registers <base>sw.js with the base as its
        // scope (its `base`/`scope` options default to Vite's base), so any base path works.
        start_url: './',
        scope: './',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: 'icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // The app shell only: built JS/CSS/HTML and icons. Nothing else is cached at run time, so
        // ES9+/ES11 traffic (direct, relay or overridden) and /config.json always go to the network.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        runtimeCaching: [],
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/\/config\.json$/, /\/gsma\/rsp2\//, /\/es9p\//, /\/state$/],
        cleanupOutdatedCaches: true,
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  build: { target: 'es2022', sourcemap: true },
  // Security headers (CSP, no framing, ...) on every page and file: one list in security-headers.mjs.
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: { ...SECURITY_HEADERS } },
  server: { host: '127.0.0.1', port: 5173, headers: { ...DEV_SECURITY_HEADERS } },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    // The app's texts are loaded before any test runs, as main.ts does before mounting.
    setupFiles: ['tests/unit/setup-texts.ts'],
    testTimeout: 60_000,
  },
});
