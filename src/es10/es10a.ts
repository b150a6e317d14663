/** ES10a (LPA -> ISD-R, configured addresses), docs/protocol.md §3. */
import type { Es10Link } from '../apdu/es10-link.ts';
import { decodeEuiccConfiguredAddresses, expectOk } from './decode.ts';
import {
  encodeGetEuiccConfiguredAddressesRequest,
  encodeSetDefaultDpAddressRequest,
} from './encode.ts';
import { Es10Tag } from './tags.ts';
import type { EuiccConfiguredAddresses } from './types.ts';

/** GetEuiccConfiguredAddresses (`BF3C`): default SM-DP+ and root SM-DS. */
export async function getEuiccConfiguredAddresses(
  link: Es10Link,
  signal?: AbortSignal,
): Promise<EuiccConfiguredAddresses> {
  return decodeEuiccConfiguredAddresses(
    await link.es10(encodeGetEuiccConfiguredAddressesRequest(), signal),
  );
}

/** SetDefaultDpAddress (`BF3F`); an empty string clears it. Throws Es10Error on a non-ok result. */
export async function setDefaultDpAddress(
  link: Es10Link,
  defaultDpAddress: string,
  signal?: AbortSignal,
): Promise<void> {
  const res = await link.es10(encodeSetDefaultDpAddressRequest(defaultDpAddress), signal);
  expectOk('setDefaultDpAddress', res, Es10Tag.SetDefaultDpAddress);
}
