/** English texts of the app's guide area; the other languages mirror this module's shape. */
export const guide = {
  title: 'How to connect here',
  /** The button that opens the guide again. */
  reopen: 'How to connect',
  dismiss: 'Got it',
  usingIsolatedApp: 'You are using the installed WebLPA app (Isolated Web App).',
  using: (browser: string, platform: string) => `You are using ${browser} on ${platform}.`,
  usingBrowser: (browser: string) => `You are using ${browser}.`,
  usingUnknown: 'This browser was not recognised: the lists below follow what it offers.',
  worksHeading: 'Works here',
  blockedHeading: 'Does not work here',
  todoHeading: 'What to do',
  links: {
    virtual: 'Virtual eUICC',
    usbReader: 'USB reader',
    serialModem: 'Serial modem',
    usbModem: 'USB modem',
    smartCard: 'System smart card reader',
    bridge: 'Local card bridge',
  },
  works: {
    virtual: 'A software eUICC in this browser, for trying things out.',
    usbReader: "Standard (CCID) readers, once the system's smart-card service lets go of them.",
    serialModem: "A cellular modem's AT port, over Web Serial.",
    usbModem: "A modem's AT port over USB, when no system driver holds it.",
    smartCard: "Readers through the system's smart-card service.",
    bridge: "This computer's PC/SC readers, through the bridge program.",
  },
  why: {
    insecure: 'The page was opened over plain http, so the browser hides USB and serial ports.',
    noWebUsb: 'This browser does not support WebUSB.',
    noWebSerial: 'This browser does not support Web Serial.',
    ccidBlocked:
      'The browser blocks standard (CCID) smart-card readers in web pages; only rare readers with a vendor-specific interface work.',
    ccidBlockedAndroid:
      'Chrome blocks standard (CCID) smart-card readers in web pages, and Android has no installed-app way around it.',
    serialAndroid: "On Android, Web Serial does not see modems' AT ports.",
    smartCardApp: 'Only in the installed WebLPA app on ChromeOS.',
    bridgeComputer: 'The bridge is a program for a computer, not for a phone or tablet.',
  },
  todo: {
    secureOrigin: 'Open WebLPA over https or on localhost to use USB and serial devices.',
    bridge:
      'Card reader: start the local card bridge on this computer, then list its readers in the bridge option below:',
    iwa: 'Card reader without the bridge: install the Isolated Web App build in desktop Chrome:',
    serialModem: 'Modem: choose its AT port (Quectel, Sierra, SIMCom…) with Serial modem.',
    serialModemLinux:
      'Modem: stop ModemManager first, then choose its AT port (Quectel, Sierra, SIMCom…) with Serial modem.',
    usbModem: 'Modem: plug it in by USB and choose USB modem.',
    desktopBrowser: 'USB readers and modems need Chrome or Edge on a computer.',
    virtual:
      'No hardware at hand? The virtual eUICC always works, for trying things out and dry runs.',
  },
};
