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
import { CcidReader, type CcidReaderOptions, type CcidTransport } from './ccid-transport.ts';
import {
  choiceRequest,
  deviceKey,
  offersChoice,
  readerChoice,
  rememberChoice,
  rememberedChoice,
  type ChoiceStore,
  type ReaderChoiceBroker,
} from './choice.ts';
import { UsbAccessError, classifyUsbError } from './errors.ts';
import { ccidDeviceFilters } from './known-readers.ts';
import { looksLikeCcidReader } from './reader-open.ts';
import type { UsbDeviceLike } from '../usb-types.ts';

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

/** Where choices are remembered: the page's localStorage, when it has one. */
function pageStorage(): ChoiceStore | undefined {
  try {
    return (globalThis as { localStorage?: ChoiceStore }).localStorage;
  } catch {
    return undefined; // storage blocked
  }
}

/** How openChosenSlot picks the interface and slot. */
export interface SlotChoiceOptions {
  /** Use this slot of the default interface (no question asked). */
  slot?: number;
  /** Who asks the user (default: the app's broker, answered by ReaderSlotPicker). */
  broker?: ReaderChoiceBroker;
  /** Where choices are remembered per device (default: localStorage). */
  store?: ChoiceStore | undefined;
}

/**
 * Opens `device` and powers on the slot to use: `options.slot` when given; otherwise the choice
 * remembered for this device (vendor, product, serial) while it still holds a card; otherwise,
 * when the reader offers several usable interfaces or slots, the user's answer to the broker
 * (slots with a card first; NotifySlotChange updates the question while it is open); otherwise
 * the best interface and its first slot with a card. The choice is remembered. Closing the
 * returned transport closes the reader.
 */
export async function openChosenSlot(
  device: UsbDeviceLike,
  readerOptions: CcidReaderOptions,
  options: SlotChoiceOptions = {},
): Promise<CcidTransport> {
  const broker = options.broker ?? readerChoice;
  const store = 'store' in options ? options.store : pageStorage();
  const key = deviceKey(device);
  const remembered = options.slot === undefined ? rememberedChoice(store, key) : undefined;
  let reader = await CcidReader.open(device, {
    ...readerOptions,
    ...(remembered && options.slot === undefined
      ? { interfaceNumber: remembered.interfaceNumber }
      : {}),
  }).catch(async (err: unknown) => {
    if (remembered === undefined) throw err;
    return CcidReader.open(device, readerOptions); // the remembered interface is gone
  });
  try {
    let slot = options.slot;
    if (slot === undefined) {
      const slots = await reader.slotStatuses();
      const request = choiceRequest(reader.name, reader.interfaces, reader.interfaceNumber, slots);
      const stillThere =
        remembered !== undefined &&
        remembered.interfaceNumber === reader.interfaceNumber &&
        slots.some((s) => s.slot === remembered.slot && s.state !== 'absent');
      let choice = request.suggested;
      if (stillThere) {
        choice = remembered;
      } else if (offersChoice(request)) {
        const stop = reader.onSlotChange(() => {
          void reader
            .slotStatuses()
            .then((now) => {
              broker.update(
                choiceRequest(reader.name, reader.interfaces, reader.interfaceNumber, now),
              );
            })
            .catch(() => undefined);
        });
        try {
          choice = await broker.ask(request);
        } finally {
          stop();
        }
      }
      if (choice.interfaceNumber !== reader.interfaceNumber) {
        await reader.close();
        reader = await CcidReader.open(device, {
          ...readerOptions,
          interfaceNumber: choice.interfaceNumber,
        });
      }
      rememberChoice(store, key, choice);
      slot = choice.slot;
    }
    return await reader.openSlot(slot, { closeReader: true });
  } catch (err) {
    await reader.close();
    throw err;
  }
}

/**
 * Asks for a reader (or reuses `device`), opens it and powers on `slot` (or the chosen one, see
 * openChosenSlot). Closing the returned transport closes the reader.
 */
export async function connectUsbReader(
  options: { slot?: number; device?: USBDevice; env?: WebUsbEnvironment } = {},
): Promise<CcidTransport> {
  const usb = getWebUsb(options.env);
  const device = options.device ?? (await requestCcidReader(usb));
  return openChosenSlot(
    device,
    { events: usb },
    options.slot !== undefined ? { slot: options.slot } : {},
  );
}

/** See GrantedUse (browser-glue.ts); 'only' with none fails with UsbAccessError('noDevice'). */
export type GrantedDeviceUse = GrantedUse;

function chooseReader(usb: USB, use: GrantedDeviceUse | undefined): Promise<USBDevice> {
  return grantedOrChosen(
    use,
    {
      list: (usb as Partial<USB>).getDevices?.bind(usb),
      accept: looksLikeCcidReader,
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
  /** Slot to power on (default: the remembered or chosen one, openChosenSlot). */
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
  const transport = await openChosenSlot(
    device,
    events ? { events } : {},
    options.slot !== undefined ? { slot: options.slot } : {},
  );
  return closingWith(transport, watchUsbDisconnect(events, device, options.onDisconnect));
}
