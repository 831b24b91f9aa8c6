// The whole pipeline (handler → reconcile → observe → plan → apply → record) against in-memory fakes with Entra's
// semantics. Scenario tests against the emulator and Azurite are in test/engine/scenario*.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TenureError } from '../../shared/engine/errors';
import { reconcile } from '../../shared/engine/reconcile';
import type { WorkerMessage } from '../../shared/messaging/message';
import { StaticFlowCatalog } from '../../shared/engine/flowCatalog';
import { record, testFlow, TEST_FLOW_YAML } from './testFlow';
import { DAY, world } from './world';

test('joiner: account, groups, licence, password only in the vault; the same snapshot again writes nothing', async () => {
  const w = world();
  const out = await w.send({}, '1');
  assert.equal(out.status, 'applied');
  const user = w.directory.byEmployee('E1')!;
  assert.equal(user.attributes.userPrincipalName, 'ada.lovelace@contoso.test');
  assert.equal(user.accountEnabled, true);
  assert.deepEqual((await w.directory.listGroupIds(user.id)).sort(), ['g-all', 'g-sales']);
  assert.deepEqual([...user.licenses], ['sku-e3']);
  const secret = w.deps.vault.secrets.get('initial-hr-E1')!;
  assert.equal(secret.value.length, 16);
  assert.equal(JSON.stringify(w.deps.timeline.entries).includes(secret.value), false);
  const worker = await w.deps.workers.get('hr', 'E1');
  assert.equal(worker?.objectId, user.id);
  assert.equal(worker?.lastVersion, '1');
  const kinds = w.deps.timeline.entries.map((e) => e.kind);
  assert.deepEqual([kinds[0], kinds[1]], ['eventReceived', 'plan']);
  assert.ok(kinds.filter((k) => k === 'operation').length >= 4);

  const writes = w.directory.writes.length;
  assert.equal((await w.send({}, '1')).status, 'noChange');
  assert.equal(w.directory.writes.length, writes);
});

test('mover: department change swaps managed groups, updates the attribute, and changes the manager', async () => {
  const w = world();
  await w.send({ Id: 'M1', First: 'Grace', Last: 'Hopper' });
  await w.send({ Id: 'M2', First: 'Alan', Last: 'Turing' });
  await w.send({ Manager: 'M1' });
  const user = w.directory.byEmployee('E1')!;
  w.directory.groups.get('g-other')!.members.add(user.id);
  const out = await w.send({ Dept: 'Marketing', Manager: 'M2' });
  assert.equal(out.status, 'applied');
  assert.equal(user.attributes.department, 'Marketing');
  assert.deepEqual((await w.directory.listGroupIds(user.id)).sort(), ['g-all', 'g-mkt', 'g-other']);
  assert.equal(user.manager, w.directory.byEmployee('M2')!.id);
});

test('leaver: disabled, sessions revoked, groups and licences removed; deleted N days later by a scheduled wake', async () => {
  const w = world();
  await w.send();
  const out = await w.send({ Status: 'Terminated', LastDay: '2026-03-09' });
  assert.equal(out.status, 'applied');
  const user = w.directory.byEmployee('E1')!;
  assert.equal(user.accountEnabled, false);
  assert.ok(w.directory.writes.includes('revokeSessions'));
  assert.deepEqual(await w.directory.listGroupIds(user.id), []);
  assert.equal(user.licenses.size, 0);
  // Deletion 30 days after the end of the last day in Europe/Berlin (CEST from 29 March).
  const wake = w.deps.sender.scheduled.at(-1)!;
  assert.equal(wake.at.toISOString(), '2026-04-08T22:00:00.000Z');
  assert.equal(wake.message.kind, 'wake');
  w.clock.current = wake.at;
  assert.equal((await w.deliver(wake.message)).status, 'applied');
  assert.equal(w.directory.byEmployee('E1'), undefined);
  assert.equal((await w.deliver(wake.message)).status, 'noChange');
});

