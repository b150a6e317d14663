/**
 * What the LPA needs from an ES9+/ES11 client. `Es9pClient` (src/es9p) satisfies it; tests
 * pass fakes. Binary fields are the exact DER bytes (base64 is the client's business);
 * transaction ids are hex strings as carried in the JSON.
 */

export interface InitiateAuthenticationResult {
  transactionId: string;
  serverSigned1: Uint8Array;
  serverSignature1: Uint8Array;
  euiccCiPKIdToBeUsed: Uint8Array;
  serverCertificate: Uint8Array;
}

export interface AuthenticateClientResult {
  transactionId: string;
  profileMetadata: Uint8Array;
  smdpSigned2: Uint8Array;
  smdpSignature2: Uint8Array;
  smdpCertificate: Uint8Array;
}

export interface Es9pApi {
  initiateAuthentication(
    req: { smdpAddress: string; euiccChallenge: Uint8Array; euiccInfo1: Uint8Array },
    signal?: AbortSignal,
  ): Promise<InitiateAuthenticationResult>;
  authenticateClient(
    req: { smdpAddress: string; transactionId: string; authenticateServerResponse: Uint8Array },
    signal?: AbortSignal,
  ): Promise<AuthenticateClientResult>;
  getBoundProfilePackage(
    req: { smdpAddress: string; transactionId: string; prepareDownloadResponse: Uint8Array },
    signal?: AbortSignal,
  ): Promise<{ transactionId: string; boundProfilePackage: Uint8Array }>;
  handleNotification(
    req: { address: string; pendingNotification: Uint8Array },
    signal?: AbortSignal,
  ): Promise<void>;
  cancelSession(
    req: { smdpAddress: string; transactionId: string; cancelSessionResponse: Uint8Array },
    signal?: AbortSignal,
  ): Promise<void>;
}

/** ES11 (SM-DS): the same two authentication calls, ending in an event list. */
export interface Es11Api {
  initiateAuthentication(
    req: { smdsAddress: string; euiccChallenge: Uint8Array; euiccInfo1: Uint8Array },
    signal?: AbortSignal,
  ): Promise<InitiateAuthenticationResult>;
  authenticateClient(
    req: { smdsAddress: string; transactionId: string; authenticateServerResponse: Uint8Array },
    signal?: AbortSignal,
  ): Promise<{
    transactionId: string;
    eventEntries: { eventId: string; rspServerAddress: string }[];
  }>;
}
