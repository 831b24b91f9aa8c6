// Shared helpers of the Azure Tables repositories: key escaping and RestError → Tenure error translation.
import type { TableClient } from '@azure/data-tables';
import { TenureError } from '../engine/errors';
import type { TableName } from '../config/resources';

/** Gives a table client by name (AzureClients.table in production; Azurite in tests). */
export type TableSource = (name: TableName) => Promise<TableClient>;

/** Table keys may not contain / \ # ? or control characters; URI-encoding removes all of them. */
export function key(...parts: string[]): string {
  return parts.map((p) => encodeURIComponent(p)).join('|');
}

export function statusOf(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

export function storageError(err: unknown, table: string): TenureError {
  if (err instanceof TenureError) return err;
  const status = statusOf(err);
  if (status === 409 || status === 412) {
    return new TenureError(
      'TENURE_STORAGE_CONFLICT',
      `Table ${table}: concurrent write.`,
      {},
      { cause: err, terminal: false },
    );
  }
  return new TenureError(
    'TENURE_STORAGE_UNAVAILABLE',
    `Table ${table} is unavailable${status ? ` (HTTP ${status})` : ''}.`,
    {},
    { cause: err, terminal: false },
  );
}

/** Runs a table call, translating SDK errors. */
export async function guarded<T>(table: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw storageError(err, table);
  }
}

/** Entity property values are limited to 64 KiB; JSON payloads are stored as strings. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

export function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
