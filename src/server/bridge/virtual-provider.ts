/**
 * A reader provider over in-process software eUICCs (src/euicc): each slot is a named "reader"
 * whose card can be taken out and put back. Used by the bridge's tests and journeys;
 * `npm run lpa -- bridge` serves the PC/SC readers instead.
 */
import type { SoftwareEuicc } from '../../euicc/software-euicc.ts';
import { TransportClosedError } from '../../transport/transport.ts';
import { VirtualTransport } from '../../transport/virtual/virtual-transport.ts';
import {
  ReaderProviderError,
  type CardConnection,
  type ReaderProvider,
  type ReaderStatus,
} from './provider.ts';

/** The ATR the virtual readers report: T=1, no historical bytes beyond a marker. */
const VIRTUAL_ATR = Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01);

interface Slot {
  euicc: SoftwareEuicc | undefined;
  /** Open connections, closed when the card is taken out. */
  open: Set<VirtualTransport>;
  /** Extra milliseconds per APDU (tests: a card still working when its client vanishes). */
  delayMs: number;
}

export class VirtualReaderProvider implements ReaderProvider {
  private readonly slots = new Map<string, Slot>();

  constructor(readers: Record<string, SoftwareEuicc | undefined>) {
    for (const [name, euicc] of Object.entries(readers))
      this.slots.set(name, { euicc, open: new Set(), delayMs: 0 });
  }

  private slot(name: string): Slot {
    const s = this.slots.get(name);
    if (!s) throw new ReaderProviderError('unknownReader', `no reader named ${name}`);
    return s;
  }

  listReaders(): Promise<ReaderStatus[]> {
    return Promise.resolve(
      [...this.slots].map(([name, s]) => ({ name, cardPresent: s.euicc !== undefined })),
    );
  }

  /** Every APDU to `reader` takes at least `ms` from now on. */
  setDelay(reader: string, ms: number): void {
    this.slot(reader).delayMs = ms;
  }

  /** Takes the card out: open connections fail with 'cardRemoved'. */
  removeCard(reader: string): void {
    const s = this.slot(reader);
    s.euicc = undefined;
    for (const t of s.open) void t.close();
    s.open.clear();
  }

  insertCard(reader: string, euicc: SoftwareEuicc): void {
    this.slot(reader).euicc = euicc;
  }

  connect(reader: string): Promise<CardConnection> {
    try {
      const s = this.slot(reader);
      const euicc = s.euicc;
      if (!euicc) throw new ReaderProviderError('noCard', `no card in ${reader}`);
      const transport = new VirtualTransport(euicc);
      s.open.add(transport);
      const connection: CardConnection = {
        atr: VIRTUAL_ATR,
        transmit: async (apdu) => {
          if (s.delayMs > 0) await new Promise((r) => setTimeout(r, s.delayMs));
          try {
            return await transport.transmit(apdu);
          } catch (e) {
            if (e instanceof TransportClosedError)
              throw new ReaderProviderError('cardRemoved', `the card in ${reader} was removed`, {
                cause: e,
              });
            throw e;
          }
        },
        close: async () => {
          s.open.delete(transport);
          await transport.close();
        },
      };
      return Promise.resolve(connection);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
