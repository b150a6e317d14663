/**
 * WebUSB AT-modem transport: the AT protocol of ../webserial-at over a modem's vendor-class (or
 * CDC-Data) bulk endpoint pair. `openUsbModemTransport(device)` with a USBDevice-like object
 * probes for the AT interface and starts an AtTransport; browser.ts (loaded on demand) shows the
 * chooser and exports `requestTransport(navigator.usb, ...)`.
 */
export * from './errors.ts';
export * from './usb-stream.ts';
export * from './modem.ts';
