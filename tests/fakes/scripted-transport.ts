/**
 * A Transport that plays an exact script. Each step names the APDU the code must send next and
 * what the "card" answers, so tests pin exact bytes. Any other APDU fails with a readable diff
 * (expected and actual hex, a caret under the first differing digit); `assertDone()` then
 * fails too, even if the code under test swallowed the first error, and it also fails when
 * steps were left unsent.
 *
 * Steps:
 *   ['00A4040010A0...00', '9000']                  basic transmit (hex, whitespace ignored)
 *   ['80E2...', new TransportClosedError('gone')]  the link fails instead of answering
 *   { open: 'A000...0100', channel: 1 }            native AT+CCHO (when `native: true`)
 *   { open: 'A000...0300', error: new Error('x') } a native open that fails
 *   { on: 1, command: '80E2...', response: '...' } a transmit on native channel 1
 *   { closeChannel: 1 }                            native AT+CCHC
 */
import { fromHex, toHex } from '../../src/codec/hex.ts';
import type {
  NativeLogicalChannel,
  NativeLogicalChannels,
  Transport,
} from '../../src/transport/transport.ts';

export type BasicStep = readonly [command: string, response: string | Error];
export interface NativeOpenStep {
  readonly open: string;
  readonly channel?: number;
  readonly error?: Error;
}
export interface NativeTransmitStep {
  readonly on: number;
  readonly command: string;
  readonly response: string | Error;
}
export interface NativeCloseStep {
  readonly closeChannel: number;
}
export type ScriptStep = BasicStep | NativeOpenStep | NativeTransmitStep | NativeCloseStep;

export class ScriptMismatchError extends Error {
  override readonly name = 'ScriptMismatchError';
}

export interface ScriptedTransportOptions {
  /** What the link advertises as its STORE DATA block limit (default 255). */
  maxStoreDataBlock?: number;
  /** Offer native logical channels (AT+CCHO/CGLA/CCHC) scripted with the object steps. */
  native?: boolean;
  label?: string;
}

const clean = (hex: string): string => hex.replace(/\s+/g, '').toUpperCase();

function describeStep(step: ScriptStep | undefined): string {
  if (step === undefined) return 'nothing (the script has ended)';
  if (Array.isArray(step)) return `transmit ${clean((step as BasicStep)[0])}`;
  if ('open' in step) return `native open ${clean(step.open)}`;
  if ('on' in step) return `native transmit on ${step.on}: ${clean(step.command)}`;
  return `native close ${(step as NativeCloseStep).closeChannel}`;
}

/** "expected X / actual Y" with a caret under the first differing hex digit. */
export function hexDiff(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  return [
    `  expected ${expected}`,
    `  actual   ${actual}`,
    `           ${' '.repeat(i)}^ first difference at hex digit ${i} (byte ${Math.floor(i / 2)})`,
  ].join('\n');
}

export class ScriptedTransport implements Transport {
  readonly label: string;
  readonly maxStoreDataBlock: number;
  readonly logicalChannels?: NativeLogicalChannels;
  /** Every APDU / native event received, in order (hex; native ones prefixed). */
  readonly sent: string[] = [];
  /** The signals passed with each basic transmit, in order. */
  readonly signals: (AbortSignal | undefined)[] = [];
  closed = false;
  private index = 0;
  private failure: ScriptMismatchError | undefined;

  constructor(
    readonly script: readonly ScriptStep[],
    options: ScriptedTransportOptions = {},
  ) {
    this.label = options.label ?? 'Scripted transport';
    this.maxStoreDataBlock = options.maxStoreDataBlock ?? 255;
    if (options.native) {
      this.logicalChannels = { open: (aid) => this.nativeOpen(aid) };
    }
  }

  /** How many steps have been played. */
  get position(): number {
    return this.index;
  }

  transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const actual = toHex(apdu);
    this.sent.push(actual);
    this.signals.push(signal);
    const step = this.script[this.index];
    if (!Array.isArray(step))
      return this.fail(
        `APDU #${this.index + 1}: got transmit ${actual}, expected ${describeStep(step)}`,
      );
    const [command, response] = step as BasicStep;
    const expected = clean(command);
    if (expected !== actual)
      return this.fail(`APDU #${this.index + 1} differs\n${hexDiff(expected, actual)}`);
    this.index++;
    return response instanceof Error
      ? Promise.reject(response)
      : Promise.resolve(fromHex(response));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Throws unless every step was played and nothing unexpected was sent. */
  assertDone(): void {
    if (this.failure) throw this.failure;
    if (this.index !== this.script.length)
      throw new ScriptMismatchError(
        `only ${this.index} of ${this.script.length} scripted steps were played; next expected: ${describeStep(this.script[this.index])}`,
      );
  }

  private fail<T>(message: string): Promise<T> {
    const err = new ScriptMismatchError(message);
    this.failure ??= err;
    return Promise.reject(err);
  }

  private nativeOpen(aid: Uint8Array): Promise<NativeLogicalChannel> {
    const actual = toHex(aid);
    this.sent.push(`open ${actual}`);
    const step = this.script[this.index];
    if (step === undefined || Array.isArray(step) || !('open' in step))
      return this.fail(
        `step #${this.index + 1}: got native open ${actual}, expected ${describeStep(step)}`,
      );
    const open = step;
    if (clean(open.open) !== actual)
      return this.fail(
        `native open #${this.index + 1} differs\n${hexDiff(clean(open.open), actual)}`,
      );
    this.index++;
    if (open.error) return Promise.reject(open.error);
    const channel = open.channel ?? 1;
    return Promise.resolve({
      transmit: (apdu: Uint8Array) => this.nativeTransmit(channel, apdu),
      close: () => this.nativeClose(channel),
    });
  }

  private nativeTransmit(channel: number, apdu: Uint8Array): Promise<Uint8Array> {
    const actual = toHex(apdu);
    this.sent.push(`ch${channel} ${actual}`);
    const step = this.script[this.index];
    if (step === undefined || Array.isArray(step) || !('on' in step) || step.on !== channel)
      return this.fail(
        `step #${this.index + 1}: got native transmit on ${channel}: ${actual}, expected ${describeStep(step)}`,
      );
    const t = step;
    if (clean(t.command) !== actual)
      return this.fail(
        `native APDU #${this.index + 1} differs\n${hexDiff(clean(t.command), actual)}`,
      );
    this.index++;
    return t.response instanceof Error
      ? Promise.reject(t.response)
      : Promise.resolve(fromHex(t.response));
  }

  private nativeClose(channel: number): Promise<void> {
    this.sent.push(`close ${channel}`);
    const step = this.script[this.index];
    if (
      step === undefined ||
      Array.isArray(step) ||
      !('closeChannel' in step) ||
      step.closeChannel !== channel
    )
      return this.fail(
        `step #${this.index + 1}: got native close ${channel}, expected ${describeStep(step)}`,
      );
    this.index++;
    return Promise.resolve();
  }
}
