/**
 * The only file of the AT transport that looks at the browser: finds navigator.serial, asks the
 * user for a port and opens it.
 */
import { openAtTransport, type AtTransport, type AtTransportOptions } from './at-transport.ts';
import type { SerialSettings } from './serial-port.ts';

export interface WebSerialEnvironment {
  serial: Serial | undefined;
  isSecureContext: boolean;
}

/** Why serial access is impossible here. */
export class SerialAccessError extends Error {
  override readonly name = 'SerialAccessError';
  constructor(
    readonly kind: 'noWebSerial' | 'insecureContext' | 'noDevice',
    options?: { cause?: unknown },
  ) {
    super(
      kind === 'noWebSerial'
        ? 'This browser has no Web Serial (use Chrome or Edge on a desktop, or Firefox 151+ with its site permission).'
        : kind === 'insecureContext'
          ? 'Serial access needs a secure page: open the app over https:// or from http://localhost.'
          : 'No serial port was chosen.',
      options,
    );
  }
}

export function browserSerialEnvironment(): WebSerialEnvironment {
  const nav = globalThis.navigator as (Navigator & { serial?: Serial }) | undefined;
  return { serial: nav?.serial, isSecureContext: globalThis.isSecureContext };
}

export function getWebSerial(env: WebSerialEnvironment = browserSerialEnvironment()): Serial {
  if (!env.isSecureContext) throw new SerialAccessError('insecureContext');
  if (env.serial === undefined) throw new SerialAccessError('noWebSerial');
  return env.serial;
}

/** Asks for a port (or reuses `port`) and starts an AtTransport on it (115200 8N1 by default). */
export async function connectSerialModem(
  options: AtTransportOptions &
    SerialSettings & { port?: SerialPort; env?: WebSerialEnvironment } = {},
): Promise<AtTransport> {
  const serial = getWebSerial(options.env);
  let port = options.port;
  if (!port) {
    try {
      port = await serial.requestPort();
    } catch (err) {
      if ((err as { name?: unknown }).name === 'NotFoundError') {
        throw new SerialAccessError('noDevice', { cause: err });
      }
      throw err;
    }
  }
  return openAtTransport(port, options);
}
