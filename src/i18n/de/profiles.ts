import { plural } from '../format.ts';
import type { Messages } from '../messages.ts';

export const profiles: Messages['profiles'] = {
  title: 'Profile',
  add: 'Profil hinzufügen',
  refresh: 'Aktualisieren',
  connectFirst: 'Verbinden Sie sich mit einer eUICC, um ihre Profile zu sehen.',
  none: 'Noch keine Profile installiert. Mit „Profil hinzufügen“ laden Sie eines herunter.',
  listLabel: 'Installierte Profile',
  notificationsWaiting: (n: number) =>
    plural('de', n, {
      one: '# Benachrichtigung wartet auf den Versand.',
      other: '# Benachrichtigungen warten auf den Versand.',
    }),
  seeNotifications: 'Benachrichtigungen ansehen',
  states: { enabled: 'Aktiviert', disabled: 'Deaktiviert' },
  classes: { operational: 'Betrieb', test: 'Test', provisioning: 'Bereitstellung' },
  policyRules: { ppr1: 'kann nicht deaktiviert werden', ppr2: 'kann nicht gelöscht werden' },
  fields: { profileName: 'Profilname', profileClass: 'Klasse', policyRules: 'Richtlinien' },
  nickname: 'Spitzname',
  saveNickname: 'Spitzname speichern',
  cancel: 'Abbrechen',
  enable: 'Aktivieren',
  disable: 'Deaktivieren',
  rename: 'Umbenennen',
  delete: 'Löschen…',
  disableFirst: 'Deaktivieren Sie das Profil, bevor Sie es löschen',
  deleteWarning: (title: string) =>
    `Wenn Sie ${title} löschen, wird es endgültig von der eUICC entfernt; der Betreiber muss eventuell ein neues ausstellen.`,
  deleteWord: 'LÖSCHEN',
  deleteWordLatin: 'DELETE',
  deleteAction: 'Profil löschen',
  confirm: { before: 'Geben Sie ', after: ' zur Bestätigung ein' },
  busy: {
    enabling: (title: string) => `${title} wird aktiviert`,
    disabling: (title: string) => `${title} wird deaktiviert`,
    deleting: (title: string) => `${title} wird gelöscht`,
    renaming: (title: string) => `${title} wird umbenannt`,
  },
  result: {
    enabled: (title: string) => `${title} ist aktiviert.`,
    resetNeeded:
      'Die Karte hat das Profil aktiviert, kann das Gerät aber nicht zum Neuladen auffordern: Nehmen Sie die Karte heraus und setzen Sie sie wieder ein, oder starten Sie das Modem neu (oder schalten Sie seinen Funk aus und wieder ein), bevor das Gerät es nutzt.',
    disabled: (title: string) => `${title} ist deaktiviert.`,
    deleted: (title: string) => `${title} wurde gelöscht.`,
    renamed: (nickname: string) => `Umbenannt in „${nickname}“.`,
    nicknameRemoved: 'Spitzname entfernt.',
  },
};
