import { plural } from '../format.ts';
import type { Messages } from '../messages.ts';

export const profiles: Messages['profiles'] = {
  title: 'Perfiles',
  add: 'Añadir un perfil',
  refresh: 'Actualizar',
  connectFirst: 'Conéctate a una eUICC para ver sus perfiles.',
  none: 'Aún no hay perfiles instalados. Usa «Añadir un perfil» para descargar uno.',
  listLabel: 'Perfiles instalados',
  notificationsWaiting: (n: number) =>
    plural('es', n, {
      one: '# notificación pendiente de enviar.',
      other: '# notificaciones pendientes de enviar.',
    }),
  seeNotifications: 'Ver notificaciones',
  states: { enabled: 'Activado', disabled: 'Desactivado' },
  classes: { operational: 'operativo', test: 'de prueba', provisioning: 'de aprovisionamiento' },
  policyRules: { ppr1: 'no se puede desactivar', ppr2: 'no se puede eliminar' },
  fields: {
    profileName: 'Nombre del perfil',
    profileClass: 'Clase',
    policyRules: 'Reglas',
  },
  nickname: 'Apodo',
  saveNickname: 'Guardar apodo',
  cancel: 'Cancelar',
  enable: 'Activar',
  disable: 'Desactivar',
  rename: 'Renombrar',
  delete: 'Eliminar…',
  disableFirst: 'Desactiva el perfil antes de eliminarlo',
  deleteWarning: (title: string) =>
    `Al eliminar ${title} se borra de la eUICC para siempre; puede que el operador tenga que emitir uno nuevo.`,
  deleteWord: 'ELIMINAR',
  deleteWordLatin: 'DELETE',
  deleteAction: 'Eliminar perfil',
  confirm: { before: 'Escribe ', after: ' para confirmar' },
  busy: {
    enabling: (title: string) => `Activando ${title}`,
    disabling: (title: string) => `Desactivando ${title}`,
    deleting: (title: string) => `Eliminando ${title}`,
    renaming: (title: string) => `Renombrando ${title}`,
  },
  result: {
    enabled: (title: string) => `${title} está activado.`,
    resetNeeded:
      'La tarjeta activó el perfil, pero no puede pedir al dispositivo que lo vuelva a cargar: antes de que el dispositivo lo use, saca y vuelve a insertar la tarjeta, o reinicia el módem (o apaga y enciende su radio).',
    disabled: (title: string) => `${title} está desactivado.`,
    deleted: (title: string) => `${title} se ha eliminado.`,
    renamed: (nickname: string) => `Renombrado a «${nickname}».`,
    nicknameRemoved: 'Apodo eliminado.',
  },
};
