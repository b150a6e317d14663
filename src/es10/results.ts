/**
 * SGP.22 v2.x result and error code names (docs/protocol.md §3 and §9), keyed by ES10 function.
 * Unknown codes are kept as numbers and named `unknown(<n>)`, never dropped.
 */

export type Es10Function =
  | 'getEuiccConfiguredAddresses'
  | 'setDefaultDpAddress'
  | 'getEuiccInfo1'
  | 'getEuiccInfo2'
  | 'getEid'
  | 'getEuiccChallenge'
  | 'authenticateServer'
  | 'prepareDownload'
  | 'loadBoundProfilePackage'
  | 'cancelSession'
  | 'listNotification'
  | 'retrieveNotificationsList'
  | 'removeNotificationFromList'
  | 'getProfilesInfo'
  | 'enableProfile'
  | 'disableProfile'
  | 'deleteProfile'
  | 'setNickname'
  | 'euiccMemoryReset'
  | 'getRat';

type CodeTable = Readonly<Record<number, string>>;

const UNDEFINED_ERROR = 127;

/** AuthenticateErrorCode (BF38 A1/02), docs/protocol.md §9. */
export const AUTHENTICATE_ERROR_CODES: CodeTable = {
  1: 'invalidCertificate',
  2: 'invalidSignature',
  3: 'unsupportedCurve',
  4: 'noSessionContext',
  5: 'invalidOid',
  6: 'euiccChallengeMismatch',
  7: 'ciPKUnknown',
  [UNDEFINED_ERROR]: 'undefinedError',
};

/** DownloadErrorCode (BF21 A1/02), docs/protocol.md §9. */
export const DOWNLOAD_ERROR_CODES: CodeTable = {
  1: 'invalidCertificate',
  2: 'invalidSignature',
  3: 'unsupportedCurve',
  4: 'noSessionContext',
  5: 'invalidTransactionId',
  [UNDEFINED_ERROR]: 'undefinedError',
};

/** BppCommandId in a ProfileInstallationResult ErrorResult (docs/protocol.md §9). */
export const BPP_COMMAND_IDS: CodeTable = {
  0: 'initialiseSecureChannel',
  1: 'configureISDP',
  2: 'storeMetadata',
  3: 'storeMetadata2',
  4: 'replaceSessionKeys',
  5: 'loadProfileElements',
};

/** ErrorReason in a ProfileInstallationResult ErrorResult (docs/protocol.md §9). */
export const ERROR_REASONS: CodeTable = {
  1: 'incorrectInputValues',
  2: 'invalidSignature',
  3: 'invalidTransactionId',
  4: 'unsupportedCrtValues',
  5: 'unsupportedRemoteOperationType',
  6: 'unsupportedProfileClass',
  7: 'scp03tStructureError',
  8: 'scp03tSecurityError',
  9: 'installFailedDueToIccidAlreadyExistsOnEuicc',
  10: 'installFailedDueToInsufficientMemoryForProfile',
  11: 'installFailedDueToInterruption',
  12: 'installFailedDueToPEProcessingError',
  13: 'installFailedDueToDataMismatch',
  14: 'testProfileInstallFailedDueToInvalidNaaKey',
  15: 'pprNotAllowed',
  31: 'installFailedDueToInsufficientMinimumSecurityLevel',
  32: 'installFailedDueToServerAddressAbsentInEuiccAllowList',
  [UNDEFINED_ERROR]: 'installFailedDueToUnknownError',
};

/** CancelSessionReason (BF41 81), docs/protocol.md §9. */
export const CancelSessionReason = {
  endUserRejection: 0,
  postponed: 1,
  timeout: 2,
  pprNotAllowed: 3,
  metadataMismatch: 4,
  loadBppExecutionError: 5,
  undefinedReason: 127,
} as const;
export type CancelSessionReasonName = keyof typeof CancelSessionReason;

/** Per-function result codes of the simple ES10 calls (docs/protocol.md §3). */
export const RESULT_CODES: Readonly<Partial<Record<Es10Function, CodeTable>>> = {
  setDefaultDpAddress: { 0: 'ok', [UNDEFINED_ERROR]: 'undefinedError' },
  authenticateServer: AUTHENTICATE_ERROR_CODES,
  prepareDownload: DOWNLOAD_ERROR_CODES,
  loadBoundProfilePackage: ERROR_REASONS,
  cancelSession: { 0: 'ok', 5: 'invalidTransactionId', [UNDEFINED_ERROR]: 'undefinedError' },
  listNotification: { [UNDEFINED_ERROR]: 'undefinedError' },
  // noResultAvailable exists in the v2.0-2.2 modules only; v2.5 keeps 127 alone.
  retrieveNotificationsList: { 1: 'noResultAvailable', [UNDEFINED_ERROR]: 'undefinedError' },
  removeNotificationFromList: {
    0: 'ok',
    1: 'nothingToDelete',
    [UNDEFINED_ERROR]: 'undefinedError',
  },
  getProfilesInfo: { 1: 'incorrectInputValues', [UNDEFINED_ERROR]: 'undefinedError' },
  enableProfile: {
    0: 'ok',
    1: 'iccidOrAidNotFound',
    2: 'profileNotInDisabledState',
    3: 'disallowedByPolicy',
    4: 'wrongProfileReenabling',
    5: 'catBusy',
    [UNDEFINED_ERROR]: 'undefinedError',
  },
  disableProfile: {
    0: 'ok',
    1: 'iccidOrAidNotFound',
    2: 'profileNotInEnabledState',
    3: 'disallowedByPolicy',
    5: 'catBusy',
    [UNDEFINED_ERROR]: 'undefinedError',
  },
  deleteProfile: {
    0: 'ok',
    1: 'iccidOrAidNotFound',
    2: 'profileNotInDisabledState',
    3: 'disallowedByPolicy',
    [UNDEFINED_ERROR]: 'undefinedError',
  },
  setNickname: { 0: 'ok', 1: 'iccidNotFound', [UNDEFINED_ERROR]: 'undefinedError' },
  euiccMemoryReset: {
    0: 'ok',
    1: 'nothingToDelete',
    5: 'catBusy',
    [UNDEFINED_ERROR]: 'undefinedError',
  },
};

function nameIn(table: CodeTable | undefined, code: number): string {
  return table?.[code] ?? `unknown(${code})`;
}

/** The SGP.22 name of `code` as returned by `fn`, e.g. ('enableProfile', 2) -> 'profileNotInDisabledState'. */
export function resultName(fn: Es10Function, code: number): string {
  return nameIn(RESULT_CODES[fn], code);
}

export function bppCommandName(id: number): string {
  return nameIn(BPP_COMMAND_IDS, id);
}

export function errorReasonName(reason: number): string {
  return nameIn(ERROR_REASONS, reason);
}

export function cancelSessionReasonName(reason: number): string {
  const entry = Object.entries(CancelSessionReason).find(([, v]) => v === reason);
  return entry ? entry[0] : `unknown(${reason})`;
}
