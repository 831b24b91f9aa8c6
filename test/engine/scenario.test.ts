// Scenario tests: the real Service Bus-triggered handler and engine against the emulator's Graph (replication lag,
// injected 503/504 with Retry-After, identity throttling on) and Azurite, on a private stack (its clock moves).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, TENANT, type Scenario } from './scenarioWorld';

const FLOW = (name: string) => `
version: 1
name: ${name}
connection: demo
hr:
  timeZone: { field: TimeZone, fallback: Europe/Berlin }
  fields:
    Id: { type: string, required: true }
    Status: { type: string, required: true }
    LeaveKind: string
    First: { type: string, required: true }
    Last: { type: string, required: true }
    Dept: string
    Manager: string
    Start: { type: date, required: true }
    LastDay: date
    TimeZone: string
matching:
  joinKey: Id
  rehire: { reuseAccountWithinDays: 30 }
status:
  field: Status
  values: { Active: active, Leave: leave:long-term, Terminated: terminated, Retired: retired }
  overrides:
    - when:
        allOf:
          - { attribute: Status, operator: EQUALS, value: Leave }
          - { attribute: LeaveKind, operator: EQUALS, value: FMLA }
      stage: leave:fmla
  startDate: Start
  lastDayWorked: LastDay
stages:
  run: [hire, update, leave, termination, delete]
  hire:
    createDaysBeforeStart: 2
    initialCredential: { kind: password, length: 16, classes: [lower, upper, digit, symbol] }
  update: { groupRetention: managed-only }
  leave:
    default: { disable: true, revokeSessions: true, removeGroups: false, removeLicenses: false }
    fmla: { disable: false, revokeSessions: false, removeGroups: false, removeLicenses: false }
  termination: { disable: true, revokeSessions: true, removeGroups: true, removeLicenses: true }
  delete: { afterDays: 5 }
attributes:
  displayName: 'Join(" ", [First], [Last])'
  givenName: '[First]'
  surname: '[Last]'
  department: 'IgnoreFlowIfNullOrEmpty([Dept])'
  usageLocation: '"DE"'
naming:
  userPrincipalName:
    - 'Join("@", ToLower(NormalizeDiacritics(Join(".", [First], [Last]))), "contoso.test")'
    - 'Join("@", ToLower(NormalizeDiacritics(Join(".", [First], [Last], [Id]))), "contoso.test")'
  mailNickname:
    - 'ToLower(NormalizeDiacritics(Join(".", [First], [Last])))'
    - 'ToLower(Join("", "w", [Id]))'
manager: Manager
groups:
  default: [All Employees]
  rules:
    - { when: { attribute: Dept, operator: EQUALS, value: Sales }, grant: [Sales] }
    - { when: { attribute: Dept, operator: EQUALS, value: Marketing }, grant: [Marketing] }
licenses:
  default: [SPE_E3]
  rules:
    - { when: { attribute: Dept, operator: EQUALS, value: Research }, grant: [SCARCE_ADDON] }
guard: { window: PT1H, maxDisables: 100, maxDeletes: 100, maxGroupRemovals: 1000 }
`;

let s: Scenario;
let n = 0;
/** Unique ids and names per test, so scenarios never see each other's accounts. */
const uid = () => `${Date.now().toString(36).slice(-4)}${(++n).toString(36)}`;

before(async () => {
  s = await startScenario(FLOW);
  // Replication lag, 5 % 503/504 with Retry-After; timeScale shortens Retry-After and throttling windows.
  await s.admin('/_emulator/graph/settings', 'PUT', { timeScale: 20 });
  await s.admin(`/_emulator/graph/tenants/${TENANT}/faults`, 'PUT', {
    replicationLagMs: 2000,
    errorRate: 0.05,
    errorStatuses: [503, 504],
    errorRetryAfterSeconds: 1,
    randomSeed: 7,
  });
  // Seeded objects are "just created" for the lag window; let it pass before the first directory search.
  await new Promise((r) => setTimeout(r, 2500));
});

after(async () => {
  await s?.stack.stop();
});

const today = () => s.clock.now().toISOString().slice(0, 10);

async function user(employeeId: string): Promise<Record<string, unknown> | undefined> {
  const id = (await s.deps.workers.get(s.flowName, employeeId))?.objectId;
  if (!id) return undefined;
  const res = await s.graph(
    `/users/${id}?$select=id,userPrincipalName,accountEnabled,department,displayName,employeeId`,
  );
  return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
}

async function groupNames(employeeId: string): Promise<string[]> {
  const id = (await s.deps.workers.get(s.flowName, employeeId))!.objectId!;
  const body = (await (await s.graph(`/users/${id}/memberOf`)).json()) as {
    value: { displayName?: string }[];
  };
  return body.value.map((g) => String(g.displayName)).sort();
}

