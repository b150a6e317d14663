// A refused AT command explains what the transport learnt from it (SGP.22 has no say here: the
// modem's firmware refused), in every language, and the plain refusal keeps the general advice.
import { describe, expect, it } from 'vitest';
import { en, loadMessages, LOCALES } from '../../../src/i18n/index.ts';
import { explain } from '../../../src/i18n/explain.ts';
import { AtCommandError } from '../../../src/transport/webserial-at/errors.ts';

const refused = new AtCommandError('AT+CGLA=1,10,"80E29100"', '+CME ERROR: 4', 4);

describe('AtCommandError explained', () => {
  it('names the hint in its message', () => {
    expect(refused.withHint('blockRefused').message).toBe(
      'AT+CGLA=1,10,"80E29100" failed: +CME ERROR: 4 (blockRefused)',
    );
  });

  for (const locale of LOCALES) {
    it(`${locale}: each hint has its own advice, the plain refusal the general one`, async () => {
      const m = await loadMessages(locale);
      const plain = explain(refused, m);
      const apdu = explain(refused.withHint('apduRefused'), m);
      const block = explain(refused.withHint('blockRefused'), m);
      expect(plain.advice).toBe(m.errors.atCommand.advice);
      expect(apdu.advice).toBe(m.errors.atCommand.hints.apduRefused);
      expect(block.advice).toBe(m.errors.atCommand.hints.blockRefused);
      expect(new Set([plain.advice, apdu.advice, block.advice]).size).toBe(3);
      expect(block.title).toBe(plain.title);
    });
  }

  it('the English advice for a refused block says 120-byte blocks follow', () => {
    expect(en.errors.atCommand.hints.blockRefused).toMatch(/120-byte blocks/);
  });
});
