/**
 * PC/SC failures seen through the `smartcard` binding, as the Web Smart Card transport sees
 * them: each is turned into its SmartCardResponseCode (the WICG Web Smart Card API's names for
 * the PC/SC SCARD_E_* / SCARD_W_* codes), so SmartCardTransport and the removal watch treat a
 * reader on Node exactly like one in the browser. The errors themselves are
 * SmartCardAccessErrors (same name, same reasons) whose message says what failed; what to do is
 * said once, by the errors texts (src/i18n/explain.ts, which the CLI prints too; the problems
 * whose advice differs on Node from that of their reason have texts of their own there).
 */
import type { SmartCardResponseCode } from '../smartcard/api.ts';
import { SmartCardAccessError } from '../smartcard/errors.ts';
import type { SmartCardAccessReason } from '../smartcard/errors.ts';

/**
 * The codes this transport reports: the spec's SmartCardResponseCode values plus
 * 'no-readers-available' (which the spec folds into an empty reader list).
 */
export type PcscResponseCode = SmartCardResponseCode | 'no-readers-available';

/** PC/SC return codes (pcsc-lite's pcsclite.h, the same values as Windows' winerror.h). */
const BY_NUMBER: ReadonlyMap<number, PcscResponseCode> = new Map([
  [0x8010001d, 'no-service'], // SCARD_E_NO_SERVICE
  [0x8010001e, 'no-service'], // SCARD_E_SERVICE_STOPPED
  [0x80100013, 'no-service'], // SCARD_F_COMM_ERROR: the link to pcscd broke
  [0x8010000c, 'no-smartcard'], // SCARD_E_NO_SMARTCARD
  [0x80100010, 'not-ready'], // SCARD_E_NOT_READY
  [0x80100016, 'not-transacted'], // SCARD_E_NOT_TRANSACTED
  [0x8010000f, 'proto-mismatch'], // SCARD_E_PROTO_MISMATCH
  [0x80100017, 'reader-unavailable'], // SCARD_E_READER_UNAVAILABLE
  [0x80100069, 'removed-card'], // SCARD_W_REMOVED_CARD
  [0x80100068, 'reset-card'], // SCARD_W_RESET_CARD
  [0x80100031, 'server-too-busy'], // SCARD_E_SERVER_TOO_BUSY
  [0x8010000b, 'sharing-violation'], // SCARD_E_SHARING_VIOLATION
  [0x80100012, 'system-cancelled'], // SCARD_E_SYSTEM_CANCELLED
  [0x80100009, 'unknown-reader'], // SCARD_E_UNKNOWN_READER
  [0x80100067, 'unpowered-card'], // SCARD_W_UNPOWERED_CARD
  [0x80100066, 'unresponsive-card'], // SCARD_W_UNRESPONSIVE_CARD
  [0x80100065, 'unsupported-card'], // SCARD_W_UNSUPPORTED_CARD
  [0x8010001f, 'unsupported-feature'], // SCARD_E_UNSUPPORTED_FEATURE
  [0x8010002e, 'no-readers-available'], // SCARD_E_NO_READERS_AVAILABLE
]);

/**
 * The binding rejects with Error(message) where message is its fixed text for the PC/SC code
 * (smartcard 3.x, GetPCSCErrorString), so the text is the code.
 */
const BY_MESSAGE: ReadonlyMap<string, PcscResponseCode> = new Map([
  ['PC/SC service not running', 'no-service'],
  ['PC/SC service stopped', 'no-service'],
  ['Communication error', 'no-service'],
  ['No smart card present', 'no-smartcard'],
  ['Reader not ready', 'not-ready'],
  ['Transaction failed', 'not-transacted'],
  ['Protocol mismatch', 'proto-mismatch'],
  ['Reader unavailable', 'reader-unavailable'],
  ['Card was removed', 'removed-card'],
  ['Card was reset', 'reset-card'],
  ['Sharing violation', 'sharing-violation'],
  ['Sharing violation - card is in use', 'sharing-violation'],
  ['System cancelled operation', 'system-cancelled'],
  ['Unknown reader', 'unknown-reader'],
  ['Card is unpowered', 'unpowered-card'],
  ['Card is unresponsive', 'unresponsive-card'],
  ['Card is not supported', 'unsupported-card'],
  ['No readers available', 'no-readers-available'],
]);

/** The response code of a binding failure (its `code` number, or its message), if known. */
export function pcscResponseCode(err: unknown): PcscResponseCode | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; message?: unknown; responseCode?: unknown };
  if (typeof e.responseCode === 'string') {
    const known = [...BY_NUMBER.values()].find((c) => c === e.responseCode);
    if (known !== undefined) return known;
  }
  if (typeof e.code === 'number') {
    // Signed or unsigned, as different builds report a LONG.
    const byNumber = BY_NUMBER.get(e.code >>> 0);
    if (byNumber !== undefined) return byNumber;
  }
  return typeof e.message === 'string' ? BY_MESSAGE.get(e.message) : undefined;
}

