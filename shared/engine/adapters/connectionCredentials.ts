/**
 * ConnectionCredentials over the Connections module (production): a customer-owned connection gets its
 * app-only credential (client assertion signed by Key Vault), a service-provider connection its delegated
 * credential (refresh token kept in Key Vault). The engine only ever sees a TokenCredential.
 */
import { cloudEndpoints, scopeOf } from '../../clouds/endpoints';
import { getConnection, customerAppCredential } from '../../connections/service';
import { serviceProviderCredential, type ServiceProviderDeps } from '../../connections/serviceProvider';
import { TenureError } from '../errors';
import type { ConnectionAccess, ConnectionCredentials } from '../ports';

/** Statuses in which the connection holds no working credential yet (or any more). */
const NOT_USABLE: ReadonlySet<string> = new Set([
  'relink-required',
  'awaiting-consent',
  'awaiting-certificate-upload',
]);

export class ConnectionModuleCredentials implements ConnectionCredentials {
  constructor(private readonly deps: ServiceProviderDeps) {}

  async forConnection(connectionId: string): Promise<ConnectionAccess> {
    let connection;
    try {
      connection = await getConnection(this.deps, connectionId);
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      throw new TenureError(
        'TENURE_CREDENTIALS_UNAVAILABLE',
        code === 'TENURE_CONNECTION_NOT_FOUND'
          ? 'The flow names a connection that does not exist.'
          : 'The connection could not be read.',
        { target: connectionId },
        { cause, terminal: code === 'TENURE_CONNECTION_NOT_FOUND' },
      );
    }
    if (NOT_USABLE.has(connection.status)) {
      throw new TenureError(
        'TENURE_CREDENTIALS_UNAVAILABLE',
        `Connection is ${connection.status}; an admin must link it again.`,
        { target: connectionId },
        { terminal: true },
      );
    }
    const endpoints = cloudEndpoints(connection.cloud, this.deps.env);
    const credential =
      connection.kind === 'customer-app'
        ? customerAppCredential(this.deps, connection)
        : serviceProviderCredential(this.deps, connection);
    return {
      tenantId: connection.tenantId,
      cloud: connection.cloud,
      graphBaseUrl: endpoints.graphUrl,
      graphScope: scopeOf(endpoints.graphResource),
      credential,
      customHosts: endpoints.graphCustomHost ? [endpoints.graphCustomHost] : [],
      ...(connection.addOns.includes('exchange')
        ? {
            exchange: {
              baseUrl: endpoints.exchangeUrl,
              scope: scopeOf(endpoints.exchangeResource),
              credential,
            },
          }
        : {}),
    };
  }
}
