// usbByteStream over the fake modem's bulk endpoints: zero-length packets after whole-packet
// writes (USB 2.0 §5.8.3), stall recovery with clearHalt, disconnect and close behaviour.
import { describe, it, expect, expectTypeOf } from 'vitest';
import fc from 'fast-check';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { AtRunner } from '../../../src/transport/webserial-at/at-runner.ts';
import { UsbTransferError } from '../../../src/transport/webusb-at/errors.ts';
import {
  usbByteStream,
  type BulkPair,
  type UsbModemDevice,
} from '../../../src/transport/webusb-at/usb-stream.ts';
import type { UsbModemApi } from '../../../src/transport/webusb-at/browser.ts';
import { FakeUsbModem } from '../../fakes/usb-modem/fake-usb-modem.ts';
import { tinyCard } from '../../fakes/usb/tiny-card.ts';

const AT_IF = 2;

async function openAt(packetSize = 512) {
  const device = new FakeUsbModem({ card: tinyCard(), packetSize });
  await device.open();
  await device.claimInterface(AT_IF);
  const alt = device.configuration!.interfaces[AT_IF]!.alternates[0]!;
  const pair: BulkPair = {
    interfaceNumber: AT_IF,
    in: alt.endpoints.find((e) => e.type === 'bulk' && e.direction === 'in')!,
    out: alt.endpoints.find((e) => e.type === 'bulk' && e.direction === 'out')!,
  };
  return { device, pair, stream: usbByteStream(device, pair) };
}

const outLengths = (d: FakeUsbModem) =>
  d.transfers.filter((t) => t.direction === 'out').map((t) => t.length);

const text = (b: Uint8Array | undefined) => (b ? String.fromCharCode(...b) : '<end>');

/** Reads until `want` has arrived (the fake answers in pieces as it pleases). */
async function readUntil(stream: { read(): Promise<Uint8Array | undefined> }, want: string) {
  let got = '';
  while (!got.includes(want)) {
    const chunk = await stream.read();
    if (!chunk) throw new Error(`stream ended after ${JSON.stringify(got)}`);
    got += text(chunk);
  }
  return got;
}

describe('types', () => {
  it('a real WebUSB USBDevice and navigator.usb satisfy the structural types', () => {
    expectTypeOf<USBDevice>().toExtend<UsbModemDevice>();
    expectTypeOf<USB>().toExtend<UsbModemApi>();
  });
});

