/** Errors of the WebSerial AT-modem transport. */

/**
 * A command ended in ERROR, +CME ERROR or +CMS ERROR (3GPP TS 27.007 §9.2, TS 27.005 §3.2.5).
 * `cme`/`cms` carry the numeric code, or the verbose text when the modem sent words
 * (e.g. Sierra's "+CME ERROR: Parameters error").
 */
export class AtCommandError extends Error {
  override readonly name = 'AtCommandError';
  constructor(
    /** The command line sent, e.g. AT+CCHO="A0000005591010FFFFFFFF8900000100". */
    readonly command: string,
    /** The final result line the modem answered, e.g. "+CME ERROR: 13". */
    readonly line: string,
    readonly cme?: number | string,
    readonly cms?: number | string,
  ) {
    super(`${command} failed: ${line}`);
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
      'The modem lets no APDU through to the SIM: ' +
        attempts.map((a) => `${a.command} -> ${a.error.message}`).join('; ') +
        '. Some modems (e.g. SIMCom SIM7600) have no eSIM AT commands at all.',
    );
  }
}
