/**
 * The one interface every link to a card implements: WebUSB CCID readers, WebSerial AT modems
 * and the virtual (software) eUICC. The APDU layer consumes it; nothing else talks to a link.
 */

export interface Transport {
  /** Human-readable name of the link, e.g. "ACS ACR39U slot 0" or "Virtual eUICC". */
  readonly label: string;
  /**
   * Largest STORE DATA block this link carries well: 255 where short APDUs pass untouched,
   * 120 for AT modems (some cap their line length). The user may override it lower.
   */
  readonly maxStoreDataBlock: number;
  /** Sends one command APDU (ISO 7816-4 bytes) and resolves with the response data plus SW1 SW2. */
  transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * Present on links that manage logical channels themselves (AT+CCHO/AT+CGLA/AT+CCHC):
   * the APDU layer then uses these instead of MANAGE CHANNEL + SELECT.
   */
  readonly logicalChannels?: NativeLogicalChannels;
  /** Releases the link. Safe to call twice. */
  close(): Promise<void>;
}

export interface NativeLogicalChannels {
  /** Opens a channel to the application `aid` (the modem selects it). */
  open(aid: Uint8Array, signal?: AbortSignal): Promise<NativeLogicalChannel>;
}

export interface NativeLogicalChannel {
  /**
   * Sends an APDU on the channel. The CLA's channel bits are left zero: the modem sets them.
   * Resolves with response data plus SW1 SW2.
   */
  transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * A link that is gone (unplugged, port closed, card removed). Transports throw this. A subclass
 * that says more goes by its own name (SlotEmptyError: a reader's slot holds no card).
 */
export class TransportClosedError extends Error {
  override readonly name: 'TransportClosedError' | 'SlotEmptyError' = 'TransportClosedError';
}
