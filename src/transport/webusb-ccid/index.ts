/**
 * WebUSB CCID transport: USB smart-card readers (CCID rev 1.1) at short/extended APDU level or
 * TPDU level (T=0, or T=1 through the block engine). `CcidReader.open(device, { events: usb })`
 * then `reader.openSlot(n)`, or `openCcidTransport(device)` for one slot, or
 * `openReaderSlots(device)` for every slot at once (reader-slots.ts); browser.ts finds
 * navigator.usb.
 */
export * from './errors.ts';
export * from './atr.ts';
export * from './ccid-messages.ts';
export * from './descriptors.ts';
export * from './known-readers.ts';
export * from './quirks.ts';
export * from './reader-open.ts';
export * from './slot-protocol.ts';
export * from './t1-link.ts';
export * from './apdu-exchange.ts';
export * from './tpdu-t0.ts';
export * from './tpdu-t1.ts';
export * from './ccid-transport.ts';
export * from './reader-slots.ts';
