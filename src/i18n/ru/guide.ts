import type { Messages } from '../messages.ts';

export const guide: Messages['guide'] = {
  title: 'Как подключиться здесь',
  reopen: 'Как подключиться',
  dismiss: 'Понятно',
  usingIsolatedApp: 'Вы используете установленное приложение WebLPA (Isolated Web App).',
  using: (browser: string, platform: string) => `Вы используете ${browser} на ${platform}.`,
  usingBrowser: (browser: string) => `Вы используете ${browser}.`,
  usingUnknown: 'Этот браузер не распознан: списки ниже составлены по тому, что он умеет.',
  worksHeading: 'Работает здесь',
  blockedHeading: 'Не работает здесь',
  todoHeading: 'Что делать',
  links: {
    virtual: 'Виртуальная eUICC',
    usbReader: 'USB-считыватель',
    serialModem: 'Модем (последовательный порт)',
    usbModem: 'USB-модем',
    smartCard: 'Системный считыватель смарт-карт',
    bridge: 'Локальный мост карт',
  },
  works: {
    virtual: 'Программная eUICC в этом браузере, чтобы всё попробовать.',
    usbReader: 'Стандартные считыватели (CCID), если системная служба смарт-карт их освободила.',
    serialModem: 'AT-порт сотового модема через Web Serial.',
    usbModem: 'AT-порт модема через USB, если его не занимает системный драйвер.',
    smartCard: 'Считыватели через системную службу смарт-карт.',
    bridge: 'PC/SC-считыватели этого компьютера через программу моста.',
  },
  why: {
    insecure:
      'Страница открыта по обычному http, поэтому браузер скрывает USB и последовательные порты.',
    noWebUsb: 'Этот браузер не поддерживает WebUSB.',
    noWebSerial: 'Этот браузер не поддерживает Web Serial.',
    ccidBlocked:
      'Браузер не даёт веб-страницам стандартные считыватели смарт-карт (CCID); работают только редкие считыватели с интерфейсом производителя.',
    ccidBlockedAndroid:
      'Chrome не даёт веб-страницам стандартные считыватели смарт-карт (CCID), а обойти это установленным приложением на Android нельзя.',
    serialAndroid: 'На Android Web Serial не видит AT-порты модемов.',
    smartCardApp: 'Только в установленном приложении WebLPA на ChromeOS.',
    bridgeComputer: 'Мост — программа для компьютера, а не для телефона или планшета.',
  },
  todo: {
    secureOrigin:
      'Чтобы пользоваться USB- и последовательными устройствами, откройте WebLPA по https или на localhost.',
    bridge:
      'Считыватель: запустите локальный мост карт на этом компьютере, затем покажите его считыватели в варианте с мостом ниже:',
    iwa: 'Считыватель без моста: установите сборку Isolated Web App в Chrome для компьютера:',
    serialModem:
      'Модем: выберите его AT-порт (Quectel, Sierra, SIMCom…) в пункте «Модем (последовательный порт)».',
    serialModemLinux:
      'Модем: сначала остановите ModemManager, затем выберите его AT-порт (Quectel, Sierra, SIMCom…) в пункте «Модем (последовательный порт)».',
    usbModem: 'Модем: подключите его по USB и выберите «USB-модем».',
    desktopBrowser: 'Для USB-считывателей и модемов нужен Chrome или Edge на компьютере.',
    virtual:
      'Нет оборудования под рукой? Виртуальная eUICC работает всегда — для проб и пробных прогонов.',
  },
};
