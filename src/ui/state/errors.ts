/**
 * Turns any error the layers below throw into plain words, a next step and the codes for experts.
 * Errors are recognised by their `name` and code fields (LpaError{code}, Es9pError{subjectCode,
 * reasonCode}, Es10Error{fn,resultCode}, ApduError{sw}, UsbAccessError{reason},
 * SmartCardAccessError{reason}, ...), so this module
 * does not pull the layers' code into the initial bundle.
 */

export interface ErrorView {
  title: string;
  /** What happened, in plain words. */
  detail: string;
  /** What the user can do next. */
  advice: string;
  /** Codes for experts, e.g. "Es9pError 8.2.6/3.8", "SW 6A82". */
  codes: string[];
}

type Fields = Record<string, unknown>;

function fields(e: unknown): Fields {
  return typeof e === 'object' && e !== null ? (e as Fields) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/** The chain of causes, outermost first (bounded, in case of a cycle). */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let e: unknown = error;
  while (e !== undefined && e !== null && chain.length < 8 && !chain.includes(e)) {
    chain.push(e);
    e = fields(e).cause;
  }
  return chain;
}

function codeOf(e: unknown): string | undefined {
  const f = fields(e);
  const name = str(f.name) ?? 'Error';
  if (num(f.sw) !== undefined) return `${name} SW ${hex4(num(f.sw)!)}`;
  if (str(f.subjectCode) !== undefined)
    return `${name} ${str(f.subjectCode)}/${str(f.reasonCode) ?? '?'}`;
  if (num(f.resultCode) !== undefined)
    return `${name} ${str(f.fn) ?? ''} ${num(f.resultCode)}${str(f.resultName) ? ` (${str(f.resultName)})` : ''}`.replace(
      /\s+/g,
      ' ',
    );
  if (str(f.reason) !== undefined)
    return `${name} ${str(f.reason)}${str(f.relayCode) !== undefined ? ` ${str(f.relayCode)}` : ''}${str(f.responseCode) !== undefined ? ` (${str(f.responseCode)})` : ''}`;
  if (str(f.responseCode) !== undefined) return `${name} ${str(f.responseCode)}`;
  if (str(f.code) !== undefined) return `${name} ${str(f.code)}`;
  if (num(f.cme) !== undefined) return `${name} CME ${num(f.cme)}`;
  if (num(f.offset) !== undefined) return `${name} at byte ${num(f.offset)}`;
  if (num(f.status) !== undefined && num(f.error) !== undefined)
    return `${name} status ${num(f.status)} error ${num(f.error)}`;
  return name === 'Error' ? undefined : name;
}

/** Plain words for the SM-DP+ subject/reason codes users meet most (docs/protocol.md §4.3). */
function es9pAdvice(
  subject: string,
  reason: string,
): { detail: string; advice: string } | undefined {
  const key = `${subject}/${reason}`;
  switch (key) {
    case '8.2.6/3.8':
    case '8.2.6/3.9':
      return {
        detail: 'The SM-DP+ does not know this activation code, or it was already used.',
        advice: 'Check the code with your operator; ask for a new one if it was used before.',
      };
    case '8.2.7/2.2':
      return {
        detail: 'This profile needs a confirmation code.',
        advice: 'Enter the confirmation code your operator gave you.',
      };
    case '8.2.7/3.8':
      return {
        detail: 'The confirmation code is wrong.',
        advice: 'Check the confirmation code and try again.',
      };
    case '8.2.7/6.4':
      return {
        detail: 'Too many wrong confirmation codes: the SM-DP+ has locked this order.',
        advice: 'Ask your operator for a new activation code.',
      };
    case '8.1.1/3.8':
      return {
        detail: 'This profile is reserved for a different eUICC (EID).',
        advice: 'Use the device the profile was ordered for, or ask for a code for this EID.',
      };
    case '8.8.5/4.1':
      return {
        detail: 'The download order has expired.',
        advice: 'Ask your operator for a new activation code.',
      };
    case '8.8.2/3.1':
      return {
        detail: 'The SM-DP+ and this eUICC trust no common certificate issuer.',
        advice:
          'This eUICC cannot install profiles from this SM-DP+ (e.g. a test eUICC with a production server).',
      };
    case '8.10.1/3.9':
      return {
        detail: 'The SM-DP+ no longer knows this download session (it may have timed out).',
        advice: 'Start the download again.',
      };
    default:
      return undefined;
  }
}

