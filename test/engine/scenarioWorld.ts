// A private local stack (emulator + Azurite) and the real engine wired to it: Graph through the demo app's
// client-secret connection, Azure Tables on Azurite, the engine clock following the emulator clock, and an
// in-process session queue standing in for Service Bus (scheduled messages fire when the emulator clock passes
// their time) until the Service Bus broker and the dev host's trigger runner land.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAzureClients } from '../../shared/azure/clients';
import { cloudEndpoints } from '../../shared/clouds/endpoints';
import { ClientSecretConnectionCredentials } from '../../shared/engine/adapters/clientSecretConnections';
import { StaticFlowCatalog } from '../../shared/engine/flowCatalog';
import type { EngineDeps } from '../../shared/engine/reconcile';
import type { Clock, Directory } from '../../shared/engine/ports';
import { parseFlow } from '../../shared/flows/index';
import { createGraphDirectory } from '../../shared/graph/index';
import { sessionIdFor, type WorkerMessage } from '../../shared/messaging/message';
import type { WorkerMessageSender } from '../../shared/messaging/sender';
import { createRepositories } from '../../shared/storage/index';
import { InvocationContext } from '@azure/functions';
import { reconcileWorkerHandler } from '../../functions/reconcileWorker';
import { startLocalStack, type LocalStack } from '../../devhost/localStack';
import { APP_ROOT } from '../../devhost/loadApp';
import { azuriteCredential } from '../storage/azuriteCredential';
import { counterRandom, MemoryVault } from './fakes';

export const TENANT = '7c1d5f0e-3c4b-4b8e-9a51-2f1e6d3c9b10';
const TAP_PERMISSION = 'UserAuthenticationMethod.ReadWrite.All';

/**
 * The default seed with one scarce SKU (1 seat) for the licence test, and the demo app granted
 * UserAuthenticationMethod.ReadWrite.All (Temporary Access Pass) on top of the default permissions.
 */
export function scenarioSeed(): string {
  const seed = JSON.parse(readFileSync(join(APP_ROOT, 'emulator', 'seeds', 'default.json'), 'utf8')) as {
    tenants: {
      id: string;
      skus?: { skuId: string; skuPartNumber: string; seats: number; servicePlans: unknown[] }[];
      applications?: { requiredPermissions?: { application?: { graph?: string[] } } }[];
      servicePrincipals?: { appPermissions?: { graph?: string[] } }[];
    }[];
  };
  const tenant = seed.tenants.find((t) => t.id === TENANT)!;
  for (const app of tenant.applications ?? [])
    app.requiredPermissions?.application?.graph?.push(TAP_PERMISSION);
  for (const sp of tenant.servicePrincipals ?? []) sp.appPermissions?.graph?.push(TAP_PERMISSION);
  tenant.skus!.push({
    skuId: '6f1c1d39-4b5e-4e0e-9b6c-2f1a3c4d5e6f',
    skuPartNumber: 'SCARCE_ADDON',
    seats: 1,
    servicePlans: [],
  });
  const dir = mkdtempSync(join(tmpdir(), 'tenure-scenario-'));
  const path = join(dir, 'seed.json');
  writeFileSync(path, JSON.stringify(seed));
  return path;
}

