/**
 * Masks secrets (matching IDs, confirmation codes) wherever they appear in log text: as text and
 * as the hex of their UTF-8 bytes (how they travel inside ES10 requests and ES9+ DER fields).
 */
import { toHex, utf8 } from '../../codec/index.ts';
import type { ViewNode } from './tlv-view.ts';

export const MASK = '•••';

function patterns(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    // Very short strings would mask unrelated bytes; matching IDs and codes are longer in practice.
    if (s.length < 3) continue;
    out.add(s);
    out.add(toHex(utf8.encode(s)));
  }
  return [...out].sort((a, b) => b.length - a.length);
}

export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const p of patterns(secrets)) {
    if (p === '') continue;
    // Case-insensitive for hex (logs may show either case); exact for text.
    const re = new RegExp(
      p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      /^[0-9A-F]+$/.test(p) ? 'gi' : 'g',
    );
    out = out.replace(re, MASK);
  }
  return out;
}

export function maskTree(nodes: readonly ViewNode[], secrets: readonly string[]): ViewNode[] {
  return nodes.map((n) => {
    const m: ViewNode = { ...n };
    if (n.text !== undefined) m.text = maskText(n.text, secrets);
    if (n.hex !== undefined) m.hex = maskText(n.hex, secrets);
    if (n.children) m.children = maskTree(n.children, secrets);
    return m;
  });
}