const LPA_CODES: Record<string, { title: string; detail: string; advice: string }> = {
  consentRefused: {
    title: 'Profile not installed',
    detail: 'You declined the profile, so nothing was installed.',
    advice: 'You can add it later with the same code if it is reusable.',
  },
  cancelled: {
    title: 'Cancelled',
    detail: 'The operation was cancelled; nothing was changed on the eUICC.',
    advice: 'Start again when you are ready.',
  },
  confirmationCodeRequired: {
    title: 'Confirmation code needed',
    detail: 'This profile needs a confirmation code and none was given.',
    advice: 'Enter the confirmation code your operator gave you.',
  },
  badActivationCode: {
    title: 'Activation code not valid',
    detail: 'The activation code could not be read.',
    advice: 'It should look like LPA:1$smdp.example.com$MATCHING-ID. Check it and try again.',
  },
  noAddress: {
    title: 'No SM-DP+ address',
    detail: 'No SM-DP+ address was given and the eUICC has no default SM-DP+.',
    advice: 'Enter an activation code or an SM-DP+ address.',
  },
  busy: {
    title: 'eUICC busy',
    detail: 'Another operation is still running on this eUICC.',
    advice: 'Wait for it to finish, then try again.',
  },
};

/**
 * The automatic route met an address with no override and no relay URL is set: nothing was sent.
 * Real SM-DP+ servers send no CORS headers, so a web page reaches them only through a relay.
 */
export const NO_RELAY = {
  title: 'A relay is needed to reach this server',
  detail:
    'This SM-DP+ can only be reached through an ES9+ relay: a web page cannot talk to SM-DP+ ' +
    'servers directly, and no relay URL is set. Nothing was sent.',
  advice:
    'Open Settings, enter the ES9+ relay URL under “Reaching SM-DP+ servers” (for example ' +
    'https://relay.example.org/es9p) and press Save settings, then download again. Using an app ' +
    'someone else hosts? Ask its operator to set "relayUrl" under "es9p" in the app’s ' +
    'config.json (or to build it with VITE_RELAY_URL).',
} as const;

