/**
 * A leaver scenario world: an in-process emulator with a tenant of its own (Exchange admin API, OneDrive routes on
 * a Graph listener of the test's own, the Entra stand-in over the tenant state), the engine with in-memory records,
 * and the connection's credentials as real emulator tokens for chosen service principals.
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createPlaybookPorts } from '../../../shared/exchange/playbookPorts';
import { handleWorkerMessage, type Log } from '../../../shared/engine/handler';
import { StaticFlowCatalog } from '../../../shared/engine/flowCatalog';
import type { EngineDeps } from '../../../shared/engine/reconcile';
import type { WorkerMessage } from '../../../shared/messaging/message';
import type { SeedTenant } from '../../../emulator/src/state/seed';
import type { ResourceName } from '../../../emulator/src/state/model';
import {
  appToken,
  httpsRequest,
  startGraphRoutes,
  testTenantSeed,
  type AppName,
  type Loose,
  type TestCloud,
} from '../../emulator/exchange/helpers';
import { startEmulator } from '../../../emulator/src/emulator';
import { DEFAULT_STATE_DIR } from '../../../emulator/src/emulator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  counterRandom,
  MemoryHeld,
  MemoryPending,
  MemoryReservations,
  MemorySender,
  MemoryTimeline,
  MemoryVault,
  MemoryWorkers,
  TestClock,
} from '../../engine/fakes';
import { playbookFlow } from '../flow';
import { EmulatorEntra } from './emulatorEntra';

export interface LeaverCloud extends TestCloud {
  graphUrl: string;
}

function person(domain: string, first: string, last: string, id: string, over: Record<string, unknown> = {}) {
  const upn = `${first}.${last}@${domain}`.toLowerCase();
  return {
    userPrincipalName: upn,
    displayName: `${first} ${last}`,
    givenName: first,
    surname: last,
    mail: upn,
    mailNickname: `${first}.${last}`.toLowerCase(),
    employeeId: id,
    usageLocation: 'DE',
    licenses: ['SPE_E3'],
    mailbox: {},
    ...over,
  };
}

function leaverSeed(): SeedTenant {
  const base = testTenantSeed();
  const domain = base.domains.find((d) => d.default)!.name;
  const manager = `grace.hopper@${domain}`;
  const users = [
    person(domain, 'Grace', 'Hopper', 'M1', { department: 'Sales' }),
    person(domain, 'Ada', 'Lovelace', 'E1', { department: 'Sales', manager, oneDrive: true }),
    person(domain, 'Lin', 'Legal', 'E2', { department: 'Legal', manager, oneDrive: true }),
    person(domain, 'Nora', 'Noperm', 'E3', { department: 'Sales', manager, oneDrive: true }),
  ];
  return {
    ...base,
    users: users as SeedTenant['users'],
    groups: [
      { displayName: 'All Staff', members: users.map((u) => u.userPrincipalName) },
      {
        displayName: 'Sales',
        members: users.filter((u) => u.employeeId !== 'E2').map((u) => u.userPrincipalName),
      },
      { displayName: 'Marketing', members: [] },
    ],
  };
}

export async function startLeaverCloud(): Promise<LeaverCloud> {
  const emulator = await startEmulator();
  const tenant = emulator.context.state.addTenant(leaverSeed());
  const domain = tenant.domains.find((d) => d.isDefault)!.id;
  const ca = readFileSync(join(DEFAULT_STATE_DIR, 'ca', 'ca.pem'), 'utf8');
  const cloud: TestCloud = { emulator, tenant, domain, ca, close: () => emulator.close() };
  const graph = await startGraphRoutes(cloud);
  return {
    ...cloud,
    graphUrl: graph.url,
    close: async () => {
      await graph.close();
      await emulator.close();
    },
  };
}

/** A TokenCredential that mints the emulator's token for one of the tenant's service principals. */
function tokens(cloud: TestCloud, app: AppName, resource: ResourceName): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken> => ({
      token: appToken(cloud, app, resource),
      expiresOnTimestamp: Date.now() + 3_000_000,
    }),
  };
}

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function leaverWorld(cloud: LeaverCloud, exchangeApp: AppName = 'admin') {
  const clock = new TestClock(new Date('2026-03-10T12:00:00Z'));
  const entra = new EmulatorEntra(cloud.emulator.context.state, cloud.tenant);
  const ports = createPlaybookPorts(
    {
      tenantId: cloud.tenant.id,
      cloud: 'global',
      graphBaseUrl: cloud.graphUrl,
      graphScope: 'https://graph.microsoft.com/.default',
      credential: tokens(cloud, 'graphWriter', 'graph'),
      customHosts: ['127.0.0.1'],
      exchange: {
        baseUrl: cloud.emulator.context.endpoints.exchange,
        scope: 'https://outlook.office365.com/.default',
        credential: tokens(cloud, exchangeApp, 'exchange'),
      },
    },
    { sleep: async () => undefined },
  );
  const flow = playbookFlow('demo', cloud.domain);
  const deps = {
    flows: new StaticFlowCatalog([flow]),
    directoryFor: async () => entra,
    // licenseDetails is served by the stand-in until the emulator's Graph users service lands.
    playbookFor: async () => ({ ...ports, licencePlans: entra }),
    workers: new MemoryWorkers(),
    timeline: new MemoryTimeline(),
    reservations: new MemoryReservations(),
    pending: new MemoryPending(),
    held: new MemoryHeld(),
    vault: new MemoryVault(),
    sender: new MemorySender(),
    clock,
    random: counterRandom(),
  } satisfies EngineDeps;
  let run = 0;
  const send = (record: Record<string, string>, version: string) => {
    const message: WorkerMessage = {
      kind: 'snapshot',
      flow: flow.name,
      employeeId: record.Id!,
      version,
      record,
      sentAt: clock.now().toISOString(),
    };
    return handleWorkerMessage(deps, message, `run-${++run}`, silent);
  };
  return { deps, entra, ports, clock, send };
}

export function userByEmployeeId(cloud: TestCloud, employeeId: string) {
  return [...cloud.tenant.users.values()].find((u) => u.properties.employeeId === employeeId)!;
}

export async function admin(cloud: TestCloud, path: string): Promise<Loose> {
  const answer = await httpsRequest(`${cloud.emulator.context.endpoints.admin}${path}`, cloud.ca);
  if (answer.status !== 200) throw new Error(`admin ${path}: HTTP ${answer.status}`);
  return answer.json;
}

export interface LogEntry {
  seq: number;
  service: string;
  method: string;
  path: string;
  status: number;
  detail?: string;
  tenantId?: string;
}

/** The emulator's request log since `seq` for this tenant (GET /_emulator/requests). */
export async function requests(cloud: TestCloud, since: number, service?: string): Promise<LogEntry[]> {
  const q = `?since=${since}${service ? `&service=${service}` : ''}`;
  const body = await admin(cloud, `/requests${q}`);
  return (body.value as unknown as LogEntry[]).filter(
    (e) => e.tenantId === undefined || e.tenantId === cloud.tenant.id || e.service === 'graph-test',
  );
}

export function lastSeq(cloud: TestCloud): number {
  return cloud.emulator.context.state.log.lastSeq;
}
