/**
 * A leaver scenario world: an in-process emulator with a tenant of its own (Graph with OneDrive, the Exchange
 * admin API), the engine with in-memory records, the product's Graph directory and playbook adapters, and the
 * connection's credentials as the emulator's app-only tokens for a service principal with or without
 * Exchange.ManageAsApp.
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createPlaybookPorts } from '../../../shared/exchange/playbookPorts';
import { handleWorkerMessage } from '../../../shared/engine/handler';
import { StaticFlowCatalog } from '../../../shared/engine/flowCatalog';
import type { EngineDeps } from '../../../shared/engine/reconcile';
import type { WorkerMessage } from '../../../shared/messaging/message';
import type { SeedTenant } from '../../../emulator/src/state/seed';
import type { ResourceName } from '../../../emulator/src/state/model';
import { httpsRequest, testTenantSeed, type Loose, type TestCloud } from '../../emulator/exchange/helpers';
import { issueAccessToken } from '../../../emulator/src/tokens/accessToken';
import type { DirectoryRoleName } from '../../../emulator/src/state/model';
import type { SeedPermissions } from '../../../emulator/src/state/seed';
import { createGraphDirectory } from '../../../shared/graph/index';
import type { ConnectionAccess } from '../../../shared/engine/ports';
import { randomUUID } from 'node:crypto';
import { startEmulator } from '../../../emulator/src/emulator';
import { DEFAULT_STATE_DIR } from '../../../emulator/src/emulator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemorySender, memoryStores, silent, TestClock } from '../../engine/fakes';
import { playbookFlow, type PlaybookFlowOptions } from '../flow';

export type LeaverApp = 'leaver' | 'leaverNoExchange';

export interface LeaverCloud extends TestCloud {
  readonly apps: Record<LeaverApp, string>;
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
    department: 'Sales',
    licenses: ['SPE_E3'],
    mailbox: {},
    ...over,
  };
}

const GRAPH_PERMISSIONS = [
  'User.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
  'User.EnableDisableAccount.All',
  'Files.ReadWrite.All',
  'MailboxSettings.ReadWrite',
];

function leaverSeed(apps: Record<LeaverApp, string>): SeedTenant {
  const base = testTenantSeed();
  const domain = base.domains.find((d) => d.default)!.name;
  const manager = `grace.hopper@${domain}`;
  const users = [
    person(domain, 'Grace', 'Hopper', 'M1'),
    person(domain, 'Ada', 'Lovelace', 'E1', { manager, oneDrive: true }),
    person(domain, 'Lin', 'Legal', 'E2', { department: 'Legal', manager, oneDrive: true }),
    person(domain, 'Nora', 'Noperm', 'E3', { manager, oneDrive: true }),
    person(domain, 'Tom', 'Throttled', 'E4', { manager }),
  ];
  const sp = (appId: string, name: string, exchange: string[]) => ({
    appId,
    displayName: name,
    appPermissions: { graph: GRAPH_PERMISSIONS, ...(exchange.length ? { exchange } : {}) } as SeedPermissions,
    roles: ['User Administrator', 'Exchange Administrator'] as DirectoryRoleName[],
  });
  return {
    ...base,
    users: users as SeedTenant['users'],
    groups: [
      { displayName: 'All Staff', members: users.map((u) => u.userPrincipalName) },
      {
        displayName: 'Sales',
        members: users.filter((u) => u.department === 'Sales').map((u) => u.userPrincipalName),
      },
      { displayName: 'Marketing', members: [] },
    ],
    servicePrincipals: [
      ...(base.servicePrincipals ?? []),
      sp(apps.leaver, 'Tenure leaver', ['Exchange.ManageAsApp']),
      sp(apps.leaverNoExchange, 'Tenure without Exchange.ManageAsApp', []),
    ],
  };
}

export async function startLeaverCloud(): Promise<LeaverCloud> {
  const emulator = await startEmulator();
  const apps = { leaver: randomUUID(), leaverNoExchange: randomUUID() };
  const tenant = emulator.context.state.addTenant(leaverSeed(apps));
  const domain = tenant.domains.find((d) => d.isDefault)!.id;
  const ca = readFileSync(join(DEFAULT_STATE_DIR, 'ca', 'ca.pem'), 'utf8');
  return { emulator, tenant, domain, ca, apps, close: () => emulator.close() };
}

/** The connection's credential: the emulator's app-only token for the app, Graph or Exchange by scope. */
export function credentialOf(cloud: LeaverCloud, app: LeaverApp): TokenCredential {
  return {
    getToken: async (scopes): Promise<AccessToken> => {
      const scope = Array.isArray(scopes) ? scopes.join(' ') : String(scopes);
      const resource: ResourceName = scope.includes('outlook') ? 'exchange' : 'graph';
      const sp = cloud.emulator.context.state.servicePrincipalByAppId(cloud.tenant, cloud.apps[app])!;
      const token = issueAccessToken(cloud.emulator.context, {
        tenant: cloud.tenant,
        resource,
        clientAppId: sp.appId,
        subject: { kind: 'app', servicePrincipal: sp },
        clientAuth: '1',
      }).accessToken;
      return { token, expiresOnTimestamp: Date.now() + 3_000_000 };
    },
  };
}

