// The Graph executor under a run deadline (engine/runDeadline.ts), with a fake clock and sleep: a wait that ends by
// the deadline is slept; one that would end past it is not, and the answer names the wait so the queue redelivers
// no sooner; without a deadline nothing changes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TenureError } from '../../shared/engine/errors';
import { GraphDirectory } from '../../shared/graph/directory';
import { toGraphError } from '../../shared/graph/errors';
import { GraphExecutor, outOfRunTime } from '../../shared/graph/executor';
import { DEFAULT_RETRY } from '../../shared/graph/policy';
import type { GraphRequest, GraphResponse } from '../../shared/graph/types';
import { runDeadline, withRunDeadline } from '../../shared/engine/runDeadline';
import { RequestBatcher } from '../../shared/graph/batcher';

const T0 = Date.parse('2026-03-10T12:00:00Z');
const get: GraphRequest = { method: 'GET', url: '/users/u-1' };
const throttled = (seconds: number): GraphResponse => ({
  status: 429,
  headers: { 'retry-after': String(seconds) },
  body: { error: { code: 'TooManyRequests', message: 'Too many requests' } },
});
const ok: GraphResponse = { status: 200, headers: {}, body: { id: 'u-1' } };

/** An executor over scripted answers (the last repeats), a fake clock that sleeping advances. */
function rig(answers: GraphResponse[] | ((r: GraphRequest) => GraphResponse)) {
  let now = T0;
  const sent: GraphRequest[] = [];
  const slept: number[] = [];
  let i = 0;
  const executor = new GraphExecutor(
    {
      send: async (r) => {
        sent.push(r);
        return typeof answers === 'function' ? answers(r) : answers[Math.min(i++, answers.length - 1)];
      },
    },
    {
      now: () => now,
      random: () => 1,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    },
  );
  return { executor, sent, slept, now: () => now };
}

describe('GraphExecutor and the run deadline', () => {
  it('sleeps a Retry-After that ends by the deadline', async () => {
    const r = rig([throttled(30), ok]);
    const res = await withRunDeadline(T0 + 60_000, () => r.executor.send(get));
    assert.equal(res.status, 200);
    assert.deepEqual(r.slept, [30_000]);
    assert.equal(r.sent.length, 2);
  });

  it('does not sleep past the deadline: the 429 comes back with the asked wait, for the queue', async () => {
    const r = rig([throttled(30), throttled(100), ok]);
    const res = await withRunDeadline(T0 + 60_000, () => r.executor.send(get));
    assert.equal(res.status, 429);
    assert.deepEqual(r.slept, [30_000]);
    assert.equal(r.sent.length, 2);
    const error = toGraphError(res, { action: 'getUser' });
    assert.equal(error.code, 'TENURE_GRAPH_THROTTLED');
    assert.equal(error.terminal, false);
    assert.equal(error.details.retryAfterMs, 100_000);
  });

  it('a back-off past the deadline (503 without Retry-After) names the back-off it would have slept', async () => {
    const unavailable: GraphResponse = { status: 503, headers: {}, body: undefined };
    const r = rig([unavailable, ok]);
    // random() = 1: the first back-off is baseDelayMs exactly (1 s); the deadline leaves 0.5 s.
    const res = await withRunDeadline(T0 + 500, () => r.executor.send(get));
    assert.deepEqual(r.slept, []);
    assert.equal(res.status, 503);
    const error = toGraphError(res, { action: 'getUser' });
    assert.equal(error.code, 'TENURE_GRAPH_UNAVAILABLE');
    assert.equal(error.details.retryAfterMs, DEFAULT_RETRY.baseDelayMs);
  });

  it('a replication-lag 404 that cannot be awaited is not reported as not found, but as transient', async () => {
    const r = rig([{ status: 404, headers: {}, body: { error: { code: 'Request_ResourceNotFound' } } }, ok]);
    const res = await withRunDeadline(T0 + 100, () => r.executor.send({ ...get, tolerateLag: true }));
    assert.equal(res.status, 503);
    const error = toGraphError(res, { action: 'getUser' });
    assert.equal(error.terminal, false);
    assert.ok((error.details.retryAfterMs ?? 0) >= 250);
    assert.equal(r.sent.length, 1);
  });

  it('without a deadline the retries are unchanged (up to maxRetries, every asked wait slept)', async () => {
    const r = rig([throttled(100)]);
    const res = await r.executor.send(get);
    assert.equal(res.status, 429);
    assert.equal(r.sent.length, DEFAULT_RETRY.maxRetries + 1);
    assert.deepEqual(
      r.slept,
      Array.from({ length: DEFAULT_RETRY.maxRetries }, () => 100_000),
    );
  });

  it("the connection's pause is slept only when it ends by the deadline; else answered 429, unsent", async () => {
    const r = rig([throttled(100), ok]);
    // A run with 10 s left is refused for 100 s: the connection pauses until T0 + 100 s.
    assert.equal((await withRunDeadline(T0 + 10_000, () => r.executor.send(get))).status, 429);
    assert.equal(r.sent.length, 1);
    // Another run with 60 s left does not wait the pause out: answered locally with the time left.
    const paused = await withRunDeadline(T0 + 60_000, () => r.executor.send(get));
    assert.equal(paused.status, 429);
    assert.equal(r.sent.length, 1);
    assert.deepEqual(r.slept, []);
    assert.equal(toGraphError(paused, { action: 'getUser' }).details.retryAfterMs, 100_000);
    // A run whose deadline lies past the pause waits it out, then sends.
    assert.equal((await withRunDeadline(T0 + 150_000, () => r.executor.send(get))).status, 200);
    assert.deepEqual(r.slept, [100_000]);
    assert.equal(r.sent.length, 2);
  });

  it('$batch: sub-requests whose shared wait would pass the deadline come back with it, and are not re-posted', async () => {
    const r = rig((req) => {
      if (req.url !== '/$batch') return ok;
      const subs = (req.body as { requests: { id: string }[] }).requests;
      return {
        status: 200,
        headers: {},
        body: {
          responses: subs.map((s) =>
            s.id === '1'
              ? { id: s.id, status: 200, headers: {}, body: { id: 'a' } }
              : s.id === '2'
                ? { id: s.id, status: 429, headers: { 'Retry-After': '90' }, body: {} }
                : { id: s.id, status: 424, headers: {}, body: {} },
          ),
        },
      };
    });
    const out = await withRunDeadline(T0 + 60_000, () =>
      r.executor.batch([
        { id: '1', request: get },
        { id: '2', request: { method: 'GET', url: '/users/u-2' } },
        { id: '3', request: { method: 'PATCH', url: '/users/u-3', body: {} }, dependsOn: ['2'] },
      ]),
    );
    assert.equal(r.sent.length, 1);
    assert.deepEqual(r.slept, []);
    assert.equal(out.get('1')?.status, 200);
    assert.equal(out.get('2')?.status, 429);
    assert.equal(toGraphError(out.get('2')!, { action: 'x' }).details.retryAfterMs, 90_000);
    // The dependent was refused with 424 because of item 2: it is transient too, with the same wait.
    const dependent = toGraphError(out.get('3')!, { action: 'x' });
    assert.equal(dependent.terminal, false);
    assert.equal(dependent.details.retryAfterMs, 90_000);
  });

  it('outOfRunTime keeps an asked Retry-After and adds the wait when there is none', () => {
    assert.equal(outOfRunTime(throttled(7), 90_000).headers['retry-after'], '7');
    assert.equal(
      outOfRunTime({ status: 504, headers: {}, body: undefined }, 1_200).headers['retry-after'],
      '2',
    );
  });
});

