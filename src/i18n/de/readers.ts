import type { Messages } from '../messages.ts';

export const readers: Messages['readers'] = {
  title: (reader: string) => `Wo steckt die eUICC in ${reader}?`,
  interface: 'Schnittstelle',
  interfaceLabel: (kind: string, n: number, name: string | undefined) =>
    name ? `${kind} (Schnittstelle ${n}, ${name})` : `${kind} (Schnittstelle ${n})`,
  kinds: {
    contact: 'Kontakt',
    contactless: 'Kontaktlos',
    sam: 'SAM',
    unknown: 'Karte',
  },
  cannotUse: (why: string) => `nicht verwendbar: ${why}`,
  slot: 'Steckplatz',
  slotLabel: (n: number, state: string) => `Steckplatz ${n} (${state})`,
  states: {
    active: 'Karte eingelegt',
    inactive: 'Karte eingelegt',
    absent: 'leer',
    unknown: 'noch nicht geprüft',
  },
  useSlot: 'Diesen Steckplatz verwenden',
};
