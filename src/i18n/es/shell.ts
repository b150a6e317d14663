import type { Messages } from '../messages.ts';
import { plural } from '../format.ts';

export const shell: Messages['shell'] = {
  skipToContent: 'Saltar al contenido',
  notConnected: 'Sin conexión',
  connectionLost: 'Conexión perdida',
  mainMenu: 'Menú principal',
  nav: {
    connect: 'Conectar',
    profiles: 'Perfiles',
    add: 'Añadir perfil',
    chip: 'Chip',
    notifications: 'Notificaciones',
    settings: 'Ajustes',
    log: 'Registro',
    batch: 'Lote',
  },
  waiting: (n: number) => plural('es', n, { one: '# pendiente', other: '# pendientes' }),
  updateReady: 'Hay una nueva versión de WebLPA lista.',
  reloadToUpdate: 'Recargar para actualizar',
};
