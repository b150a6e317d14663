import type { Messages } from '../messages.ts';

export const download: Messages['download'] = {
  steps: {
    getEuiccChallenge: 'Pidiendo un desafío a la eUICC',
    getEuiccInfo1: 'Leyendo las capacidades de la eUICC',
    initiateAuthentication: 'Contactando con el SM-DP+',
    authenticateServer: 'La eUICC comprueba el SM-DP+',
    authenticateClient: 'El SM-DP+ comprueba la eUICC',
    consent: 'Esperando tu consentimiento',
    confirmationCode: 'Esperando el código de confirmación',
    prepareDownload: 'Preparando la descarga',
    getBoundProfilePackage: 'Descargando el perfil',
    loadBoundProfilePackage: 'Instalando el perfil en la eUICC',
    handleNotification: 'Avisando al SM-DP+ de la instalación',
    done: 'Hecho',
  },
  starting: 'Iniciando…',
  cancel: 'Cancelar',
  code: {
    title: 'Código de confirmación',
    intro: 'Este perfil necesita el código de confirmación que te dio tu operador.',
    label: 'Código de confirmación',
    submit: 'Continuar',
  },
  consent: {
    title: '¿Instalar este perfil?',
    intro: 'El perfil se guarda desactivado en tu eUICC; después puedes activarlo en Perfiles.',
    operator: 'Operador',
    profile: 'Perfil',
    profileClass: 'Clase',
    policyRules: 'Reglas',
    install: 'Instalar',
    decline: 'No instalar',
  },
  running: {
    title: 'Añadiendo el perfil',
    progress: 'Progreso de la descarga',
    percent: (p: string) => `${p} %`,
    sent: (sent: string, total: string) => `${sent} de ${total} enviados a la eUICC`,
  },
  done: {
    title: 'Perfil instalado',
    named: (name: string) =>
      `${name} ya está en tu eUICC. Actívalo en Perfiles para empezar a usarlo.`,
    namedFrom: (name: string, provider: string) =>
      `${name} de ${provider} ya está en tu eUICC. Actívalo en Perfiles para empezar a usarlo.`,
    unnamed: 'El perfil ya está en tu eUICC. Actívalo en Perfiles para empezar a usarlo.',
    unnamedFrom: (provider: string) =>
      `El perfil de ${provider} ya está en tu eUICC. Actívalo en Perfiles para empezar a usarlo.`,
    kiosk: 'Esta pantalla vuelve al inicio en unos segundos.',
    toProfiles: 'Ir a perfiles',
    another: 'Añadir otro',
  },
  back: 'Volver al formulario',
};
