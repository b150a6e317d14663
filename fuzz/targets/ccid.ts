/**
 * ccid: the USB CCID driver (src/transport/webusb-ccid). Parser cases feed mutated reader
 * messages, configuration descriptors, ATRs and T=1 blocks (recorded from a clean session with
 * the fake reader) to the pure parsers; transport cases run openCcidTransport and a few APDUs
 * against the fake reader (short/extended APDU level, TPDU level with a T=0 or a T=1 card)
 * behind a proxy that damages bulk-IN answers (bytes, status, stale repeats, lost answers),
 * interrupt messages and the configuration descriptor.
 * Properties: only typed errors (CcidError, AtrError, T1Error, TransportClosedError,
 * UsbAccessError), answers carry a status word, close() finishes, nothing hangs.
 */
import { TransportClosedError } from '../../src/transport/transport.ts';
import {
  AtrError,
  CcidError,
  T1Error,
  UsbAccessError,
  decodeT1Block,
  findCcidInterfaces,
  openCcidTransport,
  parseAtr,
  parseCcidClassDescriptor,
  parseInterrupt,
  parseResponse,
  type CcidTransport,
  type UsbControlSetup,
  type UsbDeviceLike,
  type UsbInResult,
} from '../../src/transport/webusb-ccid/index.ts';
import {
  createFakeReader,
  defaultAtr,
  t0Card,
  t1Card,
  t1OnlyAtr,
  type FakeCcidOptions,
} from '../../tests/fakes/usb/fake-ccid-device.ts';
import { tinyCard } from '../../tests/fakes/usb/tiny-card.ts';
import { describeError, type Failure, type FuzzTarget, type TargetInstance } from '../harness.ts';
import { concatBytes, mutateBytes } from '../mutate.ts';
import { Prng } from '../prng.ts';

const TYPED = [AtrError, CcidError, T1Error, TransportClosedError, UsbAccessError];

function typed(e: unknown): boolean {
  return TYPED.some((t) => e instanceof t);
}

type Reader = 'short' | 'extended' | 'tpdu-t0' | 'tpdu-t1';

interface ParserCase {
  kind: 'parse';
  parser: 'response' | 'interrupt' | 'classDescriptor' | 'configuration' | 'atr' | 't1';
  bytes: Uint8Array;
}

interface TransportCase {
  kind: 'transport';
  reader: Reader;
  /** Chance that one bulk-IN answer is damaged. */
  damage: number;
  descriptorDamage: boolean;
  noise: string;
}

type CcidInput = ParserCase | TransportCase;

const APDUS = [
  Uint8Array.of(0x00, 0x70, 0x00, 0x00, 0x01),
  Uint8Array.from(Buffer.from('01A4040010A0000005591010FFFFFFFF890000010000', 'hex')),
  Uint8Array.from(Buffer.from('81E2910006BF3E035C015A00', 'hex')),
  Uint8Array.of(0x00, 0x70, 0x80, 0x01, 0x00),
];

function readerOptions(reader: Reader): FakeCcidOptions {
  switch (reader) {
    case 'short':
      return { card: tinyCard() };
    case 'extended':
      return { level: 'extendedApdu', card: tinyCard() };
    case 'tpdu-t0':
      return { level: 'tpdu', card: t0Card(tinyCard()), atr: defaultAtr() };
    case 'tpdu-t1':
      return {
        level: 'tpdu',
        card: t1Card(tinyCard()),
        cardProtocol: 1,
        initialProtocol: 1,
        atr: t1OnlyAtr(),
      };
  }
}

function view(bytes: Uint8Array): DataView {
  const copy = bytes.slice();
  return new DataView(copy.buffer, 0, copy.length);
}

function bytesOf(r: UsbInResult): Uint8Array | undefined {
  return r.data
    ? new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength).slice()
    : undefined;
}

/** A UsbDeviceLike in front of the fake reader that damages what the host reads. */
function damagedDevice(inner: UsbDeviceLike, input: TransportCase): UsbDeviceLike {
  const rng = new Prng(input.noise);
  let last: UsbInResult | undefined;
  const damageIn = async (p: Promise<UsbInResult>): Promise<UsbInResult> => {
    if (!rng.chance(input.damage)) {
      const r = await p;
      last = r;
      return r;
    }
    switch (rng.int(6)) {
      case 0:
        return { status: rng.pick(['stall', 'babble'] as const) };
      case 1:
        return { status: 'ok' };
      case 2:
        // A stale answer (an earlier bSeq) instead of this one; this one comes next time.
        if (last) return last;
        return p;
      case 3:
        return new Promise<UsbInResult>(() => undefined); // lost
      default: {
        const r = await p;
        const b = bytesOf(r);
        if (!b) return r;
        const m = mutateBytes(rng, b, [], 3);
        return { status: r.status, data: view(m) };
      }
    }
  };
  return {
    get vendorId() {
      return inner.vendorId;
    },
    get productId() {
      return inner.productId;
    },
    get productName() {
      return inner.productName;
    },
    get manufacturerName() {
      return inner.manufacturerName;
    },
    get opened() {
      return inner.opened;
    },
    get configuration() {
      return inner.configuration;
    },
    get configurations() {
      return inner.configurations;
    },
    open: () => inner.open(),
    close: () => inner.close(),
    selectConfiguration: (v) => inner.selectConfiguration(v),
    claimInterface: (n) => inner.claimInterface(n),
    releaseInterface: (n) => inner.releaseInterface(n),
    selectAlternateInterface: (n, a) => inner.selectAlternateInterface(n, a),
    transferIn: (ep, length) => damageIn(inner.transferIn(ep, length)),
    transferOut: (ep, data) => inner.transferOut(ep, data),
    async controlTransferIn(setup: UsbControlSetup, length: number) {
      const r = await inner.controlTransferIn(setup, length);
      const b = bytesOf(r);
      if (!input.descriptorDamage || !b || !rng.chance(0.5)) return r;
      // Keep the 9-byte header's total length sometimes, so the full read happens too.
      return { status: r.status, data: view(mutateBytes(rng, b, [], 3, rng.chance(0.5) ? 4 : 0)) };
    },
  };
}

