/**
 * Documented limits of POST /api/flows/{flow}/events (docs/ingestion.md). A full CSV extract must fit in one
 * request (otherwise missing workers cannot be told apart from a truncated file), so the body limit is sized for
 * large populations: a 20 MB extract is accepted. Entra's bulkUpload takes at most 50 operations per request and
 * Tenure keeps that limit so an integration written for Entra behaves the same here.
 */
export const LIMITS = {
  /** Largest request body, in bytes (32 MiB). */
  maxBodyBytes: 32 * 1024 * 1024,
  /** SCIM BulkRequest operations per request (Entra API-driven provisioning's limit). */
  maxScimOperations: 50,
  /** Events in one application/cloudevents-batch+json request. */
  maxCloudEvents: 1000,
  /** Data rows (header excluded) in one CSV extract. */
  maxCsvRows: 200_000,
  /** Columns in a CSV extract. */
  maxCsvColumns: 500,
  /** Messages sent to Service Bus at the same time while answering one request. */
  sendConcurrency: 32,
} as const;

export type IngestLimits = { -readonly [K in keyof typeof LIMITS]: number };
