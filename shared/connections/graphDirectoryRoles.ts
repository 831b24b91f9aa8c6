// Reads the directory roles of an app's service principal through Microsoft Graph (for the link check).
import type { TokenCredential } from '@azure/core-auth';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { scopeOf, type CloudEndpoints } from '../clouds/endpoints';
import type { DirectoryRoleReader } from './verify';

export function graphDirectoryRoleReader(
  credential: TokenCredential,
  endpoints: CloudEndpoints,
): DirectoryRoleReader {
  const client = Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, {
      scopes: [scopeOf(endpoints.graphResource)],
    }),
    baseUrl: `${endpoints.graphUrl}/`,
    defaultVersion: 'v1.0',
    customHosts: endpoints.graphCustomHost ? new Set([endpoints.graphCustomHost]) : undefined,
  });
  return async (clientId) => {
    const sps = (await client
      .api('/servicePrincipals')
      .filter(`appId eq '${clientId.replace(/'/g, "''")}'`)
      .select('id')
      .get()) as {
      value: { id: string }[];
    };
    const sp = sps.value[0];
    if (!sp) return [];
    const assignments = (await client
      .api('/roleManagement/directory/roleAssignments')
      .filter(`principalId eq '${sp.id}'`)
      .get()) as { value: { roleDefinitionId: string }[] };
    return assignments.value.map((a) => a.roleDefinitionId);
  };
}
