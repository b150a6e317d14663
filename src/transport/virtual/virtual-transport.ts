/**
 * A Transport over the in-process software eUICC: the LPA talks to it exactly as to a reader.
 * Optional per-APDU latency (benchmarks) plus the card's own fault delay; AbortSignal is
 * honoured before and during the delay; a removed card surfaces as TransportClosedError.
 */
import { sleep } from '../../base/async.ts';
import { CardRemovedError } from '../../euicc/errors.ts';
import type { SoftwareEuicc } from '../../euicc/software-euicc.ts';
import { TransportClosedError } from '../transport.ts';
import type { Transport } from '../transport.ts';

export interface VirtualTransportOptions {
  /** Milliseconds added to every APDU. */
  latencyMs?: number;
  /** Called with every command and response (tests, traces). */
  onExchange?: (command: Uint8Array, response: Uint8Array) => void;
}

export class VirtualTransport implements Transport {
  readonly label = 'Virtual eUICC';
  readonly maxStoreDataBlock = 255;
  private closed = false;

  constructor(
    readonly euicc: SoftwareEuicc,
    private readonly options: VirtualTransportOptions = {},
  ) {}

  async transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    if (this.closed) throw new TransportClosedError('the virtual eUICC link is closed');
    signal?.throwIfAborted();
    const delay = (this.options.latencyMs ?? 0) + this.euicc.faults.delayMs;
    if (delay > 0) await sleep(delay, signal);
    if (this.closed) throw new TransportClosedError('the virtual eUICC link is closed');
    try {
      const res = this.euicc.transmit(apdu);
      this.options.onExchange?.(apdu, res);
      return res;
    } catch (e) {
      if (e instanceof CardRemovedError)
        throw new TransportClosedError('the virtual eUICC was removed', { cause: e });
      throw e;
    }
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
