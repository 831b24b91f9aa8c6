/** A record as read from any format, before validation against the flow. */
import type { HrFieldError } from '../flows';
import type { RecordRef } from './answer';

export interface IncomingRecord {
  readonly ref: RecordRef;
  /** Raw HR fields (CSV cells, mapped SCIM attributes, CloudEvents `data`); absent when the envelope is invalid. */
  readonly raw?: Record<string, unknown>;
  /** Employee ID the envelope names (CloudEvents `subject`, SCIM `externalId`) and what it is called there. */
  readonly envelopeId?: { readonly value: string; readonly name: string };
  /** Instant the record is as of, from the envelope (CloudEvents `time`), ISO UTC. */
  readonly asOf?: string;
  /** Instant the record takes effect when later than now (scheduled delivery), ISO UTC. */
  readonly effectiveAt?: string;
  /** Deduplication key from the envelope (CloudEvents `source` + `id`); default: the record's content. */
  readonly dedupeKey?: string;
  /** Problems found while reading the envelope or row; the record is rejected with them. */
  readonly errors: readonly HrFieldError[];
  readonly ignoredAttributes?: readonly string[];
  /** SCIM: fields absent from the operation were taken from the worker's stored record. */
  readonly merged?: boolean;
}
