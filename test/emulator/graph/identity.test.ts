// End to end: a token from the emulator's own token endpoint through @azure/identity (ClientSecretCredential,
// authorityHost = login endpoint, disableInstanceDiscovery) and the Graph SDK's TokenCredential provider.
// Skipped only while the sign-in service is absent (its token endpoint answers 404).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { DEMO_APP, DEMO_TENANT, startEmulator } from './helpers';

describe('Graph through @azure/identity', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let tokenEndpointMissing = false;
  before(async () => {
    emulator = await startEmulator();
    const probe = await fetch(`${emulator.context.endpoints.login}/${DEMO_TENANT}/oauth2/v2.0/token`, {
      method: 'POST',
    });
    tokenEndpointMissing = probe.status === 404;
  });
  after(async () => emulator?.close());

  it('lists users of the demo tenant with a client-secret token', async (t) => {
    if (tokenEndpointMissing) {
      t.skip('sign-in service not available (token endpoint 404)');
      return;
    }
    const credential = new ClientSecretCredential(
      DEMO_TENANT,
      DEMO_APP,
      'demo-client-secret-not-for-production',
      {
        authorityHost: emulator.context.endpoints.login,
        disableInstanceDiscovery: true,
      },
    );
    const client = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, {
        scopes: ['https://graph.microsoft.com/.default'],
      }),
      baseUrl: emulator.context.endpoints.graph + '/',
      customHosts: new Set(['127.0.0.1']),
    });
    const users = await client.api('/users').filter("userPrincipalName eq 'admin@contoso.test'").get();
    assert.equal(users.value[0].displayName, 'Avery Admin');
  });
});
