/**
 * What the slot, T=1 and APDU modules need from an opened reader: one command at a time on the
 * bulk pipe, the reader's descriptor, and the limits that apply to it (descriptor and quirks).
 */
import type { CcidResponse } from './ccid-messages.ts';
import type { CcidClassDescriptor, ExchangeLevel } from './descriptors.ts';
import type { ReaderQuirk } from './quirks.ts';
import type { UsbControlSetup, UsbInResult } from '../usb-types.ts';

export interface CcidPipe {
  readonly name: string;
  readonly descriptor: CcidClassDescriptor;
  readonly exchangeLevel: ExchangeLevel;
  readonly interfaceNumber: number;
  /** dwMaxCCIDMessageLength, lowered by a firmware quirk when there is one. */
  readonly maxMessageLength: number;
  readonly quirk: ReaderQuirk | undefined;
  readonly timeoutMs: number;
  /** Sends one bulk message and returns its answer (time extensions and stale answers skipped). */
  command(
    build: (seq: number) => Uint8Array,
    slot: number,
    timeoutMs?: number,
  ): Promise<CcidResponse>;
  /** XfrBlock of `data`, refused before sending when it cannot fit the reader's limits. */
  xfr(
    slot: number,
    data: Uint8Array,
    level: number,
    bwi?: number,
    timeoutMs?: number,
  ): Promise<CcidResponse>;
  /** A class request on the CCID interface (GET_DATA_RATES and friends, §5.3). */
  controlIn(setup: UsbControlSetup, length: number): Promise<UsbInResult>;
}