describe('coalesced requests and the run deadline', () => {
  it('a $batch of several runs waits under the earliest of their deadlines; a lone request under its own', async () => {
    const seen: (number | undefined)[] = [];
    const executor = {
      send: async () => {
        seen.push(runDeadline());
        return ok;
      },
      batch: async (items: readonly { id: string }[]) => {
        seen.push(runDeadline());
        return new Map(items.map((i) => [i.id, ok]));
      },
    } as unknown as GraphExecutor;
    const batcher = new RequestBatcher(executor);
    await Promise.all([
      withRunDeadline(T0 + 90_000, () => batcher.submit(get)),
      withRunDeadline(T0 + 30_000, () => batcher.submit(get)),
      withRunDeadline(undefined, () => batcher.submit(get)),
    ]);
    assert.deepEqual(seen, [T0 + 30_000]);
    await withRunDeadline(T0 + 90_000, () => batcher.submit(get));
    await batcher.submit(get);
    assert.deepEqual(seen, [T0 + 30_000, T0 + 90_000, undefined]);
  });
});

describe('GraphDirectory and the run deadline', () => {
  it('a group name not listed yet (lag) is looked up again only while the run may wait; then transient', async () => {
    let lookups = 0;
    const executor = new GraphExecutor({
      send: async () => {
        lookups++;
        return { status: 200, headers: {}, body: { value: [] } };
      },
    });
    const directory = new GraphDirectory(executor, {
      graphRoot: 'https://graph.test',
      groupLagWaitsMs: [5, 60_000],
    });
    const error = await withRunDeadline(Date.now() + 30_000, () => directory.resolveGroup('Sales')).then(
      () => assert.fail('expected a transient failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof TenureError);
    assert.equal(error.code, 'TENURE_GRAPH_UNAVAILABLE');
    assert.equal(error.terminal, false);
    assert.equal(error.details.retryAfterMs, 60_000);
    assert.equal(lookups, 2);
    // Outside a run the waits are unchanged and a name that stays unlisted is not found.
    const quick = new GraphDirectory(executor, { graphRoot: 'https://graph.test', groupLagWaitsMs: [1, 1] });
    assert.equal(await quick.resolveGroup('Sales'), null);
  });
});
