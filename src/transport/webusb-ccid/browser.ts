/**
 * The only file of the CCID transport that looks at the browser: finds navigator.usb, asks the
 * user for a reader and opens it. Everything it calls takes the USB API as a parameter.
 */
import { CcidReader, type CcidTransport } from './ccid-transport.ts';
import { UsbAccessError, classifyUsbError } from './errors.ts';
import { ccidDeviceFilters } from './known-readers.ts';

export interface WebUsbEnvironment {
  usb: USB | undefined;
  isSecureContext: boolean;
}

/** The page's WebUSB environment (navigator.usb and the secure-context flag). */
export function browserUsbEnvironment(): WebUsbEnvironment {
  const nav = globalThis.navigator as (Navigator & { usb?: USB }) | undefined;
  return { usb: nav?.usb, isSecureContext: globalThis.isSecureContext };
}

/** navigator.usb, or UsbAccessError('insecureContext' | 'noWebUsb') saying why there is none. */
export function getWebUsb(env: WebUsbEnvironment = browserUsbEnvironment()): USB {
  if (!env.isSecureContext) throw new UsbAccessError('insecureContext');
  if (env.usb === undefined) throw new UsbAccessError('noWebUsb');
  return env.usb;
}

/** Shows the browser's device chooser limited to CCID readers (needs a user gesture). */
export async function requestCcidReader(usb: USB): Promise<USBDevice> {
  try {
    return await usb.requestDevice({ filters: ccidDeviceFilters() });
  } catch (err) {
    throw classifyUsbError(err, 'request') ?? err;
  }
}

/**
 * Asks for a reader (or reuses `device`), opens it and powers on `slot`. Closing the returned
 * transport closes the reader.
 */
export async function connectUsbReader(
  options: { slot?: number; device?: USBDevice; env?: WebUsbEnvironment } = {},
): Promise<CcidTransport> {
  const usb = getWebUsb(options.env);
  const device = options.device ?? (await requestCcidReader(usb));
  const reader = await CcidReader.open(device, { events: usb });
  try {
    return await reader.openSlot(options.slot ?? 0, { closeReader: true });
  } catch (err) {
    await reader.close();
    throw err;
  }
}
