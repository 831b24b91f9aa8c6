// Apply checks its output against the plan: a directory that acknowledges a write but drops it is caught by the
// read-back, every mismatch is recorded in the timeline with the planned value, and a follow-up reconcile is
// scheduled that repairs the drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../shared/engine/plan/model';
import { compareWithPlan } from '../../shared/engine/apply/verify';
import { VERIFY_FOLLOW_UP_MS } from '../../shared/engine/reconcile';
import { FakeDirectory } from './fakes';
import { world } from './world';

/** Acknowledges every write but silently loses the chosen ones (as a misbehaving directory would). */
class DroppingDirectory extends FakeDirectory {
  dropAttribute?: string;
  dropGroup?: string;
  override async updateUser(userId: string, changes: Readonly<Record<string, JsonValue>>) {
    const kept = Object.fromEntries(Object.entries(changes).filter(([k]) => k !== this.dropAttribute));
    return super.updateUser(userId, kept);
  }
  override async addGroupMember(groupId: string, userId: string) {
    if (groupId === this.dropGroup) {
      this.writes.push('addGroupMember');
      return;
    }
    return super.addGroupMember(groupId, userId);
  }
}

function droppingWorld() {
  const w = world();
  const directory = new DroppingDirectory(w.clock)
    .addGroup('g-all', 'All Staff')
    .addGroup('g-sales', 'Sales')
    .addGroup('g-mkt', 'Marketing')
    .addGroup('g-other', 'Unmanaged')
    .addSku('sku-e3', 'SPE_E3', 10);
  (w.deps as { directoryFor: () => Promise<FakeDirectory> }).directoryFor = async () => directory;
  return { ...w, directory };
}

const verifications = (entries: { kind: string; data: Readonly<Record<string, unknown>> }[]) =>
  entries.filter((e) => e.kind === 'verification').map((e) => e.data);

test('a clean apply records a successful verification and schedules nothing extra', async () => {
  const w = droppingWorld();
  assert.equal((await w.send({}, '1')).status, 'applied');
  assert.deepEqual(verifications(w.deps.timeline.entries), [{ ok: true }]);
  assert.equal((await w.deps.workers.get('hr', 'E1'))?.reason, undefined);
  assert.equal(
    w.deps.sender.scheduled.filter((s) => s.message.kind === 'wake' && s.message.version === '1').length,
    0,
  );
});

test('a dropped attribute write and a dropped group addition are recorded and repaired by the follow-up', async () => {
  const w = droppingWorld();
  await w.send({}, '1');
  w.directory.dropAttribute = 'department';
  w.directory.dropGroup = 'g-mkt';
  const before = w.deps.timeline.entries.length;
  const out = await w.send({ Dept: 'Marketing' }, '2');
  assert.equal(out.status, 'applied');

  const [report] = verifications(w.deps.timeline.entries.slice(before));
  assert.equal(report?.ok, false);
  const mismatches = report!.mismatches as {
    kind: string;
    field: string;
    planned: unknown;
    actual: unknown;
  }[];
  assert.deepEqual(mismatches.map((m) => [m.kind, m.field, m.planned, m.actual]).sort(), [
    ['addGroupMember', 'group:Marketing', true, false],
    ['updateUser', 'department', 'Marketing', 'Sales'],
  ]);
  const worker = await w.deps.workers.get('hr', 'E1');
  assert.equal(worker?.status, 'ok');
  assert.match(
    worker?.reason ?? '',
    /^verification: 2 planned value\(s\) not found after applying; follow-up reconcile at /,
  );

  // The follow-up: a wake scheduled VERIFY_FOLLOW_UP_MS later for this worker.
  const followUp = w.deps.sender.scheduled.at(-1)!;
  assert.equal(followUp.message.kind, 'wake');
  assert.equal(followUp.message.employeeId, 'E1');
  assert.equal(followUp.at.getTime(), w.clock.now().getTime() + VERIFY_FOLLOW_UP_MS);
  assert.equal(report!.followUpAt, followUp.at.toISOString());

  // The directory behaves again; the wake re-plans the missing changes and verification passes.
  w.directory.dropAttribute = undefined;
  w.directory.dropGroup = undefined;
  w.clock.advance(VERIFY_FOLLOW_UP_MS);
  const after = w.deps.timeline.entries.length;
  assert.equal((await w.deliver(followUp.message)).status, 'applied');
  const user = w.directory.byEmployee('E1')!;
  assert.equal(user.attributes.department, 'Marketing');
  assert.ok((await w.directory.listGroupIds(user.id)).includes('g-mkt'));
  assert.deepEqual(verifications(w.deps.timeline.entries.slice(after)), [{ ok: true }]);
  assert.equal((await w.deps.workers.get('hr', 'E1'))?.reason, undefined);
});

test('a read-back that fails is reported as unverified and still schedules a follow-up', async () => {
  const w = droppingWorld();
  await w.send({}, '1');
  w.directory.getUser = async () => {
    throw Object.assign(new Error('down'), { code: 'ECONNRESET' });
  };
  const before = w.deps.timeline.entries.length;
  assert.equal((await w.send({ Dept: 'Marketing' }, '2')).status, 'applied');
  const [report] = verifications(w.deps.timeline.entries.slice(before));
  assert.equal(report?.ok, false);
  assert.equal(typeof report?.unavailable, 'string');
  assert.equal(w.deps.sender.scheduled.at(-1)?.message.kind, 'wake');
});

test('compareWithPlan: deletes, licences and managers are checked; unselected attributes are not guessed', () => {
  const target = { flow: 'hr', employeeId: 'E1', objectId: 'u1' };
  const op = (id: string, kind: string, after: Record<string, JsonValue>, params: unknown) =>
    ({ id, kind, target, before: {}, after, reason: 'attributeChanged', dependsOn: [], params }) as never;
  const plan = {
    operations: [
      op('u', 'updateUser', { department: 'X', extensionAttribute9: 'Y' }, {}),
      op('l', 'assignLicenses', {}, { skuIds: ['s1'], skuRefs: ['E3'] }),
      op('m', 'setManager', { manager: 'boss' }, { managerObjectId: 'boss', managerEmployeeId: 'B' }),
    ],
  } as never;
  const results = ['u', 'l', 'm'].map((id) => ({ id, status: 'applied' })) as never;
  const seen = {
    user: { accountEnabled: true, attributes: { department: 'X' } },
    skuIds: [],
    managerId: null,
  };
  assert.deepEqual(
    compareWithPlan(plan, results, seen).map((m) => m.field),
    ['license:E3', 'manager'],
  );
  const deleted = { operations: [op('d', 'deleteUser', { deleted: true }, {})] } as never;
  const deletedResults = [{ id: 'd', status: 'applied' }] as never;
  assert.deepEqual(compareWithPlan(deleted, deletedResults, { user: null }), []);
  assert.equal(compareWithPlan(deleted, deletedResults, seen).length, 1);
});
