/** The Web Smart Card API transport (PC/SC through the browser; Isolated Web Apps on ChromeOS). */
export type {
  SmartCardAccessMode,
  SmartCardConnectionLike,
  SmartCardConnectionState,
  SmartCardConnectionStatus,
  SmartCardConnectResult,
  SmartCardContextLike,
  SmartCardDisposition,
  SmartCardGetStatusChangeOptions,
  SmartCardProtocol,
  SmartCardReaderStateFlagsIn,
  SmartCardReaderStateFlagsOut,
  SmartCardReaderStateIn,
  SmartCardReaderStateOut,
  SmartCardResourceManagerLike,
  SmartCardResponseCode,
} from './api.ts';
export { isSmartCardApi, responseCodeOf } from './api.ts';
export type { SmartCardAccessReason } from './errors.ts';
export { SmartCardAccessError, classifySmartCardError, CARD_GONE_CODES } from './errors.ts';
export type { SmartCardTransportOptions } from './smartcard-transport.ts';
export { SmartCardTransport } from './smartcard-transport.ts';
export type { RemovalWatch } from './watch.ts';
export { watchCardRemoval, cardGone, flagsIn } from './watch.ts';
