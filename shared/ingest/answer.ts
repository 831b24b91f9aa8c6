/** The synchronous answer of POST /api/flows/{flow}/events: one entry per record, in input order. */
import type { HrFieldError } from '../flows';

export type IngestFormat = 'cloudevents' | 'cloudevents-batch' | 'scim' | 'csv';

/** Where a record came from, in the terms of its format. */
export interface RecordRef {
  /** CSV: 1-based data row; the header line is not counted (row 1 is the first line after the header). */
  readonly row?: number;
  /** CSV: physical line where the row starts (differs from row + 1 when quoted fields span lines). */
  readonly line?: number;
  /** SCIM: the operation's bulkId. */
  readonly operation?: string;
  /** CloudEvents: the event id. */
  readonly eventId?: string;
  /** SCIM and CloudEvents batch: 0-based position in the request. */
  readonly index?: number;
}

export interface AcceptedRecord extends RecordRef {
  readonly status: 'accepted';
  readonly employeeId: string;
  /** The Service Bus messageId (duplicate detection key); quote it when asking what happened to a record. */
  readonly trackingId: string;
  readonly sessionId: string;
  readonly version: string;
  /** Present when the record is effective in the future: the message is delivered then. */
  readonly scheduledFor?: string;
  /** SCIM attributes that had a value but map to no field of the flow (ignored, as Entra ignores them). */
  readonly ignoredAttributes?: readonly string[];
  /** SCIM: attributes absent from the operation were kept from the worker's stored record (Entra's update semantics). */
  readonly mergedWithStored?: true;
}

export interface RejectedRecord extends RecordRef {
  readonly status: 'rejected';
  readonly employeeId?: string;
  readonly errors: readonly HrFieldError[];
}

/** Valid, but Service Bus did not take it: send the request again. */
export interface FailedRecord extends RecordRef {
  readonly status: 'failed';
  readonly employeeId: string;
  readonly errors: readonly HrFieldError[];
}

export type RecordAnswer = AcceptedRecord | RejectedRecord | FailedRecord;

export interface MissingWorker {
  readonly employeeId: string;
  /** `reported`: nothing sent; `terminated`: a termination snapshot was sent; `notTerminated`: see reason. */
  readonly outcome: 'reported' | 'terminated' | 'notTerminated';
  readonly trackingId?: string;
  readonly reason?: string;
}

export interface FullExtractAnswer {
  /** What the flow says to do with managed workers absent from a full extract. */
  readonly policy: 'report' | 'terminate';
  /** Workers Tenure manages for this flow (not yet terminated) when the extract was read. */
  readonly managedWorkers: number;
  readonly missing: readonly MissingWorker[];
}

export interface IngestAnswer {
  readonly flow: string;
  readonly format: IngestFormat;
  readonly receivedAt: string;
  readonly summary: {
    readonly records: number;
    readonly accepted: number;
    readonly rejected: number;
    readonly failed: number;
    readonly scheduled: number;
  };
  /** One sentence on the outcome; says why the status is 200 when records were rejected. */
  readonly message: string;
  readonly records: readonly RecordAnswer[];
  /** CSV: optional columns of the flow that the file does not have (sent as empty) and columns ignored on request. */
  readonly columns?: { readonly missingOptional: readonly string[]; readonly ignored: readonly string[] };
  readonly fullExtract?: FullExtractAnswer;
}
