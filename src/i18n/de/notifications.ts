import type { Messages } from '../messages.ts';

const unsent =
  'Wird sie ungesendet entfernt, erfährt der Betreiber das nie: Der Vertrag kann aktiv bleiben oder weiter berechnet werden, und der Betreiber lässt das Profil womöglich nicht erneut herunterladen.';

export const notifications: Messages['notifications'] = {
  title: 'Benachrichtigungen',
  sendAll: 'Alle senden',
  intro:
    'Die eUICC hält zu jeder Profiländerung eine signierte Benachrichtigung für den Server des Betreibers bereit.',
  policyAll: 'Sie werden nach jeder Änderung automatisch gesendet; wartende sind hier aufgeführt.',
  policyNone:
    'Sie werden gesendet, wenn Sie es wählen (die Einstellungen halten alle Arten zurück); wartende sind hier aufgeführt.',
  policySome: (kinds: string) =>
    `Benachrichtigungen über ${kinds} werden sofort gesendet, die übrigen, wenn Sie es wählen (Einstellungen); wartende sind hier aufgeführt.`,
  kindNouns: {
    install: 'Installation',
    enable: 'Aktivierung',
    disable: 'Deaktivierung',
    delete: 'Löschung',
  },
  connectFirst: 'Verbinden Sie eine eUICC, um ihre Benachrichtigungen zu sehen.',
  none: 'Keine wartenden Benachrichtigungen.',
  caption: 'Ausstehende Benachrichtigungen',
  columns: {
    number: 'Nr.',
    event: 'Ereignis',
    server: 'Serveradresse',
    actions: 'Aktionen',
  },
  events: {
    install: 'Installiert',
    enable: 'Aktiviert',
    disable: 'Deaktiviert',
    delete: 'Gelöscht',
  },
  installFailed: 'Installation fehlgeschlagen',
  send: 'Senden',
  sendLabel: (seq: number) => `Benachrichtigung ${seq} senden`,
  remove: 'Entfernen',
  removeLabel: (seq: number) => `Benachrichtigung ${seq} entfernen`,
  deleteWarning: (server: string, iccid: string) =>
    `Diese Benachrichtigung teilt ${server} mit, dass das Profil ${iccid} gelöscht wurde. ${unsent}`,
  deleteWarningNoIccid: (server: string) =>
    `Diese Benachrichtigung teilt ${server} mit, dass ein Profil gelöscht wurde. ${unsent}`,
  removeUnsent: 'Ohne Senden entfernen',
  removeUnsentLabel: (seq: number) => `Benachrichtigung ${seq} ohne Senden entfernen`,
  sendInstead: 'Stattdessen senden',
  keep: 'Behalten',
};
