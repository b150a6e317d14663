// The repository explains itself: no comment, test or doc refers to a file outside it, and every
// "docs/<file>.md §N" citation names a section that the document has.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const SKIP = new Set(['node_modules', '.git', 'test-results', 'dist', 'dist-base', 'dist-iwa']);
const TEXT = /\.(?:ts|mts|mjs|js|svelte|md|json|html|css|toml|capnp|yml|yaml)$|^Dockerfile$/;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith('dist')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (TEXT.test(name) && name !== 'package-lock.json') out.push(path);
  }
  return out;
}

const all = files(ROOT).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));

/** The numbered headings of a document under docs/ ("## 5. Download flow" -> "5"). */
function sections(doc: string): Set<string> {
  const text = readFileSync(join(ROOT, 'docs', doc), 'utf8');
  const found = new Set<string>();
  for (const m of text.matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.?\s/gm)) found.add(m[1]!);
  return found;
}

// Built from pieces so that this file does not match itself.
const OUTSIDE = [
  new RegExp(['sgp22', 'md'].join('\\.')),
  new RegExp(['\\.\\.', 'shared'].join('/')),
  new RegExp(['/work', 'shared'].join('/')),
];

describe('references', () => {
  it('the scan sees the sources, the tests and the docs', () => {
    const paths = all.map((f) => f.path);
    expect(paths).toContain('src/lpa/download.ts');
    expect(paths).toContain('docs/protocol.md');
    expect(paths.length).toBeGreaterThan(300);
  });

  it('nothing refers to a file outside the repository', () => {
    const bad: string[] = [];
    for (const f of all)
      for (const re of OUTSIDE)
        for (const line of f.text.split('\n'))
          if (re.test(line)) bad.push(`${f.path}: ${line.trim()}`);
    expect(bad).toEqual([]);
  });

  it('every docs/<file>.md §N citation names a section of that document', () => {
    const known = new Map<string, Set<string>>();
    const bad: string[] = [];
    for (const f of all)
      for (const m of f.text.matchAll(/docs\/([a-z-]+\.md) §(\d+(?:\.\d+)*)/g)) {
        const doc = m[1]!;
        let s = known.get(doc);
        if (!s) {
          try {
            s = sections(doc);
          } catch {
            s = new Set();
          }
          known.set(doc, s);
        }
        if (!s.has(m[2]!)) bad.push(`${f.path}: docs/${doc} §${m[2]!}`);
      }
    expect(bad).toEqual([]);
    expect(known.get('protocol.md')?.size ?? 0).toBeGreaterThan(20);
  });
});
