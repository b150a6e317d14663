import type { Messages } from '../messages.ts';

export const bridge: Messages['bridge'] = {
  address: 'Adresse der Kartenbrücke',
  listReaders: 'Kartenleser auflisten',
  asking: 'Kartenbrücke wird abgefragt…',
  pairingCode: 'Kopplungscode',
  pairingHint:
    'Der Code, den die Kartenbrücke in ihrem Terminal ausgegeben hat. Dieser Browser braucht ihn nur einmal; danach wird er gespeichert.',
  pair: 'Koppeln',
  noReaders:
    'Die Kartenbrücke sieht keinen Kartenleser: Schließen Sie einen an und listen Sie erneut auf.',
  readersList: 'Kartenleser an diesem Computer',
  cardIn: 'Karte eingelegt',
  noCard: 'Keine Karte',
  connectedHere: 'hier verbunden',
  inUse: 'belegt',
  lastUsed: 'zuletzt verwendet',
  connectTo: (reader: string) => `Mit ${reader} verbinden`,
  noChoice: 'Über die Kartenbrücke wurde noch kein Kartenleser gewählt.',
};