test('future-dated termination fires at the end of the last day in the worker time zone', async () => {
  const w = world();
  await w.send({ TimeZone: 'America/New_York' });
  await w.send({ TimeZone: 'America/New_York', Status: 'Terminated', LastDay: '2026-03-12' });
  assert.equal(w.directory.byEmployee('E1')!.accountEnabled, true);
  const wake = w.deps.sender.scheduled.at(-1)!;
  assert.equal(wake.at.toISOString(), '2026-03-13T04:00:00.000Z');
  w.clock.current = wake.at;
  await w.deliver(wake.message);
  assert.equal(w.directory.byEmployee('E1')!.accountEnabled, false);
});

test('future-dated hire: nothing before the pre-hire window, created disabled at the window, enabled at local start', async () => {
  const w = world('2026-03-01T00:00:00Z');
  const out = await w.send({ Start: '2026-03-20', TimeZone: 'Asia/Tokyo' });
  assert.equal(out.status, 'applied');
  assert.equal(w.directory.byEmployee('E1'), undefined);
  const first = w.deps.sender.scheduled.at(-1)!;
  assert.equal(first.at.toISOString(), '2026-03-16T15:00:00.000Z');
  w.clock.current = first.at;
  await w.deliver(first.message);
  assert.equal(w.directory.byEmployee('E1')!.accountEnabled, false);
  const second = w.deps.sender.scheduled.at(-1)!;
  assert.equal(second.at.toISOString(), '2026-03-19T15:00:00.000Z');
  w.clock.current = second.at;
  await w.deliver(second.message);
  assert.equal(w.directory.byEmployee('E1')!.accountEnabled, true);
});

test('rehire within 30 days restores the deleted account; after 30 days a new account gets the next free UPN', async () => {
  const w = world();
  await w.send();
  const original = w.directory.byEmployee('E1')!.id;
  await w.directory.deleteUser(original);
  await w.deps.workers.put({ ...(await w.deps.workers.get('hr', 'E1'))!, phase: 'deleted' });
  w.clock.advance(10 * DAY);
  await w.send({ Start: '2026-03-20' });
  assert.equal(w.directory.byEmployee('E1')!.id, original);
  assert.ok(w.directory.writes.includes('restoreUser'));

  const x = world();
  await x.send();
  await x.directory.deleteUser(x.directory.byEmployee('E1')!.id);
  x.clock.advance(40 * DAY);
  await x.send({ Start: '2026-04-20' });
  const fresh = x.directory.byEmployee('E1')!;
  assert.equal(fresh.attributes.userPrincipalName, 'ada.lovelace.e1@contoso.test');
});

test('leave kinds: long-term disables and revokes, FMLA changes nothing, return re-enables', async () => {
  const w = world();
  await w.send();
  await w.send({ Status: 'Leave' });
  assert.equal(w.directory.byEmployee('E1')!.accountEnabled, false);
  await w.send({ Status: 'Active' });
  assert.equal(w.directory.byEmployee('E1')!.accountEnabled, true);
  const before = w.directory.writes.length;
  await w.send({ Status: 'Leave', LeaveKind: 'FMLA' });
  assert.equal(w.directory.writes.length, before);
  assert.equal(w.directory.byEmployee('E1')!.accountEnabled, true);
});

test('two "John Smith" hires processed at the same moment get distinct UPNs', async () => {
  const w = world();
  await Promise.all([
    w.send({ Id: 'J1', First: 'John', Last: 'Smith' }),
    w.send({ Id: 'J2', First: 'John', Last: 'Smith' }),
  ]);
  const upns = ['J1', 'J2'].map((id) => w.directory.byEmployee(id)!.attributes.userPrincipalName).sort();
  assert.deepEqual(upns, ['john.smith.j2@contoso.test', 'john.smith@contoso.test'].sort());
  assert.notEqual(upns[0], upns[1]);
});

