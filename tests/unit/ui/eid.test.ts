// EID prefixes (GSMA SGP.29: 89, country code, issuer) -> manufacturer and product, and the CI
// names the Chip view shows.
import { describe, expect, it } from 'vitest';
import { ciName, knownCi } from '../../../src/es10/index.ts';
import { eidInfo, eidManufacturer } from '../../../src/ui/lib/eid.ts';
import { EUM_LIST } from '../../../src/ui/lib/eum-list.ts';
import { chip as chipDe } from '../../../src/i18n/de/chip.ts';
import { chip as chipJa } from '../../../src/i18n/ja/chip.ts';

describe('EID prefixes', () => {
  it('names the manufacturers of common eUICCs', () => {
    expect(eidManufacturer('89049032123451234512345678901235')).toBe('Giesecke+Devrient');
    expect(eidManufacturer('89033023001211360000000000000000')).toBe('Thales (Gemalto)');
    expect(eidManufacturer('89044045817727484800000048120740')).toBe('Kigen');
    expect(eidInfo('89086030202200000024000070951319')?.manufacturer).toBe('Eastcompeace');
  });

  it('names a product where a longer prefix belongs to one', () => {
    const info = eidInfo('89044045846727494800000000000000');
    expect(info).toMatchObject({
      manufacturer: 'Kigen',
      product: 'nineEsimCard',
      country: 'United Kingdom',
      issuer: '045',
    });
    expect(eidManufacturer('89044045846727494800000000000000')).toBe(
      'Kigen (9eSIM removable card)',
    );
  });

  it('falls back to the country, and to nothing for other EIDs', () => {
    expect(eidManufacturer('89049999000000000000000000000000')).toBe(
      'An EUM registered in Germany (issuer 999)',
    );
    expect(eidManufacturer('89999999000000000000000000000000')).toBeUndefined();
    expect(eidInfo('12345678901234567890123456789012')).toBeUndefined();
  });

  it('keeps a clean list: digits from 89, at least 8 of them, no prefix twice', () => {
    const prefixes = EUM_LIST.map((e) => e.prefix);
    for (const p of prefixes) expect(p).toMatch(/^89\d{6,}$/);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
});

describe('CI names', () => {
  it('knows the second production CI and the SGP.26 v3 test CIs', () => {
    expect(knownCi('4C27967AD20C14B391E9601E41E604AD57C0222F')).toEqual({
      name: 'OISTE GSMA CI G1',
      kind: 'gsma',
    });
    expect(ciName('34eecf13156518d48d30bdf06853404d115f955d')).toBe(
      'GSMA SGP.26 v3 Test CI (NIST P-256)',
    );
    expect(knownCi('2209F61CD9EC5C9C854E787341FF83ECF9776A5B')?.kind).toBe('gsmaTest');
    expect(knownCi('665A1433D67C1A2C5DB8B52C967F10A057BA5CB2')?.kind).toBe('gsmaTest');
  });
});

describe('the country in the user language', () => {
  it('names the EUM country through Intl in the language asked for', () => {
    expect(eidInfo('89049999000000000000000000000000', 'de')?.country).toBe('Deutschland');
    expect(eidInfo('89044999000000000000000000000000', 'ja')?.country).toBe('イギリス');
    expect(eidInfo('89001999000000000000000000000000')?.country).toBe('Northern America');
  });
});

describe('the product in the user language', () => {
  it('names a known product with the language’s words, the manufacturer as it calls itself', () => {
    expect(eidManufacturer('89044045846727494800000000000000', chipDe, 'de')).toBe(
      'Kigen (herausnehmbare 9eSIM-Karte)',
    );
    expect(eidManufacturer('89086030202200000024000070951319', chipJa, 'ja')).toBe(
      'Eastcompeace (5ber、eSIM.me、ESTKme などの着脱式カードがこのチップを使用)',
    );
    expect(eidManufacturer('89049999000000000000000000000000', chipDe, 'de')).toMatch(
      /Deutschland/,
    );
  });
});
