/**
 * What the browser entry points of the hardware transports (webusb-ccid, webusb-at, webserial-at
 * and smartcard browser.ts) share: the secure-context answer, API shape checks, picking the one
 * device a page was already granted, and a watch for the chosen USB device's unplugging. Pure:
 * the browser objects are always passed in.
 */
import type { Transport } from './transport.ts';

/** Whether the page is a secure context: the given flag, else the global one, else (Node) yes. */
export function pageIsSecure(flag: boolean | undefined): boolean {
  return flag ?? (globalThis as { isSecureContext?: boolean }).isSecureContext ?? true;
}

/** `api` is an object with a method `name` (e.g. navigator.usb's requestDevice). */
export function hasMethod(api: unknown, name: string): boolean {
  return (
    typeof api === 'object' &&
    api !== null &&
    typeof (api as Record<string, unknown>)[name] === 'function'
  );
}

export function isEventTarget(api: unknown): api is EventTarget {
  return hasMethod(api, 'addEventListener') && hasMethod(api, 'removeEventListener');
}

/**
 * Whether to open a device the page was already granted (USB.getDevices, Serial.getPorts)
 * without the browser's chooser: 'prefer' uses it when exactly one is present and shows the
 * chooser otherwise; 'only' never shows the chooser (no user gesture needed, e.g. when a device
 * is plugged back in). Absent: always the chooser.
 */
export type GrantedUse = 'prefer' | 'only';

/** The one device among those granted earlier that `accept`s, if there is exactly one. */
async function singleGranted<T>(
  list: (() => Promise<readonly T[]>) | undefined,
  accept: (device: T) => boolean,
): Promise<T | undefined> {
  if (!list) return undefined;
  try {
    const found = (await list()).filter(accept);
    return found.length === 1 ? found[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The device to open, as `use` asks (see GrantedUse): a granted one that `accept`s, else
 * the chooser's. With 'only' and no such device, throws `none()` (the transport's noDevice).
 */
export async function grantedOrChosen<T>(
  use: GrantedUse | undefined,
  granted: {
    list: (() => Promise<readonly T[]>) | undefined;
    accept?: (device: T) => boolean;
    none: () => Error;
  },
  choose: () => Promise<T>,
): Promise<T> {
  if (use !== undefined) {
    const device = await singleGranted(granted.list, granted.accept ?? (() => true));
    if (device !== undefined) return device;
    if (use === 'only') throw granted.none();
  }
  return choose();
}

/**
 * Calls `onGone` once when `events` (navigator.usb) reports `device` disconnected; returns the
 * function that stops watching.
 */
export function watchUsbDisconnect(
  events: EventTarget | undefined,
  device: unknown,
  onGone: (() => void) | undefined,
): () => void {
  if (!events || !onGone) return () => undefined;
  const handler = (event: Event): void => {
    if ((event as Event & { device?: unknown }).device !== device) return;
    stop();
    onGone();
  };
  const stop = (): void => {
    events.removeEventListener('disconnect', handler);
  };
  events.addEventListener('disconnect', handler);
  return stop;
}

/** `transport` with `beforeClose` run first when it is closed (e.g. to stop a watch). */
export function closingWith(transport: Transport, beforeClose: () => void): Transport {
  const wrapped: Transport = {
    label: transport.label,
    maxStoreDataBlock: transport.maxStoreDataBlock,
    transmit: (apdu, signal) => transport.transmit(apdu, signal),
    close: async () => {
      beforeClose();
      await transport.close();
    },
  };
  return transport.logicalChannels
    ? { ...wrapped, logicalChannels: transport.logicalChannels }
    : wrapped;
}
