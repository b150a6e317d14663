import type { Messages } from '../messages.ts';

export const readers: Messages['readers'] = {
  title: (reader: string) => `Где в считывателе ${reader} находится eUICC?`,
  interface: 'Интерфейс',
  interfaceLabel: (kind: string, n: number, name: string | undefined) =>
    name ? `${kind} (интерфейс ${n}, ${name})` : `${kind} (интерфейс ${n})`,
  kinds: {
    contact: 'Контактный',
    contactless: 'Бесконтактный',
    sam: 'SAM',
    unknown: 'Карта',
  },
  cannotUse: (why: string) => `использовать нельзя: ${why}`,
  slot: 'Слот',
  slotLabel: (n: number, state: string) => `Слот ${n} (${state})`,
  states: {
    active: 'карта вставлена',
    inactive: 'карта вставлена',
    absent: 'пусто',
    unknown: 'ещё не проверен',
  },
  useSlot: 'Использовать этот слот',
};
