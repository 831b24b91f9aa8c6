// Conformance + behaviour: Graph identity throttling (https://learn.microsoft.com/graph/throttling,
// https://learn.microsoft.com/graph/throttling-limits "Identity and access service limits"; graph-spec.md §4).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chargeRequest } from '../../../emulator/src/graph/kernel/throttle';
import { updateGraphSettings } from '../../../emulator/src/graph/kernel/settings';
import { addTenant, graphFailure, newUserBody, startEmulator, tenantSeed } from './helpers';

describe('Graph throttling', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => emulator.close());

  it('responses carry x-ms-resource-unit with the documented cost (GET users 2, $select −1, writes 1)', async () => {
    const t = addTenant(emulator, tenantSeed());
    assert.equal((await t.fetch('GET', '/v1.0/users')).headers.get('x-ms-resource-unit'), '2');
    assert.equal((await t.fetch('GET', '/v1.0/users?$select=id')).headers.get('x-ms-resource-unit'), '1');
    assert.equal((await t.fetch('GET', '/v1.0/subscribedSkus')).headers.get('x-ms-resource-unit'), '3');
    const created = await t.fetch('POST', '/v1.0/users', { body: newUserBody(t.domain, 'ru') });
    assert.equal(created.headers.get('x-ms-resource-unit'), '1');
  });

  it('an empty resource-unit bucket → 429 with Retry-After, the documented body and x-ms-throttle-* headers', async () => {
    // Slow the refill (timeScale < 1) so the bucket stays empty while the test runs.
    updateGraphSettings(emulator.context.state, { timeScale: 0.001 });
    const t = addTenant(emulator, tenantSeed({ size: 'S' }));
    // Drain the app+tenant bucket (S: 3,500 RU per 10 s) the way 1,750 GET /users calls would.
    const drained = chargeRequest(emulator.context.state, t.tenant, t.appId, {
      resourceUnits: 3_500,
      writes: 0,
    });
    assert.equal(drained.ok, true);
    const res = await t.fetch('GET', '/v1.0/users', { headers: { 'client-request-id': 'c-1' } });
    assert.equal(res.status, 429);
    const retryAfter = Number(res.headers.get('retry-after'));
    // 2 RU at 0.35 RU/ms, slowed 1,000×: about 5.7 s.
    assert.ok(retryAfter > 5 && retryAfter < 6, `Retry-After ${retryAfter}`);
    assert.equal(
      res.headers.get('x-ms-throttle-scope'),
      `Tenant_Application/ReadWrite/${t.appId}/${t.tenant.id}`,
    );
    assert.equal(res.headers.get('x-ms-throttle-information'), 'ResourceUnitLimitExceeded');
    assert.ok(Number(res.headers.get('x-ms-throttle-limit-percentage')) > 0.8);
    assert.equal(res.headers.get('client-request-id'), 'c-1');
    const err = res.body.error!;
    assert.equal(err.code, 'TooManyRequests');
    assert.equal(err.message, 'Please retry again later.');
    assert.equal(err.innerError?.code, '429');
    assert.equal(err.innerError?.status, '429');
    assert.equal(err.innerError?.message, 'Please retry after');
    // Through the SDK with retries off, the same 429 surfaces as a GraphError.
    const e = await graphFailure(() => t.client({ retries: false }).api('/users').get());
    assert.equal(e.statusCode, 429);
    // After Retry-After (emulator clock) the bucket has refilled enough.
    emulator.context.state.clock.advance(retryAfter * 1000);
    assert.equal((await t.fetch('GET', '/v1.0/users')).status, 200);
    updateGraphSettings(emulator.context.state, { timeScale: 1 });
  });

  it('a throttled $batch item gets 429 with Retry-After while the envelope stays 200 (https://learn.microsoft.com/graph/json-batching, throttling)', async () => {
    updateGraphSettings(emulator.context.state, { timeScale: 0.001 });
    const t = addTenant(emulator, tenantSeed());
    chargeRequest(emulator.context.state, t.tenant, t.appId, { resourceUnits: 3_499, writes: 0 });
    const res = await t.fetch('POST', '/v1.0/$batch', {
      body: {
        requests: [
          { id: '1', method: 'GET', url: '/organization' },
          { id: '2', method: 'GET', url: '/users', dependsOn: ['1'] },
        ],
      },
    });
    assert.equal(res.status, 200);
    const byId = new Map(
      (res.body.responses as { id: string; status: number; headers: Record<string, string> }[]).map((r) => [
        r.id,
        r,
      ]),
    );
    assert.equal(byId.get('1')!.status, 200);
    assert.equal(byId.get('2')!.status, 429);
    assert.ok(byId.get('2')!.headers['Retry-After']);
    updateGraphSettings(emulator.context.state, { timeScale: 1 });
  });

  it('sustained writes are capped at 3,000 per 2 min 30 s (scaled by timeScale) and the bucket refills', async () => {
    const timeScale = 5; // 3,000 writes per 30 s of real time = 100 writes/s after the initial burst.
    updateGraphSettings(emulator.context.state, { timeScale });
    try {
      const t = addTenant(emulator, tenantSeed({ size: 'L' }));
      const target = (await t.client().api('/users').post(newUserBody(t.domain, 'w'))).id as string;
      const ratePerMs = (3_000 / 150_000) * timeScale;
      let accepted = 1; // the create above
      let throttled = 0;
      let lastRetryAfter = 0;
      const started = emulator.context.state.clock.now();
      let i = 0;
      // Until the limit bites (bounded): how long that takes depends on this machine's speed, not on the rule.
      while (throttled === 0 && emulator.context.state.clock.now() - started < 60_000) {
        const requests = Array.from({ length: 20 }, (_, k) => ({
          id: String(k),
          method: 'PATCH',
          url: `/users/${target}`,
          headers: { 'Content-Type': 'application/json' },
          body: { jobTitle: `t${i++}` },
        }));
        const res = await t.fetch('POST', '/v1.0/$batch', { body: { requests } });
        for (const r of res.body.responses as { status: number; headers: Record<string, string> }[]) {
          if (r.status === 204) accepted++;
          else {
            assert.equal(r.status, 429);
            assert.equal(r.headers['x-ms-throttle-information'], 'WriteLimitExceeded');
            assert.equal(
              r.headers['x-ms-throttle-scope'],
              `Tenant_Application/Write/${t.appId}/${t.tenant.id}`,
            );
            lastRetryAfter = Number(r.headers['Retry-After']);
            throttled++;
          }
        }
      }
      const elapsed = emulator.context.state.clock.now() - started;
      const cap = 3_000 + ratePerMs * elapsed;
      assert.ok(throttled > 0, 'the write limit was reached');
      assert.ok(accepted >= 3_000, `the whole burst of 3,000 writes is available (accepted ${accepted})`);
      assert.ok(
        accepted <= cap + 1,
        `accepted ${accepted} ≤ 3,000 + rate × ${elapsed} ms = ${cap.toFixed(0)}`,
      );
      // Retry-After is scaled: one write's worth of refill at 100/s is 10 ms, not Graph's whole seconds.
      assert.ok(lastRetryAfter > 0 && lastRetryAfter < 1, `scaled Retry-After ${lastRetryAfter}`);
      await new Promise((r) => setTimeout(r, Math.ceil(lastRetryAfter * 1000) + 5));
      const res = await t.fetch('PATCH', `/v1.0/users/${target}`, { body: { jobTitle: 'after' } });
      assert.equal(res.status, 204, 'the bucket refilled after Retry-After');
      // A full scaled window refills the whole bucket.
      emulator.context.state.clock.advance(150_000 / timeScale);
      const buckets = (await (
        await fetch(`${emulator.context.endpoints.admin}/graph/tenants/${t.tenant.id}/throttle`)
      ).json()) as {
        value: { key: string; tokens: number; capacity: number }[];
      };
      const write = buckets.value.find((b) => b.key.startsWith('ta-w'))!;
      assert.equal(write.tokens, write.capacity);
      // Each bucket is named by its whole key: limit, tenant and (for per-app limits) the app.
      assert.equal(write.key, `ta-w:${t.tenant.id}:${t.appId}`);
    } finally {
      updateGraphSettings(emulator.context.state, { timeScale: 1 });
    }
  });

  it('x-ms-throttle-limit-percentage appears above 80 % of a limit; the tenant-wide write limit spans apps (Tenant/Write scope)', async () => {
    updateGraphSettings(emulator.context.state, { timeScale: 0.001 });
    try {
      const seed = tenantSeed();
      const t = addTenant(emulator, seed);
      chargeRequest(emulator.context.state, t.tenant, t.appId, { resourceUnits: 2_900, writes: 0 });
      const res = await t.fetch('GET', '/v1.0/organization');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-ms-throttle-limit-percentage'), '0.8');
      const busy = await t.fetch('GET', '/v1.0/users');
      assert.ok(Number(busy.headers.get('x-ms-throttle-limit-percentage')) >= 0.8);
      // Other apps used up the tenant's 18,000 writes per 5 min: this app's write is refused with Tenant scope.
      for (let i = 0; i < 6; i++)
        assert.ok(
          chargeRequest(emulator.context.state, t.tenant, `other-app-${i}`, {
            resourceUnits: 1,
            writes: 3_000,
          }).ok,
        );
      const write = await t.fetch('POST', '/v1.0/users', { body: newUserBody(t.domain, 'tw') });
      assert.equal(write.status, 429);
      assert.equal(write.headers.get('x-ms-throttle-scope'), `Tenant/Write/${t.appId}/${t.tenant.id}`);
      assert.equal(write.headers.get('x-ms-throttle-information'), 'WriteLimitExceeded');
      // Reads still pass while writes are throttled (https://learn.microsoft.com/graph/throttling).
      assert.equal((await t.fetch('GET', '/v1.0/organization')).status, 200);
    } finally {
      updateGraphSettings(emulator.context.state, { timeScale: 1 });
    }
  });
});
