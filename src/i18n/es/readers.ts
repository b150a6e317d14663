import type { Messages } from '../messages.ts';

export const readers: Messages['readers'] = {
  title: (reader: string) => `Elegir dónde está la eUICC en ${reader}`,
  interface: 'Interfaz',
  interfaceLabel: (kind: string, n: number, name: string | undefined) =>
    name ? `${kind} (interfaz ${n}, ${name})` : `${kind} (interfaz ${n})`,
  kinds: {
    contact: 'Con contacto',
    contactless: 'Sin contacto',
    sam: 'SAM',
    unknown: 'Tarjeta',
  },
  cannotUse: (why: string) => `no se puede usar: ${why}`,
  slot: 'Ranura',
  slotLabel: (n: number, state: string) => `Ranura ${n} (${state})`,
  states: {
    active: 'con tarjeta',
    inactive: 'con tarjeta',
    absent: 'vacía',
    unknown: 'sin comprobar',
  },
  useSlot: 'Usar esta ranura',
};
