/**
 * The CLI bundle (`npm run build:cli`, dist-cli/weblpa.mjs): it runs with plain node, prints the
 * same JSON as the TypeScript sources run through tsx, keeps the native `smartcard` binding and
 * `ws` out, and is what `npx weblpa` runs from a packed tarball installed elsewhere. Nothing
 * here reaches the network: the tarball and its dependencies are installed with --offline from
 * tarballs made of this checkout's node_modules.
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, CLI_EXTERNALS, type CliBundle } from '../../../src/server/cli/build.ts';

const root = resolve(import.meta.dirname, '../../..');
const STEP_TIMEOUT_MS = 90_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Run> {
  return new Promise((done) => {
    execFile(cmd, [...args], { cwd, env, timeout: STEP_TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

let dir: string;
let bundle: CliBundle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weblpa-cli-bundle-'));
  bundle = await buildCli(join(dir, 'cli'));
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('CLI bundle', () => {
  it('is one ES module with a node shebang that prints the usage once', async () => {
    const text = readFileSync(bundle.file, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const r = await run(process.execPath, [bundle.file, '--help'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/^usage: lpa /gm)?.length).toBe(1);
  });

  it('leaves smartcard and ws outside', () => {
    for (const name of CLI_EXTERNALS)
      expect(bundle.inputs.filter((p) => p.startsWith(`node_modules/${name}/`))).toEqual([]);
    expect(bundle.inputs).toContain('src/server/cli/main.ts');
    // Every input is a file scripts/lpa.mjs can compare with the bundle's time.
    for (const p of bundle.inputs) expect(existsSync(join(root, p)), p).toBe(true);
  });

  it('prints the same JSON as the sources through tsx', async () => {
    const tsx = join(root, 'node_modules/.bin/tsx');
    const main = join(root, 'src/server/cli/main.ts');
    const outs: string[] = [];
    for (const [name, cmd, pre] of [
      ['bundle', process.execPath, [bundle.file]],
      ['tsx', tsx, [main]],
    ] as const) {
      const sub = join(dir, name);
      mkdirSync(sub);
      const created = await run(
        cmd,
        [...pre, 'euicc', 'create', '--state', 'card.json', '--seed', 'bundle-vs-tsx'],
        sub,
      );
      expect(created.code, created.stdout + created.stderr).toBe(0);
      const info = await run(cmd, [...pre, '--state', 'card.json', 'chip', 'info'], sub);
      expect(info.code, info.stdout + info.stderr).toBe(0);
      const bad = await run(cmd, [...pre, '--state', 'card.json', 'profile', 'enable'], sub);
      outs.push(created.stdout + info.stdout + bad.stdout + String(bad.code));
    }
    expect(outs[0]).toBe(outs[1]);
    expect(outs[0]).toContain('"eid"');
  });

  it(
    'npx weblpa runs the bundle from a packed tarball installed in another directory',
    async () => {
      const pack = join(dir, 'pack');
      const app = join(dir, 'app');
      mkdirSync(pack);
      mkdirSync(app);
      // `npm pack` runs prepack, which builds dist-cli/weblpa.mjs.
      const packed = await run('npm', ['pack', '--pack-destination', pack], root);
      expect(packed.code, packed.stderr).toBe(0);
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      for (const dep of Object.keys(pkg.dependencies)) {
        const r = await run(
          'npm',
          ['pack', join(root, 'node_modules', dep), '--pack-destination', pack],
          pack,
        );
        expect(r.code, r.stderr).toBe(0);
      }
      const tarballs = readdirSync(pack).filter((f) => f.endsWith('.tgz'));
      const own = tarballs.find((f) => f.startsWith('weblpa-'));
      expect(own).toBeDefined();
      const listing = await run('tar', ['tzf', join(pack, own!)], pack);
      expect(listing.stdout).toContain('package/dist-cli/weblpa.mjs');
      writeFileSync(join(app, 'package.json'), '{"name":"weblpa-install-check","private":true}\n');
      const installed = await run(
        'npm',
        [
          'install',
          '--offline',
          '--omit=optional',
          '--ignore-scripts',
          '--no-audit',
          '--no-fund',
          ...tarballs.map((t) => join(pack, t)),
        ],
        app,
      );
      expect(installed.code, installed.stderr).toBe(0);
      const help = await run('npx', ['--offline', '--no-install', 'weblpa', '--help'], app);
      expect(help.code, help.stderr).toBe(0);
      expect(help.stderr).toMatch(/^usage: lpa /m);
      const created = await run(
        'npx',
        ['--offline', '--no-install', 'weblpa', 'euicc', 'create', '--state', 'c.json'],
        app,
      );
      expect(created.code, created.stderr).toBe(0);
      expect(JSON.parse(created.stdout)).toMatchObject({ state: 'c.json' });
    },
    4 * STEP_TIMEOUT_MS,
  );
});
