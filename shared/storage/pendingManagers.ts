// PendingManagers table: reports waiting for their manager (PartitionKey = flow|manager employee id).
import type { PendingManagerRepository } from '../engine/repositories';
import { guarded, key, statusOf, type TableSource } from './tables';

const TABLE = 'PendingManagers';

export class TablePendingManagerRepository implements PendingManagerRepository {
  constructor(
    private readonly tables: TableSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(flow: string, managerEmployeeId: string, employeeId: string): Promise<void> {
    const table = await guarded(TABLE, () => this.tables(TABLE));
    await guarded(TABLE, () =>
      table.upsertEntity(
        {
          partitionKey: key(flow, managerEmployeeId),
          rowKey: key(employeeId),
          employeeId,
          since: this.now().toISOString(),
        },
        'Replace',
      ),
    );
  }

  async listReports(flow: string, managerEmployeeId: string): Promise<string[]> {
    const table = await guarded(TABLE, () => this.tables(TABLE));
    const pk = key(flow, managerEmployeeId).replace(/'/g, "''");
    const out: string[] = [];
    await guarded(TABLE, async () => {
      for await (const e of table.listEntities<{ employeeId?: string }>({
        queryOptions: { filter: `PartitionKey eq '${pk}'` },
      })) {
        if (typeof e.employeeId === 'string') out.push(e.employeeId);
      }
    });
    return out;
  }

  async remove(flow: string, managerEmployeeId: string, employeeId: string): Promise<void> {
    const table = await guarded(TABLE, () => this.tables(TABLE));
    try {
      await table.deleteEntity(key(flow, managerEmployeeId), key(employeeId));
    } catch (err) {
      if (statusOf(err) === 404) return;
      await guarded(TABLE, () => Promise.reject(err));
    }
  }
}
