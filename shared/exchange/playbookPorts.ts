/**
 * The leaver playbook's adapters for one connection: the Exchange admin API (only with the exchange add-on's
 * credential), OneDrive and licence plans over the product's Graph client. Wire into the engine as
 * `EngineDeps.playbookFor = async (id) => createPlaybookPorts(await credentials.forConnection(id))`.
 */
import type { ConnectionAccess, Sleep } from '../engine/ports';
import type { GraphExecutor } from '../graph/executor';
import { createGraphExecutor } from '../graph/index';
import type { RetryOptions } from '../graph/policy';
import type { Middleware } from '@microsoft/microsoft-graph-client';
import { GraphOneDrive } from '../onedrive/drives';
import type { PlaybookPorts } from '../playbook/observe';
import { ExchangeAdminClient, type FetchLike } from './client';
import { GraphLicencePlans } from './licencePlans';
import { ExchangeMailboxes } from './mailboxes';
import type { ExchangeRetryOptions } from './policy';

export interface PlaybookPortsOptions {
  readonly fetch?: FetchLike;
  readonly sleep?: Sleep;
  readonly exchangeRetry?: ExchangeRetryOptions;
  readonly graphRetry?: RetryOptions;
  /** Tests: answer Graph requests with a fake middleware. */
  readonly httpMiddleware?: Middleware;
  /**
   * The connection's Graph executor, shared with its directory so a throttling pause holds both (production:
   * engine/connectionAdapters.ts); default one of its own (graphRetry, sleep, httpMiddleware apply to it).
   */
  readonly graph?: GraphExecutor;
}

/** The InvokeCommand URL for an Exchange host root (as `exchangeInvokeCommandUrl` in shared/clouds). */
export function invokeUrlOf(exchangeBaseUrl: string, tenantId: string): string {
  return `${exchangeBaseUrl.replace(/\/+$/, '')}/adminapi/beta/${encodeURIComponent(tenantId)}/InvokeCommand`;
}

export function createPlaybookPorts(
  access: ConnectionAccess,
  options: PlaybookPortsOptions = {},
): PlaybookPorts {
  const graph =
    options.graph ??
    createGraphExecutor(access, {
      retry: options.graphRetry,
      sleep: options.sleep,
      httpMiddleware: options.httpMiddleware,
    });
  const exchange = access.exchange;
  return {
    oneDrive: new GraphOneDrive(graph),
    licencePlans: new GraphLicencePlans(graph),
    ...(exchange
      ? {
          mailboxes: new ExchangeMailboxes(
            new ExchangeAdminClient({
              invokeUrl: invokeUrlOf(exchange.baseUrl, access.tenantId),
              tenantId: access.tenantId,
              scope: exchange.scope,
              credential: exchange.credential,
              fetch: options.fetch,
              sleep: options.sleep,
              retry: options.exchangeRetry,
            }),
          ),
        }
      : {}),
  };
}
