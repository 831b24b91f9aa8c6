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
licenses:
  default: [SPE_E3]
  rules:
    - { when: { attribute: Dept, operator: EQUALS, value: Research }, grant: [SCARCE_ADDON] }
guard: { window: PT1H, maxDisables: 3, maxDeletes: 100, maxGroupRemovals: 1000 }
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
  // The dev host reads a queue of its own (startDevhost): send there.
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

async function graphWritesSince(seq: number): Promise<{ method: string; path: string; status: number }[]> {
  const admin = stack.emulator.admin.replace(/\/_emulator\/?$/, '');
  const body = (await (await fetch(`${admin}/_emulator/requests?service=graph&since=${seq}`)).json()) as {
    value: { method: string; path: string; status: number }[];
  };
  return body.value.filter((e) => e.method !== 'GET' && !e.path.endsWith('/$batch'));
}

async function requestSeq(): Promise<number> {
  const admin = stack.emulator.admin.replace(/\/_emulator\/?$/, '');
  const body = (await (await fetch(`${admin}/_emulator/requests?service=graph&since=999999999`)).json()) as {
    lastSeq: number;
  };
  return body.lastSeq;
}

test('preview of many records through HTTP: a plan each, zero Graph writes (request log), nothing recorded', async () => {
  const records = Array.from({ length: 12 }, (_, i) => ({
    Id: `PV${i}`,
    Status: 'Active',
    First: 'Pat',
    Last: `Many${i}`,
    Dept: i % 2 ? 'Sales' : 'Research',
    Start: '2026-01-01',
  }));
  const seq = await requestSeq();
  const r = await api('flows/e2e/preview', { method: 'POST', body: JSON.stringify({ records }) });
  assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 400));
  const results = r.body.results as { employeeId?: string; text: string }[];
  assert.equal(results.length, records.length);
  for (const res of results) assert.match(res.text, /\+ createUser/);
  assert.deepEqual(await graphWritesSince(seq), []);
  for (const rec of records) assert.equal((await api(`flows/e2e/workers/${rec.Id}`)).status, 404);
  // More than the documented maximum is refused, not truncated.
  const tooMany = Array.from({ length: 101 }, (_, i) => ({ ...records[0], Id: `PX${i}` }));
  const refused = await api('flows/e2e/preview', {
    method: 'POST',
    body: JSON.stringify({ records: tooMany }),
  });
  assert.equal(refused.status, 400);
});

test('licence seats exhausted → failed with a precise reason; replay after the fix succeeds (through the dev host)', async () => {
  const base = { Status: 'Active', Dept: 'Research', Start: '2026-01-01' };
  await sender.send(snapshot({ ...base, Id: 'R1', First: 'Rita', Last: 'Seat' }, '1'));
  assert.equal(((await waitForVersion('R1', '1')).worker as { status: string }).status, 'ok');
  await sender.send(snapshot({ ...base, Id: 'R2', First: 'Rob', Last: 'Noseat' }, '1'));
  // The failure is recorded right after the applied part: wait for the status itself, not only the version.
  let failed = { status: '', reason: '', errorCode: '' };
  for (let i = 0; i < 100 && failed.status !== 'failed'; i++) {
    const r = await api('flows/e2e/workers/R2');
    if (r.status === 200) failed = r.body.worker as typeof failed;
    if (failed.status !== 'failed') await new Promise((res) => setTimeout(res, 200));
  }
  assert.equal(failed.status, 'failed');
  assert.equal(failed.errorCode, 'TENURE_LICENSE_NO_SEATS');
  assert.match(failed.reason, /^TENURE_LICENSE_NO_SEATS \(operation assignLicenses\)/);

  // The fix: R1 leaves (its licences are removed), freeing the seat; then the admin replays R2.
  await sender.send(snapshot({ ...base, Id: 'R1', First: 'Rita', Last: 'Seat', Status: 'Terminated' }, '2'));
  await waitForVersion('R1', '2');
  assert.equal((await api('flows/e2e/workers/R2/replay', { method: 'POST' })).status, 202);
  for (let i = 0; i < 100; i++) {
    const w = (await api('flows/e2e/workers/R2')).body.worker as { status: string };
    if (w.status === 'ok') return;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.fail('R2 never recovered after the replay');
});

test('mass-change guard through the dev host: crossing pauses the flow, held plans listed, resumed, applied', async () => {
  const ids = ['G1', 'G2', 'G3', 'G4', 'G5'];
  const rec = (id: string, Status = 'Active') => ({
    Id: id,
    Status,
    First: 'Gus',
    Last: `Guard${id}`,
    Start: '2026-01-01',
  });
  for (const id of ids) await sender.send(snapshot(rec(id), '1'));
  for (const id of ids) await waitForVersion(id, '1');
  for (const id of ids) await sender.send(snapshot(rec(id, 'Terminated'), '2'));

  // Each leaver is either applied or held; the window's disables exceed maxDisables (3), so some are held.
  const state = async (id: string) =>
    (await api(`flows/e2e/workers/${id}`)).body.worker as {
      status: string;
      lastVersion: string;
      phase?: string;
    };
  for (let i = 0; i < 100; i++) {
    const all = await Promise.all(ids.map(state));
    if (all.every((w) => w.status === 'held' || w.lastVersion === '2')) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  const held = await api('flows/e2e/held');
  assert.equal(held.status, 200);
  const plans = held.body.plans as { employeeId: string; reason: string; text: string }[];
  assert.ok(plans.length > 0, 'the guard held plans');
  assert.ok(held.body.pausedSince, 'the flow is paused');
  for (const p of plans) {
    assert.equal((await state(p.employeeId)).status, 'held');
    assert.match(p.text, /disableUser/);
  }
  const heldIds = plans.map((p) => p.employeeId).sort();
  // Held accounts are untouched: still in the active phase.
  for (const id of heldIds) assert.notEqual((await state(id)).phase, 'terminated');
  assert.equal(
    (await api('flows/e2e/held/resume', { method: 'POST', body: '{"employeeIds": 7}' })).status,
    400,
  );

  const resumed = await api('flows/e2e/held/resume', {
    method: 'POST',
    body: JSON.stringify({ employeeIds: heldIds }),
  });
  assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
  for (let i = 0; i < 100; i++) {
    const all = await Promise.all(ids.map(state));
    if (all.every((w) => w.status === 'ok' && w.phase === 'terminated')) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  for (const id of ids) assert.equal((await state(id)).phase, 'terminated', id);
  const after = await api('flows/e2e/held');
  assert.deepEqual(after.body.plans, []);
  assert.equal(after.body.pausedSince ?? null, null);
});
