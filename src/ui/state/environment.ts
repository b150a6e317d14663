/**
 * The browser capabilities the app uses, gathered once in main.ts and passed down, so state and
 * wiring code never reach for globals (and tests can hand in fakes).
 */
import type { TransportKind } from './settings-model.ts';

export interface BrowserEnv {
  isSecureContext: boolean;
  usb: USB | undefined;
  serial: Serial | undefined;
  /** navigator.smartCard (Web Smart Card API; Isolated Web Apps on ChromeOS), when present. */
  smartCard?: unknown;
  indexedDB: IDBFactory | undefined;
  mediaDevices: MediaDevices | undefined;
  clipboard: Clipboard | undefined;
  fetch: typeof fetch;
  now: () => number;
}

/** Why a link kind cannot be used here; ConnectView words it in the current language. */
export type Unavailable =
  'insecure' | 'noWebUsb' | 'noWebSerial' | 'noWebUsbModem' | 'noSmartCardApi';

/** One way of reaching an eUICC and whether this browser offers it (its name and text: messages). */
export interface Availability {
  kind: TransportKind;
  available: boolean;
  /** Why it is not available here. */
  reason?: Unavailable;
}

export function transportAvailability(env: BrowserEnv): Availability[] {
  /** A hardware link: usable on a secure page whose browser has `api`, else the reason why not. */
  const hardware = (kind: TransportKind, api: unknown, noApi: Unavailable): Availability => {
    if (!env.isSecureContext) return { kind, available: false, reason: 'insecure' };
    if (api === undefined) return { kind, available: false, reason: noApi };
    return { kind, available: true };
  };
  return [
    { kind: 'virtual', available: true },
    hardware('usb', env.usb, 'noWebUsb'),
    hardware('serial', env.serial, 'noWebSerial'),
    hardware('usbModem', env.usb, 'noWebUsbModem'),
    hardware('smartcard', env.smartCard, 'noSmartCardApi'),
    // The local card bridge is reached over a WebSocket, which every browser has.
    { kind: 'bridge', available: true },
  ];
}