test('a manager that arrives later: report applies everything else, waits, and is re-driven', async () => {
  const w = world();
  const first = await w.send({ Manager: 'M9' });
  assert.equal(first.status, 'applied');
  assert.equal(w.directory.byEmployee('E1')!.manager, undefined);
  assert.deepEqual(await w.deps.pending.listReports('hr', 'M9'), ['E1']);
  assert.equal((await w.deps.workers.get('hr', 'E1'))!.status, 'ok');
  await w.send({ Id: 'M9', First: 'Grace', Last: 'Hopper' });
  const redrive = w.deps.sender.sent.find((m) => m.kind === 'redrive' && m.employeeId === 'E1')!;
  assert.ok(redrive);
  await w.deliver(redrive);
  assert.equal(w.directory.byEmployee('E1')!.manager, w.directory.byEmployee('M9')!.id);
  assert.deepEqual(await w.deps.pending.listReports('hr', 'M9'), []);
});

test('an older event after a newer one is recorded and skipped; the same event twice is a no-op', async () => {
  const w = world();
  await w.send({ Dept: 'Marketing' }, '5');
  const stale = await w.send({ Dept: 'Sales' }, '4');
  assert.deepEqual(stale, { status: 'skipped', reason: 'stale' });
  assert.equal(w.directory.byEmployee('E1')!.attributes.department, 'Marketing');
  assert.ok(w.deps.timeline.entries.some((e) => e.kind === 'eventSkipped'));
  const writes = w.directory.writes.length;
  assert.equal((await w.send({ Dept: 'Marketing' }, '5')).status, 'noChange');
  assert.equal(w.directory.writes.length, writes);
});

test('diacritics produce ASCII naming values', async () => {
  const w = world();
  await w.send({ First: 'Zoë', Last: 'Núñez' });
  assert.equal(w.directory.byEmployee('E1')!.attributes.userPrincipalName, 'zoe.nunez@contoso.test');
  assert.equal(w.directory.byEmployee('E1')!.attributes.displayName, 'Zoë Núñez');
});

test('licence seats exhausted: clear terminal failure, the rest applied; replay after seats are added succeeds', async () => {
  const w = world();
  w.directory.skus.get('sku-e3')!.seats = 0;
  const out = await w.send();
  assert.equal(out.status, 'failed');
  const worker = (await w.deps.workers.get('hr', 'E1'))!;
  assert.equal(worker.status, 'failed');
  assert.equal(worker.errorCode, 'TENURE_LICENSE_NO_SEATS');
  assert.match(worker.reason!, /assignLicenses/);
  assert.ok(w.directory.byEmployee('E1'));
  w.directory.skus.get('sku-e3')!.seats = 5;
  const replay: WorkerMessage = {
    kind: 'retry',
    flow: 'hr',
    employeeId: 'E1',
    version: worker.snapshotVersion!,
    sentAt: w.clock.now().toISOString(),
  };
  assert.equal((await w.deliver(replay)).status, 'applied');
  assert.equal((await w.deps.workers.get('hr', 'E1'))!.status, 'ok');
  assert.equal(w.directory.byEmployee('E1')!.licenses.size, 1);
});

test('transient failure schedules a delayed retry copy carrying the snapshot and an attempt counter', async () => {
  const w = world();
  const original = w.directory.createUser.bind(w.directory);
  let fail = true;
  w.directory.createUser = async (...args) => {
    if (fail) {
      fail = false;
      throw new TenureError(
        'TENURE_GRAPH_UNAVAILABLE',
        'down',
        { retryAfterMs: 30_000 },
        { terminal: false },
      );
    }
    return original(...args);
  };
  const out = await w.send();
  assert.equal(out.status, 'retryScheduled');
  const retry = w.deps.sender.scheduled.at(-1)!;
  assert.equal(retry.message.attempt, 1);
  assert.equal(retry.message.kind, 'snapshot');
  assert.ok(retry.message.record);
  assert.equal(retry.at.getTime() - w.clock.now().getTime(), 30_000);
  const note = w.deps.timeline.entries.find((e) => e.kind === 'failure')!;
  assert.equal(note.data.code, 'TENURE_GRAPH_UNAVAILABLE');
  assert.equal(note.data.attempt, 1);
  assert.equal((await w.deliver(retry.message)).status, 'applied');
  assert.ok(w.directory.byEmployee('E1'));
});

