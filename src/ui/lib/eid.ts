/**
 * What an EID's prefix says. An EID (GSMA SGP.29) starts with 89, then a 3-digit country code
 * (ITU-T E.164) and a 3-digit issuer identifier assigned to the eUICC manufacturer (EUM).
 * Only prefixes widely reported on shipping devices are named; others show the country only.
 */

const EUM_PREFIXES: Record<string, string> = {
  '89049032': 'Giesecke+Devrient',
  '89033023': 'Thales (Gemalto)',
};

const COUNTRIES: Record<string, string> = {
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

export function eidManufacturer(eid: string): string | undefined {
  const named = EUM_PREFIXES[eid.slice(0, 8)];
  if (named !== undefined) return named;
  const country = COUNTRIES[eid.slice(2, 5)];
  return country === undefined
    ? undefined
    : `An EUM registered in ${country} (issuer ${eid.slice(5, 8)})`;
}
