// Builds the Graph Directory for a connection: SDK client → transport → executor (retries, AIMD) → directory.
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
}

export function createGraphDirectory(
  access: ConnectionAccess,
  options: GraphDirectoryFactoryOptions = {},
): GraphDirectory {
  const client = createGraphSdkClient({
    credential: access.credential,
    graphBaseUrl: access.graphBaseUrl,
    scope: access.graphScope,
    customHosts: access.customHosts,
    httpMiddleware: options.httpMiddleware,
  });
  const executor = new GraphExecutor(new SdkGraphTransport(client), {
    retry: options.retry,
    sleep: options.sleep,
  });
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
