/**
 * Code 128 (ISO/IEC 15417) in code set C, for showing the 32-digit EID as a 1-D barcode (as
 * device packaging does). Set C packs two digits per symbol.
 */

/**
 * Bar/space widths of symbol values 0-106 (ISO/IEC 15417 Table 1); each sums to 11 modules,
 * the stop pattern (106) to 13.
 */
export const CODE128_PATTERNS: readonly string[] = [
  '212222',
  '222122',
  '222221',
  '121223',
  '121322',
  '131222',
  '122213',
  '122312',
  '132212',
  '221213',
  '221312',
  '231212',
  '112232',
  '122132',
  '122231',
  '113222',
  '123122',
  '123221',
  '223211',
  '221132',
  '221231',
  '213212',
  '223112',
  '312131',
  '311222',
  '321122',
  '321221',
  '312212',
  '322112',
  '322211',
  '212123',
  '212321',
  '232121',
  '111323',
  '131123',
  '131321',
  '112313',
  '132113',
  '132311',
  '211313',
  '231113',
  '231311',
  '112133',
  '112331',
  '132131',
  '113123',
  '113321',
  '133121',
  '313121',
  '211331',
  '231131',
  '213113',
  '213311',
  '213131',
  '311123',
  '311321',
  '331121',
  '312113',
  '312311',
  '332111',
  '314111',
  '221411',
  '431111',
  '111224',
  '111422',
  '121124',
  '121421',
  '141122',
  '141221',
  '112214',
  '112412',
  '122114',
  '122411',
  '142112',
  '142211',
  '241211',
  '221114',
  '413111',
  '241112',
  '134111',
  '111242',
  '121142',
  '121241',
  '114212',
  '124112',
  '124211',
  '411212',
  '421112',
  '421211',
  '212141',
  '214121',
  '412121',
  '111143',
  '111341',
  '131141',
  '114113',
  '114311',
  '411113',
  '411311',
  '113141',
  '114131',
  '311141',
  '411131',
  '211412',
  '211214',
  '211232',
  '2331112',
];

const START_C = 105;
const STOP = 106;

export class BarcodeError extends Error {
  override readonly name = 'BarcodeError';
}

/** Symbol values for an even-length digit string: start C, pairs, checksum, stop. */
export function code128cValues(digits: string): number[] {
  if (!/^(\d\d)+$/.test(digits))
    throw new BarcodeError('Code 128 set C needs an even number of digits');
  const values = [START_C];
  for (let i = 0; i < digits.length; i += 2) values.push(Number(digits.slice(i, i + 2)));
  // Checksum: start value plus each data value times its position, modulo 103.
  let sum = START_C;
  for (let i = 1; i < values.length; i++) sum += values[i]! * i;
  values.push(sum % 103, STOP);
  return values;
}

/** Bars as [x, width] in modules (spaces omitted), plus the total width incl. 10-module quiet zones. */
export function code128Bars(digits: string): { bars: [number, number][]; width: number } {
  const bars: [number, number][] = [];
  let x = 10;
  for (const v of code128cValues(digits)) {
    const pattern = CODE128_PATTERNS[v]!;
    for (let i = 0; i < pattern.length; i++) {
      const w = Number(pattern[i]);
      if (i % 2 === 0) bars.push([x, w]);
      x += w;
    }
  }
  return { bars, width: x + 10 };
}
