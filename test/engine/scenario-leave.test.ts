// employeeLeaveDateTime end to end (real engine, emulator Graph, Azurite): the engine reads the leave date back
// when the flow maps it, so a terminated worker reconciled again makes zero Graph writes; a connection without
// User-LifeCycleInfo.ReadWrite.All fails the worker with the permission named.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, TENANT, type Scenario } from './scenarioWorld';

const DEMO_APP = 'c3d4e5f6-0003-4000-8000-000000000001';

const FLOW = (name: string) => `
version: 1
name: ${name}
connection: demo
hr:
  timeZone: { field: TimeZone, fallback: Europe/Berlin }
  fields:
    Id: { type: string, required: true }
    Status: { type: string, required: true }
    First: { type: string, required: true }
    Last: { type: string, required: true }
    Start: { type: date, required: true }
    LastDay: date
    TimeZone: string
matching:
  joinKey: Id
  rehire: { reuseAccountWithinDays: 30 }
status:
  field: Status
  values: { Active: active, Terminated: terminated }
  startDate: Start
  lastDayWorked: LastDay
stages:
  run: [hire, update, termination]
  hire:
    initialCredential: { kind: password, length: 16, classes: [lower, upper, digit, symbol] }
  termination: { disable: true, revokeSessions: true, removeGroups: false, removeLicenses: false }
attributes:
  displayName: 'Join(" ", [First], [Last])'
  usageLocation: '"DE"'
  employeeLeaveDateTime: 'IgnoreFlowIfNullOrEmpty([LastDay])'
naming:
  userPrincipalName:
    - 'Join("@", ToLower(Join(".", [First], [Last])), "contoso.test")'
  mailNickname:
    - 'ToLower(Join(".", [First], [Last]))'
guard: { window: PT1H, maxDisables: 100, maxDeletes: 100, maxGroupRemovals: 1000 }
`;

let s: Scenario;
let n = 0;
const uid = () => `${Date.now().toString(36).slice(-4)}${(++n).toString(36)}`;
const day = (offsetDays: number) =>
  new Date(s.clock.now().getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  s = await startScenario(FLOW);
});

after(async () => {
  await s?.stack.stop();
});

async function leaveDate(employeeId: string): Promise<unknown> {
  const id = (await s.deps.workers.get(s.flowName, employeeId))!.objectId!;
  const res = await s.graph(`/users/${id}?$select=employeeLeaveDateTime,accountEnabled`);
  assert.equal(res.status, 200);
  return ((await res.json()) as Record<string, unknown>).employeeLeaveDateTime;
}

/** PATCH /users/{id} requests since `seq` (the request log), batched ones included. */
async function userPatchesSince(seq: number): Promise<number> {
  const writes = await s.graphWritesSince(seq);
  return writes.filter((w) => w.method === 'PATCH' && /\/users\//.test(w.path)).length;
}

test('terminated worker with a mapped leave date: the second reconcile plans nothing and writes nothing', async () => {
  const id = `T${uid()}`;
  const rec = { Id: id, Status: 'Active', First: 'Lea', Last: `V${id}`, Start: day(-30) };
  assert.equal((await s.send(rec, '1')).status, 'applied');
  const lastDay = day(-2);
  const terminated = { ...rec, Status: 'Terminated', LastDay: lastDay };
  const first = await s.send(terminated, '2');
  assert.equal(first.status, 'applied', JSON.stringify(first).slice(0, 600));
  assert.equal(await leaveDate(id), `${lastDay}T00:00:00Z`);

  const seq = await s.requestSeq();
  const again = (await s.send(terminated, '2')) as { status: string; plan?: { operations: unknown[] } };
  assert.equal(again.status, 'noChange', JSON.stringify(again).slice(0, 600));
  assert.deepEqual(again.plan?.operations, []);
  assert.equal(await userPatchesSince(seq), 0);
  assert.deepEqual(await s.graphWritesSince(seq), []);
  // The engine's own read asked for the property (and nothing refused it).
  const reads = await queriesSince(seq);
  assert.ok(reads.some((q) => /employeeLeaveDateTime/.test(q)));
});

/** Query strings (decoded) of the Graph requests since `seq`, batched ones included. */
async function queriesSince(seq: number): Promise<string[]> {
  const log = (await (await s.admin(`/_emulator/requests?service=graph&since=${seq}`, 'GET')).json()) as {
    value: { query?: string }[];
  };
  return log.value.map((e) => decodeURIComponent(e.query ?? ''));
}

test('a read without the flow mapping it does not ask for the leave date', async () => {
  // The default selection (shared by every flow) stays free of the gated property.
  const seq = await s.requestSeq();
  await s.directory.findUserByEmployeeId('nobody-here');
  const reads = await queriesSince(seq);
  assert.ok(reads.some((q) => q.includes('$select=')));
  assert.ok(reads.every((q) => !q.includes('employeeLeaveDateTime')));
});

// Runs last: it takes the permission away from the demo app.
test('connection without User-LifeCycleInfo.ReadWrite.All: the worker fails with the permission named', async () => {
  const id = `P${uid()}`;
  const rec = { Id: id, Status: 'Active', First: 'Per', Last: `M${id}`, Start: day(-30) };
  assert.equal((await s.send(rec, '1')).status, 'applied');
  const removed = await s.admin(
    `/_emulator/tenants/${TENANT}/consents/${DEMO_APP}/graph/User-LifeCycleInfo.ReadWrite.All?type=application`,
    'DELETE',
  );
  assert.ok(removed.status < 300, String(removed.status));
  await s.renewCredentials();
  const failed = (await s.send({ ...rec, Status: 'Terminated', LastDay: day(-1) }, '2')) as {
    status: string;
    code?: string;
    reason?: string;
  };
  assert.equal(failed.status, 'failed', JSON.stringify(failed).slice(0, 600));
  assert.equal(failed.code, 'TENURE_GRAPH_FORBIDDEN');
  assert.match(failed.reason ?? '', /employeeLeaveDateTime/);
  assert.match(failed.reason ?? '', /User-LifeCycleInfo\.ReadWrite\.All/);
  const worker = await s.deps.workers.get(s.flowName, id);
  assert.equal(worker?.status, 'failed');
  assert.equal(worker?.errorCode, 'TENURE_GRAPH_FORBIDDEN');
  assert.match(worker?.reason ?? '', /User-LifeCycleInfo\.ReadWrite\.All/);
});
