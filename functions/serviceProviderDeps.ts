// Wires the service-provider (Link Account) use cases to the app's SDK clients.
import { tableOAuthStateStore } from '../shared/connections/oauthState';
import type { ServiceProviderDeps } from '../shared/connections/serviceProvider';
import { appClients } from './appClients';
import { connectionDeps } from './connectionDeps';

let deps: ServiceProviderDeps | undefined;

export function serviceProviderDeps(): ServiceProviderDeps {
  if (!deps) {
    const clients = appClients();
    deps = {
      ...connectionDeps(),
      states: tableOAuthStateStore(() => clients.table('OAuthStates')),
      secrets: () => clients.secrets(),
    };
  }
  return deps;
}
