/**
 * What the card bridge needs from the machine's readers, injected so the bridge runs over PC/SC
 * in production and over in-process software eUICCs in tests: list the readers (with card
 * presence), open one reader's card, send it APDUs. Nothing else (no reader control or escape
 * commands) is reachable through the bridge.
 */

export interface ReaderStatus {
  name: string;
  cardPresent: boolean;
}

/** An open connection to the card in one reader. */
export interface CardConnection {
  /** The card's ATR, when the reader reports it. */
  readonly atr?: Uint8Array;
  /**
   * Sends one command APDU, resolves with response data plus SW1 SW2. A card that was removed
   * (or a reader that went away) rejects with ReaderProviderError 'cardRemoved'.
   */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  /** Releases the card. Safe to call twice. */
  close(): Promise<void>;
}

export interface ReaderProvider {
  listReaders(): Promise<ReaderStatus[]>;
  /** Opens the card in `reader`: rejects with ReaderProviderError 'unknownReader' or 'noCard'. */
  connect(reader: string): Promise<CardConnection>;
  /** Releases the provider (the PC/SC context). */
  close?(): Promise<void>;
}

export type ReaderProviderFailure = 'unknownReader' | 'noCard' | 'cardRemoved' | 'readerError';

export class ReaderProviderError extends Error {
  override readonly name = 'ReaderProviderError';
  constructor(
    readonly reason: ReaderProviderFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
