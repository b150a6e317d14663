import type { Messages } from '../messages.ts';

export const settings: Messages['settings'] = {
  title: 'Ajustes',
  es9p: 'Acceso a los servidores SM-DP+ (ES9+)',
  route: 'Ruta',
  routes: {
    auto: {
      label: 'Automática (recomendada)',
      help: 'Las direcciones con redirección van directamente allí; el resto de SM-DP+ pasa por el relé.',
    },
    direct: {
      label: 'Directa',
      help: 'Cada SM-DP+ se llama desde esta página; solo funciona con servidores que lo permiten (CORS) y tienen un certificado de confianza para el navegador.',
    },
    relay: {
      label: 'Por relé',
      help: 'Todo SM-DP+ sin redirección pasa por el relé: hoy es lo mismo que «Automática» y se mantiene para los ajustes guardados con ella.',
    },
  },
  relayUrl: 'URL del relé',
  relayNone:
    'No hay relé configurado: solo se puede acceder a las direcciones con redirección de abajo.',
  relayHelp: 'El relé ES9+ que reenvía las solicitudes a los servidores SM-DP+.',
  overrides: 'Redirecciones por dirección',
  overridesHelp:
    'Envía las solicitudes de una dirección a otra URL base (p. ej., un servidor de pruebas local).',
  overrideAddress: 'Dirección',
  overrideUrl: 'URL base',
  removeOverride: 'Quitar redirección',
  addOverride: 'Añadir redirección',
  device: 'Dispositivo',
  tac: 'TAC (8 dígitos)',
  imei: 'IMEI (opcional)',
  cardAccess: 'Acceso a la tarjeta',
  isdrAid: 'AID del ISD-R (vacío: probar los conocidos)',
  storeDataBlock: 'Tamaño de bloque de STORE DATA (0: el máximo del enlace)',
  notifications: 'Notificaciones tras un cambio',
  notificationsHelp:
    'La eUICC guarda un aviso firmado de cada cambio para el operador. Cada tipo se envía de inmediato o se guarda en la eUICC hasta enviarlo desde Notificaciones.',
  notificationKinds: {
    install: {
      label: 'Notificaciones de instalación',
      help: 'Informan al operador de que el perfil ha llegado; su servidor puede esperarlas antes de activar la línea.',
    },
    enable: {
      label: 'Notificaciones de activación',
      help: 'Informan de que se activó un perfil.',
    },
    disable: {
      label: 'Notificaciones de desactivación',
      help: 'Informan de que se desactivó un perfil.',
    },
    delete: {
      label: 'Notificaciones de eliminación',
      help: 'Informan al operador de que el perfil ya no está, para que pueda dar de baja o trasladar la línea.',
    },
  },
  sendAtOnce: 'Enviar de inmediato',
  keepOnEuicc: 'Guardar en la eUICC',
  behaviour: 'Comportamiento',
  theme: 'Tema',
  themes: {
    system: 'Como el sistema',
    light: 'Claro',
    dark: 'Oscuro',
  },
  language: 'Idioma',
  languageSystem: 'Como el navegador',
  maskSecrets:
    'Ocultar datos secretos en el registro (ID de coincidencia, códigos de confirmación, IMEI)',
  save: 'Guardar ajustes',
  undo: 'Deshacer cambios',
  reset: 'Restablecer valores predeterminados',
  exportImport: 'Exportar e importar',
  export: 'Exportar ajustes',
  import: 'Importar ajustes',
  notSaved: 'No se ha guardado nada. Corrige el valor marcado y vuelve a guardar.',
  notImported: 'No se ha importado nada del archivo.',
  invalid: {
    settings: 'Los ajustes deben ser un objeto JSON.',
    config: 'config.json debe ser un objeto JSON.',
    file: 'El archivo no es JSON.',
    route: 'La ruta debe ser «auto», «direct» o «relay».',
    relayUrl: 'Introduce una URL http o https, o deja el campo vacío.',
    overrides:
      'Cada redirección necesita un nombre de host (con :puerto opcional) y una URL base http o https.',
    tac: 'El TAC debe tener exactamente 8 dígitos.',
    imei: 'El IMEI debe tener 15 o 16 dígitos, o estar vacío.',
    isdrAid:
      'El AID del ISD-R debe tener de 5 a 16 bytes en hexadecimal (un número par de dígitos) o estar vacío.',
    storeDataBlock: 'El tamaño de bloque debe ser 0 (el máximo del enlace) o estar entre 16 y 255.',
    smdsAddress: 'La dirección del SM-DS debe ser un nombre de host, con :puerto opcional.',
    maskSecrets: '«maskSecrets» debe ser true o false.',
    theme: 'El tema debe ser «system», «light» o «dark».',
    language: 'El idioma debe ser «system» o una etiqueta de idioma admitida.',
    notificationPolicy:
      'Cada tipo de notificación (install, enable, disable, delete) debe ser «send» o «keep».',
    autoSendNotifications: '«autoSendNotifications» debe ser true o false.',
  },
};
