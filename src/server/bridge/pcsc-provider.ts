/**
 * The card bridge's readers in production: the machine's PC/SC readers through
 * src/transport/pcsc (the `smartcard` binding). Readers are named exactly as PC/SC lists them;
 * connections share the card with other programs (the bridge itself gives a reader to one page
 * at a time).
 */
import { listPcscReaders, openPcscTransport, PcscError } from '../../transport/pcsc/index.ts';
import type { PcscOptions } from '../../transport/pcsc/index.ts';
import { TransportClosedError } from '../../transport/transport.ts';
import {
  ReaderProviderError,
  type CardConnection,
  type ReaderProvider,
  type ReaderStatus,
} from './provider.ts';

/** A PC/SC failure as the bridge reports it. */
function asProviderError(e: unknown, reader: string): ReaderProviderError {
  if (e instanceof ReaderProviderError) return e;
  if (e instanceof TransportClosedError)
    return new ReaderProviderError('cardRemoved', `the card in ${reader} went away`, { cause: e });
  if (e instanceof PcscError) {
    switch (e.problem) {
      case 'noCard':
        return new ReaderProviderError('noCard', e.message, { cause: e });
      case 'noReader':
      case 'unknownReader':
        return new ReaderProviderError('unknownReader', e.message, { cause: e });
      case 'readerUnplugged':
      case 'cardLost':
        return new ReaderProviderError('cardRemoved', e.message, { cause: e });
      default:
        return new ReaderProviderError('readerError', e.message, { cause: e });
    }
  }
  return new ReaderProviderError('readerError', e instanceof Error ? e.message : String(e), {
    cause: e,
  });
}

export class PcscReaderProvider implements ReaderProvider {
  constructor(private readonly options: PcscOptions = {}) {}

  async listReaders(): Promise<ReaderStatus[]> {
    try {
      const readers = await listPcscReaders(this.options);
      return readers.map((r) => ({ name: r.name, cardPresent: r.cardPresent }));
    } catch (e) {
      // No reader at all is an empty list, not an error.
      if (e instanceof PcscError && e.problem === 'noReader') return [];
      throw e;
    }
  }

  async connect(reader: string): Promise<CardConnection> {
    const known = await this.listReaders().catch((e: unknown) => {
      throw asProviderError(e, reader);
    });
    // Only the exact name: the transport would also take an index or a part of a name.
    if (!known.some((r) => r.name === reader))
      throw new ReaderProviderError('unknownReader', `no reader named ${reader}`);
    let transport: Awaited<ReturnType<typeof openPcscTransport>>;
    try {
      transport = await openPcscTransport({ ...this.options, reader });
    } catch (e) {
      throw asProviderError(e, reader);
    }
    return {
      ...(transport.atr !== undefined ? { atr: transport.atr } : {}),
      transmit: async (apdu) => {
        try {
          return await transport.transmit(apdu);
        } catch (e) {
          throw asProviderError(e, reader);
        }
      },
      close: () => transport.close(),
    };
  }
}
