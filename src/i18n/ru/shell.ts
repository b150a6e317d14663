import type { Messages } from '../messages.ts';
import { plural } from '../format.ts';

export const shell: Messages['shell'] = {
  skipToContent: 'Перейти к содержимому',
  notConnected: 'Не подключено',
  connectionLost: 'Соединение потеряно',
  mainMenu: 'Главное меню',
  nav: {
    connect: 'Подключение',
    profiles: 'Профили',
    add: 'Добавить профиль',
    chip: 'Чип',
    notifications: 'Уведомления',
    settings: 'Настройки',
    log: 'Журнал',
    batch: 'Пакет',
  },
  waiting: (n: number) =>
    plural('ru', n, {
      one: '# ожидает отправки',
      few: '# ожидают отправки',
      many: '# ожидают отправки',
      other: '# ожидают отправки',
    }),
  updateReady: 'Доступна новая версия WebLPA.',
  reloadToUpdate: 'Перезагрузить и обновить',
};
