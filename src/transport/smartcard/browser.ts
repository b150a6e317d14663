/**
 * The smart card transport's entry point the app loads: `api` is navigator.smartCard (the Web
 * Smart Card API, shipped in Chrome on ChromeOS to Isolated Web Apps whose manifest allows the
 * "smart-card" permissions policy; docs/platform.md §1.5). No device chooser: the system's PC/SC
 * service lists its readers, the user grants access when connect() asks.
 */
import { pageIsSecure } from '../browser-glue.ts';
import { isSmartCardApi, type SmartCardReaderStateOut } from './api.ts';
import { SmartCardAccessError, classifySmartCardError } from './errors.ts';
import { SmartCardTransport, transportOptions } from './smartcard-transport.ts';
import { watchCardRemoval, type RemovalWatch } from './watch.ts';

export { SmartCardAccessError } from './errors.ts';

/** Options of requestTransport. */
export interface RequestTransportOptions {
  /** Called once when the card is removed or its reader goes away (not when the link is closed). */
  onDisconnect?: () => void;
  /** Whether the page is a secure context (default: globalThis.isSecureContext). */
  isSecureContext?: boolean;
  /** The PC/SC reader to use; default: the first reader with a card in it. */
  reader?: string;
  /**
   * The app passes this to every hardware link. There is no chooser here, so 'prefer' and
   * 'only' behave alike: the reader is picked as without it.
   */
  granted?: 'prefer' | 'only';
}

async function call<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw classifySmartCardError(err);
  }
}

/** The reader to connect to: the first with a responsive card in it. */
function pickReader(states: readonly SmartCardReaderStateOut[]): SmartCardReaderStateOut {
  const usable = states.find(
    (s) =>
      s.eventState.present === true && s.eventState.mute !== true && s.eventState.unknown !== true,
  );
  if (usable) return usable;
  if (states.some((s) => s.eventState.present === true && s.eventState.mute === true))
    throw new SmartCardAccessError('unresponsiveCard');
  if (states.every((s) => s.eventState.unknown === true || s.eventState.unavailable === true))
    throw new SmartCardAccessError('noReader');
  throw new SmartCardAccessError('noCard');
}

/**
 * Opens the card in a smart card reader as a Transport. Every refusal is a SmartCardAccessError
 * with one plain message: insecureContext, noSmartCardApi, noService, noReader, noCard,
 * permissionDenied, busy, unresponsiveCard, other. `onDisconnect` fires once when the card or
 * reader goes away; the transport then fails with TransportClosedError. close() disconnects with
 * 'leave' and drops both contexts (the API has no call to release a context; the browser
 * releases it with the object).
 */
export async function requestTransport(
  api: unknown,
  options: RequestTransportOptions = {},
): Promise<SmartCardTransport> {
  // The spec exposes navigator.smartCard only in secure, isolated contexts, so the page's
  // secure-context flag comes first: it names the real cause. Outside a browser there is no flag.
  if (!pageIsSecure(options.isSecureContext)) throw new SmartCardAccessError('insecureContext');
  if (!isSmartCardApi(api)) throw new SmartCardAccessError('noSmartCardApi');

  const context = await call(() => api.establishContext());
  const readers = await call(() => context.listReaders());
  if (readers.length === 0) throw new SmartCardAccessError('noReader');
  const wanted = options.reader;
  if (wanted !== undefined && !readers.includes(wanted)) throw new SmartCardAccessError('noReader');
  const names = wanted !== undefined ? [wanted] : readers;
  // 'unaware' makes PC/SC answer at once with each reader's present state.
  const states = await call(() =>
    context.getStatusChange(
      names.map((readerName) => ({ readerName, currentState: { unaware: true } })),
    ),
  );
  const chosen = pickReader(states);
  // T=1 first: it carries case 4 APDUs without the GET RESPONSE round trip T=0 needs.
  const { connection, activeProtocol } = await call(() =>
    context.connect(chosen.readerName, 'shared', { preferredProtocols: ['t1', 't0'] }),
  );

  let watch: RemovalWatch | undefined;
  const transport = new SmartCardTransport(
    connection,
    transportOptions(chosen.readerName, activeProtocol, options.onDisconnect, () => {
      watch?.stop();
      watch = undefined;
    }),
  );
  try {
    const watchContext = await api.establishContext();
    if (transport.state === 'closed') return transport;
    watch = watchCardRemoval(watchContext, chosen, () => {
      transport.markLost();
    });
  } catch {
    // No second context: a removal then still shows as TransportClosedError on the next command.
  }
  return transport;
}
