// Timeline table: every event, plan and operation result of a worker (PartitionKey = flow|employee id, RowKey
// sorts newest first). Entries larger than one property allows are stored with their data truncated and marked.
import type { TimelineEntry, TimelineRepository } from '../engine/repositories';
import { guarded, json, key, parseJson, type TableSource } from './tables';

const TABLE = 'Timeline';
const MAX_DATA = 30_000; // characters; a string property holds 64 KiB (UTF-16)
const MAX_TIME = 9_999_999_999_999;

export class TableTimelineRepository implements TimelineRepository {
  private seq = 0;
  constructor(private readonly tables: TableSource) {}

  async append(entries: readonly TimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const table = await guarded(TABLE, () => this.tables(TABLE));
    for (const e of entries) {
      const inverted = String(MAX_TIME - Date.parse(e.at)).padStart(13, '0');
      let data = json(e.data);
      if (data.length > MAX_DATA) data = json({ truncated: true, kind: e.kind, size: data.length });
      const entity = {
        partitionKey: key(e.flow, e.employeeId),
        rowKey: `${inverted}-${String(99_999 - (this.seq++ % 100_000)).padStart(5, '0')}-${key(e.runId)}`,
        flow: e.flow,
        employeeId: e.employeeId,
        at: e.at,
        kind: e.kind,
        runId: e.runId,
        data,
      };
      await guarded(TABLE, () => table.upsertEntity(entity, 'Replace'));
    }
  }

  async list(flow: string, employeeId: string, limit: number): Promise<TimelineEntry[]> {
    const table = await guarded(TABLE, () => this.tables(TABLE));
    const out: TimelineEntry[] = [];
    const pk = key(flow, employeeId);
    await guarded(TABLE, async () => {
      const pages = table
        .listEntities<Record<string, unknown>>({
          queryOptions: { filter: `PartitionKey eq '${pk.replace(/'/g, "''")}'` },
        })
        .byPage({ maxPageSize: Math.min(limit, 1000) });
      for await (const page of pages) {
        for (const e of page) {
          out.push({
            flow,
            employeeId,
            at: String(e.at),
            kind: e.kind as TimelineEntry['kind'],
            runId: String(e.runId),
            data: parseJson<Record<string, unknown>>(e.data, {}),
          });
          if (out.length >= limit) return;
        }
      }
    });
    return out;
  }
}
