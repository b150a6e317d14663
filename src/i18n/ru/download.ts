import type { Messages } from '../messages.ts';

export const download: Messages['download'] = {
  steps: {
    getEuiccChallenge: 'Запрос challenge у eUICC',
    getEuiccInfo1: 'Чтение возможностей eUICC',
    initiateAuthentication: 'Связь с SM-DP+',
    authenticateServer: 'eUICC проверяет SM-DP+',
    authenticateClient: 'SM-DP+ проверяет eUICC',
    consent: 'Ожидание вашего согласия',
    confirmationCode: 'Ожидание кода подтверждения',
    prepareDownload: 'Подготовка загрузки',
    getBoundProfilePackage: 'Загрузка профиля',
    loadBoundProfilePackage: 'Установка профиля на eUICC',
    handleNotification: 'Сообщение SM-DP+ об установке',
    done: 'Готово',
  },
  starting: 'Запуск…',
  cancel: 'Отмена',
  code: {
    title: 'Код подтверждения',
    intro: 'Для этого профиля нужен код подтверждения, который выдал оператор.',
    label: 'Код подтверждения',
    submit: 'Продолжить',
  },
  consent: {
    title: 'Установить этот профиль?',
    intro:
      'Профиль будет сохранён на eUICC в отключённом виде; включить его можно потом в разделе «Профили».',
    operator: 'Оператор',
    profile: 'Профиль',
    profileClass: 'Класс',
    policyRules: 'Правила',
    install: 'Установить',
    decline: 'Не устанавливать',
  },
  running: {
    title: 'Добавление профиля',
    progress: 'Ход загрузки',
    percent: (p: string) => `${p} %`,
    sent: (sent: string, total: string) => `Отправлено на eUICC: ${sent} из ${total}`,
  },
  done: {
    title: 'Профиль установлен',
    named: (name: string) =>
      `Профиль ${name} теперь на вашей eUICC. Чтобы начать им пользоваться, включите его в разделе «Профили».`,
    namedFrom: (name: string, provider: string) =>
      `Профиль ${name} от ${provider} теперь на вашей eUICC. Чтобы начать им пользоваться, включите его в разделе «Профили».`,
    unnamed:
      'Профиль теперь на вашей eUICC. Чтобы начать им пользоваться, включите его в разделе «Профили».',
    unnamedFrom: (provider: string) =>
      `Профиль от ${provider} теперь на вашей eUICC. Чтобы начать им пользоваться, включите его в разделе «Профили».`,
    kiosk: 'Через несколько секунд этот экран вернётся к началу.',
    toProfiles: 'К профилям',
    another: 'Добавить ещё',
  },
  back: 'Назад к форме',
};