/** Messages of a clean session, to mutate for the parser cases. */
async function recordSeeds(): Promise<Record<ParserCase['parser'], Uint8Array[]>> {
  const seeds: Record<ParserCase['parser'], Uint8Array[]> = {
    response: [],
    interrupt: [],
    classDescriptor: [],
    configuration: [],
    atr: [defaultAtr(), t1OnlyAtr()],
    t1: [],
  };
  for (const reader of ['short', 'tpdu-t1'] as const) {
    const { usb, device } = createFakeReader(readerOptions(reader));
    const spy: UsbDeviceLike = damagedDevice(device, {
      kind: 'transport',
      reader,
      damage: 0,
      descriptorDamage: false,
      noise: '',
    });
    const recording: UsbDeviceLike = Object.assign(Object.create(spy) as UsbDeviceLike, {
      transferIn: async (ep: number, length: number) => {
        const r = await spy.transferIn(ep, length);
        const b = bytesOf(r);
        if (b) {
          (b[0] === 0x50 || b[0] === 0x51 ? seeds.interrupt : seeds.response).push(b);
          if (reader === 'tpdu-t1' && b[0] === 0x80 && b.length > 10) seeds.t1.push(b.subarray(10));
        }
        return r;
      },
      controlTransferIn: async (setup: UsbControlSetup, length: number) => {
        const r = await spy.controlTransferIn(setup, length);
        const b = bytesOf(r);
        if (b && b.length > 9) {
          seeds.configuration.push(b);
          const at = b.findIndex((x, i) => x === 0x36 && b[i + 1] === 0x21);
          if (at > 0) seeds.classDescriptor.push(b.subarray(at, at + 0x36));
        }
        return r;
      },
    });
    const t = await openCcidTransport(recording, { events: usb, timeoutMs: 1000 });
    for (const a of APDUS) await t.transmit(a);
    await t.close();
  }
  return seeds;
}

function runParser(input: ParserCase): void {
  const b = input.bytes;
  switch (input.parser) {
    case 'response':
      parseResponse(b);
      return;
    case 'interrupt':
      parseInterrupt(b);
      return;
    case 'classDescriptor':
      parseCcidClassDescriptor(b);
      return;
    case 'configuration':
      findCcidInterfaces(b);
      return;
    case 'atr':
      parseAtr(b);
      return;
    case 't1':
      decodeT1Block(b, 'lrc');
      return;
  }
}

export const ccidTarget: FuzzTarget = {
  name: 'ccid',
  description: 'CCID parsers and transport with damaged reader answers and descriptors',
  budgetMs: 10_000,
  async setup(): Promise<TargetInstance<unknown>> {
    const seeds = await recordSeeds();
    const parsers = (Object.keys(seeds) as ParserCase['parser'][]).filter(
      (k) => seeds[k].length > 0,
    );
    const instance: TargetInstance<CcidInput> = {
      generate(rng) {
        if (rng.chance(0.5)) {
          const parser = rng.pick(parsers);
          const all = seeds[parser];
          return { kind: 'parse', parser, bytes: mutateBytes(rng, rng.pick(all), all, 4) };
        }
        return {
          kind: 'transport',
          reader: rng.pick(['short', 'extended', 'tpdu-t0', 'tpdu-t1'] as const),
          damage: rng.pick([0.05, 0.2, 0.5]),
          descriptorDamage: rng.chance(0.2),
          noise: String(rng.u32()),
        };
      },
      encode(input) {
        if (input.kind === 'parse')
          return concatBytes(new TextEncoder().encode(`${input.parser}:`), input.bytes);
        return new TextEncoder().encode(JSON.stringify(input));
      },
      async execute(input): Promise<Failure | undefined> {
        if (input.kind === 'parse') {
          try {
            runParser(input);
          } catch (e) {
            if (!typed(e)) return { kind: 'crash', detail: `${input.parser}: ${describeError(e)}` };
          }
          return undefined;
        }
        const { usb, device } = createFakeReader(readerOptions(input.reader));
        let t: CcidTransport;
        try {
          t = await openCcidTransport(damagedDevice(device, input), { events: usb, timeoutMs: 80 });
        } catch (e) {
          return typed(e) ? undefined : { kind: 'crash', detail: `open: ${describeError(e)}` };
        }
        try {
          for (const a of APDUS) {
            const r = await t.transmit(a);
            if (r.length < 2) return { kind: 'invariant', detail: 'answer without a status word' };
          }
        } catch (e) {
          if (!typed(e)) return { kind: 'crash', detail: `transmit: ${describeError(e)}` };
        } finally {
          await t.close();
        }
        return undefined;
      },
      close: () => Promise.resolve(),
    };
    return instance;
  },
};
