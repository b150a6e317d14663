import type { Messages } from '../messages.ts';
import { formatNumber, plural } from '../format.ts';

const n = (v: number): string => formatNumber('es', v);

export const batch: Messages['batch'] = {
  title: 'Lote',
  intro:
    'Ejecución de un plan de códigos de activación en muchas tarjetas a la vez: eUICC virtuales (una ejecución de prueba: se crean para la ejecución y no se conservan), todas las ranuras de un lector USB o los lectores del puente local de tarjetas.',
  cliBefore: 'El mismo plan se ejecuta en lectores PC/SC con ',
  cliAfter: '.',
  planLabel: 'Plan (CSV con fila de encabezado, o JSON)',
  planFile: 'Archivo del plan',
  sources: {
    legend: 'Tarjetas',
    virtual: 'eUICC virtuales (ejecución de prueba)',
    usb: 'Todas las ranuras de un lector USB',
    usbNote:
      'Un lector (WebUSB): cada ranura con una eUICC es una tarjeta; una ranura vacía da una fila de error.',
    usbMissing:
      'No disponible aquí: esta página no tiene WebUSB (Chrome o Edge en una página segura, o la app instalada).',
    bridge: 'Lectores mediante el puente local',
    bridgeNote:
      'Cada lector que lista el puente local de tarjetas emparejado es una tarjeta; antes hay que emparejarlo en «Conectar».',
    bridgeStartBefore: 'El puente se inicia con ',
    bridgeStartAfter: '.',
  },
  virtualCount: 'eUICC virtuales',
  bridgeAddress: 'Dirección del puente',
  run: {
    virtual: 'Iniciar ejecución de prueba',
    usb: 'Elegir lector y ejecutar',
    bridge: 'Ejecutar en los lectores del puente',
    running: 'En curso…',
    stop: 'Detener',
  },
  cardNames: {
    virtual: (index: string) => `eUICC virtual ${index}`,
    usbSlot: (reader: string, slot: string) => `${reader}, ranura ${slot}`,
    bridge: (reader: string) => `${reader} (puente de tarjetas)`,
  },
  issues: {
    title: 'El plan no se ejecutó:',
    plan: 'Plan completo',
    row: (row: string) => `Fila ${row}`,
    withColumn: (place: string, column: string) => `${place}, ${column}`,
  },
  problems: {
    notText: 'Debe ser texto.',
    notString: 'Debe ser una cadena; los EID e ICCID se escriben entre comillas.',
    acAndSmdp: 'Indicar un código de activación o bien smdp y matchingId, no ambos.',
    badSmdpAddress:
      'Dirección de SM-DP+ no válida; debe ser un nombre de host como smdp.example.com, opcionalmente con :puerto.',
    badMatchingId: 'ID de coincidencia no válido; no admite espacios, caracteres de control ni $.',
    noAddress: 'No hay código de activación ni dirección de SM-DP+.',
    matchingIdWithoutSmdp: 'Un ID de coincidencia necesita una dirección de SM-DP+ (columna smdp).',
    confirmationCodeTooLong: (max: number) => `Supera los ${n(max)} caracteres.`,
    confirmationCodeMissing:
      'El código de activación pide un código de confirmación y la fila no lo incluye.',
    badEid: (value: string) => `«${value}» no es un EID; un EID tiene 32 dígitos.`,
    eidCheckDigits: (value: string) =>
      `«${value}»: los dígitos de control del EID no cuadran; revisar si hay una errata.`,
    notBoolean: (value: string) => `«${value}» no es true/false, yes/no ni 1/0.`,
    nicknameTooLong: (maxBytes: number) => `Supera los ${n(maxBytes)} bytes (UTF-8).`,
    badIccid: (value: string) => `«${value}» no es un ICCID; un ICCID tiene de 18 a 20 dígitos.`,
    eidTwice: (eid: string, firstRow: number) =>
      `El EID ${eid} ya está en la fila ${n(firstRow)}; una fila por eUICC.`,
    noRows: 'El plan no tiene filas.',
    empty: 'El plan está vacío.',
    unknownColumn: 'Columna desconocida.',
    columnTwice: 'Columna repetida.',
    fieldCount: (got: number, want: number) =>
      `${plural('es', got, { one: '# campo', other: '# campos' })}, pero la cabecera tiene ${n(want)}.`,
    csvSyntax: {
      unclosedQuote: (line: number) =>
        `Línea ${n(line)} del texto: un campo entre comillas no está cerrado.`,
      textAfterQuote: (line: number) =>
        `Línea ${n(line)} del texto: hay texto tras la comilla de cierre de un campo (una comilla se escribe "").`,
      quoteInField: (line: number) =>
        `Línea ${n(line)} del texto: comilla dentro de un campo sin comillas (poner todo el campo entre comillas).`,
      bareCarriageReturn: (line: number) =>
        `Línea ${n(line)} del texto: retorno de carro sin salto de línea.`,
    },
    notJson: 'No es JSON válido.',
    jsonShape: 'Un plan JSON es una matriz de filas o {"rows": [...]}.',
    rowNotObject: 'Cada fila debe ser un objeto JSON.',
  },
  failures: {
    notPaired: (url: string) =>
      `Esta página no está emparejada con el puente de tarjetas en ${url}: emparejarla en «Conectar», «Lector mediante el puente local de tarjetas», y volver a ejecutar el plan.`,
    noReaders: (url: string) => `El puente de tarjetas en ${url} no lista ningún lector.`,
  },
  saved: {
    title: 'Última ejecución guardada',
    summary: (where: string, started: string, ok: number, rows: number) =>
      `En ${where}, iniciada el ${started}: ${n(ok)} de ${plural('es', rows, { one: '# fila', other: '# filas' })} correctas.`,
    where: {
      usb: 'las ranuras de un lector USB',
      bridge: 'los lectores del puente local de tarjetas',
    },
    note: 'Ejecutar el mismo plan sobre las mismas tarjetas la reanuda: se omiten las filas hechas y una fila interrumpida solo hace los pasos que le faltan.',
    resume: 'Reanudar esta ejecución',
    forget: 'Descartarla',
    resuming: (count: number) =>
      `Reanudando la ejecución guardada: se ${plural('es', count, { one: 'omite # fila ya hecha', other: 'omiten # filas ya hechas' })}.`,
    notKept:
      'No se pudo guardar esta ejecución en el almacenamiento del navegador: descarga el informe antes de cerrar la página.',
  },
  earlierReport: {
    label: 'Informe anterior para reanudar (JSON, opcional)',
    loaded: (ok: number, rows: number) =>
      `Informe cargado: ${n(ok)} de ${plural('es', rows, { one: '# fila', other: '# filas' })} correctas. Ejecutar el plan lo reanuda.`,
    remove: 'Quitar informe',
    resuming: (count: number) =>
      `Reanudando desde el informe: se ${plural('es', count, { one: 'omite # fila ya hecha', other: 'omiten # filas ya hechas' })}.`,
  },
  cardsTitle: 'Tarjetas',
  table: {
    caption: 'Filas del lote',
    row: 'Fila',
    card: 'Tarjeta',
    iccid: 'ICCID',
    result: 'Resultado',
    codes: 'Códigos',
    notifications: 'Notificaciones',
    time: 'Duración',
  },
  working: 'en curso',
  workingAt: (step: string) => `en curso: ${step}`,
  steps: {
    delete: 'eliminación',
    download: 'descarga',
    enable: 'activación',
    nickname: 'apodo',
  },
  delivery: {
    sent: 'enviadas',
    kept: 'guardadas',
    failed: 'fallidas',
    none: 'ninguna',
  },
  progress: {
    done: (count: number) =>
      plural('es', count, { one: '# fila terminada', other: '# filas terminadas' }),
    working: (done: string, list: string) => `${done}; en curso: ${list}`,
    row: (row: string) => `fila ${row}`,
    rowAt: (row: string, step: string) => `fila ${row} (${step})`,
    separator: ', ',
  },
  summary: (ok: number, rows: number, failed: number, notRun: number, time: string) =>
    `${n(ok)} de ${plural('es', rows, { one: '# fila', other: '# filas' })} correctas, ${n(failed)} con error` +
    (notRun > 0 ? `, ${n(notRun)} sin ejecutar` : '') +
    `, en ${time}.`,
  downloadCsv: 'Descargar CSV',
  downloadJson: 'Descargar JSON',
  resultsTitle: 'Qué significan los resultados',
  results: {
    ok: 'Todos los pasos de la fila se completaron.',
    cardNotFound: 'Ninguna tarjeta disponible tiene el EID que indica la fila.',
    noFreeCard: 'Todas las tarjetas ya tenían su fila: añadir tarjetas o dividir el plan.',
    cardUnavailable:
      'No se pudo usar la tarjeta de esta fila: una ranura vacía o un lector que otro programa tiene ocupado.',
    consentRefused: 'El perfil se rechazó en el paso de consentimiento.',
    cancelled: 'La ejecución se detuvo antes de que terminara esta fila.',
    confirmationCodeRequired:
      'El SM-DP+ pide un código de confirmación y la fila no tiene ninguno.',
    es9p: 'El SM-DP+ lo rechazó; la columna «Códigos» tiene sus códigos subject y reason.',
    network: 'No se pudo contactar con el SM-DP+ o su respuesta no se pudo leer.',
    es10: 'La eUICC rechazó un comando; la columna «Códigos» tiene su respuesta.',
    installFailed: 'La eUICC rechazó el paquete del perfil.',
    apdu: 'La tarjeta respondió a un comando con un estado de error.',
    transport: 'La conexión con la tarjeta falló o se perdió.',
    badActivationCode: 'No se pudo leer el código de activación.',
    noAddress:
      'Sin dirección de SM-DP+: la fila no indica ninguna y la eUICC no tiene una predeterminada.',
    serverMismatch: 'Los datos firmados por el servidor no corresponden a esta sesión.',
    badRequest: 'Una solicitud no era válida.',
    internal: 'Un error inesperado; el informe descargado incluye su mensaje.',
  },
};
