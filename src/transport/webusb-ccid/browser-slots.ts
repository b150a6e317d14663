/**
 * The app's entry point for a reader's every slot at once (the Batch view): `api` is navigator.usb
 * as the page sees it. Shows the browser's chooser (or reuses the one reader granted earlier),
 * opens the reader's best CCID interface (contact first) and returns all its slots
 * (reader-slots.ts). Refusals are the same UsbAccessErrors as for one slot (browser.ts).
 */
import { grantedOrChosen, hasMethod, isEventTarget, pageIsSecure } from '../browser-glue.ts';
import type { GrantedUse } from '../browser-glue.ts';
import { requestCcidReader } from './browser.ts';
import { UsbAccessError } from './errors.ts';
import { looksLikeCcidReader } from './reader-open.ts';
import { ReaderSlots } from './reader-slots.ts';

export { ReaderSlots, SlotEmptyError, type ReaderSlot } from './reader-slots.ts';

export interface RequestReaderSlotsOptions {
  /** Reuse a reader granted earlier instead of (or before) showing the chooser. */
  granted?: GrantedUse;
  /** Whether the page is a secure context (default: globalThis.isSecureContext). */
  isSecureContext?: boolean;
}

/** Whether `api` looks like navigator.usb on a secure page (the Batch view offers the reader then). */
export function readerSlotsAvailable(api: unknown, isSecureContext?: boolean): boolean {
  return pageIsSecure(isSecureContext) && hasMethod(api, 'requestDevice');
}

export async function requestReaderSlots(
  api: unknown,
  options: RequestReaderSlotsOptions = {},
): Promise<ReaderSlots> {
  if (!pageIsSecure(options.isSecureContext)) throw new UsbAccessError('insecureContext');
  if (!hasMethod(api, 'requestDevice')) throw new UsbAccessError('noWebUsb');
  const usb = api as USB;
  const device = await grantedOrChosen(
    options.granted,
    {
      list: (usb as Partial<USB>).getDevices?.bind(usb),
      accept: looksLikeCcidReader,
      none: () => new UsbAccessError('noDevice'),
    },
    () => requestCcidReader(usb),
  );
  return ReaderSlots.open(device, isEventTarget(api) ? { events: api } : {});
}
