/**
 * RFC 4180 CSV reader: comma-separated, fields optionally in double quotes, `""` for a quote inside a quoted
 * field, quoted fields may span lines, records end with CRLF or LF (a lone CR too), an optional UTF-8 BOM is
 * skipped, and the last record may or may not end with a line break. Lines that are completely empty are skipped.
 * A quote inside an unquoted field is kept as text (what spreadsheet exports produce); text after a closing quote
 * or an unterminated quoted field is a syntax error with its line and column.
 */
export interface CsvRecord {
  readonly cells: string[];
  /** Physical line (1-based) where the record starts. */
  readonly line: number;
}

export class CsvSyntaxError extends Error {
  readonly code = 'TENURE_CSV_SYNTAX';
  constructor(
    readonly line: number,
    readonly column: number,
    reason: string,
  ) {
    super(`CSV syntax error at line ${line}, column ${column}: ${reason}`);
  }
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/** Calls `onRecord` for each record in order; stops early when it returns false. */
export function readCsv(text: string, onRecord: (record: CsvRecord) => boolean | void): void {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  let lineStart = i;
  while (i < n) {
    const recordLine = line;
    const cells: string[] = [];
    let atRecordEnd = false;
    // Completely empty line: skip.
    const c0 = text.charCodeAt(i);
    if (c0 === CR || c0 === LF) {
      i += c0 === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      lineStart = i;
      continue;
    }
    while (!atRecordEnd) {
      if (text.charCodeAt(i) === QUOTE) {
        const openLine = line;
        const openColumn = i - lineStart + 1;
        i++;
        let value = '';
        let chunkStart = i;
        for (;;) {
          if (i >= n) throw new CsvSyntaxError(openLine, openColumn, 'quoted field is not closed');
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            if (text.charCodeAt(i + 1) === QUOTE) {
              value += text.slice(chunkStart, i + 1);
              i += 2;
              chunkStart = i;
              continue;
            }
            value += text.slice(chunkStart, i);
            i++;
            break;
          }
          if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) {
            line++;
            lineStart = i + 1;
          }
          i++;
        }
        cells.push(value);
        const next = i < n ? text.charCodeAt(i) : LF;
        if (next === COMMA) {
          i++;
          if (i >= n) cells.push('');
        } else if (next === CR || next === LF) atRecordEnd = true;
        else throw new CsvSyntaxError(line, i - lineStart + 1, 'unexpected text after a closing quote');
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === CR || c === LF) break;
          j++;
        }
        cells.push(text.slice(i, j));
        i = j;
        if (i < n && text.charCodeAt(i) === COMMA) {
          i++;
          // A trailing comma at the end of the text still means one more (empty) field.
          if (i >= n) cells.push('');
        } else atRecordEnd = true;
      }
      if (i >= n) atRecordEnd = true;
    }
    // Consume the record's line break.
    if (i < n) {
      const c = text.charCodeAt(i);
      if (c === CR) i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      else if (c === LF) i++;
      line++;
      lineStart = i;
    }
    if (onRecord({ cells, line: recordLine }) === false) return;
  }
}

/** All records of a text (tests and small inputs). */
export function parseCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  readCsv(text, (r) => {
    out.push(r);
  });
  return out;
}
