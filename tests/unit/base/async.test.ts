import { describe, expect, it } from 'vitest';
import { abortReason, Mutex, pause, raceAbort, sleep } from '../../../src/base/async.ts';

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('Mutex', () => {
  it('runs holders one at a time, in call order', async () => {
    const m = new Mutex();
    const order: string[] = [];
    const gate = deferred();
    const a = m.run(async () => {
      order.push('a start');
      await gate.promise;
      order.push('a end');
    });
    const b = m.run(() => {
      order.push('b');
      return Promise.resolve();
    });
    await Promise.resolve();
    expect(order).toEqual(['a start']);
    gate.resolve();
    await Promise.all([a, b]);
    expect(order).toEqual(['a start', 'a end', 'b']);
  });

  it('a waiter aborted in the queue rejects at once and the order of the others holds', async () => {
    const m = new Mutex();
    const order: string[] = [];
    const gate = deferred();
    const a = m.run(() => gate.promise.then(() => void order.push('a')));
    const ac = new AbortController();
    const b = m.run(() => Promise.resolve(void order.push('b')), ac.signal);
    const c = m.run(() => Promise.resolve(void order.push('c')));
    ac.abort(new Error('gave up'));
    await expect(b).rejects.toThrow('gave up');
    expect(order).toEqual([]);
    gate.resolve();
    await Promise.all([a, c]);
    expect(order).toEqual(['a', 'c']);
  });

  it('work passed to hold keeps the lock after the holder returns, until it settles', async () => {
    const m = new Mutex();
    const work = deferred();
    let second = false;
    await m.run((hold) => {
      hold(work.promise);
      return Promise.resolve();
    });
    const next = m.run(() => {
      second = true;
      return Promise.resolve();
    });
    await sleep(5);
    expect(second).toBe(false);
    work.resolve();
    await next;
    expect(second).toBe(true);
  });

  it('a holder that throws releases the lock', async () => {
    const m = new Mutex();
    await expect(m.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(m.run(() => Promise.resolve(7))).resolves.toBe(7);
  });
});

describe('abort helpers', () => {
  it('abortReason keeps an Error reason and wraps anything else as an AbortError', () => {
    const e = new Error('why');
    expect(abortReason(AbortSignal.abort(e))).toBe(e);
    const wrapped = abortReason(AbortSignal.abort('text'));
    expect(wrapped.name).toBe('AbortError');
    expect(wrapped.message).toBe('text');
  });

  it('raceAbort rejects on abort without waiting for the work, and passes results through', async () => {
    const ac = new AbortController();
    const never = new Promise<number>(() => undefined);
    const raced = raceAbort(never, ac.signal);
    ac.abort(new Error('stop'));
    await expect(raced).rejects.toThrow('stop');
    await expect(raceAbort(Promise.resolve(3), new AbortController().signal)).resolves.toBe(3);
    await expect(raceAbort(Promise.reject(new Error('own')))).rejects.toThrow('own');
  });

  it('sleep rejects when aborted; pause resolves instead', async () => {
    const ac = new AbortController();
    const s = sleep(60_000, ac.signal);
    const p = pause(60_000, ac.signal);
    ac.abort(new Error('enough'));
    await expect(s).rejects.toThrow('enough');
    await expect(p).resolves.toBeUndefined();
  });
});
