import type { Messages } from '../messages.ts';
import { plural } from '../format.ts';

type ErrorText = Messages['errors']['generic'];

const CANCELLED: ErrorText = {
  title: 'Cancelado',
  detail: 'La operación se canceló; no se cambió nada en la eUICC.',
  advice: 'Vuelve a empezar cuando quieras.',
};

const NEW_CODE = 'Pide a tu operador un código de activación nuevo.';
const SECURE_PAGE = 'Abre la aplicación por https (o en localhost).';

export const errors: Messages['errors'] = {
  panel: {
    whatToDo: 'Qué hacer:',
    forExperts: 'Detalles para expertos',
    dismiss: 'Cerrar',
  },
  generic: {
    title: 'Algo salió mal',
    detail: 'Un error inesperado detuvo la operación.',
    advice: 'Inténtalo de nuevo; si sigue fallando, exporta el registro.',
  },
  lpa: {
    consentRefused: {
      title: 'Perfil no instalado',
      detail: 'Rechazaste el perfil, así que no se instaló nada.',
      advice: 'Puedes añadirlo más tarde con el mismo código si es reutilizable.',
    },
    cancelled: CANCELLED,
    confirmationCodeRequired: {
      title: 'Se necesita un código de confirmación',
      detail: 'Este perfil necesita un código de confirmación y no se indicó ninguno.',
      advice: 'Introduce el código de confirmación que te dio tu operador.',
    },
    es9p: {
      title: 'El SM-DP+ lo rechazó',
      detail: 'El SM-DP+ rechazó la solicitud.',
      advice: 'Inténtalo más tarde; si sigue fallando, da a tu operador los códigos de abajo.',
    },
    network: {
      title: 'No se puede contactar con el servidor',
      detail: 'El servidor no respondió.',
      advice: 'Comprueba la conexión y la URL del relé en Ajustes, y vuelve a intentarlo.',
    },
    es10: {
      title: 'La eUICC lo rechazó',
      detail: 'La eUICC rechazó el comando.',
      advice:
        'Actualiza y vuelve a intentarlo; los códigos de abajo indican exactamente qué respondió la eUICC.',
    },
    installFailed: {
      title: 'Perfil no instalado',
      detail: 'La eUICC no pudo instalar el perfil.',
      advice: 'Vuelve a intentarlo; los códigos de abajo indican dónde se detuvo la instalación.',
    },
    apdu: {
      title: 'La tarjeta no aceptó un comando',
      detail: 'La tarjeta respondió a un comando con un error.',
      advice:
        'Comprueba que la tarjeta esté bien colocada y vuelve a intentarlo; los códigos de abajo indican qué respondió.',
    },
    transport: {
      title: 'Problema de conexión',
      detail: 'Falló el enlace con la tarjeta o el dispositivo.',
      advice: 'Revisa la tarjeta o el dispositivo y vuelve a conectar.',
    },
    badActivationCode: {
      title: 'Código de activación no válido',
      detail: 'No se pudo leer el código de activación.',
      advice:
        'Debe tener la forma LPA:1$smdp.example.com$MATCHING-ID. Revísalo y vuelve a intentarlo.',
    },
    noAddress: {
      title: 'Sin dirección de SM-DP+',
      detail: 'No se indicó ninguna dirección de SM-DP+ y la eUICC no tiene SM-DP+ predeterminado.',
      advice: 'Introduce un código de activación o una dirección de SM-DP+.',
    },
    serverMismatch: {
      title: 'La respuesta del servidor no encaja',
      detail: 'El SM-DP+ respondió para otra sesión u otra dirección.',
      advice: 'Empieza de nuevo; si vuelve a pasar, revisa la dirección del SM-DP+.',
    },
    badRequest: {
      title: 'Solicitud no válida',
      detail: 'Un valor indicado para esta operación no es válido.',
      advice: 'Revisa lo que introdujiste y vuelve a intentarlo.',
    },
    internal: {
      title: 'La operación falló',
      detail: 'Un error inesperado detuvo la operación.',
      advice: 'Vuelve a intentarlo; los códigos de abajo ayudan a los expertos.',
    },
  },
  activationCode: {
    title: 'Código de activación no válido',
    advice:
      'Debe tener la forma LPA:1$smdp.example.com$MATCHING-ID. Revísalo y vuelve a intentarlo.',
    reasons: {
      empty: 'El código de activación está vacío.',
      format: 'El código de activación no tiene el formato LPA:1$….',
      address: 'La dirección del SM-DP+ en el código de activación no es válida.',
      matchingId: 'El ID de coincidencia del código de activación no es válido.',
      oid: 'El OID del SM-DP+ en el código de activación no es válido.',
      confirmationFlag:
        'La indicación de código de confirmación del código de activación no es válida.',
      tooLong: 'El código de activación es demasiado largo.',
    },
  },
  es9p: {
    title: 'El SM-DP+ lo rechazó',
    codes: {
      '8.2.6/3.8': {
        detail: 'El SM-DP+ no conoce este código de activación, o ya se usó.',
        advice: 'Revisa el código con tu operador; pide uno nuevo si ya se usó.',
      },
      '8.2.7/2.2': {
        detail: 'Este perfil necesita un código de confirmación.',
        advice: 'Introduce el código de confirmación que te dio tu operador.',
      },
      '8.2.7/3.8': {
        detail: 'El código de confirmación es incorrecto.',
        advice: 'Revisa el código de confirmación y vuelve a intentarlo.',
      },
      '8.2.7/6.4': {
        detail:
          'Demasiados códigos de confirmación incorrectos: el SM-DP+ ha bloqueado este pedido.',
        advice: NEW_CODE,
      },
      '8.1.1/3.8': {
        detail: 'Este perfil está reservado para otra eUICC (EID).',
        advice:
          'Usa el dispositivo para el que se pidió el perfil, o pide un código para esta EID.',
      },
      '8.8.5/4.1': {
        detail: 'El pedido de descarga ha caducado.',
        advice: NEW_CODE,
      },
      '8.8.2/3.1': {
        detail: 'El SM-DP+ y esta eUICC no confían en ningún emisor de certificados común.',
        advice:
          'Esta eUICC no puede instalar perfiles de este SM-DP+ (p. ej., una eUICC de pruebas con un servidor de producción).',
      },
      '8.10.1/3.9': {
        detail: 'El SM-DP+ ya no conoce esta sesión de descarga (puede haber caducado).',
        advice: 'Vuelve a iniciar la descarga.',
      },
    },
    other: {
      detail: 'El SM-DP+ rechazó la solicitud.',
      advice: 'Inténtalo más tarde; si sigue fallando, da a tu operador los códigos de abajo.',
    },
  },
  es9pTransport: {
    network: {
      title: 'No se puede contactar con el servidor',
      detail:
        'El servidor no respondió. Puede estar desconectado o no admitir solicitudes desde una página web (CORS).',
      advice:
        'Comprueba la conexión y la URL del relé en Ajustes. Si elegiste la ruta directa, elige Automática (que usa el relé).',
    },
    timeout: {
      title: 'El servidor tardó demasiado',
      detail: 'El servidor no respondió a tiempo.',
      advice: 'Comprueba la conexión y vuelve a intentarlo.',
    },
    aborted: CANCELLED,
    http: {
      title: 'El servidor respondió mal',
      detail: 'El servidor respondió con un error HTTP.',
      advice:
        'Puede que el servidor esté mal configurado o que un proxy haya cambiado la respuesta. Prueba la ruta por el relé.',
    },
    badResponse: {
      title: 'El servidor respondió mal',
      detail: 'La respuesta del servidor no es la que espera el protocolo.',
      advice:
        'Puede que el servidor esté mal configurado o que un proxy haya cambiado la respuesta. Prueba la ruta por el relé.',
    },
    badAddress: {
      title: 'Dirección del servidor no válida',
      detail: 'Con la dirección del servidor y los ajustes de ruta no se forma una URL válida.',
      advice: 'Revisa la dirección del SM-DP+ y la URL del relé en Ajustes.',
    },
    noRelay: {
      title: 'Hace falta un relé para llegar a este servidor',
      detail:
        'Solo se puede llegar a este SM-DP+ a través de un relé ES9+: una página web no puede hablar directamente con ' +
        'los servidores SM-DP+ y no hay ninguna URL de relé configurada. No se envió nada.',
      advice:
        'Abre Ajustes, introduce la URL del relé ES9+ en «Acceso a servidores SM-DP+» (por ejemplo ' +
        'https://relay.example.org/es9p), guarda y vuelve a descargar. ¿Usas una aplicación alojada por otra persona? ' +
        'Pide a quien la gestiona que defina "relayUrl" dentro de "es9p" en el config.json de la aplicación ' +
        '(o que la compile con VITE_RELAY_URL).',
    },
  },
  untrustedCertificate: {
    title: 'El relé no confía en el certificado de este servidor',
    detail: (message: string) => `El relé rechazó el certificado del servidor: ${message}`,
    advice:
      'El mensaje indica el emisor de certificados (CI) en el que el relé no confió. Un SM-DP+ real se encadena a una CI de la GSMA o a una raíz pública; la CI de un servidor de pruebas hay que dársela al relé (npm start -- --ca <archivo del certificado CI>). Si no, revisa la dirección del SM-DP+.',
  },
  es10: {
    title: 'La eUICC lo rechazó',
    results: {
      iccidOrAidNotFound: 'No se encontró el perfil en la eUICC.',
      profileNotInDisabledState: 'Primero hay que desactivar el perfil.',
      profileNotInEnabledState: 'El perfil no está activado.',
      disallowedByPolicy: 'La política de perfiles del operador prohíbe esta operación.',
      wrongProfileReenabling: 'Este perfil no se puede volver a activar ahora.',
      catBusy: 'La eUICC está ocupada con el teléfono (CAT busy).',
      nothingToDelete: 'No había nada que eliminar.',
      iccidAlreadyExistsOnEuicc: 'Este perfil ya está instalado en la eUICC.',
      insufficientMemoryForProfile: 'La eUICC no tiene memoria libre suficiente para este perfil.',
      iccidNotFound: 'No se encontró el perfil en la eUICC.',
      invalidSignature: 'Una firma no se pudo verificar: esta eUICC no confía en el SM-DP+.',
      invalidCertificate: 'Esta eUICC no acepta el certificado del SM-DP+.',
      ciPKUnknown: 'La eUICC no confía en el emisor de certificados del SM-DP+.',
      unsupportedCurve: 'La eUICC no admite el tipo de clave del SM-DP+.',
    },
    otherResult: 'La eUICC rechazó el comando.',
    advice:
      'Actualiza y vuelve a intentarlo; los códigos de abajo indican exactamente qué respondió la eUICC.',
    disableFirst: 'Desactiva el perfil (o activa otro) y vuelve a intentarlo.',
  },
  apdu: {
    title: 'La tarjeta no aceptó un comando',
    detail: 'La tarjeta respondió a un comando con un estado de error.',
    advice:
      'Comprueba que la tarjeta esté bien colocada y vuelve a intentarlo; los códigos de abajo indican qué respondió.',
  },
  isdRNotFound: {
    title: 'La tarjeta no aceptó un comando',
    detail:
      'En esta tarjeta no respondió ningún gestor de eSIM (ISD-R): puede que no sea una eUICC.',
    advice: 'Comprueba que la tarjeta sea una eUICC, o indica su AID de ISD-R en Ajustes.',
  },
  usbAccess: {
    title: 'Lector USB no disponible',
    reasons: {
      protectedClass: {
        detail: 'Este navegador no permite que las páginas web usen lectores de tarjetas.',
        advice:
          'Chrome bloquea los lectores de tarjetas en las páginas web. Usa la versión instalada (Isolated Web App), un módem o la eUICC virtual.',
      },
      busy: {
        detail: 'Otro programa está usando el lector.',
        advice: 'Otro programa ocupa el lector (a menudo pcscd). Detenlo y vuelve a conectar.',
      },
      accessDenied: {
        detail: 'El sistema operativo denegó el acceso al lector.',
        advice:
          'El sistema deniega el acceso: añade una regla udev (Linux) o instala el controlador WinUSB (Windows).',
      },
      noWebUsb: {
        detail: 'Este navegador no tiene WebUSB.',
        advice: 'Este navegador no tiene WebUSB. Usa Chrome o Edge en un ordenador.',
      },
      insecureContext: {
        detail: 'El acceso USB necesita una página segura.',
        advice: SECURE_PAGE,
      },
      noDevice: {
        detail: 'No se eligió ningún lector, o el dispositivo elegido no es un lector de tarjetas.',
        advice: 'No se eligió ningún lector. Conecta uno y vuelve a intentarlo.',
      },
      disconnected: {
        detail: 'Se desconectó el lector.',
        advice: 'Vuelve a conectar el lector e inténtalo de nuevo.',
      },
    },
  },
  serialAccess: {
    title: 'Puerto serie no disponible',
    reasons: {
      noWebSerial: {
        detail: 'Este navegador no tiene Web Serial.',
        advice: 'Este navegador no tiene Web Serial. Usa Chrome o Edge en un ordenador.',
      },
      insecureContext: {
        detail: 'El acceso serie necesita una página segura.',
        advice: SECURE_PAGE,
      },
      noDevice: {
        detail: 'No se eligió ningún puerto serie.',
        advice: 'No se eligió ningún puerto. Conecta el módem y vuelve a intentarlo.',
      },
      busy: {
        detail: 'No se pudo abrir el puerto serie: otro programa u otra pestaña lo ocupa.',
        advice:
          'Otro programa ocupa el puerto (a menudo ModemManager). Detenlo y vuelve a conectar.',
      },
      accessDenied: {
        detail: 'El sistema operativo o el navegador denegó el acceso al puerto serie.',
        advice:
          'El sistema deniega el acceso al puerto: añade tu usuario al grupo dialout (Linux) o revisa el controlador.',
      },
      disconnected: {
        detail: 'Se desconectó el módem.',
        advice: 'Vuelve a conectar el módem e inténtalo de nuevo.',
      },
    },
  },
  usbModemAccess: {
    title: 'Módem USB no disponible',
    reasons: {
      insecureContext: {
        detail: 'El acceso USB necesita una página segura.',
        advice: SECURE_PAGE,
      },
      noWebUsb: {
        detail: 'Este navegador no tiene WebUSB.',
        advice: 'Este navegador no tiene WebUSB. Usa Chrome o Edge.',
      },
      noDevice: {
        detail: 'No se eligió ningún módem.',
        advice: 'No se eligió ningún módem. Conéctalo y vuelve a intentarlo.',
      },
      busy: {
        detail: 'Otro controlador o programa ocupa la interfaz AT del módem.',
        advice:
          'Un controlador del sistema ocupa el puerto AT del módem. En Linux detén ModemManager y desvincula option/qcserial, o usa la opción de módem serie en su puerto ttyUSB.',
      },
      accessDenied: {
        detail: 'El sistema operativo denegó el acceso al módem.',
        advice:
          'El sistema deniega el acceso: añade una regla udev (Linux) o instala el controlador WinUSB (Windows).',
      },
      noAtInterface: {
        detail: 'Ninguna interfaz USB de este dispositivo respondió a comandos AT.',
        advice:
          'Ninguna interfaz de este dispositivo respondió a comandos AT. Prueba la opción de módem serie u otro modo USB del módem.',
      },
      disconnected: {
        detail: 'Se desconectó el módem.',
        advice: 'Vuelve a conectar el módem e inténtalo de nuevo.',
      },
    },
  },
  smartCardAccess: {
    title: 'Lector de tarjetas inteligentes no disponible',
    reasons: {
      insecureContext: {
        detail: 'El acceso a tarjetas inteligentes necesita una página segura.',
        advice: 'Abre la aplicación WebLPA instalada (o la aplicación por https).',
      },
      noSmartCardApi: {
        detail: 'Este navegador no ofrece la Web Smart Card API.',
        advice:
          'Para los lectores del sistema usa la aplicación WebLPA instalada en ChromeOS; aquí, usa un lector USB, un módem o la eUICC virtual.',
      },
      noService: {
        detail: 'El servicio de tarjetas inteligentes del sistema no está en marcha.',
        advice:
          'Inicia el servicio de tarjetas inteligentes: en ChromeOS instala la aplicación Smart Card Connector; en Linux inicia pcscd (sudo systemctl start pcscd). Después vuelve a intentarlo.',
      },
      noReader: {
        detail: 'No se encontró ningún lector de tarjetas inteligentes.',
        advice: 'Conecta un lector de tarjetas inteligentes y vuelve a intentarlo.',
      },
      noCard: {
        detail: 'El lector no tiene ninguna tarjeta.',
        advice: 'Inserta la eUICC en el lector y vuelve a intentarlo.',
      },
      permissionDenied: {
        detail: 'Se denegó el acceso a las tarjetas inteligentes.',
        advice:
          'Permite el acceso a tarjetas inteligentes para WebLPA en los ajustes de la aplicación (o consulta a tu administrador) y vuelve a intentarlo.',
      },
      busy: {
        detail: 'Otro programa ocupa la tarjeta en exclusiva.',
        advice: 'Otro programa ocupa la tarjeta. Ciérralo y vuelve a conectar.',
      },
      unresponsiveCard: {
        detail: 'La tarjeta del lector no responde.',
        advice:
          'Vuelve a insertar la tarjeta en la posición correcta; si sigue sin responder, puede que el lector no la admita.',
      },
      other: {
        detail: 'El servicio de tarjetas inteligentes del sistema informó de un error.',
        advice: 'Vuelve a insertar la tarjeta y a conectar.',
      },
    },
    pcsc: {
      bindingMissing: {
        detail: 'Falta el enlace PC/SC (el paquete npm opcional «smartcard») o no está compilado.',
        advice:
          'Instala libpcsclite-dev (Debian/Ubuntu: sudo apt-get install libpcsclite-dev) y después ejecuta npm rebuild smartcard.',
      },
      unknownReader: {
        detail: 'Ningún lector tiene el nombre o el índice indicado.',
        advice:
          'Muestra los lectores con npm run lpa -- reader list e indica uno de sus nombres o índices.',
      },
      cardReset: {
        detail: 'Otro programa o el lector reinició la tarjeta; la conexión se restableció.',
        advice: 'Vuelve a ejecutar el comando.',
      },
    },
  },
  bridge: {
    title: 'Puente local de tarjetas no disponible',
    reasons: {
      badAddress: {
        detail: 'Esta no es la dirección de un puente de tarjetas en este ordenador.',
        advice: 'Usa ws://127.0.0.1:35980 (o la dirección que mostró el puente al arrancar).',
      },
      notRunning: {
        detail: 'El puente local de tarjetas no está en marcha.',
        advice:
          'Inicia el puente de tarjetas en este ordenador con `npm run lpa -- bridge` (en la carpeta de WebLPA), déjalo en marcha y vuelve a intentarlo.',
      },
      originRefused: {
        detail: 'El puente de tarjetas rechazó esta página.',
        advice:
          'Reinicia el puente permitiendo esta página: npm run lpa -- bridge --origin <dirección de esta página>',
      },
      pairingRequired: {
        detail: 'Esta página no está emparejada con el puente de tarjetas.',
        advice: 'Introduce el código de emparejamiento que mostró el puente en su terminal.',
      },
      badPairingCode: {
        detail: 'Código de emparejamiento incorrecto.',
        advice: 'Escribe el último código que mostró el puente en su terminal.',
      },
      pairingLocked: {
        detail: 'Demasiados códigos de emparejamiento incorrectos.',
        advice: 'Espera un poco y escribe el último código que mostró el puente.',
      },
      noChoice: {
        detail: 'Aún no se ha elegido ningún lector a través del puente local de tarjetas.',
        advice: 'En «Lector mediante el puente local de tarjetas», lista los lectores y elige uno.',
      },
      unknownReader: {
        detail: 'El lector ya no está conectado a este ordenador.',
        advice: 'Conéctalo y vuelve a listar los lectores.',
      },
      noCard: {
        detail: 'No hay ninguna tarjeta en el lector.',
        advice: 'Inserta la eUICC y vuelve a intentarlo.',
      },
      readerBusy: {
        detail: 'Otra página u otro navegador está usando el lector.',
        advice: 'Desconéctalo allí (o cierra esa pestaña) y vuelve a intentarlo.',
      },
      tooLarge: {
        detail: 'Un mensaje era demasiado grande para el puente de tarjetas.',
        advice: 'Es un fallo de la aplicación; vuelve a conectar.',
      },
      rateLimited: {
        detail: 'El puente de tarjetas rechazó demasiadas solicitudes.',
        advice: 'Vuelve a conectar e inténtalo de nuevo.',
      },
      timeout: {
        detail: 'El puente de tarjetas no respondió a tiempo.',
        advice: 'Revisa el terminal del puente y vuelve a conectar.',
      },
      protocol: {
        detail: 'El puente de tarjetas y la aplicación no se entienden.',
        advice: 'Usa el puente de la misma versión de WebLPA que la aplicación.',
      },
      readerError: {
        detail: 'El lector informó de un error.',
        advice: 'Vuelve a insertar la tarjeta y a conectar.',
      },
    },
    allowOrigin: (origin: string) =>
      `Reinicia el puente permitiendo esta página: npm run lpa -- bridge --origin ${origin}`,
    retryAfter: (seconds: number) =>
      plural('es', seconds, {
        one: 'Vuelve a intentarlo dentro de # segundo.',
        other: 'Vuelve a intentarlo dentro de # segundos.',
      }),
  },
  smartCardService: {
    title: 'El servicio de tarjetas inteligentes informó de un error',
    detail: 'El servicio de tarjetas inteligentes del sistema no pudo completar la solicitud.',
    advice:
      'Vuelve a insertar la tarjeta y a conectar; los códigos de abajo indican qué respondió el servicio.',
  },
  usbTransfer: {
    title: 'El módem USB dejó de responder',
    detail: 'Falló una transferencia USB con el módem.',
    advice: 'Desconecta el módem, vuelve a conectarlo y reconecta.',
  },
  atr: {
    title: 'No se pudo leer la respuesta de la tarjeta al reinicio',
    detail: 'La primera respuesta de la tarjeta (ATR) está mal formada.',
    advice:
      'Vuelve a insertar la tarjeta (contactos limpios, en la posición correcta) y a conectar.',
  },
  ccid: {
    title: 'El lector informó de un error',
    reasons: {
      slotError: 'El lector no pudo completar un comando con la tarjeta.',
      badMessage: 'El lector envió una respuesta que no se pudo leer.',
      unsupported: 'El lector o la tarjeta necesitan algo que esta aplicación no admite.',
      noCcidDescriptor: 'El dispositivo no se presenta como lector de tarjetas inteligentes.',
      tooLong: 'Un comando era demasiado largo para este lector.',
    },
    advice: 'Vuelve a insertar la tarjeta y a conectar.',
  },
  atCommand: {
    title: 'El módem rechazó un comando',
    detail: 'El módem respondió a un comando con un error.',
    advice:
      'Puede que el módem no admita comandos de acceso a la SIM (AT+CGLA/AT+CSIM). Prueba otro puerto u otro módem.',
    hints: {
      apduRefused:
        'El módem se negó a pasar este comando a la eUICC (es su firmware, no la tarjeta). Vuelve a intentarlo; si sigue fallando, actualiza el firmware del módem o conecta con la estrategia AT+CSIM.',
      blockRefused:
        'El módem no transporta bloques STORE DATA tan grandes; a partir de ahora se usan bloques de 120 bytes. Vuelve a iniciar la descarga.',
    },
  },
  atNoAnswer: {
    title: 'El módem no responde',
    detail: 'Nada responde a los comandos AT en este puerto.',
    advice:
      'Seguramente otro programa usa el puerto (en Linux, a menudo ModemManager): detenlo o elige el otro puerto AT del módem, y vuelve a conectar.',
  },
  atTimeout: {
    title: 'El módem no respondió',
    detail: 'El módem no terminó un comando a tiempo.',
    advice:
      'Comprueba que el módem tenga alimentación y que se eligió el puerto correcto, y vuelve a conectar.',
  },
  atResponse: {
    title: 'El módem respondió algo inesperado',
    detail: 'No se pudo leer la respuesta del módem.',
    advice: 'Prueba otro puerto del módem (muchos tienen varios) o vuelve a conectar.',
  },
  atUnsupported: {
    title: 'El módem no da acceso a la eSIM',
    detail: 'El módem no deja pasar ningún comando a la SIM.',
    advice:
      'Este módem no tiene comandos de acceso a la SIM (AT+CGLA o AT+CSIM). Usa un lector USB u otro módem.',
  },
  connectionLost: {
    title: 'Conexión perdida',
    detail: 'Se retiró o desconectó la tarjeta o el dispositivo.',
    advice: 'Vuelve a conectarlo: WebLPA se reconecta solo, o pulsa Reconectar.',
  },
  slotEmpty: {
    title: 'No hay tarjeta en esta ranura',
    detail: (reader: string, slot: number) =>
      `No hay ninguna tarjeta en la ranura ${slot} de ${reader}.`,
    advice: 'Inserta una eUICC en la ranura o déjala vacía: las demás tarjetas continúan.',
  },
  settings: {
    title: 'Ajuste no válido',
    detail: (field: string) => `El valor de «${field}» no se puede usar.`,
    advice: 'Corrige el valor y vuelve a guardar.',
  },
  qr: {
    title: 'No se encontró ningún código',
    reasons: {
      noCode: 'No se encontró ningún código QR en la imagen.',
      badImage: 'No se pudo leer la imagen.',
      noCamera: 'No se pudo abrir ninguna cámara.',
    },
    advice: 'Prueba con una imagen más nítida o pega el código como texto.',
  },
  batchReport: {
    title: 'No es un informe de lote',
    detail:
      'El archivo no es un informe de lote de WebLPA en JSON (el archivo .report.json que escribe una ejecución).',
    advice: 'Elige el informe JSON de una ejecución anterior de este plan, o ejecuta sin informe.',
  },
  batchResume: {
    title: 'El informe es de otro plan',
    detail:
      'El informe anterior tiene filas que este plan no tiene, o filas con otros códigos o EID.',
    advice: 'Elige el informe de este plan, o ejecuta sin informe para empezar de nuevo.',
  },
  notAllowed: {
    title: 'Permiso denegado',
    detail: 'El navegador no lo permitió.',
    advice:
      'Permite el acceso en los ajustes del sitio del navegador, o introduce el código de otra forma.',
  },
  notFound: {
    title: 'No se encontró nada',
    detail: 'No se eligió ni se encontró nada.',
    advice: 'Comprueba que el dispositivo esté conectado y vuelve a intentarlo.',
  },
  cancelled: CANCELLED,
  recovery: {
    installed: (at: string) =>
      `La descarga interrumpida desde ${at} se completó: el perfil está instalado.`,
    cancelled: (at: string) =>
      `La descarga interrumpida desde ${at} se canceló en la eUICC y en el servidor.`,
    reported: (at: string) =>
      `La descarga interrumpida desde ${at} se notificó al servidor como fallida; su sesión está cerrada.`,
    notificationPending: (at: string) =>
      `La descarga interrumpida desde ${at} dejó una notificación de fallo: envíala desde Notificaciones para que el servidor cierre su sesión.`,
    expires: (at: string) =>
      `La descarga interrumpida desde ${at} no se pudo cancelar: la eUICC ya la había descartado. El servidor la terminará cuando caduque.`,
    refused: (at: string) => `El servidor ${at} ya había cerrado la descarga interrumpida.`,
    kept: (at: string) =>
      `La descarga interrumpida desde ${at} aún no se pudo cancelar (el servidor no respondió); se volverá a intentar en la próxima conexión.`,
  },
  status: {
    savingDefaultDp: 'Guardando el SM-DP+ predeterminado',
    defaultDpCleared: 'SM-DP+ predeterminado borrado.',
    defaultDpSet: (address: string) => `SM-DP+ predeterminado: ${address}.`,
    resettingMemory: 'Restableciendo la memoria de la eUICC',
    memoryReset: 'Se restableció la memoria de la eUICC.',
    sendingNotification: (seq: number) => `Enviando la notificación ${seq}`,
    notificationSent: (seq: number, address: string) =>
      `La notificación ${seq} se entregó a ${address} y se eliminó.`,
    sendingAll: 'Enviando todas las notificaciones',
    allSent: (n: number) =>
      plural('es', n, {
        one: '# notificación entregada.',
        other: '# notificaciones entregadas.',
      }),
    someKept: (sent: number, kept: number, detail: string) =>
      `${sent} enviadas, ${kept} conservadas: ${detail}`,
    removingNotification: (seq: number) => `Eliminando la notificación ${seq}`,
    notificationRemoved: (seq: number) => `La notificación ${seq} se eliminó sin enviarla.`,
    adding: 'Añadiendo un perfil',
    settingsSaved: 'Ajustes guardados.',
    settingsImported: 'Ajustes importados.',
  },
};
