/**
 * Workers Tenure manages for a flow, for full-extract handling. The engine keeps one row per worker in the
 * `Workers` table (shared/engine/repositories.ts WorkerRecord); until its storage adapter lands this reads the
 * table directly with the layout below. Layout assumed: PartitionKey = flow, RowKey = employee id, columns
 * `employeeId`, `phase`, `snapshot` (JSON text of the last raw HR record).
 */
import type { TableClient } from '@azure/data-tables';

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
      const filter = `PartitionKey eq '${flow.replace(/'/g, "''")}'`;
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
