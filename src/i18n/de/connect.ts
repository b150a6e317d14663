import type { Messages } from '../messages.ts';

export const connect: Messages['connect'] = {
  title: 'Mit einer eUICC verbinden',
  lost: (name: string) => `Die Verbindung mit ${name} wurde unterbrochen.`,
  theEuicc: 'der eUICC',
  available: (lastUsed: boolean) =>
    lastUsed ? 'In diesem Browser verfügbar (zuletzt verwendet).' : 'In diesem Browser verfügbar.',
  notAvailable: (reason: string) => `Hier nicht verfügbar: ${reason}`,
  connectedTo: (name: string) => `Verbunden mit ${name}.`,
  options: {
    virtual: {
      label: 'Virtuelle eUICC',
      use: 'Virtuelle eUICC verwenden',
      description: 'Eine Software-eUICC in diesem Browser, zum Ausprobieren und für Tests.',
    },
    usb: {
      label: 'USB-Kartenleser',
      use: 'USB-Kartenleser verwenden',
      description: 'Ein USB-Chipkartenleser mit einer eUICC (WebUSB).',
    },
    serial: {
      label: 'Serielles Modem',
      use: 'Serielles Modem verwenden',
      description: 'Ein Mobilfunkmodem mit eUICC, gesteuert über AT-Befehle (WebSerial).',
    },
    usbModem: {
      label: 'USB-Modem',
      use: 'USB-Modem verwenden',
      description:
        'Ein Mobilfunkmodem, dessen AT-Port direkt über USB erreicht wird (WebUSB), z. B. in ' +
        'Chrome unter Android, wo Web Serial keine Modemports sieht.',
    },
    smartcard: {
      label: 'Kartenleser des Systems',
      use: 'Kartenleser des Systems verwenden',
      description:
        'Kartenleser über den Chipkartendienst des Systems; verfügbar in der installierten ' +
        'WebLPA-App unter ChromeOS.',
    },
    bridge: {
      label: 'Kartenleser über lokale Kartenbrücke',
      description:
        'Ein PC/SC-Kartenleser an diesem Computer, über die Kartenbrücke von WebLPA ' +
        '(npm run lpa -- bridge); funktioniert in jedem Browser.',
    },
  },
  unavailable: {
    insecure:
      'Diese Seite ist kein sicherer Kontext: Öffnen Sie sie über https oder auf localhost.',
    noWebUsb: 'Dieser Browser hat kein WebUSB (verwenden Sie Chrome oder Edge am Desktop).',
    noWebSerial: 'Dieser Browser hat kein WebSerial (verwenden Sie Chrome oder Edge am Desktop).',
    noWebUsbModem:
      'Dieser Browser hat kein WebUSB (verwenden Sie Chrome oder Edge am Desktop oder unter Android).',
    noSmartCardApi:
      'Dieser Browser hat keine Web Smart Card API: Nur die installierte WebLPA-App ' +
      '(Isolated Web App) in Chrome unter ChromeOS bietet sie. Verwenden Sie hier einen ' +
      'USB-Kartenleser, ein Modem oder die virtuelle eUICC.',
  },
};
