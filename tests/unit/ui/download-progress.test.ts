/**
 * Byte progress of a profile download reaches the UI state once per animation frame, however
 * many segments the eUICC loads in between; step changes and the end show at once.
 */
import { describe, expect, it } from 'vitest';
import type { DownloadRequest, DownloadResult, LpaBackend } from '../../../src/ui/state/backend.ts';
import { DownloadState } from '../../../src/ui/state/download.svelte.ts';

function manualFrames(): { schedule: (cb: () => void) => void; run: () => number } {
  const queue: (() => void)[] = [];
  return {
    schedule: (cb) => {
      queue.push(cb);
    },
    run: () => {
      const n = queue.length;
      for (const cb of queue.splice(0)) cb();
      return n;
    },
  };
}

/** A backend whose download reports `segments` byte updates, then waits for `release`. */
function backend(segments: number): { backend: LpaBackend; release: () => void } {
  let release = (): void => {};
  const gate = new Promise<void>((r) => (release = r));
  const download = async (req: DownloadRequest): Promise<DownloadResult> => {
    req.onProgress({ step: 'getBoundProfilePackage' });
    req.onProgress({ step: 'loadBoundProfilePackage', bytesSent: 0, bytesTotal: segments * 1000 });
    for (let i = 1; i <= segments; i++)
      req.onProgress({ step: 'loadBoundProfilePackage', bytesSent: i * 1000 });
    await gate;
    return { iccid: '8999001000000050001' };
  };
  return { backend: { label: 'test', download } as unknown as LpaBackend, release };
}

const hooks = { onSecret: (): void => {}, onFinished: (): void => {} };

describe('download progress coalescing', () => {
  it('applies per-segment byte updates at the next frame, once', async () => {
    const frames = manualFrames();
    const state = new DownloadState({ frame: frames.schedule });
    const { backend: b, release } = backend(100);
    const done = state.start(b, { kind: 'activationCode', activationCode: 'LPA:1$a$b' }, hooks);
    await Promise.resolve();
    expect(state.step).toBe('loadBoundProfilePackage');
    expect(state.bytesTotal).toBe(100_000);
    expect(state.bytesSent).toBe(0);
    expect(frames.run()).toBe(1);
    expect(state.bytesSent).toBe(100_000);
    expect(frames.run()).toBe(0);
    release();
    await done;
    expect(state.phase).toBe('done');
  });

  it('shows the last byte count when the download ends before a frame', async () => {
    const frames = manualFrames();
    const state = new DownloadState({ frame: frames.schedule });
    const { backend: b, release } = backend(10);
    release();
    await state.start(b, { kind: 'activationCode', activationCode: 'LPA:1$a$b' }, hooks);
    expect(state.bytesSent).toBe(10_000);
    expect(state.progressFraction).toBe(1);
    frames.run();
    expect(state.bytesSent).toBe(10_000);
  });
});
