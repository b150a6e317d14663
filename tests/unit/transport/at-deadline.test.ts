// A STORE DATA segment that takes minutes on a slow modem (lpac pull request #442: a 240 s
// deadline for AT+CGLA during a Bound Profile Package), on fake timers: nothing is slept.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { createEuicc, createTestIdentity } from '../../../src/euicc/index.ts';
import { AtTransport } from '../../../src/transport/webserial-at/at-transport.ts';
import type { ByteStream } from '../../../src/transport/webserial-at/at-runner.ts';
import { AtTimeoutError } from '../../../src/transport/webserial-at/errors.ts';
import { FakeAtModem, type AtRule } from '../../fakes/serial/fake-at-modem.ts';

const ISD_R = fromHex('A0000005591010FFFFFFFF8900000100');
// ES10c GetEID, channel bits zero (the modem sets them).
const GET_EID = fromHex('80E2910006BF3E035C015A00');

/** A ByteStream straight into the fake modem (no Web Streams, so fake timers drive it all). */
function modemStream(modem: FakeAtModem): ByteStream {
  const queue: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const push = (text: string) => {
    if (text) queue.push(new TextEncoder().encode(text));
    wake?.();
  };
  modem.attach(push);
  let buffer = '';
  let chain = Promise.resolve();
  return {
    async read() {
      while (queue.length === 0) {
        if (closed) return undefined;
        await new Promise<void>((r) => (wake = r));
      }
      return queue.shift();
    },
    write(bytes) {
      buffer += new TextDecoder().decode(bytes);
      let i: number;
      while ((i = buffer.indexOf('\r')) >= 0) {
        const line = buffer.slice(0, i).trim();
        buffer = buffer.slice(i + 1);
        if (line) {
          chain = chain.then(async () => {
            push(await modem.command(line));
          });
        }
      }
      return Promise.resolve();
    },
    close() {
      closed = true;
      wake?.();
      return Promise.resolve();
    },
  };
}

async function openWith(rules: AtRule[]) {
  const euicc = createEuicc({
    identity: createTestIdentity({ curve: 'P-256', seed: 'at-deadline' }),
  });
  const modem = new FakeAtModem({ card: (a) => euicc.transmit(a), rules });
  const transport = await AtTransport.open(modemStream(modem));
  const channel = await transport.logicalChannels!.open(ISD_R);
  return { transport, channel };
}

describe('STORE DATA deadline on AT links', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits three minutes for a STORE DATA answer', async () => {
    const { transport, channel } = await openWith([
      { match: /^AT\+CGLA=\d+,\d+,"80E291/, delayMs: 180_000 },
    ]);
    let answer: Uint8Array | undefined;
    const pending = channel.transmit(GET_EID).then((r) => (answer = r));
    await vi.advanceTimersByTimeAsync(179_000);
    expect(answer).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    await pending;
    expect(toHex(answer!.subarray(-2))).toBe('9000');
    await transport.close();
  });

  it('gives up after 240 s with AtTimeoutError', async () => {
    const { transport, channel } = await openWith([
      { match: /^AT\+CGLA=\d+,\d+,"80E291/, delayMs: 300_000 },
    ]);
    const outcome = channel.transmit(GET_EID).then(
      () => 'answered',
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(240_000);
    const err = await outcome;
    expect(err).toBeInstanceOf(AtTimeoutError);
    expect((err as AtTimeoutError).timeoutMs).toBe(240_000);
    await vi.advanceTimersByTimeAsync(60_000);
    await transport.close();
  });
});
