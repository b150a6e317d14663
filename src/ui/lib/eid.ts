/**
 * What an EID's prefix says. An EID (GSMA SGP.29) starts with 89, then a 3-digit country code
 * (ITU-T E.164) and a 3-digit issuer identifier assigned to the eUICC manufacturer (EUM); the
 * known ones, with their sources, are in eum-list.ts. Others show the country only.
 */
import { EID_COUNTRIES, EUM_LIST, type EumProduct } from './eum-list.ts';
import { chip } from '../../i18n/en/chip.ts';

/** The chip texts an EID's line needs (the English ones unless the view passes its language's). */
export interface EidTexts {
  eumIn: (country: string, issuer: string) => string;
  eumProducts: Readonly<Record<EumProduct, string>>;
}

export interface EidInfo {
  manufacturer?: string;
  /** The product, where a longer prefix is known to belong to one (its words: EidTexts). */
  product?: EumProduct;
  /** The country of the EUM's registration, from the country code. */
  country?: string;
  /** The 3-digit issuer identifier. */
  issuer: string;
}

/**
 * The manufacturer, product and country an EID's prefix names, the country in the language
 * `locale` (English unless given); undefined for a non-89 EID.
 */
export function eidInfo(eid: string, locale = 'en'): EidInfo | undefined {
  if (!/^89\d{6}/.test(eid)) return undefined;
  const info: EidInfo = { issuer: eid.slice(5, 8) };
  const region = EID_COUNTRIES[eid.slice(2, 5)];
  if (region !== undefined)
    info.country = new Intl.DisplayNames([locale], { type: 'region' }).of(region) ?? region;
  // The longest matching prefix wins (a product over its manufacturer).
  let best: (typeof EUM_LIST)[number] | undefined;
  for (const e of EUM_LIST) {
    if (eid.startsWith(e.prefix) && (!best || e.prefix.length > best.prefix.length)) best = e;
  }
  if (best) {
    info.manufacturer = best.manufacturer;
    if (best.product !== undefined) info.product = best.product;
  }
  return info;
}

/**
 * One line for the Chip view: "Kigen (9eSIM removable card)", or the country ("An EUM registered
 * in …"), in the words of `texts` and the language `locale` (English unless given); undefined
 * when the prefix says nothing.
 */
export function eidManufacturer(
  eid: string,
  texts: EidTexts = chip,
  locale = 'en',
): string | undefined {
  const info = eidInfo(eid, locale);
  if (!info) return undefined;
  if (info.manufacturer !== undefined)
    return info.product
      ? `${info.manufacturer} (${texts.eumProducts[info.product]})`
      : info.manufacturer;
  return info.country === undefined ? undefined : texts.eumIn(info.country, info.issuer);
}
