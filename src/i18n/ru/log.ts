import type { Messages } from '../messages.ts';
import { formatNumber, plural } from '../format.ts';

export const log: Messages['log'] = {
  title: 'Журнал',
  filterLabel: 'Фильтр журнала',
  filterPlaceholder: 'Фильтр (hex, функция, URL…)',
  maskSecrets: 'Скрывать секреты',
  copy: 'Копировать',
  export: 'Экспорт',
  exportJson: 'Экспорт в JSON',
  clear: 'Очистить',
  entryCopied: 'Запись скопирована.',
  logCopied: 'Журнал скопирован.',
  shown: (shown: number, total: number) =>
    plural('ru', total, {
      one: `Показано ${formatNumber('ru', shown)} из # обмена.`,
      few: `Показано ${formatNumber('ru', shown)} из # обменов.`,
      many: `Показано ${formatNumber('ru', shown)} из # обменов.`,
      other: `Показано ${formatNumber('ru', shown)} из # обмена.`,
    }),
  olderBodiesDropped: (n: number) =>
    `Отброшено содержимое старых записей: ${formatNumber('ru', n)}.`,
  durationMs: (ms: string) => `${ms} мс`,
  empty: 'Пока ничего не записано.',
  copyEntry: 'Копировать запись',
  droppedSummary: (size: string) => `> [${size} отброшено из журнала]`,
  droppedBody: (size: string) => `${size} отброшено, чтобы ограничить размер журнала`,
  parts: {
    body: 'Содержимое',
    error: 'Ошибка',
    command: 'Команда',
    response: 'Ответ',
    request: 'Запрос',
    es10Request: (blocks: number) =>
      plural('ru', blocks, {
        one: 'Запрос ES10 (# блок STORE DATA)',
        few: 'Запрос ES10 (# блока STORE DATA)',
        many: 'Запрос ES10 (# блоков STORE DATA)',
        other: 'Запрос ES10 (# блока STORE DATA)',
      }),
    es10Response: (pieces: number) =>
      plural('ru', pieces, {
        one: 'Ответ ES10 (# часть)',
        few: 'Ответ ES10 (# части)',
        many: 'Ответ ES10 (# частей)',
        other: 'Ответ ES10 (# части)',
      }),
    requestField: (field: string) => `Запрос: ${field}`,
    responseField: (field: string) => `Ответ: ${field}`,
  },
};
