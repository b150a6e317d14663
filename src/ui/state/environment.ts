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

export interface Availability {
  kind: TransportKind;
  label: string;
  description: string;
  available: boolean;
  /** Why it is not available here, in plain words. */
  reason?: string;
}

export function transportAvailability(env: BrowserEnv): Availability[] {
  const insecure = 'This page is not a secure context: open it over https or on localhost.';
  /** A hardware link: usable on a secure page whose browser has `api`, else the reason why not. */
  const hardware = (
    option: Omit<Availability, 'available' | 'reason'>,
    api: unknown,
    noApi: string,
  ): Availability => {
    const available = env.isSecureContext && api !== undefined;
    if (available) return { ...option, available };
    return { ...option, available, reason: env.isSecureContext ? noApi : insecure };
  };
  return [
    {
      kind: 'virtual',
      label: 'Virtual eUICC',
      description: 'A software eUICC kept in this browser, for trying things out and for tests.',
      available: true,
    },
    hardware(
      {
        kind: 'usb',
        label: 'USB reader',
        description: 'A USB smart-card reader holding an eUICC (WebUSB).',
      },
      env.usb,
      'This browser has no WebUSB (use Chrome or Edge on a desktop).',
    ),
    hardware(
      {
        kind: 'serial',
        label: 'Serial modem',
        description: 'A cellular modem with an eUICC, driven by AT commands (WebSerial).',
      },
      env.serial,
      'This browser has no WebSerial (use Chrome or Edge on a desktop).',
    ),
    hardware(
      {
        kind: 'usbModem',
        label: 'USB modem',
        description:
          'A cellular modem whose AT port is reached over USB directly (WebUSB), e.g. from ' +
          'Chrome on Android, where Web Serial does not see modem ports.',
      },
      env.usb,
      'This browser has no WebUSB (use Chrome or Edge, on a desktop or Android).',
    ),
    hardware(
      {
        kind: 'smartcard',
        label: 'System smart card reader',
        description:
          "Smart card readers through the system's smart card service; available in the " +
          'installed WebLPA app on ChromeOS.',
      },
      env.smartCard,
      'This browser has no Web Smart Card API: only the installed WebLPA app (Isolated Web App) ' +
        'in Chrome on ChromeOS has it. Use a USB reader, a modem or the virtual eUICC here.',
    ),
    {
      kind: 'bridge',
      label: 'Reader through local bridge',
      description:
        "A PC/SC reader on this computer, through WebLPA's card bridge (npm run lpa -- bridge); " +
        'works in every browser.',
      available: true,
    },
  ];
}
