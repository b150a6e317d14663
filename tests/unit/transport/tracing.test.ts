import { describe, expect, it } from 'vitest';
import { Card, openIsdR } from '../../../src/apdu/index.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { TracingTransport } from '../../../src/transport/tracing.ts';
import type { ApduRecord } from '../../../src/transport/tracing.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { ScriptedTransport } from '../../fakes/scripted-transport.ts';

/** A clock that advances by `step` ms on every reading. */
function steppingClock(start: number, step: number): () => number {
  let t = start - step;
  return () => (t += step);
}

describe('TracingTransport', () => {
  it('records each exchange with bytes, SW, timing and channel, and counts both ways', async () => {
    const inner = new ScriptedTransport([
      ['0070000001', '019000'],
      ['C1E2910003BF2E0000', 'BF2E009000'],
    ]);
    const seen: ApduRecord[] = [];
    const t = new TracingTransport(inner, {
      now: steppingClock(1000, 5),
      onRecord: (r) => seen.push(r),
    });
    await t.transmit(fromHex('0070000001'));
    await t.transmit(fromHex('C1E2910003BF2E0000'));
    inner.assertDone();
    expect(seen).toEqual(t.records);
    expect(t.records.map((r) => [r.seq, toHex(r.command), toHex(r.response!), r.sw])).toEqual([
      [1, '0070000001', '019000', 0x9000],
      [2, 'C1E2910003BF2E0000', 'BF2E009000', 0x9000],
    ]);
    expect(t.records.map((r) => [r.startedAt, r.durationMs, r.channel])).toEqual([
      [1000, 5, 0],
      [1010, 5, 5], // CLA C1 = proprietary class on channel 5
    ]);
    expect(t.stats).toEqual({ apdus: 2, bytesSent: 5 + 9, bytesReceived: 3 + 5, errors: 0 });
  });

  it('records a failure with its error, counts it, and rethrows the same error', async () => {
    const gone = new TransportClosedError('unplugged');
    const t = new TracingTransport(new ScriptedTransport([['00A40400', gone]]), {
      now: steppingClock(0, 2),
    });
    await expect(t.transmit(fromHex('00A40400'))).rejects.toBe(gone);
    const [r] = t.records;
    expect(r).toMatchObject({ seq: 1, error: gone, durationMs: 2 });
    expect(r!.response).toBeUndefined();
    expect(t.stats).toEqual({ apdus: 1, bytesSent: 4, bytesReceived: 0, errors: 1 });
  });

  it('copies the bytes, so later changes by the caller do not alter the log', async () => {
    const t = new TracingTransport(new ScriptedTransport([['00010000', '9000']]));
    const cmd = fromHex('00010000');
    await t.transmit(cmd);
    cmd[1] = 0xff;
    expect(toHex(t.records[0]!.command)).toBe('00010000');
  });

  it('keeps only the newest `keep` records, but counts all', async () => {
    const steps = Array.from({ length: 5 }, (_, i) => [`0001000${i}`, '9000'] as const);
    const t = new TracingTransport(new ScriptedTransport(steps), { keep: 2 });
    for (const [cmd] of steps) await t.transmit(fromHex(cmd));
    expect(t.records.map((r) => r.seq)).toEqual([4, 5]);
    expect(t.stats.apdus).toBe(5);
    t.reset();
    expect(t.records).toEqual([]);
    expect(t.stats).toEqual({ apdus: 0, bytesSent: 0, bytesReceived: 0, errors: 0 });
  });

  it('keep 0 stores nothing but still reports to the listener', async () => {
    let calls = 0;
    const t = new TracingTransport(new ScriptedTransport([['00010000', '9000']]), {
      keep: 0,
      onRecord: () => calls++,
    });
    await t.transmit(fromHex('00010000'));
    expect(t.records).toEqual([]);
    expect(calls).toBe(1);
  });

  it('a throwing listener does not break the exchange', async () => {
    const t = new TracingTransport(new ScriptedTransport([['00010000', '9000']]), {
      onRecord: () => {
        throw new Error('log is broken');
      },
    });
    await expect(t.transmit(fromHex('00010000'))).resolves.toEqual(fromHex('9000'));
  });

  it('forwards label, block size, signal and close', async () => {
    const inner = new ScriptedTransport([['00010000', '9000']], {
      label: 'Reader 1',
      maxStoreDataBlock: 120,
    });
    const t = new TracingTransport(inner);
    expect(t.label).toBe('Reader 1');
    expect(t.maxStoreDataBlock).toBe(120);
    expect(t.logicalChannels).toBeUndefined();
    const ctrl = new AbortController();
    await t.transmit(fromHex('00010000'), ctrl.signal);
    expect(inner.signals).toEqual([ctrl.signal]);
    await t.close();
    expect(inner.closed).toBe(true);
  });

  it('traces native logical channels too, numbered in the order opened', async () => {
    const ISDR = 'A0000005591010FFFFFFFF8900000100';
    const inner = new ScriptedTransport(
      [
        { open: ISDR, channel: 2 },
        { on: 2, command: '80E2910003BF2E0000', response: 'BF2E009000' },
        { closeChannel: 2 },
      ],
      { native: true },
    );
    const t = new TracingTransport(inner);
    const isdr = await openIsdR(new Card(t));
    await isdr.es10(fromHex('BF2E00'));
    await isdr.close();
    inner.assertDone();
    expect(t.records).toHaveLength(1);
    expect(t.records[0]).toMatchObject({ channel: 1, native: true, sw: 0x9000 });
    expect(t.stats.apdus).toBe(1);
  });

  it('counts the whole ISD-R session for benchmarks', async () => {
    const inner = new ScriptedTransport([
      ['0070000001', '019000'],
      ['01A4040010A0000005591010FFFFFFFF890000010000', '9000'],
      ['81E2910006BF3E035C015A00', '6112'],
      ['81C0000012', 'BF3E125A10890490321234512345123456789012359000'],
      ['0070800100', '9000'],
    ]);
    const t = new TracingTransport(inner);
    const isdr = await openIsdR(new Card(t));
    await isdr.es10(fromHex('BF3E035C015A'));
    await isdr.close();
    inner.assertDone();
    expect(t.stats.apdus).toBe(5);
    expect(t.records.map((r) => r.channel)).toEqual([0, 1, 1, 1, 0]);
  });
});
