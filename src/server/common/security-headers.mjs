// The security headers of every page the project serves, in one place: vite.config.ts sends them
// from `vite preview` (and so `npm start`) and, relaxed for hot reloading, from `vite dev`;
// iwa/pack.mjs puts them on every response of the Isolated Web App bundle; public/_headers carries
// them for static hosts (Netlify, Cloudflare Pages), and a unit test checks that file matches.
// Plain JavaScript so that Node runs it as is (the IWA packer); types in security-headers.d.mts.
// Regenerate public/_headers with: node src/server/common/security-headers.mjs > public/_headers
import { pathToFileURL } from 'node:url';

/**
 * Content-Security-Policy of the app. The production build has no inline script or style (Vite
 * emits files; Svelte's styles are extracted to CSS files), so 'self' is enough for both.
 * connect-src: the app's own origin (/config.json), any HTTPS SM-DP+/SM-DS or relay, and the
 * local services on this machine over plain HTTP (the test SM-DP+ on :8000 and the relay on
 * :8001 in `npm start`, on any port in tests), and the local card bridge's WebSocket on this
 * machine (ws://127.0.0.1:35980 by default, docs/bridge.md). img-src data:/blob: are profile
 * icons and QR images; media-src blob:/mediastream: the camera preview.
 */
export const CSP_DIRECTIVES = Object.freeze({
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'media-src': ["'self'", 'blob:', 'mediastream:'],
  'connect-src': [
    "'self'",
    'https:',
    'http://127.0.0.1:*',
    'http://localhost:*',
    'ws://127.0.0.1:*',
    'ws://localhost:*',
  ],
  'font-src': ["'self'"],
  'manifest-src': ["'self'"],
  'worker-src': ["'self'"],
  'frame-src': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
});

/**
 * Powerful features: the camera (QR codes), WebUSB (readers, modems), Web Serial (modems) and
 * writing to the clipboard (copy EID, copy log) for the app itself; everything else off.
 */
export const PERMISSIONS_POLICY = Object.freeze({
  camera: ['self'],
  usb: ['self'],
  serial: ['self'],
  'clipboard-write': ['self'],
  accelerometer: [],
  autoplay: [],
  'clipboard-read': [],
  'display-capture': [],
  'encrypted-media': [],
  fullscreen: [],
  geolocation: [],
  gyroscope: [],
  hid: [],
  'idle-detection': [],
  magnetometer: [],
  microphone: [],
  midi: [],
  payment: [],
  'picture-in-picture': [],
  'publickey-credentials-get': [],
  'screen-wake-lock': [],
  'xr-spatial-tracking': [],
});

/** Serialises CSP directives: "name value value; name value". */
export function serializeCsp(directives) {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

/** Serialises a Permissions-Policy (structured field dictionary): "camera=(self), usb=()". */
export function serializePermissionsPolicy(policy) {
  return Object.entries(policy)
    .map(([feature, allow]) => `${feature}=(${allow.join(' ')})`)
    .join(', ');
}

/** The headers every page and file of the app is served with. */
export const SECURITY_HEADERS = Object.freeze({
  'Content-Security-Policy': serializeCsp(CSP_DIRECTIVES),
  // For browsers without CSP frame-ancestors; both forbid framing (clickjacking).
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': serializePermissionsPolicy(PERMISSIONS_POLICY),
  'Cross-Origin-Opener-Policy': 'same-origin',
});

/**
 * The set for a server that also tells the app (through /config.json) to use services at
 * `serviceUrls`: origins connect-src does not already allow (plain HTTP beyond 127.0.0.1 and
 * localhost, e.g. `npm start` with HOST=0.0.0.0 or a LAN address) are added to it.
 */
export function securityHeadersFor(serviceUrls) {
  const extra = [];
  for (const url of serviceUrls) {
    const u = new URL(url);
    const covered =
      u.protocol === 'https:' ||
      (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost'));
    if (!covered && !extra.includes(u.origin)) extra.push(u.origin);
  }
  return {
    ...SECURITY_HEADERS,
    'Content-Security-Policy': serializeCsp({
      ...CSP_DIRECTIVES,
      'connect-src': [...CSP_DIRECTIVES['connect-src'], ...extra],
    }),
  };
}

/**
 * For `vite dev` only: Vite injects component styles as <style> elements and reloads over a
 * WebSocket, so style-src allows inline styles (connect-src already allows the dev server's
 * socket on 127.0.0.1 and localhost).
 */
export const DEV_SECURITY_HEADERS = Object.freeze({
  ...SECURITY_HEADERS,
  'Content-Security-Policy': serializeCsp({
    ...CSP_DIRECTIVES,
    'style-src': [...CSP_DIRECTIVES['style-src'], "'unsafe-inline'"],
  }),
});

/**
 * For the Isolated Web App bundle. Chrome applies its own fixed CSP (and COOP/COEP/CORP) to an
 * IWA and this policy applies on top of it; the features come from the IWA manifest's
 * permissions_policy (which adds usb-unrestricted and smart-card), so no Permissions-Policy
 * header is sent that could take them away.
 */
export const IWA_SECURITY_HEADERS = Object.freeze(
  Object.fromEntries(Object.entries(SECURITY_HEADERS).filter(([n]) => n !== 'Permissions-Policy')),
);

/** public/_headers: the same headers for every path, in the Netlify / Cloudflare Pages syntax. */
export function staticHostHeadersFile() {
  const lines = [
    '# Security headers for static hosts that read _headers (Netlify, Cloudflare Pages).',
    '# Generated from src/server/common/security-headers.mjs; do not edit by hand:',
    '#   node src/server/common/security-headers.mjs > public/_headers',
    '/*',
    ...Object.entries(SECURITY_HEADERS).map(([name, value]) => `  ${name}: ${value}`),
  ];
  return lines.join('\n') + '\n';
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(staticHostHeadersFile());
}
