import type { Messages } from '../messages.ts';
import { plural } from '../format.ts';

type ErrorText = Messages['errors']['generic'];

const CANCELLED: ErrorText = {
  title: 'Abgebrochen',
  detail: 'Der Vorgang wurde abgebrochen; auf der eUICC wurde nichts geändert.',
  advice: 'Beginnen Sie erneut, sobald Sie bereit sind.',
};

const NEW_CODE = 'Bitten Sie Ihren Anbieter um einen neuen Aktivierungscode.';
const SECURE_PAGE = 'Öffnen Sie die App über https (oder auf localhost).';
const BRIDGE_VERSION = 'Verwenden Sie die Kartenbrücke aus derselben WebLPA-Version wie die App.';

export const errors: Messages['errors'] = {
  panel: {
    whatToDo: 'Was tun:',
    forExperts: 'Details für Fachleute',
    dismiss: 'Schließen',
  },
  generic: {
    title: 'Etwas ist schiefgegangen',
    detail: 'Ein unerwarteter Fehler hat den Vorgang beendet.',
    advice: 'Versuchen Sie es erneut; tritt der Fehler weiter auf, exportieren Sie das Protokoll.',
  },
  lpa: {
    consentRefused: {
      title: 'Profil nicht installiert',
      detail: 'Sie haben das Profil abgelehnt, daher wurde nichts installiert.',
      advice: 'Sie können es später mit demselben Code hinzufügen, falls er wiederverwendbar ist.',
    },
    cancelled: CANCELLED,
    confirmationCodeRequired: {
      title: 'Bestätigungscode nötig',
      detail: 'Dieses Profil braucht einen Bestätigungscode, es wurde aber keiner angegeben.',
      advice: 'Geben Sie den Bestätigungscode Ihres Anbieters ein.',
    },
    es9p: {
      title: 'Der SM-DP+ hat abgelehnt',
      detail: 'Der SM-DP+ hat die Anfrage abgelehnt.',
      advice:
        'Versuchen Sie es später erneut; schlägt es weiter fehl, geben Sie die Codes unten Ihrem Anbieter.',
    },
    network: {
      title: 'Server nicht erreichbar',
      detail: 'Der Server hat nicht geantwortet.',
      advice:
        'Prüfen Sie Ihre Verbindung und die Relay-URL in den Einstellungen, dann versuchen Sie es erneut.',
    },
    es10: {
      title: 'Die eUICC hat abgelehnt',
      detail: 'Die eUICC hat den Befehl abgelehnt.',
      advice:
        'Aktualisieren Sie und versuchen Sie es erneut; die Codes unten zeigen genau, was die eUICC geantwortet hat.',
    },
    installFailed: {
      title: 'Profil nicht installiert',
      detail: 'Die eUICC konnte das Profil nicht installieren.',
      advice:
        'Versuchen Sie es erneut; die Codes unten zeigen, wo die Installation abgebrochen ist.',
    },
    apdu: {
      title: 'Die Karte hat einen Befehl nicht angenommen',
      detail: 'Die Karte hat einen Befehl mit einem Fehler beantwortet.',
      advice:
        'Prüfen Sie den Sitz der Karte und versuchen Sie es erneut; die Codes unten zeigen die Antwort der Karte.',
    },
    transport: {
      title: 'Verbindungsproblem',
      detail: 'Die Verbindung zur Karte oder zum Gerät ist fehlgeschlagen.',
      advice: 'Prüfen Sie Karte oder Gerät und verbinden Sie neu.',
    },
    badActivationCode: {
      title: 'Aktivierungscode ungültig',
      detail: 'Der Aktivierungscode konnte nicht gelesen werden.',
      advice:
        'Er sollte wie LPA:1$smdp.example.com$MATCHING-ID aussehen. Prüfen Sie ihn und versuchen Sie es erneut.',
    },
    noAddress: {
      title: 'Keine SM-DP+-Adresse',
      detail: 'Es wurde keine SM-DP+-Adresse angegeben, und die eUICC hat keinen Standard-SM-DP+.',
      advice: 'Geben Sie einen Aktivierungscode oder eine SM-DP+-Adresse ein.',
    },
    serverMismatch: {
      title: 'Die Antwort des Servers passt nicht',
      detail: 'Der SM-DP+ hat für eine andere Sitzung oder Adresse geantwortet.',
      advice: 'Beginnen Sie erneut; passiert es wieder, prüfen Sie die SM-DP+-Adresse.',
    },
    badRequest: {
      title: 'Anfrage ungültig',
      detail: 'Ein Wert für diesen Vorgang ist ungültig.',
      advice: 'Prüfen Sie Ihre Eingabe und versuchen Sie es erneut.',
    },
    internal: {
      title: 'Der Vorgang ist fehlgeschlagen',
      detail: 'Ein unerwarteter Fehler hat den Vorgang beendet.',
      advice: 'Versuchen Sie es erneut; die Codes unten helfen Fachleuten.',
    },
  },
  activationCode: {
    title: 'Aktivierungscode ungültig',
    advice:
      'Er sollte wie LPA:1$smdp.example.com$MATCHING-ID aussehen. Prüfen Sie ihn und versuchen Sie es erneut.',
    reasons: {
      empty: 'Der Aktivierungscode ist leer.',
      format: 'Der Aktivierungscode hat nicht das Format LPA:1$….',
      address: 'Die SM-DP+-Adresse im Aktivierungscode ist ungültig.',
      matchingId: 'Die Matching-ID im Aktivierungscode ist ungültig.',
      oid: 'Die SM-DP+-OID im Aktivierungscode ist ungültig.',
      confirmationFlag: 'Die Angabe zum Bestätigungscode im Aktivierungscode ist ungültig.',
      tooLong: 'Der Aktivierungscode ist zu lang.',
    },
  },
  es9p: {
    title: 'Der SM-DP+ hat abgelehnt',
    codes: {
      '8.2.6/3.8': {
        detail: 'Der SM-DP+ kennt diesen Aktivierungscode nicht, oder er wurde schon verwendet.',
        advice:
          'Prüfen Sie den Code mit Ihrem Anbieter; bitten Sie um einen neuen, falls er schon verwendet wurde.',
      },
      '8.2.7/2.2': {
        detail: 'Dieses Profil braucht einen Bestätigungscode.',
        advice: 'Geben Sie den Bestätigungscode Ihres Anbieters ein.',
      },
      '8.2.7/3.8': {
        detail: 'Der Bestätigungscode ist falsch.',
        advice: 'Prüfen Sie den Bestätigungscode und versuchen Sie es erneut.',
      },
      '8.2.7/6.4': {
        detail: 'Zu viele falsche Bestätigungscodes: Der SM-DP+ hat diesen Auftrag gesperrt.',
        advice: NEW_CODE,
      },
      '8.1.1/3.8': {
        detail: 'Dieses Profil ist für eine andere eUICC (EID) reserviert.',
        advice:
          'Verwenden Sie das Gerät, für das das Profil bestellt wurde, oder fragen Sie nach einem Code für diese EID.',
      },
      '8.8.5/4.1': {
        detail: 'Der Download-Auftrag ist abgelaufen.',
        advice: NEW_CODE,
      },
      '8.8.2/3.1': {
        detail: 'SM-DP+ und diese eUICC vertrauen keinem gemeinsamen Zertifikatsaussteller.',
        advice:
          'Diese eUICC kann keine Profile von diesem SM-DP+ installieren (z. B. eine Test-eUICC mit einem Produktivserver).',
      },
      '8.10.1/3.9': {
        detail:
          'Der SM-DP+ kennt diese Download-Sitzung nicht mehr (vielleicht ist sie abgelaufen).',
        advice: 'Starten Sie den Download erneut.',
      },
    },
    other: {
      detail: 'Der SM-DP+ hat die Anfrage abgelehnt.',
      advice:
        'Versuchen Sie es später erneut; schlägt es weiter fehl, geben Sie die Codes unten Ihrem Anbieter.',
    },
  },
  es9pTransport: {
    network: {
      title: 'Server nicht erreichbar',
      detail:
        'Der Server hat nicht geantwortet. Er ist vielleicht offline oder erlaubt keine Anfragen von einer Webseite (CORS).',
      advice:
        'Prüfen Sie Ihre Verbindung und die Relay-URL in den Einstellungen. Haben Sie den direkten Weg gewählt, wählen Sie „Automatisch“ (über das Relay).',
    },
    timeout: {
      title: 'Der Server hat zu lange gebraucht',
      detail: 'Der Server hat nicht rechtzeitig geantwortet.',
      advice: 'Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
    },
    aborted: CANCELLED,
    http: {
      title: 'Der Server hat falsch geantwortet',
      detail: 'Der Server hat mit einem HTTP-Fehler geantwortet.',
      advice:
        'Der Server ist vielleicht falsch eingerichtet, oder ein Proxy hat die Antwort verändert. Versuchen Sie den Weg über das Relay.',
    },
    badResponse: {
      title: 'Der Server hat falsch geantwortet',
      detail: 'Die Antwort des Servers entspricht nicht dem Protokoll.',
      advice:
        'Der Server ist vielleicht falsch eingerichtet, oder ein Proxy hat die Antwort verändert. Versuchen Sie den Weg über das Relay.',
    },
    badAddress: {
      title: 'Serveradresse ungültig',
      detail: 'Aus der Serveradresse und den Wegeinstellungen ergibt sich keine gültige URL.',
      advice: 'Prüfen Sie die SM-DP+-Adresse und die Relay-URL in den Einstellungen.',
    },
    noRelay: {
      title: 'Für diesen Server ist ein Relay nötig',
      detail:
        'Dieser SM-DP+ ist nur über ein ES9+-Relay erreichbar: Eine Webseite kann nicht direkt mit SM-DP+-Servern ' +
        'sprechen, und es ist keine Relay-URL eingestellt. Es wurde nichts gesendet.',
      advice:
        'Öffnen Sie die Einstellungen, tragen Sie unter „SM-DP+-Server erreichen“ die ES9+-Relay-URL ein (zum Beispiel ' +
        'https://relay.example.org/es9p), speichern Sie und laden Sie erneut herunter. Nutzen Sie eine App, die jemand ' +
        'anderes betreibt? Bitten Sie den Betreiber, "relayUrl" unter "es9p" in der config.json der App zu setzen ' +
        '(oder sie mit VITE_RELAY_URL zu bauen).',
    },
  },
  untrustedCertificate: {
    title: 'Das Relay vertraut dem Zertifikat dieses Servers nicht',
    detail: (message: string) => `Das Relay hat das Zertifikat des Servers abgelehnt: ${message}`,
    advice:
      'Die Meldung nennt den Zertifikatsaussteller (CI), dem das Relay nicht vertraut. Ein echter SM-DP+ führt zu einer GSMA-CI oder einer öffentlichen Wurzel; die CI eines Testservers muss dem Relay übergeben werden (npm start -- --ca <CI-Zertifikatsdatei>). Sonst prüfen Sie die SM-DP+-Adresse.',
  },
  es10: {
    title: 'Die eUICC hat abgelehnt',
    results: {
      iccidOrAidNotFound: 'Das Profil wurde auf der eUICC nicht gefunden.',
      profileNotInDisabledState: 'Das Profil muss zuerst deaktiviert werden.',
      profileNotInEnabledState: 'Das Profil ist nicht aktiviert.',
      disallowedByPolicy: 'Die Profilrichtlinie des Anbieters verbietet diesen Vorgang.',
      wrongProfileReenabling: 'Dieses Profil kann gerade nicht wieder aktiviert werden.',
      catBusy: 'Die eUICC ist mit dem Telefon beschäftigt (CAT busy).',
      nothingToDelete: 'Es gab nichts zu löschen.',
      iccidAlreadyExistsOnEuicc: 'Dieses Profil ist bereits auf der eUICC installiert.',
      insufficientMemoryForProfile: 'Die eUICC hat nicht genug freien Speicher für dieses Profil.',
      iccidNotFound: 'Das Profil wurde auf der eUICC nicht gefunden.',
      invalidSignature: 'Eine Signatur war ungültig: Diese eUICC vertraut dem SM-DP+ nicht.',
      invalidCertificate: 'Diese eUICC akzeptiert das Zertifikat des SM-DP+ nicht.',
      ciPKUnknown: 'Die eUICC vertraut dem Zertifikatsaussteller des SM-DP+ nicht.',
      unsupportedCurve: 'Die eUICC unterstützt den Schlüsseltyp des SM-DP+ nicht.',
    },
    otherResult: 'Die eUICC hat den Befehl abgelehnt.',
    advice:
      'Aktualisieren Sie und versuchen Sie es erneut; die Codes unten zeigen genau, was die eUICC geantwortet hat.',
    disableFirst:
      'Deaktivieren Sie das Profil (oder aktivieren Sie ein anderes), dann versuchen Sie es erneut.',
  },
  apdu: {
    title: 'Die Karte hat einen Befehl nicht angenommen',
    detail: 'Die Karte hat einen Befehl mit einem Fehlerstatus beantwortet.',
    advice:
      'Prüfen Sie den Sitz der Karte und versuchen Sie es erneut; die Codes unten zeigen die Antwort der Karte.',
  },
  isdRNotFound: {
    title: 'Die Karte hat einen Befehl nicht angenommen',
    detail:
      'Auf dieser Karte hat kein eSIM-Verwalter (ISD-R) geantwortet: Sie ist vielleicht keine eUICC.',
    advice:
      'Prüfen Sie, ob die Karte eine eUICC ist, oder stellen Sie ihre ISD-R-AID in den Einstellungen ein.',
  },
  usbAccess: {
    title: 'USB-Kartenleser nicht nutzbar',
    reasons: {
      protectedClass: {
        detail: 'Dieser Browser lässt Webseiten keine Kartenleser verwenden.',
        advice:
          'Chrome sperrt Kartenleser für Webseiten. Verwenden Sie die installierte Version (Isolated Web App), ein Modem oder die virtuelle eUICC.',
      },
      busy: {
        detail: 'Ein anderes Programm verwendet den Kartenleser.',
        advice:
          'Ein anderes Programm belegt den Kartenleser (oft pcscd). Beenden Sie es und verbinden Sie neu.',
      },
      accessDenied: {
        detail: 'Das Betriebssystem hat den Zugriff auf den Kartenleser verweigert.',
        advice:
          'Das System verweigert den Zugriff: Fügen Sie eine udev-Regel hinzu (Linux) oder installieren Sie den WinUSB-Treiber (Windows).',
      },
      noWebUsb: {
        detail: 'Dieser Browser hat kein WebUSB.',
        advice: 'Dieser Browser hat kein WebUSB. Verwenden Sie Chrome oder Edge am Desktop.',
      },
      insecureContext: {
        detail: 'USB-Zugriff braucht eine sichere Seite.',
        advice: SECURE_PAGE,
      },
      noDevice: {
        detail: 'Es wurde kein Kartenleser gewählt, oder das gewählte Gerät ist keiner.',
        advice:
          'Es wurde kein Kartenleser gewählt. Schließen Sie einen an und versuchen Sie es erneut.',
      },
      disconnected: {
        detail: 'Der Kartenleser wurde abgezogen.',
        advice: 'Schließen Sie den Kartenleser wieder an und versuchen Sie es erneut.',
      },
    },
  },
  serialAccess: {
    title: 'Serielle Schnittstelle nicht nutzbar',
    reasons: {
      noWebSerial: {
        detail: 'Dieser Browser hat kein Web Serial.',
        advice: 'Dieser Browser hat kein Web Serial. Verwenden Sie Chrome oder Edge am Desktop.',
      },
      insecureContext: {
        detail: 'Serieller Zugriff braucht eine sichere Seite.',
        advice: SECURE_PAGE,
      },
      noDevice: {
        detail: 'Es wurde keine serielle Schnittstelle gewählt.',
        advice:
          'Es wurde keine Schnittstelle gewählt. Schließen Sie das Modem an und versuchen Sie es erneut.',
      },
      busy: {
        detail:
          'Die Schnittstelle ließ sich nicht öffnen: Ein anderes Programm oder ein anderer Tab belegt sie.',
        advice:
          'Ein anderes Programm belegt die Schnittstelle (oft ModemManager). Beenden Sie es und verbinden Sie neu.',
      },
      accessDenied: {
        detail:
          'Das Betriebssystem oder der Browser hat den Zugriff auf die Schnittstelle verweigert.',
        advice:
          'Das System verweigert den Zugriff: Fügen Sie Ihren Benutzer der Gruppe dialout hinzu (Linux) oder prüfen Sie den Treiber.',
      },
      disconnected: {
        detail: 'Das Modem wurde abgezogen.',
        advice: 'Schließen Sie das Modem wieder an und versuchen Sie es erneut.',
      },
    },
  },
  usbModemAccess: {
    title: 'USB-Modem nicht nutzbar',
    reasons: {
      insecureContext: {
        detail: 'USB-Zugriff braucht eine sichere Seite.',
        advice: SECURE_PAGE,
      },
      noWebUsb: {
        detail: 'Dieser Browser hat kein WebUSB.',
        advice: 'Dieser Browser hat kein WebUSB. Verwenden Sie Chrome oder Edge.',
      },
      noDevice: {
        detail: 'Es wurde kein Modem gewählt.',
        advice: 'Es wurde kein Modem gewählt. Schließen Sie es an und versuchen Sie es erneut.',
      },
      busy: {
        detail: 'Ein anderer Treiber oder ein Programm belegt die AT-Schnittstelle des Modems.',
        advice:
          'Ein Systemtreiber belegt den AT-Port des Modems. Beenden Sie unter Linux ModemManager und lösen Sie option/qcserial, oder verwenden Sie die Option „Serielles Modem“ auf seinem ttyUSB-Port.',
      },
      accessDenied: {
        detail: 'Das Betriebssystem hat den Zugriff auf das Modem verweigert.',
        advice:
          'Das System verweigert den Zugriff: Fügen Sie eine udev-Regel hinzu (Linux) oder installieren Sie den WinUSB-Treiber (Windows).',
      },
      noAtInterface: {
        detail: 'Keine USB-Schnittstelle dieses Geräts hat auf AT-Befehle geantwortet.',
        advice:
          'Keine Schnittstelle dieses Geräts hat auf AT-Befehle geantwortet. Versuchen Sie die Option „Serielles Modem“ oder einen anderen USB-Modus des Modems.',
      },
      disconnected: {
        detail: 'Das Modem wurde abgezogen.',
        advice: 'Schließen Sie das Modem wieder an und versuchen Sie es erneut.',
      },
    },
  },
  smartCardAccess: {
    title: 'Kartenleser nicht nutzbar',
    reasons: {
      insecureContext: {
        detail: 'Zugriff auf Smartcards braucht eine sichere Seite.',
        advice: 'Öffnen Sie die installierte WebLPA-App (oder die App über https).',
      },
      noSmartCardApi: {
        detail: 'Dieser Browser bietet keine Web Smart Card API.',
        advice:
          'Verwenden Sie für Systemkartenleser die installierte WebLPA-App unter ChromeOS; hier einen USB-Kartenleser, ein Modem oder die virtuelle eUICC.',
      },
      noService: {
        detail: 'Der Smartcard-Dienst des Systems läuft nicht.',
        advice:
          'Starten Sie den Smartcard-Dienst: unter ChromeOS die App „Smart Card Connector“ installieren, unter Linux pcscd starten (sudo systemctl start pcscd). Versuchen Sie es dann erneut.',
      },
      noReader: {
        detail: 'Es wurde kein Kartenleser gefunden.',
        advice: 'Schließen Sie einen Kartenleser an und versuchen Sie es erneut.',
      },
      noCard: {
        detail: 'Im Kartenleser steckt keine Karte.',
        advice: 'Stecken Sie die eUICC in den Kartenleser und versuchen Sie es erneut.',
      },
      permissionDenied: {
        detail: 'Der Zugriff auf Smartcards wurde verweigert.',
        advice:
          'Erlauben Sie WebLPA den Smartcard-Zugriff in den Einstellungen der App (oder fragen Sie Ihre Administration) und versuchen Sie es erneut.',
      },
      busy: {
        detail: 'Ein anderes Programm belegt die Karte exklusiv.',
        advice: 'Ein anderes Programm belegt die Karte. Schließen Sie es und verbinden Sie neu.',
      },
      unresponsiveCard: {
        detail: 'Die Karte im Kartenleser antwortet nicht.',
        advice:
          'Stecken Sie die Karte richtig herum neu ein; antwortet sie weiter nicht, unterstützt der Kartenleser sie vielleicht nicht.',
      },
      other: {
        detail: 'Der Smartcard-Dienst des Systems hat einen Fehler gemeldet.',
        advice: 'Stecken Sie die Karte neu ein und verbinden Sie neu.',
      },
    },
    pcsc: {
      bindingMissing: {
        detail:
          'Die PC/SC-Anbindung (das optionale npm-Paket „smartcard“) fehlt oder ist nicht gebaut.',
        advice:
          'Installieren Sie libpcsclite-dev (Debian/Ubuntu: sudo apt-get install libpcsclite-dev) und führen Sie dann npm rebuild smartcard aus.',
      },
      unknownReader: {
        detail: 'Kein Kartenleser hat den angegebenen Namen oder Index.',
        advice:
          'Listen Sie die Kartenleser mit npm run lpa -- reader list auf und geben Sie einen ihrer Namen oder Indizes an.',
      },
      cardReset: {
        detail:
          'Ein anderes Programm oder der Kartenleser hat die Karte zurückgesetzt; die Verbindung wurde wiederhergestellt.',
        advice: 'Führen Sie den Befehl erneut aus.',
      },
    },
  },
  bridge: {
    title: 'Lokale Kartenbrücke nicht nutzbar',
    reasons: {
      badAddress: {
        detail: 'Dies ist keine Adresse einer Kartenbrücke auf diesem Computer.',
        advice:
          'Verwenden Sie ws://127.0.0.1:35980 (oder die Adresse, die die Brücke beim Start ausgegeben hat).',
      },
      notRunning: {
        detail: 'Die lokale Kartenbrücke läuft nicht.',
        advice:
          'Starten Sie die Kartenbrücke auf diesem Computer mit `npm run lpa -- bridge` (im WebLPA-Ordner), lassen Sie sie laufen und versuchen Sie es erneut.',
      },
      originRefused: {
        detail: 'Die Kartenbrücke hat diese Seite abgelehnt.',
        advice:
          'Starten Sie die Brücke neu und erlauben Sie diese Seite: npm run lpa -- bridge --origin <Adresse dieser Seite>',
      },
      pairingRequired: {
        detail: 'Diese Seite ist nicht mit der Kartenbrücke gekoppelt.',
        advice: 'Geben Sie den Kopplungscode ein, den die Brücke in ihrem Terminal ausgegeben hat.',
      },
      badPairingCode: {
        detail: 'Falscher Kopplungscode.',
        advice: 'Geben Sie den neuesten Code ein, den die Brücke in ihrem Terminal ausgegeben hat.',
      },
      pairingLocked: {
        detail: 'Zu viele falsche Kopplungscodes.',
        advice: 'Warten Sie kurz und geben Sie dann den neuesten Code der Brücke ein.',
      },
      noChoice: {
        detail: 'Über die Kartenbrücke wurde noch kein Kartenleser gewählt.',
        advice:
          'Listen Sie unter „Kartenleser über lokale Kartenbrücke“ die Kartenleser auf und wählen Sie einen.',
      },
      unknownReader: {
        detail: 'Der Kartenleser ist nicht mehr an diesem Computer angeschlossen.',
        advice: 'Schließen Sie ihn an und lassen Sie die Kartenleser neu auflisten.',
      },
      noCard: {
        detail: 'Im Kartenleser steckt keine Karte.',
        advice: 'Stecken Sie die eUICC ein und versuchen Sie es erneut.',
      },
      readerBusy: {
        detail:
          'Der Kartenleser wird von einer anderen Seite oder einem anderen Browser verwendet.',
        advice: 'Trennen Sie ihn dort (oder schließen Sie den Tab) und versuchen Sie es erneut.',
      },
      tooLarge: {
        detail: 'Eine Nachricht war zu groß für die Kartenbrücke.',
        advice: 'Das ist ein Fehler der App; verbinden Sie neu.',
      },
      rateLimited: {
        detail: 'Die Kartenbrücke hat zu viele Anfragen abgelehnt.',
        advice: 'Verbinden Sie neu und versuchen Sie es erneut.',
      },
      timeout: {
        detail: 'Die Kartenbrücke hat nicht rechtzeitig geantwortet.',
        advice: 'Prüfen Sie das Terminal der Brücke und verbinden Sie neu.',
      },
      protocol: {
        detail: 'Kartenbrücke und App verstehen einander nicht.',
        advice: BRIDGE_VERSION,
      },
      readerError: {
        detail: 'Der Kartenleser hat einen Fehler gemeldet.',
        advice: 'Stecken Sie die Karte neu ein und verbinden Sie neu.',
      },
    },
    allowOrigin: (origin: string) =>
      `Starten Sie die Brücke neu und erlauben Sie diese Seite: npm run lpa -- bridge --origin ${origin}`,
    retryAfter: (seconds: number) =>
      plural('de', seconds, {
        one: 'Versuchen Sie es in # Sekunde erneut.',
        other: 'Versuchen Sie es in # Sekunden erneut.',
      }),
  },
  smartCardService: {
    title: 'Der Smartcard-Dienst hat einen Fehler gemeldet',
    detail: 'Der Smartcard-Dienst des Systems konnte die Anfrage nicht ausführen.',
    advice:
      'Stecken Sie die Karte neu ein und verbinden Sie neu; die Codes unten zeigen die Antwort des Dienstes.',
  },
  usbTransfer: {
    title: 'Das USB-Modem antwortet nicht mehr',
    detail: 'Eine USB-Übertragung zum Modem ist fehlgeschlagen.',
    advice: 'Ziehen Sie das Modem ab, stecken Sie es wieder ein und verbinden Sie neu.',
  },
  atr: {
    title: 'Die Antwort der Karte auf den Reset war nicht lesbar',
    detail: 'Die erste Antwort der Karte (ATR) ist fehlerhaft.',
    advice:
      'Stecken Sie die Karte neu ein (saubere Kontakte, richtig herum) und verbinden Sie neu.',
  },
  ccid: {
    title: 'Der Kartenleser hat einen Fehler gemeldet',
    reasons: {
      slotError: 'Der Kartenleser konnte einen Befehl mit der Karte nicht ausführen.',
      badMessage: 'Der Kartenleser hat eine unlesbare Antwort gesendet.',
      unsupported: 'Kartenleser oder Karte brauchen etwas, das diese App nicht unterstützt.',
      noCcidDescriptor: 'Das Gerät weist sich nicht als Kartenleser aus.',
      tooLong: 'Ein Befehl war zu lang für diesen Kartenleser.',
    },
    advice: 'Stecken Sie die Karte neu ein und verbinden Sie neu.',
  },
  atCommand: {
    title: 'Das Modem hat einen Befehl abgelehnt',
    detail: 'Das Modem hat einen Befehl mit einem Fehler beantwortet.',
    advice:
      'Das Modem unterstützt vielleicht keine SIM-Zugriffsbefehle (AT+CGLA/AT+CSIM). Versuchen Sie einen anderen Port oder ein anderes Modem.',
    hints: {
      apduRefused:
        'Das Modem hat sich geweigert, diesen Befehl an die eUICC weiterzugeben (seine Firmware, nicht die Karte). Versuchen Sie es erneut; scheitert es weiter, aktualisieren Sie die Modem-Firmware oder verbinden Sie mit der AT+CSIM-Strategie.',
      blockRefused:
        'Das Modem überträgt so große STORE-DATA-Blöcke nicht; ab jetzt werden 120-Byte-Blöcke verwendet. Starten Sie den Download erneut.',
    },
  },
  atNoAnswer: {
    title: 'Das Modem antwortet nicht',
    detail: 'Auf diesem Port antwortet nichts auf AT-Befehle.',
    advice:
      'Vermutlich verwendet ein anderes Programm den Port (unter Linux oft ModemManager): Beenden Sie es oder wählen Sie den anderen AT-Port des Modems, dann verbinden Sie neu.',
  },
  atTimeout: {
    title: 'Das Modem hat nicht geantwortet',
    detail: 'Das Modem hat einen Befehl nicht rechtzeitig abgeschlossen.',
    advice:
      'Prüfen Sie, ob das Modem Strom hat und der richtige Port gewählt ist, dann verbinden Sie neu.',
  },
  atResponse: {
    title: 'Das Modem hat etwas Unerwartetes geantwortet',
    detail: 'Die Antwort des Modems war nicht lesbar.',
    advice:
      'Versuchen Sie einen anderen Port des Modems (viele haben mehrere), oder verbinden Sie neu.',
  },
  atUnsupported: {
    title: 'Das Modem gibt keinen Zugriff auf die eSIM',
    detail: 'Das Modem lässt keinen Befehl zur SIM durch.',
    advice:
      'Dieses Modem hat keine SIM-Zugriffsbefehle (AT+CGLA oder AT+CSIM). Verwenden Sie einen USB-Kartenleser oder ein anderes Modem.',
  },
  connectionLost: {
    title: 'Verbindung verloren',
    detail: 'Die Karte oder das Gerät wurde entfernt oder getrennt.',
    advice:
      'Schließen Sie es wieder an: WebLPA verbindet sich selbst neu, oder drücken Sie „Neu verbinden“.',
  },
  slotEmpty: {
    title: 'Keine Karte in diesem Steckplatz',
    detail: (reader: string, slot: number) =>
      `In Steckplatz ${slot} von ${reader} steckt keine Karte.`,
    advice:
      'Stecken Sie eine eUICC in den Steckplatz oder lassen Sie ihn leer: Die anderen Karten laufen weiter.',
  },
  settings: {
    title: 'Einstellung ungültig',
    detail: (field: string) => `Der Wert von „${field}“ kann nicht verwendet werden.`,
    advice: 'Korrigieren Sie den Wert und speichern Sie erneut.',
  },
  qr: {
    title: 'Kein Code gefunden',
    reasons: {
      noCode: 'Im Bild wurde kein QR-Code gefunden.',
      badImage: 'Das Bild konnte nicht gelesen werden.',
      noCamera: 'Es ließ sich keine Kamera öffnen.',
    },
    advice: 'Versuchen Sie ein schärferes Bild, oder fügen Sie den Code als Text ein.',
  },
  batchReport: {
    title: 'Kein Stapelbericht',
    detail:
      'Die Datei ist kein WebLPA-Stapelbericht im JSON-Format (die .report.json-Datei, die ein Lauf schreibt).',
    advice:
      'Wählen Sie den JSON-Bericht eines früheren Laufs dieses Plans oder starten Sie ohne Bericht.',
  },
  batchResume: {
    title: 'Der Bericht gehört zu einem anderen Plan',
    detail:
      'Der frühere Bericht enthält Zeilen, die dieser Plan nicht hat, oder Zeilen mit anderen Codes oder EIDs.',
    advice: 'Wählen Sie den Bericht dieses Plans oder starten Sie ohne Bericht neu.',
  },
  notAllowed: {
    title: 'Zugriff verweigert',
    detail: 'Der Browser hat dies nicht erlaubt.',
    advice:
      'Erlauben Sie den Zugriff in den Website-Einstellungen des Browsers, oder geben Sie den Code auf anderem Weg ein.',
  },
  notFound: {
    title: 'Nichts gefunden',
    detail: 'Es wurde nichts gewählt oder gefunden.',
    advice: 'Prüfen Sie, ob das Gerät angeschlossen ist, und versuchen Sie es erneut.',
  },
  cancelled: CANCELLED,
  recovery: {
    installed: (at: string) =>
      `Der unterbrochene Download von ${at} wurde abgeschlossen: Das Profil ist installiert.`,
    cancelled: (at: string) =>
      `Der unterbrochene Download von ${at} wurde auf der eUICC und beim Server abgebrochen.`,
    reported: (at: string) =>
      `Der unterbrochene Download von ${at} wurde dem Server als fehlgeschlagen gemeldet; seine Sitzung ist beendet.`,
    notificationPending: (at: string) =>
      `Der unterbrochene Download von ${at} hat eine Fehlerbenachrichtigung hinterlassen: Senden Sie sie unter „Benachrichtigungen“, damit der Server seine Sitzung beendet.`,
    expires: (at: string) =>
      `Der unterbrochene Download von ${at} ließ sich nicht abbrechen: Die eUICC hatte ihn schon verworfen. Der Server beendet ihn, wenn er abläuft.`,
    refused: (at: string) => `Der Server ${at} hatte den unterbrochenen Download bereits beendet.`,
    kept: (at: string) =>
      `Der unterbrochene Download von ${at} ließ sich noch nicht abbrechen (der Server hat nicht geantwortet); beim nächsten Verbinden wird es erneut versucht.`,
  },
  status: {
    savingDefaultDp: 'Standard-SM-DP+ wird gespeichert',
    defaultDpCleared: 'Standard-SM-DP+ entfernt.',
    defaultDpSet: (address: string) => `Standard-SM-DP+ ist jetzt ${address}.`,
    resettingMemory: 'Speicher der eUICC wird zurückgesetzt',
    memoryReset: 'Der Speicher der eUICC wurde zurückgesetzt.',
    sendingNotification: (seq: number) => `Benachrichtigung ${seq} wird gesendet`,
    notificationSent: (seq: number, address: string) =>
      `Benachrichtigung ${seq} wurde an ${address} zugestellt und entfernt.`,
    sendingAll: 'Alle Benachrichtigungen werden gesendet',
    allSent: (n: number) =>
      plural('de', n, {
        one: '# Benachrichtigung zugestellt.',
        other: '# Benachrichtigungen zugestellt.',
      }),
    someKept: (sent: number, kept: number, detail: string) =>
      `${sent} gesendet, ${kept} behalten: ${detail}`,
    removingNotification: (seq: number) => `Benachrichtigung ${seq} wird entfernt`,
    notificationRemoved: (seq: number) =>
      `Benachrichtigung ${seq} wurde entfernt, ohne sie zu senden.`,
    adding: 'Profil wird hinzugefügt',
    settingsSaved: 'Einstellungen gespeichert.',
    settingsImported: 'Einstellungen importiert.',
  },
};
