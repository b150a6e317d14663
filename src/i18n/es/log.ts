import type { Messages } from '../messages.ts';
import { formatNumber, plural } from '../format.ts';

export const log: Messages['log'] = {
  title: 'Registro',
  filterLabel: 'Filtrar el registro',
  filterPlaceholder: 'Filtrar (hex, función, URL…)',
  maskSecrets: 'Ocultar secretos',
  copy: 'Copiar',
  export: 'Exportar',
  exportJson: 'Exportar JSON',
  clear: 'Vaciar',
  entryCopied: 'Entrada copiada.',
  logCopied: 'Registro copiado.',
  shown: (shown: number, total: number) =>
    plural('es', total, {
      one: `Mostrando ${formatNumber('es', shown)} de # intercambio.`,
      other: `Mostrando ${formatNumber('es', shown)} de # intercambios.`,
    }),
  olderBodiesDropped: (n: number) =>
    plural('es', n, {
      one: 'Se descartó el contenido de # entrada antigua.',
      other: 'Se descartó el contenido de # entradas antiguas.',
    }),
  durationMs: (ms: string) => `${ms} ms`,
  empty: 'Aún no hay nada registrado.',
  copyEntry: 'Copiar entrada',
  droppedSummary: (size: string) => `> [${size} descartados del registro]`,
  droppedBody: (size: string) => `${size} descartados para limitar el registro`,
  parts: {
    body: 'Contenido',
    error: 'Mensaje de error',
    command: 'Comando',
    response: 'Respuesta',
    request: 'Solicitud',
    es10Request: (blocks: number) =>
      plural('es', blocks, {
        one: 'Solicitud ES10 (# bloque STORE DATA)',
        other: 'Solicitud ES10 (# bloques STORE DATA)',
      }),
    es10Response: (pieces: number) =>
      plural('es', pieces, {
        one: 'Respuesta ES10 (# fragmento)',
        other: 'Respuesta ES10 (# fragmentos)',
      }),
    requestField: (field: string) => `Solicitud: ${field}`,
    responseField: (field: string) => `Respuesta: ${field}`,
  },
};
