import type { Messages } from '../messages.ts';

export const add: Messages['add'] = {
  title: 'Añadir un perfil',
  connectFirst: 'Primero conéctate a una eUICC.',
  connect: 'Conectar',
  methodsLabel: 'Cómo añadir el perfil',
  methods: {
    scan: 'Escanear código QR',
    image: 'Imagen QR',
    code: 'Código de activación',
    address: 'Dirección SM-DP+',
    discover: 'Descubrir',
  },
  image: {
    drop: 'Elige, arrastra o pega una imagen del código QR',
    notAnImage: 'El archivo no es una imagen que este navegador pueda leer.',
    noCode: 'No se encontró ningún código QR en la imagen.',
  },
  camera: {
    noAccess: 'Este navegador no da acceso a la cámara aquí (se necesita un contexto seguro).',
    preview: 'Vista previa de la cámara',
    start: 'Iniciar cámara',
    stop: 'Detener cámara',
    toFront: 'Cambiar a la cámara frontal',
    toBack: 'Cambiar a la cámara trasera',
    torch: 'Linterna',
    pointAt: 'Apunta la cámara al código QR…',
    notStarted: 'No se pudo iniciar la cámara.',
  },
  discover: {
    ask: (server: string) =>
      `Preguntar al SM-DS (${server}) si hay un perfil esperando a esta eUICC.`,
    rootSmds: 'el SM-DS raíz de la eUICC',
    asking: 'Preguntando…',
    start: 'Descubrir perfiles',
    waitingAt: (server: string) => `Perfil en espera en ${server}`,
    download: 'Descargar',
    nothing: 'Aún no se ha buscado, o no hay nada en espera.',
  },
  code: {
    found: 'Código leído del código QR. Revísalo y luego añádelo.',
    label: 'Código de activación',
    demo: 'Códigos de demostración del servidor de pruebas local (haz clic en uno para rellenarlo)',
  },
  address: {
    label: 'Dirección SM-DP+',
    matchingId: 'Matching ID (puede quedar vacío)',
  },
  submit: 'Descargar perfil',
  link: {
    kinds: {
      usb: 'lector USB',
      serial: 'módem serie',
      usbModem: 'módem USB',
      smartcard: 'lector de tarjetas inteligentes',
    },
    notIncluded: (what: string) => `Esta versión de WebLPA no incluye compatibilidad con ${what}.`,
    unknownError: 'error desconocido',
  },
};
