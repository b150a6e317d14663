/**
 * What the ISD-R's ES10 handlers share (isd-r.ts dispatches; handlers-es10a.ts,
 * handlers-es10b.ts and handlers-es10c.ts implement SGP.22 v2.2.2 §5.7's three interfaces):
 * the persistent `EuiccState`, the card's identity and the one volatile RSP session.
 */
import type { Certificate, EcKeyPair, Rng } from '../rsp/index.ts';
import type { BppLoader } from './bpp-loader.ts';
import type { ParsedIdentity } from './identity.ts';
import type { EuiccPersonality } from './personality.ts';
import type { EuiccState } from './state.ts';

/** The generic error code of every ES10 result (undefinedError). */
export const UNDEFINED_ERROR = 127;

/** The volatile RSP session (docs/protocol.md §5.1): lost on GetEUICCChallenge, reset or power loss. */
export interface RspSession {
  challenge: Uint8Array;
  auth?:
    | {
        txId: Uint8Array;
        serverAddress: string;
        serverChallenge: Uint8Array;
        ci: Certificate;
        smdpOid: string;
        euiccSignature1: Uint8Array;
      }
    | undefined;
  prepared?: { dpPb: Certificate; dpPbDer: Uint8Array; otKey: EcKeyPair } | undefined;
  bpp?: BppLoader | undefined;
}

export interface Es10Result {
  data: Uint8Array;
  /** Status word to finish with (9000, or 91xx when a proactive REFRESH is pending). */
  sw: number;
}

/**
 * The state an ES10 handler works on. State changes follow one rule: compute everything
 * (signatures, notifications, new records) first, then commit with plain assignments, so a
 * failure never leaves half an operation.
 */
export interface IsdRContext {
  readonly state: EuiccState;
  readonly id: ParsedIdentity;
  readonly rng: Rng;
  readonly now: () => Date;
  session: RspSession | undefined;
  /** Set when the last Enable/Disable asked for a REFRESH (tests observe it). */
  lastRefreshRequested: boolean;
  /** The card family whose answers this ISD-R imitates (src/euicc/personality.ts). */
  personality: EuiccPersonality | undefined;
}
