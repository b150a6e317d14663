/**
 * The browser glue of the WebUSB AT-modem transport: asks the user for a modem with the
 * browser's USB chooser, finds its AT interface and starts an AtTransport on it. The USB API is
 * passed in; the app loads this module on demand and calls `requestTransport(navigator.usb, ...)`.
 * This reaches modems that Web Serial cannot (Chrome on Android only opens a few USB-UART chips
 * through Web Serial; modems expose AT on vendor-class interfaces, which WebUSB does not block).
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
import { probingBlockOptions } from '../webserial-at/at-transport.ts';
import type { AtTransport, AtTransportOptions } from '../webserial-at/at-transport.ts';
import { UsbModemAccessError, classifyUsbModemError } from './errors.ts';
import {
  atInterfaceCandidates,
  findKnownModemVendor,
  modemDeviceFilters,
  openUsbModemTransport,
  type OpenAtInterfaceOptions,
  type UsbModemFilter,
} from './modem.ts';
import type { UsbModemDevice } from './usb-stream.ts';

export { UsbModemAccessError } from './errors.ts';

/** The part of navigator.usb used here; a real USB object satisfies it. */
export interface UsbModemApi {
  requestDevice(options: { filters: UsbModemFilter[] }): Promise<UsbModemDevice>;
  getDevices?: () => Promise<UsbModemDevice[]>;
}

/** See GrantedUse (browser-glue.ts); 'only' with none fails with UsbModemAccessError('noDevice'). */
export type GrantedModemUse = GrantedUse;

/** Options of requestTransport. */
export interface RequestTransportOptions extends AtTransportOptions, OpenAtInterfaceOptions {
  /** Reuse a modem granted earlier instead of (or before) showing the chooser. */
  granted?: GrantedModemUse;
  /** Called once when the chosen modem is unplugged (not when the transport is closed). */
  onDisconnect?: () => void;
  /** Whether the page is a secure context (default: globalThis.isSecureContext). */
  isSecureContext?: boolean;
}

function isUsbApi(api: unknown): api is UsbModemApi {
  return hasMethod(api, 'requestDevice');
}

function looksLikeModem(device: UsbModemDevice): boolean {
  if (findKnownModemVendor(device.vendorId)) return true;
  // getDevices() devices are closed; their configuration is still readable.
  return atInterfaceCandidates(device).length > 0;
}

function chooseModem(usb: UsbModemApi, use: GrantedModemUse | undefined): Promise<UsbModemDevice> {
  return grantedOrChosen(
    use,
    {
      list: usb.getDevices?.bind(usb),
      accept: looksLikeModem,
      none: () => new UsbModemAccessError('noDevice'),
    },
    async () => {
      try {
        return await usb.requestDevice({ filters: modemDeviceFilters() });
      } catch (err) {
        throw classifyUsbModemError(err, 'request') ?? err;
      }
    },
  );
}

/**
 * The entry point the app loads: `api` is navigator.usb as the page sees it (undefined when the
 * browser has none). Shows the chooser (filtered to known modem vendors and devices with a
 * vendor-class interface), opens the modem, selects configuration 1 if none is set, probes for
 * the AT interface and detects how the modem reaches the SIM. Refusals become
 * UsbModemAccessError (insecureContext, noWebUsb, noDevice, busy, accessDenied, noAtInterface,
 * disconnected); a modem with no SIM access commands AtUnsupportedError. `onDisconnect` fires
 * once when navigator.usb reports this modem unplugged; the transport then fails with
 * TransportClosedError.
 */
export async function requestTransport(
  api: unknown,
  options: RequestTransportOptions = {},
): Promise<Transport> {
  // Chrome hides navigator.usb on insecure pages, so the secure-context check comes first: it
  // names the real cause. Outside a browser there is no flag; treat that as secure.
  if (!pageIsSecure(options.isSecureContext)) throw new UsbModemAccessError('insecureContext');
  if (!isUsbApi(api)) throw new UsbModemAccessError('noWebUsb');
  const device = await chooseModem(api, options.granted);
  const id = `usb:${device.vendorId.toString(16)}:${device.productId.toString(16)}`;
  const transport: AtTransport = await openUsbModemTransport(device, {
    ...probingBlockOptions(device.serialNumber ? `${id}:${device.serialNumber}` : id),
    ...options,
  });

  const events = isEventTarget(api) ? api : undefined;
  return closingWith(transport, watchUsbDisconnect(events, device, options.onDisconnect));
}
