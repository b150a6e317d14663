/** English texts of the Connect view and its link options; the other languages mirror this module's shape. */
export const connect = {
  title: 'Connect to an eUICC',
  lost: (name: string) => `The connection to ${name} was lost.`,
  /** Stands for the name when the lost link had none. */
  theEuicc: 'the eUICC',
  available: (lastUsed: boolean): string =>
    lastUsed ? 'Available in this browser · last used.' : 'Available in this browser.',
  notAvailable: (reason: string) => `Not available here: ${reason}`,
  connectedTo: (name: string) => `Connected to ${name}.`,
  /** Each way of reaching an eUICC (src/ui/state/settings-model.ts TransportKind): name, text and
   * the button that connects with it (the bridge has its own panel instead). */
  options: {
    virtual: {
      label: 'Virtual eUICC',
      use: 'Use Virtual eUICC',
      description: 'A software eUICC kept in this browser, for trying things out and for tests.',
    },
    usb: {
      label: 'USB reader',
      use: 'Use USB reader',
      description: 'A USB smart-card reader holding an eUICC (WebUSB).',
    },
    serial: {
      label: 'Serial modem',
      use: 'Use Serial modem',
      description: 'A cellular modem with an eUICC, driven by AT commands (WebSerial).',
    },
    usbModem: {
      label: 'USB modem',
      use: 'Use USB modem',
      description:
        'A cellular modem whose AT port is reached over USB directly (WebUSB), e.g. from ' +
        'Chrome on Android, where Web Serial does not see modem ports.',
    },
    smartcard: {
      label: 'System smart card reader',
      use: 'Use System smart card reader',
      description:
        "Smart card readers through the system's smart card service; available in the " +
        'installed WebLPA app on ChromeOS.',
    },
    bridge: {
      label: 'Reader through local bridge',
      description:
        "A PC/SC reader on this computer, through WebLPA's card bridge (npm run lpa -- bridge); " +
        'works in every browser.',
    },
  },
  /** Why an option is not available (src/ui/state/environment.ts Unavailable). */
  unavailable: {
    insecure: 'This page is not a secure context: open it over https or on localhost.',
    noWebUsb: 'This browser has no WebUSB (use Chrome or Edge on a desktop).',
    noWebSerial: 'This browser has no WebSerial (use Chrome or Edge on a desktop).',
    noWebUsbModem: 'This browser has no WebUSB (use Chrome or Edge, on a desktop or Android).',
    noSmartCardApi:
      'This browser has no Web Smart Card API: only the installed WebLPA app (Isolated Web App) ' +
      'in Chrome on ChromeOS has it. Use a USB reader, a modem or the virtual eUICC here.',
  },
};
