import type { Messages } from '../messages.ts';

export const connect: Messages['connect'] = {
  title: 'Подключение к eUICC',
  lost: (name: string) => `Соединение с ${name} потеряно.`,
  theEuicc: 'eUICC',
  available: (lastUsed: boolean) =>
    lastUsed ? 'Доступно в этом браузере (последний выбор).' : 'Доступно в этом браузере.',
  notAvailable: (reason: string) => `Здесь недоступно: ${reason}`,
  connectedTo: (name: string) => `Подключено: ${name}.`,
  options: {
    virtual: {
      label: 'Виртуальная eUICC',
      use: 'Использовать виртуальную eUICC',
      description: 'Программная eUICC, хранящаяся в этом браузере, — для знакомства и тестов.',
    },
    usb: {
      label: 'USB-считыватель',
      use: 'Использовать USB-считыватель',
      description: 'USB-считыватель смарт-карт с eUICC (WebUSB).',
    },
    serial: {
      label: 'Модем (последовательный порт)',
      use: 'Использовать модем (последовательный порт)',
      description: 'Сотовый модем с eUICC, управляемый AT-командами (WebSerial).',
    },
    usbModem: {
      label: 'USB-модем',
      use: 'Использовать USB-модем',
      description:
        'Сотовый модем, к AT-порту которого обращаются напрямую по USB (WebUSB), например из ' +
        'Chrome на Android, где Web Serial не видит порты модемов.',
    },
    smartcard: {
      label: 'Системный считыватель смарт-карт',
      use: 'Использовать системный считыватель',
      description:
        'Считыватели смарт-карт через системную службу смарт-карт; доступно в установленном ' +
        'приложении WebLPA на ChromeOS.',
    },
    bridge: {
      label: 'Считыватель через локальный мост карт',
      description:
        'PC/SC-считыватель на этом компьютере через мост карт WebLPA (npm run lpa -- bridge); ' +
        'работает в любом браузере.',
    },
  },
  unavailable: {
    insecure:
      'Эта страница не является безопасным контекстом: откройте её по https или на localhost.',
    noWebUsb: 'В этом браузере нет WebUSB (используйте Chrome или Edge на компьютере).',
    noWebSerial: 'В этом браузере нет WebSerial (используйте Chrome или Edge на компьютере).',
    noWebUsbModem:
      'В этом браузере нет WebUSB (используйте Chrome или Edge на компьютере или Android).',
    noSmartCardApi:
      'В этом браузере нет Web Smart Card API: он есть только в установленном приложении WebLPA ' +
      '(Isolated Web App) в Chrome на ChromeOS. Здесь используйте USB-считыватель, модем ' +
      'или виртуальную eUICC.',
  },
};
