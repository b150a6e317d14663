import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApduError,
  Card,
  ChannelError,
  ISD_R_AIDS,
  IsdRNotFoundError,
  LogicalChannel,
  channelOfCla,
  claForChannel,
  openIsdR,
  storeDataBlockSize,
  storeDataCommands,
} from '../../../src/apdu/index.ts';
import { encodeCommand } from '../../../src/apdu/index.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { eidValid } from '../../../src/codec/index.ts';
import { createEuicc, createTestIdentity } from '../../../src/euicc/index.ts';
import { VirtualTransport } from '../../../src/transport/virtual/virtual-transport.ts';
import { ScriptedTransport } from '../../fakes/scripted-transport.ts';
import type { BasicStep } from '../../fakes/scripted-transport.ts';

// docs/protocol.md §1: the standard ISD-R AID and the vendor ones.
const ISDR = 'A0000005591010FFFFFFFF8900000100';
const ESIM_ME = 'A0000005591010000000008900000300';
const FCI = `6F108410${ISDR}`;
const open = (ch: number): BasicStep => ['0070000001', `${toHex(Uint8Array.of(ch))}9000`];
const select = (cla: string, aid = ISDR): string => `${cla}A4040010${aid}00`;
const close = (ch: number): BasicStep => [`007080${toHex(Uint8Array.of(ch))}00`, '9000'];
// docs/protocol.md §3.3: GetEID request, and a response carrying the SGP.26 test EID.
const GET_EID = 'BF3E035C015A';
const EID_RESPONSE = 'BF3E125A1089049032123451234512345678901235';

describe('CLA for logical channels (ETSI TS 102 221 §10.1.1, docs/protocol.md §2.1)', () => {
  const expected = (base: number, ch: number): number =>
    ch <= 3 ? base + ch : (base === 0 ? 0x40 : 0xc0) + ch - 4;

  it.each([
    [0, 0x00, 0x80],
    [1, 0x01, 0x81],
    [2, 0x02, 0x82],
    [3, 0x03, 0x83],
    [4, 0x40, 0xc0],
    [5, 0x41, 0xc1],
    [12, 0x48, 0xc8],
    [19, 0x4f, 0xcf],
  ])('channel %i: interindustry %i, proprietary %i', (ch, inter, prop) => {
    expect(claForChannel(0x00, ch)).toBe(inter);
    expect(claForChannel(0x80, ch)).toBe(prop);
    expect(channelOfCla(inter)).toBe(ch);
    expect(channelOfCla(prop)).toBe(ch);
  });

  it('agrees with the table for all 20 channels', () => {
    for (let ch = 0; ch <= 19; ch++) {
      expect(claForChannel(0x00, ch)).toBe(expected(0x00, ch));
      expect(claForChannel(0x80, ch)).toBe(expected(0x80, ch));
    }
  });

  it.each([
    [0x80, 20],
    [0x80, -1],
    [0x80, 1.5],
    [0x40, 1],
    [0x81, 1],
  ])('rejects base %i channel %i', (base, ch) => {
    expect(() => claForChannel(base, ch)).toThrow(RangeError);
  });
});

describe('STORE DATA segmentation (GPC §11.11, docs/protocol.md §2.2)', () => {
  it('cuts a 600-byte request into 255 + 255 + 90 with P1 11/11/91 and P2 00/01/02', () => {
    const cmds = storeDataCommands(new Uint8Array(600), 255);
    expect(cmds.map((c) => [c.p1, c.p2, c.data?.length, c.le])).toEqual([
      [0x11, 0, 255, undefined],
      [0x11, 1, 255, undefined],
      [0x91, 2, 90, 256],
    ]);
  });

  it('sends one block for a short request (docs/protocol.md §3.3 GetEID)', () => {
    const [cmd] = storeDataCommands(fromHex(GET_EID), 255);
    expect(toHex(encodeCommand(cmd!))).toBe('80E2910006BF3E035C015A00');
  });

  it('reassembles to the request for any size and block size (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 2000 }),
        fc.integer({ min: 1, max: 255 }),
        (req, size) => {
          const cmds = storeDataCommands(req, size);
          expect(cmds.length).toBe(Math.ceil(req.length / size));
          const joined = cmds.flatMap((c) => [...(c.data ?? [])]);
          expect(Uint8Array.from(joined)).toEqual(req);
          cmds.forEach((c, i) => {
            const last = i === cmds.length - 1;
            expect(c.p2).toBe(i);
            expect(c.p1).toBe(last ? 0x91 : 0x11);
            expect(c.le).toBe(last ? 256 : undefined);
            expect(c.data!.length).toBeLessThanOrEqual(size);
          });
        },
      ),
      { seed: 22, numRuns: 200 },
    );
  });

  it.each([[0], [256], [1.5]])('rejects block size %s', (size) => {
    expect(() => storeDataCommands(fromHex(GET_EID), size)).toThrow(RangeError);
  });

  it('rejects an empty request and one needing more than 256 blocks', () => {
    expect(() => storeDataCommands(new Uint8Array(0), 255)).toThrow(RangeError);
    expect(() => storeDataCommands(new Uint8Array(257), 1)).toThrow(RangeError);
  });

  it('block size = min(user override, link limit, 255)', () => {
    expect(storeDataBlockSize(255)).toBe(255);
    expect(storeDataBlockSize(120)).toBe(120);
    expect(storeDataBlockSize(1000)).toBe(255);
    expect(storeDataBlockSize(255, 100)).toBe(100);
    expect(storeDataBlockSize(120, 200)).toBe(120);
    expect(storeDataBlockSize(0)).toBe(255); // a link that advertises nonsense
    expect(() => storeDataBlockSize(255, 0)).toThrow(RangeError);
    expect(() => storeDataBlockSize(255, 256)).toThrow(RangeError);
  });
});

