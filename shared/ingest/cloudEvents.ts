/**
 * CloudEvents 1.0, structured JSON mode (`application/cloudevents+json`, one event) and the JSON batch format
 * (`application/cloudevents-batch+json`, an array). Each event carries one worker snapshot:
 * `type` = WORKER_SNAPSHOT_TYPE, `subject` = employee ID, `data` = the record with the flow's HR fields, `id`
 * (with `source`) deduplicates, `time` orders, and the optional extension `effectivetime` schedules delivery.
 */
import type { HrFieldError } from '../flows';
import { IngestError } from './errors';
import type { IncomingRecord } from './incoming';

export const WORKER_SNAPSHOT_TYPE = 'com.tenure.worker.snapshot';

const REQUIRED = ['specversion', 'id', 'source', 'type'] as const;
// Context attribute names: lower-case letters and digits (CloudEvents 1.0, "Attribute Naming Convention").
const ATTRIBUTE_NAME = /^[a-z0-9]{1,20}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function instant(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  // RFC 3339 timestamp (the CloudEvents `Timestamp` type): a date, a time and an offset or Z.
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

export function readCloudEvent(event: unknown, index: number | undefined): IncomingRecord {
  const errors: HrFieldError[] = [];
  if (!isObject(event)) {
    return { ref: { index }, errors: [{ field: '', reason: 'an event must be a JSON object' }] };
  }
  const eventId = typeof event.id === 'string' ? event.id : undefined;
  const ref = { eventId, index };
  for (const name of REQUIRED) {
    if (typeof event[name] !== 'string' || event[name] === '')
      errors.push({ field: name, reason: 'required context attribute (a non-empty string)' });
  }
  if (typeof event.specversion === 'string' && event.specversion !== '1.0')
    errors.push({ field: 'specversion', reason: 'only CloudEvents 1.0 is accepted' });
  if (typeof event.type === 'string' && event.type !== '' && event.type !== WORKER_SNAPSHOT_TYPE)
    errors.push({ field: 'type', reason: `must be ${WORKER_SNAPSHOT_TYPE}` });
  for (const key of Object.keys(event)) {
    if (key !== 'data' && key !== 'data_base64' && !ATTRIBUTE_NAME.test(key))
      errors.push({
        field: key,
        reason: 'not a valid context attribute name (lower-case letters and digits)',
      });
  }
  const contentType = event.datacontenttype;
  if (
    contentType !== undefined &&
    (typeof contentType !== 'string' || !/^application\/([\w.+-]*\+)?json\b/i.test(contentType))
  )
    errors.push({ field: 'datacontenttype', reason: 'must be application/json' });
  if (event.data_base64 !== undefined)
    errors.push({
      field: 'data_base64',
      reason: 'binary data is not accepted; send the record as JSON in data',
    });
  if (!isObject(event.data))
    errors.push({ field: 'data', reason: 'required: the worker record as a JSON object' });
  let asOf: string | undefined;
  if (event.time !== undefined) {
    asOf = instant(event.time);
    if (!asOf) errors.push({ field: 'time', reason: 'not an RFC 3339 timestamp' });
  }
  let effectiveAt: string | undefined;
  if (event.effectivetime !== undefined) {
    effectiveAt = instant(event.effectivetime);
    if (!effectiveAt) errors.push({ field: 'effectivetime', reason: 'not an RFC 3339 timestamp' });
  }
  let envelopeId: IncomingRecord['envelopeId'];
  if (event.subject !== undefined) {
    if (typeof event.subject !== 'string' || event.subject.trim() === '')
      errors.push({ field: 'subject', reason: 'must be the employee ID (a non-empty string)' });
    else envelopeId = { value: event.subject.trim(), name: 'event subject' };
  }
  return {
    ref,
    raw: errors.length === 0 ? { ...(event.data as Record<string, unknown>) } : undefined,
    envelopeId,
    asOf,
    effectiveAt,
    dedupeKey: `${String(event.source)}\n${String(event.id)}`,
    errors,
  };
}

export function readCloudEventBatch(body: unknown, max: number): IncomingRecord[] {
  if (!Array.isArray(body))
    throw new IngestError('TENURE_INGEST_MALFORMED', 'A CloudEvents batch must be a JSON array of events.');
  if (body.length > max)
    throw new IngestError(
      'TENURE_INGEST_TOO_MANY_RECORDS',
      `The batch has ${body.length} events; at most ${max} are accepted per request. Split it into smaller batches.`,
      { limit: max, received: body.length },
    );
  return body.map((e, i) => readCloudEvent(e, i));
}
