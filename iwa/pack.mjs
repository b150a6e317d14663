// Packs a built web app directory into a Signed Web Bundle for an Isolated Web App: a web bundle
// (wbn, format b2) with the IWA manifest at /.well-known/manifest.webmanifest, signed with an
// Ed25519 key in an integrity block (wbn-sign). Node only; used by scripts/build-iwa.mjs.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { BundleBuilder } from 'wbn';
import {
  IntegrityBlockSigner,
  NodeCryptoSigningStrategy,
  WebBundleId,
  parsePemKey,
} from 'wbn-sign';
import { IWA_SECURITY_HEADERS } from '../src/server/common/security-headers.mjs';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.y4m': 'application/octet-stream',
};

export const IWA_MANIFEST_PATH = '/.well-known/manifest.webmanifest';

/**
 * What the IWA may use. "usb-unrestricted" lifts Chrome's protected-class block for smart-card
 * readers; "smart-card" enables the Web Smart Card API (navigator.smartCard: readers through the
 * system's PC/SC service, ChromeOS M143+); the others keep WebUSB, Web Serial and the camera
 * (QR codes) usable inside the app's isolated origin.
 */
export const IWA_PERMISSIONS_POLICY = {
  'usb-unrestricted': ['self'],
  usb: ['self'],
  serial: ['self'],
  'smart-card': ['self'],
  camera: ['self'],
  'cross-origin-isolated': ['self'],
};

/** The IWA manifest, taking name/icons/colours from the PWA manifest when there is one. */
export function iwaManifest(pwaManifest = {}, version = '0.0.0') {
  return {
    name: pwaManifest.name ?? 'WebLPA',
    short_name: pwaManifest.short_name ?? 'WebLPA',
    description: pwaManifest.description ?? 'GSMA SGP.22 Local Profile Assistant',
    id: '/',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    version,
    isolated: true,
    icons: pwaManifest.icons ?? [],
    theme_color: pwaManifest.theme_color ?? '#1a4d8f',
    background_color: pwaManifest.background_color ?? '#ffffff',
    permissions_policy: IWA_PERMISSIONS_POLICY,
  };
}

/** Web bundle response header names are lower case. */
function lowerCaseKeys(headers) {
  return Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v]));
}

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

/** The signing key: PEM text from IWA_SIGNING_KEY, else a dev key kept in `devKeyFile` (made once). */
export function loadSigningKey({ env = process.env, devKeyFile }) {
  if (env.IWA_SIGNING_KEY)
    return { key: parsePemKey(env.IWA_SIGNING_KEY), source: 'IWA_SIGNING_KEY' };
  if (!existsSync(devKeyFile)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(dirname(devKeyFile), { recursive: true });
    writeFileSync(devKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return { key: parsePemKey(readFileSync(devKeyFile, 'utf8')), source: devKeyFile };
}

/**
 * Packs `appDir` into a signed web bundle at `outFile`. Returns the Web Bundle ID and the
 * isolated-app:// origin the app will have.
 */
export async function packIwa({ appDir, outFile, key, version }) {
  const builder = new BundleBuilder('b2');
  let pwa = {};
  const pwaFile = join(appDir, 'manifest.webmanifest');
  if (existsSync(pwaFile)) pwa = JSON.parse(readFileSync(pwaFile, 'utf8'));
  const manifest = iwaManifest(pwa, version);
  for (const file of walk(appDir)) {
    const url = '/' + relative(appDir, file).split(sep).join('/');
    // _headers is the static-host copy of the headers every exchange below carries.
    if (url === IWA_MANIFEST_PATH || url === '/_headers') continue;
    const headers = {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      ...lowerCaseKeys(IWA_SECURITY_HEADERS),
    };
    const body = readFileSync(file);
    builder.addExchange(url, 200, headers, body);
    if (url === '/index.html') builder.addExchange('/', 200, headers, body);
  }
  builder.addExchange(
    IWA_MANIFEST_PATH,
    200,
    { 'content-type': 'application/manifest+json' },
    JSON.stringify(manifest, null, 2),
  );
  const webBundle = builder.createBundle();
  const bundleId = new WebBundleId(key).serialize();
  const { signedWebBundle } = await new IntegrityBlockSigner(webBundle, bundleId, [
    new NodeCryptoSigningStrategy(key),
  ]).sign();
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, signedWebBundle);
  return {
    bundleId,
    origin: `isolated-app://${bundleId}/`,
    bytes: signedWebBundle.length,
    manifest,
  };
}
