import type { Messages } from '../messages.ts';
import { formatNumber, plural } from '../format.ts';

const n = (v: number): string => formatNumber('de', v);

export const batch: Messages['batch'] = {
  title: 'Stapel',
  intro:
    'Einen Plan mit Aktivierungscodes auf vielen Karten zugleich ausführen: auf virtuellen eUICCs (ein Probelauf: sie entstehen nur für den Lauf und werden nicht behalten), auf allen Steckplätzen eines USB-Kartenlesers oder auf den Kartenlesern der lokalen Kartenbrücke.',
  cliBefore: 'Auf PC/SC-Kartenlesern läuft derselbe Plan mit ',
  cliAfter: '.',
  planLabel: 'Plan (CSV mit Kopfzeile oder JSON)',
  planFile: 'Plandatei',
  sources: {
    legend: 'Karten',
    virtual: 'Virtuelle eUICCs (Probelauf)',
    usb: 'Alle Steckplätze eines USB-Kartenlesers',
    usbNote:
      'Ein Kartenleser (WebUSB): Jeder Steckplatz mit einer eUICC ist eine Karte; ein leerer Steckplatz erhält eine Fehlerzeile.',
    usbMissing:
      'Hier nicht verfügbar: Diese Seite hat kein WebUSB (Chrome oder Edge auf einer sicheren Seite oder die installierte App).',
    bridge: 'Kartenleser über die lokale Kartenbrücke',
    bridgeNote:
      'Jeder Kartenleser, den die gekoppelte lokale Kartenbrücke auflistet, ist eine Karte; koppeln Sie sie zuerst unter „Verbinden“.',
    bridgeStartBefore: 'Die Brücke startet mit ',
    bridgeStartAfter: '.',
  },
  virtualCount: 'Virtuelle eUICCs',
  bridgeAddress: 'Adresse der Kartenbrücke',
  run: {
    virtual: 'Probelauf starten',
    usb: 'Kartenleser wählen und starten',
    bridge: 'Auf Brücken-Kartenlesern starten',
    running: 'Läuft…',
    stop: 'Anhalten',
  },
  cardNames: {
    virtual: (index: string) => `virtuelle eUICC ${index}`,
    usbSlot: (reader: string, slot: string) => `${reader}, Steckplatz ${slot}`,
    bridge: (reader: string) => `${reader} (Kartenbrücke)`,
  },
  issues: {
    title: 'Der Plan wurde nicht ausgeführt:',
    plan: 'Gesamter Plan',
    row: (row: string) => `Zeile ${row}`,
    withColumn: (place: string, column: string) => `${place}, ${column}`,
  },
  problems: {
    notText: 'Muss Text sein.',
    notString: 'Muss ein String sein; EIDs und ICCIDs in Anführungszeichen schreiben.',
    acAndSmdp: 'Entweder einen Aktivierungscode oder smdp und matchingId angeben, nicht beides.',
    badSmdpAddress:
      'Keine gültige SM-DP+-Adresse; erwartet wird ein Hostname wie smdp.example.com, optional mit :Port.',
    badMatchingId:
      'Keine gültige Matching-ID; Leerzeichen, Steuerzeichen und $ sind nicht erlaubt.',
    noAddress: 'Weder ein Aktivierungscode noch eine SM-DP+-Adresse.',
    matchingIdWithoutSmdp: 'Eine Matching-ID braucht eine SM-DP+-Adresse (Spalte smdp).',
    confirmationCodeTooLong: (max: number) => `Länger als ${n(max)} Zeichen.`,
    confirmationCodeMissing:
      'Der Aktivierungscode verlangt einen Bestätigungscode; die Zeile enthält keinen.',
    badEid: (value: string) => `„${value}“ ist keine EID; eine EID hat 32 Ziffern.`,
    eidCheckDigits: (value: string) =>
      `„${value}“: Die Prüfziffern der EID stimmen nicht; auf Tippfehler prüfen.`,
    notBoolean: (value: string) => `„${value}“ ist nicht true/false, yes/no oder 1/0.`,
    nicknameTooLong: (maxBytes: number) => `Länger als ${n(maxBytes)} Byte (UTF-8).`,
    badIccid: (value: string) => `„${value}“ ist keine ICCID; eine ICCID hat 18 bis 20 Ziffern.`,
    eidTwice: (eid: string, firstRow: number) =>
      `EID ${eid} steht schon in Zeile ${n(firstRow)}; eine Zeile pro eUICC.`,
    noRows: 'Der Plan hat keine Zeilen.',
    empty: 'Der Plan ist leer.',
    unknownColumn: 'Unbekannte Spalte.',
    columnTwice: 'Spalte doppelt angegeben.',
    fieldCount: (got: number, want: number) =>
      `${plural('de', got, { one: '# Feld', other: '# Felder' })}, die Kopfzeile hat aber ${n(want)}.`,
    csvSyntax: {
      unclosedQuote: (line: number) =>
        `Textzeile ${n(line)}: Ein Feld in Anführungszeichen wird nicht geschlossen.`,
      textAfterQuote: (line: number) =>
        `Textzeile ${n(line)}: Text nach dem schließenden Anführungszeichen eines Felds (ein Anführungszeichen als "" schreiben).`,
      quoteInField: (line: number) =>
        `Textzeile ${n(line)}: Anführungszeichen in einem Feld ohne Anführungszeichen (das ganze Feld in Anführungszeichen setzen).`,
      bareCarriageReturn: (line: number) =>
        `Textzeile ${n(line)}: Wagenrücklauf ohne Zeilenvorschub.`,
    },
    notJson: 'Kein gültiges JSON.',
    jsonShape: 'Ein JSON-Plan ist ein Array von Zeilen oder {"rows": [...]}.',
    rowNotObject: 'Eine Zeile muss ein JSON-Objekt sein.',
  },
  failures: {
    notPaired: (url: string) =>
      `Diese Seite ist nicht mit der Kartenbrücke unter ${url} gekoppelt: Koppeln Sie sie unter „Verbinden“, „Kartenleser über lokale Kartenbrücke“, und starten Sie den Plan dann erneut.`,
    noReaders: (url: string) => `Die Kartenbrücke unter ${url} meldet keinen Kartenleser.`,
  },
  saved: {
    title: 'Letzter Lauf gespeichert',
    summary: (where: string, started: string, ok: number, rows: number) =>
      `Über ${where}, begonnen ${started}: ${n(ok)} von ${plural('de', rows, { one: '# Zeile', other: '# Zeilen' })} erfolgreich.`,
    where: {
      usb: 'die Steckplätze eines USB-Kartenlesers',
      bridge: 'die Kartenleser der lokalen Kartenbrücke',
    },
    note: 'Derselbe Plan auf denselben Karten setzt den Lauf fort: Erledigte Zeilen werden übersprungen, eine abgebrochene Zeile führt nur die restlichen Schritte aus.',
    resume: 'Lauf fortsetzen',
    forget: 'Verwerfen',
    resuming: (count: number) =>
      `Gespeicherter Lauf wird fortgesetzt: ${plural('de', count, { one: '# bereits erledigte Zeile wird', other: '# bereits erledigte Zeilen werden' })} übersprungen.`,
    notKept:
      'Dieser Lauf konnte nicht im Browserspeicher abgelegt werden: Laden Sie den Bericht herunter, bevor Sie die Seite schließen.',
  },
  earlierReport: {
    label: 'Früherer Bericht zum Fortsetzen (JSON, optional)',
    loaded: (ok: number, rows: number) =>
      `Bericht geladen: ${n(ok)} von ${plural('de', rows, { one: '# Zeile', other: '# Zeilen' })} erfolgreich. Der Plan setzt ihn fort.`,
    remove: 'Bericht entfernen',
    resuming: (count: number) =>
      `Fortsetzung aus dem Bericht: ${plural('de', count, { one: '# bereits erledigte Zeile wird', other: '# bereits erledigte Zeilen werden' })} übersprungen.`,
  },
  cardsTitle: 'Karten',
  table: {
    caption: 'Zeilen des Stapels',
    row: 'Zeile',
    card: 'Karte',
    iccid: 'ICCID',
    result: 'Ergebnis',
    codes: 'Fehlercodes',
    notifications: 'Benachrichtigungen',
    time: 'Dauer',
  },
  working: 'läuft',
  workingAt: (step: string) => `läuft: ${step}`,
  steps: {
    delete: 'Löschen',
    download: 'Herunterladen',
    enable: 'Aktivieren',
    nickname: 'Spitzname',
  },
  delivery: {
    sent: 'gesendet',
    kept: 'aufbewahrt',
    failed: 'fehlgeschlagen',
    none: 'keine',
  },
  progress: {
    done: (count: number) =>
      plural('de', count, { one: '# Zeile fertig', other: '# Zeilen fertig' }),
    working: (done: string, list: string) => `${done}; in Arbeit: ${list}`,
    row: (row: string) => `Zeile ${row}`,
    rowAt: (row: string, step: string) => `Zeile ${row} (${step})`,
    separator: ', ',
  },
  summary: (ok: number, rows: number, failed: number, notRun: number, time: string) =>
    `${n(ok)} von ${plural('de', rows, { one: '# Zeile', other: '# Zeilen' })} erfolgreich, ${n(failed)} fehlgeschlagen` +
    (notRun > 0 ? `, ${n(notRun)} nicht ausgeführt` : '') +
    `, in ${time}.`,
  downloadCsv: 'CSV herunterladen',
  downloadJson: 'JSON herunterladen',
  resultsTitle: 'Bedeutung der Ergebnisse',
  results: {
    ok: 'Jeder Schritt der Zeile ist gelungen.',
    cardNotFound: 'Keine verfügbare Karte hat die EID, die die Zeile nennt.',
    noFreeCard:
      'Jede Karte hatte schon ihre Zeile: Fügen Sie Karten hinzu oder teilen Sie den Plan auf.',
    cardUnavailable:
      'Die Karte für diese Zeile war nicht nutzbar: ein leerer Steckplatz oder ein Kartenleser, den ein anderes Programm belegt.',
    consentRefused: 'Das Profil wurde bei der Zustimmung abgelehnt.',
    cancelled: 'Der Lauf wurde angehalten, bevor diese Zeile fertig war.',
    confirmationCodeRequired:
      'Der SM-DP+ verlangt einen Bestätigungscode, die Zeile enthält keinen.',
    es9p: 'Der SM-DP+ hat abgelehnt; die Spalte „Fehlercodes“ enthält seinen Subject- und Reason-Code.',
    network: 'Der SM-DP+ war nicht erreichbar oder seine Antwort war nicht lesbar.',
    es10: 'Die eUICC hat einen Befehl abgelehnt; die Spalte „Fehlercodes“ enthält ihre Antwort.',
    installFailed: 'Die eUICC hat das Profilpaket zurückgewiesen.',
    apdu: 'Die Karte hat einen Befehl mit einem Fehlerstatus beantwortet.',
    transport: 'Die Verbindung zur Karte ist fehlgeschlagen oder abgerissen.',
    badActivationCode: 'Der Aktivierungscode ließ sich nicht lesen.',
    noAddress:
      'Keine SM-DP+-Adresse: Die Zeile nennt keine und die eUICC hat keine Standardadresse.',
    serverMismatch: 'Die vom Server signierten Daten passen nicht zu dieser Sitzung.',
    badRequest: 'Eine Anfrage war ungültig.',
    internal: 'Ein unerwarteter Fehler; der heruntergeladene Bericht enthält die Meldung.',
  },
};
