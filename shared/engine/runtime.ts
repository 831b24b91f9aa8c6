/**
 * Composition root of the engine: builds EngineDeps from app settings and the app's SDK clients. A connection's
 * adapters are cached per connection (connectionAdapters.ts): one Graph executor for the directory and the playbook
 * (one pause, one adaptive limiter, shared batching across concurrent workers), one Exchange client.
 */
import { randomInt } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { ServiceBusSender } from '@azure/service-bus';
import type { AzureClients } from '../azure/clients';
import { cloudEndpoints, parseCloud } from '../clouds/endpoints';
import { readFlag, readSetting, requireSetting, type Env } from '../config/settings';
import { ServiceBusWorkerSender } from '../messaging/sender';
import { createRepositories } from '../storage/index';
import {
  ClientSecretConnectionCredentials,
  type ClientSecretConnection,
} from './adapters/clientSecretConnections';
import { KeyVaultCredentialVault } from './adapters/keyVaultVault';
import { connectionAdapterCache } from './connectionAdapters';
import { loadFlowCatalog, type FlowCatalog } from './flowCatalog';
import type { ConnectionCredentials } from './ports';
import type { EngineDeps } from './reconcile';

export interface EngineRuntimeInputs {
  readonly env: Env;
  readonly clients: AzureClients;
  /** Production: the Connections module; replaced by TENURE_DEMO_CONNECTIONS locally. */
  readonly connections: () => ConnectionCredentials;
  readonly flows?: FlowCatalog;
  /** App root the flows folder is relative to (default: the working directory). */
  readonly appRoot?: string;
}

/** Local-only client-secret connections (emulator demo), or undefined. */
export function demoConnections(env: Env): ConnectionCredentials | undefined {
  const raw = readSetting(env, 'TENURE_DEMO_CONNECTIONS');
  if (!raw) return undefined;
  const list = JSON.parse(raw) as ClientSecretConnection[];
  const endpoints = cloudEndpoints(parseCloud(requireSetting(env, 'TENURE_CLOUD')), env);
  return new ClientSecretConnectionCredentials(
    endpoints,
    list,
    readFlag(env, 'TENURE_DISABLE_INSTANCE_DISCOVERY'),
  );
}

export function createEngineDeps(inputs: EngineRuntimeInputs): EngineDeps {
  const { env, clients } = inputs;
  const flowsDir = requireSetting(env, 'TENURE_FLOWS_DIR');
  let flows = inputs.flows;
  const catalog = (): FlowCatalog =>
    (flows ??= loadFlowCatalog(
      isAbsolute(flowsDir) ? flowsDir : join(inputs.appRoot ?? process.cwd(), flowsDir),
    ));
  const connections = demoConnections(env) ?? inputs.connections();
  const adaptersFor = connectionAdapterCache(connections);
  let sender: ServiceBusSender | undefined;
  const lazySender = () => (sender ??= clients.serviceBus().createSender(clients.hrQueue));
  const repos = createRepositories((name) => clients.table(name));
  return {
    flows: { get: (name) => catalog().get(name), names: () => catalog().names() },
    directoryFor: (connectionId) => adaptersFor(connectionId).then((a) => a.directory),
    // Exchange/OneDrive adapters for the leaver playbook (issue 9), sharing the directory's Graph executor.
    playbookFor: (connectionId) => adaptersFor(connectionId).then((a) => a.playbook),
    ...repos,
    vault: new KeyVaultCredentialVault(() => clients.secrets()),
    sender: new ServiceBusWorkerSender({
      sendMessages: (m) => lazySender().sendMessages(m),
      scheduleMessages: (m, at) => lazySender().scheduleMessages(m, at),
    } as Pick<ServiceBusSender, 'sendMessages' | 'scheduleMessages'>),
    clock: { now: () => new Date() },
    random: { int: (max) => randomInt(max) },
  };
}
