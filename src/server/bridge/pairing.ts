/**
 * Pairing a web page with the card bridge: the bridge prints a random code; a page that sends it
 * gets a token, kept by the page, that opens later connections from the same Origin without a
 * code. Wrong codes are throttled (a wait doubling from 1 s, up to a minute) and, after
 * MAX_FAILURES_PER_CODE of them, the code is replaced by a new one.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PAIRING_CODE_DIGITS } from '../../transport/bridge/protocol.ts';

/** Where paired tokens are remembered: only their SHA-256 and the Origin they belong to. */
export interface TokenStore {
  has(tokenHash: string, origin: string): boolean;
  add(tokenHash: string, origin: string): void;
}

export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, string>();
  has(tokenHash: string, origin: string): boolean {
    return this.tokens.get(tokenHash) === origin;
  }
  add(tokenHash: string, origin: string): void {
    this.tokens.set(tokenHash, origin);
  }
}

/** Tokens kept in a JSON file (mode 0600), so pages stay paired across restarts of the bridge. */
export class FileTokenStore implements TokenStore {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly path: string) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return;
    }
    try {
      const data: unknown = JSON.parse(text);
      const list = (data as { tokens?: unknown }).tokens;
      if (!Array.isArray(list)) return;
      for (const t of list as unknown[]) {
        const { hash, origin } = (t ?? {}) as { hash?: unknown; origin?: unknown };
        if (typeof hash === 'string' && typeof origin === 'string') this.tokens.set(hash, origin);
      }
    } catch {
      // An unreadable file pairs nobody; the next pairing rewrites it.
    }
  }

  has(tokenHash: string, origin: string): boolean {
    return this.tokens.get(tokenHash) === origin;
  }

  add(tokenHash: string, origin: string): void {
    this.tokens.set(tokenHash, origin);
    const body = JSON.stringify(
      { tokens: [...this.tokens].map(([hash, o]) => ({ hash, origin: o })) },
      null,
      2,
    );
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, body, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A fresh code of PAIRING_CODE_DIGITS decimal digits from the system's CSPRNG. */
export function randomPairingCode(): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_DIGITS; i++) code += String(randomInt(10));
  return code;
}

export const MAX_FAILURES_PER_CODE = 5;
const FIRST_WAIT_MS = 1000;
const MAX_WAIT_MS = 60_000;

export type PairResult =
  | { ok: true; token: string }
  | { ok: false; reason: 'badPairingCode' | 'pairingLocked'; retryAfterMs: number };

export interface PairingOptions {
  tokens: TokenStore;
  newCode?: () => string;
  now?: () => number;
  /** Called with every new code (the first one too): the bridge prints it. */
  onCode?: (code: string, why: 'start' | 'used' | 'tooManyFailures') => void;
}

export class Pairing {
  private code: string;
  /** Wrong codes since the last success (across connections and codes). */
  private failures = 0;
  private failuresThisCode = 0;
  private lockedUntil = 0;
  private readonly newCode: () => string;
  private readonly now: () => number;

  constructor(private readonly options: PairingOptions) {
    this.newCode = options.newCode ?? randomPairingCode;
    this.now = options.now ?? Date.now;
    this.code = this.newCode();
    options.onCode?.(this.code, 'start');
  }

  get currentCode(): string {
    return this.code;
  }

  isPaired(token: string | undefined, origin: string): boolean {
    return token !== undefined && this.options.tokens.has(hashToken(token), origin);
  }

  /** Checks a code typed into the page at `origin`; a right one is used up and replaced. */
  pair(code: string, origin: string): PairResult {
    const now = this.now();
    if (now < this.lockedUntil)
      return { ok: false, reason: 'pairingLocked', retryAfterMs: this.lockedUntil - now };
    const given = Buffer.from(code.trim(), 'utf8');
    const expected = Buffer.from(this.code, 'utf8');
    const right = given.length === expected.length && timingSafeEqual(given, expected);
    if (!right) {
      this.failures++;
      this.failuresThisCode++;
      const wait = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(this.failures - 1, 16));
      this.lockedUntil = now + wait;
      if (this.failuresThisCode >= MAX_FAILURES_PER_CODE) this.rotate('tooManyFailures');
      return { ok: false, reason: 'badPairingCode', retryAfterMs: wait };
    }
    this.failures = 0;
    this.lockedUntil = 0;
    const token = randomBytes(32).toString('base64url');
    this.options.tokens.add(hashToken(token), origin);
    this.rotate('used');
    return { ok: true, token };
  }

  private rotate(why: 'used' | 'tooManyFailures'): void {
    this.code = this.newCode();
    this.failuresThisCode = 0;
    this.options.onCode?.(this.code, why);
  }
}
