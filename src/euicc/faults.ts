/**
 * Fault injection for the software eUICC: make the N+1-th APDU fail with a chosen status word,
 * pull the card at that APDU (CardRemovedError), add latency (used by the async virtual
 * transport), or remove the card now. Counting starts when a fault is armed.
 */

export type FaultAction =
  { kind: 'pass' } | { kind: 'fail'; sw: number } | { kind: 'drop'; processed: boolean };

type Armed =
  { kind: 'fail'; sw: number; after: number } | { kind: 'drop'; after: number; processed: boolean };

export class FaultInjector {
  /** APDUs seen since creation (including refused ones). */
  apduCount = 0;
  /** Extra latency per APDU in milliseconds (honoured by VirtualTransport). */
  delayMs = 0;
  private armed: Armed | undefined;
  private seen = 0;
  private gone = false;

  /** The card answers `sw` to the APDU that follows the next `n` APDUs (once). */
  failAfter(n: number, sw: number): void {
    this.armed = { kind: 'fail', sw, after: n };
    this.seen = 0;
  }

  /**
   * The card disappears on the APDU that follows the next `n` APDUs. With `processed` the card
   * executes that APDU first and only the response is lost (power lost while answering).
   */
  dropAfter(n: number, options: { processed?: boolean } = {}): void {
    this.armed = { kind: 'drop', after: n, processed: options.processed ?? false };
    this.seen = 0;
  }

  /** Adds `ms` of latency to every APDU. */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  /** Disarms pending faults and latency (does not reinsert a removed card). */
  clear(): void {
    this.armed = undefined;
    this.delayMs = 0;
  }

  get removed(): boolean {
    return this.gone;
  }

  /** Card removed now. */
  remove(): void {
    this.gone = true;
  }

  /** @internal Clears the removed flag; the card resets itself on reinsertion. */
  markInserted(): void {
    this.gone = false;
  }

  /** @internal Called by the card for every APDU before it is processed. */
  onApdu(): FaultAction {
    this.apduCount++;
    if (this.gone) return { kind: 'drop', processed: false };
    const a = this.armed;
    if (!a) return { kind: 'pass' };
    if (this.seen < a.after) {
      this.seen++;
      return { kind: 'pass' };
    }
    this.armed = undefined;
    if (a.kind === 'drop') {
      this.gone = true;
      return { kind: 'drop', processed: a.processed };
    }
    return { kind: 'fail', sw: a.sw };
  }
}
