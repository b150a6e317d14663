/**
 * The SGP.22 structures of the test SM-DP+/SM-DS come from the project's one ES10 codec
 * (src/es10/encode.ts and src/es10/decode.ts), shared with the LPA:
 *
 * - built here: serverSigned1 (encodeServerSigned1), smdpSigned2 (encodeSmdpSigned2),
 *   StoreMetadataRequest (encodeStoreMetadata); docs/protocol.md §5.1 steps 3 and 8;
 * - read here, with the exact signed bytes kept for verification (docs/protocol.md §7.2):
 *   EUICCInfo1 (decodeEuiccInfo1), AuthenticateServerResponse
 *   (decodeSignedAuthenticateServerResponse), PrepareDownloadResponse
 *   (decodeSignedPrepareDownloadResponse), CancelSessionResponse
 *   (decodeSignedCancelSessionResponse) and PendingNotification
 *   (decodeSignedPendingNotification).
 *
 * No second codec is kept on purpose: the structures the SM-DP+ reads are written by the
 * software eUICC (src/euicc), whose encoders are its own, so the eUICC and the codec still
 * check each other; the Bound Profile Package is built in bpp.ts and read by src/es10/bpp.ts
 * and the eUICC's own loader. The metadata value types the catalogue uses are the ES10 ones.
 */
export type { IconType, PprName, ProfileClass } from '../../es10/types.ts';
export type { NotificationEventName as EventName } from '../../es10/tags.ts';
