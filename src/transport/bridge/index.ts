export {
  BridgeClient,
  bridgeAddress,
  type BridgeClientOptions,
  type WebSocketLike,
} from './client.ts';
export {
  BridgeTransport,
  openBridgeTransport,
  type OpenBridgeOptions,
} from './bridge-transport.ts';
export { BridgeError, type BridgeFailure } from './errors.ts';
export { DEFAULT_BRIDGE_PORT, DEFAULT_BRIDGE_URL, type ReaderEntry } from './protocol.ts';
