// Builds the Graph Directory for a connection: SDK client → transport → executor (retries, AIMD) → directory.
// One executor per connection (createGraphExecutor) may serve the directory and the playbook's Graph calls, so a
// throttling pause and the concurrency limit hold every caller of the connection (engine/connectionAdapters.ts).
import type { ConnectionAccess, Sleep } from '../engine/ports';
import { GraphDirectory } from './directory';
import { GraphExecutor } from './executor';
import { createGraphSdkClient } from './transport';
import { SdkGraphTransport } from './transport';
import type { Middleware } from '@microsoft/microsoft-graph-client';
import type { RetryOptions } from './policy';

export interface GraphDirectoryFactoryOptions {
  readonly batching?: boolean;
  readonly bindWindowMs?: number;
  readonly retry?: RetryOptions;
  readonly sleep?: Sleep;
  /** Tests: answer HTTP requests with a fake middleware. */
  readonly httpMiddleware?: Middleware;
  /** The connection's executor, when shared with its other Graph callers (retry, sleep, middleware then unused). */
  readonly executor?: GraphExecutor;
}

export type GraphExecutorFactoryOptions = Pick<
  GraphDirectoryFactoryOptions,
  'retry' | 'sleep' | 'httpMiddleware'
>;

/** The Graph executor of a connection: SDK client → transport → retries, pause and adaptive concurrency. */
export function createGraphExecutor(
  access: ConnectionAccess,
  options: GraphExecutorFactoryOptions = {},
): GraphExecutor {
  const client = createGraphSdkClient({
    credential: access.credential,
    graphBaseUrl: access.graphBaseUrl,
    scope: access.graphScope,
    customHosts: access.customHosts,
    httpMiddleware: options.httpMiddleware,
  });
  return new GraphExecutor(new SdkGraphTransport(client), { retry: options.retry, sleep: options.sleep });
}

export function createGraphDirectory(
  access: ConnectionAccess,
  options: GraphDirectoryFactoryOptions = {},
): GraphDirectory {
  const executor = options.executor ?? createGraphExecutor(access, options);
  return new GraphDirectory(executor, {
    graphRoot: access.graphBaseUrl.replace(/\/$/, ''),
    batching: options.batching,
    bindWindowMs: options.bindWindowMs,
  });
}

export { GraphDirectory } from './directory';
export { GraphExecutor } from './executor';
export { SdkGraphTransport, createGraphSdkClient } from './transport';
export type { GraphRequest, GraphResponse, GraphTransport } from './types';
