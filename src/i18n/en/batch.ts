/**
 * English texts of the app's batch area; the other languages mirror this module's shape. Result
 * codes, step names of the report and the report's column names are data and stay out; what a
 * result code means is here (keyed by the code, so a new code without a text fails the typecheck).
 */
import type { CsvErrorReason } from '../../batch/csv.ts';
import type { PlanProblemKind } from '../../batch/plan.ts';
import type { BatchResultCode, NotificationDelivery, StepName } from '../../batch/report.ts';
import { formatNumber, plural } from '../format.ts';

const n = (v: number): string => formatNumber('en', v);

export const batch = {
  title: 'Batch',
  intro:
    'Run a plan of activation codes over many cards at once: virtual eUICCs (a dry run: they are made for the run and not kept), every slot of a USB reader, or the readers of the local card bridge.',
  /** Before and after the command `lpa batch run`. */
  cliBefore: 'The same plan runs over PC/SC readers with ',
  cliAfter: '.',
  planLabel: 'Plan (CSV with a header row, or JSON)',
  planFile: 'Plan file',
  sources: {
    legend: 'Cards',
    virtual: 'Virtual eUICCs (dry run)',
    usb: 'All slots of a USB reader',
    usbNote:
      'One reader (WebUSB): each slot holding an eUICC is a card; an empty slot gets an error row.',
    usbMissing:
      'Not here: this page has no WebUSB (Chrome or Edge on a secure page, or the installed app).',
    bridge: 'Readers through the local bridge',
    bridgeNote:
      'Each reader the paired local card bridge lists is a card; pair under Connect first.',
    /** Before and after the command that starts the bridge. */
    bridgeStartBefore: 'The bridge starts with ',
    bridgeStartAfter: '.',
  },
  virtualCount: 'Virtual eUICCs',
  bridgeAddress: 'Bridge address',
  run: {
    virtual: 'Run dry run',
    usb: 'Choose reader and run',
    bridge: 'Run on bridge readers',
    running: 'Running…',
    stop: 'Stop',
  },
  /** The names of the cards on screen (the report keeps its own labels). */
  cardNames: {
    virtual: (index: string) => `virtual eUICC ${index}`,
    usbSlot: (reader: string, slot: string) => `${reader} slot ${slot}`,
    bridge: (reader: string) => `${reader} (card bridge)`,
  },
  /** A plan that cannot run: each problem with its place; the problem itself stays as found. */
  issues: {
    title: 'The plan was not run:',
    plan: 'Plan',
    row: (row: string) => `Row ${row}`,
    withColumn: (place: string, column: string) => `${place}, ${column}`,
  },
  /**
   * What is wrong with a plan, by the problem's kind (src/batch/plan.ts); a bad activation code is
   * worded by the errors texts (errors.activationCode.reasons). Values from the plan stay as given.
   */
  problems: {
    notText: 'Must be text.',
    notString: 'Must be a string; write EIDs and ICCIDs in quotes.',
    acAndSmdp: 'Give either an activation code or smdp and matchingId, not both.',
    badSmdpAddress:
      'Not a valid SM-DP+ address; give a host name such as smdp.example.com, optionally with :port.',
    badMatchingId: 'Not a valid matching ID; spaces, control characters and $ are not allowed.',
    noAddress: 'No activation code and no SM-DP+ address.',
    matchingIdWithoutSmdp: 'A matching ID needs an SM-DP+ address (column smdp).',
    confirmationCodeTooLong: (max: number) => `Longer than ${n(max)} characters.`,
    confirmationCodeMissing:
      'The activation code asks for a confirmation code; the row gives none.',
    badEid: (value: string) => `“${value}” is not an EID; an EID has 32 digits.`,
    eidCheckDigits: (value: string) =>
      `“${value}”: the EID’s check digits are wrong; look for a typo.`,
    notBoolean: (value: string) => `“${value}” is not true/false, yes/no or 1/0.`,
    nicknameTooLong: (maxBytes: number) => `Longer than ${n(maxBytes)} bytes (UTF-8).`,
    badIccid: (value: string) => `“${value}” is not an ICCID; an ICCID has 18 to 20 digits.`,
    eidTwice: (eid: string, firstRow: number) =>
      `EID ${eid} is already in row ${n(firstRow)}; one row per eUICC.`,
    noRows: 'The plan has no rows.',
    empty: 'The plan is empty.',
    unknownColumn: 'Unknown column.',
    columnTwice: 'Column given twice.',
    fieldCount: (got: number, want: number) =>
      `${plural('en', got, { one: '# field', other: '# fields' })} where the header has ${n(want)}.`,
    /** CSV that cannot be read, with the line of the text where it goes wrong. */
    csvSyntax: {
      unclosedQuote: (line: number) => `Line ${n(line)}: a quoted field is not closed.`,
      textAfterQuote: (line: number) =>
        `Line ${n(line)}: text after the closing quote of a field (write "" for a quote).`,
      quoteInField: (line: number) =>
        `Line ${n(line)}: a quote inside an unquoted field (quote the whole field).`,
      bareCarriageReturn: (line: number) =>
        `Line ${n(line)}: a carriage return without a line feed.`,
    } satisfies Record<CsvErrorReason, (line: number) => string>,
    notJson: 'Not valid JSON.',
    jsonShape: 'A JSON plan is an array of rows or {"rows": [...]}.',
    rowNotObject: 'A row must be a JSON object.',
  } satisfies Record<Exclude<PlanProblemKind, 'badActivationCode'>, unknown>,
  failures: {
    notPaired: (url: string) =>
      `This page is not paired with the card bridge at ${url}: pair it under Connect, “Reader through local bridge”, then run the plan again.`,
    noReaders: (url: string) => `The card bridge at ${url} lists no reader.`,
  },
  /** The last run over real cards, kept in the browser row by row (a dry run is not kept). */
  saved: {
    title: 'Last run kept',
    /** `started` is a formatted date and time. */
    summary: (where: string, started: string, ok: number, rows: number) =>
      `Over ${where}, started ${started}: ${n(ok)} of ${plural('en', rows, { one: '# row', other: '# rows' })} ok.`,
    where: { usb: 'the slots of a USB reader', bridge: 'the readers of the local card bridge' },
    note: 'Running the same plan over the same cards again resumes it: rows done are skipped, and a row cut short does only the steps it has left.',
    resume: 'Resume this run',
    forget: 'Forget it',
    resuming: (count: number) =>
      `Resuming the kept run: ${plural('en', count, { one: '# row done before is', other: '# rows done before are' })} skipped.`,
    notKept:
      'This run could not be kept in the browser’s storage: download the report before closing the page.',
  },
  /** A report file of an earlier run (the app's or `lpa batch run`'s) to resume from. */
  earlierReport: {
    label: 'Earlier report to resume (JSON, optional)',
    loaded: (ok: number, rows: number) =>
      `Report loaded: ${n(ok)} of ${plural('en', rows, { one: '# row', other: '# rows' })} ok. Running the plan resumes it.`,
    remove: 'Remove report',
    resuming: (count: number) =>
      `Resuming from the report: ${plural('en', count, { one: '# row done before is', other: '# rows done before are' })} skipped.`,
  },
  cardsTitle: 'Cards',
  table: {
    caption: 'Batch rows',
    row: 'Row',
    card: 'Card',
    iccid: 'ICCID',
    result: 'Result',
    codes: 'Codes',
    notifications: 'Notifications',
    time: 'Time',
  },
  /** A row under way, with the step it is at. */
  working: 'working',
  workingAt: (step: string) => `working: ${step}`,
  steps: {
    delete: 'delete',
    download: 'download',
    enable: 'enable',
    nickname: 'nickname',
  } satisfies Record<StepName, string>,
  /** What became of a row's notifications. */
  delivery: {
    sent: 'sent',
    kept: 'kept',
    failed: 'failed',
    none: 'none',
  } satisfies Record<NotificationDelivery, string>,
  /** The live line under the table while the plan runs. */
  progress: {
    done: (count: number) => plural('en', count, { one: '# row done', other: '# rows done' }),
    /** `done` followed by the rows under way (`list`). */
    working: (done: string, list: string) => `${done}; working: ${list}`,
    row: (row: string) => `row ${row}`,
    rowAt: (row: string, step: string) => `row ${row} ${step}`,
    separator: ', ',
  },
  summary: (ok: number, rows: number, failed: number, notRun: number, time: string) =>
    `${n(ok)} of ${plural('en', rows, { one: '# row', other: '# rows' })} ok, ${n(failed)} failed` +
    (notRun > 0 ? `, ${n(notRun)} not run` : '') +
    `, in ${time}.`,
  downloadCsv: 'Download CSV',
  downloadJson: 'Download JSON',
  resultsTitle: 'What the results mean',
  results: {
    ok: 'Every step of the row succeeded.',
    cardNotFound: 'No card at hand has the EID the row names.',
    noFreeCard: 'Every card already had its row: add cards or split the plan.',
    cardUnavailable:
      'The card for this row could not be used: an empty slot, or a reader another program holds.',
    consentRefused: 'The profile was declined at the consent step.',
    cancelled: 'The run was stopped before this row finished.',
    confirmationCodeRequired: 'The SM-DP+ asks for a confirmation code and the row gives none.',
    es9p: 'The SM-DP+ refused; the Codes column has its subject and reason codes.',
    network: 'The SM-DP+ could not be reached or gave an answer that could not be read.',
    es10: 'The eUICC refused a command; the Codes column has its answer.',
    installFailed: 'The eUICC rejected the profile package.',
    apdu: 'The card answered a command with an error status.',
    transport: 'The link to the card failed or was lost.',
    badActivationCode: 'The activation code could not be read.',
    noAddress: 'No SM-DP+ address: the row gives none and the eUICC has no default.',
    serverMismatch: 'The data the server signed does not match this session.',
    badRequest: 'A request was not valid.',
    internal: 'An unexpected error; the downloaded report has its message.',
  } satisfies Record<BatchResultCode, string>,
};
