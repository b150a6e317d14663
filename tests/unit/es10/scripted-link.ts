/** A fake Es10Link for tests: expects an exact list of ES10 requests and answers each one. */
import { expect } from 'vitest';
import type { Es10Link } from '../../../src/apdu/es10-link.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';

export class ScriptedLink implements Es10Link {
  readonly sent: string[] = [];
  private index = 0;
  constructor(private readonly script: readonly (readonly [string, string])[]) {}

  es10(request: Uint8Array): Promise<Uint8Array> {
    const step = this.script[this.index++];
    const got = toHex(request);
    this.sent.push(got);
    if (!step) throw new Error(`unexpected ES10 request ${got}`);
    expect(got).toBe(step[0].replace(/\s+/g, '').toUpperCase());
    return Promise.resolve(fromHex(step[1]));
  }

  assertDone(): void {
    expect(this.index).toBe(this.script.length);
  }
}

/** Builds hex TLVs by hand for readable fixtures: tlv('80', '01') -> '800101'. */
export function tlv(tag: string, ...value: string[]): string {
  const v = value.join('').replace(/\s+/g, '');
  const len = v.length / 2;
  let l: string;
  if (len < 0x80) l = len.toString(16).padStart(2, '0');
  else if (len < 0x100) l = '81' + len.toString(16).padStart(2, '0');
  else l = '82' + len.toString(16).padStart(4, '0');
  return (tag + l + v).toUpperCase();
}
