import { describe, expect, it } from 'vitest';
import { initialScripts } from '../../../bench/bundle-size.ts';

describe('initial script detection', () => {
  it('finds the module entry and the preloaded modules, once each', () => {
    const html = `<script type="module" crossorigin src="/assets/index-A.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/svelte-B.js">
      <link rel="modulepreload" crossorigin href="/assets/svelte-B.js">
      <link rel="stylesheet" href="/assets/index.css">
      <script src="/registerSW.js"></script>`;
    expect(initialScripts(html)).toEqual(['/assets/index-A.js', '/assets/svelte-B.js']);
  });
});