describe('logical channels (ISO/IEC 7816-4 §7.1.2)', () => {
  it('rejects a MANAGE CHANNEL answer that is not a channel number, closing it', async () => {
    const t = new ScriptedTransport([['0070000001', '149000'], close(0x14)]);
    const err = await LogicalChannel.open(new Card(t)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect((err as ChannelError).channel).toBe(20);
    t.assertDone();
  });

  it('rejects an empty MANAGE CHANNEL answer', async () => {
    const t = new ScriptedTransport([['0070000001', '9000']]);
    await expect(LogicalChannel.open(new Card(t))).rejects.toBeInstanceOf(ChannelError);
    t.assertDone();
  });

  it('refuses to send after close, and closes only once', async () => {
    const t = new ScriptedTransport([open(2), close(2)]);
    const ch = await LogicalChannel.open(new Card(t));
    await ch.close();
    await ch.close();
    await expect(ch.transmit({ cla: 0x80, ins: 0xe2, p1: 0x91, p2: 0 })).rejects.toBeInstanceOf(
      ChannelError,
    );
    t.assertDone();
  });
});

describe('openIsdR and IsdR.es10', () => {
  it('opens channel 1, selects the ISD-R, sends GetEID and closes (docs/protocol.md §2-3.3)', async () => {
    const t = new ScriptedTransport([
      open(1),
      [select('01'), `${FCI}9000`],
      ['81E2910006BF3E035C015A00', `${EID_RESPONSE}9000`],
      close(1),
    ]);
    const isdr = await openIsdR(new Card(t));
    expect(toHex(isdr.aid)).toBe(ISDR);
    expect(toHex(isdr.selectResponse!)).toBe(FCI);
    expect(isdr.channelNumber).toBe(1);
    expect(isdr.blockSize).toBe(255);
    expect(toHex(await isdr.es10(fromHex(GET_EID)))).toBe(EID_RESPONSE);
    await isdr.close();
    t.assertDone();
  });

  it.each([
    [2, '02', '82'],
    [3, '03', '83'],
    [4, '40', 'C0'],
    [5, '41', 'C1'], // docs/protocol.md §3.3: C1E29100... on channel 5
    [19, '4F', 'CF'],
  ])('uses the right classes on channel %i', async (ch, inter, prop) => {
    const t = new ScriptedTransport([
      open(ch),
      [select(inter), '9000'],
      [`${prop}E2910006BF3E035C015A00`, 'BF3E009000'],
      close(ch),
    ]);
    const isdr = await openIsdR(new Card(t));
    expect(toHex(await isdr.es10(fromHex(GET_EID)))).toBe('BF3E00');
    await isdr.close();
    t.assertDone();
  });

  it('sends 600 bytes as 3 blocks (P2 00 01 02) and restarts P2 at 00 for the next call', async () => {
    const request = new Uint8Array(600).map((_, i) => i & 0xff);
    const hex = toHex(request);
    const t = new ScriptedTransport([
      open(1),
      [select('01'), '9000'],
      [`81E21100FF${hex.slice(0, 510)}`, '9000'],
      [`81E21101FF${hex.slice(510, 1020)}`, '9000'],
      [`81E291025A${hex.slice(1020)}00`, '6102'],
      ['81C0000002', 'BF009000'],
      ['81E2910003BF2E0000', 'BF2E038001019000'],
    ]);
    const isdr = await openIsdR(new Card(t));
    expect(toHex(await isdr.es10(request))).toBe('BF00');
    expect(toHex(await isdr.es10(fromHex('BF2E00')))).toBe('BF2E03800101');
    t.assertDone();
  });

  it('honours the link limit (120, AT modems) and a smaller user override', async () => {
    const request = new Uint8Array(130).fill(0xab);
    const hex = toHex(request);
    const t = new ScriptedTransport(
      [
        open(1),
        [select('01'), '9000'],
        [`81E2110078${hex.slice(0, 240)}`, '9000'],
        [`81E291010A${hex.slice(240)}00`, '9000'],
      ],
      { maxStoreDataBlock: 120 },
    );
    await (await openIsdR(new Card(t))).es10(request);
    t.assertDone();
    const u = new ScriptedTransport([
      open(1),
      [select('01'), '9000'],
      [`81E2110064${hex.slice(0, 200)}`, '9000'],
      [`81E291011E${hex.slice(200)}00`, '9000'],
    ]);
    await (await openIsdR(new Card(u), { storeDataBlock: 100 })).es10(request);
    u.assertDone();
  });

  it('runs concurrent es10 calls one after the other, blocks never interleaved', async () => {
    const request = new Uint8Array(300).fill(1);
    const hex = toHex(request);
    const t = new ScriptedTransport([
      open(1),
      [select('01'), '9000'],
      [`81E21100FF${hex.slice(0, 510)}`, '9000'],
      [`81E291012D${hex.slice(510)}00`, 'AA9000'],
      ['81E2910003BF2E0000', 'BB9000'],
    ]);
    const isdr = await openIsdR(new Card(t));
    const [a, b] = await Promise.all([isdr.es10(request), isdr.es10(fromHex('BF2E00'))]);
    expect([toHex(a), toHex(b)]).toEqual(['AA', 'BB']);
    t.assertDone();
  });

  it('returns an answer that comes before the last block and sends no more blocks', async () => {
    const request = new Uint8Array(300);
    const t = new ScriptedTransport([
      open(1),
      [select('01'), '9000'],
      [`81E21100FF${toHex(request).slice(0, 510)}`, 'BF37039000'],
    ]);
    const isdr = await openIsdR(new Card(t));
    expect(toHex(await isdr.es10(request))).toBe('BF3703');
    t.assertDone();
  });

  it('a failed call does not block the next one, which starts again at P2 00', async () => {
    const t = new ScriptedTransport([
      open(1),
      [select('01'), '9000'],
      ['81E2910003BF2E0000', '6A80'],
      ['81E2910003BF2E0000', 'BF2E009000'],
    ]);
    const isdr = await openIsdR(new Card(t));
    const err = await isdr.es10(fromHex('BF2E00')).catch((e: unknown) => e);
    expect((err as ApduError).sw).toBe(0x6a80);
    expect(toHex(await isdr.es10(fromHex('BF2E00')))).toBe('BF2E00');
    t.assertDone();
  });

  it('probes the vendor AIDs in order when the standard one is missing (6A82)', async () => {
    const t = new ScriptedTransport([
      open(1),
      [select('01'), '6A82'],
      [select('01', ESIM_ME), '9000'],
    ]);
    const isdr = await openIsdR(new Card(t));
    expect(toHex(isdr.aid)).toBe(ESIM_ME);
    t.assertDone();
  });

  it('lists the AIDs in the documented order (docs/protocol.md §1)', () => {
    expect(ISD_R_AIDS.map((a) => a.aid)).toEqual([
      ISDR,
      ESIM_ME,
      'A0000005591010FFFFFFFF8900050500',
      'A0000005591010FFFFFFFF8900000177',
      'A000000559104C696E6B736669656C64',
    ]);
  });

  it('tries every AID, then closes the channel and raises IsdRNotFoundError', async () => {
    const steps: BasicStep[] = [open(1)];
    for (const { aid } of ISD_R_AIDS) steps.push([select('01', aid), '6A82']);
    steps.push(close(1));
    const t = new ScriptedTransport(steps);
    const err = await openIsdR(new Card(t)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IsdRNotFoundError);
    expect((err as IsdRNotFoundError).lastSw).toBe(0x6a82);
    expect((err as IsdRNotFoundError).tried).toEqual(ISD_R_AIDS.map((a) => a.aid));
    t.assertDone();
  });

  it('a user AID list replaces the default list', async () => {
    const aid = 'A0000005591010FFFFFFFF8900000177';
    const t = new ScriptedTransport([open(1), [select('01', aid), '9000']]);
    const isdr = await openIsdR(new Card(t), { aids: [fromHex(aid)] });
    expect(toHex(isdr.aid)).toBe(aid);
    t.assertDone();
  });

  it('closes the channel and passes a transport failure through during probing', async () => {
    const gone = new TransportClosedError('unplugged');
    const t = new ScriptedTransport([open(1), [select('01'), gone], close(1)]);
    await expect(openIsdR(new Card(t))).rejects.toBe(gone);
    t.assertDone();
  });

  it('falls back to the basic channel when MANAGE CHANNEL is refused (6881)', async () => {
    const t = new ScriptedTransport([
      ['0070000001', '6881'],
      [select('00'), '9000'],
      ['80E2910003BF2E0000', 'BF2E009000'],
    ]);
    const isdr = await openIsdR(new Card(t));
    expect(isdr.channelNumber).toBe(0);
    await isdr.es10(fromHex('BF2E00'));
    await isdr.close(); // nothing to send on the basic channel
    t.assertDone();
  });

  it('sends TERMINAL CAPABILITY first when asked, and ignores a refusal', async () => {
    const t = new ScriptedTransport([
      ['80AA00000AA9088100820101830107', '6D00'], // docs/protocol.md §2.1
      open(1),
      [select('01'), '9000'],
    ]);
    await openIsdR(new Card(t), { terminalCapability: true });
    t.assertDone();
  });

  it('sends no TERMINAL CAPABILITY by default', async () => {
    const t = new ScriptedTransport([open(1), [select('01'), '9000']]);
    await openIsdR(new Card(t));
    t.assertDone();
  });

  it('stops probing when aborted and still closes the channel', async () => {
    const ctrl = new AbortController();
    const t = new ScriptedTransport([open(1), close(1)]);
    const transmit = t.transmit.bind(t);
    // Abort as soon as the channel is open, before any SELECT goes out.
    t.transmit = async (apdu, signal) => {
      const r = await transmit(apdu, signal);
      ctrl.abort();
      return r;
    };
    await expect(openIsdR(new Card(t), { signal: ctrl.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    t.assertDone();
  });
});

describe('openIsdR over native logical channels (AT+CCHO/CGLA/CCHC)', () => {
  it('lets the link open and select; CLA channel bits stay zero; GET RESPONSE on the channel', async () => {
    const t = new ScriptedTransport(
      [
        { open: ISDR, channel: 3 },
        { on: 3, command: '80E2910003BF2E0000', response: '6102' },
        { on: 3, command: '80C0000002', response: 'BF009000' },
        { closeChannel: 3 },
      ],
      { native: true, maxStoreDataBlock: 120 },
    );
    const isdr = await openIsdR(new Card(t));
    expect(isdr.channelNumber).toBeUndefined();
    expect(isdr.selectResponse).toBeUndefined();
    expect(isdr.blockSize).toBe(120);
    expect(toHex(await isdr.es10(fromHex('BF2E00')))).toBe('BF00');
    await isdr.close();
    t.assertDone();
  });

  it('tries the next AID when the link cannot open one', async () => {
    const t = new ScriptedTransport(
      [
        { open: ISDR, error: new Error('+CME ERROR: 4') },
        { open: ESIM_ME, channel: 1 },
      ],
      { native: true },
    );
    const isdr = await openIsdR(new Card(t));
    expect(toHex(isdr.aid)).toBe(ESIM_ME);
    t.assertDone();
  });

  it('raises IsdRNotFoundError with the last failure as cause', async () => {
    const last = new Error('+CME ERROR: 4');
    const t = new ScriptedTransport([{ open: ISDR, error: last }], { native: true });
    const err = await openIsdR(new Card(t), { aids: [fromHex(ISDR)] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IsdRNotFoundError);
    expect((err as Error).cause).toBe(last);
    t.assertDone();
  });
});

describe('openIsdR against the software eUICC (VirtualTransport)', () => {
  it.each([false, true])('reads the EID over a logical channel (T=0 style: %s)', async (t0) => {
    const identity = createTestIdentity({ curve: 'P-256', seed: 'apdu-layer' });
    const euicc = createEuicc({ identity, t0 });
    const isdr = await openIsdR(new Card(new VirtualTransport(euicc)), {
      terminalCapability: true,
    });
    expect(toHex(isdr.aid)).toBe(ISDR);
    expect(isdr.selectResponse?.[0]).toBe(0x6f);
    const res = await isdr.es10(fromHex(GET_EID));
    expect(toHex(res).slice(0, 10)).toBe('BF3E125A10');
    expect(eidValid(toHex(res.subarray(5)))).toBe(true);
    // A second call: P2 starts again at 00 and the card answers it.
    const info = await isdr.es10(fromHex('BF2E00'));
    expect(info[0]).toBe(0xbf);
    await isdr.close();
  });
});
