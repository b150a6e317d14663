/** English texts of the app's log area; the other languages mirror this module's shape. */
import { formatNumber, plural } from '../format.ts';

export const log = {
  title: 'Log',
  filterLabel: 'Filter the log',
  filterPlaceholder: 'Filter (hex, function, URL…)',
  maskSecrets: 'Mask secrets',
  copy: 'Copy',
  export: 'Export',
  exportJson: 'Export JSON',
  clear: 'Clear',
  entryCopied: 'Entry copied.',
  logCopied: 'Log copied.',
  shown: (shown: number, total: number) =>
    plural('en', total, {
      one: `${formatNumber('en', shown)} of # exchange shown.`,
      other: `${formatNumber('en', shown)} of # exchanges shown.`,
    }),
  olderBodiesDropped: (n: number) =>
    plural('en', n, { one: '# older body dropped.', other: '# older bodies dropped.' }),
  /** An APDU exchange's duration; `ms` is the number already formatted. */
  durationMs: (ms: string) => `${ms} ms`,
  empty: 'Nothing logged yet.',
  copyEntry: 'Copy entry',
  /** `size` is formatted, e.g. "257 bytes". */
  droppedSummary: (size: string) => `> [${size} dropped from the log]`,
  droppedBody: (size: string) => `${size} dropped to bound the log`,
  /** Headings of an entry's decoded parts. */
  parts: {
    body: 'Body',
    error: 'Error',
    command: 'Command',
    response: 'Response',
    request: 'Request',
    es10Request: (blocks: number) =>
      plural('en', blocks, {
        one: 'ES10 request (# STORE DATA block)',
        other: 'ES10 request (# STORE DATA blocks)',
      }),
    es10Response: (pieces: number) =>
      plural('en', pieces, { one: 'ES10 response (# piece)', other: 'ES10 response (# pieces)' }),
    /** A base64 DER field of an ES9+ body, decoded; `field` is its JSON name. */
    requestField: (field: string) => `Request ${field}`,
    responseField: (field: string) => `Response ${field}`,
  },
};
