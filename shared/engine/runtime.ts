/**
 * Composition root of the engine: builds EngineDeps from app settings and the app's SDK clients. Directories are
 * cached per connection (one Graph client, one adaptive limiter, shared batching across concurrent workers).
 */
import { randomInt } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { ServiceBusSender } from '@azure/service-bus';
import type { AzureClients } from '../azure/clients';
import { cloudEndpoints, parseCloud } from '../clouds/endpoints';
import { readFlag, readSetting, requireSetting, type Env } from '../config/settings';
import { createGraphDirectory } from '../graph/index';
import { createPlaybookPorts } from '../exchange/playbookPorts';
import type { PlaybookPorts } from '../playbook/observe';
import { ServiceBusWorkerSender } from '../messaging/sender';
import { createRepositories } from '../storage/index';
import {
  ClientSecretConnectionCredentials,
  type ClientSecretConnection,
} from './adapters/clientSecretConnections';
import { KeyVaultCredentialVault } from './adapters/keyVaultVault';
import { loadFlowCatalog, type FlowCatalog } from './flowCatalog';
import type { ConnectionCredentials, Directory } from './ports';
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
  const directories = new Map<string, Promise<Directory>>();
  const playbooks = new Map<string, Promise<PlaybookPorts>>();
  let sender: ServiceBusSender | undefined;
  const lazySender = () => (sender ??= clients.serviceBus().createSender(clients.hrQueue));
  const repos = createRepositories((name) => clients.table(name));
  return {
    flows: { get: (name) => catalog().get(name), names: () => catalog().names() },
    directoryFor(connectionId) {
      let d = directories.get(connectionId);
      if (!d) {
        d = connections
          .forConnection(connectionId)
          .then((access) => createGraphDirectory(access, { batching: true }));
        d.catch(() => directories.delete(connectionId));
        directories.set(connectionId, d);
      }
      return d;
    },
    // Exchange/OneDrive adapters for the leaver playbook (issue 9), cached per connection like directories.
    playbookFor(connectionId) {
      let p = playbooks.get(connectionId);
      if (!p) {
        p = connections.forConnection(connectionId).then((access) => createPlaybookPorts(access));
        p.catch(() => playbooks.delete(connectionId));
        playbooks.set(connectionId, p);
      }
      return p;
    },
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
