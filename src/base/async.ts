/**
 * The async primitives every layer shares: what an abort rejects with, racing a promise against
 * an AbortSignal, an abortable sleep and a FIFO lock. No DOM and no Node: AbortSignal, timers and
 * DOMException exist in browsers, Node, Deno and workerd alike.
 */

/** What an aborted operation rejects with: the signal's reason if it is an Error, else an AbortError. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException(
    typeof reason === 'string' ? reason : 'The operation was aborted',
    'AbortError',
  );
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * Settles like `promise`, or rejects with the abort reason as soon as `signal` aborts. The
 * underlying operation is not cancelled by this; callers that own a resource wait for it.
 */
export function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(asError(e));
      },
    );
  });
}

/** Resolves after `ms`; rejects with the abort reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects): for polling loops. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * One holder at a time, in call order (FIFO). A caller whose signal aborts while it waits
 * rejects at once and hands its turn on when that turn comes, so the order of the others holds;
 * a holder that throws releases the lock. `fn` may start work that outlives it (an APDU the link
 * is still sending after its caller gave up): passing that work to `hold` keeps the lock until it
 * settles, so the next holder never meets a busy link.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(
    fn: (hold: (work: Promise<unknown>) => void) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    if (signal?.aborted) throw abortReason(signal);
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await raceAbort(previous, signal);
    } catch (e) {
      void previous.then(release);
      throw e;
    }
    let held: Promise<unknown> | undefined;
    try {
      return await fn((work) => {
        held = work;
      });
    } finally {
      if (held) void held.then(release, release);
      else release();
    }
  }
}