/** Describes an error for the user. Never throws. */
export function describeError(error: unknown): ErrorView {
  const chain = causeChain(error);
  const codes = chain.map(codeOf).filter((c): c is string => c !== undefined);
  const top = fields(error);
  const topMessage = str(top.message) ?? String(error);
  const view = (title: string, detail: string, advice: string): ErrorView => ({
    title,
    detail,
    advice,
    codes,
  });

  // The innermost specific cause usually says the most; but some outer codes are decisive.
  const lpaCode = str(top.name) === 'LpaError' ? str(top.reason) : undefined;
  if (lpaCode !== undefined && LPA_CODES[lpaCode]) {
    const t = LPA_CODES[lpaCode];
    return view(t.title, t.detail, t.advice);
  }
  for (const e of chain) {
    const f = fields(e);
    const name = str(f.name);
    const message = str(f.message) ?? topMessage;
    switch (name) {
      case 'AbortError':
        return view(
          LPA_CODES.cancelled!.title,
          LPA_CODES.cancelled!.detail,
          LPA_CODES.cancelled!.advice,
        );
      case 'ActivationCodeError':
        return view('Activation code not valid', message, LPA_CODES.badActivationCode!.advice);
      case 'Es9pError': {
        const subject = str(f.subjectCode) ?? '';
        const reason = str(f.reasonCode) ?? '';
        const known = es9pAdvice(subject, reason);
        if (known) return view('The SM-DP+ refused', known.detail, known.advice);
        return view(
          'The SM-DP+ refused',
          message,
          'Try again later; if it keeps failing, give the codes below to your operator.',
        );
      }
      case 'Es9pTransportError': {
        const kind = str(f.reason);
        if (kind === 'noRelay') return view(NO_RELAY.title, NO_RELAY.detail, NO_RELAY.advice);
        if (str(f.relayCode) === 'untrustedCertificate')
          return view(
            'The relay does not trust this server’s certificate',
            message,
            'The message names the certificate issuer (CI) the relay did not trust. A real SM-DP+ chains to a GSMA CI or a public root; a test server’s CI must be given to the relay (npm start -- --ca <CI certificate file>). Otherwise check the SM-DP+ address.',
          );
        if (kind === 'network')
          return view(
            'Cannot reach the server',
            'The server did not answer. It may be offline, or it does not allow requests from a web page (CORS).',
            'Check your connection and the relay URL in Settings. If you chose the Direct route, choose Automatic (which uses the relay).',
          );
        if (kind === 'timeout')
          return view('The server took too long', message, 'Check your connection and try again.');
        if (kind === 'aborted')
          return view('Cancelled', LPA_CODES.cancelled!.detail, LPA_CODES.cancelled!.advice);
        return view(
          'The server answered wrongly',
          message,
          'The server may be misconfigured or a proxy changed the answer. Try the relay route.',
        );
      }
      case 'ProfileInstallationError':
      case 'Es10Error': {
        const rn = str(f.resultName) ?? '';
        const plain: Record<string, string> = {
          iccidOrAidNotFound: 'The profile was not found on the eUICC.',
          profileNotInDisabledState: 'The profile must be disabled first.',
          profileNotInEnabledState: 'The profile is not enabled.',
          disallowedByPolicy: 'The operator’s profile policy forbids this operation.',
          wrongProfileReenabling: 'This profile cannot be enabled again right now.',
          catBusy: 'The eUICC is busy with the phone (CAT busy).',
          nothingToDelete: 'There was nothing to delete.',
          iccidAlreadyExistsOnEuicc: 'This profile is already installed on the eUICC.',
          insufficientMemoryForProfile:
            'The eUICC does not have enough free memory for this profile.',
          iccidNotFound: 'The profile was not found on the eUICC.',
          invalidSignature: 'A signature did not verify: the SM-DP+ is not trusted by this eUICC.',
          invalidCertificate: 'The SM-DP+ certificate is not accepted by this eUICC.',
          ciPKUnknown: 'The eUICC does not trust the SM-DP+’s certificate issuer.',
          unsupportedCurve: 'The eUICC does not support the SM-DP+’s key type.',
        };
        return view(
          'The eUICC refused',
          plain[rn] ?? message,
          rn === 'profileNotInDisabledState'
            ? 'Disable the profile (or enable another one), then try again.'
            : 'Refresh and try again; the codes below say exactly what the eUICC answered.',
        );
      }
      case 'ApduError':
      case 'IsdRNotFoundError':
        return view(
          'The card did not accept a command',
          name === 'IsdRNotFoundError'
            ? 'No eSIM manager (ISD-R) answered on this card: it may not be an eUICC.'
            : message,
          name === 'IsdRNotFoundError'
            ? 'Check that the card is an eUICC, or set its ISD-R AID in Settings.'
            : 'Check the card is seated and try again; the codes below say what the card answered.',
        );
      case 'UsbAccessError':
        return view('USB reader not usable', message, usbAdvice(str(f.reason)));
      case 'SerialAccessError':
        return view('Serial port not usable', message, serialAdvice(str(f.reason)));
      case 'UsbModemAccessError':
        return view('USB modem not usable', message, usbModemAdvice(str(f.reason)));
      case 'UsbTransferError':
        return view(
          'The USB modem stopped answering',
          message,
          'Unplug the modem, plug it back in and reconnect.',
        );
      case 'SmartCardAccessError':
        return view('Smart card reader not usable', message, smartCardAdvice(str(f.reason)));
      case 'BridgeError':
        // The local card bridge: the error carries its own advice (e.g. the command to start it).
        return view(
          'Card bridge not usable',
          message,
          str(f.advice) ?? 'Check the card bridge’s terminal, then try again.',
        );
      case 'SmartCardError':
        return view(
          'The smart card service reported an error',
          message,
          'Re-insert the card and reconnect; the codes below say what the service answered.',
        );
      case 'AtrError':
        return view(
          'The card’s answer to reset could not be read',
          message,
          'Re-insert the card (contacts clean, the right way round) and reconnect.',
        );
      case 'CcidError':
        return view(
          'The card reader reported an error',
          message,
          'Re-insert the card and reconnect.',
        );
      case 'AtCommandError':
        return view(
          'The modem refused a command',
          message,
          'The modem may not support SIM access commands (AT+CGLA/AT+CSIM). Try another port or modem.',
        );
      case 'AtTimeoutError':
        return view(
          'The modem did not answer',
          message,
          'Check the modem is powered and the right port was chosen, then reconnect.',
        );
      case 'AtResponseError':
        return view(
          'The modem answered something unexpected',
          message,
          'Try another port of the modem (many have several), or reconnect.',
        );
      case 'AtUnsupportedError':
        return view(
          'The modem gives no access to the eSIM',
          message,
          'This modem has no SIM access commands (AT+CGLA or AT+CSIM). Use a USB reader or another modem.',
        );
      case 'TransportClosedError':
      case 'CardRemovedError':
        return view(
          'Connection lost',
          'The card or device was removed or disconnected.',
          'Plug it in again: WebLPA reconnects by itself, or press Reconnect.',
        );
      case 'SettingsError':
        return view('Setting not valid', message, 'Correct the value and save again.');
      case 'QrError':
        return view('No code found', message, 'Try a sharper picture, or paste the code as text.');
      case 'NotAllowedError':
        return view(
          'Permission denied',
          message,
          'Allow access in the browser’s site settings, or use another way to enter the code.',
        );
      case 'NotFoundError':
        return view('Nothing found', message, 'Check the device is connected, then try again.');
      default:
        break;
    }
  }
  if (lpaCode !== undefined)
    return view('The operation failed', topMessage, 'Try again; the codes below help experts.');
  return view(
    'Something went wrong',
    topMessage,
    'Try again; if it keeps failing, export the log.',
  );
}

