// Wires the lifecycle engine to the app's SDK clients and the Connections module, once per worker process.
import { ConnectionModuleCredentials } from '../shared/engine/adapters/connectionCredentials';
import type { EngineDeps } from '../shared/engine/reconcile';
import { createEngineDeps } from '../shared/engine/runtime';
import { appClients } from './appClients';
import { serviceProviderDeps } from './serviceProviderDeps';

let deps: EngineDeps | undefined;

export function engineDeps(): EngineDeps {
  return (deps ??= createEngineDeps({
    env: process.env,
    clients: appClients(),
    connections: () => new ConnectionModuleCredentials(serviceProviderDeps()),
  }));
}
