// A leaver world wired exactly as production wires a connection (shared/engine/runtime.ts): the Graph directory
// with batching and the playbook ports with their defaults — real sleeps, the product's retry policies — against an
// in-process emulator tenant of its own. The request log is read through the emulator's admin API, so assertions
// about waits are made on what the service saw, not on what the client says it did.
import { StaticFlowCatalog } from '../../shared/engine/flowCatalog';
import { handleWorkerMessage } from '../../shared/engine/handler';
import type { ConnectionAccess } from '../../shared/engine/ports';
import type { EngineDeps } from '../../shared/engine/reconcile';
import type { ExchangeRetryOptions } from '../../shared/exchange/policy';
import { createConnectionAdapters } from '../../shared/engine/connectionAdapters';
import type { RetryOptions } from '../../shared/graph/policy';
import type { WorkerMessage } from '../../shared/messaging/message';
import { playbookFlow } from '../playbook/flow';
import { credentialOf, type LeaverCloud } from '../playbook/support/world';
import { MemorySender, memoryStores, silent, TestClock } from './fakes';

/** One entry of GET /_emulator/requests (emulator/README.md). */
export interface Logged {
  seq: number;
  at: number;
  durationMs: number;
  service: string;
  method: string;
  path: string;
  query: string;
  status: number;
  tenantId?: string;
  appId?: string;
  detail?: string;
  retryAfter?: string;
}

/** `retry`: the policies' own options (only to shrink the in-process wait bound; the code paths stay the same). */
export function productionLeaverWorld(
  cloud: LeaverCloud,
  retry: { graph?: RetryOptions; exchange?: ExchangeRetryOptions } = {},
) {
  const endpoints = cloud.emulator.context.endpoints;
  const credential = credentialOf(cloud, 'leaver');
  const access: ConnectionAccess = {
    tenantId: cloud.tenant.id,
    cloud: 'global',
    graphBaseUrl: endpoints.graph,
    graphScope: 'https://graph.microsoft.com/.default',
    credential,
    customHosts: [new URL(endpoints.graph).hostname],
    exchange: { baseUrl: endpoints.exchange, scope: 'https://outlook.office365.com/.default', credential },
  };
  // As shared/engine/runtime.ts builds them: no sleep or limiter overrides.
  // One Graph executor for the directory and the playbook, one Exchange client (engine/connectionAdapters.ts).
  const { directory, playbook: ports } = createConnectionAdapters(access, {
    graphRetry: retry.graph,
    exchangeRetry: retry.exchange,
  });
  const flow = playbookFlow('demo', cloud.domain);
  const clock = new TestClock(new Date('2026-03-10T12:00:00Z'));
  const sender = new MemorySender();
  const deps = {
    flows: new StaticFlowCatalog([flow]),
    directoryFor: async () => directory,
    playbookFor: async () => ports,
    ...memoryStores(),
    sender,
    clock,
  } satisfies EngineDeps;
  let run = 0;
  const handle = (message: WorkerMessage) => handleWorkerMessage(deps, message, `run-${++run}`, silent);
  const send = (record: Record<string, string>, version: string) =>
    handle({
      kind: 'snapshot',
      flow: flow.name,
      employeeId: record.Id!,
      version,
      record,
      sentAt: clock.now().toISOString(),
    });
  /** Delivers the retries the handler scheduled (the queue's delayed redelivery), in order. */
  const deliverScheduled = async () => {
    const due = sender.scheduled.splice(0);
    const outcomes = [];
    for (const s of due) outcomes.push(await handle(s.message));
    return outcomes;
  };
  return { deps, credential, clock, sender, send, deliverScheduled };
}

/** The emulator's admin API (the CA is trusted through NODE_EXTRA_CA_CERTS, as the test harness sets it). */
export function adminApi(cloud: LeaverCloud) {
  const root = cloud.emulator.context.endpoints.admin;
  const call = async (path: string, method = 'GET', body?: unknown): Promise<unknown> => {
    const res = await fetch(`${root}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`admin ${method} ${path}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    call,
    async lastSeq(): Promise<number> {
      return ((await call('/requests?since=999999999')) as { lastSeq: number }).lastSeq;
    },
    /** This tenant's requests to `service` since `seq`, in log order. */
    async log(since: number, service: 'graph' | 'exchange'): Promise<Logged[]> {
      const body = (await call(`/requests?since=${since}&service=${service}`)) as { value: Logged[] };
      return body.value.filter((e) => e.tenantId === cloud.tenant.id);
    },
  };
}