describe('usbByteStream', () => {
  it('writes and reads through the bulk pair', async () => {
    const { stream, device } = await openAt();
    await stream.write(new TextEncoder().encode('AT\r'));
    // Echo is on until ATE0 (fake-at-modem), so the line comes back before OK.
    expect(await readUntil(stream, 'OK')).toBe('AT\r\r\nOK\r\n');
    expect(outLengths(device)).toEqual([3]);
    await stream.close();
  });

  it.each([64, 512])(
    'sends a zero-length packet after a write of whole %i-byte packets',
    async (size) => {
      const { stream, device } = await openAt(size);
      // One command line of exactly `size` bytes: the fake modem only sees it once the transfer
      // is ended by a short packet, so without the ZLP the answer would never come.
      const line = `AT+X${'0'.repeat(size - 5)}\r`;
      expect(line.length).toBe(size);
      const runner = new AtRunner(stream, { timeoutMs: 2000 });
      await expect(runner.run(line.slice(0, -1))).rejects.toThrow(/ERROR/);
      expect(outLengths(device)).toEqual([size, 0]);
      await runner.close();
    },
  );

  it('sends no zero-length packet after a short write', async () => {
    const { stream, device } = await openAt(64);
    await stream.write(new Uint8Array(63).fill(0x41));
    await stream.write(new Uint8Array(128).fill(0x41));
    expect(outLengths(device)).toEqual([63, 128, 0]);
    await stream.close();
  });

  it('property: a ZLP follows exactly the writes whose length is a positive multiple of the packet size', async () => {
    const { stream, device } = await openAt(64);
    await fc.assert(
      fc.asyncProperty(
        // Half the lengths land on packet boundaries, where the ZLP matters.
        fc.oneof(
          fc.integer({ min: 1, max: 300 }),
          fc.integer({ min: 1, max: 5 }).map((k) => k * 64),
        ),
        async (n) => {
          device.transfers.length = 0;
          await stream.write(new Uint8Array(n).fill(0x20));
          expect(outLengths(device)).toEqual(n % 64 === 0 ? [n, 0] : [n]);
        },
      ),
      { numRuns: 60 },
    );
    await stream.close();
  });

  it('clears a stalled OUT endpoint and retries once', async () => {
    const { stream, device, pair } = await openAt();
    device.stall(AT_IF, 'out', 1);
    await stream.write(new TextEncoder().encode('AT\r'));
    expect(device.clearHalts).toEqual([
      { direction: 'out', endpointNumber: pair.out.endpointNumber },
    ]);
    expect(await readUntil(stream, 'OK')).toContain('OK');
    await stream.close();
  });

  it('clears a stalled IN endpoint and retries once', async () => {
    const { stream, device, pair } = await openAt();
    device.stall(AT_IF, 'in', 1);
    await stream.write(new TextEncoder().encode('AT\r'));
    expect(await readUntil(stream, 'OK')).toContain('OK');
    expect(device.clearHalts).toEqual([
      { direction: 'in', endpointNumber: pair.in.endpointNumber },
    ]);
    await stream.close();
  });

  it('gives up with UsbTransferError when the endpoint stalls again after clearHalt', async () => {
    const { stream, device } = await openAt();
    device.stall(AT_IF, 'out', 2);
    const err = await stream.write(Uint8Array.of(0x41)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsbTransferError);
    expect(err).toMatchObject({ direction: 'out', status: 'stall', endpointNumber: 3 });
    device.stall(AT_IF, 'in', 2);
    await expect(stream.read()).rejects.toMatchObject({
      name: 'UsbTransferError',
      direction: 'in',
    });
    await stream.close();
  });

  it('ends reads and fails writes with TransportClosedError once the device is unplugged', async () => {
    const { stream, device } = await openAt();
    const pending = stream.read();
    device.unplug();
    expect(await pending).toBeUndefined();
    expect(await stream.read()).toBeUndefined();
    await expect(stream.write(Uint8Array.of(0x41))).rejects.toBeInstanceOf(TransportClosedError);
    await stream.close();
  });

  it('close releases the interface and closes the device once; a pending read ends', async () => {
    const { stream, device } = await openAt();
    const pending = stream.read();
    await stream.close();
    await stream.close();
    expect(await pending).toBeUndefined();
    expect(device.releases).toEqual([AT_IF]);
    expect(device.closeCount).toBe(1);
    expect(device.opened).toBe(false);
    await expect(stream.write(Uint8Array.of(0x41))).rejects.toBeInstanceOf(TransportClosedError);
  });

  it('asks for whole packets per IN transfer', async () => {
    const { device, pair } = await openAt(64);
    const lengths: number[] = [];
    const spy: UsbModemDevice = {
      vendorId: device.vendorId,
      productId: device.productId,
      opened: true,
      configuration: device.configuration,
      open: () => device.open(),
      close: () => device.close(),
      selectConfiguration: (v) => device.selectConfiguration(v),
      claimInterface: (n) => device.claimInterface(n),
      releaseInterface: (n) => device.releaseInterface(n),
      transferOut: (e, d) => device.transferOut(e, d),
      clearHalt: (d, e) => device.clearHalt(d, e),
      controlTransferOut: (s) => device.controlTransferOut(s),
      transferIn: (e, n) => {
        lengths.push(n);
        return device.transferIn(e, n);
      },
    };
    const stream = usbByteStream(spy, pair, { readSize: 100 });
    await stream.write(new TextEncoder().encode('AT\r'));
    await readUntil(stream, 'OK');
    expect(lengths.length).toBeGreaterThan(0);
    expect(lengths.every((n) => n === 128)).toBe(true);
    await stream.close();
  });
});
