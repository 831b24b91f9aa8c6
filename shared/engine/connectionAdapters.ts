/**
 * A connection's adapters, built once per connection and shared by every worker: the directory and the leaver
 * playbook's Graph calls (OneDrive, licence plans) go through ONE Graph executor, so a throttling pause Graph asks
 * of the connection, and its adaptive concurrency, hold both; the Exchange client (one per connection) shares its
 * pause and limit across the connection's cmdlets the same way.
 */
import type { Middleware } from '@microsoft/microsoft-graph-client';
import type { FetchLike } from '../exchange/client';
import { createPlaybookPorts } from '../exchange/playbookPorts';
import type { ExchangeRetryOptions } from '../exchange/policy';
import { createGraphDirectory, createGraphExecutor } from '../graph/index';
import type { RetryOptions } from '../graph/policy';
import type { PlaybookPorts } from '../playbook/observe';
import type { ConnectionAccess, ConnectionCredentials, Directory, Sleep } from './ports';

export interface ConnectionAdapters {
  readonly directory: Directory;
  readonly playbook: PlaybookPorts;
}

export interface ConnectionAdapterOptions {
  readonly graphRetry?: RetryOptions;
  readonly exchangeRetry?: ExchangeRetryOptions;
  readonly sleep?: Sleep;
  /** Tests: Exchange's HTTP and Graph's SDK middleware. */
  readonly fetch?: FetchLike;
  readonly httpMiddleware?: Middleware;
}

export function createConnectionAdapters(
  access: ConnectionAccess,
  options: ConnectionAdapterOptions = {},
): ConnectionAdapters {
  const graph = createGraphExecutor(access, {
    retry: options.graphRetry,
    sleep: options.sleep,
    httpMiddleware: options.httpMiddleware,
  });
  return {
    directory: createGraphDirectory(access, { batching: true, executor: graph }),
    playbook: createPlaybookPorts(access, {
      graph,
      fetch: options.fetch,
      sleep: options.sleep,
      exchangeRetry: options.exchangeRetry,
    }),
  };
}

/** Adapters by connection id, built on first use; a failure to build is not cached (the next run tries again). */
export function connectionAdapterCache(
  connections: ConnectionCredentials,
  build: (access: ConnectionAccess) => ConnectionAdapters = (access) => createConnectionAdapters(access),
): (connectionId: string) => Promise<ConnectionAdapters> {
  const cache = new Map<string, Promise<ConnectionAdapters>>();
  return (connectionId) => {
    let adapters = cache.get(connectionId);
    if (!adapters) {
      adapters = connections.forConnection(connectionId).then(build);
      adapters.catch(() => cache.delete(connectionId));
      cache.set(connectionId, adapters);
    }
    return adapters;
  };
}
