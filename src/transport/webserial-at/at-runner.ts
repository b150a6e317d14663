/**
 * Runs AT commands one at a time over a byte stream: writes "<command>\r", collects lines until
 * the final result code, applies a per-command timeout and hands URCs to a listener. The stream
 * is an abstraction over WebSerial's readable/writable pair so Node tests can drive it directly.
 */
import { TransportClosedError } from '../transport.ts';
import { AtLineSplitter, AtResponseParser, type AtResponse } from './at-lines.ts';
import { AtTimeoutError } from './errors.ts';

/** A duplex byte stream (a serial port). `read` resolves undefined once the stream has ended. */
export interface ByteStream {
  read(): Promise<Uint8Array | undefined>;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface AtRunOptions {
  /** Response prefix such as "+CSIM:"; lines with it are never taken for URCs. */
  prefix?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface AtRunnerOptions {
  /** Default per-command timeout (ms). */
  timeoutMs?: number;
  onUrc?: (line: string) => void;
  /** Every line sent and received, for logs. */
  onTrace?: (direction: 'out' | 'in', line: string) => void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

interface Pending {
  parser: AtResponseParser;
  resolve: (r: AtResponse) => void;
  reject: (e: Error) => void;
}

export class AtRunner {
  #stream: ByteStream;
  #splitter = new AtLineSplitter();
  #options: AtRunnerOptions;
  #queue: Promise<unknown> = Promise.resolve();
  #pending: Pending | undefined;
  #closed: TransportClosedError | undefined;
  #reading: Promise<void>;

  constructor(stream: ByteStream, options: AtRunnerOptions = {}) {
    this.#stream = stream;
    this.#options = options;
    this.#reading = this.#readLoop();
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  async #readLoop(): Promise<void> {
    for (;;) {
      let chunk: Uint8Array | undefined;
      try {
        chunk = await this.#stream.read();
      } catch (err) {
        this.#end(new TransportClosedError('the serial port failed', { cause: err }));
        return;
      }
      if (chunk === undefined) {
        this.#end(new TransportClosedError('the serial port was closed'));
        return;
      }
      for (const line of this.#splitter.push(chunk)) this.#line(line);
    }
  }

  #line(line: string): void {
    this.#options.onTrace?.('in', line);
    const p = this.#pending;
    if (!p) {
      // Between commands everything is unsolicited (or a late answer to a timed-out command).
      this.#options.onUrc?.(line);
      return;
    }
    try {
      const done = p.parser.line(line);
      if (done) {
        this.#pending = undefined;
        p.resolve(done);
      }
    } catch (err) {
      this.#pending = undefined;
      p.reject(err as Error);
    }
  }

  #end(error: TransportClosedError): void {
    if (this.#closed) return;
    this.#closed = error;
    const p = this.#pending;
    this.#pending = undefined;
    p?.reject(error);
  }

  /** Sends `command` (without CR) and resolves with its answer; commands run one at a time. */
  run(command: string, options: AtRunOptions = {}): Promise<AtResponse> {
    const task = () => this.#run(command, options);
    const result = this.#queue.then(task, task);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #run(command: string, options: AtRunOptions): Promise<AtResponse> {
    if (this.#closed) throw this.#closed;
    const { signal } = options;
    if (signal?.aborted) throw signalError(signal);
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const parserOptions: { prefix?: string; onUrc?: (line: string) => void } = {};
    if (options.prefix !== undefined) parserOptions.prefix = options.prefix;
    if (this.#options.onUrc) parserOptions.onUrc = this.#options.onUrc;
    return new Promise<AtResponse>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        // The modem still answers; the lines of this answer arrive as "unsolicited" afterwards.
        if (this.#pending?.parser === pending.parser) this.#pending = undefined;
        finish();
        reject(signal ? signalError(signal) : new Error('aborted'));
      };
      const pending: Pending = {
        parser: new AtResponseParser(command, parserOptions),
        resolve: (r) => {
          finish();
          resolve(r);
        },
        reject: (e) => {
          finish();
          reject(e);
        },
      };
      this.#pending = pending;
      const timer = setTimeout(() => {
        if (this.#pending === pending) this.#pending = undefined;
        finish();
        reject(new AtTimeoutError(command, timeoutMs));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#options.onTrace?.('out', command);
      this.#stream.write(new TextEncoder().encode(`${command}\r`)).catch((err: unknown) => {
        if (this.#pending === pending) this.#pending = undefined;
        const closed = new TransportClosedError('writing to the serial port failed', {
          cause: err,
        });
        this.#end(closed);
        pending.reject(closed);
      });
    });
  }

  /** Closes the stream; pending and later commands fail with TransportClosedError. */
  async close(): Promise<void> {
    if (!this.#closed) this.#end(new TransportClosedError('closed'));
    await this.#stream.close().catch(() => undefined);
    await this.#reading.catch(() => undefined);
  }
}

function signalError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException(typeof reason === 'string' ? reason : 'aborted', 'AbortError');
}
