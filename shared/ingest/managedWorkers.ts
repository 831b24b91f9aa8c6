/**
 * Workers Tenure manages for a flow, for full-extract handling. The engine's WorkerRepository (shared/storage/
 * workers.ts) reads and writes one worker at a time and has no listing, so this adapter lists the same `Workers`
 * table with the engine's layout: PartitionKey = key(flow), RowKey = key(employee id) (shared/storage/tables.ts),
 * columns `employeeId`, `phase`, `snapshot` (JSON text of the last raw HR record).
 */
import type { TableClient } from '@azure/data-tables';
import { key } from '../storage/tables';

export interface ManagedWorker {
  readonly employeeId: string;
  /** Engine lifecycle phase (notYet, prehire, active, leave, terminated, retired, deleted) when known. */
  readonly phase?: string;
  /** Last raw HR snapshot the engine received, when stored. */
  readonly snapshot?: Readonly<Record<string, unknown>>;
}

export interface ManagedWorkers {
  list(flow: string): Promise<ManagedWorker[]>;
}

/** Phases in which a worker is gone already: a full extract without them changes nothing. */
export const GONE_PHASES: ReadonlySet<string> = new Set(['terminated', 'retired', 'deleted']);

function snapshotOf(value: unknown): Record<string, unknown> | undefined {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

export function tableManagedWorkers(table: () => Promise<TableClient>): ManagedWorkers {
  return {
    async list(flow) {
      const client = await table();
      const out: ManagedWorker[] = [];
      const filter = `PartitionKey eq '${key(flow).replace(/'/g, "''")}'`;
      for await (const e of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        const employeeId = typeof e.employeeId === 'string' ? e.employeeId : String(e.rowKey ?? '');
        if (!employeeId) continue;
        out.push({
          employeeId,
          phase: typeof e.phase === 'string' ? e.phase : undefined,
          snapshot: snapshotOf(e.snapshot),
        });
      }
      return out;
    },
  };
}
