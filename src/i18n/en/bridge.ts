/** English texts of "Reader through local bridge" (address, pairing, the reader list). */
export const bridge = {
  address: 'Bridge address',
  listReaders: 'List readers',
  asking: 'Asking the bridge…',
  pairingCode: 'Pairing code',
  pairingHint:
    'The code the bridge printed in its terminal. This browser needs it once; it is then remembered.',
  pair: 'Pair',
  noReaders: 'The bridge sees no reader: plug one in and list again.',
  readersList: 'Readers on this computer',
  cardIn: 'Card in',
  noCard: 'No card',
  connectedHere: 'connected here',
  inUse: 'in use',
  lastUsed: 'last used',
  connectTo: (reader: string) => `Connect to ${reader}`,
  noChoice: 'No reader has been chosen through the card bridge yet.',
};
