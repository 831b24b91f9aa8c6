// A connection's adapters share one Graph executor: a throttling pause Graph asked of the directory holds the
// playbook's Graph calls (OneDrive) of the same connection too, and the cache builds them once per connection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  connectionAdapterCache,
  createConnectionAdapters,
  type ConnectionAdapters,
} from '../../shared/engine/connectionAdapters';
import type { ConnectionAccess } from '../../shared/engine/ports';
import { FakeGraph, fakeCredential, GRAPH_ROOT } from '../graph/fakeGraph';

const access: ConnectionAccess = {
  tenantId: 't',
  cloud: 'global',
  graphBaseUrl: GRAPH_ROOT,
  graphScope: `${GRAPH_ROOT}/.default`,
  credential: fakeCredential,
  customHosts: ['graph.test.local'],
};

test("a Retry-After seen by the directory pauses the playbook's Graph calls of the same connection", async () => {
  const fake = new FakeGraph()
    .sequence('GET', /^\/users\?\$filter=employeeId/, [
      { status: 429, headers: { 'Retry-After': '100' }, body: { error: { code: 'TooManyRequests' } } },
      { status: 200, body: { value: [] } },
    ])
    .on('GET', /^\/directory\/deletedItems/, { status: 200, body: { value: [] } })
    .on('GET', /^\/users\/u1\/drive/, { status: 200, body: { id: 'd1' } });
  const sleeps: { ms: number; sentBefore: number }[] = [];
  // The fake sleep returns at once: the pause Graph asked for (100 s of wall-clock time) is still running after.
  const adapters = createConnectionAdapters(access, {
    httpMiddleware: fake,
    sleep: async (ms) => void sleeps.push({ ms, sentBefore: fake.requests.length }),
  });
  assert.equal(await adapters.directory.findUserByEmployeeId('E1'), null);
  assert.equal(await adapters.playbook.oneDrive!.getDriveId('u1'), 'd1');
  // The directory's retry waited the asked 100 s; the OneDrive call waited the connection's pause before it was
  // sent (a separate executor would have sent it at once, into the throttled tenant).
  assert.equal(sleeps[0]?.ms, 100_000);
  const drive = fake.requests.findIndex((r) => r.url.startsWith('/users/u1/drive'));
  assert.equal(fake.requests.length, drive + 1);
  const beforeDrive = sleeps.filter((s) => s.sentBefore === drive);
  assert.equal(beforeDrive.length, 1);
  assert.ok(beforeDrive[0].ms > 95_000 && beforeDrive[0].ms <= 100_000, String(beforeDrive[0].ms));
});

test('adapters are built once per connection; a failed build is not kept', async () => {
  const built: string[] = [];
  let fail = true;
  const adaptersFor = connectionAdapterCache(
    {
      forConnection: async (id) => {
        if (id === 'bad' && fail) throw new Error('not linked');
        return { ...access, tenantId: id };
      },
    },
    (a) => {
      built.push(a.tenantId);
      return { directory: {}, playbook: {} } as unknown as ConnectionAdapters;
    },
  );
  const [a, b] = await Promise.all([adaptersFor('c1'), adaptersFor('c1')]);
  assert.equal(a, b);
  assert.notEqual(await adaptersFor('c2'), a);
  await assert.rejects(adaptersFor('bad'));
  fail = false;
  await adaptersFor('bad');
  assert.deepEqual(built, ['c1', 'c2', 'bad']);
});
