// Connection records in Azure Tables (table "Connections", one partition). Updates are conditional on the etag
// so two writers (an admin and the refresh timer) cannot overwrite each other silently.
import type { TableClient } from '@azure/data-tables';
import { ConnectionError } from './errors';
import type { Connection } from './model';

export interface ConnectionRepository {
  get(id: string): Promise<Connection | undefined>;
  list(): Promise<Connection[]>;
  /** Stores a new record; TENURE_CONNECTION_CONFLICT when the id exists. */
  create(connection: Connection): Promise<Connection>;
  /** Replaces a record read earlier; TENURE_CONNECTION_CONFLICT when it changed since. */
  update(connection: Connection): Promise<Connection>;
}

const PARTITION = 'connection';

interface Entity {
  partitionKey: string;
  rowKey: string;
  json: string;
  etag?: string;
}

function statusOf(error: unknown): number | undefined {
  const s = (error as { statusCode?: unknown }).statusCode;
  return typeof s === 'number' ? s : undefined;
}

function toEntity(c: Connection): Entity {
  const { etag: _etag, ...record } = c;
  return { partitionKey: PARTITION, rowKey: c.id, json: JSON.stringify(record) };
}

function fromEntity(e: Entity): Connection {
  return { ...(JSON.parse(e.json) as Connection), etag: e.etag };
}

export function tableConnectionRepository(table: () => Promise<TableClient>): ConnectionRepository {
  return {
    async get(id) {
      try {
        return fromEntity(await (await table()).getEntity<Entity>(PARTITION, id));
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async list() {
      const out: Connection[] = [];
      for await (const e of (await table()).listEntities<Entity>({
        queryOptions: { filter: `PartitionKey eq '${PARTITION}'` },
      })) {
        out.push(fromEntity(e as Entity));
      }
      return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async create(connection) {
      try {
        const res = await (await table()).createEntity(toEntity(connection));
        return { ...connection, etag: res.etag };
      } catch (error) {
        if (statusOf(error) === 409) {
          throw new ConnectionError(
            'TENURE_CONNECTION_CONFLICT',
            `Connection ${connection.id} already exists.`,
            { id: connection.id },
            { cause: error },
          );
        }
        throw error;
      }
    },
    async update(connection) {
      if (!connection.etag) throw new Error('update needs the etag of the record that was read');
      try {
        const res = await (
          await table()
        ).updateEntity(toEntity(connection), 'Replace', { etag: connection.etag });
        return { ...connection, etag: res.etag };
      } catch (error) {
        if (statusOf(error) === 412) {
          throw new ConnectionError(
            'TENURE_CONNECTION_CONFLICT',
            `Connection ${connection.id} changed meanwhile; read it again.`,
            { id: connection.id },
            { cause: error },
          );
        }
        throw error;
      }
    },
  };
}

/**
 * Read-modify-write that survives a concurrent writer (the timer and an admin on the same record): on an etag
 * conflict it reads the record again and re-applies `change`. `change` returns undefined to leave it as it is.
 */
export async function updateConnection(
  repo: ConnectionRepository,
  id: string,
  change: (current: Connection) => Connection | undefined,
  attempts = 5,
): Promise<Connection | undefined> {
  for (let i = 1; ; i++) {
    const current = await repo.get(id);
    if (!current) throw new ConnectionError('TENURE_CONNECTION_NOT_FOUND', `No connection ${id}.`, { id });
    const next = change(current);
    if (!next) return current;
    try {
      return await repo.update({ ...next, etag: current.etag });
    } catch (error) {
      if (!(error instanceof ConnectionError && error.code === 'TENURE_CONNECTION_CONFLICT') || i >= attempts)
        throw error;
    }
  }
}
