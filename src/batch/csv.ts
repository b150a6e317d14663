/**
 * CSV as RFC 4180 describes it: comma-separated fields, records ended by CRLF (LF alone is
 * accepted too), fields that hold commas, quotes or line breaks enclosed in double quotes, a
 * quote inside such a field written twice. A byte order mark at the start is skipped; empty
 * lines (outside quotes) are skipped.
 */

/** What is wrong with the CSV text. */
export type CsvErrorReason =
  'unclosedQuote' | 'textAfterQuote' | 'quoteInField' | 'bareCarriageReturn';

export class CsvError extends Error {
  override readonly name = 'CsvError';
  constructor(
    /** 1-based line of the text where the problem is. */
    readonly line: number,
    readonly reason: CsvErrorReason,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export interface CsvRecord {
  /** 1-based line of the text where the record starts. */
  line: number;
  fields: string[];
}

/** Splits `text` into records; throws CsvError on an unterminated or misplaced quote. */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const start = line;
    // An empty line is no record.
    if (src[i] === '\n' || (src[i] === '\r' && src[i + 1] === '\n')) {
      i += src[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    let ended = false;
    while (!ended) {
      let field = '';
      if (src[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= src.length)
            throw new CsvError(quoteLine, 'unclosedQuote', 'a quoted field is not closed');
          const ch = src[i]!;
          if (ch === '"') {
            if (src[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        const next = src[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
          throw new CsvError(
            line,
            'textAfterQuote',
            'text after the closing quote of a field (write "" for a quote)',
          );
      } else {
        while (i < src.length) {
          const ch = src[i]!;
          if (ch === ',' || ch === '\n' || (ch === '\r' && src[i + 1] === '\n')) break;
          if (ch === '"')
            throw new CsvError(
              line,
              'quoteInField',
              'a quote inside an unquoted field (quote the whole field)',
            );
          field += ch;
          i++;
        }
      }
      fields.push(field);
      if (i >= src.length) {
        ended = true;
      } else if (src[i] === ',') {
        i++;
      } else if (src[i] === '\r' && src[i + 1] === '\n') {
        i += 2;
        line++;
        ended = true;
      } else if (src[i] === '\n') {
        i++;
        line++;
        ended = true;
      } else {
        throw new CsvError(line, 'bareCarriageReturn', 'a carriage return without a line feed');
      }
    }
    records.push({ line: start, fields });
  }
  return records;
}

/** One field, quoted when it must be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One record with its CRLF. */
export function csvLine(values: readonly string[]): string {
  return values.map(csvField).join(',') + '\r\n';
}
