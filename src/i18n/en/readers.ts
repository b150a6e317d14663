/** English texts of the reader slot picker (a USB reader with several interfaces or slots). */
export const readers = {
  title: (reader: string) => `Choose where the eUICC sits in ${reader}`,
  interface: 'Interface',
  /** An interface: its kind, its number and the name the device gives it, if any. */
  interfaceLabel: (kind: string, n: number, name: string | undefined) =>
    name ? `${kind} (interface ${n}, ${name})` : `${kind} (interface ${n})`,
  kinds: {
    contact: 'Contact',
    contactless: 'Contactless',
    sam: 'SAM',
    unknown: 'Card',
  },
  cannotUse: (why: string) => `cannot be used: ${why}`,
  slot: 'Slot',
  slotLabel: (n: number, state: string) => `Slot ${n} (${state})`,
  states: {
    active: 'card present',
    inactive: 'card present',
    absent: 'empty',
    unknown: 'not checked yet',
  },
  useSlot: 'Use this slot',
};
