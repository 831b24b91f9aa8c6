/**
 * ConnectionCredentials from a client id and secret (ClientSecretCredential): for tests and the local demo
 * against the emulator only — production connections use certificates or delegated tokens (connectionCredentials.ts).
 */
import { ClientSecretCredential } from '@azure/identity';
import { scopeOf, type CloudEndpoints } from '../../clouds/endpoints';
import { TenureError } from '../errors';
import type { ConnectionAccess, ConnectionCredentials } from '../ports';

export interface ClientSecretConnection {
  readonly id: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The connection has the exchange add-on (the leaver playbook's mailbox steps use the same credential). */
  readonly exchange?: boolean;
}

export class ClientSecretConnectionCredentials implements ConnectionCredentials {
  private readonly cache = new Map<string, ConnectionAccess>();

  constructor(
    private readonly endpoints: CloudEndpoints,
    private readonly connections: readonly ClientSecretConnection[],
    private readonly disableInstanceDiscovery: boolean,
  ) {}

  async forConnection(connectionId: string): Promise<ConnectionAccess> {
    const cached = this.cache.get(connectionId);
    if (cached) return cached;
    const c = this.connections.find((x) => x.id === connectionId);
    if (!c) {
      throw new TenureError(
        'TENURE_CREDENTIALS_UNAVAILABLE',
        'The flow names a connection that does not exist.',
        {
          target: connectionId,
        },
      );
    }
    const access: ConnectionAccess = {
      tenantId: c.tenantId,
      cloud: this.endpoints.cloud,
      graphBaseUrl: this.endpoints.graphUrl,
      graphScope: scopeOf(this.endpoints.graphResource),
      credential: new ClientSecretCredential(c.tenantId, c.clientId, c.clientSecret, {
        authorityHost: this.endpoints.authorityHost,
        disableInstanceDiscovery: this.disableInstanceDiscovery,
      }),
      customHosts: this.endpoints.graphCustomHost ? [this.endpoints.graphCustomHost] : [],
    };
    if (c.exchange) {
      const withExchange: ConnectionAccess = {
        ...access,
        exchange: {
          baseUrl: this.endpoints.exchangeUrl,
          scope: scopeOf(this.endpoints.exchangeResource),
          credential: access.credential,
        },
      };
      this.cache.set(connectionId, withExchange);
      return withExchange;
    }
    this.cache.set(connectionId, access);
    return access;
  }
}
