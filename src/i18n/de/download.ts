import type { Messages } from '../messages.ts';

export const download: Messages['download'] = {
  steps: {
    getEuiccChallenge: 'Challenge wird bei der eUICC angefordert',
    getEuiccInfo1: 'Fähigkeiten der eUICC werden gelesen',
    initiateAuthentication: 'SM-DP+ wird kontaktiert',
    authenticateServer: 'Die eUICC prüft den SM-DP+',
    authenticateClient: 'Der SM-DP+ prüft die eUICC',
    consent: 'Warten auf Ihre Zustimmung',
    confirmationCode: 'Warten auf den Bestätigungscode',
    prepareDownload: 'Download wird vorbereitet',
    getBoundProfilePackage: 'Profil wird heruntergeladen',
    loadBoundProfilePackage: 'Profil wird auf der eUICC installiert',
    handleNotification: 'SM-DP+ wird über die Installation informiert',
    done: 'Fertig',
  },
  starting: 'Wird gestartet…',
  cancel: 'Abbrechen',
  code: {
    title: 'Bestätigungscode',
    intro:
      'Dieses Profil erfordert den Bestätigungscode, den Sie von Ihrem Betreiber erhalten haben.',
    label: 'Bestätigungscode',
    submit: 'Weiter',
  },
  consent: {
    title: 'Dieses Profil installieren?',
    intro:
      'Das Profil wird deaktiviert auf Ihrer eUICC gespeichert; Sie können es danach unter „Profile“ aktivieren.',
    operator: 'Betreiber',
    profile: 'Profil',
    profileClass: 'Klasse',
    policyRules: 'Richtlinien',
    install: 'Installieren',
    decline: 'Nicht installieren',
  },
  running: {
    title: 'Profil wird hinzugefügt',
    progress: 'Download-Fortschritt',
    percent: (p: string) => `${p} %`,
    sent: (sent: string, total: string) => `${sent} von ${total} an die eUICC gesendet`,
  },
  done: {
    title: 'Profil installiert',
    named: (name: string) =>
      `${name} ist jetzt auf Ihrer eUICC. Aktivieren Sie es unter „Profile“, um es zu nutzen.`,
    namedFrom: (name: string, provider: string) =>
      `${name} von ${provider} ist jetzt auf Ihrer eUICC. Aktivieren Sie es unter „Profile“, um es zu nutzen.`,
    unnamed:
      'Das Profil ist jetzt auf Ihrer eUICC. Aktivieren Sie es unter „Profile“, um es zu nutzen.',
    unnamedFrom: (provider: string) =>
      `Das Profil von ${provider} ist jetzt auf Ihrer eUICC. Aktivieren Sie es unter „Profile“, um es zu nutzen.`,
    kiosk: 'Diese Ansicht kehrt in wenigen Sekunden zum Anfang zurück.',
    toProfiles: 'Zu den Profilen',
    another: 'Weiteres hinzufügen',
  },
  back: 'Zurück zum Formular',
};
