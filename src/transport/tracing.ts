/**
 * A Transport decorator that records every APDU exchange with its timing. The UI's log and the
 * benchmarks read it; it changes nothing on the wire (same bytes, same errors, same signal).
 *
 * ```ts
 * const traced = new TracingTransport(link, { onRecord: (r) => log.add(r), keep: 500 });
 * const card = new Card(traced);
 * traced.stats; // { apdus, bytesSent, bytesReceived, errors }
 * ```
 */
import type { NativeLogicalChannel, NativeLogicalChannels, Transport } from './transport.ts';

export interface ApduRecord {
  /** 1, 2, 3... in the order the commands were sent. */
  readonly seq: number;
  /** The command APDU as sent (a copy). */
  readonly command: Uint8Array;
  /** Response data plus SW1 SW2 (a copy); absent when the exchange failed. */
  readonly response?: Uint8Array;
  /** SW1 << 8 | SW2 of the response, when it had at least two bytes. */
  readonly sw?: number;
  /** Clock time (ms) when the command was handed to the link. */
  readonly startedAt: number;
  readonly durationMs: number;
  /**
   * The logical channel: from the CLA byte for APDUs on the link (ISO/IEC 7816-4 §5.4.1,
   * ETSI TS 102 221 §10.1.1), or the link-managed channel's number in the order opened.
   */
  readonly channel?: number;
  /** True for APDUs on a link-managed (AT+CGLA) channel. */
  readonly native?: boolean;
  /** What the link threw, when it did. */
  readonly error?: unknown;
}

export interface TraceStats {
  /** Exchanges attempted (failed ones included). */
  apdus: number;
  /** Command bytes handed to the link. */
  bytesSent: number;
  /** Response bytes received (status words included). */
  bytesReceived: number;
  /** Exchanges that ended in a link error. */
  errors: number;
}

export interface TracingOptions {
  /** Called after each exchange; a listener that throws does not disturb the exchange. */
  onRecord?: (record: ApduRecord) => void;
  /** Keep at most this many records in `records`, oldest dropped first. Default 1000; 0 keeps none. */
  keep?: number;
  /** Clock in milliseconds (default Date.now); tests inject their own. */
  now?: () => number;
}

/** The channel number in a CLA byte, or undefined for classes that carry none. */
function channelOfCla(cla: number): number | undefined {
  if (cla === 0xff) return undefined; // reserved for PPS (ISO/IEC 7816-3 §9)
  if ((cla & 0x40) !== 0) return 4 + (cla & 0x0f); // further interindustry: channels 4-19
  if ((cla & 0x20) !== 0) return undefined; // 0x2X/0x3X/0xAX/0xBX are RFU here
  return cla & 0x03;
}

export class TracingTransport implements Transport {
  /** The most recent records, oldest first (at most `keep`). */
  readonly records: ApduRecord[] = [];
  readonly stats: TraceStats = { apdus: 0, bytesSent: 0, bytesReceived: 0, errors: 0 };
  readonly logicalChannels?: NativeLogicalChannels;
  private seq = 0;
  private nativeOpened = 0;
  private readonly now: () => number;
  private readonly keep: number;

  constructor(
    readonly inner: Transport,
    private readonly options: TracingOptions = {},
  ) {
    this.now = options.now ?? (() => Date.now());
    this.keep = Math.max(0, options.keep ?? 1000);
    const native = inner.logicalChannels;
    if (native) {
      this.logicalChannels = {
        open: async (aid, signal) => {
          const ch = await native.open(aid, signal);
          const id = ++this.nativeOpened;
          const traced: NativeLogicalChannel = {
            transmit: (apdu, s) => this.trace(apdu, () => ch.transmit(apdu, s), id),
            close: () => ch.close(),
          };
          return traced;
        },
      };
    }
  }

  get label(): string {
    return this.inner.label;
  }

  get maxStoreDataBlock(): number {
    return this.inner.maxStoreDataBlock;
  }

  transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    return this.trace(apdu, () => this.inner.transmit(apdu, signal));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Forgets the records and zeroes the counters (sequence numbers keep counting). */
  reset(): void {
    this.records.length = 0;
    Object.assign(this.stats, { apdus: 0, bytesSent: 0, bytesReceived: 0, errors: 0 });
  }

  private async trace(
    apdu: Uint8Array,
    send: () => Promise<Uint8Array>,
    nativeChannel?: number,
  ): Promise<Uint8Array> {
    const seq = ++this.seq;
    const command = apdu.slice();
    this.stats.apdus++;
    this.stats.bytesSent += apdu.length;
    const channel = nativeChannel ?? (apdu.length > 0 ? channelOfCla(apdu[0]!) : undefined);
    const base = {
      seq,
      command,
      ...(channel !== undefined ? { channel } : {}),
      ...(nativeChannel !== undefined ? { native: true } : {}),
    };
    const startedAt = this.now();
    let response: Uint8Array;
    try {
      response = await send();
    } catch (error) {
      this.stats.errors++;
      this.emit({ ...base, startedAt, durationMs: this.now() - startedAt, error });
      throw error;
    }
    this.stats.bytesReceived += response.length;
    const n = response.length;
    this.emit({
      ...base,
      startedAt,
      durationMs: this.now() - startedAt,
      response: response.slice(),
      ...(n >= 2 ? { sw: (response[n - 2]! << 8) | response[n - 1]! } : {}),
    });
    return response;
  }

  private emit(record: ApduRecord): void {
    if (this.keep > 0) {
      this.records.push(record);
      if (this.records.length > this.keep) this.records.splice(0, this.records.length - this.keep);
    }
    try {
      this.options.onRecord?.(record);
    } catch {
      // A faulty log listener must not turn a good exchange into a failure.
    }
  }
}