export function leaverWorld(
  cloud: LeaverCloud,
  app: LeaverApp = 'leaver',
  options: PlaybookFlowOptions = {},
) {
  const clock = new TestClock(new Date('2026-03-10T12:00:00Z'));
  const endpoints = cloud.emulator.context.endpoints;
  const access: ConnectionAccess = {
    tenantId: cloud.tenant.id,
    cloud: 'global',
    graphBaseUrl: endpoints.graph,
    graphScope: 'https://graph.microsoft.com/.default',
    credential: credentialOf(cloud, app),
    customHosts: [new URL(endpoints.graph).hostname],
    exchange: {
      baseUrl: endpoints.exchange,
      scope: 'https://outlook.office365.com/.default',
      credential: credentialOf(cloud, app),
    },
  };
  const directory = createGraphDirectory(access, { batching: false });
  const waits: number[] = [];
  // Waits are recorded, not slept: the emulator's Retry-After is honoured by value, not by the test's clock.
  const ports = createPlaybookPorts(access, {
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const flow = playbookFlow('demo', cloud.domain, options);
  const deps = {
    flows: new StaticFlowCatalog([flow]),
    directoryFor: async () => directory,
    playbookFor: async () => ports,
    ...memoryStores(),
    sender: new MemorySender(),
    clock,
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
  return { deps, ports, clock, send, waits };
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
/** Writes in log order: Exchange Set-/Add- cmdlets and Graph writes (`POST invite`, `POST assignLicense`, ...). */
export function writesOf(log: LogEntry[]): string[] {
  return log
    .filter(
      (e) =>
        (e.service === 'exchange' && /^(Set|Add|Remove)-/.test(e.detail ?? '')) ||
        (e.service === 'graph' && e.method !== 'GET'),
    )
    .map((e) =>
      e.service === 'exchange'
        ? e.detail!
        : `${e.method} ${e.path
            .split('/')
            .filter((x) => !/[0-9a-f-]{36}|^b!/.test(x))
            .pop()}`,
    );
}

export async function requests(cloud: TestCloud, since: number, service?: string): Promise<LogEntry[]> {
  const q = `?since=${since}${service ? `&service=${service}` : ''}`;
  const body = await admin(cloud, `/requests${q}`);
  return (body.value as unknown as LogEntry[]).filter(
    (e) => e.tenantId === undefined || e.tenantId === cloud.tenant.id,
  );
}

export function lastSeq(cloud: TestCloud): number {
  return cloud.emulator.context.state.log.lastSeq;
}
