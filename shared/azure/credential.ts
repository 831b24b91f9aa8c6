// The credential Tenure uses for its own Azure resources (Tables, Key Vault, Service Bus): the function app's
// managed identity in Azure; locally the emulator's identity endpoint answers the same protocol.
import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { readFlag, readSetting, type Env } from '../config/settings';

export function createAppCredential(env: Env): TokenCredential {
  return new DefaultAzureCredential({
    managedIdentityClientId: readSetting(env, 'AZURE_CLIENT_ID'),
    // Documented for non-Microsoft authority hosts; never set in Azure.
    disableInstanceDiscovery: readFlag(env, 'TENURE_DISABLE_INSTANCE_DISCOVERY'),
  });
}
