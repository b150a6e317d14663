/**
 * at-line: the AT modem transport (src/transport/webserial-at) against a fake modem whose
 * output is damaged on the way: answers cut at random points, URCs and garbage spliced in
 * (mid-line too), echoes repeated, huge lines, final result codes dropped, replaced or doubled,
 * +CSIM/+CGLA hex mangled, the stream ended or failing. Each case opens the transport
 * (strategy probing) and sends a few APDUs.
 * Properties: every call ends in an answer (at least SW1 SW2) or a typed transport error
 * (AtCommandError, AtResponseError, AtTimeoutError, AtUnsupportedError, TransportClosedError);
 * close() always finishes; nothing hangs.
 */
import { TransportClosedError } from '../../src/transport/transport.ts';
import {
  AtCommandError,
  AtResponseError,
  AtTimeoutError,
  AtTransport,
  AtUnsupportedError,
  URC_PREFIXES,
  type ByteStream,
} from '../../src/transport/webserial-at/index.ts';
import { FakeAtModem, type ModemMode } from '../../tests/fakes/serial/fake-at-modem.ts';
import { ISD_R_AID, tinyCard } from '../../tests/fakes/usb/tiny-card.ts';
import { describeError, type Failure, type FuzzTarget, type TargetInstance } from '../harness.ts';
import { Prng } from '../prng.ts';

const MODES: readonly ModemMode[] = [
  'standard',
  'quectel',
  'sierra',
  'em9191',
  'em9191-cme',
  'fibocom',
  'simcom7600',
  'dw5821e',
];

interface AtInput {
  mode: ModemMode;
  strategy: 'auto' | 'cgla' | 'csim';
  echo: boolean;
  /** Chance that one answer is damaged. */
  damage: number;
  /** Seeds the damage and the chunking, so the case replays exactly. */
  noise: string;
}

const TYPED = [
  AtCommandError,
  AtResponseError,
  AtTimeoutError,
  AtUnsupportedError,
  TransportClosedError,
];

function typed(e: unknown): boolean {
  return TYPED.some((t) => e instanceof t);
}

const GARBAGE_LINES = [
  '+CSIM: 4,"9000"',
  '+CSIM: 5,"9000F"',
  '+CSIM: 99999999999999999999,"90"',
  '+CSIM: -1,"9000"',
  '+CSIM: 0,""',
  '+CGLA: 4,"6A82"',
  '+CCHO: ',
  '+CCHO: -1',
  '+CCHO: "zz"',
  '+CCHO: 99999999999999999999999',
  'OK',
  'ERROR',
  '+CME ERROR: ',
  '+CME ERROR: 999999999999999999999',
  '+CMS ERROR: x',
  'NO CARRIER',
  '> ',
  '\u0000\u0000',
  '\u00ff\u00fe',
];

/** Damages one answer of the modem. */
function damage(
  rng: Prng,
  text: string,
  command: string,
): { text: string } | 'end' | 'fail' | undefined {
  switch (rng.int(14)) {
    case 0:
      return undefined; // no answer at all
    case 1:
      return { text: text.replace(/\r\nOK\r\n$/, '\r\n') }; // final result dropped
    case 2:
      return {
        text: text.replace(
          /OK\r\n$/,
          rng.pick(['ERROR\r\n', '+CME ERROR: 13\r\n', 'NO CARRIER\r\n', 'OK\r\nOK\r\n']),
        ),
      };
    case 3: {
      const line = rng.pick([...URC_PREFIXES, ...GARBAGE_LINES]);
      const p = rng.int(text.length + 1);
      return { text: text.slice(0, p) + `\r\n${line}\r\n` + text.slice(p) };
    }
    case 4: {
      const p = rng.int(text.length + 1);
      let junk = '';
      for (let i = rng.range(1, 40); i > 0; i--) junk += String.fromCharCode(rng.int(256));
      return { text: text.slice(0, p) + junk + text.slice(p) };
    }
    case 5:
      return {
        text:
          'x'.repeat(rng.pick([1000, 70_000, 300_000])) + (rng.chance(0.5) ? '\r\n' : '') + text,
      };
    case 6:
      return { text: `${command}\r${command}\r${text}` };
    case 7:
      return {
        text: text.replace(
          /"([0-9A-F]*)"/,
          (_, hex: string) =>
            `"${rng.pick([hex.slice(1), hex + 'G', hex.toLowerCase(), '', hex.slice(0, -2)])}"`,
        ),
      };
    case 8:
      return {
        text: text.replace(/: (\d+),/, () => `: ${rng.pick(['0', '1', '-5', '4294967296', ''])},`),
      };
    case 9:
      return rng.chance(0.5) ? 'end' : 'fail';
    case 10:
      return { text: text.replace(/\r\n/g, rng.pick(['\n', '\r', '\n\r', '\r\r\n'])) };
    case 11:
      return { text: text + text };
    case 12:
      return { text: text.slice(0, rng.int(text.length)) };
    default:
      return { text: `\r\n${rng.pick(URC_PREFIXES)}${rng.pick(['', ' 1,2', ' "x"'])}\r\n${text}` };
  }
}

