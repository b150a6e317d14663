/**
 * PC/SC readers on Node through the `smartcard` npm binding (loaded on first use), behind the
 * same SmartCardTransport the Web Smart Card API uses in the browser.
 */
export type {
  PcscBinding,
  PcscNativeCard,
  PcscNativeContext,
  PcscNativeReader,
  PcscNativeReaderState,
} from './binding.ts';
export { isPcscBinding, loadPcscBinding } from './binding.ts';
export type { PcscProblem, PcscResponseCode } from './errors.ts';
export { PcscError, pcscResponseCode, problemOf, toPcscError } from './errors.ts';
export { PcscConnection, PcscContext } from './adapter.ts';
export type { OpenPcscOptions, PcscOptions, PcscReaderInfo } from './open.ts';
export {
  atrProtocols,
  listPcscReaders,
  openPcscTransport,
  pickReader,
  PcscTransport,
} from './open.ts';
