import type { Messages } from '../messages.ts';

export const connect: Messages['connect'] = {
  title: 'Conectar con una eUICC',
  lost: (name: string) => `Se perdió la conexión con ${name}.`,
  theEuicc: 'la eUICC',
  available: (lastUsed: boolean) =>
    lastUsed ? 'Disponible en este navegador (último uso).' : 'Disponible en este navegador.',
  notAvailable: (reason: string) => `No disponible aquí: ${reason}`,
  connectedTo: (name: string) => `Conectado a ${name}.`,
  options: {
    virtual: {
      label: 'eUICC virtual',
      use: 'Usar la eUICC virtual',
      description:
        'Una eUICC de software guardada en este navegador, para experimentar y para pruebas.',
    },
    usb: {
      label: 'Lector USB',
      use: 'Usar lector USB',
      description: 'Un lector USB de tarjetas inteligentes con una eUICC (WebUSB).',
    },
    serial: {
      label: 'Módem serie',
      use: 'Usar módem serie',
      description: 'Un módem móvil con eUICC, controlado mediante comandos AT (WebSerial).',
    },
    usbModem: {
      label: 'Módem USB',
      use: 'Usar módem USB',
      description:
        'Un módem móvil cuyo puerto AT se usa directamente por USB (WebUSB), p. ej. desde ' +
        'Chrome en Android, donde Web Serial no ve los puertos del módem.',
    },
    smartcard: {
      label: 'Lector de tarjetas del sistema',
      use: 'Usar lector de tarjetas del sistema',
      description:
        'Lectores de tarjetas inteligentes a través del servicio de tarjetas del sistema; ' +
        'disponible en la app WebLPA instalada en ChromeOS.',
    },
    bridge: {
      label: 'Lector mediante el puente local de tarjetas',
      description:
        'Un lector PC/SC de este ordenador, a través del puente de tarjetas de WebLPA ' +
        '(npm run lpa -- bridge); funciona en cualquier navegador.',
    },
  },
  unavailable: {
    insecure: 'Esta página no es un contexto seguro: debe abrirse por https o en localhost.',
    noWebUsb: 'Este navegador no tiene WebUSB (funciona con Chrome o Edge en un ordenador).',
    noWebSerial: 'Este navegador no tiene WebSerial (funciona con Chrome o Edge en un ordenador).',
    noWebUsbModem:
      'Este navegador no tiene WebUSB (funciona con Chrome o Edge, en un ordenador o en Android).',
    noSmartCardApi:
      'Este navegador no tiene la Web Smart Card API: solo la tiene la app WebLPA instalada ' +
      '(Isolated Web App) en Chrome para ChromeOS. Aquí se puede usar un lector USB, un módem ' +
      'o la eUICC virtual.',
  },
};
