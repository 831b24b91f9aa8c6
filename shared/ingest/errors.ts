/**
 * Errors of HR ingestion that answer a whole request (not one record): each has a stable code and the HTTP status
 * the endpoint gives. Messages name what is wrong and where (line, column, limit), never a record's values.
 */
export type IngestErrorCode =
  | 'TENURE_INGEST_UNSUPPORTED_MEDIA_TYPE'
  | 'TENURE_INGEST_MALFORMED'
  | 'TENURE_INGEST_NOT_A_BULK_REQUEST'
  | 'TENURE_INGEST_CSV_HEADER_MISMATCH'
  | 'TENURE_INGEST_BODY_TOO_LARGE'
  | 'TENURE_INGEST_TOO_MANY_RECORDS'
  | 'TENURE_INGEST_FLOW_NOT_FOUND'
  | 'TENURE_INGEST_FLOW_INVALID'
  | 'TENURE_INGEST_BAD_QUERY'
  | 'TENURE_INGEST_STORE_UNAVAILABLE';

const STATUS: Record<IngestErrorCode, number> = {
  TENURE_INGEST_UNSUPPORTED_MEDIA_TYPE: 415,
  TENURE_INGEST_MALFORMED: 400,
  TENURE_INGEST_NOT_A_BULK_REQUEST: 400,
  TENURE_INGEST_CSV_HEADER_MISMATCH: 400,
  TENURE_INGEST_BODY_TOO_LARGE: 413,
  TENURE_INGEST_TOO_MANY_RECORDS: 413,
  TENURE_INGEST_FLOW_NOT_FOUND: 404,
  TENURE_INGEST_FLOW_INVALID: 500,
  TENURE_INGEST_BAD_QUERY: 400,
  TENURE_INGEST_STORE_UNAVAILABLE: 503,
};

export class IngestError extends Error {
  readonly status: number;
  constructor(
    readonly code: IngestErrorCode,
    message: string,
    /** Machine-readable specifics (limits, columns, line numbers); never record values. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'IngestError';
    this.status = STATUS[code];
  }
}
