/**
 * EID prefixes -> eUICC manufacturers (EUMs) and, where a longer prefix is known to belong to one
 * product, that product. An EID (GSMA SGP.29; SGP.02 §2.2.2) starts with 89, a 3-digit country
 * code (ITU-T E.164) and a 3-digit issuer identifier: the first 8 digits name the EUM.
 *
 * Sources (facts only, written here in the project's own words; a list of which company holds
 * which number is not itself protected, and this file is under the project's licence):
 *   - GSMA eUICC Identity Scheme (gsma.com/services/esim-eis): the GSMA assigns each EUM its
 *     identity code, the first part of the EID;
 *   - EIDs shown in public issue reports and vendor pages: Giesecke+Devrient (89049032) and
 *     Thales/Gemalto (89033023, also given by Eseye as its Thales-made supplier prefix);
 *   - OpenEUICC's vendor detection (GPL-3.0; its facts, not its code): Eastcompeace chips start
 *     with 89086030, 9eSIM cards (on Kigen chips) with 890440458467274948;
 *   - EasyLPAC/lpac issue reports of removable cards (5ber, eSIM.me, ESTKme on Eastcompeace chips).
 * Only prefixes seen on shipping products are listed; anything else shows the country only.
 */

/** Products (or families of products) known by a longer prefix; their words are in the chip texts. */
export type EumProduct = 'nineEsimCard' | 'eastcompeaceRemovable';

export interface EumEntry {
  /** Leading EID digits: 8 for an EUM, more for a product of that EUM. */
  readonly prefix: string;
  readonly manufacturer: string;
  readonly product?: EumProduct;
}

export const EUM_LIST: readonly EumEntry[] = [
  { prefix: '89049032', manufacturer: 'Giesecke+Devrient' },
  { prefix: '89033023', manufacturer: 'Thales (Gemalto)' },
  { prefix: '89044045', manufacturer: 'Kigen' },
  { prefix: '890440458467274948', manufacturer: 'Kigen', product: 'nineEsimCard' },
  { prefix: '89086030', manufacturer: 'Eastcompeace', product: 'eastcompeaceRemovable' },
];

/**
 * ITU-T E.164 country codes as they appear in EIDs (3 digits, zero-padded), each with the
 * region code (ISO 3166-1, or UN M.49 for a region) that Intl.DisplayNames names in the user's
 * language. 1 is the North American Numbering Plan: UN M.49 021, Northern America.
 */
export const EID_COUNTRIES: Readonly<Record<string, string>> = {
  '001': '021',
  '033': 'FR',
  '034': 'ES',
  '039': 'IT',
  '044': 'GB',
  '049': 'DE',
  '086': 'CN',
  '081': 'JP',
  '082': 'KR',
  '031': 'NL',
  '046': 'SE',
  '358': 'FI',
};