export class EmulatorClock implements Clock {
  offsetMs = 0;
  constructor(private readonly admin: string) {}
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  async sync(): Promise<void> {
    const body = (await (await fetch(`${this.admin}/_emulator/clock`)).json()) as { now: string };
    this.offsetMs = Date.parse(body.now) - Date.now();
  }
  async advanceTo(at: Date): Promise<void> {
    if (at.getTime() > this.now().getTime()) {
      await fetch(`${this.admin}/_emulator/clock/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: new Date(at.getTime() + 1000).toISOString() }),
      });
    }
    await this.sync();
  }
}

/** Session queue semantics in process: one message at a time per session id, FIFO within a session. */
export class SessionQueue implements WorkerMessageSender {
  ready: WorkerMessage[] = [];
  scheduled: { message: WorkerMessage; at: Date }[] = [];
  async send(message: WorkerMessage): Promise<void> {
    this.ready.push(message);
  }
  async schedule(message: WorkerMessage, at: Date): Promise<string> {
    this.scheduled.push({ message, at });
    return String(this.scheduled.length);
  }
  /** Moves scheduled messages due at `now` to the ready list. */
  due(now: Date): void {
    const due = this.scheduled.filter((s) => s.at.getTime() <= now.getTime());
    this.scheduled = this.scheduled.filter((s) => s.at.getTime() > now.getTime());
    this.ready.push(...due.sort((a, b) => a.at.getTime() - b.at.getTime()).map((s) => s.message));
  }
  take(): WorkerMessage[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }
}

export interface Scenario {
  stack: LocalStack;
  deps: EngineDeps;
  queue: SessionQueue;
  clock: EmulatorClock;
  directory: Directory;
  flowName: string;
  /** After moving the emulator clock by days, tokens cached by the old credential are expired there: start afresh. */
  renewCredentials(): Promise<void>;
  handle(message: unknown): Promise<{ status: string }>;
  /** Delivers ready messages (sessions in parallel, each session in order) until none is left. */
  drain(): Promise<void>;
  send(record: Record<string, string>, version?: string): Promise<{ status: string }>;
  graph(path: string, init?: RequestInit): Promise<Response>;
  requestSeq(): Promise<number>;
  graphWritesSince(seq: number): Promise<{ method: string; path: string }[]>;
  admin(path: string, method: string, body?: unknown): Promise<Response>;
}

/** The engine wired to a running stack (used by scenarios and by the crash test's child process). */
export async function engineForStack(
  settings: Record<string, string>,
  demo: { tenantId: string; clientId: string; clientSecret: string },
  flowYaml: string,
  clock: Clock,
  sender: WorkerMessageSender,
): Promise<{
  deps: EngineDeps;
  directory: () => Directory;
  renew(): Promise<void>;
  token(): Promise<string>;
}> {
  const endpoints = cloudEndpoints('global', settings);
  const make = async () => {
    const connections = new ClientSecretConnectionCredentials(endpoints, [{ id: 'demo', ...demo }], true);
    const access = await connections.forConnection('demo');
    return { access, directory: createGraphDirectory(access, { batching: true }) };
  };
  let current = await make();
  const clients = createAzureClients(settings, azuriteCredential);
  const deps: EngineDeps = {
    flows: new StaticFlowCatalog([parseFlow(flowYaml, 'scenario.yaml')]),
    directoryFor: async () => current.directory,
    ...createRepositories((name) => clients.table(name)),
    vault: new MemoryVault(),
    sender,
    clock,
    random: counterRandom(),
  };
  return {
    deps,
    directory: () => current.directory,
    async renew() {
      current = await make();
    },
    async token() {
      return (await current.access.credential.getToken(current.access.graphScope))!.token;
    },
  };
}

export async function startScenario(flowYaml: (name: string) => string): Promise<Scenario> {
  const stack = await startLocalStack({ seed: scenarioSeed() });
  const settings = stack.appSettings;
  const demo = stack.emulator.demo!;
  const flowName = `s${randomUUID().slice(0, 8)}`;
  const adminRoot = stack.emulator.admin.replace(/\/_emulator\/?$/, '');
  const clock = new EmulatorClock(adminRoot);
  await clock.sync();
  const queue = new SessionQueue();
  const engine = await engineForStack(
    settings,
    { tenantId: demo.tenantId, clientId: demo.clientId, clientSecret: demo.clientSecret! },
    flowYaml(flowName),
    clock,
    queue,
  );
  const deps = engine.deps;
  const handler = reconcileWorkerHandler(() => deps);
  let n = 0;
  const handle = (message: unknown) =>
    handler(
      message,
      new InvocationContext({
        functionName: 'reconcileWorker',
        invocationId: `s-${++n}`,
        logHandler: () => undefined,
      }),
    );
  const token = () => engine.token();
  const s: Scenario = {
    stack,
    deps,
    queue,
    clock,
    directory: engine.directory(),
    flowName,
    async renewCredentials() {
      await engine.renew();
      s.directory = engine.directory();
    },
    handle,
    async drain() {
      for (let round = 0; round < 50; round++) {
        const batch = queue.take();
        if (batch.length === 0) return;
        const sessions = new Map<string, WorkerMessage[]>();
        for (const m of batch) {
          const id = sessionIdFor(m.flow, m.employeeId);
          sessions.set(id, [...(sessions.get(id) ?? []), m]);
        }
        await Promise.all(
          [...sessions.values()].map(async (list) => {
            for (const m of list) await handle(m);
          }),
        );
      }
      throw new Error('queue did not drain');
    },
    async send(record, version) {
      const out = await handle({
        kind: 'snapshot',
        flow: flowName,
        employeeId: record.Id,
        version: version ?? clock.now().toISOString(),
        record,
        sentAt: clock.now().toISOString(),
      });
      return out;
    },
    async graph(path, init = {}) {
      // The test's own reads go through the injected 503/504s too: retry them (they are not under test, and the
      // seeded fault sequence shifts whenever the engine's request count changes).
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`${stack.emulator.graph}/v1.0${path}`, {
          ...init,
          headers: {
            authorization: `Bearer ${await token()}`,
            'content-type': 'application/json',
            ...(init.headers ?? {}),
          },
        });
        const idempotent = (init.method ?? 'GET') === 'GET';
        if (!idempotent || attempt >= 8 || (res.status !== 503 && res.status !== 504 && res.status !== 429))
          return res;
        await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    },
    async requestSeq() {
      const body = (await (
        await fetch(`${adminRoot}/_emulator/requests?service=graph&since=999999999`)
      ).json()) as { lastSeq: number };
      return body.lastSeq;
    },
    async graphWritesSince(seq) {
      const body = (await (
        await fetch(`${adminRoot}/_emulator/requests?service=graph&since=${seq}`)
      ).json()) as {
        value: { method: string; path: string; detail?: string }[];
      };
      return body.value.filter((e) => e.method !== 'GET' && !e.path.endsWith('/$batch'));
    },
    admin(path, method, body) {
      return fetch(`${adminRoot}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    },
  };
  return s;
}
