import { plural } from '../format.ts';
import type { Messages } from '../messages.ts';

export const profiles: Messages['profiles'] = {
  title: 'Профили',
  add: 'Добавить профиль',
  refresh: 'Обновить',
  connectFirst: 'Подключитесь к eUICC, чтобы увидеть её профили.',
  none: 'Профилей пока нет. Нажмите «Добавить профиль», чтобы скачать профиль.',
  listLabel: 'Установленные профили',
  notificationsWaiting: (n: number) =>
    plural('ru', n, {
      one: '# уведомление ждёт отправки.',
      few: '# уведомления ждут отправки.',
      many: '# уведомлений ждут отправки.',
      other: '# уведомления ждут отправки.',
    }),
  seeNotifications: 'Открыть уведомления',
  states: { enabled: 'Включён', disabled: 'Отключён' },
  classes: { operational: 'рабочий', test: 'тестовый', provisioning: 'загрузочный' },
  policyRules: { ppr1: 'нельзя отключить', ppr2: 'нельзя удалить' },
  fields: { profileName: 'Имя профиля', profileClass: 'Класс', policyRules: 'Правила' },
  nickname: 'Псевдоним',
  saveNickname: 'Сохранить псевдоним',
  cancel: 'Отмена',
  enable: 'Включить',
  disable: 'Отключить',
  rename: 'Переименовать',
  delete: 'Удалить…',
  disableFirst: 'Перед удалением отключите профиль',
  deleteWarning: (title: string) =>
    `Профиль ${title} будет удалён с eUICC навсегда; оператору, возможно, придётся выпустить новый.`,
  deleteWord: 'УДАЛИТЬ',
  deleteWordLatin: 'DELETE',
  deleteAction: 'Удалить профиль',
  confirm: { before: 'Введите ', after: ' для подтверждения' },
  busy: {
    enabling: (title: string) => `Включение профиля ${title}`,
    disabling: (title: string) => `Отключение профиля ${title}`,
    deleting: (title: string) => `Удаление профиля ${title}`,
    renaming: (title: string) => `Переименование профиля ${title}`,
  },
  result: {
    enabled: (title: string) => `Профиль ${title} включён.`,
    resetNeeded:
      'Карта включила профиль, но не может попросить устройство перезагрузить его: прежде чем устройство начнёт им пользоваться, извлеките и снова вставьте карту или перезапустите модем (либо выключите и снова включите его радиомодуль).',
    disabled: (title: string) => `Профиль ${title} отключён.`,
    deleted: (title: string) => `Профиль ${title} удалён.`,
    renamed: (nickname: string) => `Новое имя: «${nickname}».`,
    nicknameRemoved: 'Псевдоним удалён.',
  },
};
