/**
 * A ByteStream (the shape AtTransport runs over) on a USB interface's bulk IN/OUT endpoint pair,
 * as cellular modems expose their AT ports. The device is typed structurally so tests can pass a
 * fake; a real WebUSB USBDevice satisfies UsbModemDevice.
 */
import { TransportClosedError } from '../transport.ts';
import type * as Usb from '../usb-types.ts';
import type { ByteStream } from '../webserial-at/at-runner.ts';
import { UsbTransferError, errorName } from './errors.ts';

export type UsbTransferStatus = Usb.UsbInResult['status'];

export type UsbModemInResult = Usb.UsbInResult;
export type UsbModemOutResult = Usb.UsbOutResult;
export type UsbModemEndpoint = Usb.UsbEndpointLike;
export type UsbModemAlternate = Usb.UsbAlternateLike;
export type UsbModemInterface = Usb.UsbInterfaceLike;
export type UsbModemConfiguration = Usb.UsbConfigurationLike;
export type UsbModemControlSetup = Usb.UsbControlSetup;

/**
 * The part of WebUSB's USBDevice this transport uses; a real USBDevice satisfies it. It takes
 * the shared device shape without what only the CCID transport calls (the configuration list,
 * alternate settings, control IN) and adds the halt clearing and the control OUT a modem needs.
 */
export interface UsbModemDevice extends Omit<
  Usb.UsbDeviceLike,
  'configurations' | 'selectAlternateInterface' | 'controlTransferIn'
> {
  clearHalt(direction: 'in' | 'out', endpointNumber: number): Promise<void>;
  controlTransferOut(
    setup: Usb.UsbControlSetup,
    data?: Uint8Array<ArrayBuffer>,
  ): Promise<Usb.UsbOutResult>;
}

/** The bulk endpoint pair of one claimed interface. */
export interface BulkPair {
  readonly interfaceNumber: number;
  readonly in: UsbModemEndpoint;
  readonly out: UsbModemEndpoint;
}

export interface UsbStreamOptions {
  /** Close the device when the stream closes (default true; the probe keeps it open). */
  closeDevice?: boolean;
  /**
   * Bytes asked for per IN transfer, rounded up to whole packets (default 4096). A transfer
   * completes at the first short packet, so a large buffer costs nothing and a long +CGLA line
   * arrives in one piece.
   */
  readSize?: number;
}

const DEFAULT_READ_SIZE = 4096;

/**
 * Rejections that mean the device or the interface is gone: NotFoundError (unplugged), AbortError
 * (transfer cancelled by releaseInterface/close), InvalidStateError (device closed, interface
 * released).
 */
function isGone(err: unknown): boolean {
  const name = errorName(err);
  return name === 'NotFoundError' || name === 'AbortError' || name === 'InvalidStateError';
}

function copyOf(view: DataView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

/**
 * A ByteStream over `pair`, whose interface the caller has claimed. read() resolves undefined
 * once the device is unplugged or the stream closed; write() then throws TransportClosedError.
 * A halted endpoint ('stall') is cleared with CLEAR_FEATURE(ENDPOINT_HALT) and the transfer
 * retried once. close() releases the interface and (by default) closes the device; it is safe
 * to call twice.
 */
export function usbByteStream(
  device: UsbModemDevice,
  pair: BulkPair,
  options: UsbStreamOptions = {},
): ByteStream {
  const packet = Math.max(1, pair.in.packetSize);
  const readLength =
    Math.max(1, Math.ceil((options.readSize ?? DEFAULT_READ_SIZE) / packet)) * packet;
  const outPacket = Math.max(1, pair.out.packetSize);
  const inEp = pair.in.endpointNumber;
  const outEp = pair.out.endpointNumber;
  let closed = false;
  let gone = false;
  let writes: Promise<void> = Promise.resolve();

  async function transferIn(): Promise<UsbModemInResult> {
    let result = await device.transferIn(inEp, readLength);
    if (result.status === 'stall') {
      await device.clearHalt('in', inEp);
      result = await device.transferIn(inEp, readLength);
    }
    if (result.status !== 'ok') {
      throw new UsbTransferError('in', inEp, result.status);
    }
    return result;
  }

  async function read(): Promise<Uint8Array | undefined> {
    for (;;) {
      if (closed || gone) return undefined;
      let result: UsbModemInResult;
      try {
        result = await transferIn();
      } catch (err) {
        if (closed || isGone(err)) {
          gone = true;
          return undefined;
        }
        throw err;
      }
      if (closed) return undefined;
      // A zero-length packet carries nothing: ask again.
      if (result.data && result.data.byteLength > 0) return copyOf(result.data);
    }
  }

  async function transferOut(data: Uint8Array<ArrayBuffer>): Promise<void> {
    let result = await device.transferOut(outEp, data);
    if (result.status === 'stall') {
      await device.clearHalt('out', outEp);
      result = await device.transferOut(outEp, data);
    }
    if (result.status !== 'ok') {
      throw new UsbTransferError('out', outEp, result.status);
    }
  }

  async function writeNow(bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    if (closed || gone) throw new TransportClosedError('the USB modem is closed');
    try {
      await transferOut(bytes);
      // A transfer that ends on a packet boundary is only complete for the device once a
      // zero-length packet follows (USB 2.0 §5.8.3); modems otherwise hold the command back.
      if (bytes.length > 0 && bytes.length % outPacket === 0) {
        await transferOut(new Uint8Array(0));
      }
    } catch (err) {
      if (closed || isGone(err)) {
        gone = true;
        throw new TransportClosedError('the USB modem was disconnected', { cause: err });
      }
      throw err;
    }
  }

  return {
    read,
    write(bytes) {
      const copy = new Uint8Array(bytes);
      const run = writes.then(() => writeNow(copy));
      writes = run.catch(() => undefined);
      return run;
    },
    async close() {
      if (closed) return;
      closed = true;
      await device.releaseInterface(pair.interfaceNumber).catch(() => undefined);
      if (options.closeDevice ?? true) await device.close().catch(() => undefined);
    },
  };
}
