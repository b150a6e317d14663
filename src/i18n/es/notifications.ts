import type { Messages } from '../messages.ts';

const unsent =
  'Si la quitas sin enviarla, el operador nunca lo sabrá: la línea puede seguir activa o facturándose, y puede que el operador no te deje volver a descargar el perfil.';

export const notifications: Messages['notifications'] = {
  title: 'Notificaciones',
  sendAll: 'Enviar todas',
  intro:
    'La eUICC guarda una notificación firmada de cada cambio de perfil para el servidor del operador.',
  policyAll: 'Se envían automáticamente tras cada cambio; las pendientes aparecen aquí.',
  policyNone:
    'Se envían cuando tú decidas (Ajustes conserva todos los tipos); las pendientes aparecen aquí.',
  policySome: (kinds: string) =>
    `Las notificaciones de ${kinds} se envían al momento; las demás, cuando tú decidas (Ajustes). Las pendientes aparecen aquí.`,
  kindNouns: {
    install: 'instalación',
    enable: 'activación',
    disable: 'desactivación',
    delete: 'eliminación',
  },
  connectFirst: 'Conecta una eUICC para ver sus notificaciones.',
  none: 'No hay notificaciones pendientes.',
  caption: 'Notificaciones pendientes',
  columns: {
    number: 'N.º',
    event: 'Evento',
    server: 'Servidor',
    actions: 'Acciones',
  },
  events: {
    install: 'Instalado',
    enable: 'Activado',
    disable: 'Desactivado',
    delete: 'Eliminado',
  },
  installFailed: 'Instalación fallida',
  send: 'Enviar',
  sendLabel: (seq: number) => `Enviar la notificación ${seq}`,
  remove: 'Quitar',
  removeLabel: (seq: number) => `Quitar la notificación ${seq}`,
  deleteWarning: (server: string, iccid: string) =>
    `Esta notificación comunica a ${server} que el perfil ${iccid} se ha eliminado. ${unsent}`,
  deleteWarningNoIccid: (server: string) =>
    `Esta notificación comunica a ${server} que se ha eliminado un perfil. ${unsent}`,
  removeUnsent: 'Quitar sin enviar',
  removeUnsentLabel: (seq: number) => `Quitar la notificación ${seq} sin enviarla`,
  sendInstead: 'Enviarla en su lugar',
  keep: 'Conservarla',
};
