// host.json and the engine's run deadline cannot drift apart: a run stops waiting in process before the host stops
// renewing the message lock (otherwise the message is redelivered while the first instance still runs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { serviceBusHostSettings } from '../../devhost/serviceBus';
import { RUN_WAIT_BUDGET_MS } from '../../shared/engine/runDeadline';

test("the run deadline is shorter than host.json's maxAutoLockRenewalDuration, with a margin to finish", () => {
  const hostJson = JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', 'host.json'), 'utf8'),
  ) as unknown;
  const lockMs = serviceBusHostSettings(hostJson).maxAutoLockRenewalDurationMs;
  assert.ok(lockMs > 0, 'host.json sets maxAutoLockRenewalDuration');
  assert.ok(
    RUN_WAIT_BUDGET_MS < lockMs,
    `${RUN_WAIT_BUDGET_MS} ms must be below the lock renewal ${lockMs} ms`,
  );
  // The last request after the last wait, and recording the outcome, need time too.
  assert.ok(lockMs - RUN_WAIT_BUDGET_MS >= 30_000);
});
