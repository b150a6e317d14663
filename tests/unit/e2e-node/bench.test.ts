import { describe, expect, it } from 'vitest';
import { minimumApdus, runBenchmark } from '../../../bench/run.ts';

describe('benchmark protocol minimum', () => {
  // Independent computation (docs/protocol.md §2: STORE DATA blocks carry at most 255 bytes; a response
  // longer than 256 bytes is announced with 61xx and fetched in GET RESPONSEs of up to 256).
  it.each([
    [0, 0, 1],
    [1, 2, 1],
    [255, 256, 1],
    [256, 0, 2],
    [510, 0, 2],
    [511, 0, 3],
    [600, 257, 3 + 2],
    [1020, 512, 4 + 2],
    [10, 513, 1 + 3],
  ])('request %i bytes, response %i bytes -> %i APDUs', (req, res, n) => {
    expect(minimumApdus(req, res)).toBe(n);
  });

  it('measured downloads stay within 10% of the minimum, which covers every BPP byte', async () => {
    const rows = await runBenchmark([0]);
    const by = (s: string) => rows.find((r) => r.scenario === s)!;
    for (const [scenario, kb] of [
      ['download 10 KB', 10],
      ['download 100 KB', 100],
    ] as const) {
      const r = by(scenario);
      // The profile package alone needs ceil(size/255) blocks, plus the 3 channel APDUs.
      expect(r.minimumApdus).toBeGreaterThan(Math.ceil((kb * 1024) / 255) + 3);
      expect(r.minimumApdus).toBeGreaterThanOrEqual(r.es10Calls + 3);
      expect(r.apdus).toBeGreaterThanOrEqual(r.minimumApdus);
      expect(r.apdus).toBeLessThanOrEqual(r.minimumApdus * 1.1);
      expect(r.bytesToCard).toBeGreaterThan(kb * 1024);
      // initiateAuthentication, authenticateClient, getBoundProfilePackage, handleNotification.
      expect(r.httpCalls).toBe(4);
    }
    expect(by('list profiles').es10Calls).toBe(1);
  }, 60_000);
});
