/**
 * eUICC personalities: the software eUICC behaving like the removable and embedded eUICCs that
 * public reports describe, so the LPA can be tested against each. A personality is chosen by name
 * (`createEuicc({ identity, personality: '5ber' })` or `fromState(state, { personality })`) and
 * changes only how the card answers, never the SGP.22 logic behind it.
 *
 * Sources (facts only, in our own words):
 *   5ber, esimme, xesim  lpac and EasyLPAC issues (e.g. EasyLPAC #34, lpac #212) and lpac's list of
 *                        ISD-R AIDs: removable eUICCs whose ISD-R answers only to a vendor AID.
 *   block6700, block6601 reports of removable eUICCs and readers that refuse STORE DATA blocks of
 *                        more than 120 bytes (Wrong length 6700, or 6601), the reason LPAs on
 *                        such links send 120-byte blocks.
 *   noOptional           cards of SGP.22 before v2.2 without ES10b.GetRAT; lpac's chip info goes
 *                        on without ES10c.ex GetEUICCInfo2 (6D00 / 6A88 to the STORE DATA).
 *   refreshAfterEnable   lpac issues #13/#14 (5ber, ECP cards): EnableProfile with refreshFlag
 *                        set fails, without it the card enables and needs a reset; lpac pull
 *                        request #450 (power-cycling the SIM after enable).
 *   threeChannels        ETSI TS 102 221: many UICCs offer only logical channels 1-3.
 *   t0Only               cards on T=0 only: every response to a case 4 command comes as 61xx.
 *   fullMemory           SGP.22 installFailedDueToInsufficientMemoryForProfile (10) when the
 *                        profile does not fit.
 *   slow                 cards that need time extensions (ISO/IEC 7816-3 WTX / T=0 NULL bytes):
 *                        a delay per APDU.
 */

/** ISD-R AIDs of removable eUICCs (the LPA probes them, src/apdu/isd-r.ts). */
export const VENDOR_ISD_R_AIDS = {
  esimme: 'A0000005591010000000008900000300',
  '5ber': 'A0000005591010FFFFFFFF8900050500',
  xesim: 'A0000005591010FFFFFFFF8900000177',
} as const;

export interface EuiccPersonality {
  /** Public source of the behaviour. */
  readonly source: string;
  /** The ISD-R answers only to this AID (upper-case hex) instead of the standard one. */
  readonly isdRAid?: string;
  /** STORE DATA blocks with more data bytes than this are refused with `blockRefusalSw`. */
  readonly maxStoreDataBlock?: number;
  readonly blockRefusalSw?: number;
  /** ES10 functions (their request tags) the card does not know, and the SW it answers. */
  readonly missingFunctions?: readonly { readonly tag: number; readonly sw: number }[];
  /**
   * EnableProfile with refreshFlag set is refused (undefinedError); without it the profile is
   * enabled and the card must be reset (removed, or the modem's SIM powered off and on).
   */
  readonly refreshAfterEnable?: boolean;
  /** Highest logical channel number the card opens (default 19). */
  readonly maxChannel?: number;
  /** Every response through 61xx + GET RESPONSE (T=0). */
  readonly t0?: boolean;
  /** NVM for profiles, bytes (replaces the config's nvmBytes when the card is created). */
  readonly nvmBytes?: number;
  /** Milliseconds per APDU (honoured by VirtualTransport through the fault injector's delay). */
  readonly delayMs?: number;
}

export type EuiccPersonalityName =
  | 'standard'
  | '5ber'
  | 'esimme'
  | 'xesim'
  | 'block6700'
  | 'block6601'
  | 'noOptional'
  | 'refreshAfterEnable'
  | 'threeChannels'
  | 't0Only'
  | 'fullMemory'
  | 'slow';

/** ES10b.GetRAT and ES10b.GetEUICCInfo2 request tags (SGP.22 v2.2.2 §5.7.22, §5.7.8). */
const TAG_GET_RAT = 0xbf43;
const TAG_GET_EUICC_INFO2 = 0xbf22;

export const EUICC_PERSONALITIES: Readonly<Record<EuiccPersonalityName, EuiccPersonality>> = {
  standard: { source: 'SGP.22 v2.2.2 (the standard ISD-R AID, §2.2.3)' },
  '5ber': {
    source: "lpac's ISD-R AID list, 5ber.eSIM removable cards",
    isdRAid: VENDOR_ISD_R_AIDS['5ber'],
  },
  esimme: {
    source: "lpac's ISD-R AID list, eSIM.me removable cards",
    isdRAid: VENDOR_ISD_R_AIDS.esimme,
  },
  xesim: {
    source: "lpac's ISD-R AID list, Xesim removable cards",
    isdRAid: VENDOR_ISD_R_AIDS.xesim,
    maxChannel: 3,
  },
  block6700: {
    source: 'removable eUICCs refusing STORE DATA blocks over 120 bytes (Wrong length)',
    maxStoreDataBlock: 120,
    blockRefusalSw: 0x6700,
  },
  block6601: {
    source: 'removable eUICCs failing STORE DATA blocks over 120 bytes with 6601',
    maxStoreDataBlock: 120,
    blockRefusalSw: 0x6601,
  },
  noOptional: {
    source: 'cards before SGP.22 v2.2 (no GetRAT); lpac chip info without GetEUICCInfo2',
    missingFunctions: [
      { tag: TAG_GET_RAT, sw: 0x6a88 },
      { tag: TAG_GET_EUICC_INFO2, sw: 0x6d00 },
    ],
  },
  refreshAfterEnable: {
    source: 'lpac issues #13/#14 (refreshFlag refused), lpac pull request #450 (SIM power cycle)',
    refreshAfterEnable: true,
  },
  threeChannels: { source: 'ETSI TS 102 221 (logical channels 1-3 only)', maxChannel: 3 },
  t0Only: { source: 'ISO/IEC 7816-3 T=0 cards (case 4 answered with 61xx)', t0: true },
  fullMemory: {
    source: 'SGP.22 v2.2.2 §5.7.6 installFailedDueToInsufficientMemoryForProfile',
    nvmBytes: 1024,
  },
  slow: { source: 'slow cards needing time extensions (ISO/IEC 7816-3)', delayMs: 40 },
};

/** A personality by name, or the object itself. */
export function resolvePersonality(
  p: EuiccPersonalityName | EuiccPersonality | undefined,
): EuiccPersonality | undefined {
  if (p === undefined) return undefined;
  if (typeof p !== 'string') return p;
  const found = EUICC_PERSONALITIES[p];
  if (!found) throw new RangeError(`unknown eUICC personality ${JSON.stringify(p)}`);
  return found;
}

/** The two-byte tag at the start of an ES10 request, or the one-byte tag. */
export function requestTag(request: Uint8Array): number | undefined {
  const first = request[0];
  if (first === undefined) return undefined;
  if ((first & 0x1f) === 0x1f && request.length >= 2) return (first << 8) | request[1]!;
  return first;
}
