// Repositories against Azurite (started by `npm test`), through the production client path (DefaultAzureCredential
// over HTTPS with OAuth checked). Each test uses its own flow name so runs never collide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createAzureClients } from '../../shared/azure/clients';
import { createRepositories } from '../../shared/storage/index';
import { testStack } from '../support/stack';

function repos() {
  const clients = createAzureClients(testStack().appSettings);
  return createRepositories((name) => clients.table(name));
}

const flow = () => `f-${randomUUID().slice(0, 8)}`;

test('workers: put/get round trip, cleared fields disappear, etag conflicts are typed', async () => {
  const r = repos();
  const f = flow();
  assert.equal(await r.workers.get(f, 'E/1#?'), null);
  await r.workers.put({
    flow: f,
    employeeId: 'E/1#?',
    status: 'failed',
    reason: 'TENURE_LICENSE_NO_SEATS',
    snapshot: { WorkerID: 'E/1#?', FirstName: 'Zoë' },
    snapshotVersion: '3',
    lastVersion: '2',
    objectId: 'u1',
    updatedAt: '2026-01-01T00:00:00Z',
  });
  const got = await r.workers.get(f, 'E/1#?');
  assert.equal(got?.status, 'failed');
  assert.deepEqual(got?.snapshot, { WorkerID: 'E/1#?', FirstName: 'Zoë' });
  assert.equal(got?.lastVersion, '2');
  await r.workers.put({ ...got!, status: 'ok', reason: undefined });
  const again = await r.workers.get(f, 'E/1#?');
  assert.equal(again?.reason, undefined);
  await assert.rejects(
    r.workers.put({ ...got!, status: 'ok' }),
    (e: { code?: string }) => e.code === 'TENURE_STORAGE_CONFLICT',
  );
});

test('reservations: insert-if-absent; the same worker may re-reserve, another may not; release frees it', async () => {
  const r = repos();
  const f = flow();
  const upn = `john.smith.${randomUUID().slice(0, 6)}@contoso.test`;
  const results = await Promise.all([
    r.reservations.reserve('userPrincipalName', upn, f, 'E1'),
    r.reservations.reserve('userPrincipalName', upn.toUpperCase(), f, 'E2'),
  ]);
  assert.deepEqual(results.sort(), [false, true]);
  const winner = (await r.reservations.reserve('userPrincipalName', upn, f, 'E1')) ? 'E1' : 'E2';
  assert.equal(await r.reservations.reserve('userPrincipalName', upn, f, winner), true);
  await r.reservations.release('userPrincipalName', upn, f, winner === 'E1' ? 'E2' : 'E1');
  assert.equal(
    await r.reservations.reserve('userPrincipalName', upn, f, winner === 'E1' ? 'E2' : 'E1'),
    false,
  );
  await r.reservations.release('userPrincipalName', upn, f, winner);
  assert.equal(await r.reservations.reserve('userPrincipalName', upn, f, 'E3'), true);
});

test('timeline: newest first, limited', async () => {
  const r = repos();
  const f = flow();
  await r.timeline.append([
    {
      flow: f,
      employeeId: 'E1',
      at: '2026-01-01T00:00:00.000Z',
      kind: 'eventReceived',
      runId: 'r1',
      data: { n: 1 },
    },
    { flow: f, employeeId: 'E1', at: '2026-01-01T00:00:01.000Z', kind: 'plan', runId: 'r1', data: { n: 2 } },
    {
      flow: f,
      employeeId: 'E1',
      at: '2026-01-01T00:00:02.000Z',
      kind: 'operation',
      runId: 'r1',
      data: { n: 3 },
    },
  ]);
  const list = await r.timeline.list(f, 'E1', 2);
  assert.deepEqual(
    list.map((e) => e.data.n),
    [3, 2],
  );
});

test('pending managers and held plans with pause and guard window counts', async () => {
  const r = repos();
  const f = flow();
  await r.pending.add(f, 'M1', 'E1');
  await r.pending.add(f, 'M1', 'E2');
  await r.pending.add(f, 'M1', 'E2');
  assert.deepEqual((await r.pending.listReports(f, 'M1')).sort(), ['E1', 'E2']);
  await r.pending.remove(f, 'M1', 'E1');
  await r.pending.remove(f, 'M1', 'E1');
  assert.deepEqual(await r.pending.listReports(f, 'M1'), ['E2']);

  assert.equal(await r.held.pausedSince(f), null);
  await r.held.setPaused(f, '2026-01-01T00:00:00.000Z');
  assert.equal(await r.held.pausedSince(f), '2026-01-01T00:00:00.000Z');
  await r.held.hold({ flow: f, employeeId: 'E1', heldAt: 'x', plan: '{}', version: '1', reason: 'guard' });
  assert.equal((await r.held.list(f)).length, 1);
  assert.equal((await r.held.get(f, 'E1'))?.version, '1');
  await r.held.remove(f, 'E1');
  await r.held.setPaused(f, null);
  assert.equal(await r.held.pausedSince(f), null);
  assert.deepEqual(await r.held.list(f), []);

  const one = { disables: 1, deletes: 0, groupRemovals: 2 };
  await r.held.recordChanges(f, '2026-01-01T00:00:00.000Z', one, 3_600_000);
  const within = await r.held.recordChanges(f, '2026-01-01T00:30:00.000Z', one, 3_600_000);
  assert.deepEqual(within, { disables: 2, deletes: 0, groupRemovals: 4 });
  const later = await r.held.recordChanges(
    f,
    '2026-01-01T01:45:00.000Z',
    { disables: 0, deletes: 0, groupRemovals: 0 },
    3_600_000,
  );
  assert.deepEqual(later, { disables: 0, deletes: 0, groupRemovals: 0 });
});
