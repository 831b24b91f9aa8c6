/**
 * Versions of ingested snapshots. The engine keeps the last applied version per worker and skips older ones, and
 * the engine's messageId (shared/messaging/sender.ts) is built from kind, flow, employee id and version — so the
 * version carries both the order (an ISO instant, or the flow's as-of field) and the identity of the content (a
 * digest), which makes a re-sent identical record a duplicate Service Bus drops.
 */
import { createHash } from 'node:crypto';
import type { HrRecord, HrValue } from '../flows';

function canonical(value: HrValue): string {
  return JSON.stringify(value);
}

/** Digest of a validated record (normal forms, keys sorted): equal content gives an equal digest. */
export function recordDigest(record: HrRecord): string {
  const text = Object.keys(record)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(record[k] ?? null)}`)
    .join(',');
  return digest(text);
}

export function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

/** Sortable text for an as-of value: ISO instants as they are, numbers zero-padded. */
export function orderKey(value: HrValue): string | undefined {
  if (value === null || Array.isArray(value)) return undefined;
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= 0 ? String(value).padStart(20, '0') : undefined;
  if (typeof value === 'string') return value;
  return undefined;
}

export function snapshotVersion(order: string, contentDigest: string): string {
  return `${order}#${contentDigest}`;
}
