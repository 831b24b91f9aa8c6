import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdaptiveLimiter, DEFAULT_RETRY, retryAfterMs, retryDecision } from '../../shared/graph/policy';
import { buildBatchRequest, parseBatchResponse } from '../../shared/graph/executor';

const half = () => 0.5;

test('Retry-After as seconds or HTTP date', () => {
  assert.equal(retryAfterMs({ 'retry-after': '10' }), 10_000);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now), 30_000);
  assert.equal(retryAfterMs({}), undefined);
});

test('retries 429/503/504 only, up to the limit; 404 only when lag is tolerated', () => {
  assert.deepEqual(retryDecision(429, { 'retry-after': '2' }, 0, false, DEFAULT_RETRY, half), {
    retryAfterMs: 2000,
  });
  assert.ok(retryDecision(503, {}, 0, false, DEFAULT_RETRY, half));
  assert.ok(retryDecision(504, {}, 0, false, DEFAULT_RETRY, half));
  assert.equal(retryDecision(500, {}, 0, false, DEFAULT_RETRY, half), undefined);
  assert.equal(retryDecision(400, {}, 0, false, DEFAULT_RETRY, half), undefined);
  assert.equal(retryDecision(429, {}, DEFAULT_RETRY.maxRetries, false, DEFAULT_RETRY, half), undefined);
  assert.equal(retryDecision(404, {}, 0, false, DEFAULT_RETRY, half), undefined);
  assert.ok(retryDecision(404, {}, 0, true, DEFAULT_RETRY, half));
  const a = retryDecision(503, {}, 0, false, DEFAULT_RETRY, half)!.retryAfterMs;
  const b = retryDecision(503, {}, 3, false, DEFAULT_RETRY, half)!.retryAfterMs;
  assert.equal(b, a * 8);
  // Back-off without Retry-After stays within the in-process bound.
  const long = { ...DEFAULT_RETRY, maxRetries: 20 };
  assert.equal(retryDecision(503, {}, 15, false, long, () => 1)!.retryAfterMs, DEFAULT_RETRY.maxDelayMs);
});

test('a Retry-After is never cut short: up to the in-process bound it is waited, beyond it the answer is final', () => {
  const bound = String(DEFAULT_RETRY.maxDelayMs / 1000);
  assert.deepEqual(retryDecision(429, { 'retry-after': bound }, 0, false, DEFAULT_RETRY, half), {
    retryAfterMs: DEFAULT_RETRY.maxDelayMs,
  });
  // Longer: not retried early (it would be refused again); the engine's queue redelivers no sooner.
  assert.equal(retryDecision(429, { 'retry-after': '100000' }, 0, false, DEFAULT_RETRY, half), undefined);
  assert.equal(retryDecision(503, { 'retry-after': '181' }, 0, false, DEFAULT_RETRY, half), undefined);
});

test('AIMD: halves on throttle, grows by one per window of successes, never exceeds the limit in flight', async () => {
  const l = new AdaptiveLimiter(1, 8, 4);
  l.onThrottle();
  assert.equal(l.limit, 2);
  l.onThrottle();
  l.onThrottle();
  assert.equal(l.limit, 1);
  l.onSuccess();
  assert.equal(l.limit, 2);
  let inFlight = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      await l.acquire();
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      l.release();
    }),
  );
  assert.equal(peak, 2);
});

test('$batch build and parse correlate by id, keep dependsOn and headers', () => {
  const req = buildBatchRequest([
    { id: '1', request: { method: 'PATCH', url: '/users/a', body: { x: 1 } } },
    { id: '2', request: { method: 'GET', url: '/users/a' }, dependsOn: ['1'] },
  ]);
  const body = req.body as { requests: Record<string, unknown>[] };
  assert.deepEqual(body.requests[0].headers, { 'Content-Type': 'application/json' });
  assert.deepEqual(body.requests[1].dependsOn, ['1']);
  const map = parseBatchResponse({
    status: 200,
    headers: {},
    body: {
      responses: [
        { id: '2', status: 424 },
        { id: '1', status: 429, headers: { 'Retry-After': '5' } },
      ],
    },
  });
  assert.equal(map.get('1')?.headers['retry-after'], '5');
  assert.equal(map.get('2')?.status, 424);
  assert.throws(
    () => parseBatchResponse({ status: 400, headers: {}, body: {} }),
    (e: { code?: string }) => e.code === 'TENURE_GRAPH_BAD_REQUEST',
  );
});
