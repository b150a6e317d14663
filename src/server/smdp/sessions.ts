/**
 * The SM-DP+/SM-DS session table: RSP sessions keyed by transaction ID, with a cap on live
 * sessions and expiry in O(1) amortised time.
 *
 * Every session lives for the same fixed time from its creation, so the order sessions are
 * added in is also the order they expire in: a Map keeps insertion order, and sweep() removes
 * from its front while the first entry has expired (no copy of the table per request). A clock
 * that goes backwards only delays expiry; it never loses a live session.
 *
 * Sessions that have not passed authenticateClient (`pending`) cost the caller nothing but an
 * HTTP request, so when the table is full the oldest of them is evicted to make room; when every
 * live session is authenticated, add() refuses the new one and the caller answers with a clean
 * ES9+ failure status.
 */

/** What the table needs to know of a session. */
export interface TableSession {
  readonly txHex: string;
  /** Expiry instant in epoch milliseconds (creation + the fixed session timeout). */
  readonly expiresAtMs: number;
}

/** Default cap on live sessions. */
export const DEFAULT_MAX_SESSIONS = 1000;

export class SessionTable<S extends TableSession> {
  /** Every live session, in creation order (= expiry order). */
  private readonly all = new Map<string, S>();
  /** Live sessions that have not authenticated yet, in creation order. */
  private readonly pending = new Map<string, S>();

  /**
   * @param max cap on live sessions (at least 1)
   * @param onEnd called for every session the table drops by itself (expired or evicted)
   */
  constructor(
    readonly max: number,
    private readonly onEnd: (s: S, why: 'expired' | 'evicted') => void,
  ) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`the session cap must be a positive integer (got ${max})`);
  }

  get size(): number {
    return this.all.size;
  }

  get(txHex: string): S | undefined {
    return this.all.get(txHex);
  }

  values(): IterableIterator<S> {
    return this.all.values();
  }

  /**
   * Adds a new, unauthenticated session. When the table is full, the oldest unauthenticated
   * session is evicted first; returns false (nothing added) when every live session has
   * authenticated.
   */
  add(s: S): boolean {
    if (this.all.size >= this.max) {
      const oldest = this.pending.values().next();
      if (oldest.done === true) return false;
      this.delete(oldest.value);
      this.onEnd(oldest.value, 'evicted');
    }
    this.all.set(s.txHex, s);
    this.pending.set(s.txHex, s);
    return true;
  }

  /** The session passed authenticateClient: it is no longer a candidate for eviction. */
  authenticated(s: S): void {
    this.pending.delete(s.txHex);
  }

  delete(s: S): void {
    this.all.delete(s.txHex);
    this.pending.delete(s.txHex);
  }

  /** Drops every session that has expired at `nowMs` (from the front: O(expired) per call). */
  sweep(nowMs: number): void {
    for (;;) {
      const first = this.all.values().next();
      if (first.done === true || first.value.expiresAtMs > nowMs) return;
      this.delete(first.value);
      this.onEnd(first.value, 'expired');
    }
  }
}

/**
 * A Map bounded to `max` entries that forgets the oldest-inserted entry first (the finished
 * sessions kept for late install notifications, the notification replay keys).
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`the bound must be a positive integer (got ${max})`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Sets the entry as the newest one, dropping the oldest when over the bound. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
  }
}
