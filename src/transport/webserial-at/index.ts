/**
 * WebSerial AT-modem transport: APDUs through AT+CCHO/AT+CGLA/AT+CCHC (as native logical
 * channels) or AT+CSIM, detected by trying. `openAtTransport(port)` with a SerialPort-like object;
 * browser.ts finds navigator.serial.
 */
export * from './errors.ts';
export * from './at-lines.ts';
export * from './at-runner.ts';
export * from './serial-port.ts';
export * from './at-transport.ts';