/** What went wrong, in the words the messages below use. */
export type PcscProblem =
  /** The `smartcard` package is missing or its native part was not built. */
  | 'bindingMissing'
  /** pcscd is not running (SCARD_E_NO_SERVICE), or stopped under us. */
  | 'noService'
  /** The system lists no reader at all. */
  | 'noReader'
  /** No reader has the asked-for name or index. */
  | 'unknownReader'
  /** The reader went away (unplugged) while in use. */
  | 'readerUnplugged'
  /** The reader is empty. */
  | 'noCard'
  /** Another program holds the card exclusively (SCARD_E_SHARING_VIOLATION). */
  | 'busy'
  /** The card does not answer, or speaks no protocol the reader offers. */
  | 'unresponsiveCard'
  /** Another program or the reader reset the card; the connection was re-established. */
  | 'cardReset'
  /** The exchange with the card failed (it stopped answering, lost power or was removed). */
  | 'cardLost'
  | 'other';

const MESSAGES: Readonly<Record<PcscProblem, string>> = {
  bindingMissing:
    'The PC/SC binding (the optional npm package "smartcard") is not installed or not built.',
  noService: 'The PC/SC service (pcscd) is not running.',
  noReader: 'No smart card reader was found.',
  unknownReader: 'No such reader.',
  readerUnplugged: 'The reader went away (unplugged?).',
  noCard: 'The reader has no card in it.',
  busy:
    'Another program holds the reader exclusively (a modem manager, another LPA, or a ' +
    'command run with --exclusive).',
  unresponsiveCard: 'The card in the reader does not answer.',
  cardReset:
    'The card was reset by another program or by the reader. The connection was ' +
    're-established and the eUICC channel is reopened on the next command.',
  cardLost: 'The exchange with the card failed: it stopped answering, lost power or was removed.',
  other: 'The PC/SC service reported an error.',
};

const REASONS: Readonly<Record<PcscProblem, SmartCardAccessReason>> = {
  bindingMissing: 'noSmartCardApi',
  noService: 'noService',
  noReader: 'noReader',
  unknownReader: 'noReader',
  readerUnplugged: 'noReader',
  noCard: 'noCard',
  busy: 'busy',
  unresponsiveCard: 'unresponsiveCard',
  cardReset: 'other',
  cardLost: 'other',
  other: 'other',
};

/** The problem a response code stands for. */
export function problemOf(code: PcscResponseCode | undefined): PcscProblem {
  switch (code) {
    case 'no-service':
      return 'noService';
    case 'no-readers-available':
      return 'noReader';
    case 'unknown-reader':
      return 'unknownReader';
    case 'reader-unavailable':
      return 'readerUnplugged';
    case 'no-smartcard':
    case 'removed-card':
      return 'noCard';
    case 'sharing-violation':
      return 'busy';
    case 'unresponsive-card':
    case 'unpowered-card':
    case 'unsupported-card':
    case 'proto-mismatch':
      return 'unresponsiveCard';
    case 'reset-card':
      return 'cardReset';
    case 'not-transacted':
      return 'cardLost';
    default:
      return 'other';
  }
}

function errorText(cause: unknown): string | undefined {
  return cause instanceof Error ? cause.message : undefined;
}

/**
 * A PC/SC failure: a SmartCardAccessError (so the LPA and the CLI treat it as a reader error)
 * whose `reason` is the SmartCardAccessReason every reader error has, with `problem` naming the
 * finer PC/SC case, `responseCode` the PC/SC code behind it and a message that
 * says what failed. `detail` (e.g. the reader's name) is appended to the message.
 */
export class PcscError extends SmartCardAccessError {
  /** The finer case behind `reason`; the CLI prints it as the error's `problem`. */
  readonly problem: PcscProblem;
  constructor(
    problem: PcscProblem,
    options: { cause?: unknown; responseCode?: PcscResponseCode; detail?: string } = {},
  ) {
    super(REASONS[problem], {
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
      ...(options.responseCode !== undefined ? { responseCode: options.responseCode } : {}),
    });
    this.problem = problem;
    const why =
      problem === 'other' || problem === 'bindingMissing' ? errorText(options.cause) : undefined;
    this.message =
      MESSAGES[problem] +
      (options.detail !== undefined ? ` (${options.detail})` : '') +
      (why !== undefined ? ` [${why}]` : '');
  }
}

/**
 * Maps a failure of the binding to a PcscError carrying its response code. A PcscError is
 * returned as it is; `detail` names the reader for the message.
 */
export function toPcscError(err: unknown, detail?: string): PcscError {
  if (err instanceof PcscError) return err;
  const code = pcscResponseCode(err);
  return new PcscError(problemOf(code), {
    cause: err,
    ...(code !== undefined ? { responseCode: code } : {}),
    ...(detail !== undefined ? { detail } : {}),
  });
}
