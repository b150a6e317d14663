// The security headers of the app: one list (security-headers.mjs) behind vite preview/dev, the
// static-host file public/_headers and every response of the Isolated Web App bundle.
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bundle } from 'wbn';
import type { UserConfig } from 'vite';
import {
  CSP_DIRECTIVES,
  DEV_SECURITY_HEADERS,
  IWA_SECURITY_HEADERS,
  SECURITY_HEADERS,
  securityHeadersFor,
  staticHostHeadersFile,
} from '../../../src/server/common/security-headers.mjs';
import { loadSigningKey, packIwa } from '../../../iwa/pack.mjs';
import viteConfig from '../../../vite.config.ts';

/** Directive name -> values, parsed back from a serialised policy. */
function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

describe('security headers', () => {
  it('has the whole set, with a policy that forbids framing, plugins and foreign scripts', () => {
    expect(Object.keys(SECURITY_HEADERS).sort()).toEqual(
      [
        'Content-Security-Policy',
        'Cross-Origin-Opener-Policy',
        'Permissions-Policy',
        'Referrer-Policy',
        'X-Content-Type-Options',
        'X-Frame-Options',
      ].sort(),
    );
    const csp = parseCsp(SECURITY_HEADERS['Content-Security-Policy']!);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.get('worker-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    // Relays and SM-DP+ servers over HTTPS, the local services over HTTP and the card bridge's
    // WebSocket on loopback only.
    expect(csp.get('connect-src')).toEqual([
      "'self'",
      'https:',
      'http://127.0.0.1:*',
      'http://localhost:*',
      'ws://127.0.0.1:*',
      'ws://localhost:*',
    ]);
    expect(SECURITY_HEADERS['Content-Security-Policy']).not.toMatch(/unsafe|\*(?!\s|$|;)/);
    expect(SECURITY_HEADERS['X-Frame-Options']).toBe('DENY');
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
    expect(SECURITY_HEADERS['Referrer-Policy']).toBe('no-referrer');
    expect(SECURITY_HEADERS['Cross-Origin-Opener-Policy']).toBe('same-origin');
    const granted = SECURITY_HEADERS['Permissions-Policy']!.split(', ').filter(
      (f) => !f.endsWith('=()'),
    );
    expect(granted.sort()).toEqual(
      ['camera=(self)', 'clipboard-write=(self)', 'serial=(self)', 'usb=(self)'].sort(),
    );
    expect(SECURITY_HEADERS['Permissions-Policy']).toContain('microphone=()');
    expect(SECURITY_HEADERS['Permissions-Policy']).toContain('geolocation=()');
  });

  it('vite preview sends exactly the set; vite dev the same with what hot reloading needs', () => {
    const config: UserConfig = viteConfig;
    expect(config.preview?.headers).toEqual(SECURITY_HEADERS);
    expect(config.server?.headers).toEqual(DEV_SECURITY_HEADERS);
    const dev = parseCsp(DEV_SECURITY_HEADERS['Content-Security-Policy']!);
    expect(dev.get('frame-ancestors')).toEqual(["'none'"]);
    expect(dev.get('script-src')).toEqual(["'self'"]);
    expect(dev.get('connect-src')).toEqual(
      expect.arrayContaining(['ws://127.0.0.1:*', 'ws://localhost:*']),
    );
  });

  it('a server pointing the app at services beyond loopback adds just their origins', () => {
    expect(securityHeadersFor(['http://127.0.0.1:8000', 'http://localhost:8001/es9p'])).toEqual(
      SECURITY_HEADERS,
    );
    const lan = securityHeadersFor([
      'http://192.0.2.7:8000',
      'http://192.0.2.7:8001/es9p',
      'http://192.0.2.7:8000/x',
      'https://relay.example/es9p',
    ]);
    expect(parseCsp(lan['Content-Security-Policy']!).get('connect-src')).toEqual([
      ...CSP_DIRECTIVES['connect-src']!,
      'http://192.0.2.7:8000',
      'http://192.0.2.7:8001',
    ]);
    expect({ ...lan, 'Content-Security-Policy': '' }).toEqual({
      ...SECURITY_HEADERS,
      'Content-Security-Policy': '',
    });
  });

  it('public/_headers is the same set for static hosts (regenerate it from the module)', () => {
    const file = readFileSync(new URL('../../../public/_headers', import.meta.url), 'utf8');
    expect(
      file,
      'public/_headers is stale: node src/server/common/security-headers.mjs > public/_headers',
    ).toBe(staticHostHeadersFile());
    // Every header, for every path.
    const block = file.split('\n').filter((l) => !l.startsWith('#') && l !== '');
    expect(block[0]).toBe('/*');
    const sent = new Map(
      block.slice(1).map((l) => {
        const i = l.indexOf(':');
        return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
      }),
    );
    expect(Object.fromEntries(sent)).toEqual(SECURITY_HEADERS);
  });

  it('the CSP directives are the ones the serialised header carries', () => {
    const csp = parseCsp(SECURITY_HEADERS['Content-Security-Policy']!);
    expect(Object.fromEntries(csp)).toEqual(CSP_DIRECTIVES);
  });

  it('every response of the Isolated Web App bundle carries them (its manifest grants features)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weblpa-iwa-headers-'));
    try {
      const app = join(dir, 'app');
      mkdirSync(join(app, 'assets'), { recursive: true });
      writeFileSync(join(app, 'index.html'), '<!doctype html><title>WebLPA</title>');
      writeFileSync(join(app, 'assets', 'app.js'), 'console.log(1)');
      writeFileSync(join(app, '_headers'), staticHostHeadersFile());
      const { privateKey } = generateKeyPairSync('ed25519');
      const { key } = loadSigningKey({
        env: { IWA_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
        devKeyFile: join(dir, 'unused.pem'),
      });
      const outFile = join(dir, 'out.swbn');
      await packIwa({ appDir: app, outFile, key, version: '1.0.0' });
      const signed = new Uint8Array(readFileSync(outFile));
      const bundleLength = Number(Buffer.from(signed.slice(-8)).readBigUInt64BE());
      const bundle = new Bundle(signed.slice(signed.length - bundleLength));
      expect(bundle.urls).not.toContain('/_headers');
      expect(Object.keys(IWA_SECURITY_HEADERS)).not.toContain('Permissions-Policy');
      for (const url of ['/', '/index.html', '/assets/app.js']) {
        const headers = bundle.getResponse(url).headers;
        for (const [name, value] of Object.entries(IWA_SECURITY_HEADERS))
          expect(headers[name.toLowerCase()], `${url} ${name}`).toBe(value);
        expect(headers['permissions-policy'], url).toBeUndefined();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
