import type { Messages } from '../messages.ts';

export const bridge: Messages['bridge'] = {
  address: 'Адрес моста',
  listReaders: 'Показать считыватели',
  asking: 'Запрос к мосту…',
  pairingCode: 'Код сопряжения',
  pairingHint:
    'Код, который мост вывел в своём терминале. Этому браузеру он нужен один раз, затем запоминается.',
  pair: 'Сопрячь',
  noReaders: 'Мост не видит ни одного считывателя: подключите считыватель и обновите список.',
  readersList: 'Считыватели на этом компьютере',
  cardIn: 'Карта вставлена',
  noCard: 'Нет карты',
  connectedHere: 'подключён здесь',
  inUse: 'занят',
  lastUsed: 'последний выбор',
  connectTo: (reader: string) => `Подключиться к ${reader}`,
  noChoice: 'Считыватель через локальный мост карт ещё не выбран.',
};
