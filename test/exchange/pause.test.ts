// The Exchange client's Retry-After pause is the connection's, like its concurrency limit: after Exchange asks to
// wait, the connection's next cmdlet waits it out before being sent; a pause longer than a worker is held, or one
// ending past the run's deadline, is not waited: the cmdlet is not sent and fails as throttled with the time left.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenCredential } from '@azure/core-auth';
import { ExchangeAdminClient } from '../../shared/exchange/client';
import { TenureError } from '../../shared/engine/errors';
import { withRunDeadline } from '../../shared/engine/runDeadline';
import { ConnectionPause } from '../../shared/graph/policy';
import { scriptedFetch, type Scripted } from './fakeFetch';

const TENANT = '11111111-2222-3333-4444-555555555555';
const T0 = Date.parse('2026-03-10T12:00:00Z');
const credential: TokenCredential = {
  getToken: async () => ({ token: 't', expiresOnTimestamp: T0 + 3_600_000 }),
};
const getMailbox = { cmdlet: 'Get-Mailbox', parameters: { Identity: 'u-1' } };
const setMailbox = { cmdlet: 'Set-Mailbox', parameters: { Identity: 'u-1', Type: 'Shared' } };
const throttled = (seconds: number): Scripted => ({
  status: 429,
  headers: { 'Retry-After': String(seconds) },
});
const ok: Scripted = { status: 200, body: { value: [] } };

/** Sleeping records the wait and the calls sent so far; the clock stands still (the pause is still running). */
function rig(answers: Scripted[], pause?: ConnectionPause) {
  const { fetch, seen } = scriptedFetch(answers);
  const slept: { ms: number; sentBefore: number }[] = [];
  const client = new ExchangeAdminClient({
    invokeUrl: `https://outlook.office365.com/adminapi/beta/${TENANT}/InvokeCommand`,
    tenantId: TENANT,
    scope: 'https://outlook.office365.com/.default',
    credential,
    fetch,
    now: () => T0,
    sleep: async (ms) => void slept.push({ ms, sentBefore: seen.length }),
    ...(pause ? { pause } : {}),
  });
  return { client, seen, slept };
}

async function failure(p: Promise<unknown>): Promise<TenureError> {
  try {
    await p;
  } catch (error) {
    assert.ok(error instanceof TenureError, `not a TenureError: ${String(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}

describe("Exchange: the connection's Retry-After pause", () => {
  it('the next cmdlet waits the pause another cmdlet was asked for before it is sent', async () => {
    const r = rig([throttled(30), ok, ok]);
    await r.client.invoke(getMailbox);
    await r.client.invoke(setMailbox);
    assert.deepEqual(r.slept, [
      { ms: 30_000, sentBefore: 1 },
      { ms: 30_000, sentBefore: 2 },
    ]);
    assert.equal(r.seen.length, 3);
  });

  it('clients sharing one pause (as they share a limiter) wait for each other', async () => {
    const pause = new ConnectionPause();
    const a = rig([throttled(20), ok], pause);
    const b = rig([ok], pause);
    await a.client.invoke(getMailbox);
    await b.client.invoke(setMailbox);
    assert.deepEqual(b.slept, [{ ms: 20_000, sentBefore: 0 }]);
  });

  it('a pause longer than a worker is held is not waited: not sent, throttled with the time left', async () => {
    const r = rig([throttled(120), ok]);
    const first = await failure(r.client.invoke(getMailbox));
    assert.equal(first.details.retryAfterMs, 120_000);
    const next = await failure(r.client.invoke(setMailbox));
    assert.equal(next.code, 'TENURE_EXCHANGE_THROTTLED');
    assert.equal(next.terminal, false);
    assert.equal(next.details.retryAfterMs, 120_000);
    assert.equal(r.seen.length, 1);
    assert.deepEqual(r.slept, []);
  });

  it('a pause ending past the run deadline is not waited: not sent, throttled with the time left', async () => {
    const r = rig([throttled(30), ok, ok]);
    await r.client.invoke(getMailbox);
    const next = await failure(withRunDeadline(T0 + 10_000, () => r.client.invoke(setMailbox)));
    assert.equal(next.code, 'TENURE_EXCHANGE_THROTTLED');
    assert.equal(next.details.retryAfterMs, 30_000);
    assert.equal(r.seen.length, 2);
    // Outside a run, the same pause is waited.
    await r.client.invoke(setMailbox);
    assert.equal(r.seen.length, 3);
  });
});
