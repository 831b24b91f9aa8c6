// End to end through the dev host: the compiled app runs in its own process, its Service Bus-triggered
// reconcileWorker is fed by the emulator's broker (sessions on hr-events), Graph is the emulator's (with
// replication lag), tables are Azurite's, Key Vault the emulator's. The test only sends HR snapshots to the queue
// and talks to the app's HTTP endpoints.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import { startLocalStack, type LocalStack } from '../../devhost/localStack';
import { ServiceBusWorkerSender } from '../../shared/messaging/sender';
import { startDevhost, type RunningDevhost } from '../support/stack';
import { scenarioSeed, TENANT } from './scenarioWorld';

const FLOW = `
version: 1
name: e2e
connection: demo
hr:
  timeZone: UTC
  fields:
    Id: { type: string, required: true }
    Status: { type: string, required: true }
    First: { type: string, required: true }
    Last: { type: string, required: true }
    Dept: string
    Start: { type: date, required: true }
matching: { joinKey: Id }
status: { field: Status, values: { Active: active, Terminated: terminated }, startDate: Start }
stages:
  run: [hire, update, termination]
  hire: { createDaysBeforeStart: 0, initialCredential: { kind: password, length: 16, classes: [lower, upper, digit, symbol] } }
  termination: { disable: true, revokeSessions: true, removeGroups: true, removeLicenses: true }
attributes:
  displayName: 'Join(" ", [First], [Last])'
  department: '[Dept]'
  usageLocation: '"DE"'
naming:
  userPrincipalName: ['Join("@", ToLower(NormalizeDiacritics(Join(".", [First], [Last]))), "contoso.test")']
  mailNickname: ['ToLower(NormalizeDiacritics(Join(".", [First], [Last])))']
groups:
  default: [All Employees]
  rules:
    - { when: { attribute: Dept, operator: EQUALS, value: Sales }, grant: [Sales] }
licenses: { default: [SPE_E3] }
`;

let stack: LocalStack;
let host: RunningDevhost;
let sb: ServiceBusClient;
let sender: ServiceBusWorkerSender;

before(async () => {
  stack = await startLocalStack({ seed: scenarioSeed() });
  const flowsDir = mkdtempSync(join(tmpdir(), 'tenure-flows-'));
  writeFileSync(join(flowsDir, 'e2e.yaml'), FLOW);
  const demo = stack.emulator.demo!;
  host = await startDevhost(stack.appSettings, {
    TENURE_FLOWS_DIR: flowsDir,
    TENURE_DEMO_CONNECTIONS: JSON.stringify([
      { id: 'demo', tenantId: demo.tenantId, clientId: demo.clientId, clientSecret: demo.clientSecret },
    ]),
  });
  sb = new ServiceBusClient(stack.appSettings.ServiceBusConnection);
  sender = new ServiceBusWorkerSender(sb.createSender(host.queue));
  const admin = stack.emulator.admin.replace(/\/_emulator\/?$/, '');
  await fetch(`${admin}/_emulator/graph/tenants/${TENANT}/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ replicationLagMs: 1500 }),
  });
  await new Promise((r) => setTimeout(r, 1600));
});

after(async () => {
  await sb?.close();
  await host?.stop();
  await stack?.stop();
});

async function api(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${host.url}/api/${path}`, {
    ...init,
    headers: {
      'x-functions-key': host.functionKey,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function waitForVersion(employeeId: string, version: string): Promise<Record<string, unknown>> {
  // Generous: the suite runs many emulators at once and this one injects 503s and replication lag.
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const r = await api(`flows/e2e/workers/${employeeId}`);
    const worker = r.body.worker as { lastVersion?: string; status?: string } | undefined;
    if (r.status === 200 && worker?.lastVersion === version && worker.status !== 'held') return r.body;
    if (worker?.status === 'failed') return r.body;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`worker ${employeeId} never reached version ${version}`);
}

const snapshot = (record: Record<string, string>, version: string) => ({
  kind: 'snapshot' as const,
  flow: 'e2e',
  employeeId: record.Id,
  version,
  record,
  sentAt: new Date().toISOString(),
});

test('preview through HTTP shows the plan and writes nothing', async () => {
  const r = await api('flows/e2e/preview', {
    method: 'POST',
    body: JSON.stringify({ Id: 'P1', Status: 'Active', First: 'Pia', Last: 'Preview', Start: '2026-01-01' }),
  });
  assert.equal(r.status, 200);
  const [first] = r.body.results as { text: string }[];
  assert.match(first.text, /\+ createUser/);
  assert.equal((await api('flows/e2e/workers/P1')).status, 404);
});

test('joiner and leaver through the queue; timeline over HTTP; replay', async () => {
  const rec = {
    Id: 'Q1',
    Status: 'Active',
    First: 'Quinn',
    Last: 'Queue',
    Dept: 'Sales',
    Start: '2026-01-01',
  };
  await sender.send(snapshot(rec, '1'));
  const joined = await waitForVersion('Q1', '1');
  const worker = joined.worker as { status: string; objectId: string };
  assert.equal(worker.status, 'ok', JSON.stringify(joined).slice(0, 500));
  assert.ok(worker.objectId);
  const kinds = (joined.timeline as { kind: string }[]).map((e) => e.kind);
  assert.ok(kinds.includes('plan') && kinds.includes('operation') && kinds.includes('eventReceived'));

  await sender.send(snapshot({ ...rec, Status: 'Terminated' }, '2'));
  const left = await waitForVersion('Q1', '2');
  assert.equal((left.worker as { phase: string }).phase, 'terminated');

  const replay = await api('flows/e2e/workers/Q1/replay', { method: 'POST' });
  assert.equal(replay.status, 202);
  assert.equal((await api('flows/e2e/workers/NOPE/replay', { method: 'POST' })).status, 404);
  assert.equal((await fetch(`${host.url}/api/flows/e2e/workers/Q1`)).status, 401);
});
