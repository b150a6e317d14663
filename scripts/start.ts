// `npm start`: builds the app, serves it, and starts the local SM-DP+/SM-DS and ES9+ relay beside it.
// Prints the URLs and demo activation codes (with terminal QR codes) a newcomer can use at once.
import { build, preview, type Plugin } from 'vite';
import { correction, generate } from 'lean-qr';
import { readFileSync } from 'node:fs';
import { startLocalServices } from '../src/server/local-services.ts';
import { RelayCaError } from '../src/server/relay/node.ts';
import { localServicesConfig } from '../src/ui/state/settings-model.ts';
import { securityHeadersFor } from '../src/server/common/security-headers.mjs';

const host = process.env.HOST ?? '127.0.0.1';
const appPort = Number(process.env.PORT ?? 4173);
const skipBuild = process.argv.includes('--no-build');
// The relay trusts Node's bundled roots and the GSMA RSP2 Root CI1; `--ca <file>` (repeatable)
// adds CI certificates (PEM, e.g. a test CI), `--no-gsma-ci` leaves the GSMA root out.
const trustGsmaCi = !process.argv.includes('--no-gsma-ci');
const caPaths = caFiles(process.argv.slice(2));
const relayExtraCa = caPaths.map((file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`Cannot read the CA certificate ${file}: ${(e as Error).message}`);
    process.exit(2);
  }
});

/** The files named by `--ca <file>` / `--ca=<file>`. */
function caFiles(args: readonly string[]): string[] {
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--ca=')) files.push(a.slice('--ca='.length));
    else if (a === '--ca') {
      const file = args[i + 1];
      if (file === undefined || file.startsWith('--')) {
        console.error('--ca needs a PEM certificate file');
        process.exit(2);
      }
      files.push(file);
      i++;
    }
  }
  return files;
}

/**
 * `--profiles <dir>`: serve every .der profile package in <dir> as it is, one order per file
 * (matching ID from the file name), one-time unless `--profiles-reusable` is given too.
 */
function profilesOption(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--profiles=')) return a.slice('--profiles='.length);
    if (a === '--profiles') {
      const dir = args[i + 1];
      if (dir === undefined || dir.startsWith('--')) {
        console.error('--profiles needs a folder of .der profile packages');
        process.exit(2);
      }
      return dir;
    }
  }
  return undefined;
}
const profilesDir = profilesOption(process.argv.slice(2));
const profilesReusable = process.argv.includes('--profiles-reusable');

const services = await startLocalServices({
  host,
  ...(profilesDir !== undefined ? { profilesDir, profilesReusable } : {}),
  relayExtraCa,
  relayTrustGsmaCi: trustGsmaCi,
}).catch((e: unknown) => {
  // A --ca file the relay cannot use is named by its path.
  if (e instanceof RelayCaError) console.error(`${caPaths[e.index] ?? '--ca'}: ${e.message}`);
  else console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
});

/** What the app reads at start-up: routes to the local services (see src/ui/state). */
// Shape and meaning: localServicesConfig / parseConfig in src/ui/state/settings-model.ts.
const appConfig = localServicesConfig(services);

const configPlugin: Plugin = {
  name: 'weblpa-local-config',
  configurePreviewServer(server) {
    server.middlewares.use('/config.json', (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'no-store');
      res.end(JSON.stringify(appConfig));
    });
  },
};

if (!skipBuild) await build({ logLevel: 'warn' });
const server = await preview({
  plugins: [configPlugin],
  preview: {
    host,
    port: appPort,
    strictPort: false,
    open: false,
    // The security headers, with the local services' origins in connect-src when HOST puts them
    // beyond 127.0.0.1/localhost.
    headers: securityHeadersFor([services.smdpUrl, services.relayUrl]),
  },
  logLevel: 'warn',
});
const address = server.httpServer.address();
const port = address !== null && typeof address === 'object' ? address.port : appPort;
const appUrl = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`;

console.log(`\nWebLPA is running.\n`);
console.log(`  App:             ${appUrl}`);
console.log(`  Local SM-DP+:    ${services.smdpUrl}  (address ${services.smdpAddress})`);
console.log(`  Local SM-DS:     ${services.smdpUrl}  (address ${services.smdsAddress})`);
console.log(`  ES9+ relay:      ${services.relayUrl}`);
console.log(
  `  Relay trusts:    Node's bundled roots${trustGsmaCi ? ', the GSMA RSP2 Root CI1' : ''}` +
    (relayExtraCa.length > 0 ? ` and ${relayExtraCa.length} file(s) given with --ca` : ''),
);
console.log(
  `\nOpen the app, choose "Virtual eUICC", then add a profile with one of these codes:\n`,
);
for (const { label, code } of services.activationCodes) {
  console.log(`  ${label}: ${code}`);
}
if (profilesDir !== undefined) {
  console.log(
    `\nProfile packages in ${profilesDir} (served as they are, with their own ICCIDs):\n`,
  );
  for (const p of services.profiles) {
    const encoding = p.iccidEncoding === 'plain' ? 'plain digits' : 'swapped BCD';
    const use = p.reusable ? 'reusable' : 'one-time';
    console.log(`  ${p.file}: ${p.code}  (ICCID ${p.iccid}, ${encoding} in the header; ${use})`);
  }
}
const first = services.activationCodes[0];
if (first) {
  console.log(`\n${first.label}, as a QR code:\n`);
  console.log(terminalQr(first.code));
}
console.log(
  'Or, in the app, Add profile > Discover: the local SM-DS has a profile waiting for the\n' +
    'virtual eUICC (a new one has the EID the "Bound to EID" order names).\n',
);
console.log('Press Ctrl+C to stop.');

/**
 * The QR code for `text` as terminal text: two module rows per line (half blocks), black on white
 * whatever the terminal's colours, with the 4-module quiet zone.
 */
function terminalQr(text: string): string {
  const code = generate(text, { minCorrectionLevel: correction.M });
  const pad = 4;
  const side = code.size + 2 * pad;
  const dark = (x: number, y: number): boolean => y < side && code.get(x - pad, y - pad);
  const lines: string[] = [];
  for (let y = 0; y < side; y += 2) {
    let line = '\x1b[30;47m';
    for (let x = 0; x < side; x++) {
      const top = dark(x, y);
      const bottom = dark(x, y + 1);
      line += top ? (bottom ? '█' : '▀') : bottom ? '▄' : ' ';
    }
    lines.push(line + '\x1b[0m');
  }
  return lines.join('\n');
}

const stop = async (): Promise<void> => {
  await server.close();
  await services.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
