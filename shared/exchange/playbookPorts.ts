/**
 * The leaver playbook's adapters for one connection: the Exchange admin API (only with the exchange add-on's
 * credential), OneDrive and licence plans over the product's Graph client. Wire into the engine as
 * `EngineDeps.playbookFor = async (id) => createPlaybookPorts(await credentials.forConnection(id))`.
 */
import type { ConnectionAccess, Sleep } from '../engine/ports';
import { GraphExecutor } from '../graph/executor';
import type { RetryOptions } from '../graph/policy';
import { SdkGraphTransport, createGraphSdkClient } from '../graph/transport';
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
}

/** The InvokeCommand URL for an Exchange host root (as `exchangeInvokeCommandUrl` in shared/clouds). */
export function invokeUrlOf(exchangeBaseUrl: string, tenantId: string): string {
  return `${exchangeBaseUrl.replace(/\/+$/, '')}/adminapi/beta/${encodeURIComponent(tenantId)}/InvokeCommand`;
}

export function createPlaybookPorts(
  access: ConnectionAccess,
  options: PlaybookPortsOptions = {},
): PlaybookPorts {
  const graph = new GraphExecutor(
    new SdkGraphTransport(
      createGraphSdkClient({
        credential: access.credential,
        graphBaseUrl: access.graphBaseUrl,
        scope: access.graphScope,
        customHosts: access.customHosts,
        httpMiddleware: options.httpMiddleware,
      }),
    ),
    { retry: options.graphRetry, sleep: options.sleep },
  );
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
