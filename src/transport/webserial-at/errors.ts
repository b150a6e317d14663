/** Errors of the WebSerial AT-modem transport. */

/**
 * A command ended in ERROR, +CME ERROR or +CMS ERROR (3GPP TS 27.007 §9.2, TS 27.005 §3.2.5).
 * `cme`/`cms` carry the numeric code, or the verbose text when the modem sent words
 * (e.g. Sierra's "+CME ERROR: Parameters error").
 */
/**
 * What the transport learnt from a refusal, for the explanation shown to the user
 * (src/i18n/explain.ts): the modem would not pass an APDU to the card, or would not carry a
 * STORE DATA block that large (smaller blocks are used from then on).
 */
export type AtCommandHint = 'apduRefused' | 'blockRefused';

export class AtCommandError extends Error {
  override readonly name = 'AtCommandError';
  constructor(
    /** The command line sent, e.g. AT+CCHO="A0000005591010FFFFFFFF8900000100". */
    readonly command: string,
    /** The final result line the modem answered, e.g. "+CME ERROR: 13". */
    readonly line: string,
    readonly cme?: number | string,
    readonly cms?: number | string,
    /** What the refusal means, when the transport knows (named in the message too). */
    readonly hint?: AtCommandHint,
  ) {
    super(`${command} failed: ${line}${hint ? ` (${hint})` : ''}`);
  }

  /** The same failure with what it means. */
  withHint(hint: AtCommandHint): AtCommandError {
    return new AtCommandError(this.command, this.line, this.cme, this.cms, hint);
  }
}

/**
 * The port opened but nothing answers AT (or only noise): another program such as ModemManager
 * reads the port, it is not an AT port, or the modem is still starting.
 */
export class AtNoAnswerError extends Error {
  override readonly name = 'AtNoAnswerError';
  constructor(
    readonly command: string,
    options?: { cause?: unknown },
  ) {
    // What to do (stop ModemManager, try the other AT port) is said by the errors texts.
    super(`The modem does not answer ${command} on this port.`, options);
  }
}

/** The modem did not finish a command in time. */
export class AtTimeoutError extends Error {
  override readonly name = 'AtTimeoutError';
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`${command}: no final result within ${timeoutMs} ms`);
  }
}

/** The modem answered something this driver cannot read (e.g. a +CSIM line without hex). */
export class AtResponseError extends Error {
  override readonly name = 'AtResponseError';
  constructor(
    readonly command: string,
    readonly line: string,
    message: string,
  ) {
    super(`${command}: ${message} (${JSON.stringify(line)})`);
  }
}

/** The modem offers no way to reach the eUICC: neither AT+CCHO/AT+CGLA nor AT+CSIM work. */
export class AtUnsupportedError extends Error {
  override readonly name = 'AtUnsupportedError';
  constructor(
    /** Each strategy tried with the error it ended in. */
    readonly attempts: readonly { command: string; error: Error }[],
  ) {
    super(
      'The modem lets no APDU through to the SIM: it lacks working AT+CCHO/AT+CGLA (3GPP TS ' +
        '27.007 §8.45, §8.43) and AT+CSIM (§8.17). Tried: ' +
        attempts.map((a) => `${a.command} -> ${a.error.message}`).join('; '),
    );
  }
}

export type SerialAccessReason =
  'noWebSerial' | 'insecureContext' | 'noDevice' | 'busy' | 'accessDenied' | 'disconnected';

/** What failed; what to do about it is said by the errors texts (src/i18n/explain.ts). */
const SERIAL_ACCESS_MESSAGES: Readonly<Record<SerialAccessReason, string>> = {
  noWebSerial: 'This browser has no Web Serial.',
  insecureContext: 'Serial access needs a secure page (https:// or http://localhost).',
  noDevice: 'No serial port was chosen.',
  busy: 'The serial port could not be opened: another program or tab holds it.',
  accessDenied: 'The operating system or the browser refused access to the serial port.',
  disconnected: 'The modem was unplugged.',
};

/** Why a serial port cannot be used, with one technical message per kind. */
export class SerialAccessError extends Error {
  override readonly name = 'SerialAccessError';
  constructor(
    readonly reason: SerialAccessReason,
    options?: { cause?: unknown },
  ) {
    super(SERIAL_ACCESS_MESSAGES[reason], options);
  }
}

/**
 * Maps a Web Serial rejection to a SerialAccessError, or returns undefined when it is something
 * else. Chromium: requestPort() with nothing chosen rejects with NotFoundError; open() on a port
 * already open (here or in another tab) with InvalidStateError; open() the OS refuses (held by
 * another program, no permission on the device node) with NetworkError "Failed to open serial
 * port."; a blocked permission policy with SecurityError.
 */
export function classifySerialError(
  err: unknown,
  stage: 'request' | 'open',
): SerialAccessError | undefined {
  if (err instanceof SerialAccessError) return err;
  if (typeof err !== 'object' || err === null) return undefined;
  const name = (err as { name?: unknown }).name;
  if (name === 'NotFoundError')
    return new SerialAccessError(stage === 'request' ? 'noDevice' : 'disconnected', { cause: err });
  if (name === 'SecurityError' || name === 'NotAllowedError')
    return new SerialAccessError('accessDenied', { cause: err });
  if (stage === 'open' && (name === 'InvalidStateError' || name === 'NetworkError'))
    return new SerialAccessError('busy', { cause: err });
  return undefined;
}
