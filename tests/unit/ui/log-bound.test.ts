/**
 * The exchange log stays within a byte budget of bodies: the oldest bodies are dropped first,
 * the entries themselves (and their count) stay, and every rendering says what was dropped.
 */
import { describe, expect, it } from 'vitest';
import { ExchangeLog } from '../../../src/ui/state/log.svelte.ts';

/** A STORE DATA command with `n` data bytes and 9000. */
function storeData(n: number, fill: number): { command: Uint8Array; response: Uint8Array } {
  const command = new Uint8Array(5 + n).fill(fill);
  command.set([0x80, 0xe2, 0x91, 0x00, n & 0xff]);
  return { command, response: Uint8Array.of(0x90, 0x00) };
}

describe('ExchangeLog byte budget', () => {
  it('drops the oldest APDU bodies first and keeps every entry', () => {
    const log = new ExchangeLog({ maxBodyBytes: 10_000 });
    for (let i = 0; i < 100; i++) log.addApdu({ at: i, durationMs: 1, ...storeData(250, i) });
    expect(log.entries.length).toBe(100);
    expect(log.bodyBytes).toBeLessThanOrEqual(10_000);
    expect(log.bodyBytes).toBeGreaterThan(10_000 - 257);
    const dropped = log.entries.filter((e) => e.droppedBytes !== undefined);
    expect(dropped.length).toBe(log.droppedBodies);
    expect(log.droppedBodies).toBeGreaterThan(50);
    // Oldest first: the dropped ones are exactly a prefix.
    expect(log.entries.slice(0, dropped.length).every((e) => e.droppedBytes === 257)).toBe(true);
    expect(log.entries.at(-1)!.droppedBytes).toBeUndefined();
    const first = log.entries[0]!;
    expect(log.summary(first)).toBe('> [257 bytes dropped from the log]');
    expect(log.decode(first)).toEqual([{ label: { part: 'body' }, droppedBytes: 257 }]);
    expect(log.toText([first])).toContain('  Body:\n    257 bytes dropped to bound the log');
    expect(log.toText()).toMatch(new RegExp(`^${log.droppedBodies} older bodies dropped\\.\\n`));
    const json = JSON.parse(log.toJson()) as { droppedBytes?: number; command: string }[];
    expect(json[0]).toMatchObject({ droppedBytes: 257, command: '' });
    expect(json.at(-1)!.command).toMatch(/^80E29100FA/);
  });

  it('drops ES9+ bodies too, and never the newest one', () => {
    const log = new ExchangeLog({ maxBodyBytes: 1000 });
    const big = { boundProfilePackage: 'A'.repeat(5000), transactionId: '01' };
    log.addHttp({ at: 1, durationMs: 1, fn: 'x', url: 'u', status: 200, request: { a: 'b' } });
    log.addHttp({ at: 2, durationMs: 1, fn: 'getBoundProfilePackage', url: 'u', response: big });
    expect(log.entries[0]!.droppedBytes).toBeGreaterThan(0);
    expect(log.entries[1]!.droppedBytes).toBeUndefined();
    expect(log.bodyBytes).toBeGreaterThan(1000);
    log.addHttp({ at: 3, durationMs: 1, fn: 'x', url: 'u', status: 204 });
    const second = log.entries[1]!;
    expect(second.kind === 'http' ? second.response : 'not http').toBeUndefined();
    expect(second.droppedBytes).toBeGreaterThan(5000);
    expect(log.droppedBodies).toBe(2);
    expect(log.bodyBytes).toBeLessThanOrEqual(1000);
  });

  it('clear() forgets the count and the bytes', () => {
    const log = new ExchangeLog({ maxBodyBytes: 300 });
    for (let i = 0; i < 5; i++) log.addApdu({ at: i, durationMs: 1, ...storeData(200, i) });
    expect(log.droppedBodies).toBe(4);
    log.clear();
    expect(log.droppedBodies).toBe(0);
    expect(log.bodyBytes).toBe(0);
    expect(log.toText()).toBe('');
  });
});
