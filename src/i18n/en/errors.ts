/**
 * English texts of the app's errors area; the other languages mirror this module's shape. Every
 * error the app and the CLI explain (src/i18n/explain.ts) has a title, a detail and advice here; the
 * maps keyed by an error's `reason` are checked against the error's own union of reasons, so a
 * new reason without a text fails the typecheck. Codes for experts are not texts and stay out.
 */
import type { LpaErrorReason } from '../../lpa/errors.ts';
import type { ActivationCodeErrorReason } from '../../lpa/activation-code.ts';
import type { RecoveryOutcome } from '../../lpa/interrupted.ts';
import type { Es9pTransportErrorReason } from '../../es9p/errors.ts';
import type { CcidErrorReason, UsbAccessReason } from '../../transport/webusb-ccid/errors.ts';
import type { AtCommandHint, SerialAccessReason } from '../../transport/webserial-at/errors.ts';
import type { UsbModemAccessReason } from '../../transport/webusb-at/errors.ts';
import type { SmartCardAccessReason } from '../../transport/smartcard/errors.ts';
import type { PcscProblem } from '../../transport/pcsc/errors.ts';
import type { BridgeFailure } from '../../transport/bridge/errors.ts';
import type { QrErrorReason } from '../../ui/lib/qr-scan.ts';
import { plural } from '../format.ts';

/** What the error panel shows: a title, what happened and what to do next. */
export interface ErrorText {
  title: string;
  detail: string;
  advice: string;
}

/** What happened and what to do, for one reason of an error type that has its own title. */
export interface ReasonText {
  detail: string;
  advice: string;
}

const CANCELLED: ErrorText = {
  title: 'Cancelled',
  detail: 'The operation was cancelled; nothing was changed on the eUICC.',
  advice: 'Start again when you are ready.',
};

const NEW_CODE = 'Ask your operator for a new activation code.';
const SECURE_PAGE = 'Open the app over https (or on localhost).';

