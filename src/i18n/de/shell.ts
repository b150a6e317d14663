import type { Messages } from '../messages.ts';
import { plural } from '../format.ts';

export const shell: Messages['shell'] = {
  skipToContent: 'Zum Inhalt springen',
  notConnected: 'Nicht verbunden',
  connectionLost: 'Verbindung unterbrochen',
  mainMenu: 'Hauptmenü',
  nav: {
    connect: 'Verbinden',
    profiles: 'Profile',
    add: 'Profil hinzufügen',
    chip: 'Chip',
    notifications: 'Benachrichtigungen',
    settings: 'Einstellungen',
    log: 'Protokoll',
    batch: 'Stapel',
  },
  waiting: (n: number) => plural('de', n, { other: '# ausstehend' }),
  updateReady: 'Eine neue Version von WebLPA ist bereit.',
  reloadToUpdate: 'Neu laden und aktualisieren',
};
