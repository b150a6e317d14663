import type { Messages } from '../messages.ts';

export const settings: Messages['settings'] = {
  title: 'Einstellungen',
  es9p: 'Verbindung zu SM-DP+-Servern (ES9+)',
  route: 'Weg',
  routes: {
    auto: {
      label: 'Automatisch (empfohlen)',
      help: 'Adressen mit Umleitung werden direkt dorthin geleitet; jeder andere SM-DP+ wird über das Relay erreicht.',
    },
    direct: {
      label: 'Direkt',
      help: 'Jeder SM-DP+ wird von dieser Seite aus aufgerufen. Das klappt nur bei Servern, die es erlauben (CORS) und ein Zertifikat haben, dem der Browser vertraut.',
    },
    relay: {
      label: 'Über Relay',
      help: 'Jeder SM-DP+ ohne Umleitung wird über das Relay erreicht: derzeit wie „Automatisch“, beibehalten für damit gespeicherte Einstellungen.',
    },
  },
  relayUrl: 'Relay-URL',
  relayNone: 'Kein Relay festgelegt: Nur Adressen mit einer Umleitung unten sind erreichbar.',
  relayHelp: 'Das ES9+-Relay, das Anfragen an SM-DP+-Server weiterleitet.',
  overrides: 'Umleitungen pro Adresse',
  overridesHelp:
    'Anfragen für eine Adresse an eine andere Basis-URL senden (z. B. an einen lokalen Testserver).',
  overrideAddress: 'Adresse',
  overrideUrl: 'Basis-URL',
  removeOverride: 'Umleitung entfernen',
  addOverride: 'Umleitung hinzufügen',
  device: 'Gerät',
  tac: 'TAC (8 Ziffern)',
  imei: 'IMEI (kann leer bleiben)',
  cardAccess: 'Kartenzugriff',
  isdrAid: 'ISD-R-AID (leer: die bekannten probieren)',
  storeDataBlock: 'Blockgröße für STORE DATA (0: Maximum der Verbindung)',
  notifications: 'Benachrichtigungen nach einer Änderung',
  notificationsHelp:
    'Die eUICC legt zu jeder Änderung eine signierte Benachrichtigung für den Betreiber an. Jede Art wird entweder sofort gesendet oder auf der eUICC behalten, bis Sie sie unter „Benachrichtigungen“ senden.',
  notificationKinds: {
    install: {
      label: 'Benachrichtigungen zur Installation',
      help: 'Teilt dem Betreiber mit, dass das Profil angekommen ist; sein Server wartet darauf unter Umständen, bevor der Anschluss funktioniert.',
    },
    enable: {
      label: 'Benachrichtigungen zum Aktivieren',
      help: 'Meldet, dass ein Profil aktiviert wurde.',
    },
    disable: {
      label: 'Benachrichtigungen zum Deaktivieren',
      help: 'Meldet, dass ein Profil deaktiviert wurde.',
    },
    delete: {
      label: 'Benachrichtigungen zum Löschen',
      help: 'Teilt dem Betreiber mit, dass das Profil gelöscht ist, damit er den Vertrag beenden oder übertragen kann.',
    },
  },
  sendAtOnce: 'Sofort senden',
  keepOnEuicc: 'Auf der eUICC behalten',
  behaviour: 'Verhalten',
  theme: 'Farbschema',
  themes: {
    system: 'Wie im System',
    light: 'Hell',
    dark: 'Dunkel',
  },
  language: 'Sprache',
  languageSystem: 'Wie im Browser',
  maskSecrets: 'Geheimes im Protokoll verbergen (Matching-IDs, Bestätigungscodes, IMEI)',
  save: 'Einstellungen speichern',
  undo: 'Änderungen verwerfen',
  reset: 'Auf Standardwerte zurücksetzen',
  exportImport: 'Export und Import',
  export: 'Einstellungen exportieren',
  import: 'Einstellungen importieren',
  notSaved:
    'Nichts wurde gespeichert. Korrigieren Sie den markierten Wert und speichern Sie erneut.',
  notImported: 'Aus der Datei wurde nichts importiert.',
  invalid: {
    settings: 'Die Einstellungen müssen ein JSON-Objekt sein.',
    config: 'config.json muss ein JSON-Objekt sein.',
    file: 'Die Datei ist kein JSON.',
    route: 'Der Weg muss „auto“, „direct“ oder „relay“ sein.',
    relayUrl: 'Geben Sie eine http- oder https-URL ein oder lassen Sie das Feld leer.',
    overrides:
      'Jede Umleitung braucht einen Hostnamen (optional mit :Port) und eine http- oder https-Basis-URL.',
    tac: 'Die TAC muss genau 8 Ziffern haben.',
    imei: 'Die IMEI muss 15 oder 16 Ziffern haben oder leer sein.',
    isdrAid:
      'Die ISD-R-AID muss 5 bis 16 Byte hexadezimal sein (eine gerade Anzahl Ziffern) oder leer.',
    storeDataBlock:
      'Die Blockgröße muss 0 (Maximum der Verbindung) oder zwischen 16 und 255 liegen.',
    smdsAddress: 'Die SM-DS-Adresse muss ein Hostname sein, optional mit :Port.',
    maskSecrets: '„maskSecrets“ muss true oder false sein.',
    theme: 'Das Farbschema muss „system“, „light“ oder „dark“ sein.',
    language: 'Die Sprache muss „system“ oder ein unterstütztes Sprachkürzel sein.',
    notificationPolicy:
      'Jede Art von Benachrichtigung (install, enable, disable, delete) muss „send“ oder „keep“ sein.',
    autoSendNotifications: '„autoSendNotifications“ muss true oder false sein.',
  },
};