/** A ByteStream whose far end is a FakeAtModem, with the damage applied to its answers. */
function damagedStream(input: AtInput): { stream: ByteStream; closed: () => boolean } {
  const rng = new Prng(input.noise);
  const modem = new FakeAtModem({ mode: input.mode, card: tinyCard(), echo: input.echo });
  const queue: (Uint8Array | 'end' | 'fail')[] = [];
  let waiter: (() => void) | undefined;
  let closed = false;
  let chain = Promise.resolve();
  let buffer = '';
  const push = (item: Uint8Array | 'end' | 'fail'): void => {
    queue.push(item);
    waiter?.();
    waiter = undefined;
  };
  const emit = (text: string): void => {
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
    // Cut into random pieces, as a serial port delivers them.
    let o = 0;
    while (o < bytes.length) {
      const n = rng.chance(0.5) ? bytes.length - o : rng.range(1, Math.max(1, bytes.length - o));
      push(bytes.subarray(o, o + n));
      o += n;
    }
  };
  modem.attach(emit);
  const stream: ByteStream = {
    async read() {
      for (;;) {
        if (closed) return undefined;
        const item = queue.shift();
        if (item === 'end') return undefined;
        if (item === 'fail') throw new DOMException('The device has been lost.', 'NetworkError');
        if (item !== undefined) return item;
        await new Promise<void>((r) => (waiter = r));
      }
    },
    write(bytes) {
      if (closed) return Promise.reject(new DOMException('closed', 'InvalidStateError'));
      if (rng.chance(0.01)) return Promise.reject(new DOMException('write failed', 'NetworkError'));
      for (const b of bytes) buffer += String.fromCharCode(b);
      let i: number;
      while ((i = buffer.indexOf('\r')) >= 0) {
        const line = buffer.slice(0, i).trim();
        buffer = buffer.slice(i + 1);
        if (!line) continue;
        chain = chain.then(async () => {
          const answer = await modem.command(line);
          if (rng.chance(0.05)) modem.urc(rng.pick(URC_PREFIXES));
          const out = rng.chance(input.damage) ? damage(rng, answer, line) : { text: answer };
          if (out === 'end' || out === 'fail') push(out);
          else if (out !== undefined) emit(out.text);
        });
      }
      return Promise.resolve();
    },
    close() {
      closed = true;
      waiter?.();
      return Promise.resolve();
    },
  };
  return { stream, closed: () => closed };
}

const GET_EID = Uint8Array.from(Buffer.from('80E2910006BF3E035C015A00', 'hex'));
const SELECT_ISD_R = Uint8Array.from(
  Buffer.from('01A4040010A0000005591010FFFFFFFF890000010000', 'hex'),
);
const OPEN_CHANNEL = Uint8Array.of(0x00, 0x70, 0x00, 0x00, 0x01);

function checkAnswer(r: unknown, what: string): Failure | undefined {
  if (!(r instanceof Uint8Array) || r.length < 2)
    return { kind: 'invariant', detail: `${what}: answer without a status word` };
  return undefined;
}

export const atLineTarget: FuzzTarget = {
  name: 'at-line',
  description: 'AT modem transport with damaged modem output',
  budgetMs: 10_000,
  setup(): Promise<TargetInstance<unknown>> {
    const instance: TargetInstance<AtInput> = {
      generate: (rng) => ({
        mode: rng.chance(0.5) ? 'standard' : rng.pick(MODES),
        strategy: rng.pick(['auto', 'auto', 'cgla', 'csim'] as const),
        echo: rng.chance(0.5),
        damage: rng.pick([0.05, 0.2, 0.5]),
        noise: String(rng.u32()),
      }),
      encode: (input) => new TextEncoder().encode(JSON.stringify(input)),
      async execute(input) {
        const { stream } = damagedStream(input);
        let transport: AtTransport;
        try {
          transport = await AtTransport.open(stream, {
            strategy: input.strategy,
            timeoutMs: 60,
            storeDataTimeoutMs: 60,
          });
        } catch (e) {
          return typed(e) ? undefined : { kind: 'crash', detail: `open: ${describeError(e)}` };
        }
        try {
          if (transport.logicalChannels) {
            const ch = await transport.logicalChannels.open(ISD_R_AID);
            const f = checkAnswer(await ch.transmit(GET_EID), 'CGLA GetEID');
            if (f) return f;
            await ch.close();
          } else {
            for (const apdu of [OPEN_CHANNEL, SELECT_ISD_R, GET_EID]) {
              const f = checkAnswer(await transport.transmit(apdu), 'CSIM');
              if (f) return f;
            }
          }
        } catch (e) {
          if (!typed(e)) return { kind: 'crash', detail: `APDU: ${describeError(e)}` };
        } finally {
          await transport.close();
        }
        return undefined;
      },
      close: () => Promise.resolve(),
    };
    return Promise.resolve(instance as TargetInstance<unknown>);
  },
};
