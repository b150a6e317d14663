/**
 * Download order state of the test SM-DP+ and its policies: one-time orders, confirmation-code
 * attempts across sessions (back-off and lock), and what a cancelled session does to an order.
 *
 * Confirmation codes (SGP.22 v2.2.2 §5.6.2, ES9+.GetBoundProfilePackage, hashCc): a 4-digit code
 * falls to guessing unless wrong attempts are limited per order, not per session. Each wrong
 * code counts against the order in every session; before the n-th next attempt the order
 * waits `backoffMs * 2^(n-1)` (attempts that arrive earlier are refused unchecked), and after
 * `maxAttempts` wrong codes the order is locked (8.2.7/6.4) until resetCcLock(). A right code
 * clears the count.
 *
 * Cancel after delivery: a one-time order whose Bound Profile Package was delivered stays used
 * when the session is cancelled (ES9+.CancelSession, §5.6.5), unless the catalogue sets
 * `releaseOnCancel`. The package stays retrievable in its own session (a retried
 * getBoundProfilePackage returns the cached package), so an LPA that lost the answer can
 * still install.
 */
import type { Order } from './catalogue.ts';

export interface OrderState {
  order: Order;
  downloads: number;
  installs: number;
  /** Sessions that passed authenticateClient (drives per-download ICCIDs). */
  issued: number;
  /** One-time orders: taken by a delivered BPP (see releaseAfterCancel for returns). */
  used: boolean;
  /** Wrong confirmation codes since the last right one or reset, over all sessions. */
  ccFailures: number;
  /** No confirmation code is checked before this instant (epoch ms). */
  ccNotBeforeMs: number;
  /** Too many wrong codes: refused until resetCcLock(). */
  ccLocked: boolean;
}

export interface CcPolicy {
  /** Wrong confirmation codes per order before it is locked. */
  maxAttempts: number;
  /** Wait after the first wrong code; doubles with each further one. */
  backoffMs: number;
}

export const DEFAULT_CC_POLICY: CcPolicy = { maxAttempts: 5, backoffMs: 1000 };

/** The longest back-off between two attempts, whatever the policy. */
const MAX_BACKOFF_MS = 60 * 60_000;

export function newOrderState(order: Order): OrderState {
  return {
    order,
    downloads: 0,
    installs: 0,
    issued: 0,
    used: false,
    ccFailures: 0,
    ccNotBeforeMs: 0,
    ccLocked: false,
  };
}

/** A one-time order that was delivered is no longer offered. */
export function isAvailable(state: OrderState): boolean {
  return state.order.reusable || !state.used;
}

export type CcGate = { kind: 'open' } | { kind: 'locked' } | { kind: 'backoff'; retryAt: Date };

/** Whether a confirmation code may be checked for this order now. */
export function ccGate(state: OrderState, nowMs: number): CcGate {
  if (state.ccLocked) return { kind: 'locked' };
  if (nowMs < state.ccNotBeforeMs)
    return { kind: 'backoff', retryAt: new Date(state.ccNotBeforeMs) };
  return { kind: 'open' };
}

/** Counts a wrong code; returns whether the order is now locked. */
export function recordWrongCode(state: OrderState, nowMs: number, policy: CcPolicy): boolean {
  state.ccFailures++;
  if (state.ccFailures >= policy.maxAttempts) {
    state.ccLocked = true;
    return true;
  }
  const exponent = Math.min(state.ccFailures - 1, 30);
  state.ccNotBeforeMs = nowMs + Math.min(policy.backoffMs * 2 ** exponent, MAX_BACKOFF_MS);
  return false;
}

export function recordRightCode(state: OrderState): void {
  state.ccFailures = 0;
  state.ccNotBeforeMs = 0;
}

/** Unlocks the order and forgets its wrong codes. */
export function resetCcLock(state: OrderState): void {
  state.ccFailures = 0;
  state.ccNotBeforeMs = 0;
  state.ccLocked = false;
}

/**
 * A session of this order was cancelled after its package was delivered: the order returns to
 * the pool only when the catalogue allows it and no profile of it was installed.
 * Returns whether it was released.
 */
export function releaseAfterCancel(state: OrderState): boolean {
  if (state.order.reusable || state.order.releaseOnCancel !== true || state.installs > 0)
    return false;
  state.used = false;
  return true;
}
