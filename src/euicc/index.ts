/**
 * Software eUICC: an SGP.22 v2.2.2 eUICC in pure TypeScript (browser and Node).
 *
 * ```ts
 * import { createEuicc, createTestIdentity } from './euicc/index.ts';
 * import { VirtualTransport } from './transport/virtual/virtual-transport.ts';
 *
 * const identity = createTestIdentity({ curve: 'P-256', seed: 'demo' }); // CI -> EUM -> eUICC
 * const euicc = createEuicc({ identity, defaultDpAddress: 'testsmdpplus1.example.com' });
 * const transport = new VirtualTransport(euicc);                 // a Transport for the LPA
 * euicc.transmit(Uint8Array.of(0x00, 0x70, 0x00, 0x00, 0x01));  // raw APDUs work too
 * localStorage.setItem('euicc', JSON.stringify(euicc.exportState()));
 * const again = fromState(JSON.parse(localStorage.getItem('euicc')!));
 * ```
 *
 * - `createTestIdentity({ curve, seed?, eid?, ci? })` mints a CI, EUM and eUICC certificate
 *   (valid EID, mod 97) with the project's test PKI; `.ci` is the CI credential to issue a
 *   test SM-DP+ under. `importIdentity({ euiccCert, eumCert, euiccKey, trustedCis })` takes
 *   PEM or DER and checks key/certificate match, EID and chain.
 * - `createEuicc({ identity, config?, defaultDpAddress?, rootDsAddress?, rng?, now?, t0? })`:
 *   pass `rng: seededRng('x')` for reproducible challenges and one-time keys; `t0: true`
 *   delivers every response through 61xx/GET RESPONSE.
 * - `euicc.transmit(apdu)` answers ISO 7816 APDUs synchronously: MANAGE CHANNEL (1-19),
 *   SELECT ISD-R, TERMINAL CAPABILITY, STORE DATA (ES10a/b/c), GET RESPONSE.
 * - `euicc.exportState()` / `fromState(state)`: persistent state as JSON (profiles,
 *   notifications, addresses, identity, and a download session that passed PrepareDownload:
 *   the state models a card that stays powered). `euicc.reset()` ends the session, as on a
 *   real card; a package being loaded is never saved. `fromState` validates every field and
 *   throws EuiccStateError with the JSON path of the first bad one.
 * - `euicc.reset()` resets the card; `euicc.faults` injects failures (`failAfter(n, sw)`,
 *   `dropAfter(n)`, `delay(ms)`), `remove()`/`reinsert()` pull and re-insert it.
 */
import { SoftwareEuicc } from './software-euicc.ts';
import type { CreateEuiccOptions, EuiccRuntimeOptions } from './software-euicc.ts';

export { SoftwareEuicc, ISD_R_AID } from './software-euicc.ts';
export type { CreateEuiccOptions, EuiccRuntimeOptions } from './software-euicc.ts';
export { createTestIdentity, importIdentity } from './identity.ts';
export type {
  EuiccIdentity,
  TestIdentity,
  TestIdentityOptions,
  IdentityInput,
} from './identity.ts';
export type {
  EuiccState,
  EuiccConfig,
  ProfileRecord,
  NotificationRecord,
  RatEntryJson,
} from './state.ts';
export { DEFAULT_CONFIG } from './state.ts';
export { CardRemovedError, EuiccIdentityError, EuiccStateError } from './errors.ts';
export { FaultInjector } from './faults.ts';
export type { FaultAction } from './faults.ts';
export { answerToReset } from './iso7816.ts';

export function createEuicc(options: CreateEuiccOptions): SoftwareEuicc {
  return SoftwareEuicc.create(options);
}

export function fromState(state: unknown, options?: EuiccRuntimeOptions): SoftwareEuicc {
  return SoftwareEuicc.fromState(state, options);
}
