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

export interface EumEntry {
  /** Leading EID digits: 8 for an EUM, more for a product of that EUM. */
  readonly prefix: string;
  readonly manufacturer: string;
  readonly product?: string;
}

export const EUM_LIST: readonly EumEntry[] = [
  { prefix: '89049032', manufacturer: 'Giesecke+Devrient' },
  { prefix: '89033023', manufacturer: 'Thales (Gemalto)' },
  { prefix: '89044045', manufacturer: 'Kigen' },
  { prefix: '890440458467274948', manufacturer: 'Kigen', product: '9eSIM removable card' },
  {
    prefix: '89086030',
    manufacturer: 'Eastcompeace',
    product: 'removable cards such as 5ber, eSIM.me and ESTKme use these chips',
  },
];

/** ITU-T E.164 country codes as they appear in EIDs (3 digits, zero-padded). */
export const EID_COUNTRIES: Readonly<Record<string, string>> = {
  '001': 'North America',
  '033': 'France',
  '034': 'Spain',
  '039': 'Italy',
  '044': 'United Kingdom',
  '049': 'Germany',
  '086': 'China',
  '081': 'Japan',
  '082': 'South Korea',
  '031': 'Netherlands',
  '046': 'Sweden',
  '358': 'Finland',
};
