// An empty slot of a reader read as a whole (Batch) is explained as an empty slot, naming the
// reader and the slot, in every language; a link that is gone is still a lost connection.
import { describe, expect, it } from 'vitest';
import { en, loadMessages, LOCALES } from '../../../src/i18n/index.ts';
import { explain, isKnownError } from '../../../src/i18n/explain.ts';
import { TransportClosedError } from '../../../src/transport/transport.ts';
import { SlotEmptyError } from '../../../src/transport/webusb-ccid/reader-slots.ts';
import { LpaError } from '../../../src/lpa/errors.ts';

const empty = new SlotEmptyError('Multi-slot Reader', 2);

describe('SlotEmptyError explained', () => {
  it('has a name of its own and is still a TransportClosedError', () => {
    expect(empty.name).toBe('SlotEmptyError');
    expect(empty).toBeInstanceOf(TransportClosedError);
    expect(empty.message).toBe('no card in Multi-slot Reader slot 2');
    expect(isKnownError(empty)).toBe(true);
  });

  it('in English: no card in the slot, naming the reader and the slot', () => {
    expect(explain(empty, en)).toEqual({
      title: 'No card in this slot',
      detail: 'There is no card in slot 2 of Multi-slot Reader.',
      advice: 'Insert an eUICC into the slot, or leave it empty: the other cards go on.',
      codes: ['SlotEmptyError'],
    });
  });

  it('the card leaving during power-on (a lost link as the cause) is still an empty slot', () => {
    const left = new SlotEmptyError('Multi-slot Reader', 0, {
      cause: new TransportClosedError('card removed'),
    });
    expect(explain(left, en).title).toBe('No card in this slot');
    expect(explain(left, en).codes).toEqual(['SlotEmptyError', 'TransportClosedError']);
  });

  it('a plain TransportClosedError, alone or under an LpaError, is still a lost connection', () => {
    const gone = new TransportClosedError('gone');
    expect(explain(gone, en).title).toBe(en.errors.connectionLost.title);
    const wrapped = new LpaError('transport', 'gone', { cause: gone });
    expect(explain(wrapped, en).title).toBe(en.errors.connectionLost.title);
  });

  for (const locale of LOCALES) {
    it(`${locale}: its own words, naming the reader and the slot`, async () => {
      const m = await loadMessages(locale);
      const e = explain(new SlotEmptyError('Bench-7', 3), m);
      expect(e.title).toBe(m.errors.slotEmpty.title);
      expect(e.advice).toBe(m.errors.slotEmpty.advice);
      expect(e.detail).toContain('Bench-7');
      expect(e.detail).toContain('3');
      expect(e.title).not.toBe(m.errors.connectionLost.title);
      expect(e.title).not.toBe(m.errors.generic.title);
    });
  }
});
