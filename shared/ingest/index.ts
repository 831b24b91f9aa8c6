/** Public API of HR ingestion (wiring only). */
export { ingest, type IngestDeps, type IngestRequest, type IngestResult } from './ingest';
export * from './answer';
export { IngestError, type IngestErrorCode } from './errors';
export { LIMITS, type IngestLimits } from './limits';
export { MEDIA_TYPES, negotiate } from './contentType';
export { WORKER_SNAPSHOT_TYPE } from './cloudEvents';
export { BULK_REQUEST, SCIM_ERROR } from './scim';
export { DEFAULT_SCIM_MAPPING, mapScimUser, CORE_USER, ENTERPRISE_USER } from './scimMapping';
export { parseCsv, readCsv, CsvSyntaxError, type CsvRecord } from './csv';
export { folderFlowSource, flowsFolder, type FlowSource } from './flowSource';
export { tableManagedWorkers, type ManagedWorkers, type ManagedWorker } from './managedWorkers';
export { mergeWithStored, type StoredSnapshots } from './storedMerge';
