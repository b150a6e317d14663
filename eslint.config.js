import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

/** The folders of src/, lowest first. */
const all = [
  'base',
  'codec',
  'apdu',
  'transport',
  'es10',
  'es9p',
  'rsp',
  'euicc',
  'lpa',
  'batch',
  'i18n',
  'ui',
  'server',
];
/** Layers below the UI: they may not import the UI or touch the DOM. */
const coreLayers = all.filter((l) => l !== 'ui' && l !== 'server');

/** Every layer except those named: what a layer may not import is the rest. */
const allBut = (...allowed) => all.filter((l) => !allowed.includes(l));

/**
 * What each layer may import (docs/architecture.md: imports flow one way); everything else is
 * refused. The one exception: transport/virtual drives the software eUICC in-process (below).
 */
const forbidden = {
  base: allBut(),
  codec: allBut('base'),
  apdu: allBut('base', 'codec', 'transport'),
  transport: allBut('base', 'codec', 'transport'),
  es10: allBut('base', 'codec', 'apdu', 'es10'),
  es9p: allBut('base', 'codec', 'es9p'),
  rsp: allBut('base', 'codec', 'rsp'),
  euicc: allBut('base', 'codec', 'es10', 'rsp', 'euicc'),
  lpa: allBut('base', 'codec', 'apdu', 'es10', 'lpa'),
  batch: allBut('base', 'codec', 'lpa', 'batch'),
  // The texts import only base and one another; the types they name come in as type imports.
  i18n: allBut('base', 'i18n'),
  ui: ['server'],
  server: ['ui'],
};

/** The no-restricted-imports rule refusing `banned` folders, naming who may not import them. */
const refuse = (who, banned) => [
  'error',
  {
    patterns: banned.map((b) => ({
      group: [`**/${b}/*`, `**/${b}`],
      message: `${who} may not import src/${b} (see the layer rules in README.md).`,
    })),
  },
];

/** As refuse(), but type-only imports pass: they vanish from the built code. */
const refuseCode = (who, banned) => {
  const [level, options] = refuse(who, banned);
  return [level, { patterns: options.patterns.map((p) => ({ ...p, allowTypeImports: true })) }];
};

const layerRules = Object.entries(forbidden).map(([layer, banned]) => ({
  files: [`src/${layer}/**/*.ts`, `src/${layer}/**/*.svelte`],
  ...(layer === 'transport' ? { ignores: ['src/transport/virtual/**'] } : {}),
  rules:
    layer === 'i18n'
      ? {
          '@typescript-eslint/no-restricted-imports': refuseCode(`src/${layer}`, banned),
        }
      : { 'no-restricted-imports': refuse(`src/${layer}`, banned) },
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-iwa/**',
      'dist-base/**',
      'dist-cli/**',
      'node_modules/**',
      'test-results/**',
      'dev-dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver()],
      // Cycles are checked in our sources only; dependencies are not parsed (Svelte's runtime
      // files are not plain ECMAScript to the Svelte parser).
      'import-x/ignore': ['node_modules'],
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['test', 'it', 'describe', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, svelteConfig },
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...layerRules,
  {
    // The documented exception: the virtual transport talks to the software eUICC in-process.
    files: ['src/transport/virtual/**/*.ts'],
    rules: {
      'no-restricted-imports': refuse(
        'src/transport/virtual',
        allBut('base', 'codec', 'transport', 'euicc'),
      ),
    },
  },
  {
    files: coreLayers.map((l) => `src/${l}/**/*.ts`),
    ignores: [
      'src/transport/webusb-ccid/browser.ts',
      'src/transport/webserial-at/browser.ts',
      'src/transport/smartcard/browser.ts',
    ],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'navigator', message: 'Pass browser APIs in; core layers may not grab them.' },
        { name: 'document', message: 'Core layers may not touch the DOM.' },
        { name: 'window', message: 'Core layers may not touch the DOM.' },
      ],
    },
  },
);