test('joiner, then the unchanged snapshot again makes zero Graph writes (request log)', async () => {
  const id = `J${uid()}`;
  const rec = { Id: id, Status: 'Active', First: 'Ada', Last: `L${id}`, Dept: 'Sales', Start: today() };
  const first = await s.send(rec, '1');
  assert.equal(first.status, 'applied', JSON.stringify(first).slice(0, 600));
  const u = await user(id);
  assert.equal(u?.accountEnabled, true);
  assert.equal(u?.userPrincipalName, `ada.l${id.toLowerCase()}@contoso.test`);
  assert.deepEqual(await groupNames(id), ['All Employees', 'Sales']);
  const seq = await s.requestSeq();
  const again = await s.send(rec, '1');
  assert.equal(again.status, 'noChange', JSON.stringify(again).slice(0, 600));
  assert.deepEqual(await s.graphWritesSince(seq), []);
});

test('mover: department change swaps groups; manager set, then changed', async () => {
  const [m1, m2, id] = [`M${uid()}`, `M${uid()}`, `E${uid()}`];
  await s.send({ Id: m1, Status: 'Active', First: 'Grace', Last: `H${m1}`, Start: today() });
  await s.send({ Id: m2, Status: 'Active', First: 'Alan', Last: `T${m2}`, Start: today() });
  await s.send({
    Id: id,
    Status: 'Active',
    First: 'Bo',
    Last: `B${id}`,
    Dept: 'Sales',
    Manager: m1,
    Start: today(),
  });
  await s.drain();
  await s.send({
    Id: id,
    Status: 'Active',
    First: 'Bo',
    Last: `B${id}`,
    Dept: 'Marketing',
    Manager: m2,
    Start: today(),
  });
  assert.deepEqual(await groupNames(id), ['All Employees', 'Marketing']);
  assert.equal((await user(id))?.department, 'Marketing');
  const oid = (await s.deps.workers.get(s.flowName, id))!.objectId!;
  const mgr = (await (await s.graph(`/users/${oid}/manager`)).json()) as { id: string };
  assert.equal(mgr.id, (await s.deps.workers.get(s.flowName, m2))!.objectId);
});

test('two "John Smith" hires in parallel sessions get distinct UPNs', async () => {
  const [a, b] = [`A${uid()}`, `B${uid()}`];
  const last = `Smith${uid()}`;
  await Promise.all([
    s.send({ Id: a, Status: 'Active', First: 'John', Last: last, Start: today() }),
    s.send({ Id: b, Status: 'Active', First: 'John', Last: last, Start: today() }),
  ]);
  const upns = [(await user(a))?.userPrincipalName, (await user(b))?.userPrincipalName];
  assert.ok(upns[0] && upns[1]);
  assert.notEqual(upns[0], upns[1]);
  assert.ok(upns.includes(`john.${last.toLowerCase()}@contoso.test`));
});

test('a manager that arrives later is set when the manager appears', async () => {
  const [m, id] = [`M${uid()}`, `E${uid()}`];
  assert.equal(
    (await s.send({ Id: id, Status: 'Active', First: 'Re', Last: `P${id}`, Manager: m, Start: today() }))
      .status,
    'applied',
  );
  assert.equal((await s.deps.workers.get(s.flowName, id))!.status, 'ok');
  await s.send({ Id: m, Status: 'Active', First: 'Ma', Last: `N${m}`, Start: today() });
  await s.drain();
  const oid = (await s.deps.workers.get(s.flowName, id))!.objectId!;
  const mgr = (await (await s.graph(`/users/${oid}/manager`)).json()) as { id: string };
  const tl = await s.deps.timeline.list(s.flowName, id, 40);
  assert.equal(
    mgr.id,
    (await s.deps.workers.get(s.flowName, m))!.objectId,
    JSON.stringify(
      tl.map((e) => [
        e.kind,
        (e.data as { kind?: string; status?: string; code?: string }).kind ?? '',
        (e.data as { status?: string }).status ?? '',
        (e.data as { error?: unknown }).error ?? '',
      ]),
    ),
  );
});

test('leave kinds and return; the same event twice and an older event after a newer one', async () => {
  const id = `L${uid()}`;
  const base = { Id: id, First: 'Li', Last: `V${id}`, Start: today() };
  await s.send({ ...base, Status: 'Active' }, '1');
  await s.send({ ...base, Status: 'Leave', LeaveKind: 'FMLA' }, '2');
  assert.equal((await user(id))?.accountEnabled, true);
  await s.send({ ...base, Status: 'Leave' }, '3');
  assert.equal((await user(id))?.accountEnabled, false);
  assert.equal((await s.send({ ...base, Status: 'Leave' }, '3')).status, 'noChange');
  assert.equal((await s.send({ ...base, Status: 'Active' }, '2')).status, 'skipped');
  assert.equal((await user(id))?.accountEnabled, false);
  await s.send({ ...base, Status: 'Active' }, '4');
  assert.equal((await user(id))?.accountEnabled, true);
});

