// The Service Bus handler sets the run deadline (engine/runDeadline.ts): a run throttled for longer than it may
// wait in process stops sleeping, schedules its redelivery no sooner than Graph asked, and applies nothing further.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UserCreate } from '../../shared/engine/ports';
import { RUN_WAIT_BUDGET_MS, runDeadline } from '../../shared/engine/runDeadline';
import { toGraphError } from '../../shared/graph/errors';
import { GraphExecutor } from '../../shared/graph/executor';
import type { GraphRequest } from '../../shared/graph/types';
import { world } from './world';

/** Graph keeps answering 429 with this Retry-After; each wait fits the executor's single-wait bound. */
const RETRY_AFTER_S = 100;

/**
 * The deadline is wall-clock time (the lock is renewed in it), so the executor's clock is the real one plus what
 * the fake sleep "slept"; the engine's business clock moves with it, for the scheduled redelivery.
 */
function throttledWorld() {
  const w = world();
  const sent: GraphRequest[] = [];
  const slept: number[] = [];
  let offset = 0;
  const executor = new GraphExecutor(
    {
      send: async (request) => {
        sent.push(request);
        return { status: 429, headers: { 'retry-after': String(RETRY_AFTER_S) }, body: {} };
      },
    },
    {
      now: () => Date.now() + offset,
      sleep: async (ms) => {
        slept.push(ms);
        offset += ms;
        w.clock.advance(ms);
      },
    },
  );
  // The account is created through a Graph executor that is throttled; nothing else can run before it.
  const create = w.directory.createUser.bind(w.directory);
  w.directory.createUser = async (user: UserCreate, employeeId: string) => {
    const response = await executor.send({ method: 'POST', url: '/users', body: {} });
    if (response.status >= 400) throw toGraphError(response, { action: 'createUser' });
    return create(user, employeeId);
  };
  return { w, sent, slept, elapsed: () => offset };
}

test('a run throttled past its deadline schedules the redelivery no sooner than asked and applies nothing', async () => {
  const { w, sent, slept, elapsed } = throttledWorld();
  const out = await w.send();
  assert.equal(out.status, 'retryScheduled');
  // Waits that ended by the deadline were slept; the one that would not was handed to the queue.
  const waits = Math.floor(RUN_WAIT_BUDGET_MS / (RETRY_AFTER_S * 1000));
  assert.deepEqual(
    slept,
    Array.from({ length: waits }, () => RETRY_AFTER_S * 1000),
  );
  assert.equal(sent.length, waits + 1);
  assert.ok(elapsed() <= RUN_WAIT_BUDGET_MS);
  const [scheduled] = w.deps.sender.scheduled;
  assert.ok(scheduled, 'a redelivery is scheduled');
  assert.ok(scheduled.at.getTime() >= w.clock.now().getTime() + RETRY_AFTER_S * 1000);
  assert.equal(scheduled.message.attempt, 1);
  assert.deepEqual(w.directory.writes, []);
  const failure = w.deps.timeline.entries.find((e) => e.kind === 'failure');
  assert.equal(failure?.data?.code, 'TENURE_GRAPH_THROTTLED');
  assert.equal(failure?.data?.retryAfterMs, RETRY_AFTER_S * 1000);
});

test('the deadline belongs to the run: it is set inside the handler and gone outside it', async () => {
  const w = world();
  let seen: number | undefined;
  const resolve = w.directory.findUserByEmployeeId.bind(w.directory);
  w.directory.findUserByEmployeeId = async (...args) => {
    seen = runDeadline();
    return resolve(...args);
  };
  const started = Date.now();
  assert.equal((await w.send()).status, 'applied');
  assert.ok(
    seen !== undefined && seen >= started + RUN_WAIT_BUDGET_MS && seen <= Date.now() + RUN_WAIT_BUDGET_MS,
  );
  assert.equal(runDeadline(), undefined);
});
