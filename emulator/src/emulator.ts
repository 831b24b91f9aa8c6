// Builds and starts the whole emulator in this process: state from the seed, TLS from the local CA, one
// listener per service. Used by main.ts (the CLI) and by tests that need an emulator of their own.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { registerIdentityAdminRoutes } from './admin/identityRoutes';
import { registerCoreAdminRoutes } from './admin/routes';
import { keyVaultService, registerKeyVaultAdminRoutes } from './keyvault';
import { registerExchangeAdminRoutes } from './exchange/admin';
import { createExchangeService } from './exchange/service';
import { registerOneDriveAdminRoutes } from './onedrive/admin';
import { registerServiceBusAdminRoutes } from './servicebus/admin';
import { startServiceBus } from './servicebus';
import type { EmulatorContext, Endpoints } from './context';
import { registerGraphAdminRoutes } from './graph/admin';
import { createGraphService } from './graph/service';
import { Router } from './http/router';
import { registerIdentityRoutes } from './identity/routes';
import { MANAGED_IDENTITY_PATH, managedIdentityService } from './managedIdentity/service';
import { listenService, type Listener } from './servers';
import { plainService, type ServiceDefinition } from './services';
import type { Seed } from './state/seed';
import { EmulatorState } from './state/store';
import { loadOrCreateSigningKey } from './tokens/signingKey';
import { ensureCertificateAuthority, issueServerCertificate } from './tls';

/** The repository root (dist/emulator/src → ../../..). */
export const PACKAGE_ROOT = resolve(__dirname, '..', '..', '..');
export const DEFAULT_SEED = join(PACKAGE_ROOT, 'emulator', 'seeds', 'default.json');
export const DEFAULT_STATE_DIR = join(PACKAGE_ROOT, '.tenure', 'emulator');

export interface StartOptions {
  seed?: string;
  stateDir?: string;
  host?: string;
  /** Ports base+0 … base+5 (login, graph, exchange, keyVault, managedIdentity, serviceBus); free ports when absent. */
  portBase?: number;
}

export interface RunningEmulator {
  context: EmulatorContext;
  readyLine: Record<string, unknown>;
  close(): Promise<void>;
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  const seedPath = options.seed ?? DEFAULT_SEED;
  const seed = JSON.parse(readFileSync(seedPath, 'utf8')) as Seed;
  const ca = await ensureCertificateAuthority(join(stateDir, 'ca'));
  const tls = await issueServerCertificate(ca);
  const state = new EmulatorState(seed);
  const port = (offset: number): number => (options.portBase ? options.portBase + offset : 0);

  const endpoints: Endpoints = {
    login: '',
    graph: '',
    exchange: '',
    keyVault: '',
    managedIdentity: { endpoint: '', header: randomBytes(16).toString('hex') },
    serviceBus: { host, port: 0, connectionString: '' },
    admin: '',
  };
  const context: EmulatorContext = { state, signingKey: loadOrCreateSigningKey(stateDir), endpoints };

  const login = new Router();
  registerCoreAdminRoutes(login, context);
  registerIdentityAdminRoutes(login, context);
  registerIdentityRoutes(login, context);
  registerKeyVaultAdminRoutes(login, context);
  registerExchangeAdminRoutes(login, context);
  registerOneDriveAdminRoutes(login, context);
  registerGraphAdminRoutes(login, context);
  registerServiceBusAdminRoutes(login, context);
  // Built before any listener starts, so a bad graph seed block fails the start without leaking a listener.
  // Other Graph route modules add their routes to graph.router here.
  const graph = createGraphService(context);

  const https = async (definition: ServiceDefinition, offset: number): Promise<Listener> =>
    listenService(definition, state, { host, port: port(offset), tls });
  const listeners: Listener[] = [];
  const loginListener = await https(plainService('login', login), 0);
  listeners.push(loginListener);
  endpoints.login = `https://${host}:${loginListener.port}`;
  endpoints.admin = `${endpoints.login}/_emulator`;
  // App Service's identity endpoint is plain HTTP on loopback.
  const mi = await listenService(managedIdentityService(context), state, { host, port: port(4) });
  listeners.push(mi);
  endpoints.managedIdentity.endpoint = `http://${host}:${mi.port}${MANAGED_IDENTITY_PATH}`;
  const keyVaultListener = await https(keyVaultService(context), 3);
  listeners.push(keyVaultListener);
  endpoints.keyVault = `https://${host}:${keyVaultListener.port}`;

  const exchangeListener = await https(createExchangeService(context), 2);
  listeners.push(exchangeListener);
  endpoints.exchange = `https://${host}:${exchangeListener.port}`;
  const graphListener = await https(graph, 1);
  listeners.push(graphListener);
  endpoints.graph = `https://${host}:${graphListener.port}`;

  const serviceBus = await startServiceBus(context, { host, port: port(5) });
  endpoints.serviceBus = { host, port: serviceBus.port, connectionString: serviceBus.connectionString };
  listeners.push({ port: serviceBus.port, close: serviceBus.close });

  const readyLine = {
    event: 'ready',
    login: endpoints.login,
    graph: endpoints.graph,
    exchange: endpoints.exchange,
    keyVault: endpoints.keyVault,
    managedIdentity: endpoints.managedIdentity,
    serviceBus: endpoints.serviceBus,
    admin: endpoints.admin,
    caPath: ca.certPath,
    tenants: [...state.tenants.values()].map((t) => ({
      id: t.id,
      displayName: t.displayName,
      domains: t.domains.map((d) => d.id),
    })),
    demo: seed.demo,
    queues: (seed.queues ?? []).map((q) => q.name),
  };
  return {
    context,
    readyLine,
    close: async () => {
      await Promise.all(listeners.map((l) => l.close()));
    },
  };
}