test('a worker with diacritics gets an ASCII UPN and keeps the display name', async () => {
  const id = `D${uid()}`;
  await s.send({ Id: id, Status: 'Active', First: 'Zoë', Last: `Núñez${id}`, Start: today() });
  const u = await user(id);
  assert.equal(u?.userPrincipalName, `zoe.nunez${id.toLowerCase()}@contoso.test`);
  assert.equal(u?.displayName, `Zoë Núñez${id}`);
});

test('licence seats exhausted: clear failure; replay after a seat is freed succeeds', async () => {
  const [a, b] = [`R${uid()}`, `R${uid()}`];
  assert.equal(
    (await s.send({ Id: a, Status: 'Active', First: 'Ra', Last: `S${a}`, Dept: 'Research', Start: today() }))
      .status,
    'applied',
  );
  const failed = await s.send({
    Id: b,
    Status: 'Active',
    First: 'Rb',
    Last: `S${b}`,
    Dept: 'Research',
    Start: today(),
  });
  assert.equal(failed.status, 'failed');
  const worker = (await s.deps.workers.get(s.flowName, b))!;
  assert.equal(worker.errorCode, 'TENURE_LICENSE_NO_SEATS');
  assert.ok(await user(b), 'the account itself was created');
  // Free the seat: the first worker moves out of Research (the flow removes the add-on).
  await s.send({ Id: a, Status: 'Active', First: 'Ra', Last: `S${a}`, Dept: 'Sales', Start: today() });
  const replay = await s.handle({
    kind: 'retry',
    flow: s.flowName,
    employeeId: b,
    version: worker.snapshotVersion,
    sentAt: s.clock.now().toISOString(),
  });
  assert.equal(replay.status, 'applied');
  assert.equal((await s.deps.workers.get(s.flowName, b))!.status, 'ok');
});

// These move the emulator clock forward; they run last.
test('future-dated hire and termination fire at the right local time; deletion later; rehire restores', async () => {
  const id = `F${uid()}`;
  const zone = 'Asia/Tokyo';
  const start = new Date(s.clock.now().getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
  const rec = { Id: id, Status: 'Active', First: 'Fu', Last: `T${id}`, Start: start, TimeZone: zone };
  await s.send(rec, '1');
  assert.equal(await user(id), undefined);
  const createAt = s.queue.scheduled.find((x) => x.message.employeeId === id)!.at;
  const startInstant = Date.parse(`${start}T00:00:00+09:00`);
  assert.equal(createAt.getTime(), startInstant - 2 * 86_400_000);

  await s.clock.advanceTo(createAt);
  await s.renewCredentials();
  s.queue.due(s.clock.now());
  await s.drain();
  assert.equal((await user(id))?.accountEnabled, false);
  const enableAt = s.queue.scheduled.find((x) => x.message.employeeId === id)!.at;
  assert.equal(enableAt.getTime(), startInstant);
  await s.clock.advanceTo(enableAt);
  await s.renewCredentials();
  s.queue.due(s.clock.now());
  await s.drain();
  assert.equal((await user(id))?.accountEnabled, true);

  // Terminated with a last day of tomorrow (local): still enabled until the end of that day.
  const lastDay = new Date(s.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
  await s.send({ ...rec, Status: 'Terminated', LastDay: lastDay }, '2');
  assert.equal((await user(id))?.accountEnabled, true);
  const endAt = s.queue.scheduled.find((x) => x.message.employeeId === id)!.at;
  assert.equal(endAt.getTime(), Date.parse(`${lastDay}T00:00:00+09:00`) + 86_400_000);
  await s.clock.advanceTo(endAt);
  await s.renewCredentials();
  s.queue.due(s.clock.now());
  await s.drain();
  assert.equal((await user(id))?.accountEnabled, false);

  const deleteAt = s.queue.scheduled.find((x) => x.message.employeeId === id)!.at;
  await s.clock.advanceTo(deleteAt);
  await s.renewCredentials();
  s.queue.due(s.clock.now());
  await s.drain();
  assert.equal(await user(id), undefined);

  // Rehire within 30 days of deletion: the same account comes back.
  const objectId = (await s.deps.workers.get(s.flowName, id))!.objectId;
  await s.send({ ...rec, Status: 'Active', Start: today() }, '3');
  const back = await user(id);
  assert.equal(back?.id, objectId);
  assert.equal(back?.accountEnabled, true);
});
