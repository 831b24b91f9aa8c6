// The events function invoked with @azure/functions' own HttpRequest and InvocationContext and a fake sender:
// request → ingest → response, and the HR app-role check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import { makeEventsHandler } from '../../functions/events';
import { parseFlow } from '../../shared/flows';
import { fixture, harness } from './support';

function context(logs: unknown[][] = []): InvocationContext {
  return new InvocationContext({
    functionName: 'postEvents',
    invocationId: 'test-1',
    logHandler: (level, ...args) => logs.push([level, ...args]),
  });
}

function principal(roles: string[]): string {
  return Buffer.from(
    JSON.stringify({ auth_typ: 'aad', claims: roles.map((val) => ({ typ: 'roles', val })) }),
  ).toString('base64');
}

function request(
  body: string,
  headers: Record<string, string>,
  flow = 'csv-sample',
  query = '',
): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: `http://127.0.0.1:7071/api/flows/${flow}/events${query}`,
    headers,
    params: { flow },
    body: { string: body },
  });
}

async function call(
  h: ReturnType<typeof harness>,
  req: HttpRequest,
  env: NodeJS.ProcessEnv = {},
  logs: unknown[][] = [],
) {
  const res = new HttpResponse(await makeEventsHandler(() => h.deps, env)(req, context(logs)));
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

test('a CSV extract through the handler: 200, JSON answer, one message per row, a summary in the log', async () => {
  const h = harness();
  const logs: unknown[][] = [];
  const res = await call(
    h,
    request(fixture('microsoft-csv-with-2-records.csv'), { 'content-type': 'text/csv' }),
    {},
    logs,
  );
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  assert.equal((res.body.summary as { accepted: number }).accepted, 2);
  assert.equal(h.sender.sent.length, 2);
  const line = logs.map((l) => String(l[1])).join('\n');
  assert.match(line, /csv-sample: csv .*"accepted":2/);
  // The log names counts, never HR values.
  assert.doesNotMatch(line, /Talya|Fleeta/);
});

test('query parameters reach ingestion (full=true reports missing workers)', async () => {
  const h = harness();
  h.managed.push({ employeeId: '999', phase: 'active' });
  const res = await call(
    h,
    request(
      fixture('microsoft-csv-with-2-records.csv'),
      { 'content-type': 'text/csv' },
      'csv-sample',
      '?full=true',
    ),
  );
  assert.equal(res.status, 200);
  assert.deepEqual((res.body.fullExtract as { missing: unknown[] }).missing, [
    { employeeId: '999', outcome: 'reported' },
  ]);
});

test('errors map to their status: 415, 400, 404, 413 (declared Content-Length)', async () => {
  const h = harness();
  assert.equal((await call(h, request('x', { 'content-type': 'text/plain' }))).status, 415);
  assert.equal((await call(h, request('{', { 'content-type': 'application/cloudevents+json' }))).status, 400);
  assert.equal((await call(h, request('a\n', { 'content-type': 'text/csv' }, 'missing'))).status, 404);
  const big = await call(
    h,
    request('a\n', { 'content-type': 'text/csv', 'content-length': String(40 * 1024 * 1024) }),
  );
  assert.equal(big.status, 413);
  assert.equal((big.body.error as { code: string }).code, 'TENURE_INGEST_BODY_TOO_LARGE');
});

test("Microsoft's SCIM example posted to the handler is accepted", async () => {
  const h = harness();
  const res = await call(
    h,
    request(
      fixture('microsoft-bulkupload-example1.json'),
      { 'content-type': 'application/scim+json' },
      'scim-test',
    ),
  );
  assert.equal(res.status, 200);
  assert.equal((res.body.summary as { accepted: number }).accepted, 2);
});

test('role required: no principal 401, another role 403, the HR role or the admin role pass', async () => {
  const env = { TENURE_REQUIRE_ADMIN_ROLE: 'true' };
  const body = fixture('microsoft-csv-with-2-records.csv');
  const h = harness();
  const none = await call(h, request(body, { 'content-type': 'text/csv' }), env);
  assert.equal(none.status, 401);
  assert.equal((none.body.error as { code: string }).code, 'TENURE_FORBIDDEN');
  const other = await call(
    h,
    request(body, { 'content-type': 'text/csv', 'x-ms-client-principal': principal(['Reader']) }),
    env,
  );
  assert.equal(other.status, 403);
  assert.match((other.body.error as { message: string }).message, /Tenure\.HR\.Write/);
  assert.equal(h.sender.sent.length, 0);
  const hr = await call(
    h,
    request(body, { 'content-type': 'text/csv', 'x-ms-client-principal': principal(['Tenure.HR.Write']) }),
    env,
  );
  assert.equal(hr.status, 200);
  const custom = await call(
    h,
    request(body, { 'content-type': 'text/csv', 'x-ms-client-principal': principal(['HR.Feed']) }),
    { ...env, TENURE_HR_ROLE: 'HR.Feed' },
  );
  assert.equal(custom.status, 200);
  const admin = await call(
    h,
    request(body, { 'content-type': 'text/csv', 'x-ms-client-principal': principal(['Tenure.Admin']) }),
    env,
  );
  assert.equal(admin.status, 200);
});

test('without the role requirement the function key alone is enough', async () => {
  const h = harness();
  const res = await call(
    h,
    request(fixture('microsoft-csv-with-2-records.csv'), { 'content-type': 'text/csv' }),
    {
      TENURE_REQUIRE_ADMIN_ROLE: 'false',
    },
  );
  assert.equal(res.status, 200);
});

test('a flow file that does not load is 500 TENURE_INGEST_FLOW_INVALID, naming no file content', async () => {
  const h = harness();
  const broken = () => parseFlow('version: 1\nname: broken\n', 'broken.yaml');
  const res = await call(
    { ...h, deps: { ...h.deps, flows: () => broken() } },
    request('a\n', { 'content-type': 'text/csv' }, 'broken'),
  );
  assert.equal(res.status, 500);
  assert.equal((res.body.error as { code: string }).code, 'TENURE_INGEST_FLOW_INVALID');
});
