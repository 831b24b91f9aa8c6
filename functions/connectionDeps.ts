// Wires the connection use cases to the app's SDK clients.
import { tableConnectionRepository } from '../shared/connections/repository';
import type { ConnectionDeps } from '../shared/connections/service';
import { appClients } from './appClients';

let deps: ConnectionDeps | undefined;

export function connectionDeps(): ConnectionDeps {
  if (!deps) {
    const clients = appClients();
    deps = {
      env: process.env,
      repo: tableConnectionRepository(() => clients.table('Connections')),
      certificates: () => clients.certificates(),
      signer: (keyId) => clients.cryptography(keyId),
      now: () => new Date(),
    };
  }
  return deps;
}
