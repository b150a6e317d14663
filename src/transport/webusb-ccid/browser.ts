/**
 * The only file of the CCID transport that looks at the browser: finds navigator.usb, asks the
 * user for a reader and opens it. Everything it calls takes the USB API as a parameter.
 * The app loads this module on demand and calls `requestTransport(navigator.usb, ...)`.
 */
import {
  closingWith,
  hasMethod,
  isEventTarget,
  pageIsSecure,
  grantedOrChosen,
  type GrantedUse,
  watchUsbDisconnect,
} from '../browser-glue.ts';
import type { Transport } from '../transport.ts';
import { CcidReader, type CcidTransport } from './ccid-transport.ts';
import { UsbAccessError, classifyUsbError } from './errors.ts';
import { USB_CLASS_SMART_CARD } from './descriptors.ts';
import { ccidDeviceFilters, findKnownReader } from './known-readers.ts';

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

/** See GrantedUse (browser-glue.ts); 'only' with none fails with UsbAccessError('noDevice'). */
export type GrantedDeviceUse = GrantedUse;

function looksLikeReader(d: USBDevice): boolean {
  if (findKnownReader(d.vendorId, d.productId)) return true;
  return d.configurations.some((c) =>
    c.interfaces.some((i) => i.alternates.some((a) => a.interfaceClass === USB_CLASS_SMART_CARD)),
  );
}

function chooseReader(usb: USB, use: GrantedDeviceUse | undefined): Promise<USBDevice> {
  return grantedOrChosen(
    use,
    {
      list: (usb as Partial<USB>).getDevices?.bind(usb),
      accept: looksLikeReader,
      none: () => new UsbAccessError('noDevice'),
    },
    () => requestCcidReader(usb),
  );
}

/** Options of requestTransport. */
export interface RequestTransportOptions {
  /** Reuse a reader granted earlier instead of (or before) showing the chooser. */
  granted?: GrantedDeviceUse;
  /** Called once when the chosen reader is unplugged (not when the transport is closed). */
  onDisconnect?: () => void;
  /** Slot to power on (default 0). */
  slot?: number;
  /** Whether the page is a secure context (default: globalThis.isSecureContext). */
  isSecureContext?: boolean;
}

function isUsbApi(api: unknown): api is USB {
  return hasMethod(api, 'requestDevice');
}

/**
 * The entry point the app loads: `api` is navigator.usb as the page sees it (undefined when the
 * browser has none). Shows the chooser, opens the chosen reader and powers on its slot. Every
 * refusal becomes a UsbAccessError with one plain message: insecureContext, noWebUsb, noDevice,
 * protectedClass, busy, accessDenied (errors.ts). `onDisconnect` fires once when that reader is
 * unplugged; the transport then fails with TransportClosedError.
 */
export async function requestTransport(
  api: unknown,
  options: RequestTransportOptions = {},
): Promise<Transport> {
  // Chrome hides navigator.usb on insecure pages, so the secure-context check comes first: it
  // names the real cause. Outside a browser there is no flag; treat that as secure.
  if (!pageIsSecure(options.isSecureContext)) throw new UsbAccessError('insecureContext');
  if (!isUsbApi(api)) throw new UsbAccessError('noWebUsb');
  const device = await chooseReader(api, options.granted);
  const events = isEventTarget(api) ? api : undefined;
  const reader = await CcidReader.open(device, events ? { events } : {});
  let transport: CcidTransport;
  try {
    transport = await reader.openSlot(options.slot ?? 0, { closeReader: true });
  } catch (err) {
    await reader.close();
    throw err;
  }
  return closingWith(transport, watchUsbDisconnect(events, device, options.onDisconnect));
}
