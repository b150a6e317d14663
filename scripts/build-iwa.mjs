// npm run build:iwa — builds the app and packs it as an Isolated Web App (Signed Web Bundle).
//   IWA_SIGNING_KEY  Ed25519 private key (PEM text) for releases; without it a dev key is made
//                    once in .weblpa/iwa-dev-key.pem (git-ignored).
//   --skip-build     pack an existing dist-iwa/app instead of running vite build.
// Output: dist-iwa/weblpa.swbn. Install steps: iwa/README.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { loadSigningKey, packIwa } from '../iwa/pack.mjs';

const root = process.cwd();
const appDir = join(root, 'dist-iwa', 'app');
const outFile = join(root, 'dist-iwa', 'weblpa.swbn');

if (!process.argv.includes('--skip-build')) {
  await build({ root, build: { outDir: appDir, emptyOutDir: true }, logLevel: 'warn' });
}
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const { key, source } = loadSigningKey({ devKeyFile: join(root, '.weblpa', 'iwa-dev-key.pem') });
const result = await packIwa({ appDir, outFile, key, version });
console.log(`Signed Web Bundle: ${outFile} (${result.bytes} bytes, key: ${source})`);
console.log(`Web Bundle ID:     ${result.bundleId}`);
console.log(`App origin:        ${result.origin}`);
