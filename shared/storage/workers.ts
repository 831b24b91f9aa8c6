// Workers table: one row per worker (PartitionKey = flow, RowKey = employee id).
import type { WorkerRecord, WorkerRepository, WorkerStatus } from '../engine/repositories';
import { guarded, json, key, parseJson, statusOf, type TableSource } from './tables';

const TABLE = 'Workers';

/** Cleared fields are stored as empty strings (Replace mode) and read back as undefined. */
function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export class TableWorkerRepository implements WorkerRepository {
  constructor(private readonly tables: TableSource) {}

  async get(flow: string, employeeId: string): Promise<WorkerRecord | null> {
    const table = await guarded(TABLE, () => this.tables(TABLE));
    try {
      const e = await table.getEntity<Record<string, unknown>>(key(flow), key(employeeId));
      return {
        flow,
        employeeId,
        status: (e.status as WorkerStatus) ?? 'ok',
        lastVersion: str(e.lastVersion),
        snapshot: parseJson<Record<string, unknown> | undefined>(e.snapshot, undefined),
        snapshotVersion: str(e.snapshotVersion),
        objectId: str(e.objectId),
        reason: str(e.reason),
        errorCode: str(e.errorCode),
        phase: str(e.phase) as WorkerRecord['phase'],
        terminatedSince: str(e.terminatedSince),
        scheduledWakeAt: str(e.scheduledWakeAt),
        pendingManager: str(e.pendingManager),
        updatedAt: String(e.updatedAt ?? ''),
        etag: str(e.etag),
      };
    } catch (err) {
      if (statusOf(err) === 404) return null;
      return guarded(TABLE, () => Promise.reject(err));
    }
  }

  async put(record: WorkerRecord): Promise<void> {
    const table = await guarded(TABLE, () => this.tables(TABLE));
    const entity: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
      partitionKey: key(record.flow),
      rowKey: key(record.employeeId),
      flow: record.flow,
      employeeId: record.employeeId,
      status: record.status,
      updatedAt: record.updatedAt,
    };
    const optional = {
      lastVersion: record.lastVersion,
      snapshot: record.snapshot === undefined ? undefined : json(record.snapshot),
      snapshotVersion: record.snapshotVersion,
      objectId: record.objectId,
      reason: record.reason,
      errorCode: record.errorCode,
      phase: record.phase,
      terminatedSince: record.terminatedSince,
      scheduledWakeAt: record.scheduledWakeAt,
      pendingManager: record.pendingManager,
    };
    // Replace mode: a cleared optional field must disappear, so absent values are written as empty strings.
    for (const [k, v] of Object.entries(optional)) entity[k] = v ?? '';
    await guarded(TABLE, () =>
      record.etag
        ? table.updateEntity(entity, 'Replace', { etag: record.etag })
        : table.upsertEntity(entity, 'Replace'),
    );
  }
}
