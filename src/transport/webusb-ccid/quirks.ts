/**
 * Readers with firmware limits their descriptor does not tell, each with the limit, the reason
 * and where it is documented. The driver applies the limit (smaller messages, shorter GET
 * RESPONSE) and turns an exchange that would still exceed it into a ReaderRefusedError
 * ('firmwareLimit') at once, instead of a bulk transfer the reader never answers.
 */

export interface ReaderQuirk {
  vendorId: number;
  productId: number;
  name: string;
  /** Largest bulk message (CCID header included) the firmware carries. */
  maxMessageLength?: number;
  reason: string;
  source: string;
}

export const READER_QUIRKS: readonly ReaderQuirk[] = [
  {
    vendorId: 0x0a5c,
    productId: 0x5800,
    name: 'Broadcom 5880',
    maxMessageLength: 64,
    reason: 'its firmware cannot carry a bulk transfer longer than 64 bytes',
    source: 'libccid (CCID driver of pcsc-lite) reader list: section "unsupported"',
  },
  {
    vendorId: 0x0a5c,
    productId: 0x5805,
    name: 'Broadcom 5880',
    maxMessageLength: 64,
    reason: 'its firmware cannot carry a bulk transfer longer than 64 bytes',
    source: 'libccid (CCID driver of pcsc-lite) reader list: section "unsupported"',
  },
];

export function findReaderQuirk(vendorId: number, productId: number): ReaderQuirk | undefined {
  return READER_QUIRKS.find((q) => q.vendorId === vendorId && q.productId === productId);
}
