import type { Messages } from '../messages.ts';

const unsent =
  'Если удалить его, не отправив, оператор так и не узнает об этом: подписка может остаться активной или платной, а оператор может не разрешить загрузить профиль снова.';

export const notifications: Messages['notifications'] = {
  title: 'Уведомления',
  sendAll: 'Отправить все',
  intro: 'eUICC хранит подписанное уведомление о каждом изменении профиля для сервера оператора.',
  policyAll: 'Они отправляются автоматически после каждого изменения; ожидающие показаны здесь.',
  policyNone:
    'Они отправляются, когда вы решите (в настройках сохраняются все типы); ожидающие показаны здесь.',
  policySome: (kinds: string) =>
    `Уведомления этих типов отправляются сразу: ${kinds}; остальные — когда вы решите (Настройки). Ожидающие показаны здесь.`,
  kindNouns: {
    install: 'установка',
    enable: 'включение',
    disable: 'отключение',
    delete: 'удаление',
  },
  connectFirst: 'Подключите eUICC, чтобы увидеть её уведомления.',
  none: 'Ожидающих уведомлений нет.',
  caption: 'Ожидающие уведомления',
  columns: {
    number: '№',
    event: 'Событие',
    server: 'Сервер',
    actions: 'Действия',
  },
  events: {
    install: 'Установка',
    enable: 'Включение',
    disable: 'Отключение',
    delete: 'Удаление',
  },
  installFailed: 'Сбой установки',
  send: 'Отправить',
  sendLabel: (seq: number) => `Отправить уведомление ${seq}`,
  remove: 'Удалить',
  removeLabel: (seq: number) => `Удалить уведомление ${seq}`,
  deleteWarning: (server: string, iccid: string) =>
    `Это уведомление сообщает ${server}, что профиль ${iccid} удалён. ${unsent}`,
  deleteWarningNoIccid: (server: string) =>
    `Это уведомление сообщает ${server}, что профиль удалён. ${unsent}`,
  removeUnsent: 'Удалить без отправки',
  removeUnsentLabel: (seq: number) => `Удалить уведомление ${seq} без отправки`,
  sendInstead: 'Лучше отправить',
  keep: 'Оставить',
};