function serialAdvice(kind: string | undefined): string {
  switch (kind) {
    case 'busy':
      return 'Another program holds the port (often ModemManager). Stop it, then reconnect.';
    case 'accessDenied':
      return 'The system denies access to the port: add your user to the dialout group (Linux) or check the driver.';
    case 'noWebSerial':
      return 'This browser has no Web Serial. Use Chrome or Edge on a desktop.';
    case 'insecureContext':
      return 'Open the app over https (or on localhost).';
    case 'noDevice':
      return 'No port was chosen. Plug the modem in and try again.';
    default:
      return 'Reconnect the modem and try again.';
  }
}

function smartCardAdvice(reason: string | undefined): string {
  switch (reason) {
    case 'noSmartCardApi':
      return 'Use the installed WebLPA app on ChromeOS for system smart card readers; here, use a USB reader, a modem or the virtual eUICC.';
    case 'insecureContext':
      return 'Open the installed WebLPA app (or the app over https).';
    case 'noService':
      return 'Install the Smart Card Connector app (ChromeOS), then try again.';
    case 'noReader':
      return 'Plug a smart card reader in, then try again.';
    case 'noCard':
      return 'Insert the eUICC into the reader, then try again.';
    case 'permissionDenied':
      return 'Allow smart card access for WebLPA in the app’s settings (or ask your administrator), then try again.';
    case 'busy':
      return 'Another program holds the card. Close it, then reconnect.';
    case 'unresponsiveCard':
      return 'Re-insert the card the right way round; if it still does not answer, the reader may not support it.';
    default:
      return 'Re-insert the card and reconnect.';
  }
}

function usbModemAdvice(reason: string | undefined): string {
  switch (reason) {
    case 'busy':
      return 'A system driver holds the modem’s AT port. On Linux stop ModemManager and unbind option/qcserial, or use the Serial modem option on its ttyUSB port.';
    case 'accessDenied':
      return 'The system denies access: add a udev rule (Linux) or install the WinUSB driver (Windows).';
    case 'noAtInterface':
      return 'No interface of this device answered AT commands. Try the Serial modem option, or another USB mode of the modem.';
    case 'noWebUsb':
      return 'This browser has no WebUSB. Use Chrome or Edge.';
    case 'insecureContext':
      return 'Open the app over https (or on localhost).';
    case 'noDevice':
      return 'No modem was chosen. Plug it in and try again.';
    default:
      return 'Reconnect the modem and try again.';
  }
}

function usbAdvice(kind: string | undefined): string {
  switch (kind) {
    case 'protectedClass':
      return 'Chrome blocks smart-card readers in web pages. Use the installed (Isolated Web App) version, a modem, or the virtual eUICC.';
    case 'busy':
      return 'Another program holds the reader (often pcscd). Stop it, then reconnect.';
    case 'accessDenied':
      return 'The system denies access: add a udev rule (Linux) or install the WinUSB driver (Windows).';
    case 'noWebUsb':
      return 'This browser has no WebUSB. Use Chrome or Edge on a desktop.';
    case 'insecureContext':
      return 'Open the app over https (or on localhost).';
    case 'noDevice':
      return 'No reader was chosen. Plug one in and try again.';
    default:
      return 'Reconnect the reader and try again.';
  }
}
