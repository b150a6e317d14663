/**
 * A ByteStream (the shape AtTransport runs over) on a USB interface's bulk IN/OUT endpoint pair,
 * as cellular modems expose their AT ports. The device is typed structurally so tests can pass a
 * fake; a real WebUSB USBDevice satisfies UsbModemDevice.
 */
import { TransportClosedError } from '../transport.ts';
import type { ByteStream } from '../webserial-at/at-runner.ts';
import { UsbTransferError, errorName } from './errors.ts';

export type UsbTransferStatus = 'ok' | 'stall' | 'babble';

export interface UsbModemInResult {
  readonly status?: UsbTransferStatus | undefined;
  readonly data?: DataView | undefined;
}

export interface UsbModemOutResult {
  readonly status?: UsbTransferStatus | undefined;
  readonly bytesWritten: number;
}

export interface UsbModemEndpoint {
  readonly endpointNumber: number;
  readonly direction: 'in' | 'out';
  readonly type: 'bulk' | 'interrupt' | 'isochronous';
  readonly packetSize: number;
}

export interface UsbModemAlternate {
  readonly alternateSetting: number;
  readonly interfaceClass: number;
  readonly interfaceSubclass: number;
  readonly interfaceProtocol: number;
  readonly interfaceName?: string | null | undefined;
  readonly endpoints: readonly UsbModemEndpoint[];
}

export interface UsbModemInterface {
  readonly interfaceNumber: number;
  readonly alternates: readonly UsbModemAlternate[];
}

export interface UsbModemConfiguration {
  readonly configurationValue: number;
  readonly interfaces: readonly UsbModemInterface[];
}

export interface UsbModemControlSetup {
  requestType: 'standard' | 'class' | 'vendor';
  recipient: 'device' | 'interface' | 'endpoint' | 'other';
  request: number;
  value: number;
  index: number;
}

/** The part of WebUSB's USBDevice this transport uses; a real USBDevice satisfies it. */
export interface UsbModemDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly productName?: string | null | undefined;
  readonly manufacturerName?: string | null | undefined;
  readonly serialNumber?: string | null | undefined;
  readonly opened: boolean;
  readonly configuration: UsbModemConfiguration | null | undefined;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  transferIn(endpointNumber: number, length: number): Promise<UsbModemInResult>;
  transferOut(endpointNumber: number, data: Uint8Array<ArrayBuffer>): Promise<UsbModemOutResult>;
  clearHalt(direction: 'in' | 'out', endpointNumber: number): Promise<void>;
  controlTransferOut(
    setup: UsbModemControlSetup,
    data?: Uint8Array<ArrayBuffer>,
  ): Promise<UsbModemOutResult>;
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
    if (result.status !== undefined && result.status !== 'ok') {
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
    if (result.status !== undefined && result.status !== 'ok') {
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
