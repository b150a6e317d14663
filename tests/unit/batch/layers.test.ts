// The batch core runs in the app as well as in Node: no Node modules, no DOM.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = resolve(import.meta.dirname, '../../../src/batch');

describe('src/batch', () => {
  it('imports only the core layers (no node:, no server, no ui) and touches no DOM', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      const specifiers = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const s of specifiers) {
        expect(s, `${f} imports ${s}`).toMatch(/^(\.\.\/(codec|lpa)\/|\.\/[a-z-]+\.ts$)/);
      }
      expect(text, f).not.toMatch(/\b(document|window|navigator|process)\./);
    }
  });
});
