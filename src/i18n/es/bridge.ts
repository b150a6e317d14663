import type { Messages } from '../messages.ts';

export const bridge: Messages['bridge'] = {
  address: 'Dirección del puente',
  listReaders: 'Listar lectores',
  asking: 'Consultando el puente…',
  pairingCode: 'Código de emparejamiento',
  pairingHint:
    'El código que el puente mostró en su terminal. Este navegador lo necesita una sola vez; después se recuerda.',
  pair: 'Emparejar',
  noReaders: 'El puente no ve ningún lector: conectar uno y volver a listar.',
  readersList: 'Lectores de este ordenador',
  cardIn: 'Con tarjeta',
  noCard: 'Sin tarjeta',
  connectedHere: 'conectado aquí',
  inUse: 'en uso',
  lastUsed: 'último uso',
  connectTo: (reader: string) => `Conectar a ${reader}`,
  noChoice: 'Aún no se ha elegido ningún lector a través del puente local de tarjetas.',
};