export const errors = {
  panel: {
    whatToDo: 'What to do:',
    forExperts: 'Details for experts',
    dismiss: 'Dismiss',
  },
  generic: {
    title: 'Something went wrong',
    detail: 'An unexpected error stopped the operation.',
    advice: 'Try again; if it keeps failing, export the log.',
  },
  /** An LpaError whose causes say nothing more specific. */
  lpa: {
    consentRefused: {
      title: 'Profile not installed',
      detail: 'You declined the profile, so nothing was installed.',
      advice: 'You can add it later with the same code if it is reusable.',
    },
    cancelled: CANCELLED,
    confirmationCodeRequired: {
      title: 'Confirmation code needed',
      detail: 'This profile needs a confirmation code and none was given.',
      advice: 'Enter the confirmation code your operator gave you.',
    },
    es9p: {
      title: 'The SM-DP+ refused',
      detail: 'The SM-DP+ refused the request.',
      advice: 'Try again later; if it keeps failing, give the codes below to your operator.',
    },
    network: {
      title: 'Cannot reach the server',
      detail: 'The server did not answer.',
      advice: 'Check your connection and the relay URL in Settings, then try again.',
    },
    es10: {
      title: 'The eUICC refused',
      detail: 'The eUICC refused the command.',
      advice: 'Refresh and try again; the codes below say exactly what the eUICC answered.',
    },
    installFailed: {
      title: 'Profile not installed',
      detail: 'The eUICC could not install the profile.',
      advice: 'Try again; the codes below say where the installation stopped.',
    },
    apdu: {
      title: 'The card did not accept a command',
      detail: 'The card answered a command with an error.',
      advice: 'Check the card is seated and try again; the codes below say what the card answered.',
    },
    transport: {
      title: 'Connection problem',
      detail: 'The link to the card or device failed.',
      advice: 'Check the card or device, then reconnect.',
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
    serverMismatch: {
      title: 'The server’s answer does not fit',
      detail: 'The SM-DP+ answered for another session or address than this one.',
      advice: 'Start again; if it keeps happening, check the SM-DP+ address.',
    },
    badRequest: {
      title: 'Request not valid',
      detail: 'A value given for this operation is not valid.',
      advice: 'Check what you entered and try again.',
    },
    internal: {
      title: 'The operation failed',
      detail: 'An unexpected error stopped the operation.',
      advice: 'Try again; the codes below help experts.',
    },
  } satisfies Record<LpaErrorReason, ErrorText>,
  activationCode: {
    title: 'Activation code not valid',
    advice: 'It should look like LPA:1$smdp.example.com$MATCHING-ID. Check it and try again.',
    reasons: {
      empty: 'The activation code is empty.',
      format: 'The activation code does not have the LPA:1$… format.',
      address: 'The SM-DP+ address in the activation code is not valid.',
      matchingId: 'The matching ID in the activation code is not valid.',
      oid: 'The SM-DP+ OID in the activation code is not valid.',
      confirmationFlag: 'The confirmation code flag in the activation code is not valid.',
      tooLong: 'The activation code is too long.',
    } satisfies Record<ActivationCodeErrorReason, string>,
  },
  es9p: {
    title: 'The SM-DP+ refused',
    /** Subject code / reason code pairs users meet most (docs/protocol.md §4.3). */
    codes: {
      '8.2.6/3.8': {
        detail: 'The SM-DP+ does not know this activation code, or it was already used.',
        advice: 'Check the code with your operator; ask for a new one if it was used before.',
      },
      '8.2.7/2.2': {
        detail: 'This profile needs a confirmation code.',
        advice: 'Enter the confirmation code your operator gave you.',
      },
      '8.2.7/3.8': {
        detail: 'The confirmation code is wrong.',
        advice: 'Check the confirmation code and try again.',
      },
      '8.2.7/6.4': {
        detail: 'Too many wrong confirmation codes: the SM-DP+ has locked this order.',
        advice: NEW_CODE,
      },
      '8.1.1/3.8': {
        detail: 'This profile is reserved for a different eUICC (EID).',
        advice: 'Use the device the profile was ordered for, or ask for a code for this EID.',
      },
      '8.8.5/4.1': {
        detail: 'The download order has expired.',
        advice: NEW_CODE,
      },
      '8.8.2/3.1': {
        detail: 'The SM-DP+ and this eUICC trust no common certificate issuer.',
        advice:
          'This eUICC cannot install profiles from this SM-DP+ (e.g. a test eUICC with a production server).',
      },
      '8.10.1/3.9': {
        detail: 'The SM-DP+ no longer knows this download session (it may have timed out).',
        advice: 'Start the download again.',
      },
    } as Readonly<Record<string, ReasonText>>,
    /** Codes not in the list above. */
    other: {
      detail: 'The SM-DP+ refused the request.',
      advice: 'Try again later; if it keeps failing, give the codes below to your operator.',
    },
  },
  es9pTransport: {
    network: {
      title: 'Cannot reach the server',
      detail:
        'The server did not answer. It may be offline, or it does not allow requests from a web page (CORS).',
      advice:
        'Check your connection and the relay URL in Settings. If you chose the Direct route, choose Automatic (which uses the relay).',
    },
    timeout: {
      title: 'The server took too long',
      detail: 'The server did not answer in time.',
      advice: 'Check your connection and try again.',
    },
    aborted: CANCELLED,
    http: {
      title: 'The server answered wrongly',
      detail: 'The server answered with an HTTP error.',
      advice: 'The server may be misconfigured or a proxy changed the answer. Try the relay route.',
    },
    badResponse: {
      title: 'The server answered wrongly',
      detail: 'The server’s answer is not what the protocol expects.',
      advice: 'The server may be misconfigured or a proxy changed the answer. Try the relay route.',
    },
    badAddress: {
      title: 'Server address not valid',
      detail: 'The server address or the route settings do not form a valid URL.',
      advice: 'Check the SM-DP+ address and the relay URL in Settings.',
    },
    /**
     * The automatic route met an address with no override and no relay URL is set: nothing was
     * sent. Real SM-DP+ servers send no CORS headers, so a web page reaches them only through a
     * relay.
     */
    noRelay: {
      title: 'A relay is needed to reach this server',
      detail:
        'This SM-DP+ can only be reached through an ES9+ relay: a web page cannot talk to SM-DP+ ' +
        'servers directly, and no relay URL is set. Nothing was sent.',
      advice:
        'Open Settings, enter the ES9+ relay URL under “Reaching SM-DP+ servers” (for example ' +
        'https://relay.example.org/es9p) and press Save settings, then download again. Using an app ' +
        'someone else hosts? Ask its operator to set "relayUrl" under "es9p" in the app’s ' +
        'config.json (or to build it with VITE_RELAY_URL).',
    },
  } satisfies Record<Es9pTransportErrorReason, ErrorText>,
  /** The relay refused the server's TLS certificate; `message` names the issuer (technical). */
  untrustedCertificate: {
    title: 'The relay does not trust this server’s certificate',
    detail: (message: string) => `The relay refused the server’s certificate: ${message}`,
    advice:
      'The message names the certificate issuer (CI) the relay did not trust. A real SM-DP+ chains to a GSMA CI or a public root; a test server’s CI must be given to the relay (npm start -- --ca <CI certificate file>). Otherwise check the SM-DP+ address.',
  },
  es10: {
    title: 'The eUICC refused',
    /** Plain words for SGP.22 result names; others show the name in the codes only. */
    results: {
      iccidOrAidNotFound: 'The profile was not found on the eUICC.',
      profileNotInDisabledState: 'The profile must be disabled first.',
      profileNotInEnabledState: 'The profile is not enabled.',
      disallowedByPolicy: 'The operator’s profile policy forbids this operation.',
      wrongProfileReenabling: 'This profile cannot be enabled again right now.',
      catBusy: 'The eUICC is busy with the phone (CAT busy).',
      nothingToDelete: 'There was nothing to delete.',
      iccidAlreadyExistsOnEuicc: 'This profile is already installed on the eUICC.',
      insufficientMemoryForProfile: 'The eUICC does not have enough free memory for this profile.',
      iccidNotFound: 'The profile was not found on the eUICC.',
      invalidSignature: 'A signature did not verify: the SM-DP+ is not trusted by this eUICC.',
      invalidCertificate: 'The SM-DP+ certificate is not accepted by this eUICC.',
      ciPKUnknown: 'The eUICC does not trust the SM-DP+’s certificate issuer.',
      unsupportedCurve: 'The eUICC does not support the SM-DP+’s key type.',
    } as Readonly<Record<string, string>>,
    otherResult: 'The eUICC refused the command.',
    advice: 'Refresh and try again; the codes below say exactly what the eUICC answered.',
    disableFirst: 'Disable the profile (or enable another one), then try again.',
  },
  apdu: {
    title: 'The card did not accept a command',
    detail: 'The card answered a command with an error status.',
    advice: 'Check the card is seated and try again; the codes below say what the card answered.',
  },
  isdRNotFound: {
    title: 'The card did not accept a command',
    detail: 'No eSIM manager (ISD-R) answered on this card: it may not be an eUICC.',
    advice: 'Check that the card is an eUICC, or set its ISD-R AID in Settings.',
  },
  usbAccess: {
    title: 'USB reader not usable',
    reasons: {
      protectedClass: {
        detail: 'This browser does not let web pages use smart card readers.',
        advice:
          'Chrome blocks smart-card readers in web pages. Use the installed (Isolated Web App) version, a modem, or the virtual eUICC.',
      },
      busy: {
        detail: 'Another program uses the reader.',
        advice: 'Another program holds the reader (often pcscd). Stop it, then reconnect.',
      },
      accessDenied: {
        detail: 'The operating system refused access to the reader.',
        advice:
          'The system denies access: add a udev rule (Linux) or install the WinUSB driver (Windows).',
      },
      noWebUsb: {
        detail: 'This browser has no WebUSB.',
        advice: 'This browser has no WebUSB. Use Chrome or Edge on a desktop.',
      },
      insecureContext: {
        detail: 'USB access needs a secure page.',
        advice: SECURE_PAGE,
      },
      noDevice: {
        detail: 'No reader was chosen, or the chosen device is not a smart card reader.',
        advice: 'No reader was chosen. Plug one in and try again.',
      },
      disconnected: {
        detail: 'The reader was unplugged.',
        advice: 'Reconnect the reader and try again.',
      },
    } satisfies Record<UsbAccessReason, ReasonText>,
  },
  serialAccess: {
    title: 'Serial port not usable',
    reasons: {
      noWebSerial: {
        detail: 'This browser has no Web Serial.',
        advice: 'This browser has no Web Serial. Use Chrome or Edge on a desktop.',
      },
      insecureContext: {
        detail: 'Serial access needs a secure page.',
        advice: SECURE_PAGE,
      },
      noDevice: {
        detail: 'No serial port was chosen.',
        advice: 'No port was chosen. Plug the modem in and try again.',
      },
      busy: {
        detail: 'The serial port could not be opened: another program or tab holds it.',
        advice: 'Another program holds the port (often ModemManager). Stop it, then reconnect.',
      },
      accessDenied: {
        detail: 'The operating system or the browser refused access to the serial port.',
        advice:
          'The system denies access to the port: add your user to the dialout group (Linux) or check the driver.',
      },
      disconnected: {
        detail: 'The modem was unplugged.',
        advice: 'Reconnect the modem and try again.',
      },
    } satisfies Record<SerialAccessReason, ReasonText>,
  },
  usbModemAccess: {
    title: 'USB modem not usable',
    reasons: {
      insecureContext: {
        detail: 'USB access needs a secure page.',
        advice: SECURE_PAGE,
      },
      noWebUsb: {
        detail: 'This browser has no WebUSB.',
        advice: 'This browser has no WebUSB. Use Chrome or Edge.',
      },
      noDevice: {
        detail: 'No modem was chosen.',
        advice: 'No modem was chosen. Plug it in and try again.',
      },
      busy: {
        detail: 'Another driver or program holds the modem’s AT interface.',
        advice:
          'A system driver holds the modem’s AT port. On Linux stop ModemManager and unbind option/qcserial, or use the Serial modem option on its ttyUSB port.',
      },
      accessDenied: {
        detail: 'The operating system refused access to the modem.',
        advice:
          'The system denies access: add a udev rule (Linux) or install the WinUSB driver (Windows).',
      },
      noAtInterface: {
        detail: 'No USB interface of this device answered AT commands.',
        advice:
          'No interface of this device answered AT commands. Try the Serial modem option, or another USB mode of the modem.',
      },
      disconnected: {
        detail: 'The modem was unplugged.',
        advice: 'Reconnect the modem and try again.',
      },
    } satisfies Record<UsbModemAccessReason, ReasonText>,
  },
  smartCardAccess: {
    title: 'Smart card reader not usable',
    reasons: {
      insecureContext: {
        detail: 'Smart card access needs a secure page.',
        advice: 'Open the installed WebLPA app (or the app over https).',
      },
      noSmartCardApi: {
        detail: 'This browser offers no Web Smart Card API.',
        advice:
          'Use the installed WebLPA app on ChromeOS for system smart card readers; here, use a USB reader, a modem or the virtual eUICC.',
      },
      noService: {
        detail: 'The system smart card service is not running.',
        advice:
          'Start the smart card service: on ChromeOS install the Smart Card Connector app; on Linux start pcscd (sudo systemctl start pcscd). Then try again.',
      },
      noReader: {
        detail: 'No smart card reader was found.',
        advice: 'Plug a smart card reader in, then try again.',
      },
      noCard: {
        detail: 'The reader has no card in it.',
        advice: 'Insert the eUICC into the reader, then try again.',
      },
      permissionDenied: {
        detail: 'Access to smart cards was refused.',
        advice:
          'Allow smart card access for WebLPA in the app’s settings (or ask your administrator), then try again.',
      },
      busy: {
        detail: 'Another program holds the card exclusively.',
        advice: 'Another program holds the card. Close it, then reconnect.',
      },
      unresponsiveCard: {
        detail: 'The card in the reader does not answer.',
        advice:
          'Re-insert the card the right way round; if it still does not answer, the reader may not support it.',
      },
      other: {
        detail: 'The system smart card service reported an error.',
        advice: 'Re-insert the card and reconnect.',
      },
    } satisfies Record<SmartCardAccessReason, ReasonText>,
    /**
     * A reader on Node (the CLI, the card bridge) through PC/SC, by PcscError `problem`: only the
     * problems whose advice differs from that of their reason above.
     */
    pcsc: {
      bindingMissing: {
        detail: 'The PC/SC binding (the optional npm package “smartcard”) is missing or not built.',
        advice:
          'Install libpcsclite-dev (Debian/Ubuntu: sudo apt-get install libpcsclite-dev), then run npm rebuild smartcard.',
      },
      unknownReader: {
        detail: 'No reader has the name or index given.',
        advice:
          'List the readers with npm run lpa -- reader list, then give one of their names or indexes.',
      },
      cardReset: {
        detail: 'Another program or the reader reset the card; the connection was restored.',
        advice: 'Run the command again.',
      },
    } satisfies Record<
      Extract<PcscProblem, 'bindingMissing' | 'unknownReader' | 'cardReset'>,
      ReasonText
    >,
  },
  bridge: {
    title: 'Card bridge not usable',
    reasons: {
      badAddress: {
        detail: 'This is not a card bridge address on this computer.',
        advice: 'Use ws://127.0.0.1:35980 (or the address the bridge printed when it started).',
      },
      notRunning: {
        detail: 'The card bridge is not running.',
        advice:
          'Start the card bridge on this computer with `npm run lpa -- bridge` (in the WebLPA folder), keep it running, then try again.',
      },
      originRefused: {
        detail: 'The card bridge refused this page.',
        advice:
          'Restart the bridge allowing this page: npm run lpa -- bridge --origin <this page’s address>',
      },
      pairingRequired: {
        detail: 'This page is not paired with the card bridge.',
        advice: 'Enter the pairing code the bridge printed in its terminal.',
      },
      badPairingCode: {
        detail: 'Wrong pairing code.',
        advice: 'Type the latest code the bridge printed in its terminal.',
      },
      pairingLocked: {
        detail: 'Too many wrong pairing codes.',
        advice: 'Wait a little, then type the latest code the bridge printed.',
      },
      noChoice: {
        detail: 'No reader has been chosen through the card bridge yet.',
        advice: 'Under “Reader through local bridge”, list the readers and choose one.',
      },
      unknownReader: {
        detail: 'The reader is not connected to this computer any more.',
        advice: 'Plug it in and list the readers again.',
      },
      noCard: {
        detail: 'There is no card in the reader.',
        advice: 'Insert the eUICC, then try again.',
      },
      readerBusy: {
        detail: 'The reader is in use by another page or browser.',
        advice: 'Disconnect it there (or close that tab), then try again.',
      },
      tooLarge: {
        detail: 'A message was too large for the card bridge.',
        advice: 'This is a bug in the app; reconnect.',
      },
      rateLimited: {
        detail: 'The card bridge refused too many requests.',
        advice: 'Reconnect and try again.',
      },
      timeout: {
        detail: 'The card bridge did not answer in time.',
        advice: 'Check the bridge’s terminal, then reconnect.',
      },
      protocol: {
        detail: 'The card bridge and the app do not understand each other.',
        advice: 'Use the bridge from the same WebLPA version as the app.',
      },
      readerError: {
        detail: 'The reader reported an error.',
        advice: 'Re-insert the card and reconnect.',
      },
    } satisfies Record<BridgeFailure, ReasonText>,
    /** originRefused, when the refused origin is known. */
    allowOrigin: (origin: string) =>
      `Restart the bridge allowing this page: npm run lpa -- bridge --origin ${origin}`,
    /** Added to the advice when the bridge says how long to wait. */
    retryAfter: (seconds: number) =>
      plural('en', seconds, {
        one: 'Try again in # second.',
        other: 'Try again in # seconds.',
      }),
  },
  smartCardService: {
    title: 'The smart card service reported an error',
    detail: 'The system smart card service could not complete the request.',
    advice: 'Re-insert the card and reconnect; the codes below say what the service answered.',
  },
  usbTransfer: {
    title: 'The USB modem stopped answering',
    detail: 'A USB transfer to the modem failed.',
    advice: 'Unplug the modem, plug it back in and reconnect.',
  },
  atr: {
    title: 'The card’s answer to reset could not be read',
    detail: 'The card’s first answer (ATR) is malformed.',
    advice: 'Re-insert the card (contacts clean, the right way round) and reconnect.',
  },
  ccid: {
    title: 'The card reader reported an error',
    reasons: {
      slotError: 'The reader could not complete a command with the card.',
      badMessage: 'The reader sent an answer that could not be read.',
      unsupported: 'The reader or the card needs something this app does not support.',
      noCcidDescriptor: 'The device does not describe itself as a smart card reader.',
      tooLong: 'A command was too long for this reader.',
    } satisfies Record<CcidErrorReason, string>,
    advice: 'Re-insert the card and reconnect.',
  },
  atCommand: {
    title: 'The modem refused a command',
    detail: 'The modem answered a command with an error.',
    advice:
      'The modem may not support SIM access commands (AT+CGLA/AT+CSIM). Try another port or modem.',
    hints: {
      apduRefused:
        'The modem refused to pass this command to the eUICC (its firmware, not the card). Try again; if it keeps failing, update the modem firmware or connect with the AT+CSIM strategy.',
      blockRefused:
        'The modem does not carry STORE DATA blocks this large; 120-byte blocks are used from now on. Start the download again.',
    } satisfies Record<AtCommandHint, string>,
  },
  atNoAnswer: {
    title: 'The modem does not answer',
    detail: 'Nothing answers AT commands on this port.',
    advice:
      'Another program probably uses the port (on Linux often ModemManager): stop it, or choose the modem’s other AT port, then reconnect.',
  },
  atTimeout: {
    title: 'The modem did not answer',
    detail: 'The modem did not finish a command in time.',
    advice: 'Check the modem is powered and the right port was chosen, then reconnect.',
  },
  atResponse: {
    title: 'The modem answered something unexpected',
    detail: 'The modem’s answer could not be read.',
    advice: 'Try another port of the modem (many have several), or reconnect.',
  },
  atUnsupported: {
    title: 'The modem gives no access to the eSIM',
    detail: 'The modem lets no command through to the SIM.',
    advice:
      'This modem has no SIM access commands (AT+CGLA or AT+CSIM). Use a USB reader or another modem.',
  },
  connectionLost: {
    title: 'Connection lost',
    detail: 'The card or device was removed or disconnected.',
    advice: 'Plug it in again: WebLPA reconnects by itself, or press Reconnect.',
  },
  /** A slot of a reader read as a whole (Batch) holds no card; the other slots go on. */
  slotEmpty: {
    title: 'No card in this slot',
    detail: (reader: string, slot: number) => `There is no card in slot ${slot} of ${reader}.`,
    advice: 'Insert an eUICC into the slot, or leave it empty: the other cards go on.',
  },
  settings: {
    title: 'Setting not valid',
    detail: (field: string) => `The value of “${field}” cannot be used.`,
    advice: 'Correct the value and save again.',
  },
  qr: {
    title: 'No code found',
    reasons: {
      noCode: 'No QR code was found in the picture.',
      badImage: 'The picture could not be read.',
      noCamera: 'No camera could be opened.',
    } satisfies Record<QrErrorReason, string>,
    advice: 'Try a sharper picture, or paste the code as text.',
  },
  /** A file given as an earlier batch report that is not one. */
  batchReport: {
    title: 'Not a batch report',
    detail: 'The file is not a WebLPA batch report in JSON (the .report.json file a run writes).',
    advice: 'Choose the JSON report of an earlier run of this plan, or run without one.',
  },
  /** An earlier batch report that does not fit the plan. */
  batchResume: {
    title: 'The report is of another plan',
    detail: 'The earlier report has rows this plan does not have, or rows for other codes or EIDs.',
    advice: 'Choose the report of this plan, or run without a report to start afresh.',
  },
  notAllowed: {
    title: 'Permission denied',
    detail: 'The browser did not allow this.',
    advice: 'Allow access in the browser’s site settings, or use another way to enter the code.',
  },
  notFound: {
    title: 'Nothing found',
    detail: 'Nothing was chosen or found.',
    advice: 'Check the device is connected, then try again.',
  },
  cancelled: CANCELLED,
  /** One sentence per outcome of an interrupted download dealt with on connecting. */
  recovery: {
    installed: (at: string) =>
      `The interrupted download from ${at} was finished: the profile is installed.`,
    cancelled: (at: string) =>
      `The interrupted download from ${at} was cancelled on the eUICC and at the server.`,
    reported: (at: string) =>
      `The interrupted download from ${at} was reported to the server as failed; its session is closed.`,
    notificationPending: (at: string) =>
      `The interrupted download from ${at} left a failure notification: send it from Notifications so the server closes its session.`,
    expires: (at: string) =>
      `The interrupted download from ${at} could not be cancelled: the eUICC had already dropped it. The server ends it when it expires.`,
    refused: (at: string) => `The server ${at} had already closed the interrupted download.`,
    kept: (at: string) =>
      `The interrupted download from ${at} could not be cancelled yet (the server did not answer); this is tried again on the next connection.`,
  } satisfies Record<RecoveryOutcome, (at: string) => string>,
  /** What the app shows while an operation runs, and when it is done (profiles have their own). */
  status: {
    savingDefaultDp: 'Saving the default SM-DP+',
    defaultDpCleared: 'Default SM-DP+ cleared.',
    defaultDpSet: (address: string) => `Default SM-DP+ set to ${address}.`,
    resettingMemory: 'Resetting the eUICC memory',
    memoryReset: 'The eUICC memory was reset.',
    sendingNotification: (seq: number) => `Sending notification ${seq}`,
    notificationSent: (seq: number, address: string) =>
      `Notification ${seq} was delivered to ${address} and removed.`,
    sendingAll: 'Sending all notifications',
    allSent: (n: number) =>
      plural('en', n, { one: '# notification delivered.', other: '# notifications delivered.' }),
    someKept: (sent: number, kept: number, detail: string) =>
      `${sent} sent, ${kept} kept: ${detail}`,
    removingNotification: (seq: number) => `Removing notification ${seq}`,
    notificationRemoved: (seq: number) => `Notification ${seq} was removed without sending it.`,
    adding: 'Adding a profile',
    settingsSaved: 'Settings saved.',
    settingsImported: 'Settings imported.',
  },
};
