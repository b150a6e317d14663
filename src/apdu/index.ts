/** The APDU layer: ISO 7816-4 commands over a Transport, logical channels and the ISD-R. */
export type { CommandApdu } from './command.ts';
export { encodeCommand, decodeCommand, describeCommand, withLe } from './command.ts';
export type { ResponseApdu } from './response.ts';
export { parseResponse, encodeResponse } from './response.ts';
export { swName, swHex, describeSw, isSuccess, isWarning } from './status-words.ts';
export {
  ApduError,
  MalformedResponseError,
  MalformedCommandError,
  IsdRNotFoundError,
  ChannelError,
  StoreDataBlockRefusedError,
} from './errors.ts';
export type { CardOptions } from './card.ts';
export { Card, getResponseCla } from './card.ts';
export type { ApduChannel } from './channel.ts';
export {
  claForChannel,
  channelOfCla,
  selectByAid,
  LogicalChannel,
  NativeChannel,
  BasicChannel,
  MAX_LOGICAL_CHANNEL,
} from './channel.ts';
export {
  storeDataCommands,
  INS_STORE_DATA,
  P1_MORE_BLOCKS,
  P1_LAST_BLOCK,
  MAX_STORE_DATA_BLOCK,
} from './store-data.ts';
export type { IsdRAid, OpenIsdROptions } from './isd-r.ts';
export {
  ISD_R_AIDS,
  TERMINAL_CAPABILITY,
  IsdR,
  openIsdR,
  storeDataBlockSize,
  FALLBACK_STORE_DATA_BLOCK,
} from './isd-r.ts';
export type { Es10Link } from './es10-link.ts';
