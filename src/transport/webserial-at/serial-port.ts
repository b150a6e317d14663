/**
 * WebSerial port settings and the byte stream over a port's readable/writable pair. The port
 * object is passed in (browser.ts gets it from navigator.serial; tests pass a fake).
 */
import type { ByteStream } from './at-runner.ts';

/** The part of WebSerial's SerialPort used here; a real SerialPort satisfies it. */
export interface SerialPortLike {
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
  open(options: SerialOptions): Promise<void>;
  close(): Promise<void>;
}

export interface SerialSettings {
  /** Default 115200; USB modems ignore it, UART-attached ones need the right value. */
  baudRate?: number;
  flowControl?: 'none' | 'hardware';
}

export const DEFAULT_BAUD_RATE = 115200;

/** Opens `port` with 8N1 at the given speed and returns a ByteStream over it. */
export async function openSerialStream(
  port: SerialPortLike,
  settings: SerialSettings = {},
): Promise<ByteStream> {
  await port.open({
    baudRate: settings.baudRate ?? DEFAULT_BAUD_RATE,
    dataBits: 8,
    stopBits: 1,
    parity: 'none',
    flowControl: settings.flowControl ?? 'none',
  });
  return serialByteStream(port);
}

/** A ByteStream over an already opened port. close() releases both streams and closes the port. */
export function serialByteStream(port: SerialPortLike): ByteStream {
  if (!port.readable || !port.writable) throw new Error('the serial port is not open');
  const reader = port.readable.getReader();
  const writer = port.writable.getWriter();
  let closed = false;
  return {
    async read() {
      if (closed) return undefined;
      const { value, done } = await reader.read();
      return done ? undefined : value;
    },
    write(bytes) {
      return writer.write(bytes);
    },
    async close() {
      if (closed) return;
      closed = true;
      await reader.cancel().catch(() => undefined);
      reader.releaseLock();
      await writer.close().catch(() => undefined);
      writer.releaseLock();
      await port.close().catch(() => undefined);
    },
  };
}
