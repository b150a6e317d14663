import type { Messages } from '../messages.ts';

export const add: Messages['add'] = {
  title: 'Profil hinzufügen',
  connectFirst: 'Verbinden Sie sich zuerst mit einer eUICC.',
  connect: 'Verbinden',
  methodsLabel: 'Wie das Profil hinzugefügt wird',
  methods: {
    scan: 'QR-Code scannen',
    image: 'QR-Bild',
    code: 'Aktivierungscode',
    address: 'SM-DP+-Adresse',
    discover: 'Suchen',
  },
  image: {
    drop: 'Bild des QR-Codes auswählen, hierher ziehen oder einfügen',
    notAnImage: 'Die Datei ist kein Bild, das dieser Browser lesen kann.',
    noCode: 'Im Bild wurde kein QR-Code gefunden.',
  },
  camera: {
    noAccess:
      'Dieser Browser erlaubt hier keinen Kamerazugriff (dafür ist ein sicherer Kontext nötig).',
    preview: 'Kameravorschau',
    start: 'Kamera starten',
    stop: 'Kamera stoppen',
    toFront: 'Zur Frontkamera wechseln',
    toBack: 'Zur Rückkamera wechseln',
    torch: 'Licht',
    pointAt: 'Richten Sie die Kamera auf den QR-Code…',
    notStarted: 'Die Kamera konnte nicht gestartet werden.',
  },
  discover: {
    ask: (server: string) =>
      `Beim SM-DS (${server}) nachfragen, ob ein Profil für diese eUICC bereitliegt.`,
    rootSmds: 'Root-SM-DS der eUICC',
    asking: 'Wird abgefragt…',
    start: 'Profile suchen',
    waitingAt: (server: string) => `Profil liegt bereit bei ${server}`,
    download: 'Herunterladen',
    nothing: 'Noch nicht gesucht, oder es liegt nichts bereit.',
  },
  code: {
    found: 'Code aus dem QR-Code gelesen. Bitte prüfen, dann hinzufügen.',
    label: 'Aktivierungscode',
    demo: 'Democodes vom lokalen Testserver (zum Einsetzen anklicken)',
  },
  address: {
    label: 'SM-DP+-Adresse',
    matchingId: 'Matching-ID (darf leer bleiben)',
  },
  submit: 'Profil herunterladen',
  link: {
    kinds: {
      usb: 'USB-Kartenleser',
      serial: 'Serielles Modem',
      usbModem: 'USB-Modem',
      smartcard: 'Chipkartenleser',
    },
    notIncluded: (what: string) =>
      `Die Unterstützung für ${what} ist in diesem Build von WebLPA nicht enthalten.`,
    unknownError: 'unbekannter Fehler',
  },
};
