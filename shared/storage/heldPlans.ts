// HeldPlans table: plans held by the mass-change guard (PartitionKey = flow), the flow's pause marker, and the
// guard's counters of destructive operations (PartitionKey = flow|guard, RowKey = time, summed over the window).
import type { GuardCounts, HeldPlan, HeldPlanRepository } from '../engine/repositories';
import { guarded, key, statusOf, type TableSource } from './tables';

const TABLE = 'HeldPlans';
const PAUSE_ROW = '~paused';

export class TableHeldPlanRepository implements HeldPlanRepository {
  private seq = 0;
  constructor(private readonly tables: TableSource) {}

  private table() {
    return guarded(TABLE, () => this.tables(TABLE));
  }

  async hold(plan: HeldPlan): Promise<void> {
    const table = await this.table();
    await guarded(TABLE, () =>
      table.upsertEntity({ partitionKey: key(plan.flow), rowKey: key(plan.employeeId), ...plan }, 'Replace'),
    );
  }

  async list(flow: string): Promise<HeldPlan[]> {
    const table = await this.table();
    const pk = key(flow).replace(/'/g, "''");
    const out: HeldPlan[] = [];
    await guarded(TABLE, async () => {
      for await (const e of table.listEntities<Record<string, unknown>>({
        queryOptions: { filter: `PartitionKey eq '${pk}'` },
      })) {
        if (e.rowKey === PAUSE_ROW) continue;
        out.push(toHeld(e));
      }
    });
    return out;
  }

  async get(flow: string, employeeId: string): Promise<HeldPlan | null> {
    const table = await this.table();
    try {
      return toHeld(await table.getEntity<Record<string, unknown>>(key(flow), key(employeeId)));
    } catch (err) {
      if (statusOf(err) === 404) return null;
      return guarded(TABLE, () => Promise.reject(err));
    }
  }

  async remove(flow: string, employeeId: string): Promise<void> {
    const table = await this.table();
    try {
      await table.deleteEntity(key(flow), key(employeeId));
    } catch (err) {
      if (statusOf(err) !== 404) await guarded(TABLE, () => Promise.reject(err));
    }
  }

  async pausedSince(flow: string): Promise<string | null> {
    const table = await this.table();
    try {
      const e = await table.getEntity<{ since?: string }>(key(flow), PAUSE_ROW);
      return e.since ?? null;
    } catch (err) {
      if (statusOf(err) === 404) return null;
      return guarded(TABLE, () => Promise.reject(err));
    }
  }

  async setPaused(flow: string, since: string | null): Promise<void> {
    const table = await this.table();
    if (since) {
      await guarded(TABLE, () =>
        table.upsertEntity({ partitionKey: key(flow), rowKey: PAUSE_ROW, since }, 'Replace'),
      );
      return;
    }
    try {
      await table.deleteEntity(key(flow), PAUSE_ROW);
    } catch (err) {
      if (statusOf(err) !== 404) await guarded(TABLE, () => Promise.reject(err));
    }
  }

  async recordChanges(flow: string, at: string, counts: GuardCounts, windowMs: number): Promise<GuardCounts> {
    const table = await this.table();
    const pk = key(flow, 'guard');
    if (counts.disables + counts.deletes + counts.groupRemovals > 0) {
      const rowKey = `${at}-${String(this.seq++).padStart(6, '0')}-${Math.random().toString(36).slice(2, 8)}`;
      await guarded(TABLE, () => table.createEntity({ partitionKey: pk, rowKey, ...counts }));
    }
    const since = new Date(Date.parse(at) - windowMs).toISOString();
    const total = { disables: 0, deletes: 0, groupRemovals: 0 };
    const filter = `PartitionKey eq '${pk.replace(/'/g, "''")}' and RowKey ge '${since}'`;
    await guarded(TABLE, async () => {
      for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        total.disables += Number(e.disables ?? 0);
        total.deletes += Number(e.deletes ?? 0);
        total.groupRemovals += Number(e.groupRemovals ?? 0);
      }
    });
    return total;
  }
}

function toHeld(e: Record<string, unknown>): HeldPlan {
  return {
    flow: String(e.flow),
    employeeId: String(e.employeeId),
    heldAt: String(e.heldAt),
    plan: String(e.plan),
    version: String(e.version),
    reason: String(e.reason),
  };
}
