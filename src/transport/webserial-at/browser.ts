/**
 * The only file of the AT transport that looks at the browser: finds navigator.serial, asks the
 * user for a port and opens it. The app loads this module on demand and calls
 * `requestTransport(navigator.serial, ...)`.
 */
import { grantedOrChosen, hasMethod, pageIsSecure, type GrantedUse } from '../browser-glue.ts';
import type { Transport } from '../transport.ts';
import { AtTransport, probingBlockOptions, type AtTransportOptions } from './at-transport.ts';
import type { ByteStream } from './at-runner.ts';
import { SerialAccessError, classifySerialError } from './errors.ts';
import { openSerialStream, type SerialPortLike, type SerialSettings } from './serial-port.ts';

export { SerialAccessError } from './errors.ts';

export interface WebSerialEnvironment {
  serial: Serial | undefined;
  isSecureContext: boolean;
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

async function choosePort(serial: Pick<Serial, 'requestPort'>): Promise<SerialPort> {
  try {
    return await serial.requestPort();
  } catch (err) {
    throw classifySerialError(err, 'request') ?? err;
  }
}

async function openStream(port: SerialPortLike, settings: SerialSettings): Promise<ByteStream> {
  try {
    return await openSerialStream(port, settings);
  } catch (err) {
    throw classifySerialError(err, 'open') ?? err;
  }
}

/** Asks for a port (or reuses `port`) and starts an AtTransport on it (115200 8N1 by default). */
export async function connectSerialModem(
  options: AtTransportOptions &
    SerialSettings & { port?: SerialPort; env?: WebSerialEnvironment } = {},
): Promise<AtTransport> {
  const serial = getWebSerial(options.env);
  const port = options.port ?? (await choosePort(serial));
  return AtTransport.open(await openStream(port, options), options);
}

/** See GrantedUse (browser-glue.ts); 'only' with none fails with SerialAccessError('noDevice'). */
export type GrantedPortUse = GrantedUse;

function pickPort(
  serial: Pick<Serial, 'requestPort'> & Partial<Serial>,
  use: GrantedPortUse | undefined,
): Promise<SerialPort> {
  return grantedOrChosen(
    use,
    { list: serial.getPorts?.bind(serial), none: () => new SerialAccessError('noDevice') },
    () => choosePort(serial),
  );
}

/** Options of requestTransport. */
export interface RequestTransportOptions extends AtTransportOptions, SerialSettings {
  /** Reuse a port granted earlier instead of (or before) showing the chooser. */
  granted?: GrantedPortUse;
  /** Called once when the modem goes away (port lost or unplugged), not when the transport is closed. */
  onDisconnect?: () => void;
  /** Whether the page is a secure context (default: globalThis.isSecureContext). */
  isSecureContext?: boolean;
}

function isSerialApi(api: unknown): api is Pick<Serial, 'requestPort'> {
  return hasMethod(api, 'requestPort');
}

/**
 * The entry point the app loads: `api` is navigator.serial as the page sees it (undefined when the
 * browser has none). Shows the port chooser, opens the port and detects how the modem reaches
 * the SIM. Refusals become SerialAccessError (insecureContext, noWebSerial, noDevice, busy,
 * accessDenied); a modem with no SIM access commands AtUnsupportedError. `onDisconnect` fires
 * once when the port is lost (its stream fails or ends, or the port reports 'disconnect').
 */
export async function requestTransport(
  api: unknown,
  options: RequestTransportOptions = {},
): Promise<Transport> {
  if (!pageIsSecure(options.isSecureContext)) throw new SerialAccessError('insecureContext');
  if (!isSerialApi(api)) throw new SerialAccessError('noWebSerial');
  const port = await pickPort(api, options.granted);
  const stream = await openStream(port, options);

  let closing = false;
  let lost = false;
  const onDisconnect = options.onDisconnect;
  const signalLost = (): void => {
    if (closing || lost) return;
    lost = true;
    onDisconnect?.();
  };
  // Chrome fires 'disconnect' at the SerialPort (it bubbles to navigator.serial).
  const portEvents = port as Partial<EventTarget>;
  const onPortEvent = (): void => {
    signalLost();
  };
  portEvents.addEventListener?.('disconnect', onPortEvent);
  const watched: ByteStream = {
    read: async () => {
      try {
        const chunk = await stream.read();
        if (chunk === undefined) signalLost();
        return chunk;
      } catch (err) {
        signalLost();
        throw err;
      }
    },
    write: async (bytes) => {
      try {
        await stream.write(bytes);
      } catch (err) {
        signalLost();
        throw err;
      }
    },
    close: async () => {
      closing = true;
      portEvents.removeEventListener?.('disconnect', onPortEvent);
      await stream.close();
    },
  };
  return AtTransport.open(watched, { ...probingBlockOptions(serialDeviceId(port)), ...options });
}

/** USB vendor:product of a serial port (Chrome's getInfo), the key its block size is kept under. */
function serialDeviceId(port: SerialPort): string | undefined {
  const info = (port as Partial<Pick<SerialPort, 'getInfo'>>).getInfo?.();
  if (info?.usbVendorId === undefined || info.usbProductId === undefined) return undefined;
  return `serial:${info.usbVendorId.toString(16)}:${info.usbProductId.toString(16)}`;
}
