import type { Messages } from '../messages.ts';

export const guide: Messages['guide'] = {
  title: 'Cómo conectar aquí',
  reopen: 'Cómo conectar',
  dismiss: 'Entendido',
  usingIsolatedApp: 'Se está usando la app WebLPA instalada (Isolated Web App).',
  using: (browser: string, platform: string) => `Navegador: ${browser} en ${platform}.`,
  usingBrowser: (browser: string) => `Navegador: ${browser}.`,
  usingUnknown:
    'No se ha reconocido este navegador: las listas siguientes se basan en lo que ofrece.',
  worksHeading: 'Funciona aquí',
  blockedHeading: 'No funciona aquí',
  todoHeading: 'Qué hacer',
  links: {
    virtual: 'eUICC virtual',
    usbReader: 'Lector USB',
    serialModem: 'Módem serie',
    usbModem: 'Módem USB',
    smartCard: 'Lector de tarjetas del sistema',
    bridge: 'Puente local de tarjetas',
  },
  works: {
    virtual: 'Una eUICC por software en este navegador, para hacer pruebas.',
    usbReader:
      'Lectores estándar (CCID), una vez que el servicio de tarjetas inteligentes del sistema los libera.',
    serialModem: 'El puerto AT de un módem celular, mediante Web Serial.',
    usbModem: 'El puerto AT de un módem por USB, si ningún controlador del sistema lo ocupa.',
    smartCard: 'Lectores a través del servicio de tarjetas inteligentes del sistema.',
    bridge: 'Los lectores PC/SC de este equipo, a través del programa del puente.',
  },
  why: {
    insecure:
      'La página se abrió por http simple, así que el navegador oculta los puertos USB y serie.',
    noWebUsb: 'Este navegador no admite WebUSB.',
    noWebSerial: 'Este navegador no admite Web Serial.',
    ccidBlocked:
      'El navegador bloquea los lectores estándar (CCID) en las páginas web; solo funcionan algunos lectores poco comunes con interfaz propia del fabricante.',
    ccidBlockedAndroid:
      'Chrome bloquea los lectores estándar (CCID) en las páginas web, y Android no ofrece una app instalada que lo evite.',
    serialAndroid: 'En Android, Web Serial no ve los puertos AT de los módems.',
    smartCardApp: 'Solo en la app WebLPA instalada en ChromeOS.',
    bridgeComputer: 'El puente es un programa para ordenadores, no para móviles ni tabletas.',
  },
  todo: {
    secureOrigin: 'Para usar dispositivos USB y serie, abrir WebLPA por https o en localhost.',
    bridge:
      'Lector: iniciar el puente local de tarjetas en este equipo y luego mostrar sus lectores en la opción del puente, más abajo:',
    iwa: 'Lector sin puente: instalar la versión Isolated Web App en Chrome de escritorio:',
    serialModem: 'Módem: elegir su puerto AT (Quectel, Sierra, SIMCom…) en «Módem serie».',
    serialModemLinux:
      'Módem: detener primero ModemManager y luego elegir su puerto AT (Quectel, Sierra, SIMCom…) en «Módem serie».',
    usbModem: 'Módem: conectarlo por USB y elegir «Módem USB».',
    desktopBrowser: 'Los lectores USB y los módems necesitan Chrome o Edge en un ordenador.',
    virtual:
      '¿Sin hardware a mano? La eUICC virtual funciona siempre, para probar la app y para ejecuciones de prueba.',
  },
};
