import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGraphDirectory } from '../../shared/graph/index';
import type { ConnectionAccess } from '../../shared/engine/ports';
import { FakeGraph, fakeCredential, GRAPH_ROOT, graphError } from './fakeGraph';

const access: ConnectionAccess = {
  tenantId: 't',
  cloud: 'global',
  graphBaseUrl: GRAPH_ROOT,
  graphScope: `${GRAPH_ROOT}/.default`,
  credential: fakeCredential,
  customHosts: ['graph.test.local'],
};

function setup(options: { batching?: boolean } = {}) {
  const fake = new FakeGraph();
  const sleeps: number[] = [];
  const directory = createGraphDirectory(access, {
    httpMiddleware: fake,
    batching: options.batching ?? false,
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { fake, directory, sleeps };
}

const USER = {
  id: 'u1',
  accountEnabled: true,
  employeeId: 'E1',
  userPrincipalName: 'a@contoso.test',
  employeeOrgData: { division: 'D', costCenter: 'C' },
};

test('sends the token to a custom host, filters by employeeId and flattens nested attributes', async () => {
  const { fake, directory } = setup();
  fake.on('GET', /^\/users\?\$filter=employeeId eq 'O''Neil'/, { status: 200, body: { value: [USER] } });
  const user = await directory.findUserByEmployeeId("O'Neil");
  assert.equal(fake.requests[0].headers.authorization, 'Bearer test-token');
  assert.equal(user?.id, 'u1');
  assert.equal(user?.deleted, false);
  assert.equal(user?.attributes['employeeOrgData/costCenter'], 'C');
});

test('falls back to deleted items, most recently deleted first', async () => {
  const { fake, directory } = setup();
  fake.on('GET', /^\/users\?/, { status: 200, body: { value: [] } });
  fake.on('GET', /^\/directory\/deletedItems\/microsoft.graph.user\?/, {
    status: 200,
    body: {
      value: [
        { ...USER, id: 'old', deletedDateTime: '2026-01-01T00:00:00Z' },
        { ...USER, id: 'new', deletedDateTime: '2026-02-01T00:00:00Z' },
      ],
    },
  });
  const user = await directory.findUserByEmployeeId('E1');
  assert.equal(user?.id, 'new');
  assert.equal(user?.deleted, true);
});

test('429 honours Retry-After, then succeeds; concurrency backs off', async () => {
  const { fake, directory, sleeps } = setup();
  fake.sequence('PATCH', /^\/users\/u1$/, [
    {
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { error: { code: 'TooManyRequests', message: 'Please retry again later.' } },
    },
    { status: 204 },
  ]);
  await directory.updateUser('u1', { department: 'Sales' });
  assert.ok(sleeps.includes(7000));
  assert.equal(fake.writes().length, 2);
});

test('a Retry-After longer than a worker is held: no early retry, the wait travels with the error, and the connection sends nothing else meanwhile', async () => {
  const { fake, directory, sleeps } = setup();
  fake.on('PATCH', /^\/users\/u1$/, {
    status: 429,
    headers: { 'Retry-After': '600' },
    body: { error: { code: 'TooManyRequests', message: 'Please retry again later.' } },
  });
  fake.on('PATCH', /^\/users\/u2$/, { status: 204 });
  const throttled =
    (minMs: number) => (e: { code?: string; terminal?: boolean; details?: { retryAfterMs?: number } }) =>
      e.code === 'TENURE_GRAPH_THROTTLED' && e.terminal === false && (e.details?.retryAfterMs ?? 0) >= minMs;
  await assert.rejects(directory.updateUser('u1', { department: 'x' }), throttled(600_000));
  assert.deepEqual(sleeps, []);
  // Another worker's write on the same connection is not sent into the throttle either.
  await assert.rejects(directory.updateUser('u2', { department: 'x' }), throttled(590_000));
  assert.equal(fake.writes().length, 1);
  assert.deepEqual(sleeps, []);
});

test('during a long pause a $batch is not sent either; its error carries the time left', async () => {
  const { fake, directory } = setup({ batching: true });
  fake.on('PATCH', /^\/users\/u1$/, {
    status: 429,
    headers: { 'Retry-After': '600' },
    body: { error: { code: 'TooManyRequests', message: 'Please retry again later.' } },
  });
  fake.on('PATCH', /^\/users\/u[23]$/, { status: 204 });
  await assert.rejects(directory.updateUser('u1', { department: 'x' }));
  const sent = fake.requests.length;
  const results = await Promise.allSettled(
    ['u2', 'u3'].map((id) => directory.updateUser(id, { department: 'x' })),
  );
  assert.equal(fake.requests.length, sent);
  for (const r of results) {
    assert.equal(r.status, 'rejected');
    const e = (r as PromiseRejectedResult).reason as {
      terminal?: boolean;
      details?: { retryAfterMs?: number };
    };
    assert.equal(e.terminal, false);
    assert.ok((e.details?.retryAfterMs ?? 0) > 590_000, JSON.stringify(e.details));
  }
});

test('503 without Retry-After backs off exponentially and finally fails as transient', async () => {
  const { fake, directory, sleeps } = setup();
  fake.on('PATCH', /^\/users\/u1$/, graphError(503, 'serviceNotAvailable', 'unavailable'));
  await assert.rejects(
    directory.updateUser('u1', { department: 'X' }),
    (e: { code?: string; terminal?: boolean }) => {
      return e.code === 'TENURE_GRAPH_UNAVAILABLE' && e.terminal === false;
    },
  );
  assert.equal(sleeps.length, 6);
  assert.ok(sleeps[5] > sleeps[0]);
});

test('replication lag: a 404 right after create is retried on writes to that id', async () => {
  const { fake, directory } = setup();
  fake.sequence('POST', /^\/users\/u1\/revokeSignInSessions$/, [
    graphError(404, 'Request_ResourceNotFound', "Resource 'u1' does not exist"),
    graphError(404, 'Request_ResourceNotFound', "Resource 'u1' does not exist"),
    { status: 200, body: { value: true } },
  ]);
  await directory.revokeSessions('u1');
  assert.equal(fake.writes().length, 3);
});

test('membership idempotency: already a member, not a member (both shapes), manager gone, user gone', async () => {
  const { fake, directory } = setup();
  fake.on(
    'POST',
    /^\/groups\/g1\/members\/\$ref$/,
    graphError(
      400,
      'Request_BadRequest',
      "One or more added object references already exist for the following modified properties: 'members'.",
    ),
  );
  fake.on('DELETE', /^\/groups\/g1\/members\/u1\/\$ref$/, graphError(404, 'Request_ResourceNotFound', 'x'));
  fake.on(
    'DELETE',
    /^\/groups\/g2\/members\/u1\/\$ref$/,
    graphError(
      400,
      'Request_BadRequest',
      "One or more removed object references do not exist for the following modified properties: 'members'.",
    ),
  );
  fake.on('DELETE', /^\/users\/u1\/manager\/\$ref$/, graphError(404, 'Request_ResourceNotFound', 'x'));
  fake.on('DELETE', /^\/users\/u1$/, graphError(404, 'Request_ResourceNotFound', 'x'));
  await directory.addGroupMember('g1', 'u1');
  await directory.removeGroupMember('g1', 'u1');
  await directory.removeGroupMember('g2', 'u1');
  await directory.removeManager('u1');
  await directory.deleteUser('u1');
});

test('typed errors: conflict with target, forbidden, licence usage location and seats', async () => {
  const { fake, directory } = setup();
  fake.on('GET', /^\/users\?/, { status: 200, body: { value: [] } });
  fake.on(
    'POST',
    /^\/users$/,
    graphError(
      400,
      'Request_BadRequest',
      'Another object with the same value for property userPrincipalName already exists.',
      [{ target: 'userPrincipalName', code: 'ObjectConflict' }],
    ),
  );
  await assert.rejects(
    directory.createUser(
      { attributes: { userPrincipalName: 'a@contoso.test' }, accountEnabled: true, password: 'Secret-123' },
      'E1',
    ),
    (e: { code?: string; details?: { target?: string }; message: string }) =>
      e.code === 'TENURE_GRAPH_CONFLICT' &&
      e.details?.target === 'userPrincipalName' &&
      !e.message.includes('Secret'),
  );
  fake.on(
    'PATCH',
    /^\/users\/u9$/,
    graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  );
  await assert.rejects(
    directory.updateUser('u9', { department: 'x' }),
    (e: { code?: string; terminal?: boolean }) => e.code === 'TENURE_GRAPH_FORBIDDEN' && e.terminal === true,
  );
  fake.on(
    'POST',
    /^\/users\/u2\/assignLicense$/,
    graphError(
      400,
      'Request_BadRequest',
      'License assignment cannot be done for user with invalid usage location.',
    ),
  );
  await assert.rejects(
    directory.assignLicenses('u2', ['s'], []),
    (e: { code?: string }) => e.code === 'TENURE_LICENSE_USAGE_LOCATION',
  );
  fake.on(
    'POST',
    /^\/users\/u3\/assignLicense$/,
    graphError(400, 'Request_BadRequest', 'Subscription with SKU s does not have any available licenses.'),
  );
  await assert.rejects(
    directory.assignLicenses('u3', ['s'], []),
    (e: { code?: string; terminal?: boolean }) => e.code === 'TENURE_LICENSE_NO_SEATS' && e.terminal === true,
  );
});

test('a create whose response was lost is recognised by employeeId (no duplicate user)', async () => {
  const { fake, directory } = setup();
  fake.on(
    'POST',
    /^\/users$/,
    graphError(
      400,
      'Request_BadRequest',
      'Another object with the same value for property userPrincipalName already exists.',
      [{ target: 'userPrincipalName', code: 'ObjectConflict' }],
    ),
  );
  fake.on('GET', /^\/users\?\$filter=employeeId eq 'E1'/, { status: 200, body: { value: [USER] } });
  const { id } = await directory.createUser(
    { attributes: { userPrincipalName: 'a@contoso.test' }, accountEnabled: true, password: 'x' },
    'E1',
  );
  assert.equal(id, 'u1');
  const post = fake.requests.find((r) => r.method === 'POST')!;
  assert.deepEqual(
    (post.body as { passwordProfile: { forceChangePasswordNextSignIn: boolean } }).passwordProfile
      .forceChangePasswordNextSignIn,
    true,
  );
});

test('employeeOrgData is written whole', async () => {
  const { fake, directory } = setup();
  fake.on('PATCH', /^\/users\/u1$/, { status: 204 });
  await directory.updateUser('u1', { 'employeeOrgData/costCenter': 'C2', 'employeeOrgData/division': 'D' });
  assert.deepEqual(fake.writes()[0].body, { employeeOrgData: { division: 'D', costCenter: 'C2' } });
});

test('batching: concurrent independent requests go out as one $batch; only throttled ids are re-posted', async () => {
  const { fake, directory, sleeps } = setup({ batching: true });
  fake.on('PATCH', /^\/users\/u[12]$/, { status: 204 });
  fake.sequence('PATCH', /^\/users\/u3$/, [
    {
      status: 429,
      headers: { 'Retry-After': '3' },
      body: { error: { code: 'TooManyRequests', message: 'x' } },
    },
    { status: 204 },
  ]);
  await Promise.all(['u1', 'u2', 'u3'].map((id) => directory.updateUser(id, { department: 'x' })));
  const batches = fake.requests.filter((r) => r.url === '/$batch');
  assert.equal(batches.length, 2);
  assert.equal((batches[0].body as { requests: unknown[] }).requests.length, 3);
  assert.equal((batches[1].body as { requests: { url: string }[] }).requests.length, 1);
  assert.equal((batches[1].body as { requests: { url: string }[] }).requests[0].url, '/users/u3');
  assert.ok(sleeps.includes(3000));
});

test('group additions to one group coalesce into members@odata.bind; a failed bind falls back per member', async () => {
  const { fake, directory } = setup({ batching: true });
  fake.on('PATCH', /^\/groups\/g1$/, { status: 204 });
  await Promise.all(['u1', 'u2', 'u3'].map((u) => directory.addGroupMember('g1', u)));
  const bind = fake.requests.find((r) => r.method === 'PATCH')!;
  assert.deepEqual((bind.body as Record<string, string[]>)['members@odata.bind'], [
    `${GRAPH_ROOT}/v1.0/directoryObjects/u1`,
    `${GRAPH_ROOT}/v1.0/directoryObjects/u2`,
    `${GRAPH_ROOT}/v1.0/directoryObjects/u3`,
  ]);
  const { fake: f2, directory: d2 } = setup({ batching: true });
  f2.on(
    'PATCH',
    /^\/groups\/g1$/,
    graphError(
      400,
      'Request_BadRequest',
      "One or more added object references already exist for the following modified properties: 'members'.",
    ),
  );
  f2.on('POST', /^\/groups\/g1\/members\/\$ref$/, (req) =>
    String((req.body as Record<string, string>)['@odata.id']).endsWith('u1')
      ? graphError(
          400,
          'Request_BadRequest',
          "One or more added object references already exist for the following modified properties: 'members'.",
        )
      : { status: 204 },
  );
  await Promise.all(['u1', 'u2'].map((u) => d2.addGroupMember('g1', u)));
  assert.equal(f2.requests.filter((r) => r.method === 'POST' && r.url.includes('members')).length, 2);
});

test('licence references resolve by skuId or part number; groups by id or unique name', async () => {
  const { fake, directory } = setup();
  fake.on('GET', /^\/subscribedSkus/, {
    status: 200,
    body: { value: [{ skuId: 'SKU-1', skuPartNumber: 'SPE_E3' }] },
  });
  fake.on('GET', /^\/groups\?\$filter=displayName eq 'Sales'/, {
    status: 200,
    body: { value: [{ id: 'g-sales' }] },
  });
  fake.on('GET', /^\/groups\?\$filter=displayName eq 'Dup'/, {
    status: 200,
    body: { value: [{ id: 'a' }, { id: 'b' }] },
  });
  assert.equal(await directory.resolveSku('SPE_E3'), 'SKU-1');
  assert.equal(await directory.resolveSku('sku-1'), 'SKU-1');
  assert.equal(await directory.resolveSku('NOPE'), null);
  assert.equal(await directory.resolveGroup('Sales'), 'g-sales');
  await assert.rejects(
    directory.resolveGroup('Dup'),
    (e: { code?: string }) => e.code === 'TENURE_UNRESOLVED_REFERENCE',
  );
});