test('invalid record: failed with field names only, nothing written to Entra', async () => {
  const w = world();
  const out = await w.send({ Start: 'not-a-date-Secret' });
  assert.equal(out.status, 'failed');
  const worker = (await w.deps.workers.get('hr', 'E1'))!;
  assert.equal(worker.errorCode, 'TENURE_INVALID_RECORD');
  assert.match(worker.reason!, /Start/);
  assert.equal(worker.reason!.includes('Secret'), false);
  assert.deepEqual(w.directory.writes, []);
});

test('mass-change guard: crossing the disable limit pauses the flow and holds plans', async () => {
  const w = world();
  for (const id of ['A', 'B', 'C', 'D', 'E']) await w.send({ Id: id, First: id, Last: 'X' });
  const outs = [];
  for (const id of ['A', 'B', 'C', 'D'])
    outs.push(await w.send({ Id: id, First: id, Last: 'X', Status: 'Terminated' }));
  assert.deepEqual(
    outs.map((o) => o.status),
    ['applied', 'applied', 'applied', 'held'],
  );
  assert.equal(w.directory.byEmployee('D')!.accountEnabled, true);
  assert.ok(await w.deps.held.pausedSince('hr'));
  const next = await w.send({ Id: 'E', First: 'E', Last: 'X', Dept: 'Marketing' });
  assert.equal(next.status, 'held');
  assert.deepEqual((await w.deps.held.list('hr')).map((h) => h.employeeId).sort(), ['D', 'E']);
  assert.equal((await w.deps.workers.get('hr', 'D'))!.status, 'held');
});

test('preview computes the plan against the directory and writes nothing anywhere', async () => {
  const w = world();
  const message: WorkerMessage = {
    kind: 'snapshot',
    flow: 'hr',
    employeeId: 'E1',
    version: '1',
    record: record(),
    sentAt: '',
  };
  const out = await reconcile(w.deps, message, { runId: 'p', preview: true });
  assert.equal(out.status, 'preview');
  assert.ok(out.status === 'preview' && out.plan.operations.some((o) => o.kind === 'createUser'));
  assert.deepEqual(w.directory.writes, []);
  assert.equal(w.deps.workers.rows.size, 0);
  assert.equal(w.deps.reservations.rows.size, 0);
  assert.equal(w.deps.timeline.entries.length, 0);
});

test('a run that crashed after creating the account adopts it, even while $filter does not show it yet', async () => {
  const w = world();
  await w.send({}, '1');
  const user = w.directory.byEmployee('E1')!;
  // The crash: the account exists, the worker record does not know it, and replication lag hides it from $filter.
  const stored = (await w.deps.workers.get('hr', 'E1'))!;
  await w.deps.workers.put({ ...stored, objectId: undefined, lastVersion: undefined, etag: undefined });
  w.directory.lagging.add(user.id);
  const before = w.directory.writes.length;
  const out = await w.send({}, '1');
  assert.notEqual(out.status, 'failed');
  assert.equal(
    w.directory.live().filter((u) => u.attributes.employeeId === 'E1').length,
    1,
    'no second account',
  );
  assert.ok(!w.directory.writes.slice(before).includes('createUser'), 'nothing created');
  assert.equal((await w.deps.workers.get('hr', 'E1'))?.objectId, user.id);
});

test('a flow without a manager mapping never reads the current manager (one avoidable 404 per worker)', async () => {
  const w = world();
  w.deps.flows = new StaticFlowCatalog([testFlow(TEST_FLOW_YAML.replace('manager: Manager\n', ''))]);
  let reads = 0;
  const managerId = w.directory.managerId.bind(w.directory);
  w.directory.managerId = async (id: string) => {
    reads++;
    return managerId(id);
  };
  assert.equal((await w.send({}, '1')).status, 'applied');
  assert.equal((await w.send({ Dept: 'Marketing' }, '2')).status, 'applied');
  assert.equal(reads, 0);
  // The mapping back in: the same worker's manager is read again.
  w.deps.flows = new StaticFlowCatalog([testFlow()]);
  await w.send({ Dept: 'Sales' }, '3');
  assert.ok(reads > 0);
});
