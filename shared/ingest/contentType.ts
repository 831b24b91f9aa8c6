/**
 * Content negotiation of the events endpoint: the media type (parameters like charset aside) picks the reader.
 * `application/json` is accepted for callers that cannot set a specific type: the body's shape decides (an array
 * is a CloudEvents batch, an object with `specversion` one event, an object with `schemas` a SCIM BulkRequest).
 */
import { IngestError } from './errors';

export type BodyKind = 'cloudevents' | 'cloudevents-batch' | 'scim' | 'csv' | 'json';

export const MEDIA_TYPES: Readonly<Record<string, BodyKind>> = {
  'application/cloudevents+json': 'cloudevents',
  'application/cloudevents-batch+json': 'cloudevents-batch',
  'application/scim+json': 'scim',
  'text/csv': 'csv',
  'application/json': 'json',
};

export function mediaType(header: string | null | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Charset parameter, if any (lower-case). */
export function charset(header: string | null | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(header ?? '');
  return m?.[1]?.toLowerCase();
}

export function negotiate(header: string | null | undefined): BodyKind {
  const type = mediaType(header);
  const kind = MEDIA_TYPES[type];
  if (!kind)
    throw new IngestError(
      'TENURE_INGEST_UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${type === '' ? '(none)' : `"${type}"`} is not accepted. Send one of: ${Object.keys(MEDIA_TYPES).join(', ')}.`,
      { accepted: Object.keys(MEDIA_TYPES) },
    );
  return kind;
}

/** Decides what a JSON body sent as application/json is. */
export function sniffJson(body: unknown): 'cloudevents' | 'cloudevents-batch' | 'scim' {
  if (Array.isArray(body)) return 'cloudevents-batch';
  if (typeof body === 'object' && body !== null) {
    if ('specversion' in body) return 'cloudevents';
    if (Object.keys(body).some((k) => k.toLowerCase() === 'schemas')) return 'scim';
  }
  throw new IngestError(
    'TENURE_INGEST_MALFORMED',
    'An application/json body must be a CloudEvent (with specversion), an array of CloudEvents, or a SCIM BulkRequest (with schemas).',
  );
}
