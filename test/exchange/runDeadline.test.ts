// The Exchange admin client under a run deadline (engine/runDeadline.ts), with a fake clock and sleep: a wait that
// ends by the deadline is slept; one that would end past it is not, and the call fails as transient with the wait,
// so the queue redelivers no sooner; without a deadline nothing changes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenCredential } from '@azure/core-auth';
import { ExchangeAdminClient } from '../../shared/exchange/client';
import { DEFAULT_EXCHANGE_RETRY } from '../../shared/exchange/policy';
import { TenureError } from '../../shared/engine/errors';
import { withRunDeadline } from '../../shared/engine/runDeadline';
import { scriptedFetch, type Scripted } from './fakeFetch';

const TENANT = '11111111-2222-3333-4444-555555555555';
const T0 = Date.parse('2026-03-10T12:00:00Z');
const credential: TokenCredential = {
  getToken: async () => ({ token: 't', expiresOnTimestamp: T0 + 3_600_000 }),
};
const getMailbox = { cmdlet: 'Get-Mailbox', parameters: { Identity: 'u-1' } };
const throttled = (seconds: number): Scripted => ({
  status: 429,
  headers: { 'Retry-After': String(seconds) },
});
const ok: Scripted = { status: 200, body: { value: [{ Identity: 'u-1' }] } };

function rig(answers: Scripted[]) {
  const { fetch, seen } = scriptedFetch(answers);
  let now = T0;
  const slept: number[] = [];
  const client = new ExchangeAdminClient({
    invokeUrl: `https://outlook.office365.com/adminapi/beta/${TENANT}/InvokeCommand`,
    tenantId: TENANT,
    scope: 'https://outlook.office365.com/.default',
    credential,
    fetch,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
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

describe('ExchangeAdminClient and the run deadline', () => {
  it('sleeps a Retry-After that ends by the deadline', async () => {
    const r = rig([throttled(20), ok]);
    const result = await withRunDeadline(T0 + 30_000, () => r.client.invoke(getMailbox));
    assert.equal(result.value.length, 1);
    assert.deepEqual(r.slept, [20_000]);
  });

  it('does not sleep past the deadline: TENURE_EXCHANGE_THROTTLED with the asked wait, no further call', async () => {
    const r = rig([throttled(20), throttled(30), ok]);
    const error = await failure(withRunDeadline(T0 + 30_000, () => r.client.invoke(getMailbox)));
    assert.equal(error.code, 'TENURE_EXCHANGE_THROTTLED');
    assert.equal(error.terminal, false);
    assert.equal(error.details.retryAfterMs, 30_000);
    assert.deepEqual(r.slept, [20_000]);
    assert.equal(r.seen.length, 2);
  });

  it('a back-off past the deadline (503 naming no wait) carries the back-off as retryAfterMs', async () => {
    const r = rig([{ status: 503 }, ok]);
    const error = await failure(withRunDeadline(T0 + 500, () => r.client.invoke(getMailbox)));
    assert.equal(error.code, 'TENURE_EXCHANGE_UNAVAILABLE');
    assert.equal(error.terminal, false);
    assert.equal(error.details.retryAfterMs, DEFAULT_EXCHANGE_RETRY.baseDelayMs);
    assert.deepEqual(r.slept, []);
    assert.equal(r.seen.length, 1);
  });

  it('without a deadline the retries are unchanged (every attempt, every asked wait slept)', async () => {
    const answers = Array.from({ length: DEFAULT_EXCHANGE_RETRY.maxAttempts }, () => throttled(30));
    const r = rig(answers);
    const error = await failure(r.client.invoke(getMailbox));
    assert.equal(error.code, 'TENURE_EXCHANGE_THROTTLED');
    assert.equal(r.seen.length, DEFAULT_EXCHANGE_RETRY.maxAttempts);
    assert.deepEqual(
      r.slept,
      Array.from({ length: DEFAULT_EXCHANGE_RETRY.maxAttempts - 1 }, () => 30_000),
    );
  });
});
