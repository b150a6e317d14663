import type { Messages } from '../messages.ts';

export const guide: Messages['guide'] = {
  title: 'So verbinden Sie sich hier',
  reopen: 'So verbinden Sie sich',
  dismiss: 'Verstanden',
  usingIsolatedApp: 'Sie verwenden die installierte WebLPA-App (Isolated Web App).',
  using: (browser: string, platform: string) => `Sie verwenden ${browser} unter ${platform}.`,
  usingBrowser: (browser: string) => `Sie verwenden ${browser}.`,
  usingUnknown:
    'Dieser Browser wurde nicht erkannt: Die Listen unten richten sich nach dem, was er bietet.',
  worksHeading: 'Funktioniert hier',
  blockedHeading: 'Funktioniert hier nicht',
  todoHeading: 'Was Sie tun können',
  links: {
    virtual: 'Virtuelle eUICC',
    usbReader: 'USB-Kartenleser',
    serialModem: 'Serielles Modem',
    usbModem: 'USB-Modem',
    smartCard: 'Kartenleser des Systems',
    bridge: 'Lokale Kartenbrücke',
  },
  works: {
    virtual: 'Eine Software-eUICC in diesem Browser, zum Ausprobieren.',
    usbReader: 'Standard-Kartenleser (CCID), sobald der Smartcard-Dienst des Systems sie freigibt.',
    serialModem: 'Der AT-Port eines Mobilfunkmodems, über Web Serial.',
    usbModem: 'Der AT-Port eines Modems über USB, wenn kein Systemtreiber ihn belegt.',
    smartCard: 'Kartenleser über den Smartcard-Dienst des Systems.',
    bridge: 'Die PC/SC-Kartenleser dieses Computers, über das Brückenprogramm.',
  },
  why: {
    insecure:
      'Die Seite wurde über einfaches http geöffnet, daher verbirgt der Browser USB- und serielle Anschlüsse.',
    noWebUsb: 'Dieser Browser unterstützt WebUSB nicht.',
    noWebSerial: 'Dieser Browser unterstützt Web Serial nicht.',
    ccidBlocked:
      'Der Browser sperrt Standard-Kartenleser (CCID) in Webseiten; nur seltene Leser mit herstellerspezifischer Schnittstelle funktionieren.',
    ccidBlockedAndroid:
      'Chrome sperrt Standard-Kartenleser (CCID) in Webseiten, und unter Android gibt es keine installierte App als Ausweg.',
    serialAndroid: 'Unter Android sieht Web Serial die AT-Ports von Modems nicht.',
    smartCardApp: 'Nur in der installierten WebLPA-App unter ChromeOS.',
    bridgeComputer: 'Die Brücke ist ein Programm für Computer, nicht für Smartphones oder Tablets.',
  },
  todo: {
    secureOrigin:
      'Öffnen Sie WebLPA über https oder auf localhost, um USB- und serielle Geräte zu nutzen.',
    bridge:
      'Kartenleser: Starten Sie die lokale Kartenbrücke auf diesem Computer und lassen Sie sich unten bei der Brücke ihre Kartenleser anzeigen:',
    iwa: 'Kartenleser ohne Brücke: Installieren Sie den Isolated-Web-App-Build in Chrome auf dem Desktop:',
    serialModem:
      'Modem: Wählen Sie bei „Serielles Modem“ seinen AT-Port (Quectel, Sierra, SIMCom …).',
    serialModemLinux:
      'Modem: Beenden Sie zuerst ModemManager und wählen Sie dann bei „Serielles Modem“ seinen AT-Port (Quectel, Sierra, SIMCom …).',
    usbModem: 'Modem: Schließen Sie es per USB an und wählen Sie „USB-Modem“.',
    desktopBrowser: 'USB-Kartenleser und Modems brauchen Chrome oder Edge auf einem Computer.',
    virtual:
      'Keine Hardware zur Hand? Die virtuelle eUICC funktioniert immer, zum Ausprobieren und für Probeläufe.',
  },
};
