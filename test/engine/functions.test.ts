// The engine's function handlers invoked with the @azure/functions package's own request and context objects,
// over the in-memory engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import { getWorkerHandler, replayWorkerHandler } from '../../functions/workers';
import { previewHandler } from '../../functions/preview';
import { listHeldHandler, resolveHeldHandler } from '../../functions/guard';
import { reconcileWorkerHandler } from '../../functions/reconcileWorker';
import { record } from './testFlow';
import { world } from './world';

const logs: unknown[][] = [];
const ctx = () =>
  new InvocationContext({
    functionName: 't',
    invocationId: 'inv-1',
    logHandler: (level, ...args) => logs.push([level, ...args]),
  });

function req(method: string, url: string, params: Record<string, string>, body?: unknown) {
  return new HttpRequest({
    method,
    url: `http://127.0.0.1:7071/api/${url}`,
    params,
    ...(body !== undefined ? { body: { string: JSON.stringify(body) } } : {}),
  });
}

async function json(init: Awaited<ReturnType<ReturnType<typeof getWorkerHandler>>>) {
  const res = new HttpResponse(init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('GET worker returns the record and timeline; unknown worker 404; unknown flow 404', async () => {
  const w = world();
  await w.send();
  const ok = await json(
    await getWorkerHandler(() => w.deps)(
      req('GET', 'flows/hr/workers/E1', { flow: 'hr', employeeId: 'E1' }),
      ctx(),
    ),
  );
  assert.equal(ok.status, 200);
  assert.equal((ok.body.worker as { status: string }).status, 'ok');
  assert.ok((ok.body.timeline as unknown[]).length > 3);
  const missing = await json(
    await getWorkerHandler(() => w.deps)(req('GET', 'x', { flow: 'hr', employeeId: 'NOPE' }), ctx()),
  );
  assert.equal(missing.status, 404);
  const flow = await json(
    await getWorkerHandler(() => w.deps)(req('GET', 'x', { flow: 'nope', employeeId: 'E1' }), ctx()),
  );
  assert.equal(flow.status, 404);
  assert.equal((flow.body.error as { code: string }).code, 'TENURE_UNKNOWN_FLOW');
});

test('POST replay queues a retry of the stored snapshot through the worker session', async () => {
  const w = world();
  await w.send();
  const res = await json(
    await replayWorkerHandler(() => w.deps)(req('POST', 'x', { flow: 'hr', employeeId: 'E1' }), ctx()),
  );
  assert.equal(res.status, 202);
  const sent = w.deps.sender.sent.at(-1)!;
  assert.equal(sent.kind, 'retry');
  assert.equal(sent.version, '1');
});

test('preview returns plans and text for several records and writes nothing', async () => {
  const w = world();
  const res = await json(
    await previewHandler(() => w.deps)(
      req(
        'POST',
        'flows/hr/preview',
        { flow: 'hr' },
        { records: [record(), record({ Id: 'E2', First: 'Bad', Start: 'x' })] },
      ),
      ctx(),
    ),
  );
  assert.equal(res.status, 200);
  const results = res.body.results as { employeeId: string; text?: string; error?: { code: string } }[];
  assert.match(results[0].text!, /\+ createUser/);
  assert.equal(results[1].error?.code, 'TENURE_INVALID_RECORD');
  assert.deepEqual(w.directory.writes, []);
  assert.equal(w.deps.workers.rows.size, 0);
  const bad = await json(
    await previewHandler(() => w.deps)(req('POST', 'x', { flow: 'hr' }, { records: [] }), ctx()),
  );
  assert.equal(bad.status, 400);
});

test('held plans: list with text, resume sends resume messages and unpauses, discard marks workers skipped', async () => {
  const w = world();
  for (const id of ['A', 'B', 'C', 'D', 'E']) await w.send({ Id: id, First: id, Last: 'X' });
  for (const id of ['A', 'B', 'C', 'D', 'E'])
    await w.send({ Id: id, First: id, Last: 'X', Status: 'Terminated' });
  const list = await json(await listHeldHandler(() => w.deps)(req('GET', 'x', { flow: 'hr' }), ctx()));
  assert.ok(list.body.pausedSince);
  const plans = list.body.plans as { employeeId: string; text: string }[];
  assert.deepEqual(plans.map((p) => p.employeeId).sort(), ['D', 'E']);
  assert.match(plans[0].text, /disableUser/);
  const resumed = await json(
    await resolveHeldHandler('resume', () => w.deps)(
      req('POST', 'x', { flow: 'hr' }, { employeeIds: ['D'] }),
      ctx(),
    ),
  );
  assert.deepEqual(resumed.body.resumed, ['D']);
  assert.equal(await w.deps.held.pausedSince('hr'), null);
  const resume = w.deps.sender.sent.at(-1)!;
  assert.equal(resume.kind, 'resume');
  await w.deliver(resume);
  assert.equal(w.directory.byEmployee('D')!.accountEnabled, false);
  const discarded = await json(
    await resolveHeldHandler('discard', () => w.deps)(req('POST', 'x', { flow: 'hr' }), ctx()),
  );
  assert.deepEqual(discarded.body.discarded, ['E']);
  assert.equal((await w.deps.workers.get('hr', 'E'))!.status, 'skipped');
  assert.equal(w.directory.byEmployee('E')!.accountEnabled, true);
});

test('the Service Bus handler reconciles a message body and logs ids, never HR values', async () => {
  const w = world();
  const handler = reconcileWorkerHandler(() => w.deps);
  logs.length = 0;
  const out = await handler(
    {
      kind: 'snapshot',
      flow: 'hr',
      employeeId: 'E1',
      version: '1',
      record: record({ First: 'Secretname' }),
      sentAt: 'x',
    },
    ctx(),
  );
  assert.equal(out.status, 'applied');
  assert.ok(logs.length > 0);
  assert.equal(JSON.stringify(logs).includes('Secretname'), false);
  const bad = await handler('not json', ctx());
  assert.equal(bad.status, 'invalidMessage');
});
