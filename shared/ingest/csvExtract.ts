/**
 * A CSV HR extract read with the flow's HR data definition. The header must name the flow's fields: unknown
 * columns and missing required columns reject the whole file with a precise list (a misspelt column would
 * otherwise blank that field for every worker); columns the caller lists in `ignore` are skipped. Missing optional
 * columns are allowed and reported (those fields are sent empty). Each data row becomes one record; rows are
 * numbered from 1 after the header, and a row whose cell count differs from the header's is rejected.
 */
import type { Flow } from '../flows';
import { CsvSyntaxError, readCsv } from './csv';
import { IngestError } from './errors';
import type { IncomingRecord } from './incoming';

export interface CsvExtract {
  readonly records: IncomingRecord[];
  readonly missingOptional: string[];
  readonly ignored: string[];
}

interface ColumnProblem {
  readonly column: string;
  readonly position: number;
  readonly reason: string;
}

export function readCsvExtract(
  flow: Flow,
  text: string,
  options: { maxRows: number; maxColumns: number; ignore?: readonly string[] },
): CsvExtract {
  let header: string[] | undefined;
  let columns: (string | undefined)[] = [];
  const records: IncomingRecord[] = [];
  const missingOptional: string[] = [];
  const ignoredSeen: string[] = [];
  let rowCount = 0;
  try {
    readCsv(text, ({ cells, line }) => {
      if (!header) {
        header = cells.map((c) => c.trim());
        if (header.length > options.maxColumns)
          throw new IngestError(
            'TENURE_INGEST_TOO_MANY_RECORDS',
            `The header has ${header.length} columns; at most ${options.maxColumns} are accepted.`,
            { limit: options.maxColumns, received: header.length, unit: 'columns' },
          );
        columns = reconcileHeader(flow, header, options.ignore ?? [], missingOptional, ignoredSeen);
        return;
      }
      rowCount++;
      if (rowCount > options.maxRows)
        throw new IngestError(
          'TENURE_INGEST_TOO_MANY_RECORDS',
          `The extract has more than ${options.maxRows} data rows; at most ${options.maxRows} are accepted per request.`,
          { limit: options.maxRows, unit: 'rows' },
        );
      const ref = { row: rowCount, line };
      if (cells.length !== header.length) {
        records.push({
          ref,
          errors: [
            {
              field: '',
              reason: `the row has ${cells.length} cells and the header ${header.length} columns`,
            },
          ],
        });
        return;
      }
      const raw: Record<string, unknown> = {};
      cells.forEach((cell, i) => {
        const name = columns[i];
        if (name !== undefined) raw[name] = cell;
      });
      records.push({ ref, raw, errors: [] });
    });
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new IngestError('TENURE_INGEST_MALFORMED', `The CSV cannot be read: ${error.message}.`, {
        line: error.line,
        column: error.column,
      });
    throw error;
  }
  if (!header) throw new IngestError('TENURE_INGEST_MALFORMED', 'The CSV is empty: it needs a header row.');
  return { records, missingOptional, ignored: ignoredSeen };
}

/** Column index → HR field (undefined: ignored column); throws the header mismatch with every problem. */
function reconcileHeader(
  flow: Flow,
  header: readonly string[],
  ignore: readonly string[],
  missingOptional: string[],
  ignoredSeen: string[],
): (string | undefined)[] {
  const fields = new Map(flow.hr.fields.map((f) => [f.name, f]));
  const byLower = new Map(flow.hr.fields.map((f) => [f.name.toLowerCase(), f.name]));
  const ignoreSet = new Set(ignore);
  const problems: ColumnProblem[] = [];
  const seen = new Map<string, number>();
  const columns = header.map((name, i) => {
    const position = i + 1;
    if (name === '') {
      problems.push({ column: '', position, reason: 'the column has no name' });
      return undefined;
    }
    if (seen.has(name)) {
      problems.push({ column: name, position, reason: `the column repeats column ${seen.get(name)}` });
      return undefined;
    }
    seen.set(name, position);
    if (ignoreSet.has(name)) {
      ignoredSeen.push(name);
      return undefined;
    }
    if (fields.has(name)) return name;
    const near = byLower.get(name.toLowerCase());
    problems.push({
      column: name,
      position,
      reason: near
        ? `not a field of the flow; did you mean ${near}? (names are case-sensitive)`
        : 'not a field of the flow',
    });
    return undefined;
  });
  const missingRequired: string[] = [];
  for (const f of flow.hr.fields) {
    if (seen.has(f.name) && !ignoreSet.has(f.name)) continue;
    if (f.required) missingRequired.push(f.name);
    else missingOptional.push(f.name);
  }
  if (problems.length > 0 || missingRequired.length > 0) {
    const parts: string[] = [];
    if (missingRequired.length > 0) parts.push(`missing required columns: ${missingRequired.join(', ')}`);
    if (problems.length > 0)
      parts.push(
        `column problems: ${problems.map((p) => `${p.position} "${p.column}" (${p.reason})`).join('; ')}`,
      );
    throw new IngestError(
      'TENURE_INGEST_CSV_HEADER_MISMATCH',
      `The header does not match the flow's HR data definition; no row was sent. ${parts.join('. ')}.`,
      {
        missingRequiredColumns: missingRequired,
        unknownColumns: problems,
        missingOptionalColumns: missingOptional,
      },
    );
  }
  return columns;
}
