import type { Messages } from '../messages.ts';

export const add: Messages['add'] = {
  title: 'Добавить профиль',
  connectFirst: 'Сначала подключитесь к eUICC.',
  connect: 'Подключиться',
  methodsLabel: 'Способ добавления профиля',
  methods: {
    scan: 'Сканировать QR-код',
    image: 'Изображение QR',
    code: 'Код активации',
    address: 'Адрес SM-DP+',
    discover: 'Поиск',
  },
  image: {
    drop: 'Выберите, перетащите или вставьте изображение QR-кода',
    notAnImage: 'Файл не является изображением, которое может прочитать этот браузер.',
    noCode: 'На изображении не найден QR-код.',
  },
  camera: {
    noAccess: 'Здесь браузер не даёт доступа к камере (нужен защищённый контекст).',
    preview: 'Изображение с камеры',
    start: 'Включить камеру',
    stop: 'Выключить камеру',
    toFront: 'На фронтальную камеру',
    toBack: 'На основную камеру',
    torch: 'Фонарик',
    pointAt: 'Наведите камеру на QR-код…',
    notStarted: 'Не удалось включить камеру.',
  },
  discover: {
    ask: (server: string) =>
      `Спросить у SM-DS (${server}), ждёт ли эту eUICC какой-нибудь профиль.`,
    rootSmds: 'корневой SM-DS eUICC',
    asking: 'Запрос…',
    start: 'Найти профили',
    waitingAt: (server: string) => `Профиль ждёт на ${server}`,
    download: 'Скачать',
    nothing: 'Поиск ещё не выполнялся, или ничего не ждёт.',
  },
  code: {
    found: 'Код считан с QR-кода. Проверьте его и добавьте.',
    label: 'Код активации',
    demo: 'Демокоды с локального тестового сервера (нажмите, чтобы подставить)',
  },
  address: {
    label: 'Адрес SM-DP+',
    matchingId: 'Matching ID (можно оставить пустым)',
  },
  submit: 'Скачать профиль',
  link: {
    kinds: {
      usb: 'USB-считыватель',
      serial: 'Модем через последовательный порт',
      usbModem: 'USB-модем',
      smartcard: 'Считыватель смарт-карт',
    },
    notIncluded: (what: string) => `Поддержка «${what}» не включена в эту сборку WebLPA.`,
    unknownError: 'неизвестная ошибка',
  },
};
