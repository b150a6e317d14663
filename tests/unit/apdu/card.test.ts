import { describe, expect, it } from 'vitest';
import { ApduError, Card, getResponseCla } from '../../../src/apdu/index.ts';
import type { CommandApdu } from '../../../src/apdu/index.ts';
import { fromHex, toHex } from '../../../src/codec/index.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import type { Transport } from '../../../src/transport/transport.ts';
import { ScriptedTransport } from '../../fakes/scripted-transport.ts';

const STORE_DATA_BF2D: CommandApdu = {
  cla: 0x81,
  ins: 0xe2,
  p1: 0x91,
  p2: 0x00,
  data: fromHex('BF2D00'),
  le: 256,
};

/** A transport whose APDUs finish only when the test says so. */
function gatedTransport(): {
  transport: Transport;
  log: string[];
  finish: (i: number, response?: string | Error) => void;
  started: () => number;
} {
  const log: string[] = [];
  const pending: { resolve: (r: Uint8Array) => void; reject: (e: Error) => void }[] = [];
  return {
    log,
    transport: {
      label: 'gated',
      maxStoreDataBlock: 255,
      transmit(apdu: Uint8Array): Promise<Uint8Array> {
        log.push(`start ${toHex(apdu)}`);
        return new Promise((resolve, reject) => {
          pending.push({
            resolve: (r) => {
              log.push(`end ${toHex(apdu)}`);
              resolve(r);
            },
            reject: (e) => {
              log.push(`fail ${toHex(apdu)}`);
              reject(e);
            },
          });
        });
      },
      close: () => Promise.resolve(),
    },
    finish(i, response = '9000') {
      const p = pending[i]!;
      if (response instanceof Error) p.reject(response);
      else p.resolve(fromHex(response));
    },
    started: () => pending.length,
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('Card: GET RESPONSE and 6Cxx (ISO/IEC 7816-4 §7.6.1, ISO/IEC 7816-3 §12.2)', () => {
  it('follows a 61xx chain with GET RESPONSE on the command class and joins the data', async () => {
    const t = new ScriptedTransport([
      ['81E2910003BF2D0000', '6104'],
      ['81C0000004', 'AABBCCDD6102'],
      ['81C0000002', 'EEFF9000'],
    ]);
    const res = await new Card(t).transmit(STORE_DATA_BF2D);
    expect(toHex(res.data)).toBe('AABBCCDDEEFF');
    expect(res.sw).toBe(0x9000);
    t.assertDone();
  });

  it('asks for 256 bytes after 6100 and keeps data that came with the 61xx', async () => {
    const t = new ScriptedTransport([
      ['81E2910003BF2D0000', '01026100'],
      ['81C0000000', `${'11'.repeat(256)}6101`],
      ['81C0000001', '229000'],
    ]);
    const res = await new Card(t).transmit(STORE_DATA_BF2D);
    expect(toHex(res.data)).toBe(`0102${'11'.repeat(256)}22`);
    t.assertDone();
  });

  it('uses the channel class for GET RESPONSE on channels 4-19 (C0+)', async () => {
    const t = new ScriptedTransport([
      ['C1E2910003BF2D0000', '6102'],
      ['C1C0000002', 'BF009000'],
    ]);
    expect(toHex((await new Card(t).transmit({ ...STORE_DATA_BF2D, cla: 0xc1 })).data)).toBe(
      'BF00',
    );
    t.assertDone();
  });

  it('clears only the chaining bit for the GET RESPONSE class', () => {
    expect(getResponseCla(0x81)).toBe(0x81);
    expect(getResponseCla(0x10)).toBe(0x00);
    expect(getResponseCla(0xd3)).toBe(0xc3);
  });

  it('resends the same command with Le = xx on 6Cxx', async () => {
    const t = new ScriptedTransport([
      ['00B0000000', '6C03'],
      ['00B0000003', '0102039000'],
    ]);
    const res = await new Card(t).transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
    expect(toHex(res.data)).toBe('010203');
    t.assertDone();
  });

  it('resends a GET RESPONSE on 6Cxx (6C00 = 256)', async () => {
    const t = new ScriptedTransport([
      ['81E2910003BF2D0000', '6110'],
      ['81C0000010', '6C00'],
      ['81C0000000', '9000'],
    ]);
    await new Card(t).transmit(STORE_DATA_BF2D);
    t.assertDone();
  });

  it('resends only once: a second 6Cxx is an ApduError', async () => {
    const t = new ScriptedTransport([
      ['00B0000000', '6C03'],
      ['00B0000003', '6C02'],
    ]);
    const err = await new Card(t)
      .transmit({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApduError);
    expect((err as ApduError).sw).toBe(0x6c02);
    t.assertDone();
  });

  it('stops an endless 61xx chain at maxGetResponse', async () => {
    const t = new ScriptedTransport([
      ['81E2910003BF2D0000', '6101'],
      ['81C0000001', '006101'],
      ['81C0000001', '006101'],
    ]);
    const err = await new Card(t, { maxGetResponse: 2 })
      .transmit(STORE_DATA_BF2D)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApduError);
    expect((err as ApduError).sw).toBe(0x6101);
    t.assertDone();
  });
});

describe('Card: status words', () => {
  it.each([['6A80'], ['6985'], ['6283'], ['6300'], ['6F00']])(
    'raises ApduError for %s with sw, command and data',
    async (sw) => {
      const t = new ScriptedTransport([['81E2910003BF2D0000', `AA${sw}`]]);
      const err = await new Card(t).transmit(STORE_DATA_BF2D).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApduError);
      const e = err as ApduError;
      expect(e.sw).toBe(parseInt(sw, 16));
      expect(e.sw1).toBe(parseInt(sw.slice(0, 2), 16));
      expect(e.command).toEqual(STORE_DATA_BF2D);
      expect(toHex(e.data)).toBe('AA');
      expect(e.message).toContain(sw);
    },
  );

  it.each([['9000'], ['9110'], ['9200']])('accepts %s as success', async (sw) => {
    const t = new ScriptedTransport([['81E2910003BF2D0000', `BF2D00${sw}`]]);
    const res = await new Card(t).transmit(STORE_DATA_BF2D);
    expect(res.sw).toBe(parseInt(sw, 16));
    expect(toHex(res.data)).toBe('BF2D00');
  });

  it('passes transport errors through unchanged', async () => {
    const gone = new TransportClosedError('unplugged');
    const t = new ScriptedTransport([['81E2910003BF2D0000', gone]]);
    await expect(new Card(t).transmit(STORE_DATA_BF2D)).rejects.toBe(gone);
  });
});

describe('Card: one exchange at a time', () => {
  it('queues exchanges in call order, the whole 61xx chain included', async () => {
    const g = gatedTransport();
    const card = new Card(g.transport);
    const a = card.transmit({ cla: 0, ins: 1, p1: 0, p2: 0 });
    const b = card.transmit({ cla: 0, ins: 2, p1: 0, p2: 0 });
    await tick();
    expect(g.started()).toBe(1);
    g.finish(0, '6101');
    await tick();
    expect(g.started()).toBe(2); // the GET RESPONSE of a, not b
    g.finish(1, '779000');
    await tick();
    g.finish(2, '9000');
    expect(toHex((await a).data)).toBe('77');
    await b;
    expect(g.log).toEqual([
      'start 00010000',
      'end 00010000',
      'start 00C0000001',
      'end 00C0000001',
      'start 00020000',
      'end 00020000',
    ]);
  });

  it('releases the lock after a failed exchange', async () => {
    const g = gatedTransport();
    const card = new Card(g.transport);
    const a = card.transmit({ cla: 0, ins: 1, p1: 0, p2: 0 });
    const b = card.transmit({ cla: 0, ins: 2, p1: 0, p2: 0 });
    await tick();
    g.finish(0, new Error('link failed'));
    await expect(a).rejects.toThrow('link failed');
    await tick();
    g.finish(1);
    await expect(b).resolves.toMatchObject({ sw: 0x9000 });
  });

  it('does not send when the signal is already aborted', async () => {
    const t = new ScriptedTransport([]);
    const ctrl = new AbortController();
    ctrl.abort(new Error('stop'));
    await expect(
      new Card(t).transmit({ cla: 0, ins: 1, p1: 0, p2: 0 }, ctrl.signal),
    ).rejects.toThrow('stop');
    expect(t.sent).toEqual([]);
  });

  it('passes the signal to the transport', async () => {
    const t = new ScriptedTransport([['00010000', '9000']]);
    const ctrl = new AbortController();
    await new Card(t).transmit({ cla: 0, ins: 1, p1: 0, p2: 0 }, ctrl.signal);
    expect(t.signals).toEqual([ctrl.signal]);
  });

  it('an abort while queued leaves the queue; later callers keep their order', async () => {
    const g = gatedTransport();
    const card = new Card(g.transport);
    const ctrl = new AbortController();
    const a = card.transmit({ cla: 0, ins: 1, p1: 0, p2: 0 });
    const b = card.transmit({ cla: 0, ins: 2, p1: 0, p2: 0 }, ctrl.signal);
    const c = card.transmit({ cla: 0, ins: 3, p1: 0, p2: 0 });
    await tick();
    ctrl.abort();
    await expect(b).rejects.toMatchObject({ name: 'AbortError' });
    expect(g.started()).toBe(1); // c still waits for a
    g.finish(0);
    await a;
    await tick();
    g.finish(1);
    await c;
    expect(g.log.filter((l) => l.startsWith('start'))).toEqual([
      'start 00010000',
      'start 00030000',
    ]);
  });

  it('an abort during an APDU rejects at once but holds the link until the APDU settles', async () => {
    const g = gatedTransport();
    const card = new Card(g.transport);
    const ctrl = new AbortController();
    const a = card.transmit({ cla: 0, ins: 1, p1: 0, p2: 0 }, ctrl.signal);
    const b = card.transmit({ cla: 0, ins: 2, p1: 0, p2: 0 });
    await tick();
    ctrl.abort();
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    await tick();
    expect(g.started()).toBe(1); // b must not overlap the APDU still on the link
    g.finish(0);
    await tick();
    expect(g.started()).toBe(2);
    g.finish(1);
    await b;
  });

  it('does not send the GET RESPONSE after an abort mid-chain', async () => {
    const g = gatedTransport();
    const card = new Card(g.transport);
    const ctrl = new AbortController();
    const a = card.transmit({ cla: 0, ins: 1, p1: 0, p2: 0 }, ctrl.signal);
    await tick();
    ctrl.abort();
    g.finish(0, '6110');
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    await tick();
    expect(g.started()).toBe(1);
  });
});

describe('ScriptedTransport (the fake itself)', () => {
  it('fails on an unexpected APDU with a diff, and assertDone reports it even if swallowed', async () => {
    const t = new ScriptedTransport([['80E2910003BF2D0000', '9000']]);
    const err = await t.transmit(fromHex('81E2910003BF2D0000')).catch((e: unknown) => e);
    expect(String(err)).toContain('expected 80E2910003BF2D0000');
    expect(String(err)).toContain('actual   81E2910003BF2D0000');
    expect(String(err)).toContain('^ first difference at hex digit 1 (byte 0)');
    expect(() => {
      t.assertDone();
    }).toThrow(/differs/);
  });

  it('assertDone fails while steps are left', () => {
    const t = new ScriptedTransport([['00010000', '9000']]);
    expect(() => {
      t.assertDone();
    }).toThrow(/only 0 of 1 scripted steps/);
  });
});
