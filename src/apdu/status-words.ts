/**
 * Status words (SW1 SW2) of ISO/IEC 7816-4 §5.6, ETSI TS 102 221 §10.2 and the GlobalPlatform
 * Card Specification §11.1.3, with the one decision the APDU layer needs: does an SW end a
 * command successfully?
 */

const EXACT: ReadonlyMap<number, string> = new Map([
  [0x9000, 'Success'],
  [0x6200, 'Warning: no information given, non-volatile memory unchanged'],
  [0x6281, 'Warning: part of the returned data may be corrupted'],
  [0x6282, 'Warning: end of file or record reached before reading Ne bytes'],
  [0x6283, 'Warning: selected file deactivated'],
  [0x6284, 'Warning: file control information not formatted correctly'],
  [0x6285, 'Warning: selected file in termination state'],
  [0x62f1, 'Warning: more data available'],
  [0x62f2, 'Warning: more data available and proactive command pending'],
  [0x6300, 'Warning: no information given, non-volatile memory changed (authentication failed)'],
  [0x6310, 'Warning: more data available'],
  [0x6400, 'Execution error: non-volatile memory unchanged'],
  [0x6500, 'Execution error: non-volatile memory changed'],
  [0x6581, 'Memory problem'],
  [0x6700, 'Wrong length'],
  [0x6800, 'Functions in CLA not supported'],
  [0x6881, 'Logical channel not supported'],
  [0x6882, 'Secure messaging not supported'],
  [0x6883, 'Last command of the chain expected'],
  [0x6884, 'Command chaining not supported'],
  [0x6900, 'Command not allowed'],
  [0x6981, 'Command incompatible with file structure'],
  [0x6982, 'Security status not satisfied'],
  [0x6983, 'Authentication method blocked'],
  [0x6984, 'Reference data not usable'],
  [0x6985, 'Conditions of use not satisfied'],
  [0x6986, 'Command not allowed (no current EF)'],
  [0x6999, 'Applet selection failed'],
  [0x6a80, 'Incorrect parameters in the data field'],
  [0x6a81, 'Function not supported'],
  [0x6a82, 'File or application not found'],
  [0x6a83, 'Record not found'],
  [0x6a84, 'Not enough memory space'],
  [0x6a86, 'Incorrect parameters P1-P2'],
  [0x6a87, 'Lc inconsistent with P1-P2'],
  [0x6a88, 'Referenced data not found'],
  [0x6a89, 'File already exists'],
  [0x6a8a, 'DF name already exists'],
  [0x6b00, 'Wrong parameters P1-P2'],
  [0x6d00, 'Instruction code not supported or invalid'],
  [0x6e00, 'Class not supported'],
  [0x6f00, 'Technical problem, no precise diagnosis'],
  [0x9240, 'Memory problem'],
  [0x9310, 'SIM Application Toolkit busy'],
  [0x9400, 'No EF selected'],
  [0x9408, 'File inconsistent with the command'],
  [0x9840, 'Authentication or PIN method blocked'],
]);

function hex4(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** A readable name for a status word, e.g. `swName(0x6a82)` = "File or application not found". */
export function swName(sw: number): string {
  const exact = EXACT.get(sw);
  if (exact !== undefined) return exact;
  const sw1 = sw >> 8;
  const xx = sw & 0xff;
  switch (sw1) {
    case 0x61:
      return `${xx === 0 ? 256 : xx} more response bytes available (GET RESPONSE)`;
    case 0x6c:
      return `Wrong Le: resend with Le = ${xx === 0 ? 256 : xx}`;
    case 0x91:
      return `Success, proactive command of ${xx} bytes pending`;
    case 0x92:
      return `Success with extra information ${hex4(sw).slice(2)}`;
    case 0x62:
      return 'Warning: non-volatile memory unchanged';
    case 0x63:
      if ((xx & 0xf0) === 0xc0) return `Verification failed, ${xx & 0x0f} tries left`;
      return 'Warning: non-volatile memory changed';
    case 0x64:
      return 'Execution error: non-volatile memory unchanged';
    case 0x65:
      return 'Execution error: non-volatile memory changed';
    case 0x66:
      return 'Security-related issue';
    case 0x67:
      return 'Wrong length';
    case 0x68:
      return 'Functions in CLA not supported';
    case 0x69:
      return 'Command not allowed';
    case 0x6a:
      return 'Wrong parameters P1-P2';
    case 0x98:
      return 'Security management error';
    default:
      return `Unknown status word ${hex4(sw)}`;
  }
}

/** "6A82 (File or application not found)": the form used in error messages and logs. */
export function describeSw(sw: number): string {
  return `${hex4(sw)} (${swName(sw)})`;
}

/**
 * Whether `sw` ends a command successfully.
 *
 * - `9000`: normal ending (ISO/IEC 7816-4 §5.6).
 * - `91xx`: normal ending plus a pending proactive command of xx bytes (ETSI TS 102 221
 *   §10.2.1.1); eUICCs send it after Enable/Disable with the refresh flag.
 * - `92xx`: normal ending with information about an ongoing data transfer session (TS 102 221
 *   §10.2.1.1) or after `xx` internal update retries (3GPP TS 51.011 §9.4.2), except `9240`,
 *   which both define as a memory problem.
 *
 * Warnings (`62xx`, `63xx`) are not success: an ES10 response that came with a warning cannot
 * be trusted as complete. `61xx` and `6Cxx` are procedure bytes the Card resolves itself.
 */
export function isSuccess(sw: number): boolean {
  const sw1 = sw >> 8;
  return sw === 0x9000 || sw1 === 0x91 || (sw1 === 0x92 && sw !== 0x9240);
}

/** `62xx` / `63xx`: processing completed with a warning (ISO/IEC 7816-4 §5.6). */
export function isWarning(sw: number): boolean {
  const sw1 = sw >> 8;
  return sw1 === 0x62 || sw1 === 0x63;
}

/** The four-digit upper-case hex form, e.g. `swHex(0x6a82)` = "6A82". */
export function swHex(sw: number): string {
  return hex4(sw);
}
